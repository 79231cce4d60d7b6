"""Update rules: how a gradient becomes a change of the weights.

All rules work in place on flat arrays holding every weight of a network
(``(P,)``) or of many networks (``(R, P)``), so one numpy operation updates
every layer. ``state`` holds the rule's own arrays ("slots"), created by
``new_state`` and saved with the run.

``sgd`` is the tutorial's ``W -= η * ΔW``; ``momentum`` keeps a velocity and
``nesterov`` looks one step of it ahead; ``rmsprop`` divides by a running mean of
the squared gradient, ``adagrad`` by the sum of all of them; ``adam`` keeps running
means of the gradient and of its square. Their constants are optax's defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
State = dict[str, Array]


@dataclass(frozen=True)
class Hyperparameters:
    """The numbers an update rule reads (the trainer owns and validates them)."""

    learning_rate: float = 0.2
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8


RMSPROP_DECAY, RMSPROP_EPSILON = 0.9, 1e-8
ADAGRAD_START, ADAGRAD_EPSILON = 0.1, 1e-7


@dataclass(frozen=True)
class Optimizer:
    name: str
    label: str
    slots: tuple[str, ...]
    update: Callable[[Array, Array, State, Hyperparameters], None]
    """``update(params, grads, state, h)`` changes ``params`` (and ``state``) in place."""
    start: float = 0.0
    """What the slots start at (Adagrad's sum of squares starts at 0.1)."""


def new_state(optimizer: Optimizer, params: Array) -> State:
    """Fresh slots for ``optimizer`` shaped like ``params`` (one step count per network)."""
    lead = params.shape[:-1]
    return {
        slot: np.zeros(lead + (1,)) if slot == "steps" else np.full_like(params, optimizer.start)
        for slot in optimizer.slots
    }


def _sgd(params: Array, grads: Array, state: State, h: Hyperparameters) -> None:
    # The tutorial's weightDelta = trainingRate * thisWeightDelta; W -= weightDelta,
    # in that order, so the arithmetic (and every bit) is the same.
    grads *= h.learning_rate
    params -= grads


def _momentum(params: Array, grads: Array, state: State, h: Hyperparameters) -> None:
    velocity = state["velocity"]
    velocity *= h.momentum
    velocity -= h.learning_rate * grads
    params += velocity


def _nesterov(params: Array, grads: Array, state: State, h: Hyperparameters) -> None:
    velocity = state["velocity"]
    velocity *= h.momentum
    velocity -= h.learning_rate * grads
    params += h.momentum * velocity - h.learning_rate * grads  # one step of velocity ahead


def _rmsprop(params: Array, grads: Array, state: State, h: Hyperparameters) -> None:
    mean_square = state["mean_square"]
    mean_square *= RMSPROP_DECAY
    mean_square += (1.0 - RMSPROP_DECAY) * grads * grads
    params -= h.learning_rate * grads / np.sqrt(mean_square + RMSPROP_EPSILON)


def _adagrad(params: Array, grads: Array, state: State, h: Hyperparameters) -> None:
    sum_of_squares = state["sum_of_squares"]
    sum_of_squares += grads * grads
    params -= h.learning_rate * grads / np.sqrt(sum_of_squares + ADAGRAD_EPSILON)


def _adam(params: Array, grads: Array, state: State, h: Hyperparameters) -> None:
    state["steps"] += 1.0
    t = state["steps"]
    m, v = state["m"], state["v"]
    m *= h.beta1
    m += (1.0 - h.beta1) * grads
    v *= h.beta2
    v += (1.0 - h.beta2) * grads * grads
    m_hat = m / (1.0 - h.beta1**t)  # bias correction: m and v start at zero
    v_hat = v / (1.0 - h.beta2**t)
    params -= h.learning_rate * m_hat / (np.sqrt(v_hat) + h.epsilon)


OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in (
        Optimizer("sgd", "gradient descent (tutorial)", (), _sgd),
        Optimizer("momentum", "momentum", ("velocity",), _momentum),
        Optimizer("nesterov", "Nesterov momentum", ("velocity",), _nesterov),
        Optimizer("rmsprop", "RMSprop", ("mean_square",), _rmsprop),
        Optimizer("adagrad", "Adagrad", ("sum_of_squares",), _adagrad, start=ADAGRAD_START),
        Optimizer("adam", "Adam", ("m", "v", "steps"), _adam),
    )
}
"""Every update rule by name; the page, the URL and saved runs use these names."""
