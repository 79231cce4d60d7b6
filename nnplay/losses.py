"""Loss functions: the error a student watches and the output delta it starts.

Each loss gives, side by side, the error ``E`` (one number per network) and
the output layer's delta ``δ_K``, the quantity back propagation pulls back
through the layers. Arrays are ``(outputs, examples)``, optionally with
leading axes for many networks at once.

``sse`` is the tutorial's: ``E = Σ (O_K - T_K)²`` and
``δ_K = (O_K - T_K) * f'(x_K)``, with no factor 2, so its updates follow the
gradient of ``E / 2`` (``objective_scale``). ``mse`` averages the squared
errors over examples and outputs, and ``cross_entropy`` averages over
examples; their deltas are the exact gradients of the error shown, so the
learning rate means the same whatever the number of points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnplay.activations import Activation

Array = np.ndarray


@dataclass(frozen=True)
class Loss:
    """One loss: ``evaluate(x_K, O_K, T, f) -> (E, δ_K)`` and how to show it."""

    name: str
    label: str
    latex: str
    evaluate: Callable[[Array, Array, Array, Activation], tuple[Array, Array]]
    objective_scale: float
    """The updates descend the gradient of ``objective_scale * E``."""


def _sum_per_network(a: Array) -> Array:
    # The method, not np.sum: the same reduction without np.sum's dispatch,
    # which costs about 1.3 µs, a tenth of a small network's iteration.
    return a.sum(axis=(-2, -1))


def _sse(x: Array, O: Array, T: Array, f: Activation) -> tuple[Array, Array]:
    output_delta = O - T  # the tutorial's name for the residual
    error = _sum_per_network(output_delta * output_delta)
    return error, output_delta * f.derivative(x, O)


def _mse(x: Array, O: Array, T: Array, f: Activation) -> tuple[Array, Array]:
    residual = O - T
    count = O.shape[-2] * O.shape[-1]
    error = _sum_per_network(residual * residual) / count
    return error, residual * (2.0 / count) * f.derivative(x, O)


def _cross_entropy(x: Array, O: Array, T: Array, f: Activation) -> tuple[Array, Array]:
    # Computed from the layer input x_K rather than log(O_K): a saturated
    # output (O exactly 0.0 or 1.0 in floating point) would give log(0) = -inf
    # while the true error is finite.
    n_examples = x.shape[-1]
    if f.name == "softmax":
        shift = x.max(axis=-2, keepdims=True)
        log_sum = np.log(np.exp(x - shift).sum(axis=-2, keepdims=True)) + shift
        per_example = T * (log_sum - x)
    else:  # sigmoid: -T log σ(x) - (1 - T) log(1 - σ(x)), rearranged stably
        per_example = np.maximum(x, 0.0) - x * T + np.log1p(np.exp(-np.abs(x)))
    # With a sigmoid or softmax output, f' cancels against dE/dO: δ = O - T.
    return _sum_per_network(per_example) / n_examples, (O - T) / n_examples


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("sse", "sum of squared errors (tutorial)",
             r"E = \sum (\mathcal{O}_K - T_K)^2", _sse, 0.5),
        Loss("mse", "mean squared error",
             r"E = \frac{1}{N} \sum (\mathcal{O}_K - T_K)^2", _mse, 1.0),
        Loss("cross_entropy", "cross-entropy",
             r"E = -\frac{1}{n} \sum T_K \log \mathcal{O}_K", _cross_entropy, 1.0),
    )
}
"""Every loss by name; the page, the URL and saved runs use these names."""

CROSS_ENTROPY_OUTPUTS = ("sigmoid", "softmax")


def compatibility_problem(loss: str, output_activation: str) -> str | None:
    """Say why ``loss`` cannot train an ``output_activation`` output, or None if it can."""
    if loss == "cross_entropy" and output_activation not in CROSS_ENTROPY_OUTPUTS:
        return (
            f"Cross-entropy needs outputs between 0 and 1: use a sigmoid or softmax "
            f"output activation, not {output_activation!r}."
        )
    if output_activation == "softmax" and loss != "cross_entropy":
        return f"A softmax output is trained with cross_entropy, not {loss!r}."
    return None
