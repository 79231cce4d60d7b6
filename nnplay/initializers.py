"""Initial weights: small random numbers, drawn from a seeded generator.

Every initialiser returns the tutorial's layout, one ``(n_J, n_I + 1)`` array
per layer whose last column is the bias weight, and draws its numbers from
the ``np.random.Generator`` it is given, layer by layer, so one seed always
gives the same network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Initializer = Callable[[np.random.Generator, Sequence[int]], list[np.ndarray]]


def layer_pairs(shape: Sequence[int]) -> list[tuple[int, int]]:
    """The tutorial's ``zip(numNodes[:-1], numNodes[1:])``: (nodes in I, nodes in J)."""
    return list(zip(shape[:-1], shape[1:]))


def tutorial(rng: np.random.Generator, shape: Sequence[int]) -> list[np.ndarray]:
    """Normal with scale 0.1, bias included: ``np.random.normal(scale=0.1, size=(l2, l1+1))``."""
    return [rng.normal(scale=0.1, size=(n_J, n_I + 1)) for n_I, n_J in layer_pairs(shape)]


def _with_bias(weights: np.ndarray, bias: float) -> np.ndarray:
    return np.hstack([weights, np.full((weights.shape[0], 1), bias)])


def xavier(rng: np.random.Generator, shape: Sequence[int]) -> list[np.ndarray]:
    """Glorot: normal with variance 2 / (fan_in + fan_out), biases 0; suits sigmoid and tanh."""
    return [
        _with_bias(rng.normal(scale=np.sqrt(2.0 / (n_I + n_J)), size=(n_J, n_I)), 0.0)
        for n_I, n_J in layer_pairs(shape)
    ]


def he(rng: np.random.Generator, shape: Sequence[int]) -> list[np.ndarray]:
    """He: normal with variance 2 / fan_in, biases 0; suits ReLU."""
    return [
        _with_bias(rng.normal(scale=np.sqrt(2.0 / n_I), size=(n_J, n_I)), 0.0)
        for n_I, n_J in layer_pairs(shape)
    ]


def uniform(rng: np.random.Generator, shape: Sequence[int]) -> list[np.ndarray]:
    """TensorFlow Playground's: weights uniform in [-0.5, 0.5), biases 0.1."""
    return [
        _with_bias(rng.uniform(-0.5, 0.5, size=(n_J, n_I)), 0.1)
        for n_I, n_J in layer_pairs(shape)
    ]


INITIALIZERS: dict[str, Initializer] = {
    "tutorial": tutorial,
    "xavier": xavier,
    "he": he,
    "uniform": uniform,
}
"""Every initialiser by name; the page, the URL and saved runs use these names."""
