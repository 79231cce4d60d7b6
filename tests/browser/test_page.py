"""The playground in a real browser: what a student sees and does.

Each test opens the page in headless Chromium (its own browser context, so
its own Streamlit session) and asserts on what is drawn: metrics, charts,
the diagram, the truth table, alerts.
"""

from __future__ import annotations

import json
import time
import urllib.parse

from .helpers import (
    click_button,
    error_elements,
    error_texts,
    expect_rerun,
    metric_value,
    wait_for_app,
    wait_for_metric,
)

PLAY_TIMEOUT = 90_000  # ms: a busy 2-core CI machine draws slowly


def open_page(new_page, app_url, query: dict[str, str] | None = None):
    page = new_page()
    url = app_url + ("/?" + urllib.parse.urlencode(query) if query else "")
    page.goto(url)
    wait_for_app(page)
    return page


def iteration(page) -> int:
    return int(metric_value(page, "Iteration").replace(",", ""))


def error(page) -> float:
    return float(metric_value(page, "Error"))


def truth_table(page) -> list[list[str]]:
    rows = page.locator('table[data-view="table"] tbody tr')
    return [[cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
            for i in range(rows.count())]


def views_drawn(page) -> dict[str, int]:
    """How many of each thing the views draw (the live area sits in an open shadow root,
    which Playwright's CSS locators pierce)."""
    count = {
        "surface_rasters": 'canvas.nn-raster',
        "surface_points": 'svg[data-view="surface"] circle',
        "weight_cells": 'svg[data-view="weights"] rect[data-weight]',
        "diagram_nodes": 'svg[data-view="diagram"] [data-node]',
        "plotly_charts": '[data-testid="stPlotlyChart"]',
        "table_rows": 'table[data-view="table"] tbody tr',
    }
    drawn = {name: page.locator(css).count() for name, css in count.items()}
    drawn["node_maps"] = page.locator("canvas.nn-maps").evaluate(PAINTED_NODES)
    drawn["curve_pixels"] = page.locator("canvas.nn-curve-lines").evaluate(PAINTED_PIXELS)
    return drawn


# In the page: how many pixels of a canvas are painted (not transparent).
PAINTED_PIXELS = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let k = 3; k < data.length; k += 4) painted += data[k] > 0;
  return painted;
}"""


# In the page: how many of the diagram's nodes have their map painted on the canvas beneath
# them (the pixel at the middle of each node's square is not the page's white, which the
# opaque canvas has wherever no map is: its top left corner must be that white, not black).
PAINTED_NODES = """canvas => {
  const box = canvas.getBoundingClientRect(), ctx = canvas.getContext("2d");
  const white = (x, y) => ctx.getImageData(Math.floor(x), Math.floor(y), 1, 1).data.every(v => v === 255);
  if (!white(1, 1)) return -1;
  return [...canvas.parentNode.querySelectorAll("[data-node] rect:first-child")].filter(rect => {
    const r = rect.getBoundingClientRect();
    return !white((r.left + r.width / 2 - box.left) * canvas.width / box.width,
                  (r.top + r.height / 2 - box.top) * canvas.height / box.height);
  }).length;
}"""


def test_every_view_is_drawn_and_nothing_is_wrong(new_page, app_url):
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = time.monotonic()
    page.goto(app_url)
    wait_for_app(page)
    page.locator('canvas.nn-maps[data-maps="7"]').wait_for(timeout=30_000)
    print(f"\nall views drawn {time.monotonic() - start:.2f} s after navigation")
    drawn = views_drawn(page)
    assert drawn["surface_rasters"] == 1 and drawn["surface_points"] == 4  # the truth table's
    assert drawn["curve_pixels"] > 20  # the error curve: its point at iteration 0, at least
    assert drawn["weight_cells"] == 4 * 3 + 1 * 5  # (2, 4, 1): a cell per weight, bias included
    assert drawn["plotly_charts"] == 0  # nothing loads Plotly's script on a first visit
    assert drawn["diagram_nodes"] == 7  # (2, 4, 1)
    assert drawn["node_maps"] == 7  # a map in every node
    assert drawn["table_rows"] == 4
    assert iteration(page) == 0
    assert error(page) > 0.5
    assert error_elements(page) == 0, error_texts(page)
    assert errors == []


def test_play_learns_xor_pause_stops_and_the_run_ends_solved(new_page, app_url):
    page = open_page(new_page, app_url)
    first_error = error(page)
    click_button(page, "Play", wait=False)
    climbing = wait_for_metric(page, "Iteration", lambda v: int(v) >= 10, timeout=PLAY_TIMEOUT)
    assert int(climbing) >= 10
    click_button(page, "Pause", wait=False)
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # a frame already on its way may still land
    paused = iteration(page)
    page.wait_for_timeout(1500)
    assert iteration(page) == paused, "Pause did not stop the iterations"
    assert error(page) < first_error, "the error did not fall while playing"

    click_button(page, "Play", wait=False)
    status = page.locator(".nn-status.success").filter(has_text="reached the minimum error")
    status.wait_for(timeout=PLAY_TIMEOUT)  # the run stopped by itself, and says why
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    assert error(page) <= 0.01
    rows = truth_table(page)
    assert len(rows) == 4 and all(row[-1].startswith("✓") for row in rows), rows
    assert metric_value(page, "Rows right") == "4 / 4"


def test_step_advances_one_iteration_and_reset_returns_to_zero(new_page, app_url):
    page = open_page(new_page, app_url)
    click_button(page, "Step")
    assert iteration(page) == 1
    click_button(page, "Step")
    assert iteration(page) == 2
    click_button(page, "Step 10")
    assert iteration(page) == 12
    click_button(page, "Reset")
    assert iteration(page) == 0


def test_a_link_opens_that_configuration_and_reproduces_the_run(new_page, app_url):
    query = {"gate": "nand", "hidden": "3,2", "act": "sigmoid", "lr": "0.7", "seed": "42"}
    first = open_page(new_page, app_url, query)
    sidebar = first.get_by_test_id("stSidebar")
    assert "(2, 3, 2, 1)" in sidebar.inner_text()
    assert "learn NAND" in first.locator("h3").first.inner_text()
    assert metric_value(first, "Learning rate η") == "0.7"
    second = open_page(new_page, app_url, query)
    for page in (first, second):
        click_button(page, "Step 10")
    assert iteration(first) == iteration(second) == 10
    assert metric_value(first, "Error") == metric_value(second, "Error")


def test_a_bad_link_warns_and_the_page_still_works(new_page, app_url):
    page = open_page(new_page, app_url, {"lr": "fast", "hidden": "0", "gate": "maybe"})
    warnings = " ".join(page.get_by_test_id("stAlertContentWarning").all_inner_texts())
    for name in ("'lr'", "'hidden'", "'gate'"):
        assert name in warnings, warnings
    assert error_elements(page) == 0, error_texts(page)
    click_button(page, "Step")
    assert iteration(page) == 1


def test_download_reload_upload_brings_the_run_back(new_page, app_url, tmp_path):
    page = open_page(new_page, app_url)
    click_button(page, "Step 10")
    click_button(page, "Step")
    saved_error = metric_value(page, "Error")
    page.get_by_text("Keep your work").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download run (JSON)").click()
    path = tmp_path / "run.json"
    download.value.save_as(path)
    assert json.loads(path.read_text())["run"]["iteration"] == 11

    page.goto(app_url)  # the page's own address (at=11) would train back to iteration 11
    wait_for_app(page)
    assert iteration(page) == 0  # a new session
    page.get_by_text("Keep your work").click()
    with expect_rerun(page):
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)
    wait_for_metric(page, "Iteration", lambda v: v == "11", timeout=30_000)
    assert metric_value(page, "Error") == saved_error

    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"format": "nnplay-page-run", "version": 1, "config": 3}')
    with expect_rerun(page):
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(garbage)
    message = page.get_by_test_id("stAlertContentError").inner_text(timeout=30_000)
    assert "not a valid nnplay run" in message and "unchanged" in message
    assert iteration(page) == 11


def test_two_browsers_at_once_do_not_see_each_others_state(new_page, app_url):
    one = open_page(new_page, app_url, {"lr": "0.5", "seed": "3"})
    two = open_page(new_page, app_url, {"gate": "or", "hidden": "2"})
    click_button(one, "Step 10")
    click_button(two, "Step")
    assert iteration(one) == 10 and iteration(two) == 1
    assert metric_value(one, "Learning rate η") == "0.5"
    assert metric_value(two, "Learning rate η") == "2"
    assert "(2, 2, 1)" in two.get_by_test_id("stSidebar").inner_text()
    two.goto(app_url + "/?gate=or&hidden=2")  # not its address, which holds at=1
    wait_for_app(two)
    assert iteration(two) == 0
    assert iteration(one) == 10
