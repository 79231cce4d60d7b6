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
