"""One iteration of back propagation, opened up: the tutorial's quantities with their values.

``explain_step`` returns, layer by layer, what the tutorial's equations
compute for the current weights, so the page can print each equation beside
its numbers:

- ``O_I``: the layer's input with its bias row of ones, ``(n_I + 1, n)``
- ``x_J = W_IJ · O_I`` and ``O_J = f(x_J)``, ``(n_J, n)``
- ``δ_J``: ``f'(x_K) * (O_K - T_K)`` at the output, ``f'(x_J) * W_JK^T δ_K`` below
- ``ΔW_IJ = δ_J · O_I^T`` (summed over the examples) and the change ``-η ΔW_IJ``
- the new weights ``W_IJ - η ΔW_IJ``

For plain gradient descent on the whole training set without a penalty,
the new weights are exactly what the trainer's next step produces. With dropout,
pass that step's masks (``Trainer.dropout_masks``): each hidden layer's output is
then ``O_J = m_J * f(x_J)`` and its delta ``δ_J = m_J * f'(x_J) * W_JK^T δ_K``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS
from nnplay.backprop import Workspace, forward_backward
from nnplay.losses import LOSSES, compatibility_problem
from nnplay.network import Network
from nnplay.training import check_data


@dataclass(frozen=True)
class LayerStep:
    """The tutorial's quantities for the weights ``W_IJ`` feeding layer ``J``."""

    layer: int
    """J: 1 for the first hidden layer (or the output if there is none)."""
    O_I: np.ndarray
    W: np.ndarray
    x_J: np.ndarray
    O_J: np.ndarray
    delta_J: np.ndarray
    gradient: np.ndarray
    """``ΔW_IJ = δ_J · O_I^T``, shape of ``W``."""
    change: np.ndarray
    """``-η ΔW_IJ``."""
    new_W: np.ndarray
    mask: np.ndarray | None = None
    """Dropout's ``m_J``, ``(n_J, n)``, for a hidden layer in a step with dropout; else None."""


@dataclass(frozen=True)
class BackpropStep:
    error: float
    """The error of the forward pass (before the update)."""
    targets: np.ndarray
    """``T_K`` as columns, ``(n_outputs, n)``."""
    learning_rate: float
    layers: list[LayerStep]


def explain_step(
    network: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    loss: str = "sse",
    learning_rate: float = 0.2,
    masks: list[np.ndarray] | None = None,
) -> BackpropStep:
    """The tutorial's quantities for one full-batch gradient-descent step on ``X``, ``y``.

    Pass one row of ``X`` and ``y`` to follow a single example. The network
    is not changed. ``masks``: dropout's, one ``(n_J, n)`` array per hidden layer.
    """
    if not isinstance(network, Network):
        _checks.fail("network", "an nnplay.Network", type(network).__name__, TypeError)
    X, y = check_data(X, y, network.n_inputs, network.n_outputs)
    _checks.choice("loss", loss, LOSSES)
    problem = compatibility_problem(loss, network.output_activation)
    if problem:
        raise ValueError(problem)
    eta = _checks.number("learning_rate", learning_rate, low=0.0)  # 0 at a warm-up's start
    if masks is not None:
        sizes = network.shape[1:-1]
        if len(masks) != len(sizes):
            _checks.fail("masks", f"{len(sizes)} arrays, one per hidden layer", len(masks))
        masks = [_checks.matrix(f"masks[{k}]", m, (n_J, X.shape[0]))
                 for k, (m, n_J) in enumerate(zip(masks, sizes))]
    weights = [w.copy() for w in network.weights]
    ws = Workspace(network.layout, X.shape[0])
    ws.load(X)
    T = np.ascontiguousarray(y.T)
    hidden = tuple(ACTIVATIONS[name] for name in network.hidden_activations)
    output = ACTIVATIONS[network.output_activation]
    deltas: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        error = forward_backward(weights, ws, T, hidden, output, LOSSES[loss], deltas, masks)
    layers = []
    for k, W in enumerate(weights):
        gradient = ws.gradient_views[k].copy()
        change = -eta * gradient
        layers.append(LayerStep(k + 1, ws.outputs[k].copy(), W, ws.layer_inputs[k].copy(),
                                ws.activations[k].copy(), deltas[k].copy(), gradient, change,
                                W - eta * gradient, None if masks is None or k == len(weights) - 1
                                else masks[k]))
    return BackpropStep(float(error), T, eta, layers)
