"""Smoke tests that hold for any version of the page: it loads, shows "nnplay" or the
``Iteration`` metric, and shows no exception or error."""

from __future__ import annotations

import re

from .helpers import error_elements, error_texts, metric, wait_for_app


def test_page_loads_without_errors(page, app_url):
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))

    response = page.goto(app_url)
    assert response is not None and response.ok, f"GET {app_url} -> {response and response.status}"
    wait_for_app(page)

    title = page.get_by_test_id("stHeading").filter(has_text=re.compile(r"nnplay", re.I))
    assert title.count() > 0 or metric(page, "Iteration").count() == 1, (
        "neither a heading containing 'nnplay' nor a metric labelled 'Iteration' is shown"
    )
    visible = title.first if title.count() else metric(page, "Iteration")
    assert visible.is_visible()

    state = page.get_by_test_id("stApp").get_attribute("data-test-script-state")
    assert state == "notRunning", f"script state after the first run is {state!r}"
    assert error_elements(page) == 0, f"the page shows errors: {error_texts(page)}"
    assert page_errors == [], f"JavaScript errors in the page: {page_errors}"


def test_sessions_are_independent_and_fresh(new_page, app_url):
    # Two browser contexts are two Streamlit sessions: both start from a clean run.
    first, second = new_page(), new_page()
    for tab in (first, second):
        tab.goto(app_url)
    for tab in (first, second):
        wait_for_app(tab)
        assert error_elements(tab) == 0, f"the page shows errors: {error_texts(tab)}"
