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

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS, Activation
from nnplay.backprop import Layout
from nnplay.config import RunConfig
from nnplay.datasets import Dataset
from nnplay.losses import LOSSES
from nnplay.network import hidden_activations, initial_parameters
from nnplay.optimizers import OPTIMIZERS
from nnplay.regularizers import add_gradient, clip_crossings
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
    batches of at most ``BATCH_VALUES`` values per layer: by ``_Nodes`` where it fits the run
    (and agrees with ``Descent`` on this machine's BLAS), else by ``Descent``.
    """
    base, n = configs[0], len(seeds)
    train = base.split(uploaded)[0]
    X, y = base.inputs(train.X), train.y
    shape = base.shape(uploaded)
    settings = TrainerSettings(**base.training_settings(train.n_examples))
    hidden = tuple(ACTIVATIONS[a] for a in hidden_activations(base.activation, len(shape) - 2))
    output = ACTIVATIONS[base.output_activation]
    first = np.stack([initial_parameters(shape, base.init, int(s)) for s in seeds])
    params, all_seeds = np.tile(first, (len(configs), 1)), np.tile(seeds, len(configs))
    rates = np.repeat([c.learning_rate for c in configs], n)[:, None]
    outcome = [np.zeros(len(params), dtype=np.int64), np.zeros(len(params), dtype=bool),
               np.zeros(len(params), dtype=bool), np.full(len(params), np.nan)]
    # The seeds lab's first layer is one product of n x shape[1] rows; with a single row
    # numpy calls another BLAS routine (gemv, not gemm), whose sums round differently. So a
    # batch has a single row exactly when the seeds lab's has (one seed, one node), and
    # otherwise never shrinks to one.
    single = n * shape[1] == 1
    fewest = 1 if single or shape[1] > 1 else 2
    per_batch = 1 if single else max(2, BATCH_VALUES // (max(shape[1:]) * len(X)))
    fast = _Nodes.fits(settings, shape, len(X)) and _Nodes.agrees(
        shape, first, X, y, settings, hidden, output)
    parts = max(1, min(-(-len(params) // per_batch), len(params) // fewest))
    for rows in np.array_split(np.arange(len(params)), parts):
        if fast:
            run = _Nodes(shape, params[rows], X, y, settings, hidden, output, rates[rows])
            results = _train_nodes(run, max_iterations, base.min_error, fewest)
        else:
            run = Descent(Layout(shape), params[rows], X, y, settings, hidden, output,
                          all_seeds[rows])
            run.learning_rates = rates[rows]
            results = _train(run, max_iterations, base.min_error, fewest)
        for array, values in zip(outcome, results):
            array[rows] = values
    return [Cell(config, *(a[k * n:(k + 1) * n] for a in outcome))
            for k, config in enumerate(configs)]


def _kept(stopped: np.ndarray, fewest: int) -> np.ndarray:
    """The rows to go on with: those still running, and as many stopped ones as make ``fewest``
    (so that the first layer's product keeps the routine the seeds lab's takes)."""
    going = ~stopped
    short = fewest - int(going.sum())
    if short > 0:
        going[np.flatnonzero(stopped)[:short]] = True
    return going


def _train(run: Descent, max_iterations: int, min_error: float,
           fewest: int = 1) -> tuple[np.ndarray, ...]:
    """Train ``run`` to ``max_iterations``, taking the networks that stop out of the batch every
    ``CHECK_EVERY`` iterations; return each network's iterations, solved, diverged, final error.

    A stopped network kept only to make ``fewest`` rows is marked diverged in ``run``, so that
    ``Descent`` keeps it as it is; its outcome was taken when it stopped."""
    R = run.params.shape[0]
    where = np.arange(R)  # each row of the batch's place among the R networks
    counted = np.ones(R, dtype=bool)  # rows whose outcome is still to be taken
    iterations, final_error = np.zeros(R, dtype=np.int64), np.full(R, np.nan)
    solved, diverged = np.zeros(R, dtype=bool), np.zeros(R, dtype=bool)
    left = max_iterations
    while left and counted.any():
        chunk = min(CHECK_EVERY, left)
        run.train(chunk, min_error)
        left -= chunk
        take = where[counted]
        iterations[take], final_error[take] = run.iterations[counted], run.last_errors[counted]
        solved[take], diverged[take] = run.solved[counted], run.diverged[counted]
        counted &= ~(run.solved | run.diverged)
        run.diverged = run.diverged | ~counted  # a solved network would go on in the next call
        going = _kept(~counted, fewest)
        if not going.all():
            run.keep(going)
            where, counted = where[going], counted[going]
    return iterations, solved, diverged, final_error


class _Nodes:
    """R networks of one shape trained side by side with their arrays node-major.

    ``Descent`` keeps R networks network-major: ``O`` of a hidden layer is ``(R, n_J + 1, n)``
    and every numpy call walks R small blocks. With a handful of examples each block holds a
    few numbers, and most of an iteration goes to numpy's per-block overhead: a product
    broadcast over 4 examples, a sum over them, an update scaled by each network's η. Here a
    hidden layer's arrays are ``(n_J, R, n)`` (node, network, example) and the first layer's
    weights ``(n_1, R, n_0 + 1)``, so that the elementwise work runs over long contiguous
    rows; the later layers' weights stay network-major ``(R, n_K, n_J + 1)``.

    Every number is the one ``Descent`` computes, bit for bit (``tests/test_sweep.py``):

    - the same BLAS calls: the first layer's two products are one product of the R x n_1
      rows (node-major only reorders the rows, each row summed alike), the later layers'
      one product per network (``O`` of a network is a block whose rows are R x n apart; the
      routine and its order of sums are the same for any row stride);
    - the same numpy functions on the same numbers (``tanh``, ``exp`` ... give the same bits
      on a long row as on a short one);
    - three products done by hand, in the order BLAS does them: into a last hidden layer
      feeding one output node, ``δ_J = W_JK^T δ_K`` has one term a sum, ``0 + w δ``, which is
      ``w δ + 0.0`` (the ``+ 0.0`` turns -0 into 0 as the sum does); with 4 examples, that
      node's gradient ``δ_K O_J^T`` is BLAS's ``((p0 + p2) + (p1 + p3)) + 0.0``; and the sum
      of squared errors over fewer than 8 examples is numpy's ``((s0 + s1) + s2) + s3``.
      ``agrees`` checks these on this machine's BLAS before a sweep uses them.

    A network's updates need nothing of the others', so a network that has stopped is not
    restored after each update as ``Descent`` does (``_train_nodes`` has taken its outcome);
    it leaves at the next ``keep``. Adam's step count is one number: every network in the
    batch has taken every step.
    """

    EXAMPLES = (4, 31)
    """The numbers of examples this class trains. From 32 examples on, OpenBLAS sums a row of
    the first layer's gradient product differently by the row's place among the others; with
    2 or 3, its product per network takes another branch when the rows of ``O`` are adjacent
    (as in ``Descent``) than when they are R x n apart (as here)."""

    def __init__(self, shape: Sequence[int], params: np.ndarray, X: np.ndarray, y: np.ndarray,
                 settings: TrainerSettings, hidden: Sequence[Activation], output: Activation,
                 rates: np.ndarray) -> None:
        self.shape, self.settings, self.hidden, self.output = tuple(shape), settings, hidden, output
        self.n, self.L, R = X.shape[0], len(shape) - 1, params.shape[0]
        self.loss = LOSSES[settings.loss]
        self.optimizer = OPTIMIZERS[settings.optimizer]
        self.penalised = settings.regularization != "none" and settings.regularization_rate > 0.0
        self.W = [np.ascontiguousarray(W.transpose(1, 0, 2)) if k == 0 else W.copy()
                  for k, W in enumerate(Layout(shape).views(params))]
        self.state = [{slot: np.zeros((1, 1, 1)) if slot == "steps"
                       else np.full(W.shape, self.optimizer.start) for slot in self.optimizer.slots}
                      for W in self.W]
        self.rates = rates.reshape(R)
        self.O0 = np.empty((shape[0] + 1, self.n))  # the examples in columns, a bias row of ones
        self.O0[:-1], self.O0[-1] = X.T, 1.0
        self.y = y
        self.sse = settings.loss == "sse" and shape[-1] == 1 and self.n < 8
        self.by_hand = shape[-1] == 1 and self.n == 4
        self._allocate(R)

    @staticmethod
    def fits(settings: TrainerSettings, shape: Sequence[int], n: int) -> bool:
        """Whether the run is one this class trains: full batch, no dropout, a hidden layer,
        ``EXAMPLES`` examples."""
        low, high = _Nodes.EXAMPLES
        return (settings.batch_size is None and settings.dropout == 0.0 and len(shape) > 2
                and low <= n <= high)

    @staticmethod
    def agrees(shape: Sequence[int], params: np.ndarray, X: np.ndarray, y: np.ndarray,
               settings: TrainerSettings, hidden: Sequence[Activation], output: Activation,
               iterations: int = 3) -> bool:
        """Whether a few iterations of a few networks from ``params`` (with their weights
        spread over many sizes) end with the very weights ``Descent`` ends with."""
        rng = np.random.default_rng(0)
        rows = params[np.arange(6) % len(params)] * np.exp(rng.uniform(-3.0, 3.0, (6, 1)))
        rates = np.full((6, 1), 0.1)
        with np.errstate(all="ignore"):
            nodes = _Nodes(shape, rows, X, y, settings, hidden, output, rates)
            run = Descent(Layout(shape), rows.copy(), X, y, settings, hidden, output,
                          np.zeros(6, dtype=np.int64))
            run.learning_rates = rates
            for t in range(iterations):
                error = nodes.step()
                if settings.scheduled:
                    nodes.schedule(t)
                nodes.descend()
                run.train(1)
                if not np.array_equal(error, run.last_errors, equal_nan=True):
                    return False
        return np.array_equal(nodes.flat(), run.params, equal_nan=True)

    def _allocate(self, R: int) -> None:
        shape, n = self.shape, self.n
        self.R = R
        self.O, self.x, self.slopes, self.deltas = [self.O0], [None], [None], [None]
        for n_J in shape[1:-1]:
            O = np.empty((n_J + 1, R, n))
            O[-1] = 1.0
            self.O.append(O)
            self.x.append(np.empty((n_J, R, n)))
            self.slopes.append(np.empty((n_J, R, n)))
            self.deltas.append(np.empty((n_J, R, n)))
        self.x_K, self.O_K = np.empty((R, shape[-1], n)), np.empty((R, shape[-1], n))
        self.T = np.ascontiguousarray(np.broadcast_to(self.y.T, (R, shape[-1], n)))
        self.residual, self.delta_K, self.error = (np.empty((R, shape[-1], n)),
                                                   np.empty((R, shape[-1], n)), np.empty(R))
        self.G = [np.empty(W.shape) for W in self.W]
        # Each network's η spread over its weights, and the penalty's mask (0 on the bias
        # column), laid out like each layer's weights: the update runs on whole arrays.
        self.eta = [np.ascontiguousarray(np.broadcast_to(
            self.rates[None, :, None] if k == 0 else self.rates[:, None, None], W.shape))
            for k, W in enumerate(self.W)]
        self.masks = [np.ones(W.shape) for W in self.W]
        for mask in self.masks:
            mask[..., -1] = 0.0
        self.h = [self.settings.hyperparameters(0, eta) for eta in self.eta]
        self.ones = [np.ones(W.size) for W in self.W]
        n_J = shape[-2]
        self.W_T, self.delta_T = np.empty((n_J, R)), np.empty((n, R))
        self.products = np.empty((n_J + 1, R, n)) if self.by_hand else None
        self.sums = (np.empty((n_J + 1, R)), np.empty((n_J + 1, R))) if self.by_hand else None

    def keep(self, rows: np.ndarray) -> None:
        """Go on with the networks ``rows`` (a boolean mask) only."""
        self.W = [np.ascontiguousarray(W[:, rows] if k == 0 else W[rows])
                  for k, W in enumerate(self.W)]
        self.state = [{slot: value if slot == "steps" else
                       np.ascontiguousarray(value[:, rows] if k == 0 else value[rows])
                       for slot, value in state.items()} for k, state in enumerate(self.state)]
        self.rates = self.rates[rows]
        self._allocate(len(self.rates))

    def flat(self) -> np.ndarray:
        """``(R, P)``: every network's weights as ``Descent`` holds them."""
        R = self.R
        return np.concatenate([self.W[0].transpose(1, 0, 2).reshape(R, -1)]
                              + [W.reshape(R, -1) for W in self.W[1:]], axis=1)

    def step(self) -> np.ndarray:
        """The forward pass and back propagation; return each network's error (gradients in
        ``G``). The returned array is overwritten by the next step."""
        W, O, x, L, n = self.W, self.O, self.x, self.L, self.n
        hidden, output = self.hidden, self.output
        np.matmul(W[0].reshape(-1, W[0].shape[-1]), O[0], out=x[1].reshape(-1, n))
        hidden[0].apply(x[1], O[1][:-1])
        for k in range(1, L - 1):
            np.matmul(W[k], O[k].transpose(1, 0, 2), out=x[k + 1].transpose(1, 0, 2))
            hidden[k].apply(x[k + 1], O[k + 1][:-1])
        np.matmul(W[-1], O[-1].transpose(1, 0, 2), out=self.x_K)
        O_K = output.apply(self.x_K, self.O_K)
        if self.sse:  # the tutorial's error, as losses._sse computes it
            residual = np.subtract(O_K, self.T, out=self.residual)
            squares = np.multiply(residual, residual, out=self.delta_K)
            error = np.add(squares[:, 0, 0], squares[:, 0, 1], out=self.error)
            for e in range(2, n):
                error += squares[:, 0, e]
            delta_K = np.multiply(residual, output.derivative(self.x_K, O_K, self.delta_K),
                                  out=self.delta_K)
        else:
            error, delta_K = self.loss.evaluate(self.x_K, O_K, self.T, output)
        delta, node_major = delta_K, False
        for k in range(L - 1, 0, -1):
            delta_J = self.deltas[k]
            if k == L - 1 and self.shape[-1] == 1:  # δ_J = w δ_K + 0.0, an example at a time
                np.copyto(self.W_T, W[k][:, 0, :-1].T)
                np.copyto(self.delta_T, delta[:, 0, :].T)
                for e in range(n):
                    np.multiply(self.W_T, self.delta_T[e], out=delta_J[:, :, e])
                delta_J += 0.0
            else:
                np.matmul(W[k][..., :-1].mT, delta.transpose(1, 0, 2) if node_major else delta,
                          out=delta_J.transpose(1, 0, 2))
            delta_J *= hidden[k - 1].derivative(x[k], O[k][:-1], self.slopes[k])
            if k == L - 1 and self.by_hand:  # BLAS's ((p0 + p2) + (p1 + p3)) + 0.0
                p = np.multiply(O[k], delta[:, 0, :], out=self.products)
                even, odd = self.sums
                np.add(p[..., 0], p[..., 2], out=even)
                np.add(p[..., 1], p[..., 3], out=odd)
                even += odd
                even += 0.0
                np.copyto(self.G[k][:, 0, :], even.T)
            else:
                np.matmul(delta.transpose(1, 0, 2) if node_major else delta,
                          O[k].transpose(1, 2, 0), out=self.G[k])
            delta, node_major = delta_J, True
        np.matmul(delta.reshape(-1, n), O[0].mT, out=self.G[0].reshape(-1, self.G[0].shape[-1]))
        return error

    def schedule(self, iteration: int) -> None:
        """Iteration ``iteration``'s η (the schedule's), for ``descend``."""
        self.h = [self.settings.hyperparameters(iteration, eta) for eta in self.eta]

    def descend(self) -> bool:
        """Add the penalty's gradient, update every layer; return whether the sum of all the
        weights is finite (as ``Descent``'s one dot product)."""
        settings, total = self.settings, 0.0
        l1 = self.penalised and settings.regularization == "l1"
        for k, W in enumerate(self.W):
            before = W.copy() if l1 else None
            if self.penalised:
                add_gradient(self.G[k], W, self.masks[k], settings.regularization,
                             settings.regularization_rate)
            self.optimizer.update(W, self.G[k], self.state[k], self.h[k])
            if l1:
                clip_crossings(W, before, self.masks[k])
            total += np.dot(W.reshape(-1), self.ones[k])
        return math.isfinite(total)

    def overflowed(self) -> np.ndarray:
        """Which networks hold an inf or NaN among their weights (``Descent._overflowed``)."""
        flat = self.flat()
        return ~np.isfinite(flat @ np.ones(flat.shape[1]))


def _train_nodes(run: _Nodes, max_iterations: int, min_error: float,
                 fewest: int = 1) -> tuple[np.ndarray, ...]:
    """``_train`` for ``_Nodes``: ``Descent.train``'s stops, step for step.

    An iteration's error that is not finite stops a network one iteration back (the error
    and iteration count it had then); weights that overflow stop it before that update. A
    network stops as solved in the iteration whose error reaches ``min_error``."""
    R = run.R
    where = np.arange(R)
    out = [np.zeros(R, dtype=np.int64), np.zeros(R, dtype=bool), np.zeros(R, dtype=bool),
           np.full(R, np.nan)]
    running, counted = np.ones(R, dtype=bool), np.ones(R, dtype=bool)
    iterations, solved, diverged = np.zeros(R, dtype=np.int64), np.zeros(R, bool), np.zeros(R, bool)
    last = np.full(R, np.nan)
    before = last  # each network's last error before this iteration's update
    t = 0

    def stop(rows: np.ndarray) -> None:
        nonlocal counted
        gone = counted & rows
        for array, values in zip(out, (iterations, solved, diverged, last)):
            array[where[gone]] = values[gone]
        counted = counted & ~rows

    with np.errstate(all="ignore"):
        while t < max_iterations and running.any():
            error = run.step()
            if not math.isfinite(error.sum()):
                rows = ~np.isfinite(error) & running
                if rows.any():  # back to the iteration before, if there was one
                    if t > 0:
                        last = np.where(rows, before, last)
                    iterations = np.where(rows, max(t - 1, 0), iterations)
                    diverged, running = diverged | rows, running & ~rows
                    stop(rows)
            before = last
            if run.settings.scheduled:
                run.schedule(t)
            if not run.descend():
                rows = run.overflowed() & running
                if rows.any():  # back to before this update
                    last = np.where(rows, before, last)
                    iterations = np.where(rows, t, iterations)
                    diverged, running = diverged | rows, running & ~rows
                    stop(rows)
            last = np.where(running, error, last)
            t += 1
            if error.min(where=running, initial=np.inf) <= min_error:
                rows = (error <= min_error) & running
                iterations = np.where(rows, t, iterations)
                solved, running = solved | rows, running & ~rows
                stop(rows)
            if t % CHECK_EVERY == 0 and running.any():
                going = _kept(~running, fewest)
                if not going.all():
                    run.keep(going)
                    where, running, counted = where[going], running[going], counted[going]
                    iterations, solved, diverged, last, before = (
                        a[going] for a in (iterations, solved, diverged, last, before))
        iterations = np.where(running, t, iterations)
        stop(running)
    return tuple(out)
