"""The teaching lab in the browser: the explainer's prediction and the seeds lab."""

from __future__ import annotations

import ast
import json

import numpy as np

from .helpers import click_button, error_elements, error_texts, expect_rerun, metric_value
from .test_page import iteration, open_page


def open_tab(page, name: str) -> None:
    """Choose a lab tab: the page reruns to draw it (only the chosen tab is drawn)."""
    with expect_rerun(page):
        page.get_by_role("tab", name=name).click()
    page.get_by_role("tab", name=name, selected=True).wait_for(timeout=10_000)


def downloaded_weights(page, tmp_path) -> list[np.ndarray]:
    page.get_by_text("Keep your work").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download run (JSON)").click()
    path = tmp_path / "run.json"
    download.value.save_as(path)
    page.get_by_text("Keep your work").click()  # fold it again
    return [np.array(w) for w in json.loads(path.read_text())["run"]["weights"]]


def test_step_gives_exactly_the_weights_the_explainer_predicted(new_page, app_url, tmp_path):
    page = open_page(new_page, app_url, {"seed": "3"})
    open_tab(page, "Back propagation, step by step")
    panel = page.get_by_role("tabpanel", name="Back propagation, step by step")
    assert "Step will give exactly these weights" in panel.inner_text() or "exactly" in (
        panel.inner_text())
    panel.get_by_text("The new weights at full precision").click()
    code = panel.locator("code").filter(has_text="new_weights = [").first.inner_text()
    predicted = ast.literal_eval(code.split("=", 1)[1].strip())
    click_button(page, "Step")
    assert iteration(page) == 1
    for expected, actual in zip(predicted, downloaded_weights(page, tmp_path), strict=True):
        np.testing.assert_array_equal(actual, np.array(expected))  # bit for bit
    assert error_elements(page) == 0, error_texts(page)


def test_the_seeds_lab_runs_and_opens_a_seed(new_page, app_url):
    page = open_page(new_page, app_url)
    open_tab(page, "Seeds lab")
    with expect_rerun(page, timeout=120_000):
        page.get_by_role("button", name="Run the seeds lab").click()
    solved = metric_value(page, "Solved", timeout=60_000)
    assert solved == "100%", solved  # the fast default solves XOR from every seed
    assert int(metric_value(page, "Median iterations to solve").replace(",", "")) < 300
    click_button(page, "Step 10")
    assert iteration(page) == 10
    with expect_rerun(page):
        page.get_by_role("button", name="Open this seed in the main view").click()
    assert iteration(page) == 0
    assert error_elements(page) == 0, error_texts(page)


def test_the_sweep_lab_fills_its_heatmaps_and_a_click_opens_a_cell(new_page, app_url):
    page = open_page(new_page, app_url)
    open_tab(page, "Sweep lab")
    panel = page.get_by_role("tabpanel", name="Sweep lab")
    for label, value in (("Row values", "0.5, 2"), ("Column values", "1, 3")):
        field = panel.get_by_role("textbox", name=label)
        field.fill(value)
        with expect_rerun(page):
            field.press("Enter")
    with expect_rerun(page, timeout=120_000):
        panel.get_by_role("button", name="Run the sweep").click()
    panel.get_by_text("Done: 4 of 4 cells").wait_for(timeout=60_000)
    shares = panel.locator(".js-plotly-plot").first
    shares.scroll_into_view_if_needed()
    shares.locator("text", has_text="%").first.wait_for(timeout=10_000)  # the cells' shares
    # Click the cell η 2, hidden size 3: the lower right of the 2 x 2 grid (rows run down).
    box = shares.locator(".nsewdrag").first.bounding_box()
    # The charts sit in the sweep's fragment: the click reruns that fragment, not the page.
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.75)
    cell = panel.get_by_role("combobox", name="Cell")
    page.wait_for_function(
        "e => e.value.startsWith('Learning rate η 2, hidden size (nodes per hidden layer) 3:')",
        arg=cell.element_handle(), timeout=10_000)
    with expect_rerun(page):
        panel.get_by_role("button", name="Open in the main view").click()
    page.get_by_text("(2, 3, 1)").first.wait_for(timeout=10_000)  # the sidebar's shape
    assert iteration(page) == 0
    assert error_elements(page) == 0, error_texts(page)
