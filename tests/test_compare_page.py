"""The Compare runs panel on the real page (AppTest): pin, change a setting, pin again, compare."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from test_page import click, new_app

from nnplay.views.compare_runs import CHANGES, MAX_PINS


@pytest.fixture
def at() -> AppTest:
    return new_app(tab="Compare runs")


def table(at: AppTest):
    """The comparison table: the data frame with a 'Run' column."""
    frames = [d.value for d in at.dataframe if "Run" in d.value.columns]
    assert len(frames) == 1
    return frames[0]


def overlay(at: AppTest) -> dict:
    """The overlay chart's figure: the Plotly chart whose traces include the live run."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    matches = [s for s in specs if any(str(t.get("name", "")).startswith("Now")
                                       for t in s["data"])]
    assert len(matches) == 1
    return matches[0]


def pins(at: AppTest) -> list:
    return at.session_state["pinned_runs"]


def test_pin_change_the_learning_rate_step_and_pin_again(at):
    click(at, "Step 10")
    click(at, "Pin this run")
    at.number_input(key="learning_rate").set_value(0.5).run()
    click(at, "Step 10")
    click(at, "Pin this run")
    rows = table(at)
    assert list(rows["Run"]) == ["Run 1", "Run 2", "Now"]
    assert list(rows["η"]) == [2.0, 0.5, 0.5]
    assert list(rows["Iterations"]) == [10, 20, 20]
    p = at.session_state.playground
    assert rows["Final error"].iloc[-1] == p.trainer.last_error
    assert rows["Final error"].iloc[1] == p.trainer.last_error  # Run 2 is the run now
    assert list(rows[CHANGES]) == ["–", "η 2 → 0.5 at iteration 10", "η 2 → 0.5 at iteration 10"]
    names = [t["name"] for t in overlay(at)["data"]]
    assert sorted(names) == ["Now (η 0.5)", "Run 1 (η 2)", "Run 2 (η 0.5)"]
    shared = [c.value for c in at.caption if c.value.startswith("Every run has")]
    assert len(shared) == 1 and "Problem **XOR**" in shared[0] and "η" not in shared[0]


def test_without_pins_there_is_no_chart_only_the_table_and_how_to_pin(at):
    assert not at.get("plotly_chart")
    assert list(table(at)["Run"]) == ["Now"]
    assert any("Pin this run" in c.value for c in at.caption)
    assert "Remove" not in [b.label for b in at.button]


def test_pinning_the_same_run_twice_keeps_one_pin(at):
    click(at, "Step 10")
    click(at, "Pin this run")
    click(at, "Pin this run")
    assert len(pins(at)) == 1
    assert any("already pinned as Run 1" in i.value for i in at.info)


def test_pins_outlive_a_reset_and_a_new_network(at):
    click(at, "Step 10")
    click(at, "Pin this run")
    click(at, "Reset")
    at.slider(key="n_hidden").set_value(2).run()
    click(at, "Step 10")
    click(at, "Pin this run")
    rows = table(at)
    assert list(rows["Shape"]) == ["(2, 4, 1)", "(2, 4, 4, 1)", "(2, 4, 4, 1)"]
    assert CHANGES not in rows.columns  # no run changed its settings part-way


def test_remove_one_pin_then_clear_them_all(at):
    for _ in range(3):
        click(at, "Step 10")
        click(at, "Pin this run")
    assert [r.label for r in pins(at)] == ["Run 1", "Run 2", "Run 3"]
    at.selectbox(key="compare_choice").set_value("Run 2").run()
    click(at, "Remove")
    assert [r.label for r in pins(at)] == ["Run 1", "Run 3"]
    assert list(table(at)["Run"]) == ["Run 1", "Run 3", "Now"]
    click(at, "Step 10")
    click(at, "Pin this run")
    assert pins(at)[-1].label == "Run 4"  # numbers are not reused while pins remain
    click(at, "Clear pins")
    assert pins(at) == []
    assert list(table(at)["Run"]) == ["Now"]


def test_at_most_eight_pins(at):
    for _ in range(MAX_PINS):
        click(at, "Step")
        click(at, "Pin this run")
    assert len(pins(at)) == MAX_PINS
    pin_button = [b for b in at.button if b.label == "Pin this run"][0]
    assert pin_button.disabled
    assert len(overlay(at)["data"]) == MAX_PINS + 1


def test_the_log_scale_toggle(at):
    click(at, "Step 10")
    click(at, "Pin this run")
    assert overlay(at)["layout"]["yaxis"]["type"] == "linear"
    at.toggle(key="compare_log").set_value(True).run()
    assert overlay(at)["layout"]["yaxis"]["type"] == "log"


def test_a_point_set_run_beside_a_gate_run(at):
    click(at, "Step 10")
    click(at, "Pin this run")
    at.selectbox(key="problem").set_value("set:circle").run()
    click(at, "Step 10")
    click(at, "Pin this run")
    rows = table(at)
    assert list(rows["Problem"]) == ["XOR", "circle", "circle"]
    assert "Test error" in rows.columns  # the circle holds half its points out
    assert rows["Rows right"].iloc[1].endswith("/ 100")
    names = sorted(t["name"] for t in overlay(at)["data"])
    assert names[0].startswith("Now (circle") and names[1].startswith("Run 1 (XOR")
