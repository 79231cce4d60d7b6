"""The trainer: steps a network through back propagation, iteration by iteration.

``Trainer.step(n)`` is the tutorial's ``backProp`` called n times: each
iteration runs the forward pass, measures the error, pulls the deltas back
and updates the weights, and ``step`` returns the error measured in the last
forward pass (before that iteration's update, as ``backProp`` returns it).
``Trainer.run(max_iterations, min_error)`` is the tutorial's loop: it stops
at whichever comes first.

The loop itself is written once, in ``Descent``, for R networks of one shape
side by side; a ``Trainer`` is the case of one network, and
``nnplay.batched.train_seeds`` the case of many.

Nothing here draws or prints: the page and the command line do that with
the numbers the trainer keeps (``iteration``, ``last_error``, ``history``,
``snapshots``, ``divergence``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnplay import _checks, dropout
from nnplay.activations import ACTIVATIONS, Activation
from nnplay.backprop import Layout, Workspace, forward, forward_backward
from nnplay.history import ErrorHistory
from nnplay.losses import LOSSES, Loss, compatibility_problem
from nnplay.network import MAX_SEED, Network
from nnplay.optimizers import OPTIMIZERS, Hyperparameters, Optimizer, new_state
from nnplay.regularizers import add_gradient, clip_crossings
from nnplay.schedules import learning_rate_at
from nnplay.settings import SETTINGS
from nnplay.snapshots import Snapshots

MAX_EXAMPLES = 20_000

@dataclass(frozen=True)
class TrainerSettings:
    """How to train: loss, update rule and its numbers, batches, penalty.

    ``batch_size`` None means the whole training set each iteration (the
    tutorial's full batch); mini-batches are drawn in an order shuffled once
    per pass with ``shuffle_seed``.
    """

    learning_rate: float = 0.2
    loss: str = "sse"
    optimizer: str = "sgd"
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    batch_size: int | None = None
    regularization: str = "none"
    regularization_rate: float = 0.0
    shuffle_seed: int = 0
    schedule: str = "constant"
    """How η changes over the iterations (``nnplay.schedules``), with the next four."""
    decay_steps: int = 1000
    decay_rate: float = 0.5
    decay_floor: float = 0.0
    warmup: int = 0
    patience: int = 0
    """Iterations without a better test error before training stops and goes back to the
    best weights (0: never; needs a test set, ``Trainer.watch``)."""
    dropout: float = 0.0
    """The share of every hidden layer's nodes dropped in each training pass
    (``nnplay.dropout``; the masks are drawn from the network's seed and the iteration)."""

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            if field.name in SETTINGS and field.name != "batch_size":
                SETTINGS[field.name].check(getattr(self, field.name))  # as the page allows
        _checks.number("epsilon", self.epsilon, low=0.0, low_open=True, high=1.0)
        if self.batch_size is not None:  # any size up to the examples (checked with them)
            _checks.integer("batch_size", self.batch_size, 1)
        _checks.integer("shuffle_seed", self.shuffle_seed, 0, MAX_SEED)

    @property
    def scheduled(self) -> bool:
        """Whether η changes over the iterations."""
        return self.schedule != "constant" or self.warmup > 0

    def learning_rate_at(self, iteration: int, learning_rate: float | np.ndarray | None = None
                         ) -> float | np.ndarray:
        """The η that iteration ``iteration`` (0 for the first) uses; ``learning_rate``, if
        given, in place of the set η (an array: one per network)."""
        eta = self.learning_rate if learning_rate is None else learning_rate
        return learning_rate_at(iteration, eta, self.schedule, self.decay_steps,
                                self.decay_rate, self.decay_floor, self.warmup)

    def hyperparameters(self, iteration: int = 0,
                        learning_rate: float | np.ndarray | None = None) -> Hyperparameters:
        return Hyperparameters(self.learning_rate_at(iteration, learning_rate), self.momentum,
                               self.beta1, self.beta2, self.epsilon)

    def replace(self, **changes: object) -> TrainerSettings:
        """A copy with ``changes`` applied (and validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"Unknown training setting(s): {', '.join(sorted(unknown))}.")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class EarlyStop:
    """Why training stopped early: the test error had stopped improving."""

    iteration: int
    """The iteration at which it stopped."""
    best_iteration: int
    """The iteration of the best test error, which the trainer went back to."""
    test_error: float
    message: str


@dataclass
class _Best:
    """The state with the lowest test error so far."""

    iteration: int
    test_error: float
    last_error: float | None
    parameters: np.ndarray
    optimizer_state: dict[str, np.ndarray]


@dataclass(frozen=True)
class Divergence:
    """Why training stopped on its own: the error or a weight stopped being a number."""

    iteration: int
    """The iteration at which the problem appeared."""
    kept_iteration: int
    """The iteration of the state the trainer went back to (the last finite one)."""
    message: str


@dataclass(frozen=True)
class Checkpoint:
    """A ``Trainer``'s state at one moment (see ``Trainer.checkpoint``)."""

    iteration: int
    last_errors: np.ndarray
    parameters: np.ndarray
    optimizer_state: dict[str, np.ndarray]
    settings: TrainerSettings
    divergence: Divergence | None
    early_stop: EarlyStop | None
    best: _Best | None
    history: ErrorHistory
    snapshots: Snapshots
    epoch_order: tuple[int, np.ndarray] | None
    backup: tuple


def check_data(X: object, y: object, n_inputs: int, n_outputs: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``X`` ``(n, n_inputs)`` and ``y`` ``(n, n_outputs)`` as float64, or raise."""
    X = _checks.matrix("X", X, (None, n_inputs))
    y = _checks.matrix("y", y, (None, n_outputs))
    if X.shape[0] != y.shape[0]:
        _checks.fail("y", f"one row per example of X ({X.shape[0]} rows)", f"{y.shape[0]} rows")
    if not 1 <= X.shape[0] <= MAX_EXAMPLES:
        _checks.fail("X", f"between 1 and {MAX_EXAMPLES} examples", f"{X.shape[0]} examples")
    return X, y


def check_compatible(settings: TrainerSettings, output_activation: str, n_examples: int) -> None:
    """Raise if ``settings`` cannot train an ``output_activation`` output on ``n_examples`` examples."""
    problem = compatibility_problem(settings.loss, output_activation)
    if problem:
        raise ValueError(problem)
    if settings.batch_size is not None and settings.batch_size > n_examples:
        _checks.fail("batch_size", f"at most the number of examples ({n_examples})",
                     settings.batch_size)


def _finite(error: np.ndarray) -> bool:
    """Whether every network's error is finite: inf or NaN anywhere makes the sum inf or NaN."""
    return math.isfinite(error if error.ndim == 0 else error.sum())


def _lowest(error: np.ndarray) -> float:
    """The smallest of the networks' errors."""
    return error if error.ndim == 0 else error.min()


class Descent:
    """Gradient descent of one network, or of R networks of one shape side by side: the training loop.

    ``params`` holds the flat weights, ``(P,)`` for one network or ``(R, P)`` for R
    networks; every array follows with the same leading axes, and ``nnplay.backprop``
    does the same maths either way, so each of R networks takes exactly the steps it
    would take alone. What each network has come to (arrays shaped like one error,
    ``()`` or ``(R,)``): ``iterations``, ``last_errors`` (NaN before the first),
    ``diverged`` and, in the last call of ``train``, ``solved``. ``seeds``, shaped likewise,
    key each network's dropout masks; ``learning_rates``, if set (``(R, 1)``), gives each
    network its own η in place of the settings' (a sweep over η trains them side by side).
    """

    node_masks: list[np.ndarray] | None = None
    """Nodes switched off, per hidden layer ``(n_J, 1)`` (``Network.switch_off``), or None."""

    def __init__(self, layout: Layout, params: np.ndarray, X: np.ndarray, y: np.ndarray,
                 settings: TrainerSettings, hidden: Sequence[Activation], output: Activation,
                 seeds: np.ndarray | int = 0) -> None:
        self.params, self.X, self.y, self.seeds = params, X, y, seeds
        self.settings, self.hidden, self.output = settings, hidden, output
        lead = params.shape[:-1]
        self.optimizer_state = new_state(OPTIMIZERS[settings.optimizer], params)
        self.iterations = np.zeros(lead, dtype=np.int64)
        self.last_errors = np.full(lead, np.nan)
        self.diverged = np.zeros(lead, dtype=bool)
        self.solved = np.zeros(lead, dtype=bool)
        self.learning_rates: np.ndarray | None = None
        self.record_every = 4096
        """Iterations between two calls of ``_record`` (the errors are handed over in chunks)."""
        self._layout = layout
        self._weights = layout.views(params)
        self._ws = Workspace(layout, X.shape[0], lead)
        self._ws.load(X)
        self._T = np.ascontiguousarray(y.T)
        self._bias_mask = layout.bias_mask()
        self._ones = np.ones(params.size)
        self._backup = np.empty_like(params)
        self._backup_state = {k: v.copy() for k, v in self.optimizer_state.items()}
        self._backup_iteration: int | None = None  # no backup yet
        self.keep_gradients = False
        """Whether each iteration copies its gradient into ``step_gradients`` (for a page that
        shows one weight's; the update rules change the gradient array in place)."""
        self.step_gradients: np.ndarray | None = None
        """With ``keep_gradients``, the gradient the last iteration's update used (its penalty
        included), flat like ``params``."""
        self._backup_error = self.last_errors  # last_errors as they were at the backup
        self._batch_spaces: dict[int, Workspace] = {}
        self._epoch_order: tuple[int, np.ndarray] | None = None
        # Within a call of train: who is still running, and the errors not yet handed over.
        self._running = ~self.diverged
        self._everyone = True
        self._first, self._errors = 0, []

    def train(self, n: int, min_error: float | None = None) -> None:
        """Run up to ``n`` iterations; each network stops at ``min_error`` or where it diverges.

        An iteration whose error reaches ``min_error`` counts, as the tutorial
        breaks after ``backProp``. A network whose error is not finite goes back
        one iteration (if the backup holds it); one whose weights overflow goes
        back to before the update. A diverged network stays stopped; the others go on.
        """
        self._running = ~self.diverged
        if not self._running.any():
            return
        self._everyone = bool(self._running.all())
        self.solved = np.zeros_like(self._running)
        settings = self.settings
        update = OPTIMIZERS[settings.optimizer].update
        rates = self.learning_rates
        h = settings.hyperparameters(0, rates)
        scheduled = settings.scheduled
        penalised = settings.regularization != "none" and settings.regularization_rate > 0.0
        dropping = settings.dropout > 0.0 and len(self._layout.shape) > 2
        l1 = penalised and settings.regularization == "l1"
        loss = LOSSES[settings.loss]
        full_batch = settings.batch_size is None or settings.batch_size >= self.X.shape[0]
        params, state, flat = self.params, self.optimizer_state, self.params.reshape(-1)
        weights, ws, T, hidden, output = self._weights, self._ws, self._T, self.hidden, self.output
        # The networks still running share one iteration count.
        iteration = self._first = int(self.iterations.max(where=self._running, initial=0))
        errors = self._errors = []
        # Overflow to inf is expected (a sigmoid of -1000 is 0) and divergence
        # is caught below, so numpy's warnings would only be noise here.
        with np.errstate(all="ignore"):
            for _ in range(n):
                masks = self.masks_at(iteration, dropping)
                if full_batch:
                    error = forward_backward(weights, ws, T, hidden, output, loss, masks=masks)
                    grads = ws.gradients
                else:
                    error, grads = self._mini_batch_pass(iteration, loss, masks)
                if not _finite(error) and self._stop(~np.isfinite(error), "error", iteration, error):
                    break
                if self._before_update(iteration):
                    break
                self._keep_backup(iteration)
                if penalised:
                    add_gradient(grads, params, self._bias_mask, settings.regularization,
                                 settings.regularization_rate)
                if self.keep_gradients:
                    self.step_gradients = grads.copy()
                if scheduled:
                    h = settings.hyperparameters(iteration, rates)
                update(params, grads, state, h)
                if l1:
                    clip_crossings(params, self._backup, self._bias_mask)
                if not self._everyone:
                    self._restore(~self._running)  # stopped networks stay as they are
                # One dot product sees any inf or NaN among the weights of every network.
                if not math.isfinite(np.dot(flat, self._ones)) and self._stop(
                        self._overflowed(), "weights", iteration, error):
                    break
                self.last_errors = error if self._everyone else np.where(self._running, error,
                                                                         self.last_errors)
                errors.append(error)
                iteration += 1
                if len(errors) == self.record_every:
                    self._hand_over_errors()
                # "not >": a NaN (a network that diverged at once, with nothing to go back to)
                # must not hide the others' errors from this test.
                if min_error is not None and not _lowest(error) > min_error and self._stop(
                        error <= min_error, "solved", iteration, error):
                    break
        self.iterations = np.where(self._running, iteration, self.iterations)
        self._hand_over_errors()

    def keep(self, rows: np.ndarray) -> None:
        """Go on with the networks ``rows`` (a boolean mask) only: the others, stopped, leave
        the batch, so that later iterations cost only what is still running. Every array
        (the backup included) keeps its rows, so each network goes on exactly as before."""
        def kept(array):
            return array[rows] if np.ndim(array) else array
        self.params = kept(self.params)
        self.optimizer_state = {k: kept(v) for k, v in self.optimizer_state.items()}
        self.iterations, self.last_errors, self.diverged, self.solved, self.seeds = map(
            kept, (self.iterations, self.last_errors, self.diverged, self.solved, self.seeds))
        if self.learning_rates is not None:
            self.learning_rates = kept(self.learning_rates)
        self._backup, self._backup_error = kept(self._backup), kept(self._backup_error)
        self._backup_state = {k: kept(v) for k, v in self._backup_state.items()}
        lead = self.params.shape[:-1]
        self._weights = self._layout.views(self.params)
        self._ws = Workspace(self._layout, self.X.shape[0], lead)
        self._ws.load(self.X)
        self._ones = np.ones(self.params.size)
        self._batch_spaces = {}

    def _stop(self, rows: np.ndarray, why: str, iteration: int, error: np.ndarray) -> bool:
        """Stop the running networks among ``rows``; return True if none is left running.

        ``why`` is "solved" (``iteration`` counted) or, for a divergence, "error" or "weights".
        """
        rows = rows & self._running
        if not rows.any():
            return False
        self._hand_over_errors()
        if why == "solved":
            self.solved = self.solved | rows
            self.iterations = np.where(rows, iteration, self.iterations)
        else:
            self._diverge(rows, why, iteration, error)
        self._running = self._running & ~rows
        self._everyone = False
        return not self._running.any()

    def _overflowed(self) -> np.ndarray:
        """Which networks hold an inf or NaN among their weights (one dot product each)."""
        return ~np.isfinite(self.params @ self._ones[:self.params.shape[-1]])

    def _hand_over_errors(self) -> None:
        self._record(self._first, self._errors)
        self._first += len(self._errors)
        self._errors.clear()

    def dropout_masks(self, iteration: int) -> list[np.ndarray]:
        """Iteration ``iteration``'s dropout masks, one ``(..., n_J, n_examples)`` array per
        hidden layer, a column per training example (``nnplay.dropout.masks``)."""
        return dropout.masks(self.seeds, iteration, self.settings.dropout,
                             self._layout.shape[1:-1], self.X.shape[0])

    def masks_at(self, iteration: int, dropping: bool | None = None) -> list[np.ndarray] | None:
        """What multiplies each hidden layer's output in iteration ``iteration``'s training
        pass: its dropout masks (``dropping``: whether there are any; by default, as the
        settings say) times the nodes switched off, or None when neither."""
        if dropping is None:
            dropping = self.settings.dropout > 0.0 and len(self._layout.shape) > 2
        off = self.node_masks
        if not dropping:
            return off
        drop = self.dropout_masks(iteration)
        return drop if off is None else [m * on for m, on in zip(drop, off)]

    def _mini_batch_pass(self, iteration: int, loss: Loss, masks: list[np.ndarray] | None
                         ) -> tuple[np.ndarray, np.ndarray]:
        """The error on the whole training set, and the gradient on this iteration's batch
        (with dropout, both under this iteration's masks: a batch takes its examples' columns)."""
        error = self._error(loss, masks)
        rows = self._batch_rows(iteration)
        ws = self._batch_spaces.get(rows.size)
        if ws is None:
            ws = self._batch_spaces[rows.size] = Workspace(self._layout, rows.size,
                                                           self.params.shape[:-1])
        ws.load(self.X[rows])
        # Dropout's masks have a column per example; the nodes switched off, one for all.
        batch_masks = None if masks is None else [m if m.shape[-1] == 1 else m[..., rows]
                                                  for m in masks]
        forward_backward(self._weights, ws, self.y[rows].T, self.hidden, self.output, loss,
                         masks=batch_masks)
        return error, ws.gradients

    def _error(self, loss: Loss, masks: list[np.ndarray] | None = None) -> np.ndarray:
        """The error on the training set with ``masks`` (by default the nodes switched off)."""
        masks = self.node_masks if masks is None else masks
        O_K = forward(self._weights, self._ws, self.hidden, self.output, masks)
        return loss.evaluate(self._ws.layer_inputs[-1], O_K, self._T, self.output)[0]

    def _batch_rows(self, iteration: int) -> np.ndarray:
        """The examples of this iteration's mini-batch: a seeded shuffle per pass (epoch)."""
        size, n = self.settings.batch_size, self.X.shape[0]
        per_epoch = -(-n // size)
        epoch, index = divmod(iteration, per_epoch)
        if self._epoch_order is None or self._epoch_order[0] != epoch:
            # Each epoch's order depends only on the seed and the epoch: a run
            # resumed from a file shuffles exactly as the original did.
            rng = np.random.default_rng([self.settings.shuffle_seed, epoch])
            self._epoch_order = (epoch, rng.permutation(n))
        return self._epoch_order[1][index * size:(index + 1) * size]

    def _keep_backup(self, iteration: int) -> None:
        """Copy the weights and slots before the update, so that it can be taken back."""
        np.copyto(self._backup, self.params)
        for key, value in self.optimizer_state.items():
            np.copyto(self._backup_state[key], value)
        self._backup_iteration = iteration
        self._backup_error = self.last_errors

    def _restore(self, rows: np.ndarray) -> None:
        """Networks ``rows`` go back to the backup (weights and slots)."""
        where = rows[..., None]
        np.copyto(self.params, self._backup, where=where)
        for key, value in self.optimizer_state.items():
            np.copyto(value, self._backup_state[key], where=where)

    def _diverge(self, rows: np.ndarray, cause: str, found: int, error: np.ndarray) -> None:
        """Networks ``rows`` diverged at iteration ``found``: they go back to the backup if it
        holds the state just before (the iteration before for an error, before the update for
        overflowing weights), else they stay as they are."""
        back_to = found - 1 if cause == "error" else found
        kept = found
        if self._backup_iteration == back_to:
            self._restore(rows)
            self.last_errors = np.where(rows, self._backup_error, self.last_errors)
            kept = back_to
        self.iterations = np.where(rows, kept, self.iterations)
        self.diverged = self.diverged | rows
        self._diverged(cause, found, kept, error)

    # -- what a Trainer or a batch of seeds adds ---------------------------------------

    def _before_update(self, iteration: int) -> bool:
        """Called each iteration once its error is known to be finite, before its update (the
        Trainer takes snapshots and watches the test error); True stops training there."""
        return False

    def _record(self, first: int, errors: list[np.ndarray]) -> None:
        """Take the errors of iterations ``first``, ``first + 1``, ... (every network's, in order).

        A network's errors count up to its ``iterations``: later ones (once it
        stopped, or the one it took back) are to be ignored.
        """

    def _diverged(self, cause: str, found: int, kept: int, error: np.ndarray) -> None:
        """Called when networks diverge: ``cause`` is "error" or "weights"."""


class Trainer(Descent):
    """Trains ``network`` on examples ``X`` ``(n, n_inputs)`` with targets ``y`` ``(n, n_outputs)``.

    Keyword arguments are the fields of ``TrainerSettings`` (``learning_rate``,
    ``loss``, ``optimizer``, ``momentum``, ``batch_size``, ``regularization``,
    ``regularization_rate``, ...). The trainer changes ``network`` in place.
    It is ``Descent`` for one network, with an error history, snapshots to
    rewind to and a sentence for a divergence.
    """

    def __init__(
        self,
        network: Network,
        X: np.ndarray,
        y: np.ndarray,
        *,
        history_capacity: int = 2048,
        snapshot_capacity: int = 64,
        **settings: object,
    ) -> None:
        if not isinstance(network, Network):
            _checks.fail("network", "an nnplay.Network", type(network).__name__, TypeError)
        X, y = check_data(X, y, network.n_inputs, network.n_outputs)
        # Buckets of the history merge in pairs: an even number of them.
        if _checks.integer("history_capacity", history_capacity, 2) % 2:
            _checks.fail("history_capacity", "an even whole number", history_capacity)
        _checks.integer("snapshot_capacity", snapshot_capacity, 2)
        self.network = network
        settings = TrainerSettings().replace(**settings)
        check_compatible(settings, network.output_activation, X.shape[0])
        super().__init__(network.layout, network.parameters, X, y, settings,
                         tuple(ACTIVATIONS[name] for name in network.hidden_activations),
                         ACTIVATIONS[network.output_activation], network.seed)
        self._divergence: Divergence | None = None
        self.early_stop: EarlyStop | None = None
        """Why training stopped early, or None; steps do nothing until ``configure``."""
        self._test: tuple[Workspace, np.ndarray] | None = None
        self._best: _Best | None = None
        self._stopping: int | None = None
        self.history = ErrorHistory(history_capacity)
        self.snapshots = Snapshots(snapshot_capacity)
        self.snapshots.offer(0, network.parameters, self.optimizer_state)

    # -- the one network's numbers -------------------------------------------------

    @property
    def node_masks(self) -> list[np.ndarray] | None:
        """The network's nodes switched off (``Network.switch_off``)."""
        return self.network.node_masks

    @property
    def iteration(self) -> int:
        """Iterations run so far (the one that reached ``min_error`` included)."""
        return int(self.iterations)

    @iteration.setter
    def iteration(self, value: int) -> None:
        self.iterations = np.asarray(value, dtype=np.int64)

    @property
    def last_error(self) -> float | None:
        """The error of the last iteration's forward pass, or None before the first."""
        error = float(self.last_errors)
        return None if math.isnan(error) else error

    @last_error.setter
    def last_error(self, value: float | None) -> None:
        self.last_errors = np.float64(np.nan if value is None else value)

    @property
    def divergence(self) -> Divergence | None:
        """Why training stopped on its own, or None; steps do nothing until it is cleared."""
        return self._divergence

    @divergence.setter
    def divergence(self, value: Divergence | None) -> None:
        self._divergence = value
        self.diverged = np.asarray(value is not None)

    # -- configuration ---------------------------------------------------------

    def configure(self, **changes: object) -> None:
        """Change training settings and keep the network (e.g. a new learning rate).

        A new update rule starts with fresh slots. Clears a divergence, so
        training can go on with, say, a smaller learning rate.
        """
        settings = self.settings.replace(**changes)
        check_compatible(settings, self.network.output_activation, self.X.shape[0])
        if settings.optimizer != self.settings.optimizer:
            self._fresh_slots(OPTIMIZERS[settings.optimizer])
            self._best = None  # its slots belong to the other rule
        if settings.batch_size != self.settings.batch_size:
            self._epoch_order = None
        self.settings = settings
        self.divergence = None
        self.early_stop = None

    def watch(self, X: np.ndarray, y: np.ndarray) -> None:
        """Measure the error on test examples ``X``, ``y`` every iteration, for ``patience``."""
        X, y = check_data(X, y, self.network.n_inputs, self.network.n_outputs)
        ws = Workspace(self._layout, X.shape[0])
        ws.load(X)
        self._test, self._best = (ws, np.ascontiguousarray(y.T)), None

    def _fresh_slots(self, optimizer: Optimizer) -> None:
        self.optimizer_state = new_state(optimizer, self.network.parameters)
        self._backup_state = {k: v.copy() for k, v in self.optimizer_state.items()}
        self._backup_iteration = None

    # -- stepping --------------------------------------------------------------

    def step(self, n: int = 1) -> float | None:
        """Run ``n`` iterations; return the error of the last one's forward pass.

        After a divergence, steps do nothing until ``configure`` or
        ``restore`` is called; the error returned is then the last finite one.
        """
        self.train(_checks.integer("n", n, 1))
        return self.last_error

    def run(self, max_iterations: int, min_error: float = 0.0) -> int:
        """The tutorial's loop: iterate until ``max_iterations`` or error <= ``min_error``.

        Returns the number of iterations run (the one that reached
        ``min_error`` included, as the tutorial breaks after ``backProp``).
        """
        max_iterations = _checks.integer("max_iterations", max_iterations, 0)
        min_error = _checks.number("min_error", min_error, low=0.0)
        start = self.iteration
        if max_iterations:
            self.train(max_iterations, min_error)
        return self.iteration - start

    def error(self) -> float:
        """The error of the current weights on the training set (one forward pass)."""
        with np.errstate(all="ignore"):
            return float(self._error(LOSSES[self.settings.loss]))

    def train(self, n: int, min_error: float | None = None) -> None:
        if self.early_stop is None:
            self._stopping = None
            super().train(n, min_error)
            if self._stopping is not None:
                self._go_back_to_best(self._stopping)

    def _before_update(self, iteration: int) -> bool:
        if iteration % self.snapshots.every == 0:
            self.snapshots.offer(iteration, self.params, self.optimizer_state)
        if not self.settings.patience or self._test is None:
            return False
        ws, T = self._test
        O_K = forward(self._weights, ws, self.hidden, self.output, self.node_masks)
        test_error = float(LOSSES[self.settings.loss].evaluate(ws.layer_inputs[-1], O_K, T,
                                                               self.output)[0])
        best = self._best
        if best is None or test_error < best.test_error:
            self._best = _Best(iteration, test_error, self.last_error, self.params.copy(),
                               {k: v.copy() for k, v in self.optimizer_state.items()})
            return False
        if iteration - best.iteration < self.settings.patience:
            return False
        self._stopping = iteration
        return True

    def _go_back_to_best(self, iteration: int) -> None:
        """Stop early: back to the weights, slots and history of the best test error."""
        best = self._best
        self._go_back(best.iteration, best.parameters, best.optimizer_state)
        self.last_error = best.last_error
        self.early_stop = EarlyStop(
            iteration, best.iteration, best.test_error,
            f"The test error has not improved for {self.settings.patience:,} iterations: "
            f"training stopped at iteration {iteration:,} and went back to the best weights, "
            f"from iteration {best.iteration:,} (test error {best.test_error:.6g}). Raise the "
            "patience, or set it to 0, to go on.")

    def _record(self, first: int, errors: list[np.ndarray]) -> None:
        self.history.extend(errors)

    # -- divergence --------------------------------------------------------------

    def _diverged(self, cause: str, found: int, kept: int, error: np.ndarray) -> None:
        if cause == "error" and kept < found:
            self.history.drop_last()  # the iteration taken back
        lr = self.settings.learning_rate
        if cause == "weights":
            what = f"The learning rate {lr:g} made the weights overflow at iteration {found}"
        else:
            word = "infinite" if math.isinf(error) else "NaN (not a number)"
            what = f"The error became {word} at iteration {found}"
            if kept < found:
                what += f": the learning rate {lr:g} is too large for this network"
        if kept < found or cause == "weights":
            kept_text = f"Training stopped and kept the network as it was at iteration {kept}"
        else:
            kept_text = "There is no earlier state to go back to"
        message = f"{what}. {kept_text}. Lower the learning rate, then carry on or reset."
        self.divergence = Divergence(found, kept, message)

    # -- going back to any earlier moment exactly ------------------------------------

    def checkpoint(self) -> Checkpoint:
        """Everything training changes, copied: ``resume`` returns to it bit for bit (the page
        goes back to the frame a student paused on)."""
        arrays = {k: v.copy() for k, v in self.optimizer_state.items()}
        backup = (self._backup.copy(), {k: v.copy() for k, v in self._backup_state.items()},
                  self._backup_iteration, self._backup_error)
        return Checkpoint(self.iteration, self.last_errors.copy(), self.params.copy(), arrays,
                          self.settings, self._divergence, self.early_stop, self._best,
                          self.history.copy(), self.snapshots.copy(),
                          self._epoch_order, backup)

    def resume(self, checkpoint: Checkpoint) -> None:
        """Return to ``checkpoint`` (taken from this trainer by ``checkpoint``)."""
        c = checkpoint
        if self.settings.optimizer != c.settings.optimizer:
            self._fresh_slots(OPTIMIZERS[c.settings.optimizer])
        self.settings = c.settings
        np.copyto(self.params, c.parameters)
        for key, value in c.optimizer_state.items():
            np.copyto(self.optimizer_state[key], value)
        self.iteration, self.last_errors = c.iteration, c.last_errors.copy()
        self.divergence, self.early_stop, self._best = c.divergence, c.early_stop, c.best
        self.history = c.history.copy()
        self.snapshots = c.snapshots.copy()
        self._epoch_order = c.epoch_order
        backup, state, self._backup_iteration, self._backup_error = c.backup
        np.copyto(self._backup, backup)
        for key, value in state.items():
            np.copyto(self._backup_state[key], value)

    # -- rewinding ---------------------------------------------------------------

    def _go_back(self, iteration: int, parameters: np.ndarray, slots: dict[str, np.ndarray]) -> None:
        """The weights and slots become ``parameters`` and ``slots``, as at ``iteration``;
        the history and the snapshots are cut back to it."""
        np.copyto(self.params, parameters)
        for key, value in slots.items():
            np.copyto(self.optimizer_state[key], value)
        self._backup_iteration = None
        self.iteration = iteration
        self.history.truncate(iteration)
        self.snapshots.forget_after(iteration)

    def restore(self, iteration: int) -> int:
        """Go back to the latest snapshot at or before ``iteration``; return its iteration.

        The weights and optimiser slots become exactly the snapshot's; the error
        history is cut back to it (to the resolution of its buckets).
        """
        snapshot = self.snapshots.at(_checks.integer("iteration", iteration, 0))
        optimizer = OPTIMIZERS[self.settings.optimizer]
        slots = snapshot.optimizer_state
        if set(slots) != set(optimizer.slots):  # taken under another rule: its slots afresh
            self._fresh_slots(optimizer)
            slots = self.optimizer_state
        self._go_back(snapshot.iteration, snapshot.parameters, slots)
        self.last_error = self.history.last
        self.divergence = self.early_stop = None
        if self._best is not None and self._best.iteration > snapshot.iteration:
            self._best = None
        return snapshot.iteration
