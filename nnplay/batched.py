"""Many seeds at once: one configuration trained from R initialisations in one computation.

Every array gains a leading axis of R networks; the maths is the same code
as for one network (``nnplay.backprop`` works on the last two axes) and so
is the loop (``nnplay.training.Descent``, which a ``Trainer`` runs for one
network), so each seed's run equals training that seed alone, bit for bit.
A seed stops when its error reaches ``min_error`` or when it diverges,
exactly as ``Trainer.run`` would stop; the others go on.

This is what answers "how often does a (2, 2, 1) network get stuck on XOR,
and how fast do the others solve it?" in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS, Activation
from nnplay.backprop import Layout
from nnplay.initializers import INITIALIZERS
from nnplay.network import (
    MAX_SEED,
    check_hidden_activation,
    check_shape,
    hidden_activations,
    initial_parameters,
)
from nnplay.training import Descent, TrainerSettings, check_compatible, check_data

MAX_SEEDS_AT_ONCE = 2000
"""Networks one call trains side by side (their arrays are all in memory at once)."""


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
    activation: str | Sequence[str] = "sigmoid",
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
    seeds = np.asarray([_checks.integer("seeds", s, 0, MAX_SEED) for s in seeds], dtype=np.int64)
    if not 1 <= seeds.size <= MAX_SEEDS_AT_ONCE:
        _checks.fail("seeds", f"between 1 and {MAX_SEEDS_AT_ONCE} seeds", seeds.size)
    activation = check_hidden_activation(activation, len(shape) - 2)
    hidden = tuple(ACTIVATIONS[name] for name in hidden_activations(activation, len(shape) - 2))
    output = ACTIVATIONS[_checks.choice("output_activation", output_activation, ACTIVATIONS)]
    _checks.choice("init", init, INITIALIZERS)
    X, y = check_data(X, y, shape[0], shape[-1])
    max_iterations = _checks.integer("max_iterations", max_iterations, 0)
    min_error = _checks.number("min_error", min_error, low=0.0)
    curve_points = _checks.integer("curve_points", curve_points, 1)
    config = TrainerSettings().replace(**settings)
    check_compatible(config, output.name, X.shape[0])

    layout = Layout(shape)
    params = np.stack([initial_parameters(shape, init, int(s)) for s in seeds])
    run = _SeedRun(layout, params, X, y, config, hidden, output, seeds, max_iterations,
                   curve_points, progress)
    run.train(max_iterations, min_error)
    if progress is not None:
        progress(max_iterations, max_iterations)
    return run.result(seeds)


class _SeedRun(Descent):
    """R networks trained side by side, a sample of each one's error curve, and progress reports."""

    def __init__(self, layout: Layout, params: np.ndarray, X: np.ndarray, y: np.ndarray,
                 config: TrainerSettings, hidden: Sequence[Activation], output: Activation,
                 seeds: np.ndarray, max_iterations: int, curve_points: int,
                 progress: Callable[[int, int], None] | None) -> None:
        super().__init__(layout, params, X, y, config, hidden, output, seeds)
        self.max_iterations, self.progress = max_iterations, progress
        self.record_every = max(1, max_iterations // 100)
        self.every = max(1, -(-max_iterations // curve_points))
        self.sampled = np.arange(0, max_iterations, self.every)
        self.curves = np.full((params.shape[0], self.sampled.size), np.nan)

    def _record(self, first: int, errors: list[np.ndarray]) -> None:
        if not errors:
            return
        iterations = np.arange(first, first + len(errors))
        due = iterations % self.every == 0
        if due.any():
            self.curves[:, iterations[due] // self.every] = np.asarray(errors)[due].T
        if self.progress is not None:
            self.progress(first + len(errors), self.max_iterations)

    def result(self, seeds: np.ndarray) -> SeedsResult:
        # A seed's curve ends where it stopped (its later errors are not its own).
        curves = np.where(self.sampled < self.iterations[:, None], self.curves, np.nan)
        return SeedsResult(seeds, self.iterations, self.solved, self.diverged, self.last_errors,
                           self.params.copy(), self.sampled, curves)
