"""Many seeds at once: one configuration trained from R initialisations in one computation.

Every array gains a leading axis of R networks; the maths is the same code
as for one network (``nnplay.backprop`` works on the last two axes), so
each seed's run equals training that seed alone. A seed stops when its
error reaches ``min_error`` or when it diverges, exactly as ``Trainer.run``
would stop; the others go on.

This is what answers "how often does a (2, 2, 1) network get stuck on XOR,
and how fast do the others solve it?" in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnplay.backprop import Layout, Workspace, forward_backward
from nnplay.initializers import INITIALIZERS
from nnplay.losses import LOSSES, compatibility_problem
from nnplay.network import check_shape, initial_parameters
from nnplay.optimizers import OPTIMIZERS, new_state
from nnplay.regularizers import add_gradient, clip_crossings
from nnplay.training import TrainerSettings, check_data

MAX_SEEDS = 2000


@dataclass(frozen=True)
class SeedsResult:
    """What happened to each seed (arrays of length R, in the order of ``seeds``)."""

    seeds: np.ndarray
    iterations: np.ndarray
    """Iterations each seed ran (as ``Trainer.run`` would return)."""
    solved: np.ndarray
    """True where the error reached ``min_error``."""
    diverged: np.ndarray
    final_error: np.ndarray
    """The error of each seed's last iteration (``Trainer.last_error``)."""
    parameters: np.ndarray
    """``(R, P)``: each seed's final flat parameters."""
    curve_iterations: np.ndarray
    """``(C,)``: the iterations at which ``curves`` were sampled."""
    curves: np.ndarray
    """``(R, C)``: each seed's error at those iterations (NaN after it stopped)."""

    @property
    def solved_fraction(self) -> float:
        return float(self.solved.mean())


def train_seeds(
    shape: Sequence[int],
    seeds: Sequence[int],
    X: np.ndarray,
    y: np.ndarray,
    *,
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    init: str = "tutorial",
    max_iterations: int = 1000,
    min_error: float = 0.0,
    curve_points: int = 200,
    progress: Callable[[int, int], None] | None = None,
    **settings: object,
) -> SeedsResult:
    """Train one configuration from every seed in ``seeds`` at once.

    Parameters are those of ``Network`` and ``Trainer``, and of
    ``Trainer.run`` (``max_iterations``, ``min_error``). ``progress(done,
    total)`` is called now and then with iterations done so far.
    """
    shape = check_shape(shape)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        _checks.fail("seeds", "a sequence of whole numbers such as range(100)", seeds, TypeError)
    seeds = np.asarray([_checks.integer("seeds", s, 0, 2**63 - 1) for s in seeds], dtype=np.int64)
    if not 1 <= seeds.size <= MAX_SEEDS:
        _checks.fail("seeds", f"between 1 and {MAX_SEEDS} seeds", seeds.size)
    hidden = ACTIVATIONS[_checks.choice("activation", activation, HIDDEN_ACTIVATIONS)]
    output = ACTIVATIONS[_checks.choice("output_activation", output_activation, ACTIVATIONS)]
    _checks.choice("init", init, INITIALIZERS)
    X, y = check_data(X, y, shape[0], shape[-1])
    max_iterations = _checks.integer("max_iterations", max_iterations, 0)
    min_error = _checks.number("min_error", min_error, low=0.0)
    curve_points = _checks.integer("curve_points", curve_points, 1)
    config = TrainerSettings().replace(**settings)
    problem = compatibility_problem(config.loss, output.name)
    if problem:
        raise ValueError(problem)
    if config.batch_size is not None and config.batch_size > X.shape[0]:
        _checks.fail("batch_size", f"at most the number of examples ({X.shape[0]})", config.batch_size)
    if config.batch_size is not None and config.batch_size < X.shape[0]:
        raise ValueError("Many-seed training uses the whole training set each iteration; "
                         "leave 'batch_size' as None.")

    layout = Layout(shape)
    params = np.stack([initial_parameters(shape, init, int(s)) for s in seeds])
    run = _SeedRun(layout, params, X, y, config, hidden, output)
    return run.train(seeds, max_iterations, min_error, curve_points, progress)


class _SeedRun:
    """The state of R networks trained side by side, and the loop that trains them."""

    def __init__(self, layout, params, X, y, config, hidden, output) -> None:
        self.params = params
        self.weights = layout.views(params)
        self.ws = Workspace(layout, X.shape[0], lead=(params.shape[0],))
        self.ws.load(X)
        self.T = np.ascontiguousarray(y.T)
        self.config = config
        self.hidden, self.output = hidden, output
        self.loss = LOSSES[config.loss]
        self.optimizer = OPTIMIZERS[config.optimizer]
        self.state = new_state(self.optimizer, params)
        self.mask = layout.bias_mask()

    def train(self, seeds, max_iterations, min_error, curve_points, progress) -> SeedsResult:
        R = self.params.shape[0]
        active = np.ones(R, dtype=bool)
        solved = np.zeros(R, dtype=bool)
        diverged = np.zeros(R, dtype=bool)
        iterations = np.zeros(R, dtype=np.int64)
        last_error = np.full(R, np.nan)
        before_last = np.full(R, np.nan)
        every = max(1, -(-max_iterations // curve_points))
        sampled = list(range(0, max_iterations, every))
        curves = np.full((R, len(sampled)), np.nan)
        backup = self.params.copy()
        backup_state = {k: v.copy() for k, v in self.state.items()}
        h = self.config.hyperparameters()
        l1 = self.config.regularization == "l1" and self.config.regularization_rate > 0
        ones = np.ones(self.params.shape[1])
        report = max(1, max_iterations // 100)

        with np.errstate(all="ignore"):
            for it in range(max_iterations):
                error = forward_backward(self.weights, self.ws, self.T, self.hidden,
                                         self.output, self.loss)
                if it % every == 0:
                    curves[active, it // every] = error[active]
                if not np.isfinite(error).all():
                    # A seed whose error is not finite goes back one iteration, as Trainer does.
                    bad = active & ~np.isfinite(error)
                    back = bad & (iterations > 0)
                    self._restore(back, backup, backup_state)
                    iterations[back] -= 1
                    last_error[back] = before_last[back]
                    diverged |= bad
                    active &= ~bad
                all_active = active.all()
                np.copyto(backup, self.params)
                for key, value in self.state.items():
                    np.copyto(backup_state[key], value)
                grads = self.ws.gradients
                add_gradient(grads, self.params, self.mask, self.config.regularization,
                             self.config.regularization_rate)
                self.optimizer.update(self.params, grads, self.state, h)
                if l1:
                    clip_crossings(self.params, backup, self.mask)
                if not all_active:
                    self._restore(~active, backup, backup_state)  # stopped seeds stay put
                overflow = ~np.isfinite(self.params @ ones)
                if overflow.any():
                    overflow &= active
                    self._restore(overflow, backup, backup_state)
                    diverged |= overflow
                    active &= ~overflow
                np.copyto(before_last, last_error, where=active)
                np.copyto(last_error, error, where=active)
                iterations += active
                reached = error <= min_error
                if reached.any():
                    reached &= active
                    solved |= reached
                    active &= ~reached
                    if not active.any():
                        break
                if progress is not None and (it + 1) % report == 0:
                    progress(it + 1, max_iterations)
        if progress is not None:
            progress(max_iterations, max_iterations)
        return SeedsResult(seeds, iterations, solved, diverged, last_error, self.params.copy(),
                           np.asarray(sampled, dtype=np.int64), curves)

    def _restore(self, rows: np.ndarray, backup: np.ndarray, backup_state: dict) -> None:
        if rows.any():
            np.copyto(self.params, backup, where=rows[:, None])
            for key, value in self.state.items():
                np.copyto(value, backup_state[key], where=rows[:, None])
