"""axe-core in Playwright: inject the vendored axe, run it, describe the violations.

axe is injected with ``page.evaluate`` (Chrome DevTools' Runtime.evaluate), which a page's
Content-Security-Policy does not restrict, so the run keeps working once the CSP lands.
"""

from __future__ import annotations

from pathlib import Path

AXE_DIR = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1"
AXE_SOURCE = (AXE_DIR / "axe.min.js").read_text(encoding="utf-8")

# Every rule axe runs by default (WCAG 2.0–2.2 A/AA and best practices), at every impact.
# No rule is disabled. "experimental" rules stay off, as axe ships them.
AXE_OPTIONS = {"resultTypes": ["violations"]}


# Drop the nodes of ``rule`` that lie inside an element matching ``within`` (and nothing else).
_WAIVE_JS = """([violations, waivers]) => violations.map(v => {
  const within = waivers[v.id];
  if (!within) return v;
  const nodes = v.nodes.filter(n => {
    const el = document.querySelector(n.target[n.target.length - 1]);
    return !(el && el.closest(within));
  });
  return {...v, nodes};
}).filter(v => v.nodes.length)"""


def run_axe(page, waivers: dict[str, str] | None = None) -> list[dict]:
    """The page's axe violations, as axe reports them (``id``, ``impact``, ``nodes``, …).

    ``waivers`` maps a rule to a CSS selector: that rule's findings inside such elements are
    left out (each waiver has its written reason where it is passed); every other rule, and
    the same rule elsewhere on the page, still counts.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    if waivers:
        return page.evaluate(_WAIVE_JS, [result["violations"], waivers])
    return result["violations"]


def describe(violations: list[dict], where: str) -> list[str]:
    """One line per violation and node, naming the rule, the impact and the element."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:240]
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) {target} — {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"{where}: {violation['id']} … {len(violation['nodes']) - 5} more")
    return lines
