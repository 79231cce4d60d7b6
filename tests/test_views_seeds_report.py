"""The seeds lab's numbers, words and figures (``nnplay.views.seeds_report``), without a server.

The lab's promise is that each seed's line is the run the main view would
make from that seed, so its numbers are checked against
``RunConfig.replace(seed=s).trainer().run(max_iterations, min_error)``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnplay.config import RunConfig
from nnplay.presets import PRESETS
from nnplay.views import seeds_report

# The tutorial's (2, 2, 1) network with a larger step and stop error: within 1,000
# iterations some seeds solve XOR, some learn the rows only, some stay on the plateau.
MIXED = RunConfig(hidden=(2,), activation="sigmoid", init="tutorial", learning_rate=3.0,
                  min_error=0.1)
# Linear everywhere with mse at 0.3: some seeds overflow, the others do not.
DIVERGING = RunConfig(hidden=(4,), activation="linear", output_activation="linear", init="he",
                      loss="mse", learning_rate=0.3, min_error=0.0)
CASES = {
    "mixed": (MIXED, 1000),
    "fast-preset": (RunConfig(), 300),
    "diverging": (DIVERGING, 300),
    "tutorial-start": (PRESETS["tutorial"].config, 2000),
}
SEEDS = seeds_report.lab_seeds(0, 30)
SAMPLE = [0, 1, 4, 9, 16, 23, 29]


@pytest.fixture(scope="module")
def labs() -> dict[str, seeds_report.SeedsLab]:
    return {name: seeds_report.run_lab(config, SEEDS, its) for name, (config, its) in CASES.items()}


@pytest.mark.parametrize("case", CASES)
def test_each_seed_agrees_with_its_single_run(labs, case):
    config, max_iterations = CASES[case]
    lab = labs[case]
    np.testing.assert_array_equal(lab.seeds, list(SEEDS))
    for seed in SAMPLE:
        trainer = config.replace(seed=seed).trainer()
        ran = trainer.run(max_iterations, config.min_error)
        i = seed - SEEDS.start
        assert lab.result.iterations[i] == ran
        assert lab.result.diverged[i] == (trainer.divergence is not None)
        solved = trainer.divergence is None and trainer.last_error <= config.min_error
        assert lab.result.solved[i] == solved
        assert lab.result.final_error[i] == pytest.approx(trainer.last_error, rel=1e-12)
        outputs = trainer.network.predict(trainer.X)
        np.testing.assert_allclose(lab.outputs[i], outputs, rtol=1e-10, atol=1e-12)
        right = int(np.all(np.abs(outputs - trainer.y) < 0.5, axis=1).sum())
        assert lab.rows_right[i] == right
        expected = ("diverged" if trainer.divergence else "solved" if solved
                    else "learned" if right == len(trainer.X) else "stuck")
        assert lab.outcome[i] == expected


def test_the_cases_cover_every_outcome(labs):
    """The comparisons above mean something only if each outcome really occurs."""
    mixed = labs["mixed"]
    assert mixed.count("solved") and mixed.count("learned") and mixed.count("stuck")
    assert 0 < labs["diverging"].count("diverged") < len(SEEDS)
    assert labs["fast-preset"].count("solved") == len(SEEDS)
    tutorial = labs["tutorial-start"]
    assert tutorial.count("stuck") == len(SEEDS) and tutorial.on_plateau.all()


def test_counts_and_percentiles(labs):
    lab = labs["mixed"]
    assert sum(lab.count(o) for o in seeds_report.OUTCOMES) == lab.n_seeds
    solved = lab.result.iterations[lab.result.solved]
    assert lab.solve_percentile(50) == np.median(solved)
    assert lab.solve_percentile(90) == np.percentile(solved, 90)
    assert lab.solved_fraction == lab.count("solved") / lab.n_seeds
    assert labs["tutorial-start"].solve_percentile(50) is None
    assert lab.best_error() == lab.result.final_error.min()
    diverging = labs["diverging"]
    kept = diverging.result.final_error[~diverging.result.diverged]
    assert diverging.best_error() == kept.min()


def test_summary_says_what_happened(labs):
    text = seeds_report.summary(labs["fast-preset"])
    assert text.startswith("30 of 30 seeds (100%) reached error 0.01 within 300 iterations")
    text = seeds_report.summary(labs["tutorial-start"])
    assert text.startswith("0 of 30 seeds (0%) reached error 1e-05 within 2,000 iterations")
    assert "30 are stuck" in text and "all on the plateau where every output is about 0.5" in text
    assert "with more iterations some seeds leave it" in text
    mixed = labs["mixed"]
    assert f"{mixed.count('learned')} learned XOR" in seeds_report.summary(mixed)
    assert "diverged" in seeds_report.summary(labs["diverging"])


def test_percent_never_rounds_to_0_or_100_falsely():
    assert seeds_report.percent(0.655) == "66%"
    assert seeds_report.percent(0.0) == "0%" and seeds_report.percent(1.0) == "100%"
    assert seeds_report.percent(1 / 500) == "0.2%"
    assert seeds_report.percent(499 / 500) == "99.8%"


def test_table_lists_every_seed_stuck_first_and_solved_slowest_first(labs):
    lab = labs["mixed"]
    table = seeds_report.seeds_table(lab)
    assert list(table.columns) == ["Seed", "Outcome", "Iterations", "Final error", "Rows right"]
    assert sorted(table["Seed"]) == list(SEEDS)
    ranks = [seeds_report.OUTCOMES.index(o) for o in table["Outcome"]]
    assert ranks == sorted(ranks)
    solved = table[table["Outcome"] == "solved"]["Iterations"].tolist()
    assert solved == sorted(solved, reverse=True)
    stuck = table[table["Outcome"] == "stuck"]["Final error"].tolist()
    assert stuck == sorted(stuck, reverse=True)
    row = table.iloc[0]
    i = int(row["Seed"]) - SEEDS.start
    assert row["Iterations"] == lab.result.iterations[i]
    assert row["Rows right"] == f"{lab.rows_right[i]} / 4"
    assert seeds_report.seed_label(lab, int(row["Seed"])).startswith(f"seed {row['Seed']}: {row['Outcome']}")


def test_iterations_figure_counts_the_solved_seeds(labs):
    lab = labs["mixed"]
    edges, counts = seeds_report.iterations_histogram(lab)
    solved = lab.solve_iterations()
    assert counts.sum() == len(solved) and edges[0] == 0 and edges[-1] > solved.max()
    bar = seeds_report.iterations_figure(lab).data[0]
    np.testing.assert_array_equal(bar.y, counts)
    np.testing.assert_allclose(bar.x, (edges[:-1] + edges[1:]) / 2)
    empty = seeds_report.iterations_figure(labs["tutorial-start"])
    assert empty.data[0].y.sum() == 0
    assert "No seed reached error 1e-05" in empty.layout.annotations[0].text


def test_final_error_figure_stacks_outcomes_on_a_log_scale(labs):
    lab = labs["mixed"]
    edges, counts = seeds_report.error_histogram(lab)
    fig = seeds_report.final_error_figure(lab)
    assert [t.name for t in fig.data] == ["solved", "learned", "stuck"]
    for trace in fig.data:
        np.testing.assert_array_equal(trace.y, counts[trace.name])
        assert trace.y.sum() == lab.count(trace.name)
    np.testing.assert_allclose(np.diff(edges), 0.25)  # four bins a decade
    assert fig.layout.shapes[0].x0 == pytest.approx(np.log10(MIXED.min_error))  # the stop line
    diverging = labs["diverging"]
    shown = sum(c.sum() for c in seeds_report.error_histogram(diverging)[1].values())
    assert shown == diverging.n_seeds - diverging.count("diverged")


def test_curves_figure_draws_each_seeds_recorded_errors(labs):
    lab = labs["mixed"]
    fig = seeds_report.curves_figure(lab)
    assert "NaN" not in json.dumps(fig.to_plotly_json(), default=str)
    drawn = {}
    for trace in fig.data:
        for seed, x, y in zip(trace.customdata, trace.x, trace.y):
            if seed is not None:
                drawn.setdefault(seed, []).append((x, y))
    assert sorted(drawn) == list(SEEDS)
    every = -(-len(lab.result.curve_iterations) // seeds_report.SHOWN_POINTS)  # at most 100 points a seed
    assert every == 2
    i = 3
    recorded = [(int(x), float(f"{e:.3g}"))
                for x, e in zip(lab.result.curve_iterations[::every], lab.result.curves[i, ::every])
                if np.isfinite(e)]
    assert drawn[int(lab.seeds[i])] == recorded


def test_affordable_iterations_keeps_the_lab_within_its_budget():
    assert seeds_report.affordable_iterations(2000, 1e-4) == 2000
    capped = seeds_report.affordable_iterations(100_000, 1e-3, budget=20.0)
    assert capped == 20_000
    assert seeds_report.affordable_iterations(100_000, 7e-4, budget=20.0) == 28_000
    assert seeds_report.affordable_iterations(100_000, 10.0) == 10


def test_seconds_per_iteration_is_a_small_positive_time():
    per_iteration = seeds_report.seconds_per_iteration(RunConfig(), 50)
    assert 0 < per_iteration < 0.1


def test_changed_settings_ignore_the_seed_and_the_maximum():
    config = RunConfig()
    assert seeds_report.changed_settings(config, config.replace(seed=9, max_iterations=7)) == []
    assert seeds_report.same_experiment(config, config.replace(seed=9))
    assert seeds_report.changed_settings(config, config.replace(learning_rate=0.5, hidden=(3,))) == [
        "hidden", "learning_rate"]


def test_lab_checks_its_inputs():
    with pytest.raises(ValueError, match="n_seeds"):
        seeds_report.lab_seeds(0, seeds_report.MAX_LAB_SEEDS + 1)
    with pytest.raises(ValueError, match="max_iterations"):
        seeds_report.run_lab(RunConfig(), range(3), seeds_report.MAX_LAB_ITERATIONS + 1)
    assert seeds_report.lab_seeds(5, 3) == range(5, 8)
