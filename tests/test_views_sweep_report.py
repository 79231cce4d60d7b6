"""The sweep lab's words and figures, without a browser: values typed for an axis, heatmaps."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay.config import RunConfig
from nnplay.sweep import Axis, Cell, Sweep
from nnplay.views import sweep_report


@pytest.mark.parametrize(("name", "text", "config", "values"), [
    ("learning_rate", "0.1, 1,10", RunConfig(), (0.1, 1.0, 10.0)),
    ("hidden", "1, 4", RunConfig(), ((1,), (4,))),
    ("hidden", "3", RunConfig(hidden=(4, 2)), ((3, 3),)),  # every hidden layer
    ("hidden", "2", RunConfig(hidden=()), ((2,),)),
    ("activation", " relu ,tanh", RunConfig(), ("relu", "tanh")),
    ("optimizer", "adam", RunConfig(), ("adam",)),
    ("batch_size", "1, all", RunConfig(), (1, None)),
])
def test_values_are_read_as_the_grid_gives_them(name, text, config, values):
    assert sweep_report.parse_values(name, text, config) == values


@pytest.mark.parametrize(("name", "text", "message"), [
    ("learning_rate", "0.1, x", "The learning rate η value 'x' is not a number."),
    ("hidden", "0", "The hidden size (nodes per hidden layer) value '0' is not a number of nodes "
                    "from 1 to 16."),
    ("optimizer", "sgd, sgd", "The optimiser values must be 1 to 10 different values separated "
                              "by commas. Got 'sgd, sgd' instead."),
    ("learning_rate", ",".join(map(str, range(1, 12))), "must be 1 to 10 different values"),
    ("activation", "softmax", "The hidden activation value 'softmax' is not one of"),
])
def test_bad_values_get_a_sentence(name, text, message):
    with pytest.raises(ValueError) as raised:
        sweep_report.parse_values(name, text, RunConfig())
    assert message in str(raised.value)


def fake_sweep() -> Sweep:
    """A 2 x 2 grid with two cells filled in by hand: 3 of 4 solved in 10, 20, 40 iterations;
    none solved."""
    sweep = Sweep(RunConfig(), Axis("learning_rate", (0.5, 2.0)), Axis("hidden", ((1,), (3,))),
                  range(4), 100)
    sweep.cells[0, 1] = Cell(sweep.configs[0, 1], np.array([10, 20, 100, 40]),
                             np.array([True, True, False, True]), np.zeros(4, bool), np.zeros(4))
    sweep.cells[1, 0] = Cell(sweep.configs[1, 0], np.full(4, 100), np.zeros(4, bool),
                             np.zeros(4, bool), np.ones(4))
    return sweep


def test_the_heatmaps_show_finished_cells_and_leave_the_rest_blank():
    sweep = fake_sweep()
    share = sweep_report.heatmap(sweep, "solved_share").data[0]
    assert share.x == ("1", "3") and share.y == ("0.5", "2")
    assert [list(row) for row in share.text] == [["", "75%"], ["0%", ""]]
    np.testing.assert_array_equal(np.array(share.z, dtype=float),
                                  [[np.nan, 0.75], [0.0, np.nan]])
    median = sweep_report.heatmap(sweep, "median_iterations").data[0]
    assert [list(row) for row in median.text] == [["", "20"], ["–", ""]]  # median of 10, 20, 40
    assert median.zmax == 100
    # A click lands on an invisible point at each cell's centre (heatmap cells cannot be selected).
    centres = sweep_report.heatmap(sweep, "solved_share").data[1]
    assert list(zip(centres.x, centres.y)) == [("1", "0.5"), ("3", "0.5"), ("1", "2"), ("3", "2")]
    assert list(centres.text) == ["not yet", "75%", "0%", "not yet"]


def test_a_cell_reads_as_its_settings_and_its_numbers():
    sweep = fake_sweep()
    assert sweep_report.cell_options(sweep) == [(0, 1), (1, 0)]
    assert sweep_report.cell_label(sweep, (0, 1)) == (
        "Learning rate η 0.5, hidden size (nodes per hidden layer) 3: 75% solved, median 20 "
        "iterations")
    assert sweep_report.cell_label(sweep, (1, 0)).endswith("1: 0% solved")
    assert sweep_report.progress_text(sweep).startswith("2 of 4 cells, 4 seeds each")
