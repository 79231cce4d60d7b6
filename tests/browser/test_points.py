"""A 2-D data set in the browser: the spiral, learned from sin features to a high test accuracy."""

from __future__ import annotations

from .helpers import click_button, error_elements, error_texts, metric_value, wait_for_metric
from .test_page import open_page

SPIRAL = {"data": "spiral", "hidden": "8,8", "feat": "x1,x2,sin_x1,sin_x2", "split": "0.5",
          "opt": "adam", "lr": "0.03", "loss": "cross_entropy", "min": "0", "max": "600",
          "speed": "max", "seed": "1"}


def test_the_spiral_with_sin_features_reaches_a_high_test_accuracy(new_page, app_url):
    page = open_page(new_page, app_url, SPIRAL)
    surface = page.locator('svg[data-view="surface"]')
    assert page.locator("canvas.nn-raster").count() == 1  # the decision surface is drawn
    assert surface.locator("circle").count() == 200  # 100 training and 100 test points
    click_button(page, "Play", wait=False)
    wait_for_metric(page, "Iteration", lambda v: v.replace(",", "") == "600", timeout=120_000)
    page.get_by_text("Stopped at the maximum of 600").wait_for(timeout=30_000)
    accuracy = wait_for_metric(page, "Test accuracy", lambda v: v.endswith("%"))
    assert float(accuracy.rstrip("%")) >= 90.0, accuracy
    assert float(metric_value(page, "Error")) < 0.1
    confusion = page.locator('table[data-view="table"] tbody tr')
    assert confusion.count() == 2
    assert error_elements(page) == 0, error_texts(page)
