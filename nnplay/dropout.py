"""Dropout: each training pass silences a random share of every hidden layer's nodes.

Inverted dropout: a node kept in a pass has its output divided by ``1 - rate``, so
that a layer's expected output is the same with and without dropout, and the
network is used as it is, nothing dropped, everywhere but in training passes
(predictions, the test error, the surface, the node maps).

The masks come from a counter-based stream: whether node j of hidden layer l is
dropped for example e at iteration t depends on a hash of (seed, t, l, j, e) and on
nothing else. There is no generator state: the same link gives the same masks,
going back to an earlier iteration (Rewind, early stopping) needs nothing restored,
and R networks with their own seeds draw in one numpy call what each draws alone.
The hash is SplitMix64's finaliser (Steele, Lea and Flood, 2014).
"""

from __future__ import annotations

import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
"""2^64 divided by the golden ratio: SplitMix64's step between two counters."""


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: 64 bits in, 64 well-mixed bits out (arithmetic modulo 2^64)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def uniforms(seeds: np.ndarray | int, iteration: int, layer: int,
             shape: tuple[int, ...]) -> np.ndarray:
    """Numbers in [0, 1) for every entry of ``shape``, one set per seed.

    ``seeds`` is one seed, or an array of them (the result then gains their axes first);
    ``layer`` counts hidden layers from 0.
    """
    seeds = np.asarray(seeds, dtype=np.uint64)
    with np.errstate(over="ignore"):
        key = np.atleast_1d(seeds).reshape(-1, 1)
        for counter in (iteration, layer):
            key = _mix(key + np.uint64(counter) * GOLDEN + GOLDEN)
        index = np.arange(1, int(np.prod(shape)) + 1, dtype=np.uint64)
        bits = _mix(key + index * GOLDEN)
    return ((bits >> np.uint64(11)) * 2.0**-53).reshape(seeds.shape + tuple(shape))


def masks(seeds: np.ndarray | int, iteration: int, rate: float,
          layer_sizes: tuple[int, ...], n_examples: int) -> list[np.ndarray]:
    """Iteration ``iteration``'s dropout masks: one ``(..., n_J, n_examples)`` array per hidden
    layer, ``1 / (1 - rate)`` where a node is kept for an example and 0 where it is dropped."""
    scale = 1.0 / (1.0 - rate)
    return [np.where(uniforms(seeds, iteration, layer, (size, n_examples)) < rate, 0.0, scale)
            for layer, size in enumerate(layer_sizes)]
