"""The tutorial's forward pass and back propagation, as plain functions.

Names follow the tutorial. Between layer I and the next layer J:

- ``O_I``  the output of layer I with a bias row of ones, ``(n_I + 1, n)``
- ``W_IJ`` the weights, ``(n_J, n_I + 1)``, the last column the bias weight
- ``x_J = W_IJ · O_I``, the input of layer J, ``(n_J, n)``
- ``O_J = f(x_J)``, its output

Back propagation, from the output layer K back to the first:

- ``δ_K = f'(x_K) * (O_K - T_K)``, the output delta (for the tutorial's loss)
- ``δ_J = f'(x_J) * W_JK^T · δ_K``, the bias row of ``W_JK^T · δ_K`` dropped
- ``ΔW_IJ = δ_J · O_I^T``, summed over the n examples; the update is ``-η ΔW_IJ``

Examples are columns (``n`` of them). Every array may carry leading axes for
R networks trained at once, ``(R, n_J, n_I + 1)`` and so on, and the same
code serves both: ``@`` and ``.mT`` act on the last two axes only.

Training repeats these passes thousands of times, so they write into the
arrays of a ``Workspace``, made once, instead of returning new ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnplay.activations import Activation
from nnplay.losses import Loss

Array = np.ndarray


class Layout:
    """Where each layer's weights live inside one flat parameter vector.

    Keeping every weight of a network in one contiguous array lets an update
    rule, a finiteness check or a copy act on all layers in one numpy call;
    ``views`` gives the per-layer matrices in the tutorial's layout.
    """

    def __init__(self, shape: Sequence[int]) -> None:
        self.shape = tuple(shape)
        self.layer_shapes = [(n_J, n_I + 1) for n_I, n_J in zip(shape[:-1], shape[1:])]
        sizes = [rows * cols for rows, cols in self.layer_shapes]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
        self.size = self.offsets[-1]

    def views(self, flat: Array) -> list[Array]:
        """Per-layer ``(..., n_J, n_I + 1)`` views into ``flat`` of shape ``(..., size)``."""
        lead = flat.shape[:-1]
        return [
            flat[..., start:stop].reshape(lead + layer_shape)
            for start, stop, layer_shape in zip(self.offsets, self.offsets[1:], self.layer_shapes)
        ]

    def bias_mask(self) -> Array:
        """``(size,)``: 1 where the entry is a weight, 0 where it is a bias weight."""
        mask = np.ones(self.size)
        for view in self.views(mask):
            view[:, -1] = 0.0
        return mask


def _with_bias_row(shape: tuple[int, ...]) -> Array:
    """An ``O`` array: the last row, the bias node's output, is all ones."""
    O = np.empty(shape)
    O[..., -1, :] = 1.0
    return O


class Workspace:
    """The arrays one forward and backward pass fill, kept between iterations.

    ``outputs[k]`` is ``O`` of layer k with its bias row (the input layer's is
    the examples transposed; the output layer's has no bias row) and
    ``activations[k]`` its rows above the bias row, ``O`` of layer k + 1.
    ``layer_inputs``, ``deltas`` and ``slopes`` hold ``x``, ``δ`` and
    ``f'(x)`` of layer k + 1 (``deltas`` and ``slopes`` for hidden layers
    only). ``gradients`` is flat, like the parameters, with per-layer views
    in ``gradient_views``.
    """

    def __init__(self, layout: Layout, n_examples: int, lead: tuple[int, ...] = ()) -> None:
        shape = layout.shape
        self.outputs = [_with_bias_row((shape[0] + 1, n_examples))]
        self.outputs += [_with_bias_row(lead + (n + 1, n_examples)) for n in shape[1:-1]]
        self.outputs.append(np.empty(lead + (shape[-1], n_examples)))
        self.activations = [O[..., :-1, :] for O in self.outputs[1:-1]] + [self.outputs[-1]]
        self.layer_inputs = [np.empty(lead + (n, n_examples)) for n in shape[1:]]
        self.deltas = [np.empty(lead + (n, n_examples)) for n in shape[1:-1]]
        self.slopes = [np.empty(lead + (n, n_examples)) for n in shape[1:-1]]
        self.gradients = np.empty(lead + (layout.size,))
        self.gradient_views = layout.views(self.gradients)

    def load(self, X: Array) -> None:
        """Put examples ``X`` ``(n, n_inputs)`` in as ``O`` of the input layer."""
        self.outputs[0][:-1] = X.T


def _matmul(a: Array, b: Array, out: Array) -> Array:
    """``a @ b`` into ``out``; R networks times the examples they share as one tall product
    (benchmarks/README.md says what that buys)."""
    if a.ndim > 2 and b.ndim == 2:
        out[...] = (a.reshape(-1, a.shape[-1]) @ b).reshape(out.shape)
        return out
    return np.matmul(a, b, out=out)


def forward(weights: Sequence[Array], ws: Workspace, hidden: Sequence[Activation],
            output: Activation, masks: Sequence[Array] | None = None) -> Array:
    """``x_J = W_IJ · O_I`` and ``O_J = f(x_J)``, layer after layer; return ``O_K``.

    ``hidden`` holds the activation of each hidden layer, first layer first. With dropout,
    ``masks[k]`` ``(..., n_J, n)`` multiplies hidden layer k's output, ``O_J = m_J * f(x_J)``,
    and ``ws.slopes[k]`` keeps ``m_J * f'(x_J)`` for ``backward`` (taken before the mask,
    since a derivative such as the sigmoid's is computed from ``O_J``).
    """
    last = len(weights) - 1
    for k, W_IJ in enumerate(weights):
        f = output if k == last else hidden[k]
        x_J = _matmul(W_IJ, ws.outputs[k], out=ws.layer_inputs[k])
        O_J = f.apply(x_J, ws.activations[k])
        if masks is not None and k < last:
            np.multiply(f.derivative(x_J, O_J, ws.slopes[k]), masks[k], out=ws.slopes[k])
            O_J *= masks[k]
    return ws.outputs[-1]


def backward(
    weights: Sequence[Array],
    ws: Workspace,
    hidden: Sequence[Activation],
    delta_K: Array,
    deltas: list[Array] | None = None,
    masked: bool = False,
) -> None:
    """From the output delta ``δ_K``, every layer's ``δ``, then ``ΔW`` into ``ws.gradient_views``.

    If a list ``deltas`` is given, every layer's ``δ`` is put in it, first layer first.
    ``masked``: the forward pass had dropout masks and left ``m_J * f'(x_J)`` in ``ws.slopes``.
    """
    delta = [delta_K]  # every layer's δ, from the output layer back
    for k in reversed(range(1, len(weights))):
        # δ_J = f'(x_J) * W_JK^T · δ_K, the bias row dropped: nothing feeds the bias node.
        W_JK, delta_K = weights[k], delta[-1]
        delta_J = np.matmul(W_JK[..., :-1].mT, delta_K, out=ws.deltas[k - 1])
        if masked:  # a dropped node passes nothing back
            delta_J *= ws.slopes[k - 1]
        else:
            delta_J *= hidden[k - 1].derivative(ws.layer_inputs[k - 1], ws.activations[k - 1],
                                                ws.slopes[k - 1])
        delta.append(delta_J)
    delta.reverse()
    for k, (delta_J, O_I) in enumerate(zip(delta, ws.outputs)):
        _matmul(delta_J, O_I.mT, out=ws.gradient_views[k])  # ΔW_IJ = δ_J · O_I^T
    if deltas is not None:
        deltas.extend(delta)


def forward_backward(
    weights: Sequence[Array],
    ws: Workspace,
    T: Array,
    hidden: Sequence[Activation],
    output: Activation,
    loss: Loss,
    deltas: list[Array] | None = None,
    masks: Sequence[Array] | None = None,
) -> Array:
    """One forward pass and back propagation; return the error ``E`` (one per network).

    ``T``: the targets transposed, ``(n_outputs, n)``. ``ws.gradients`` is then the gradient of
    ``loss.objective_scale * E``; ``masks``: dropout's, as in ``forward``."""
    O_K = forward(weights, ws, hidden, output, masks)
    error, delta_K = loss.evaluate(ws.layer_inputs[-1], O_K, T, output)
    backward(weights, ws, hidden, delta_K, deltas, masks is not None)
    return error
