"""Transfer functions f and their derivatives f', side by side.

The tutorial's network uses the sigmoid everywhere; nnplay lets the hidden
layers and the output layer choose separately. Each activation writes
``O_J = f(x_J)`` into a buffer it is given (the engine's hot loop reuses its
arrays) and returns ``f'(x_J)`` from both the layer input ``x_J`` and the
layer output ``O_J``: the sigmoid's derivative ``O (1 - O)`` needs only the
output, exactly as the tutorial computes ``sigmoid(x) * (1 - sigmoid(x))``.

Arrays hold examples in columns, as in the tutorial: ``(nodes, examples)``,
optionally with leading axes for many networks at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

@dataclass(frozen=True)
class Activation:
    """One transfer function: its value, its derivative and how to show it."""

    name: str
    label: str
    latex: str
    apply: Callable[[Array, Array], Array]
    """``apply(x, out)`` writes ``f(x)`` into ``out`` and returns it."""
    derivative: Callable[..., Array]
    """``derivative(x, O, out=None)`` returns ``f'(x)`` given ``O = f(x)`` (into ``out`` if given)."""
    elementwise: bool = True


def _sigmoid(x: Array, out: Array) -> Array:
    # The tutorial's 1 / (1 + exp(-x)), step by step in place: the same
    # arithmetic, so the same bits. exp overflows to inf for x < -709 and
    # 1 / inf = 0 is the right limit; callers silence that warning.
    np.negative(x, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def _sigmoid_derivative(x: Array, O: Array, out: Array | None = None) -> Array:
    # O (1 - O): the tutorial's out * (1 - out), the same product in the same bits.
    out = np.subtract(1.0, O, out=out)
    out *= O
    return out


def _tanh(x: Array, out: Array) -> Array:
    return np.tanh(x, out=out)


def _tanh_derivative(x: Array, O: Array, out: Array | None = None) -> Array:
    out = np.multiply(O, O, out=out)
    return np.subtract(1.0, out, out=out)


def _relu(x: Array, out: Array) -> Array:
    return np.maximum(x, 0.0, out=out)


def _relu_derivative(x: Array, O: Array, out: Array | None = None) -> Array:
    if out is None:
        out = np.empty_like(x)
    return np.greater(x, 0.0, out=out)  # 1.0 where x > 0, else 0.0


LEAKY_SLOPE = 0.01
"""Slope of the leaky ReLU for negative inputs."""


def _leaky_relu(x: Array, out: Array) -> Array:
    # max(0.01 x, x) is x for x > 0 and 0.01 x below: no branch needed.
    np.multiply(x, LEAKY_SLOPE, out=out)
    return np.maximum(x, out, out=out)


def _leaky_relu_derivative(x: Array, O: Array, out: Array | None = None) -> Array:
    slope = np.where(x > 0.0, 1.0, LEAKY_SLOPE)
    if out is None:
        return slope
    np.copyto(out, slope)
    return out


def _linear(x: Array, out: Array) -> Array:
    np.copyto(out, x)
    return out


def _linear_derivative(x: Array, O: Array, out: Array | None = None) -> Array:
    if out is None:
        return np.ones_like(x)
    out.fill(1.0)
    return out


def _softmax(x: Array, out: Array) -> Array:
    # Over the nodes of the layer (axis -2: examples are columns). Shifting by
    # the column maximum keeps exp from overflowing and changes nothing else.
    np.subtract(x, x.max(axis=-2, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=-2, keepdims=True)
    return out


def _softmax_derivative(x: Array, O: Array, out: Array | None = None) -> Array:
    raise ValueError(
        "The softmax's derivative is a matrix, not a number per node: nnplay uses the "
        "softmax only as the output of a network trained with cross_entropy, whose "
        "output delta is simply (output - target)."
    )


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", "sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}",
                   _sigmoid, _sigmoid_derivative),
        Activation("tanh", "tanh", r"\tanh(x)", _tanh, _tanh_derivative),
        Activation("relu", "ReLU", r"\max(0, x)", _relu, _relu_derivative),
        Activation("leaky_relu", "leaky ReLU", r"\max(0.01x, x)",
                   _leaky_relu, _leaky_relu_derivative),
        Activation("linear", "linear", r"x", _linear, _linear_derivative),
        Activation("softmax", "softmax", r"\frac{e^{x_j}}{\sum_k e^{x_k}}",
                   _softmax, _softmax_derivative, elementwise=False),
    )
}
"""Every activation by name; the page, the URL and saved runs use these names."""

HIDDEN_ACTIVATIONS = tuple(name for name, a in ACTIVATIONS.items() if a.elementwise)
