"""The network: a shape, two activations and the weights, in the tutorial's layout."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnplay.backprop import Layout, Workspace, forward
from nnplay.initializers import INITIALIZERS

MAX_LAYERS = 10
MAX_NODES = 256
MAX_SEED = 2**63 - 1
"""The largest seed the engine takes (numpy's generators take any 64-bit one)."""


def check_shape(shape: object) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of layer sizes, or raise saying what is wrong."""
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        _checks.fail("shape", "a sequence of layer sizes such as (2, 2, 1)", shape, TypeError)
    if not 2 <= len(shape) <= MAX_LAYERS:
        _checks.fail("shape", f"between 2 and {MAX_LAYERS} layer sizes (inputs, hidden..., outputs)",
                     tuple(shape))
    for size in shape:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not (
            1 <= size <= MAX_NODES
        ):
            _checks.fail("shape", f"layer sizes that are whole numbers from 1 to {MAX_NODES}",
                         tuple(shape))
    return tuple(int(size) for size in shape)


def check_hidden_activation(activation: object, n_hidden: int | None = None) -> str | tuple[str, ...]:
    """The hidden layers' activation: one name for every hidden layer, or a sequence of names,
    one per hidden layer (``n_hidden`` of them, if given). A sequence naming one activation
    throughout is that name, so ``("tanh", "tanh")`` and ``"tanh"`` are the same network."""
    if isinstance(activation, str):
        return _checks.choice("activation", activation, HIDDEN_ACTIVATIONS)
    if not isinstance(activation, Sequence) or not activation or any(
            not isinstance(a, str) or a not in HIDDEN_ACTIVATIONS for a in activation):
        _checks.fail("activation", "one of " + ", ".join(map(repr, HIDDEN_ACTIVATIONS)) + ", or a "
                     "list of them, one per hidden layer", activation)
    if n_hidden is not None and len(activation) != n_hidden and len(set(activation)) > 1:
        layers = f"{n_hidden} hidden layer{'s' if n_hidden != 1 else ''}"
        _checks.fail("activation", f"one name for every hidden layer, or one per hidden layer "
                     f"({layers} here)", ",".join(activation))
    return activation[0] if len(set(activation)) == 1 else tuple(activation)


def hidden_activations(activation: str | tuple[str, ...], n_hidden: int) -> tuple[str, ...]:
    """The activation of each of ``n_hidden`` hidden layers, first layer first."""
    return (activation,) * n_hidden if isinstance(activation, str) else activation


def new_seed() -> int:
    """A fresh random seed, recorded so that the run can be repeated."""
    return secrets.randbelow(2**31)


def initial_parameters(shape: Sequence[int], init: str, seed: int) -> np.ndarray:
    """The flat initial parameters the initialiser ``init`` draws with ``seed``."""
    rng = np.random.default_rng(seed)
    return np.concatenate([w.ravel() for w in INITIALIZERS[init](rng, shape)])


class Network:
    """A fully connected network of any shape, the tutorial's ``backPropNN`` generalised.

    Parameters
    ----------
    shape : sequence of int
        Nodes per layer, inputs first, as in the tutorial: ``(2, 2, 1)``.
    activation : str or sequence of str
        Transfer function of the hidden layers (a name in ``nnplay.ACTIVATIONS``), or one per
        hidden layer, first layer first.
    output_activation : str
        Transfer function of the output layer.
    init : str
        Initialiser (``nnplay.INITIALIZERS``); ``"tutorial"`` is normal(scale=0.1).
    seed : int or None
        Seed of the generator the initial weights are drawn from; None draws a
        fresh one and records it in ``self.seed``.

    Every instance owns its weights (the tutorial's class-level
    ``weights = []`` was shared by every network; here nothing is).
    """

    def __init__(
        self,
        shape: Sequence[int],
        *,
        activation: str | Sequence[str] = "sigmoid",
        output_activation: str = "sigmoid",
        init: str = "tutorial",
        seed: int | None = None,
    ) -> None:
        self.shape = check_shape(shape)
        self.activation = check_hidden_activation(activation, len(self.shape) - 2)
        self.output_activation = _checks.choice("output_activation", output_activation, ACTIVATIONS)
        self.init = _checks.choice("init", init, INITIALIZERS)
        self.seed = new_seed() if seed is None else _checks.integer("seed", seed, 0, MAX_SEED)
        self.hidden_activations = hidden_activations(self.activation, len(self.shape) - 2)
        """The activation of each hidden layer, first layer first."""
        self.layout = Layout(self.shape)
        self.parameters = initial_parameters(self.shape, self.init, self.seed)
        """All weights in one flat float64 array; ``weights`` are views of it."""
        self._views = self.layout.views(self.parameters)
        self.node_masks: list[np.ndarray] | None = None
        """Per hidden layer, ``(n_J, 1)``: 0 for a node switched off (its output held at 0),
        1 for the others; None while every node is on (``switch_off``)."""

    @property
    def off(self) -> frozenset[tuple[int, int]]:
        """The hidden nodes switched off, as ``(hidden layer, node)`` pairs counted from 0."""
        if self.node_masks is None:
            return frozenset()
        return frozenset((k, int(i)) for k, m in enumerate(self.node_masks)
                         for i in np.flatnonzero(m[:, 0] == 0.0))

    def switch_off(self, nodes: Iterable[tuple[int, int]]) -> None:
        """Hold the outputs of ``nodes`` (``(hidden layer, node)`` pairs from 0) at 0 and switch
        every other node on: the forward pass multiplies each hidden layer's output by its mask,
        so a node switched off passes nothing on and nothing back (``nnplay.backprop.forward``)."""
        sizes = self.shape[1:-1]
        masks = [np.ones((n, 1)) for n in sizes]
        for layer, node in nodes:
            if not (0 <= layer < len(sizes) and 0 <= node < sizes[layer]):
                _checks.fail("nodes", f"hidden nodes of the network {self.shape}",
                             (layer, node))
            masks[layer][node, 0] = 0.0
        self.node_masks = masks if any((m == 0.0).any() for m in masks) else None

    @property
    def weights(self) -> list[np.ndarray]:
        """Layer k's weights ``W``, shape ``(shape[k+1], shape[k] + 1)``, last column the bias.

        Read-only views: change weights with ``set_weights``.
        """
        views = self.layout.views(self.parameters)
        for view in views:
            view.flags.writeable = False
        return views

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Copy ``weights`` (one array per layer, the layout of ``weights``) into the network."""
        if isinstance(weights, (str, bytes)) or not isinstance(weights, (Sequence, np.ndarray)):
            _checks.fail("weights", f"a list of {len(self._views)} arrays, one per layer",
                         type(weights).__name__, TypeError)
        if len(weights) != len(self._views):
            _checks.fail("weights", f"a list of {len(self._views)} arrays, one per layer",
                         f"{len(weights)} arrays")
        checked = [
            _checks.matrix(f"weights[{k}]", w, view.shape)
            for k, (w, view) in enumerate(zip(weights, self._views))
        ]
        for view, w in zip(self._views, checked):
            view[...] = w

    @property
    def n_inputs(self) -> int:
        return self.shape[0]

    @property
    def n_outputs(self) -> int:
        return self.shape[-1]

    def config(self) -> dict:
        """Everything that, with the seed, rebuilds this network's initial state."""
        return {
            "shape": list(self.shape),
            "activation": self.activation if isinstance(self.activation, str) else list(
                self.activation),
            "output_activation": self.output_activation,
            "init": self.init,
            "seed": self.seed,
        }

    def copy(self) -> Network:
        """An independent network with the same configuration and current weights."""
        twin = Network(self.shape, activation=self.activation,
                       output_activation=self.output_activation, init=self.init, seed=self.seed)
        twin.parameters[...] = self.parameters
        twin.node_masks = self.node_masks
        return twin

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The tutorial's ``FP``: outputs for examples ``X`` ``(n, n_inputs)`` -> ``(n, n_outputs)``."""
        return self.forward_pass(X).activations[-1].T.copy()

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """``O_J`` of every layer after the input, each ``(n, nodes)`` (examples in rows)."""
        return [O.T.copy() for O in self.forward_pass(X).activations]

    def forward_pass(self, X: np.ndarray) -> Workspace:
        """One forward pass over examples ``X`` ``(n, n_inputs)``: the workspace holding every
        layer's input ``x_J`` (``layer_inputs``) and output ``O_J`` (``activations``), a
        column per example. Nodes switched off (``switch_off``) output 0."""
        X = _checks.matrix("X", X, (None, self.n_inputs))
        ws = Workspace(self.layout, X.shape[0])
        ws.load(X)
        hidden = tuple(ACTIVATIONS[name] for name in self.hidden_activations)
        output = ACTIVATIONS[self.output_activation]
        with np.errstate(over="ignore", under="ignore"):
            forward(self._views, ws, hidden, output, self.node_masks)
        return ws

    def __repr__(self) -> str:
        return (f"Network(shape={self.shape}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r}, init={self.init!r}, "
                f"seed={self.seed})")
