"""A failure inside the page shows a sentence, keeps the run and hides the details from
visitors; the details go to the server's log."""

from __future__ import annotations

import tomllib
from pathlib import Path

from test_page import click, iteration, new_app, said

import ui.sidebar
from nnplay.app.playground import Playground

ROOT = Path(__file__).resolve().parents[1]


def broken(*args, **kwargs):
    raise RuntimeError("/srv/nnplay/secret.py: something internal")


def test_a_failing_live_view_says_so_in_a_sentence_and_the_run_goes_on(monkeypatch, caplog):
    at = new_app()
    click(at, "Step 10")
    monkeypatch.setattr(Playground, "truth_rows", broken)
    click(at, "Step")
    assert not at.exception
    errors = said(at)
    assert "Something went wrong in the live views" in errors and "Your run is kept" in errors
    assert "secret" not in errors
    assert "secret.py" in caplog.text  # the details went to the log
    monkeypatch.undo()
    click(at, "Step")
    assert not at.exception and not at.error and iteration(at) == 12


def test_a_failing_page_says_so_in_a_sentence(monkeypatch):
    at = new_app()
    monkeypatch.setattr(ui.sidebar, "sidebar_ui", broken)
    at.run()
    assert not at.exception
    assert "Something went wrong in the page" in said(at)


def test_visitors_never_see_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_a_failing_lab_panel_says_so_in_its_tab_and_the_page_goes_on(monkeypatch):
    import ui.lab_code

    monkeypatch.setattr(ui.lab_code, "code_export_ui", broken)
    at = new_app(tab="Show me the code")
    assert not at.exception
    assert "Something went wrong in the tab 'Show me the code'" in said(at)
    assert "secret" not in said(at)
    click(at, "Step")
    assert iteration(at) == 1
