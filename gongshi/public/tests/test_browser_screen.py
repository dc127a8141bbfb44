"""The display screen in Chromium: it takes in new publications without reloading (no meta
refresh), says what changed in its polite live region, and the pause button stops the slides
(and says so)."""

from gongshi.public.tests.conftest import publish_permit


def test_the_screen_updates_in_place_and_pauses(world, catalogue, make_page, monkeypatch):
    from gongshi.public.views import paper

    monkeypatch.setattr(paper, "SCREEN_REFRESH_SECONDS", 1)
    monkeypatch.setattr(paper, "SCREEN_SLIDE_SECONDS", 1)
    page = make_page(width=1280, height=720)
    page.goto(f"/p/{world.project.code}/screen/")
    page.evaluate("window.gongshiMarker = 'same document'")
    published = "document.querySelector('.slides').textContent.includes('已公示')"
    assert not page.evaluate(published)

    publish_permit(world, catalogue["planning"])
    # Polled from here: wait_for_function compiles its predicate with eval, which the CSP
    # forbids; page.evaluate goes through DevTools and is not affected.
    for _ in range(60):
        if page.evaluate(published):
            break
        page.wait_for_timeout(250)
    assert page.evaluate(published), "the screen did not take in the new publication"
    assert page.evaluate("window.gongshiMarker") == "same document"  # never reloaded
    region = page.locator("#screen-announce")
    assert (
        region.get_attribute("aria-live") == "polite" and region.get_attribute("role") == "status"
    )
    for _ in range(20):  # the swap's sentence is written just after the swap
        if region.text_content():
            break
        page.wait_for_timeout(100)
    said = region.text_content()
    assert said.startswith("新公示："), said
    assert catalogue["planning"].title in said, said  # names what was published
    assert page.locator(".slides").get_attribute("aria-live") == "off"  # rotation is not news

    pause = page.get_by_role("button", name="暂停轮播")
    pause.click()
    assert page.get_by_role("button", name="继续轮播").get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(200)
    assert region.text_content() == "轮播已暂停。"
    active = (
        "[...document.querySelectorAll('.slide')].findIndex(s => s.classList.contains('active'))"
    )
    shown = page.evaluate(active)
    page.wait_for_timeout(2500)  # two and a half slide periods
    assert page.evaluate(active) == shown
