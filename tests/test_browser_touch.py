"""Touch targets ≥ 44 × 44 CSS px at 375 px, on the public pages and the main workspace and
regulator pages (tests/touch.py says what a target is and which inline links are exempt).

The pages are the axe test's cases reached by a plain GET, for a reader (anonymous), the
demo developer (demo-hongtai) and the demo regulator (demo-harbin), in Chinese at normal
text size (large text only makes targets bigger). GONGSHI_AXE_ONLY="project,admin index"
narrows it to the cases whose labels contain one of the words.
"""

from __future__ import annotations

import os

import pytest

from tests.demo_world import seed_some_of_the_demo
from tests.test_browser_axe import _context, cases, lookups
from tests.touch import small_targets

PERSONAS = ("anonymous", "demo-hongtai", "demo-harbin")


@pytest.mark.django_db(transaction=True)
def test_touch_targets_are_at_least_44_px_on_a_phone(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_some_of_the_demo()
    only = os.environ.get("GONGSHI_AXE_ONLY", "")
    failures: list[str] = []
    counts: dict[str, int] = {}
    every_case = cases(lookups()).values()
    for persona in PERSONAS:
        context = _context(browser, live_server, persona, "zh-Hans", "normal")
        page = context.new_page()
        page.set_viewport_size({"width": 375, "height": 740})
        for case in every_case:
            if case.persona != persona or case.submit or case.path.startswith("/__axe__/"):
                continue
            if only and not any(word in case.label for word in only.split(",")):
                continue
            page.goto(case.path)
            small = small_targets(page)
            counts[f"{case.label} ({case.path})"] = len(small)
            failures += [f"{case.label} ({case.path}) [{persona}]: {target}" for target in small]
        context.close()
    print("\n".join(f"{n:4d}  {where}" for where, n in counts.items()))
    assert not failures, f"{len(failures)} targets under 44 × 44 px at 375 px:\n" + "\n".join(
        failures
    )


def test_the_check_finds_a_small_standalone_link_and_exempts_one_in_a_sentence(browser):
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.set_content(
        "<main><p><a href='/a'>返回首页</a></p>"
        "<p>详见 <a href='/b'>评分公式</a> 的说明。</p>"
        "<p><a href='/c' style='display:inline-flex;min-height:44px;min-width:44px'>好</a></p>"
        "<label><input type='checkbox'> 小</label></main>"
    )
    small = small_targets(page)
    page.close()
    assert [target.split(" ")[:2] for target in small] == [
        ["a", '"返回首页"'],
        ["input", '"on"'],  # the box and its label, 17 px high
    ], small
