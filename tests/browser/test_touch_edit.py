"""Touch the weights in Chromium: click an edge of the diagram and a cell of a weight matrix
(mouse, and keyboard on a cell), read the weight panel's numbers against the engine's, set a
weight by hand, switch a neuron off, Step, then open the page's link in a fresh browser
context and find the same weights."""

from __future__ import annotations

import numpy as np
from playwright.sync_api import expect

from nnplay.app.link import parse_query
from nnplay.app.playground import Playground

from .helpers import click_button, error_elements, metric_value
from .test_live import LIVE, console_errors, saved_weights
from .test_page import iteration, open_page
from .test_phone import PHONE, open_on

QUERY = {"hidden": "3", "act": "tanh", "lr": "0.5", "seed": "3", "min": "0"}


def engine(steps: int) -> Playground:
    """The link's run stepped in this process: what the page must show."""
    p = Playground(parse_query(QUERY).config)
    p.step(steps)
    return p


def click_edge(page, edge: str) -> None:
    """Click the diagram's edge ``edge`` with the mouse, at a point of its stroke where it is
    the topmost element (edges cross)."""
    point = page.evaluate(f"""(edge) => {{
        const root = ({LIVE})();
        const path = root.querySelector(`path[data-edge="${{edge}}"]`);
        const total = path.getTotalLength(), m = path.getScreenCTM();
        for (const t of [0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6]) {{
            const p = path.getPointAtLength(total * t);
            const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
            if (root.elementFromPoint(x, y) === path) return [x, y];
        }}
        return null;
    }}""", edge)
    assert point, f"no visible point on the edge {edge}"
    page.mouse.click(*point)


def panel(page):
    return page.locator('[data-view="weight-edit"]')


def numbers(page) -> dict[str, float]:
    """The panel's numbers: exactly as sent (data-exact), and checked against the text shown."""
    out = {}
    for name in ("value", "gradient", "next"):
        cell = panel(page).locator(f'dd[data-value="{name}"]')
        exact = float(cell.get_attribute("data-exact"))
        shown = float(cell.inner_text().replace("−", "-"))
        assert abs(shown - exact) <= 1e-7 * max(1.0, abs(exact)), (name, shown, exact)
        out[name] = exact
    return out


def test_click_an_edge_and_a_cell_set_a_weight_and_the_link_replays_it(new_page, app_url, tmp_path):
    page = open_page(new_page, app_url, QUERY)
    errors = console_errors(page)
    click_button(page, "Step 10")
    assert iteration(page) == 10

    # An edge of the diagram, with the mouse: x1 -> h3 is W1[2, 0].
    click_edge(page, "x1->h3")
    expect(panel(page)).to_contain_text("W1[2, 0]: from x1 to h3")
    expected = engine(10).weight_detail(1, 2, 0)
    assert numbers(page) == {k: expected[k] for k in ("value", "gradient", "next")}
    assert panel(page).get_by_role("button", name="Switch h3 off").is_visible()

    # A cell of W2, with the keyboard: Tab stop on the matrix, arrow right, Enter.
    cell = page.locator('svg[data-view="weights"][data-layer="2"] rect[data-weight="2:0:0"]')
    cell.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(panel(page)).to_contain_text("W2[0, 1]: from h2 to out")
    expected = engine(10).weight_detail(2, 0, 1)
    assert numbers(page) == {k: expected[k] for k in ("value", "gradient", "next")}

    # A bad number is refused with a sentence; a good one is set.
    box = panel(page).locator("input.nn-edit-value")
    box.fill("abc")
    box.press("Enter")
    expect(panel(page).locator(".nn-edit-error")).to_contain_text("is not a number")
    panel(page).locator("input.nn-edit-value").fill("-1.75")
    panel(page).locator("input.nn-edit-value").press("Enter")
    expect(panel(page).locator('dd[data-value="value"]')).to_have_text("−1.75")
    panel(page).get_by_role("button", name="Switch h2 off").click()
    expect(panel(page).get_by_role("button", name="Switch h2 on")).to_be_visible()
    expect(page.locator('[data-node="h2"]')).to_have_class("nn-off")
    page.locator('[data-node="h2"]').hover()
    expect(page.locator(".nn-tip")).to_have_text("h2: switched off, its output held at 0")
    page.screenshot(path=str(tmp_path / "edited.png"), full_page=True)
    click_button(page, "Step")
    assert iteration(page) == 11

    # The engine by hand: 10 iterations, W2[0, 1] = -1.75, h2 off, one more.
    p = engine(10)
    net = p.trainer.network
    weights = [w.copy() for w in net.weights]
    weights[1][0, 1] = -1.75
    net.set_weights(weights)
    net.switch_off([(0, 1)])
    p.trainer.step(1)
    at, shown = saved_weights(page, tmp_path)
    assert at == 11 and all(np.array_equal(a, b) for a, b in zip(shown, net.weights))

    # The page's link in a fresh browser context (a student opening it): the same run.
    link = page.url
    assert "edit=2.0.1%4010%3A-1.75" in link and "off=h2%4010" in link and "at=11" in link
    fresh = new_page()
    fresh.goto(link)
    expect(fresh.locator('[data-node="h2"]')).to_have_class("nn-off")
    assert int(metric_value(fresh, "Iteration").replace(",", "")) == 11
    at, replayed = saved_weights(fresh, tmp_path)
    assert at == 11 and all(np.array_equal(a, b) for a, b in zip(replayed, net.weights))
    assert error_elements(page) == 0 and error_elements(fresh) == 0
    assert not errors, errors


def test_on_a_phone_a_first_tap_shows_the_value_and_a_second_opens_the_panel(new_page, app_url):
    page = open_on(new_page, app_url, PHONE, QUERY)
    cell = page.locator('svg[data-view="weights"] rect[data-weight="1:1:2"]')
    cell.scroll_into_view_if_needed()
    cell.tap()
    page.locator(".nn-tip").wait_for(state="visible", timeout=5_000)
    page.wait_for_timeout(500)
    assert panel(page).is_hidden()  # a tap shows the value, as before
    cell.tap()
    expect(panel(page)).to_contain_text("W1[1, 2]: from bias to h2")
    expect(panel(page)).to_be_in_viewport()  # brought up from the weights far below it
    expected = engine(0).weight_detail(1, 1, 2)
    assert numbers(page) == {k: expected[k] for k in ("value", "gradient", "next")}
    box = panel(page).locator("input.nn-edit-value").bounding_box()
    assert box["height"] >= 44  # for a finger
