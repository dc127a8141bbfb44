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


def run_axe(page) -> list[dict]:
    """The page's axe violations, as axe reports them (``id``, ``impact``, ``nodes``, …)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
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
