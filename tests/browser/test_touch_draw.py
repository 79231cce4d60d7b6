"""Drawing your own points in Chromium (issue 15, item 4): the draw toggle, a click on the
surface adds a point of the chosen class, a click on a point removes it, the page's link
opens the same drawing and run in a fresh browser, and on a phone a tap outside draw mode
still shows a value."""

from __future__ import annotations

import urllib.parse

from playwright.sync_api import expect

from nnplay.app.link import POINTS

from .helpers import button, metric_value, wait_for_app
from .test_phone import PHONE

SURFACE = 'svg[data-view="surface"]'
VIEW_WIDTH, LEFT, TOP, SIDE = 260, 40, 10, 212  # live.js's surface: its viewBox and square


def open_page(new_page, url: str, **device):
    page = new_page(**device)
    page.goto(url)
    wait_for_app(page)
    page.locator(".nn-draw-toggle").wait_for()
    return page


def points(page) -> list[str]:
    return page.locator(f"{SURFACE} circle[data-point]").evaluate_all(
        "cs => cs.map(c => c.dataset.point)")


def spot(page, x: float, y: float, domain=(-0.5, 1.5)) -> dict:
    """Where (x, y) lies on the surface, in page pixels."""
    box = page.locator(SURFACE).bounding_box()
    scale = box["width"] / VIEW_WIDTH
    low, high = domain
    return {"x": box["x"] + (LEFT + (x - low) / (high - low) * SIDE) * scale,
            "y": box["y"] + (TOP + (high - y) / (high - low) * SIDE) * scale}


def wait_for_points(page, n: int) -> None:
    expect(page.locator(f"{SURFACE} circle[data-point]")).to_have_count(n, timeout=30_000)


def test_draw_a_point_click_it_away_and_share_the_drawing(new_page, app_url):
    page = open_page(new_page, app_url + "/?seed=4")
    assert len(points(page)) == 4
    toggle = page.locator(".nn-draw-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".nn-draw-hint")).to_contain_text("starts the run again from its seed")
    page.get_by_role("button", name="Draw class 0").click()
    where = spot(page, 0.5, 0.5)
    page.mouse.click(where["x"], where["y"])
    wait_for_points(page, 5)
    x, y = map(float, points(page)[-1].split(","))
    assert abs(x - 0.5) < 0.02 and abs(y - 0.5) < 0.02
    assert page.locator(".nn-draw-toggle").get_attribute("aria-pressed") == "true"  # still drawing
    assert page.get_by_text("Added a point: 5 points").count() >= 1

    for n, point in ((4, "0,1"), (3, "1,0")):  # the XOR's two points of class 1
        page.locator(f'{SURFACE} circle[data-point="{point}"]').click()
        wait_for_points(page, n)
        assert point not in points(page)
    expect(page.locator(".nn-status")).to_contain_text("Draw at least 4 training points")
    expect(page.locator(".nn-status")).to_contain_text("none of class 1")
    page.get_by_role("button", name="Draw class 1").click()
    page.mouse.click(*spot(page, 0.2, 0.9).values())
    wait_for_points(page, 4)
    button(page, "Step").click()
    expect(page.locator(".nn-metric").filter(has_text="Iteration")).to_contain_text("1", timeout=30_000)
    page.wait_for_function("() => location.search.includes('at=1')", timeout=30_000)
    link = page.url
    assert POINTS in urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)

    fresh = open_page(new_page, link)  # a fresh browser context: a new session
    assert sorted(points(fresh)) == sorted(points(page))
    assert metric_value(fresh, "Iteration") == "1"
    assert metric_value(fresh, "Error") == metric_value(page, "Error")
    cell = 'svg[data-view="weights"] rect[data-weight="1:0:0"]'
    tips = []
    for shown in (page, fresh):
        shown.locator(cell).hover()
        tips.append(shown.locator(".nn-tip").inner_text())
    assert tips[0] == tips[1] and tips[0].startswith("W1[0, 0]")


def test_on_a_phone_a_tap_shows_a_value_until_draw_mode_is_on(new_page, app_url):
    page = open_page(new_page, app_url + "/?seed=4", **PHONE)
    tip = page.locator(".nn-tip")
    page.locator(f"{SURFACE} circle").first.scroll_into_view_if_needed()
    page.locator(f"{SURFACE} circle").first.tap()
    tip.wait_for(state="visible", timeout=5_000)
    assert "training point" in tip.inner_text()
    page.touchscreen.tap(*spot(page, 0.5, 0.5).values())  # out of draw mode: nothing added
    page.wait_for_timeout(500)
    assert len(points(page)) == 4
    toggle = page.locator(".nn-draw-toggle")
    assert toggle.bounding_box()["height"] >= 44  # a finger's size
    toggle.tap()
    page.touchscreen.tap(*spot(page, 0.5, 0.5).values())
    wait_for_points(page, 5)


def test_by_keyboard_a_cross_adds_and_removes_points(new_page, app_url):
    page = open_page(new_page, app_url + "/?seed=4")
    page.locator(".nn-draw-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".nn-draw-toggle")).to_have_attribute("aria-pressed", "true")
    page.locator(SURFACE).focus()  # Tab's stop in draw mode; the cross starts in the middle
    for key in ["ArrowLeft"] * 6 + ["ArrowDown"] * 6:  # a 12th of the square each: to (0, 0)
        page.keyboard.press(key)
    expect(page.locator(".nn-draw-where")).to_contain_text("x1 = 0.00, x2 = 0.00")
    page.keyboard.press("Delete")
    wait_for_points(page, 3)
    assert "0,0" not in points(page)
    for key in ["ArrowRight"] * 3 + ["Enter"]:
        page.keyboard.press(key)
    wait_for_points(page, 4)
    page.keyboard.press("ArrowUp")  # the surface was drawn again; the keyboard stays on it
    page.keyboard.press("Enter")
    wait_for_points(page, 5)
    added = [tuple(map(float, p.split(","))) for p in points(page)[-2:]]
    assert max(abs(x - 0.25) for x, _ in added) < 1e-3
    assert sorted(round(y, 3) for _, y in added) == [0.0, 0.083]
