"""What the pictures of a network share: node and layer names, the input grid, and the
Plotly basics of the lab's charts.

The live views and the rewind panel are data for the browser component
(``frames``); the lab's charts that need hover and zoom (compare, seeds) are Plotly, and take
their layout and their float32 arrays (half the bytes on the wire, never NaN
or inf) from here. Nothing here calls streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13)
FLOAT32_LIMIT = 1e30


def _float32(values: object) -> np.ndarray:
    """``values`` as float32 for the wire, never inf or NaN (no NaN ever reaches a figure).

    A network just back from diverging can have finite float64 outputs far
    beyond float32's range; they are drawn at the limit instead.
    """
    array = np.asarray(values, dtype=np.float64)
    return np.nan_to_num(np.clip(array, -FLOAT32_LIMIT, FLOAT32_LIMIT),
                         nan=0.0).astype(np.float32)


def _base_layout(height: int, **extra: object) -> dict:
    layout = dict(height=height, margin=dict(l=8, r=8, t=30, b=8), font=FONT,
                  paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    layout.update(extra)
    return layout


# -- names ------------------------------------------------------------------------

def node_labels(shape: Sequence[int], input_labels: Sequence[str] | None = None) -> list[list[str]]:
    """Names of every layer's nodes: inputs ``x1, x2``, hidden ``h1..`` (``h2.3`` with several), outputs."""
    inputs = list(input_labels) if input_labels else [f"x{i + 1}" for i in range(shape[0])]
    names = [inputs]
    hidden = shape[1:-1]
    for k, n in enumerate(hidden):
        prefix = "h" if len(hidden) == 1 else f"h{k + 1}."
        names.append([f"{prefix}{i + 1}" for i in range(n)])
    names.append(["out"] if shape[-1] == 1 else [f"out{i + 1}" for i in range(shape[-1])])
    return names


def layer_titles(shape: Sequence[int]) -> list[str]:
    """``W1: x → h``, ``W2: h → out`` and so on, one per weight matrix (short: they sit side by side)."""
    hidden = len(shape) - 2
    layers = ["x"] + (["h"] if hidden == 1 else [f"h{k + 1}" for k in range(hidden)]) + ["out"]
    return [f"W{k + 1}: {a} → {b}" for k, (a, b) in enumerate(zip(layers, layers[1:]))]


# -- decision surface ----------------------------------------------------------------

def surface_grid(domain: Sequence[tuple[float, float]], resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """``(xs, ys)``: ``resolution`` evenly spaced values across each of the two inputs."""
    (x_low, x_high), (y_low, y_high) = domain[0], domain[1]
    return np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution)


def grid_points(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Every ``(x1, x2)`` of the grid, ``(len(ys) * len(xs), 2)``, x1 varying fastest."""
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])
