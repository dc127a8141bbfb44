"""The touch-target check itself (tests/touch.py) on a page of known targets.

The check of the real pages, ≥ 44 × 44 CSS px at 375 px, runs in tests/test_browser_axe.py
(``test_touch_targets_are_at_least_44_px_on_a_phone``), on the demo that module seeds.
"""

from __future__ import annotations

from tests.touch import small_targets


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
