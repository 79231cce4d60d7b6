"""The sweep lab in the real page, driven by Streamlit's AppTest.

AppTest runs each fragment once per ``run()``: while the sweep runs, every run trains the
next cells, as the browser's timer does.
"""

from __future__ import annotations

import json

import numpy as np
from streamlit.testing.v1 import AppTest
from test_page import new_app, playground

from nnplay.config import RunConfig
from nnplay.views import seeds_report
from nnplay.views.sweep_report import heatmap
from ui import lab_sweep

TAB = "Sweep lab"


def charts(at: AppTest) -> list[dict]:
    """The plotly figures on the page (``AppTest`` exposes them as unknown elements)."""
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def set_up(at: AppTest, rows="learning_rate", rows_values="0.5, 2", columns="hidden",
           columns_values="1, 3", seeds=20, iterations=300) -> AppTest:
    at.selectbox(key="sweep_rows").set_value(rows).run()
    at.text_input(key="sweep_rows_values").set_value(rows_values)
    at.selectbox(key="sweep_columns").set_value(columns).run()
    if columns != "none":
        at.text_input(key="sweep_columns_values").set_value(columns_values)
    at.slider(key="sweep_seeds").set_value(seeds)
    at.number_input(key="sweep_iterations").set_value(iterations)
    return at.run()


def press(at: AppTest, key: str) -> AppTest:
    [b for b in at.button if b.key == key][0].click().run()
    assert not at.exception, at.exception
    return at


def run_to_the_end(at: AppTest, limit: int = 30) -> None:
    for _ in range(limit):
        if not at.session_state["sweep_running"]:
            return
        at.run()
        assert not at.exception, at.exception
    raise AssertionError("the sweep did not finish")


def test_the_sweep_fills_its_heatmaps_and_each_cell_is_the_seeds_labs():
    at = set_up(new_app(tab=TAB))
    press(at, "sweep_run")
    sweep = at.session_state["sweep"]
    run_to_the_end(at)
    assert sweep.done and len(sweep.cells) == 4
    config = playground(at).config
    for (i, j), cell in sweep.cells.items():
        assert cell.config == config.replace(learning_rate=(0.5, 2.0)[i], hidden=((1,), (3,))[j])
        lab = seeds_report.run_lab(cell.config, range(20), 300).result
        np.testing.assert_array_equal(cell.iterations, lab.iterations)
        np.testing.assert_array_equal(cell.solved, lab.solved)
    figures = charts(at)
    assert [f["layout"]["title"]["text"] for f in figures[-2:]] == [
        "Share of seeds solved", "Median iterations to solve"]
    shares = figures[-2]["data"][0]["text"]
    assert shares == [list(row) for row in heatmap(sweep, "solved_share").data[0].text]
    assert any("Done: 4 of 4 cells" in c.value for c in at.caption)


def test_cancel_stops_between_groups_and_keeps_the_cells_done(monkeypatch):
    monkeypatch.setattr(lab_sweep, "SECONDS_PER_RUN", 0.0)  # one group of cells per run
    at = set_up(new_app(tab=TAB), rows="hidden", rows_values="1, 2, 3, 4", columns="none",
                seeds=20, iterations=200)
    press(at, "sweep_run")
    assert len(at.session_state["sweep"].cells) == 1 and at.session_state["sweep_running"]
    at.run()
    assert len(at.session_state["sweep"].cells) == 2
    press(at, "sweep_cancel")
    done = len(at.session_state["sweep"].cells)
    at.run()
    at.run()
    assert len(at.session_state["sweep"].cells) == done and not at.session_state["sweep_running"]
    assert any("Cancelled:" in c.value for c in at.caption)


def test_a_cell_opens_in_the_main_view():
    at = set_up(new_app(tab=TAB), columns="activation", columns_values="tanh, relu")
    press(at, "sweep_run")
    run_to_the_end(at)
    at.selectbox(key="sweep_cell").set_value((1, 1)).run()
    press(at, "sweep_open")
    at.run()
    p = playground(at)
    assert p.config == RunConfig().replace(learning_rate=2.0, activation="relu", seed=0)
    assert p.trainer.iteration == 0


def test_bad_values_get_a_sentence_and_no_sweep():
    at = set_up(new_app(tab=TAB), rows_values="0.5, -2")
    press(at, "sweep_run")
    assert "The learning rate η value '-2' is outside (0, 1e+06]." in [e.value for e in at.error]
    assert "sweep" not in at.session_state and not at.session_state["sweep_running"]
    set_up(at, rows="optimizer", rows_values="sgd", columns="optimizer", columns_values="adam")
    press(at, "sweep_run")
    assert any("another setting for the columns" in e.value for e in at.error)
