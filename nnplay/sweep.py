"""The sweep: the seeds lab over a grid of one or two settings.

Each cell of the grid is a configuration with one or two settings changed (learning
rate, hidden layers, activation, optimiser, batch size), trained from the same seeds
as the seeds lab trains it. A cell's seeds stop where the seeds lab's would (and so
where ``config.replace(seed=s).trainer().run(max_iterations, config.min_error)`` would):
the loop is the same ``Descent``.

Two things make a 10 x 10 grid of 200 seeds quick (``benchmarks/sweep.py`` measures them):

- cells that differ only in the learning rate train side by side in one batch, each
  network with its own η (``Descent.learning_rates``);
- every ``CHECK_EVERY`` iterations, the networks that have stopped (solved or diverged)
  leave the batch (``Descent.keep``), so the rest of the run costs only what is left.

``Sweep.advance`` works through the grid a group of cells at a time, so that the page
can show cells as they finish, and stop between two groups.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS
from nnplay.backprop import Layout
from nnplay.config import RunConfig
from nnplay.datasets import Dataset
from nnplay.network import hidden_activations, initial_parameters
from nnplay.settings import SETTINGS
from nnplay.training import Descent, TrainerSettings

SWEEPABLE = ("learning_rate", "hidden", "activation", "optimizer", "batch_size")
"""The settings a sweep can vary."""
MAX_VALUES = 10
"""Values per axis."""
MAX_SWEEP_SEEDS = 200
MAX_SWEEP_ITERATIONS = 100_000
CHECK_EVERY = 25
"""Iterations between two looks for stopped networks to take out of the batch."""
BATCH_VALUES = 4_000_000
"""A batch holds at most this many values per layer (networks x nodes x examples: 32 MB), so
that a grid over a large point set does not fill the server's memory."""


@dataclass(frozen=True)
class Axis:
    """One setting and the values the grid gives it, in order."""

    name: str
    values: tuple

    def __post_init__(self) -> None:
        _checks.choice("axis", self.name, SWEEPABLE)
        values = tuple(self.values)
        if not 1 <= len(values) <= MAX_VALUES or len(set(values)) != len(values):
            _checks.fail(self.name, f"1 to {MAX_VALUES} distinct values", values)
        object.__setattr__(self, "values", tuple(SETTINGS[self.name].check(v) for v in values))

    def label(self, k: int) -> str:
        """The value ``k`` as the link writes it: ``0.3``, ``4``, ``tanh``."""
        return SETTINGS[self.name].write(self.values[k]) or "all"


@dataclass(frozen=True)
class Cell:
    """What became of a cell's seeds (arrays in the order of the seeds)."""

    config: RunConfig
    iterations: np.ndarray
    solved: np.ndarray
    diverged: np.ndarray
    final_error: np.ndarray

    @property
    def solved_share(self) -> float:
        return float(self.solved.mean())

    @property
    def median_iterations(self) -> float | None:
        """The median iterations of the solved seeds to the stop error (None if none solved)."""
        return float(np.median(self.iterations[self.solved])) if self.solved.any() else None


class Sweep:
    """The grid ``rows`` x ``columns`` (None: one column) around ``config``, from ``seeds``.

    Raises ``ValueError`` naming the cell if some cell's settings do not fit together.
    """

    def __init__(self, config: RunConfig, rows: Axis, columns: Axis | None, seeds: Sequence[int],
                 max_iterations: int, uploaded: Dataset | None = None) -> None:
        if columns is not None and columns.name == rows.name:
            _checks.fail("columns", "another setting than the rows'", columns.name)
        seeds = [_checks.integer("seeds", s, 0, SETTINGS["seed"].high) for s in seeds]
        if not 1 <= len(seeds) <= MAX_SWEEP_SEEDS:
            _checks.fail("seeds", f"between 1 and {MAX_SWEEP_SEEDS} seeds", len(seeds))
        self.max_iterations = _checks.integer("max_iterations", max_iterations, 1,
                                              MAX_SWEEP_ITERATIONS)
        self.config, self.rows, self.columns = config, rows, columns
        self.seeds, self.uploaded = np.asarray(seeds, dtype=np.int64), uploaded
        self.configs = {(i, j): _cell_config(config, rows, i, columns, j)
                        for i in range(len(rows.values))
                        for j in range(1 if columns is None else len(columns.values))}
        self.cells: dict[tuple[int, int], Cell] = {}
        # Cells that differ only in η train in one batch.
        groups: dict[RunConfig, list[tuple[int, int]]] = {}
        for key, cell in self.configs.items():
            groups.setdefault(cell.replace(learning_rate=1.0), []).append(key)
        self._pending = list(groups.values())
        self.seconds = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows.values), 1 if self.columns is None else len(self.columns.values)

    @property
    def done(self) -> bool:
        return not self._pending

    def advance(self, seconds: float = 0.0) -> list[tuple[int, int]]:
        """Train groups of cells until ``seconds`` have passed (one group at least); return
        the cells finished."""
        start, finished = time.perf_counter(), []
        while self._pending:
            group = self._pending.pop(0)
            results = train_cells([self.configs[key] for key in group], self.seeds,
                                  self.max_iterations, self.uploaded)
            self.cells.update(zip(group, results))
            finished += group
            if time.perf_counter() - start >= seconds:
                break
        self.seconds += time.perf_counter() - start
        return finished

    def run(self) -> Sweep:
        """Every cell."""
        while not self.done:
            self.advance(np.inf)
        return self

    def grid(self, what: str) -> np.ndarray:
        """``(rows, columns)``: each finished cell's ``solved_share`` or ``median_iterations``
        (``what``); NaN where a cell is not finished, or none of its seeds solved."""
        values = np.full(self.shape, np.nan)
        for key, cell in self.cells.items():
            value = getattr(cell, what)
            values[key] = np.nan if value is None else value
        return values


def _cell_config(config: RunConfig, rows: Axis, i: int, columns: Axis | None, j: int) -> RunConfig:
    changes = {rows.name: rows.values[i]}
    if columns is not None:
        changes[columns.name] = columns.values[j]
    try:
        return config.replace(**changes)
    except ValueError as problem:
        where = ", ".join(f"{SETTINGS[k].label} {SETTINGS[k].write(v) or 'all'}"
                          for k, v in changes.items())
        raise ValueError(f"The cell {where} does not fit the rest of the run: {problem}") from None


def train_cells(configs: list[RunConfig], seeds: np.ndarray, max_iterations: int,
                uploaded: Dataset | None = None) -> list[Cell]:
    """Train configurations that differ only in the learning rate from every seed, side by side.

    The networks are cell after cell, seed after seed, each with its cell's η, trained in
    batches of at most ``BATCH_VALUES`` values per layer.
    """
    base, n = configs[0], len(seeds)
    train = base.split(uploaded)[0]
    X, y = base.inputs(train.X), train.y
    shape = base.shape(uploaded)
    first = np.stack([initial_parameters(shape, base.init, int(s)) for s in seeds])
    params, all_seeds = np.tile(first, (len(configs), 1)), np.tile(seeds, len(configs))
    rates = np.repeat([c.learning_rate for c in configs], n)[:, None]
    outcome = [np.zeros(len(params), dtype=np.int64), np.zeros(len(params), dtype=bool),
               np.zeros(len(params), dtype=bool), np.full(len(params), np.nan)]
    per_batch = max(1, BATCH_VALUES // (max(shape[1:]) * len(X)))
    for rows in np.array_split(np.arange(len(params)), -(-len(params) // per_batch)):
        run = Descent(Layout(shape), params[rows], X, y,
                      TrainerSettings(**base.training_settings(train.n_examples)),
                      tuple(ACTIVATIONS[a] for a in hidden_activations(base.activation,
                                                                       len(shape) - 2)),
                      ACTIVATIONS[base.output_activation], all_seeds[rows])
        run.learning_rates = rates[rows]
        for array, values in zip(outcome, _train(run, max_iterations, base.min_error)):
            array[rows] = values
    return [Cell(config, *(a[k * n:(k + 1) * n] for a in outcome))
            for k, config in enumerate(configs)]


def _train(run: Descent, max_iterations: int, min_error: float) -> tuple[np.ndarray, ...]:
    """Train ``run`` to ``max_iterations``, taking the networks that stop out of the batch every
    ``CHECK_EVERY`` iterations; return each network's iterations, solved, diverged, final error."""
    R = run.params.shape[0]
    where = np.arange(R)  # each row of the batch's place among the R networks
    iterations, final_error = np.zeros(R, dtype=np.int64), np.full(R, np.nan)
    solved, diverged = np.zeros(R, dtype=bool), np.zeros(R, dtype=bool)
    left = max_iterations
    while left and where.size:
        chunk = min(CHECK_EVERY, left)
        run.train(chunk, min_error)
        left -= chunk
        iterations[where], final_error[where] = run.iterations, run.last_errors
        solved[where], diverged[where] = run.solved, run.diverged
        going = ~(run.solved | run.diverged)
        if not going.all():
            run.keep(going)
            where = where[going]
    return iterations, solved, diverged, final_error
