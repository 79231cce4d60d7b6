"""The playground in a student's hand: a phone (390 x 844) and a tablet (768 x 1024), both
touch screens, in Chromium. Nothing scrolls sideways, no word of the table breaks, the views
come in the order a student needs them, the buttons fit a finger, a tap shows a value, and
classroom links still rule. The desktop keeps its rows."""

from __future__ import annotations

import urllib.parse

import pytest

from nnplay.app.link import parse_query
from nnplay.app.playground import Playground

from .helpers import wait_for_app

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3}
TABLET = {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True,
          "device_scale_factor": 2}
DEVICES = {"phone": PHONE, "tablet": TABLET}
VIEWS = {"surface": ".nn-surface-cell", "curve": ".nn-curve-cell", "diagram": ".nn-diagram-cell",
         "table": ".nn-table-cell", "weights": ".nn-weights-cell"}
NEEDED_ORDER = ["surface", "curve", "diagram", "table", "weights"]


def open_on(new_page, app_url, device: dict, query: dict[str, str] | None = None):
    page = new_page(**device)
    page.goto(app_url + ("/?" + urllib.parse.urlencode(query) if query else ""))
    wait_for_app(page)
    page.get_by_role("button", name="Play", exact=True).wait_for()
    page.locator('svg[data-view="weights"]').first.wait_for()
    return page


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def boxes(page) -> dict[str, dict]:
    return {name: box(page, selector) for name, selector in VIEWS.items()}


def sideways(page) -> list[str]:
    """What reaches past the viewport's right edge: the page itself, the element Streamlit
    scrolls, or any element of the live area."""
    width = page.evaluate("innerWidth")
    found = []
    if page.evaluate("document.scrollingElement.scrollWidth") > width:
        found.append("the document scrolls sideways")
    main = page.get_by_test_id("stMain")
    if main.count() and main.evaluate("e => e.scrollWidth > e.clientWidth"):
        found.append("Streamlit's main area scrolls sideways")
    found += page.locator(".nn-live, .nn-live *").evaluate_all(f"""els => els
        .filter(e => e.getBoundingClientRect().right > {width} + 0.5)
        .map(e => e.tagName + ' ' + (e.getAttribute('class') || e.getAttribute('data-view') || ''))""")
    return found


def lines_of(cell_locator) -> list[int]:
    """How many lines each cell's text takes (distinct line boxes of its text)."""
    return cell_locator.evaluate_all("""cells => cells.map(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
            .map(r => Math.round(r.top)));
        return tops.size;
    })""")


@pytest.mark.parametrize("device", ["phone", "tablet"])
def test_nothing_scrolls_sideways_and_no_word_of_the_table_breaks(new_page, app_url, device):
    page = open_on(new_page, app_url, DEVICES[device])
    assert sideways(page) == []
    cells = page.locator('table[data-view="table"] th, table[data-view="table"] td')
    assert cells.count() >= 20
    assert set(lines_of(cells)) == {1}, cells.all_inner_texts()
    heights = cells.evaluate_all("cs => cs.map(c => c.getBoundingClientRect().height)")
    line = cells.first.evaluate("c => parseFloat(getComputedStyle(c).lineHeight)")
    assert max(heights) < 1.8 * line, (heights, line)  # a cell is one line high
    surface = box(page, 'svg[data-view="surface"]')
    assert surface["width"] >= 300, surface  # readable: was 89 px on a phone, 192 on a tablet


def test_the_phone_puts_each_view_full_width_in_the_order_a_student_needs(new_page, app_url):
    page = open_on(new_page, app_url, PHONE)
    area = box(page, ".nn-live")
    views = boxes(page)
    tops = [views[name]["y"] for name in NEEDED_ORDER]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), views
    for name, view in views.items():
        assert view["width"] >= 0.95 * area["width"], (name, view, area)
    # The numbers in one row, the transport in at most two.
    tops_js = "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
    numbers = page.locator(".nn-metric").evaluate_all(tops_js)
    assert len(numbers) == 4 and len(set(numbers)) == 1, numbers
    controls = page.locator(".nn-transport > *").evaluate_all(tops_js)
    assert len(controls) == 6 and len(set(controls)) <= 2, controls
    page.get_by_role("combobox", name="Step size").select_option("10000")
    step_many = page.locator(".nn-transport").get_by_role("button", name="Step 10,000", exact=True)
    assert step_many.evaluate("b => b.scrollWidth <= b.clientWidth")  # its label whole
    page.set_viewport_size({"width": 360, "height": 780})  # a narrower phone: still one row
    page.wait_for_timeout(300)
    values = page.locator(".nn-metric-value").evaluate_all(tops_js)
    assert len(set(values)) == 1, values
    assert sideways(page) == []


def test_the_tablet_puts_two_views_to_a_row(new_page, app_url):
    page = open_on(new_page, app_url, TABLET)
    views = boxes(page)
    assert views["surface"]["y"] == views["curve"]["y"] < views["diagram"]["y"], views
    assert views["diagram"]["y"] == views["table"]["y"] < views["weights"]["y"], views
    assert views["surface"]["x"] < views["curve"]["x"] and views["diagram"]["x"] < views["table"]["x"]


@pytest.mark.parametrize("device", ["phone", "tablet"])
def test_buttons_fit_a_finger(new_page, app_url, device):
    page = open_on(new_page, app_url, DEVICES[device])
    transport = page.locator(".nn-transport")
    for name in ("Play", "Step", "Reset"):
        height = transport.get_by_role("button", name=name, exact=True).bounding_box()["height"]
        assert height >= 44, (name, height)
    for select in ("Step size", "Speed"):
        assert page.get_by_role("combobox", name=select).bounding_box()["height"] >= 44
    page.get_by_test_id("stExpandSidebarButton").tap()
    sidebar = page.get_by_test_id("stSidebar")
    preset = sidebar.get_by_role("button", name="Tutorial", exact=True)
    preset.wait_for()
    assert preset.bounding_box()["height"] >= 44
    assert sidebar.get_by_role("button", name="Increment").first.bounding_box()["height"] >= 40


def test_a_tap_on_a_weight_shows_its_value_on_screen(new_page, app_url):
    query = {"seed": "3"}
    page = open_on(new_page, app_url, PHONE, query)
    weights = Playground(parse_query(query).config).trainer.network.weights  # iteration 0
    tip = page.locator(".nn-tip")
    for selector, value in (('svg[data-view="weights"] rect[data-weight="1:2:1"]', weights[0][2, 1]),
                            ('svg[data-view="weights"] rect[data-weight="2:0:4"]', weights[1][0, 4])):
        cell = page.locator(selector)
        cell.scroll_into_view_if_needed()
        cell.tap()
        tip.wait_for(state="visible", timeout=5_000)
        assert tip.inner_text().endswith(f"{value:.4f}"), tip.inner_text()
        shown = tip.bounding_box()
        assert 0 <= shown["x"] and shown["x"] + shown["width"] <= 390, shown  # on screen
        tapped = cell.bounding_box()  # Playwright taps its middle
        assert shown["y"] + shown["height"] <= tapped["y"] + tapped["height"] / 2  # above the finger
    page.locator('svg[data-view="surface"] circle').first.tap()
    assert "training point" in tip.inner_text()
    page.locator(".nn-metrics").tap()  # a tap on nothing with a value hides it
    tip.wait_for(state="hidden", timeout=5_000)


def test_classroom_links_rule_on_a_phone(new_page, app_url):
    page = open_on(new_page, app_url, PHONE, {"big": "1", "hide": "presets,network,training,lab"})
    assert page.locator(".nn-live.big").count() == 1
    assert page.get_by_text("Teaching lab").count() == 0
    assert page.get_by_text("Presets").count() == 0
    assert sideways(page) == []
    views = boxes(page)
    tops = [views[name]["y"] for name in NEEDED_ORDER]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), views  # one column, as without big
    assert box(page, 'svg[data-view="surface"]')["width"] >= 300


def test_the_desktop_keeps_its_rows(new_page, app_url):
    page = open_on(new_page, app_url, {})
    views = boxes(page)
    assert views["diagram"]["y"] == views["table"]["y"] < views["surface"]["y"], views
    assert views["surface"]["y"] == views["curve"]["y"] == views["weights"]["y"], views
    assert views["surface"]["x"] < views["curve"]["x"] < views["weights"]["x"], views
    assert page.locator(".nn-transport").bounding_box()["height"] < 50  # one row
    assert sideways(page) == []
