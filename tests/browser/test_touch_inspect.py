"""Touch the network in Chromium (issue #15, items 1, 5 and 6): click a node and read its
numbers, play a Step in slow motion, show what the last update changed; each compared with
the engine's own numbers and the explainer's."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay.app.link import parse_query
from nnplay.app.playground import Playground
from nnplay.views import backprop_tables as bt

from .helpers import click_button, error_elements, error_texts, wait_for_metric
from .test_live import LIVE, console_errors, reference, saved_weights
from .test_page import iteration, open_page

QUERY = {"seed": "3", "hidden": "3"}
PANEL = '[data-view="node-detail"]'


def engine(query: dict[str, str] = QUERY, iterations: int = 0) -> Playground:
    p = Playground(parse_query(query).config)
    if iterations:
        p.step(iterations)
    return p


def panel_rows(page) -> dict[str, list[str]]:
    """Every row of the node panel's tables: its label's text, then its cells."""
    rows = page.locator(f"{PANEL} tbody tr")
    out = {}
    for k in range(rows.count()):
        cells = [c.strip() for c in rows.nth(k).locator("th, td").all_inner_texts()]
        out.setdefault(cells[0], cells[1:])
    return out


def open_node(page, name: str, iteration_shown: int | None) -> None:
    page.locator(f'svg[data-view="diagram"] [data-node="{name}"]').click()
    wait_for_panel(page, name, iteration_shown)


def wait_for_panel(page, name: str, iteration_shown: int | None) -> None:
    """Until the panel shows ``name``'s numbers (at ``iteration_shown``: an input has none)."""
    at = "" if iteration_shown is None else f"iteration {iteration_shown:,}"
    page.wait_for_function(f"""() => {{
        const panel = ({LIVE})().querySelector('{PANEL}');
        return panel && !panel.hidden && panel.querySelector('table')
            && panel.querySelector('b').textContent.startsWith('{name}: ')
            && panel.textContent.includes('{at}');
    }}""")


def test_a_clicked_node_shows_the_engines_numbers_and_follows_step(new_page, app_url):
    page = open_page(new_page, app_url, QUERY)
    errors = console_errors(page)
    open_node(page, "h2", 0)
    p = engine()
    step = bt.next_step(p.trainer)
    first = step.layers[0]
    rows = panel_rows(page)
    assert rows["xJ = sum"] == [bt.number(v) for v in first.x_J[1]]
    assert rows["OJ = f(xJ)"] == [bt.number(v) for v in first.O_J[1]]
    assert rows["δJ"] == [bt.number(v) for v in first.delta_J[1]]
    exact = page.locator(f"{PANEL} td[data-exact]").evaluate_all("cells => cells.map(c => c.dataset.exact)")
    stepped = engine(iterations=1).trainer.network.weights[0][1]
    assert [float(v) for v in exact] == stepped.tolist()  # the panel's new W is Step's, bit for bit
    click_button(page, "Step")
    wait_for_panel(page, "h2", 1)  # the panel follows the run
    assert panel_rows(page)["δJ"] == [bt.number(v) for v in bt.next_step(engine(iterations=1).trainer)
                                     .layers[0].delta_J[1]]
    # The keyboard: Tab to a node and press Enter; the output node's own numbers.
    page.locator('svg[data-view="diagram"] [data-node="out"]').focus()
    page.keyboard.press("Enter")
    wait_for_panel(page, "out", 1)
    out = bt.next_step(engine(iterations=1).trainer).layers[-1]
    assert panel_rows(page)["δK"] == [bt.number(v) for v in out.delta_J[0]]
    # One example: the explainer's numbers for that example alone.
    page.locator(PANEL).get_by_label("Example").select_option(label="Input 0 1")
    page.wait_for_function(f"() => ({LIVE})().querySelector('{PANEL} thead tr')?.cells.length === 2")
    alone = bt.build(engine(iterations=1).trainer, 2)
    assert panel_rows(page)["δK"] == list(alone.backward[0].equations[0].tables[-1].frame.loc["out"])
    page.locator(PANEL).get_by_role("button", name="Close the node panel").click()
    page.wait_for_function(f"() => ({LIVE})().querySelector('{PANEL}').hidden")
    open_node(page, "x1", None)  # the example chosen stays chosen: 0 1
    assert panel_rows(page)["x1"] == [bt.number(p.trainer.X[2, 0])]
    page.locator(PANEL).get_by_label("Example").select_option(index=0)  # the whole batch
    page.wait_for_function(f"() => ({LIVE})().querySelector('{PANEL} thead tr')?.cells.length === 5")
    assert panel_rows(page)["x1"] == [bt.number(v) for v in p.trainer.X[:, 0]]
    assert errors == [] and error_elements(page) == 0, (errors, error_texts(page))


SEEN = f"""() => {{
    const root = ({LIVE})();
    window.__seen = [];
    const overlay = root.querySelector('.nn-slow-values');
    new MutationObserver(() => {{
        for (const t of overlay.querySelectorAll('text')) {{
            window.__seen.push([t.dataset.node, t.dataset.symbol, t.textContent]);
        }}
    }}).observe(overlay, {{childList: true, subtree: true}});
}}"""


def test_slow_motion_shows_the_explainers_numbers_and_ends_as_step(new_page, app_url, tmp_path):
    page = open_page(new_page, app_url, QUERY)
    errors = console_errors(page)
    live = page.locator(".nn-live")
    live.get_by_label("Slow-motion pace").select_option("fast")
    page.evaluate(SEEN)
    live.get_by_role("button", name="Slow motion", exact=True).click()
    live.get_by_role("button", name="Skip to the end").wait_for()
    live.get_by_role("button", name="Pause", exact=True).click()  # slow motion's own pause
    held = page.evaluate("window.__seen.length")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__seen.length") == held  # nothing moves while paused
    assert iteration(page) == 0  # the screen shows the run before the step, on the way
    live.get_by_role("button", name="Go on").click()
    page.get_by_text("Done: the network is now exactly as Step leaves it").wait_for(timeout=30_000)
    wait_for_metric(page, "Iteration", lambda v: v == "1")
    seen = page.evaluate("window.__seen")
    step = bt.next_step(engine().trainer)
    e = 1  # none chosen: the first example whose inputs are not all zero, 1 1
    labels = [["h1", "h2", "h3"], ["out"]]
    for k, names in enumerate(labels):
        for i, name in enumerate(names):
            assert [name, "O", f"O {bt.number(step.layers[k].O_J[i, e])}"] in seen, name
            assert [name, "δ", f"δ {bt.number(step.layers[k].delta_J[i, e])}"] in seen, name
    iteration_saved, weights = saved_weights(page, tmp_path)
    assert iteration_saved == 1
    for got, expected in zip(weights, reference(QUERY, 1), strict=True):
        np.testing.assert_array_equal(got, expected)  # exactly what Step gives
    assert errors == [] and error_elements(page) == 0, (errors, error_texts(page))


def test_the_last_updates_change_on_the_heatmaps_and_the_diagram(new_page, app_url):
    page = open_page(new_page, app_url, QUERY)
    errors = console_errors(page)
    live = page.locator(".nn-live")
    click_button(page, "Step")
    live.get_by_text("Show ΔW of the last update").click()
    live.get_by_text("how much each weight moved in the last iteration (0 to 1)").wait_for()
    live.get_by_text("(exact; hover a cell for every digit)").wait_for()
    change = [after - before for before, after in zip(engine().trainer.network.weights,
                                                       reference(QUERY, 1), strict=True)]
    for k, matrix in enumerate(change):
        for (i, j), v in np.ndenumerate(matrix):
            cell = live.locator(f'svg[data-view="weights"] [data-weight="{k + 1}:{i}:{j}"]')
            assert float(cell.get_attribute("data-tip").split(" = ")[1]) == v  # every digit
            shown = live.locator(f'svg[data-view="weights"] [data-weight="{k + 1}:{i}:{j}"] + text')
            if v != 0:
                assert shown.text_content()[0] == ("+" if v > 0 else "-"), (k, i, j, v)
    most = max(np.abs(m).max() for m in change)
    live.get_by_text(f"the largest move is {float(f'{most:.3g}'):g}").wait_for()
    # Step 10: the change of those ten iterations, exact too.
    live.get_by_role("button", name="Step 10").click()
    live.get_by_text("how much each weight moved in the last 10 iterations (1 to 11)").wait_for()
    edges = live.locator('svg[data-view="diagram"] path[data-weight]')
    widths = [float(w) for w in edges.evaluate_all("es => es.map(e => e.getAttribute('stroke-width'))")]
    assert max(widths) > 2 * min(widths)  # the edge that moved most is drawn thickest
    live.get_by_text("Show ΔW of the last update").click()  # off: the weights again
    page.wait_for_function(f"""() => ({LIVE})().querySelector(
        'svg[data-view="weights"] [data-weight="1:0:0"] + text').textContent.includes('.')
        && !({LIVE})().querySelector('svg[data-view="weights"] [data-weight="1:0:0"] + text')
        .textContent.startsWith('+')""")
    assert errors == [] and error_elements(page) == 0, (errors, error_texts(page))


def test_while_playing_the_panel_waits_for_pause_then_shows_that_frames_numbers(new_page, app_url):
    page = open_page(new_page, app_url, {**QUERY, "speed": "1", "min": "0"})
    errors = console_errors(page)
    open_node(page, "h1", 0)
    click_button(page, "Play", wait=False)
    page.locator(PANEL).get_by_text("Playing: the numbers here are exact for one moment only").wait_for()
    page.wait_for_timeout(800)
    click_button(page, "Pause")
    paused = iteration(page)
    assert paused > 0
    wait_for_panel(page, "h1", paused)  # the frame on screen, which Pause returned to
    step = bt.next_step(engine(iterations=paused).trainer)
    assert panel_rows(page)["δJ"] == [bt.number(v) for v in step.layers[0].delta_J[0]]
    assert errors == [] and error_elements(page) == 0, (errors, error_texts(page))


# JS: how far each of the node panel's tables and the truth table reach past their box (px).
OVERFLOW = f"""() => {{
    const root = ({LIVE})();
    const panel = [...root.querySelectorAll('{PANEL} .nn-node-table')]
        .map(f => f.scrollWidth - f.clientWidth);
    const cell = root.querySelector('[data-cell="table"]').getBoundingClientRect();
    const table = root.querySelector('table[data-view="table"]').getBoundingClientRect();
    return {{panel, table: Math.round(table.right - Math.min(cell.right, window.innerWidth))}};
}}"""


@pytest.mark.parametrize("big", ["0", "1"])
def test_the_node_panel_and_the_truth_table_show_whole_on_a_projector(new_page, app_url, big):
    """At 1280 x 800 (a projector, in classroom mode too) the panel beside the diagram leaves
    too little room for the truth table as well: the table goes to the next line, and neither
    the panel's tables nor the truth table is cut or scrolls sideways."""
    page = open_page(new_page, app_url, {**QUERY, "big": big})
    open_node(page, "h1", 0)
    reach = page.evaluate(OVERFLOW)
    assert len(reach["panel"]) == 4 and max(reach["panel"]) <= 0 and reach["table"] <= 0, reach
    below = page.evaluate(f"""() => {{
        const root = ({LIVE})(), box = (s) => root.querySelector(s).getBoundingClientRect();
        return box('[data-cell="table"]').top >= box('{PANEL}').bottom;
    }}""")
    assert below  # on the next line, whole
    page.locator(f"{PANEL} .nn-node-close").click()  # closed: the table back beside the diagram
    page.wait_for_function(f"() => ({LIVE})().querySelector('{PANEL}').hidden")
    assert page.evaluate(f"""() => {{
        const root = ({LIVE})(), box = (s) => root.querySelector(s).getBoundingClientRect();
        return box('[data-cell="table"]').top < box('[data-cell="diagram"]').bottom;
    }}""")
