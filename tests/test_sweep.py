"""The sweep engine: each cell is exactly the seeds lab's run of that cell's settings.

The oracle is ``nnplay.views.seeds_report.run_lab`` (``train_seeds``, itself checked seed by
seed against single ``Trainer`` runs in test_batched.py): a sweep trains cells differing in η
side by side, takes stopped networks out of the batch and, for full batches of 4 to 31
examples, lays its arrays out node-major (``sweep._Nodes``) and does three sums by hand;
none of it may change a bit.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnplay import sweep as sweep_module
from nnplay.activations import ACTIVATIONS
from nnplay.config import RunConfig
from nnplay.datasets import Dataset
from nnplay.network import initial_parameters
from nnplay.sweep import Axis, Sweep
from nnplay.training import TrainerSettings
from nnplay.views.seeds_report import run_lab

SEEDS = range(3, 23)
_classes = np.random.default_rng(1).integers(0, 3, 12)
UPLOADED = Dataset("three classes", np.random.default_rng(2).uniform(-1, 1, (12, 3)),
                   np.eye(3)[_classes], "multiclass", ((-1, 1),) * 3, ("a", "b", "c"))
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
    # 8 examples and two hidden layers: the losses' own sums, products between hidden layers.
    "parity3-cross-entropy-l1": (RunConfig(problem="parity3", hidden=(4, 3),
                                           activation="leaky_relu", init="he",
                                           loss="cross_entropy", optimizer="adam",
                                           learning_rate=0.05, min_error=0.05,
                                           regularization="l1", regularization_rate=0.001),
                                 Axis("learning_rate", (0.02, 0.05, 0.2)),
                                 Axis("hidden", ((4, 3), (2,))), 300),
    # 30 examples (the most _Nodes takes but one), a linear output, a penalty, a schedule.
    "circle-momentum-l2": (RunConfig(problem="set:circle", n_points=40, test_fraction=0.25,
                                     hidden=(5,), output_activation="linear", loss="mse",
                                     optimizer="momentum", learning_rate=0.1, min_error=0.07,
                                     regularization="l2", regularization_rate=0.01,
                                     schedule="cosine", decay_steps=100, decay_floor=0.2),
                           Axis("learning_rate", (0.01, 0.03, 0.1)), None, 300),
    # One node in the first layer: a batch of one network would take another BLAS routine
    # than the seeds lab's batch of four, so the sweep never leaves one alone ...
    "one-node-left-alone": (RunConfig(problem="or", hidden=(1,), min_error=0.02),
                            Axis("learning_rate", (0.7, 2.0)), None, 600, range(4)),
    # ... and trains one network at a time where the seeds lab does (one seed, one node).
    "one-seed-one-node": (RunConfig(problem="and", hidden=(1,), min_error=0.05),
                          Axis("learning_rate", (0.5, 1.0, 3.0)), None, 400, range(7, 8)),
    # Three outputs: every product of the output layer is BLAS's, one per network.
    "uploaded-three-classes": (RunConfig(problem="csv", hidden=(4,), output_activation="softmax",
                                         loss="cross_entropy", learning_rate=0.3,
                                         min_error=0.05),
                               Axis("learning_rate", (0.1, 0.3, 1.0)),
                               Axis("hidden", ((4,), (3, 2))), 300, range(10), UPLOADED),
}
FAST = ("rate-x-hidden", "diverging-linear", "activation-x-optimizer", "parity3-cross-entropy-l1",
        "circle-momentum-l2", "one-node-left-alone", "one-seed-one-node", "uploaded-three-classes")
"""The grids ``_Nodes`` trains (the others: ``Descent``)."""


def _grid(name):
    """``config, rows, columns, iterations, seeds, uploaded`` of the grid ``name``."""
    config, rows, columns, iterations, *rest = GRIDS[name]
    seeds, uploaded = (rest + [SEEDS, None][len(rest):])[:2]
    return config, rows, columns, iterations, seeds, uploaded


def _assert_equals_the_seeds_lab(config, rows, columns, iterations, seeds, uploaded, sweep):
    assert len(sweep.cells) == len(rows.values) * (len(columns.values) if columns else 1)
    for (i, j), cell in sweep.cells.items():
        expected = config.replace(**{rows.name: rows.values[i]},
                                  **({columns.name: columns.values[j]} if columns else {}))
        assert cell.config == expected
        lab = run_lab(expected, seeds, iterations, uploaded=uploaded).result
        np.testing.assert_array_equal(cell.iterations, lab.iterations)
        np.testing.assert_array_equal(cell.solved, lab.solved)
        np.testing.assert_array_equal(cell.diverged, lab.diverged)
        # Bit for bit: the same float64 numbers, the sign of a zero included.
        np.testing.assert_array_equal(cell.final_error.view(np.int64),
                                      lab.final_error.view(np.int64))


@pytest.mark.parametrize("grid", GRIDS)
def test_every_cell_equals_the_seeds_lab_for_its_settings(grid, monkeypatch):
    monkeypatch.setattr(sweep_module, "CHECK_EVERY", 7)  # many chances to take networks out
    engines = []
    for name in ("_train", "_train_nodes"):
        train = getattr(sweep_module, name)
        monkeypatch.setattr(sweep_module, name,
                            lambda *a, _train=train, _name=name: engines.append(_name) or _train(*a))
    config, rows, columns, iterations, seeds, uploaded = _grid(grid)
    sweep = Sweep(config, rows, columns, seeds, iterations, uploaded).run()
    assert set(engines) == {"_train_nodes" if grid in FAST else "_train"}
    _assert_equals_the_seeds_lab(config, rows, columns, iterations, seeds, uploaded, sweep)


def test_every_cell_equals_the_seeds_lab_with_150_examples_too():
    """From 32 examples on, OpenBLAS sums a row of the first layer's gradient according to the
    batch it is in: there each cell trains as the seeds lab does, one batch kept whole."""
    config = RunConfig(problem="set:circle", n_points=200, test_fraction=0.25, hidden=(3,),
                       min_error=5.0)
    rows, seeds = Axis("learning_rate", (0.03, 0.1)), range(12)
    sweep = Sweep(config, rows, None, seeds, 300).run()
    _assert_equals_the_seeds_lab(config, rows, None, 300, seeds, None, sweep)


def test_the_grids_cover_solving_stopping_early_and_diverging():
    """The comparisons above mean something only if these happen."""
    cells = {name: Sweep(c, r, k, s, n, u).run().cells
             for name, (c, r, k, n, s, u) in ((name, _grid(name)) for name in GRIDS)}
    rates = cells["rate-x-hidden"]
    assert rates[1, 1].solved_share > 0.5 and rates[1, 0].solved_share == 0
    assert len(set(rates[1, 1].iterations.tolist())) > 5
    diverging = cells["diverging-linear"]
    assert diverging[2, 0].diverged.all() and diverging[0, 0].solved.any()
    for name in ("activation-x-optimizer", "dropout-batches", "parity3-cross-entropy-l1",
                 "circle-momentum-l2", "uploaded-three-classes"):
        cells_of = cells[name].values()
        assert any(c.solved.any() for c in cells_of) and not all(c.solved.all() for c in cells_of)
    # One network of the first cell runs on alone for hundreds of iterations.
    alone = cells["one-node-left-alone"][0, 0].iterations
    assert sorted(alone)[-1] - sorted(alone)[-2] > 100


def test_a_layout_that_changes_a_bit_is_not_used(monkeypatch):
    """``_Nodes.agrees`` runs a few iterations against ``Descent`` before a sweep trusts it: an
    engine one ulp off is caught, and the sweep falls back to ``Descent``, still exact."""
    config, rows, columns, iterations, seeds, _ = _grid("rate-x-hidden")
    descend = sweep_module._Nodes.descend

    def one_ulp_off(self):
        finite = descend(self)
        self.W[0][0, 0, 0] = np.nextafter(self.W[0][0, 0, 0], np.inf)
        return finite

    train = config.split()[0]
    X, y = config.inputs(train.X), train.y
    settings = TrainerSettings(**config.training_settings(train.n_examples))
    args = (config.shape(), np.stack([initial_parameters(config.shape(), config.init, s)
                                      for s in range(3)]), X, y, settings,
            (ACTIVATIONS["tanh"],), ACTIVATIONS["sigmoid"])
    assert sweep_module._Nodes.agrees(*args)
    monkeypatch.setattr(sweep_module._Nodes, "descend", one_ulp_off)
    assert not sweep_module._Nodes.agrees(*args)
    nodes = []
    train_nodes = sweep_module._train_nodes
    monkeypatch.setattr(sweep_module, "_train_nodes", lambda *a: nodes.append(1) or train_nodes(*a))
    sweep = Sweep(config, rows, columns, seeds, iterations).run()
    assert not nodes
    _assert_equals_the_seeds_lab(config, rows, columns, iterations, seeds, None, sweep)


def test_kept_fills_up_to_the_fewest_rows_with_stopped_ones():
    stopped = np.array([True, False, True, True])
    np.testing.assert_array_equal(sweep_module._kept(stopped, 1), [False, True, False, False])
    np.testing.assert_array_equal(sweep_module._kept(stopped, 2), [True, True, False, False])
    np.testing.assert_array_equal(sweep_module._kept(np.ones(3, bool), 2), [True, True, False])


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
