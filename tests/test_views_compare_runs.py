"""Compare runs without a browser: pinned records, what tells runs apart, the figure, the table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.presets import PRESETS
from nnplay.problems import problem_name
from nnplay.views import compare_runs
from nnplay.views.colors import BLUE
from nnplay.views.compare_runs import CHANGES, TABLE_COLUMNS, RunLog

ROOT = Path(__file__).resolve().parents[1]


def stepped(config: RunConfig | None = None, n: int = 10) -> Playground:
    p = Playground(config or RunConfig())
    p.step(n)
    return p


# -- pinned records -----------------------------------------------------------------------

def test_a_pin_records_the_run_as_it_is_now():
    p = stepped(n=10)
    run = compare_runs.pin(p, "Run 1")
    assert run.label == "Run 1" and run.config == p.config
    assert run.iteration == 10
    assert run.final_error == p.trainer.last_error
    iterations, low, high = p.trainer.history.curve()
    np.testing.assert_array_equal(run.iterations, iterations)
    np.testing.assert_array_equal(run.high, high)
    np.testing.assert_array_equal(run.low, low)
    assert (run.rows_right, run.rows) == (p.solved_rows(), 4)


def test_a_pin_is_a_copy_that_later_training_leaves_alone():
    p = stepped(n=10)
    run = compare_runs.pin(p, "Run 1")
    p.step(50)
    assert run.iteration == 10
    assert len(run.iterations) == 10 and len(run.high) == 10


def test_a_pin_before_any_iteration_holds_the_starting_error():
    p = Playground()
    run = compare_runs.pin(p)
    assert run.iteration == 0
    assert run.final_error == pytest.approx(p.trainer.error())
    assert list(run.iterations) == [0] and run.high[0] == pytest.approx(run.final_error)


def test_solved_means_every_row_of_the_truth_table_right():
    p = Playground()
    p.play()
    while p.playing:
        p.frame()
    assert compare_runs.pin(p).solved
    stuck = stepped(PRESETS["stuck"].config, 200)
    assert not compare_runs.pin(stuck).solved


def test_the_same_run_pinned_twice_is_recognised():
    p = stepped()
    first, again = compare_runs.pin(p, "Run 1"), compare_runs.pin(p, "Run 2")
    assert first.same_run(again)
    p.step(1)
    assert not first.same_run(compare_runs.pin(p, "Run 2"))


def test_labels_count_up_from_the_highest_pinned():
    p = stepped()
    assert compare_runs.next_label([]) == "Run 1"
    runs = [compare_runs.pin(p, "Run 1"), compare_runs.pin(p, "Run 3")]
    assert compare_runs.next_label(runs) == "Run 4"
    assert compare_runs.next_label(runs[:1]) == "Run 2"


# -- what tells runs apart ---------------------------------------------------------------------

def pins_of(*configs: RunConfig) -> list[compare_runs.PinnedRun]:
    return [compare_runs.pin(Playground(c), f"Run {k + 1}") for k, c in enumerate(configs)]


def test_differences_name_only_the_settings_that_differ():
    base = RunConfig()
    runs = pins_of(base, base.replace(learning_rate=0.5), base.replace(learning_rate=0.5, seed=4))
    # In the settings table's order: the network's seed before the training's η.
    assert compare_runs.differences(runs) == ["seed 1, η 2", "seed 1, η 0.5", "seed 4, η 0.5"]
    assert compare_runs.differences(pins_of(base, base)) == ["", ""]
    assert compare_runs.differences(pins_of(base, base.replace(hidden=(3, 2)))) == [
        "(2, 4, 1)", "(2, 3, 2, 1)"]
    assert compare_runs.differences(pins_of(base, base.replace(activation="relu"))) == [
        "hidden tanh", "hidden relu"]


def test_momentum_is_a_difference_only_under_the_momentum_rule():
    base = RunConfig()
    assert compare_runs.differences(pins_of(base, base.replace(momentum=0.5))) == ["", ""]
    rolling = base.replace(optimizer="momentum")
    assert compare_runs.differences(pins_of(rolling, rolling.replace(momentum=0.5))) == [
        "momentum 0.9", "momentum 0.5"]


def test_a_penalty_reads_with_its_rate_and_problems_read_as_names():
    base = RunConfig()
    runs = pins_of(base, base.replace(regularization="l2", regularization_rate=0.01),
                   RunConfig(problem="set:spiral", n_points=40))
    assert compare_runs.differences(runs) == ["XOR, penalty none",
                                              "XOR, penalty l2, penalty rate 0.01",
                                              "spiral, 40 points, penalty none"]
    assert problem_name("custom:0110") == "custom 0110"
    assert problem_name("parity3") == "parity3"
    assert problem_name("csv") == "your CSV"


# -- the settings a run went through ----------------------------------------------------------

def test_a_run_log_sees_a_learning_rate_changed_part_way():
    p = Playground()
    log = RunLog.observe(None, p)
    assert log.replayable and log.describe() == ""
    p.step(10)
    p.apply(p.config.replace(learning_rate=0.5))
    log = RunLog.observe(log, p)
    assert not log.replayable
    assert log.describe() == "η 2 → 0.5 at iteration 10"
    p.step(5)
    p.apply(p.config.replace(loss="mse", learning_rate=1.0))
    log = RunLog.observe(log, p)
    assert log.describe() == "η 2 → 0.5 at iteration 10; η 0.5 → 1, loss sse → mse at iteration 15"


def test_changes_before_any_training_do_not_count():
    p = Playground()
    log = RunLog.observe(None, p)
    p.apply(p.config.replace(learning_rate=0.5))
    log = RunLog.observe(log, p)
    assert log.replayable
    p.step(10)
    p.apply(p.config.replace(learning_rate=1.0))
    log = RunLog.observe(log, p)
    p.apply(p.config.replace(learning_rate=0.5))  # and back, with no iteration between
    log = RunLog.observe(log, p)
    assert log.replayable


def test_a_reset_starts_a_new_log_and_a_loaded_run_says_so():
    p = stepped()
    log = RunLog.observe(None, p)
    p.apply(p.config.replace(learning_rate=0.5))
    log = RunLog.observe(log, p)
    assert not log.replayable
    p.reset()
    log = RunLog.observe(log, p)
    assert log.replayable
    other = stepped(n=25)
    p.load(other.config, other.trainer)
    log = RunLog.observe(log, p)
    assert log.loaded_at == 25 and not log.replayable
    assert log.describe() == "loaded at iteration 25"


def test_a_rewind_before_a_change_forgets_it():
    p = stepped(n=10)
    log = RunLog.observe(None, p)
    p.apply(p.config.replace(learning_rate=0.5))
    log = RunLog.observe(log, p)
    p.step(10)
    assert log.describe() == "η 2 → 0.5 at iteration 10"
    p.rewind(5)
    log = RunLog.observe(log, p)  # 0..5 at η 2, and η 0.5 from 5 on
    assert log.describe() == "η 2 → 0.5 at iteration 5"


def test_batches_and_penalties_are_training_settings_too():
    p = stepped(RunConfig(problem="set:circle", n_points=40), 10)
    log = RunLog.observe(None, p)
    p.apply(p.config.replace(batch_size=8, regularization="l2", regularization_rate=0.01))
    log = RunLog.observe(log, p)
    assert log.describe() == "batch full → 8, penalty none → l2 at iteration 10"


def test_a_pin_carries_the_logs_description():
    p = stepped()
    log = RunLog.observe(None, p)
    p.apply(p.config.replace(learning_rate=0.5))
    log = RunLog.observe(log, p)
    assert compare_runs.pin(p, "Run 1", log).changes == "η 2 → 0.5 at iteration 10"
    p.reset()  # the log belongs to the old trainer: it says nothing of the new one
    assert compare_runs.pin(p, "Run 2", log).changes == ""


# -- the figure ----------------------------------------------------------------------------------

def three_runs() -> tuple[list[compare_runs.PinnedRun], compare_runs.PinnedRun]:
    p = stepped(n=30)
    first = compare_runs.pin(p, "Run 1")
    p.apply(p.config.replace(learning_rate=0.5))
    p.step(40)
    second = compare_runs.pin(p, "Run 2")
    p.reset()
    p.step(5)
    return [first, second], compare_runs.pin(p)


def test_the_overlay_has_a_line_per_pinned_run_and_the_live_one_beneath_them():
    pinned, live = three_runs()
    fig = compare_runs.overlay_figure(pinned, live)
    assert len(fig.data) == 3
    bottom = fig.data[0]  # drawn first: the pinned dashes stay visible on top of it
    assert bottom.name == "Now (η 0.5)" and bottom.line.color == BLUE and bottom.line.dash is None
    assert [t.name for t in fig.data[1:]] == ["Run 1 (η 2)", "Run 2 (η 0.5)"]
    assert all(t.line.dash for t in fig.data[1:])
    assert len({t.line.color for t in fig.data}) == 3
    ranks = {t.name: t.legendrank for t in fig.data}
    assert ranks["Now (η 0.5)"] > ranks["Run 2 (η 0.5)"] > ranks["Run 1 (η 2)"]  # live last
    np.testing.assert_allclose(fig.data[1].y, pinned[0].high, rtol=1e-6)
    assert fig.layout.xaxis.range == (0, 70)  # the longest run


def test_the_overlay_can_use_a_log_scale_and_works_without_pins():
    pinned, live = three_runs()
    assert compare_runs.overlay_figure(pinned, live, log_scale=True).layout.yaxis.type == "log"
    assert compare_runs.overlay_figure(pinned, live).layout.yaxis.type == "linear"
    alone = compare_runs.overlay_figure([], live)
    assert [t.name for t in alone.data] == ["Now"]
    assert len(compare_runs.overlay_figure(pinned).data) == 2


def test_the_overlay_never_sends_nan_to_the_browser():
    p = Playground(RunConfig(learning_rate=1e5, activation="relu", output_activation="linear",
                             loss="mse"))
    p.step(50)
    fig = compare_runs.overlay_figure([], compare_runs.pin(p))
    assert np.all(np.isfinite(fig.data[0].y))


# -- the table -------------------------------------------------------------------------------------

def test_the_table_lists_settings_iterations_error_and_outcome():
    pinned, live = three_runs()
    table = compare_runs.comparison_table(pinned, live)
    assert list(table.columns) == TABLE_COLUMNS
    assert list(table["Run"]) == ["Run 1", "Run 2", "Now"]
    assert list(table["η"]) == [2.0, 0.5, 0.5]
    assert list(table["Iterations"]) == [30, 70, 5]
    assert list(table["Final error"]) == [r.final_error for r in (*pinned, live)]
    assert list(table["Shape"]) == ["(2, 4, 1)"] * 3
    assert set(table["Solved?"]) <= {"✓ yes", "✗ no"}
    assert all(cell.endswith("/ 4") for cell in table["Rows right"])


def test_the_table_says_which_runs_changed_settings_on_the_way():
    p = stepped()
    log = RunLog.observe(None, p)
    p.apply(p.config.replace(learning_rate=0.5))
    log = RunLog.observe(log, p)
    p.step(10)
    table = compare_runs.comparison_table([compare_runs.pin(p, "Run 1", log)])
    assert list(table.columns) == TABLE_COLUMNS + [CHANGES]
    assert table[CHANGES][0] == "η 2 → 0.5 at iteration 10"


def test_the_table_shows_momentum_with_its_rule_and_only_the_activations_used():
    rolling = compare_runs.pin(stepped(RunConfig(optimizer="momentum", momentum=0.8, learning_rate=0.3)))
    flat = compare_runs.pin(stepped(PRESETS["and"].config))
    table = compare_runs.comparison_table([rolling, flat])
    assert list(table["Optimiser"]) == ["momentum 0.8", "sgd"]
    assert list(table["Activations"]) == ["tanh → sigmoid", "sigmoid"]
    assert list(table["Shape"]) == ["(2, 4, 1)", "(2, 1)"]


def test_columns_for_features_batches_penalties_and_test_sets_appear_when_used():
    plain, = pins_of(RunConfig())
    assert list(compare_runs.comparison_table([plain]).columns) == TABLE_COLUMNS
    rich = pins_of(RunConfig(problem="set:circle", n_points=40, test_fraction=0.25, batch_size=8,
                             features=("x1", "x2", "x1_sq"), regularization="l1",
                             regularization_rate=0.001))[0]
    table = compare_runs.comparison_table([plain], rich)
    assert list(table.columns) == TABLE_COLUMNS + ["Features", "Batch", "Penalty", "Test error"]
    assert list(table["Features"]) == ["x1, x2", "x1, x2, x1²"]
    assert list(table["Batch"]) == ["full", "8"]
    assert list(table["Penalty"]) == ["none", "L1 0.001"]
    assert pd.isna(table["Test error"][0]) and table["Test error"][1] > 0
    assert list(table["Problem"]) == ["XOR", "circle"]
    assert list(table["Rows right"])[1].endswith("/ 30")  # the 30 training points


def test_the_settings_every_run_shares_are_told_once():
    pinned, live = three_runs()  # η 2, η 0.5 (continued), η 0.5 from a reset
    shown, shared = compare_runs.shown_columns(compare_runs.comparison_table(pinned, live))
    assert shown == ["Run", "η", "Iterations", "Final error", "Rows right", "Solved?"]
    assert shared["Problem"] == "XOR" and shared["Shape"] == "(2, 4, 1)" and shared["Seed"] == 1
    assert "Iterations" not in shared  # results always show, even when equal
    alone, shared_alone = compare_runs.shown_columns(compare_runs.comparison_table([], live))
    assert alone == ["Run", "Iterations", "Final error", "Rows right", "Solved?"]
    assert shared_alone["η"] == 0.5


def test_a_regression_has_no_solved():
    run, = pins_of(RunConfig(problem="set:plane", n_points=30, output_activation="linear",
                             loss="mse", learning_rate=0.05))
    assert not run.solved
    assert compare_runs.comparison_table([run])["Solved?"][0] == "–"


def test_a_diverged_run_is_not_solved():
    p = Playground(RunConfig(learning_rate=1e5, activation="relu", output_activation="linear",
                             loss="mse"))
    p.step(50)
    assert p.stop_reason == "diverged"
    run = compare_runs.pin(p)
    assert not run.solved
    assert compare_runs.comparison_table([run])["Solved?"][0] == "✗ diverged"


def test_the_compare_view_never_imports_streamlit():
    probe = "import sys, nnplay.views.compare_runs; print('streamlit' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
