"""Home, search results and a project page in a real browser at 375 and 1280 px wide.

Each page must fit its width (no horizontal scroll); the screenshots are kept in
``GONGSHI_SCREENSHOT_DIR`` (default: the test's temporary directory) for people to look at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongshi.core.testing import scroll_width
from gongshi.public.tests.conftest import household_rows, publish_households, publish_with_file

WIDTHS = [375, 1280]


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    path = Path(os.environ.get("GONGSHI_SCREENSHOT_DIR") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def assert_fits(page, name: str) -> None:
    page_width = scroll_width(page)
    inner_width = page.evaluate("window.innerWidth")
    assert page_width <= inner_width, f"{name}: 页面横向溢出 {page_width}px > {inner_width}px"


@pytest.mark.parametrize("width", WIDTHS)
def test_home_search_and_project_page_fit_the_screen(
    world, catalogue, make_page, screenshot_dir, width
):
    publish_with_file(
        world,
        catalogue["planning"],
        {
            "certificate_number": "建字第2301032025000000000000000042号",
            "authority": "哈尔滨市自然资源和规划局",
        },
        name="建设工程规划许可证扫描件（原件）2025年3月.pdf",
    )
    publish_households(
        world, catalogue["households"], household_rows(buildings=2, units=2, floors=6, per_floor=4)
    )
    page = make_page(width=width)

    page.goto("/")
    expect(page.get_by_text("测试花园一期").first).to_be_visible()
    assert_fits(page, f"home@{width}")
    page.screenshot(path=str(screenshot_dir / f"home-{width}.png"), full_page=True)

    page.get_by_label("查找住宅项目").fill("hrb")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/?q=hrb**")
    expect(page.get_by_text("找到 1 个项目")).to_be_visible()
    assert_fits(page, f"search@{width}")
    page.screenshot(path=str(screenshot_dir / f"search-{width}.png"), full_page=True)

    page.get_by_role("link", name="测试花园一期").click()
    page.wait_for_url(f"**/p/{world.project.code}/")
    expect(page.get_by_role("heading", name="测试花园一期", level=1)).to_be_visible()
    assert_fits(page, f"project@{width}")
    page.screenshot(path=str(screenshot_dir / f"project-{width}.png"), full_page=True)


def test_elderly_mode_is_one_tap_and_remembered(world, catalogue, make_page):
    page = make_page(width=375)
    page.goto(f"/p/{world.project.code}/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="长辈模式").click()
    page.wait_for_load_state()
    larger = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger > normal
    page.goto("/")
    assert page.evaluate("document.body.classList.contains('elderly')")
    assert_fits(page, "elderly home@375")


def test_a_display_screen_slide_is_never_cut_off(world, catalogue, make_page):
    publish_households(world, catalogue["households"], household_rows())
    page = make_page(width=1280, height=600)  # a short screen: the slide must shrink to fit
    page.goto(f"/p/{world.project.code}/screen/")
    fits = page.evaluate(
        """() => {
          const box = document.querySelector('.slides').getBoundingClientRect();
          const slide = document.querySelector('.slide.active');
          const last = slide.lastElementChild.getBoundingClientRect();
          return {bottom: last.bottom, limit: box.bottom, size: slide.style.fontSize};
        }"""
    )
    assert fits["bottom"] <= fits["limit"], fits
    assert fits["size"]  # it was made smaller
