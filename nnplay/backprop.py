"""The tutorial's forward pass and back propagation, as plain functions.

Names follow the tutorial. Between layer I and layer J:

- ``O_I``  the output of layer I with a bias row of ones: ``(n_I + 1, n)``
- ``W_IJ`` the weights, ``(n_J, n_I + 1)``, last column the bias weight
- ``x_J = W_IJ · O_I``, the layer input, ``(n_J, n)``
- ``O_J = f(x_J)``, the layer output
- ``δ_K = f'(x_K) * (O_K - T_K)`` at the output (for the tutorial's loss)
- ``δ_J = f'(x_J) * W_JK^T · δ_K``, the bias row of ``W_JK^T · δ_K`` dropped
- ``ΔW_IJ = δ_J · O_I^T``, summed over the n examples; the update is ``-η ΔW``

Examples are columns (``n`` of them). Every array may carry leading axes for
R networks trained at once, ``(R, n_J, n_I + 1)`` and so on, and the same
code serves both: ``@`` and ``.mT`` act on the last two axes only.

The hot loop reuses its arrays, so these functions write into a
``Workspace`` instead of returning new ones.
"""

from __future__ import annotations

import math
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


def _empty(shape: tuple[int, ...]) -> Array:
    """An uninitialised array whose data starts on a 64-byte boundary.

    numpy promises 16 bytes. At 64 the elementwise passes' AVX-512 loads
    never straddle two cache lines: the sigmoid's four passes over 32 x 1000
    take 28 µs instead of 30, an iteration of (2, 32, 32, 32, 1) 2-4 % less.
    """
    size = math.prod(shape)
    raw = np.empty(size + 7)
    start = -raw.ctypes.data % 64 // raw.itemsize
    return raw[start:start + size].reshape(shape)


def _with_bias_row(shape: tuple[int, ...]) -> Array:
    """An ``O`` array: its last row (the bias node's output) all ones, the rest unset until
    the forward pass (or ``load``) writes it. (Filling all of it cost the page's
    100 x 100 decision surface 0.5 ms of its 2.7 every frame.)"""
    array = _empty(shape)
    array[..., -1, :] = 1.0
    return array


class Workspace:
    """The arrays one forward and backward pass fill, kept between iterations.

    ``outputs[k]`` is ``O`` of layer k with its bias row of ones (the input
    layer's is the examples transposed); the output layer's has no bias row.
    ``layer_inputs[k]`` is ``x`` of layer k + 1. ``gradients`` is flat, like
    the parameters, with per-layer views in ``gradient_views``.
    """

    def __init__(self, layout: Layout, n_examples: int, lead: tuple[int, ...] = ()) -> None:
        shape = layout.shape
        self.outputs = [_with_bias_row((shape[0] + 1, n_examples))]
        self.outputs += [_with_bias_row(lead + (n + 1, n_examples)) for n in shape[1:-1]]
        self.outputs.append(_empty(lead + (shape[-1], n_examples)))
        # Where f writes O_J: the rows above the bias row (a view, no copy).
        self.activations = [o[..., :-1, :] for o in self.outputs[1:-1]] + [self.outputs[-1]]
        self.layer_inputs = [_empty(lead + (n, n_examples)) for n in shape[1:]]
        # δ_J and f'(x_J) of each hidden layer: reused, not allocated per iteration
        # (at 32 nodes x 1000 examples a fresh array costs page faults every time).
        self.deltas = [_empty(lead + (n, n_examples)) for n in shape[1:-1]]
        self.slopes = [_empty(lead + (n, n_examples)) for n in shape[1:-1]]
        self.gradients = np.empty(lead + (layout.size,))
        self.gradient_views = layout.views(self.gradients)
        # ΔW^T of each layer after the first, (n_I + 1, n_J): see backward.
        self.transposed_gradients = [None] + [np.empty(lead + (cols, rows))
                                              for rows, cols in layout.layer_shapes[1:]]

    def load(self, X: Array) -> None:
        """Put examples ``X`` ``(n, n_inputs)`` in as ``O`` of the input layer (with bias row)."""
        self.outputs[0][:-1] = X.T


def _matmul(a: Array, b: Array, out: Array) -> Array:
    """``a @ b`` into ``out``, by the fastest route numpy offers for the shapes.

    ``np.matmul`` computes an outer product (one column in ``a``: pulling
    back from a single output node) in a loop without BLAS, about 30 µs at
    32 x 1000; ``np.dot`` hands it to BLAS (8 µs), and each entry, the one
    product ``a_i b_j``, comes out the same to the bit either way.

    When only ``a`` carries the networks' axis, ``np.matmul`` would loop over
    the R networks calling BLAS once each; ``b`` (the examples, shared by
    every network) has no leading axis, so the R stacked matrices are one
    tall matrix and one product does it all.
    """
    if a.ndim == b.ndim == 2 and a.shape[-1] == 1:
        return np.dot(a, b, out=out)
    if a.ndim == 2 or b.ndim > 2:
        return np.matmul(a, b, out=out)
    tall = np.matmul(a.reshape(-1, a.shape[-1]), b)
    out[...] = tall.reshape(out.shape)
    return out


def forward(weights: Sequence[Array], ws: Workspace, hidden: Activation, output: Activation) -> Array:
    """Fill ``ws`` with ``x_J`` and ``O_J`` for every layer; return the output ``O_K``."""
    last = len(weights) - 1
    for k, W in enumerate(weights):
        x_J = _matmul(W, ws.outputs[k], out=ws.layer_inputs[k])
        (output if k == last else hidden).apply(x_J, ws.activations[k])
    return ws.outputs[-1]


def backward(
    weights: Sequence[Array],
    ws: Workspace,
    hidden: Activation,
    delta_K: Array,
    deltas: list[Array] | None = None,
) -> None:
    """Pull ``δ`` back from the output and fill ``ws.gradient_views`` with ``ΔW = δ_J · O_I^T``.

    If a list ``deltas`` is given, every layer's ``δ`` is put in it, first layer first.
    """
    delta = delta_K
    for k in range(len(weights) - 1, 0, -1):
        if deltas is not None:
            deltas.insert(0, delta)
        # ΔW^T = O_I · δ^T, copied into place transposed: two OpenBLAS threads
        # take 29 µs for it at 32 x 1000 x 33, against 38 for δ · O_I^T
        # (one thread: 47 against 49); the copy costs about 1 µs.
        transposed = _matmul(ws.outputs[k], delta.mT, out=ws.transposed_gradients[k])
        np.copyto(ws.gradient_views[k], transposed.mT)
        # W^T · δ without the bias column's row: the bias node has no input to adjust.
        pulled_back = _matmul(weights[k][..., :-1].mT, delta, out=ws.deltas[k - 1])
        pulled_back *= hidden.derivative(ws.layer_inputs[k - 1], ws.activations[k - 1],
                                         ws.slopes[k - 1])
        delta = pulled_back
    if deltas is not None:
        deltas.insert(0, delta)
    # The first layer's O_I is the examples, shared by R networks: δ · O_I^T is one
    # tall product for them all (see _matmul), where O_I · δ^T would be one per
    # network. One network takes the same route, so it agrees with a batch bit for bit.
    _matmul(delta, ws.outputs[0].mT, out=ws.gradient_views[0])


def forward_backward(
    weights: Sequence[Array],
    ws: Workspace,
    T: Array,
    hidden: Activation,
    output: Activation,
    loss: Loss,
    deltas: list[Array] | None = None,
) -> Array:
    """One forward pass and back propagation; return the error (one per network).

    ``T`` is the targets transposed, ``(n_outputs, n)``. Afterwards
    ``ws.gradients`` holds the gradient of ``loss.objective_scale * E``.
    """
    O_K = forward(weights, ws, hidden, output)
    error, delta_K = loss.evaluate(ws.layer_inputs[-1], O_K, T, output)
    backward(weights, ws, hidden, delta_K, deltas)
    return error
