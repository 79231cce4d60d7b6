import time
import pytest
from .helpers import click_button, error_elements, error_texts, metric_value, wait_for_app, wait_for_metric


def test_placeholder_step(app_page, new_page, app_url):
    assert metric_value(app_page, "Iteration") == "0"
    for i in range(1, 6):
        click_button(app_page, "Step")
        assert metric_value(app_page, "Iteration") == str(i)   # no waiting needed after click_button
    other = new_page(); other.goto(app_url); wait_for_app(other)
    assert metric_value(other, "Iteration") == "0"
    assert error_elements(app_page) == 0


def test_factory_and_errors(start_streamlit, new_page):
    srv = start_streamlit("/tmp/scratchapps/err_app.py")
    p = new_page(); p.goto(srv.url); wait_for_app(p)
    assert error_elements(p) == 1, error_texts(p)
    t = time.monotonic()
    click_button(p, "Slow")
    assert time.monotonic() - t > 1.9
    assert metric_value(p, "Iteration") == "10"
    assert wait_for_metric(p, "Loss", lambda v: float(v) < 0.1, timeout=5000) == "0.091"
    assert error_elements(p) == 2, error_texts(p)
    print(error_texts(p))
    with pytest.raises(AssertionError, match="last value '10'"):
        wait_for_metric(p, "Iteration", lambda v: v == "99", timeout=1000)


def test_intentional_failure_artifacts(app_page):
    assert metric_value(app_page, "Iteration") == "nope"
