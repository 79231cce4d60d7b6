"""The trainer: steps a network through back propagation, iteration by iteration.

``Trainer.step(n)`` is the tutorial's ``backProp`` called n times: each
iteration runs the forward pass, measures the error, pulls the deltas back
and updates the weights, and ``step`` returns the error measured in the last
forward pass (before that iteration's update, as ``backProp`` returns it).
``Trainer.run(max_iterations, min_error)`` is the tutorial's loop: it stops
at whichever comes first.

Nothing here draws or prints: the page and the command line do that with
the numbers the trainer keeps (``iteration``, ``last_error``, ``history``,
``snapshots``, ``divergence``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS
from nnplay.backprop import Workspace, forward, forward_backward
from nnplay.history import ErrorHistory
from nnplay.losses import LOSSES, compatibility_problem
from nnplay.network import Network
from nnplay.optimizers import OPTIMIZERS, Hyperparameters, new_state
from nnplay.regularizers import REGULARIZERS, add_gradient, clip_crossings
from nnplay.snapshots import Snapshots

MAX_EXAMPLES = 20_000
MAX_LEARNING_RATE = 1e6


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

    def __post_init__(self) -> None:
        _checks.number("learning_rate", self.learning_rate, low=0.0, low_open=True,
                       high=MAX_LEARNING_RATE)
        _checks.choice("loss", self.loss, LOSSES)
        _checks.choice("optimizer", self.optimizer, OPTIMIZERS)
        _checks.number("momentum", self.momentum, low=0.0, high=0.999)
        _checks.number("beta1", self.beta1, low=0.0, high=0.999)
        _checks.number("beta2", self.beta2, low=0.0, high=0.999999)
        _checks.number("epsilon", self.epsilon, low=0.0, low_open=True, high=1.0)
        if self.batch_size is not None:
            _checks.integer("batch_size", self.batch_size, 1)
        _checks.choice("regularization", self.regularization, REGULARIZERS)
        _checks.number("regularization_rate", self.regularization_rate, low=0.0, high=10.0)
        _checks.integer("shuffle_seed", self.shuffle_seed, 0, 2**63 - 1)

    def hyperparameters(self) -> Hyperparameters:
        return Hyperparameters(self.learning_rate, self.momentum, self.beta1, self.beta2,
                               self.epsilon)

    def replace(self, **changes: object) -> TrainerSettings:
        """A copy with ``changes`` applied (and validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"Unknown training setting(s): {', '.join(sorted(unknown))}.")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Divergence:
    """Why training stopped on its own: the error or a weight stopped being a number."""

    iteration: int
    """The iteration at which the problem appeared."""
    kept_iteration: int
    """The iteration of the state the trainer went back to (the last finite one)."""
    message: str


def check_data(X: object, y: object, n_inputs: int, n_outputs: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``X`` ``(n, n_inputs)`` and ``y`` ``(n, n_outputs)`` as float64, or raise."""
    X = _checks.matrix("X", X, (None, n_inputs))
    y = _checks.matrix("y", y, (None, n_outputs))
    if X.shape[0] != y.shape[0]:
        _checks.fail("y", f"one row per example of X ({X.shape[0]} rows)", f"{y.shape[0]} rows")
    if not 1 <= X.shape[0] <= MAX_EXAMPLES:
        _checks.fail("X", f"between 1 and {MAX_EXAMPLES} examples", f"{X.shape[0]} examples")
    return X, y


class Trainer:
    """Trains ``network`` on examples ``X`` ``(n, n_inputs)`` with targets ``y`` ``(n, n_outputs)``.

    Keyword arguments are the fields of ``TrainerSettings`` (``learning_rate``,
    ``loss``, ``optimizer``, ``momentum``, ``batch_size``, ``regularization``,
    ``regularization_rate``, ...). The trainer changes ``network`` in place.
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
        self.network = network
        self.X, self.y = check_data(X, y, network.n_inputs, network.n_outputs)
        _checks.integer("history_capacity", history_capacity, 2)
        _checks.integer("snapshot_capacity", snapshot_capacity, 2)
        self.settings = TrainerSettings().replace(**settings)
        self._check_compatible(self.settings)
        self.iteration = 0
        self.last_error: float | None = None
        self.divergence: Divergence | None = None
        self.history = ErrorHistory(history_capacity)
        self.snapshots = Snapshots(snapshot_capacity)
        self.optimizer_state = new_state(OPTIMIZERS[self.settings.optimizer], network.parameters)
        self._prepare()
        self.snapshots.offer(0, network.parameters, self.optimizer_state)

    # -- configuration ---------------------------------------------------------

    def _check_compatible(self, settings: TrainerSettings) -> None:
        problem = compatibility_problem(settings.loss, self.network.output_activation)
        if problem:
            raise ValueError(problem)
        if settings.batch_size is not None and settings.batch_size > self.X.shape[0]:
            _checks.fail("batch_size", f"at most the number of examples ({self.X.shape[0]})",
                         settings.batch_size)

    def _prepare(self) -> None:
        """Build the arrays the hot loop reuses."""
        network = self.network
        self._weights = network.layout.views(network.parameters)
        self._ws = Workspace(network.layout, self.X.shape[0])
        self._ws.load(self.X)
        self._T = np.ascontiguousarray(self.y.T)
        self._bias_mask = network.layout.bias_mask()
        self._backup = np.empty_like(network.parameters)
        self._ones = np.ones_like(network.parameters)
        self._backup_state = {k: v.copy() for k, v in self.optimizer_state.items()}
        self._backup_iteration = -1  # no backup yet
        self._backup_last_error: float | None = None  # last_error as it was at the backup
        self._batch_spaces: dict[int, Workspace] = {}
        self._epoch_order: tuple[int, np.ndarray] | None = None

    def configure(self, **changes: object) -> None:
        """Change training settings and keep the network (e.g. a new learning rate).

        A new update rule starts with fresh slots. Clears a divergence, so
        training can go on with, say, a smaller learning rate.
        """
        settings = self.settings.replace(**changes)
        self._check_compatible(settings)
        if settings.optimizer != self.settings.optimizer:
            self.optimizer_state = new_state(OPTIMIZERS[settings.optimizer],
                                             self.network.parameters)
            self._backup_state = {k: v.copy() for k, v in self.optimizer_state.items()}
            self._backup_iteration = -1
        if settings.batch_size != self.settings.batch_size:
            self._epoch_order = None
        self.settings = settings
        self.divergence = None

    # -- stepping --------------------------------------------------------------

    def step(self, n: int = 1) -> float | None:
        """Run ``n`` iterations; return the error of the last one's forward pass.

        After a divergence, steps do nothing until ``configure`` or
        ``restore`` is called; the error returned is then the last finite one.
        """
        self._train(_checks.integer("n", n, 1), None)
        return self.last_error

    def run(self, max_iterations: int, min_error: float = 0.0) -> int:
        """The tutorial's loop: iterate until ``max_iterations`` or error <= ``min_error``.

        Returns the number of iterations run (the one that reached
        ``min_error`` included, as the tutorial breaks after ``backProp``).
        """
        max_iterations = _checks.integer("max_iterations", max_iterations, 0)
        min_error = _checks.number("min_error", min_error, low=0.0)
        return self._train(max_iterations, min_error) if max_iterations else 0

    def _train(self, n: int, min_error: float | None) -> int:
        if self.divergence is not None:
            return 0
        params, state, settings = self.network.parameters, self.optimizer_state, self.settings
        update = OPTIMIZERS[settings.optimizer].update
        h = settings.hyperparameters()
        penalised = settings.regularization != "none" and settings.regularization_rate > 0.0
        l1 = penalised and settings.regularization == "l1"
        loss = LOSSES[settings.loss]
        hidden = ACTIVATIONS[self.network.activation]
        output = ACTIVATIONS[self.network.output_activation]
        full_batch = settings.batch_size is None or settings.batch_size >= self.X.shape[0]
        snapshots, backup, ones = self.snapshots, self._backup, self._ones
        errors: list[float] = []
        start = self.iteration
        # Overflow to inf is expected (a sigmoid of -1000 is 0) and divergence
        # is caught below, so numpy's warnings would only be noise here.
        with np.errstate(all="ignore"):
            for _ in range(n):
                if full_batch:
                    error = float(forward_backward(self._weights, self._ws, self._T,
                                                   hidden, output, loss))
                    grads = self._ws.gradients
                else:
                    error, grads = self._mini_batch_pass(loss, hidden, output)
                if not math.isfinite(error):
                    self._diverge_on_error(error, errors)
                    break
                if self.iteration % snapshots.every == 0:
                    snapshots.offer(self.iteration, params, state)
                np.copyto(backup, params)
                for key, value in state.items():
                    np.copyto(self._backup_state[key], value)
                self._backup_iteration = self.iteration
                self._backup_last_error = errors[-1] if errors else self.last_error
                if penalised:
                    add_gradient(grads, params, self._bias_mask, settings.regularization,
                                 settings.regularization_rate)
                update(params, grads, state, h)
                if l1:
                    clip_crossings(params, backup, self._bias_mask)
                # One dot product sees any inf or NaN among the weights.
                if not math.isfinite(np.dot(params, ones)):
                    self._restore_backup()
                    self._diverge("weights", self.iteration, self.iteration, error)
                    break
                errors.append(error)
                self.iteration += 1
                if min_error is not None and error <= min_error:
                    break
        self.history.extend(errors)
        if errors:
            self.last_error = errors[-1]
        return self.iteration - start

    def _mini_batch_pass(self, loss, hidden, output) -> tuple[float, np.ndarray]:
        """The error on the whole training set, and the gradient on this iteration's batch."""
        error = self._error(loss, hidden, output)
        rows = self._batch_rows()
        ws = self._batch_spaces.get(rows.size)
        if ws is None:
            ws = self._batch_spaces[rows.size] = Workspace(self.network.layout, rows.size)
        ws.load(self.X[rows])
        forward_backward(self._weights, ws, self.y[rows].T, hidden, output, loss)
        return error, ws.gradients

    def _error(self, loss, hidden, output) -> float:
        O_K = forward(self._weights, self._ws, hidden, output)
        return float(loss.evaluate(self._ws.layer_inputs[-1], O_K, self._T, output)[0])

    def _batch_rows(self) -> np.ndarray:
        """The examples of this iteration's mini-batch: a seeded shuffle per pass (epoch)."""
        size, n = self.settings.batch_size, self.X.shape[0]
        per_epoch = -(-n // size)
        epoch, index = divmod(self.iteration, per_epoch)
        if self._epoch_order is None or self._epoch_order[0] != epoch:
            # Each epoch's order depends only on the seed and the epoch: a run
            # resumed from a file shuffles exactly as the original did.
            rng = np.random.default_rng([self.settings.shuffle_seed, epoch])
            self._epoch_order = (epoch, rng.permutation(n))
        return self._epoch_order[1][index * size:(index + 1) * size]

    def error(self) -> float:
        """The error of the current weights on the training set (one forward pass)."""
        with np.errstate(all="ignore"):
            return self._error(LOSSES[self.settings.loss], ACTIVATIONS[self.network.activation],
                               ACTIVATIONS[self.network.output_activation])

    # -- divergence --------------------------------------------------------------

    def _restore_backup(self) -> None:
        np.copyto(self.network.parameters, self._backup)
        for key, value in self._backup_state.items():
            np.copyto(self.optimizer_state[key], value)

    def _diverge_on_error(self, error: float, errors: list[float]) -> None:
        """The current state's error is not finite: go back one iteration if we can."""
        found = self.iteration
        if self.iteration > 0 and self._backup_iteration == self.iteration - 1:
            self._restore_backup()
            self.iteration -= 1
            self._backup_iteration = -1
            if errors:
                errors.pop()
            else:
                self.history.drop_last()
            # Not history.last: past the history's first buckets it keeps no single values.
            self.last_error = self._backup_last_error
        self._diverge("error", found, self.iteration, error)

    def _diverge(self, cause: str, found: int, kept: int, error: float) -> None:
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

    # -- rewinding ---------------------------------------------------------------

    def restore(self, iteration: int) -> int:
        """Go back to the latest snapshot at or before ``iteration``; return its iteration.

        The weights and optimiser slots become exactly the snapshot's; the error
        history is cut back to it (to the resolution of its buckets).
        """
        snapshot = self.snapshots.at(_checks.integer("iteration", iteration, 0))
        np.copyto(self.network.parameters, snapshot.parameters)
        optimizer = OPTIMIZERS[self.settings.optimizer]
        if set(snapshot.optimizer_state) == set(optimizer.slots):
            self.optimizer_state = {k: v.copy() for k, v in snapshot.optimizer_state.items()}
        else:  # taken under another update rule (changed by configure): start its slots afresh
            self.optimizer_state = new_state(optimizer, self.network.parameters)
        self._backup_state = {k: v.copy() for k, v in self.optimizer_state.items()}
        self._backup_iteration = -1
        self.iteration = snapshot.iteration
        self.history.truncate(snapshot.iteration)
        self.snapshots.forget_after(snapshot.iteration)
        self.last_error = self.history.last
        self.divergence = None
        return snapshot.iteration
