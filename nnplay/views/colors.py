"""Colours that colour-blind students can read: orange for negative, blue for positive.

As in TensorFlow Playground, orange means negative (or class 0) and blue
positive (or class 1), with near-white at zero (or at the decision
threshold). Blue against orange stays distinct for the common red-green
colour blindness, where a red-green scale would not.
"""

from __future__ import annotations

import numpy as np

ORANGE = "#e8710a"
BLUE = "#1a73c8"
NEUTRAL = "#f4f4f4"

DIVERGING = [
    [0.0, "#a34a00"],
    [0.25, "#f5a45d"],
    [0.5, NEUTRAL],
    [0.75, "#7fb5e6"],
    [1.0, "#0d4a8f"],
]
"""A Plotly colour scale: dark orange (most negative) to dark blue (most positive)."""

_STOPS = np.array([stop for stop, _ in DIVERGING])
_RGB = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for _, c in DIVERGING], dtype=float)


def diverging_hex(values: np.ndarray, bound: float) -> list[str]:
    """Hex colours of ``values`` on the diverging scale spanning ``[-bound, bound]``."""
    position = np.clip((np.asarray(values, dtype=float) / bound + 1.0) / 2.0, 0.0, 1.0)
    channels = np.column_stack([np.interp(position.ravel(), _STOPS, _RGB[:, c]) for c in range(3)])
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in np.rint(channels).astype(int).tolist()]


def nice_bound(largest: float, previous: float = 0.0) -> float:
    """A round colour-scale bound (1, 2, 5, 10, 20, ...) at least ``largest`` and ``previous``.

    The weight heatmaps keep one bound while a run plays, growing it only
    when a weight outgrows it, so colours do not shift from frame to frame.
    """
    bound = max(previous, 1.0)
    if not np.isfinite(largest):
        return bound
    while bound < largest:
        with np.errstate(over="ignore"):
            grown = _next_nice(bound)
        if not np.isfinite(grown):  # a finite weight past 1e308 (just before an overflow)
            return float(largest)
        bound = grown
    return bound


def _next_nice(bound: float) -> float:
    exponent = np.floor(np.log10(bound))
    for step in (1.0, 2.0, 5.0, 10.0):
        candidate = step * 10**exponent
        if candidate > bound * (1 + 1e-12):
            return float(candidate)
    return float(10 ** (exponent + 1))
