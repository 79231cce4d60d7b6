"""The sweep engine: each cell is exactly the seeds lab's run of that cell's settings.

The oracle is ``nnplay.views.seeds_report.run_lab`` (``train_seeds``, itself checked seed by
seed against single ``Trainer`` runs in test_batched.py): a sweep trains cells differing in η
side by side and takes stopped networks out of the batch, and neither may change a bit.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnplay import sweep as sweep_module
from nnplay.config import RunConfig
from nnplay.sweep import Axis, Sweep
from nnplay.views.seeds_report import run_lab

SEEDS = range(3, 23)
GRIDS = {
    "rate-x-hidden": (RunConfig(), Axis("learning_rate", (0.3, 2.0, 9.0)),
                      Axis("hidden", ((1,), (3,))), 400),
    "diverging-linear": (RunConfig(problem="and", activation="linear", output_activation="linear",
                                   loss="mse", init="he", min_error=0.1),
                         Axis("learning_rate", (0.05, 0.5, 3.0)), None, 200),
    "activation-x-optimizer": (RunConfig(hidden=(4, 3), schedule="step", decay_steps=50,
                                         warmup=5),
                               Axis("activation", ("tanh", ("relu", "sigmoid"))),
                               Axis("optimizer", ("sgd", "adam", "nesterov")), 300),
    "dropout-batches": (RunConfig(problem="set:circle", n_points=40, test_fraction=0.25,
                                  hidden=(5,), dropout=0.2, learning_rate=0.3, min_error=3.0),
                        Axis("batch_size", (5, None)), Axis("learning_rate", (0.1, 0.5)), 300),
}


@pytest.mark.parametrize("grid", GRIDS)
def test_every_cell_equals_the_seeds_lab_for_its_settings(grid, monkeypatch):
    monkeypatch.setattr(sweep_module, "CHECK_EVERY", 7)  # many chances to take networks out
    config, rows, columns, iterations = GRIDS[grid]
    sweep = Sweep(config, rows, columns, SEEDS, iterations).run()
    assert len(sweep.cells) == len(rows.values) * (len(columns.values) if columns else 1)
    for (i, j), cell in sweep.cells.items():
        expected = config.replace(**{rows.name: rows.values[i]},
                                  **({columns.name: columns.values[j]} if columns else {}))
        assert cell.config == expected
        lab = run_lab(expected, SEEDS, iterations).result
        np.testing.assert_array_equal(cell.iterations, lab.iterations)
        np.testing.assert_array_equal(cell.solved, lab.solved)
        np.testing.assert_array_equal(cell.diverged, lab.diverged)
        np.testing.assert_array_equal(cell.final_error, lab.final_error)


def test_the_grids_cover_solving_stopping_early_and_diverging():
    """The comparisons above mean something only if these happen."""
    cells = {name: Sweep(c, r, k, SEEDS, n).run().cells for name, (c, r, k, n) in GRIDS.items()}
    rates = cells["rate-x-hidden"]
    assert rates[1, 1].solved_share > 0.5 and rates[1, 0].solved_share == 0
    assert len(set(rates[1, 1].iterations.tolist())) > 5
    diverging = cells["diverging-linear"]
    assert diverging[2, 0].diverged.all() and diverging[0, 0].solved.any()
    assert any(c.solved.any() for c in cells["activation-x-optimizer"].values())
    assert any(c.solved.any() for c in cells["dropout-batches"].values())


def test_the_summaries_by_hand():
    cell = sweep_module.Cell(RunConfig(), np.array([10, 30, 500, 20]),
                             np.array([True, True, False, True]), np.zeros(4, bool),
                             np.zeros(4))
    assert cell.solved_share == 0.75 and cell.median_iterations == 20.0
    nothing = sweep_module.Cell(RunConfig(), np.array([500]), np.array([False]),
                                np.zeros(1, bool), np.zeros(1))
    assert nothing.median_iterations is None


def test_advance_works_a_group_at_a_time_and_grid_leaves_the_rest_blank():
    sweep = Sweep(RunConfig(), Axis("hidden", ((2,), (3,), (4,))), None, range(10), 50)
    assert sweep.advance() == [(0, 0)]  # no time to spare: one group
    grid = sweep.grid("solved_share")
    assert grid.shape == (3, 1) and np.isfinite(grid[0, 0]) and np.isnan(grid[1:]).all()
    together = Sweep(RunConfig(), Axis("learning_rate", (0.5, 1.0, 2.0)), None, range(10), 50)
    assert together.advance() == [(0, 0), (1, 0), (2, 0)]  # cells differing in η: one group


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Axis("seed", (1, 2)), "The 'axis' parameter must be one of 'learning_rate'"),
    (lambda: Axis("learning_rate", ()), "The 'learning_rate' parameter must be 1 to 10 distinct"),
    (lambda: Axis("learning_rate", tuple(range(1, 12))), "1 to 10 distinct values"),
    (lambda: Axis("learning_rate", (-1.0,)), "The 'learning_rate' parameter must be a finite"),
    (lambda: Sweep(RunConfig(), Axis("hidden", ((2,),)), Axis("hidden", ((3,),)), range(5), 10),
     "The 'columns' parameter must be another setting than the rows'"),
    (lambda: Sweep(RunConfig(), Axis("hidden", ((2,),)), None, range(201), 10),
     "between 1 and 200 seeds"),
    (lambda: Sweep(RunConfig(hidden=(2, 2), activation=("tanh", "relu")),
                   Axis("hidden", ((2, 2), (3, 3, 3))), None, range(5), 10),
     "The cell Hidden layers 3,3,3 does not fit the rest of the run: The 'activation'"),
])
def test_bad_grids_are_refused_with_a_sentence(make, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        make()
