"""Plotly figures of a network at one moment, built by pure functions from arrays.

The lab's panels (rewind) show these, with hover and zoom; the live views
that redraw every frame are SVG (``charts``). Nothing here calls
streamlit: the page places the figures, the tests read their data. Arrays
go in as float32 (half the bytes on the wire, plenty for a picture) and
never as NaN or inf.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnplay.views.colors import BLUE, DIVERGING, ORANGE

FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13)
MIN_LABELLED_CELL = (28, 16)
"""A cell at least this wide and high (pixels, estimated) prints its value: "-2.63" fits."""
WEIGHTS_WIDTH = 280
"""About how wide the page draws the weight heatmaps (pixels), to estimate cell sizes."""


def _labelled(weights: Sequence[np.ndarray], widths: Sequence[float], height: int) -> list[bool]:
    """For each matrix, whether its cells are large enough to print their values in."""
    total = sum(widths)
    return [
        WEIGHTS_WIDTH * share / total / W.shape[1] >= MIN_LABELLED_CELL[0]
        and (height - 60) / W.shape[0] >= MIN_LABELLED_CELL[1]
        for W, share in zip(weights, widths)
    ]


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


# -- weights ------------------------------------------------------------------------

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


def weights_figure(
    weights: Sequence[np.ndarray],
    shape: Sequence[int],
    bound: float,
    input_labels: Sequence[str] | None = None,
    height: int = 260,
) -> go.Figure:
    """One heatmap per weight matrix, in the tutorial's layout.

    Rows are the nodes of the next layer, columns the nodes of the previous
    layer plus a last column labelled ``bias``; the colour scale is centred
    at 0 and spans ``[-bound, bound]``.
    """
    names = node_labels(shape, input_labels)
    widths = [w.shape[1] + 1.5 for w in weights]
    fig = make_subplots(rows=1, cols=len(weights), column_widths=widths,
                        subplot_titles=layer_titles(shape),
                        horizontal_spacing=0.06)
    labelled = _labelled(weights, widths, height)
    for k, W in enumerate(weights):
        fig.add_trace(go.Heatmap(
            z=_float32(W),
            x=names[k] + ["bias"],
            y=names[k + 1],
            zmin=-bound, zmax=bound, zmid=0.0,
            colorscale=DIVERGING,
            showscale=k == len(weights) - 1,
            colorbar=dict(thickness=10, len=0.9, outlinewidth=0),
            texttemplate="%{z:.2f}" if labelled[k] else None,
            textfont=dict(size=12),
            xgap=1, ygap=1,
            hovertemplate="from %{x} to %{y}: %{z:.4f}<extra></extra>",
        ), row=1, col=k + 1)
        # With three or more matrices side by side, the later ones' row names would print
        # over their left neighbour; they are the next matrix's column names anyway.
        fig.update_yaxes(autorange="reversed", showticklabels=k == 0 or len(weights) <= 2,
                         row=1, col=k + 1)
    fig.update_layout(**_base_layout(height))
    fig.update_annotations(font=dict(size=13))
    return fig


# -- decision surface ----------------------------------------------------------------

def surface_grid(domain: Sequence[tuple[float, float]], resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """``(xs, ys)``: ``resolution`` evenly spaced values across each of the two inputs."""
    (x_low, x_high), (y_low, y_high) = domain[0], domain[1]
    return np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution)


def grid_points(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Every ``(x1, x2)`` of the grid, ``(len(ys) * len(xs), 2)``, x1 varying fastest."""
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def surface_figure(
    xs: np.ndarray,
    ys: np.ndarray,
    Z: np.ndarray,
    points: np.ndarray,
    targets: np.ndarray,
    *,
    value_range: tuple[float, float] = (0.0, 1.0),
    discrete: bool = False,
    height: int = 300,
    test_points: np.ndarray | None = None,
    test_targets: np.ndarray | None = None,
    continuous: bool = False,
) -> go.Figure:
    """The network's output over the input square, with the training points on top.

    ``Z`` is ``(len(ys), len(xs))``. Points are coloured by target (orange
    for the low value, blue for the high one; on the colour scale itself when
    ``continuous``, for regression); with ``discrete`` the surface is cut at
    the middle of ``value_range`` (0.5 for a sigmoid output). Test points,
    if given, are drawn with a white outline.
    """
    low, high = value_range
    middle = (low + high) / 2.0
    shown = np.where(Z >= middle, high, low) if discrete else Z
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=np.asarray(xs, np.float32), y=np.asarray(ys, np.float32),
        z=_float32(shown),
        zmin=low, zmax=high, zmid=middle, colorscale=DIVERGING, showscale=False,
        hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}: output %{z:.3f}<extra></extra>",
    ))
    size = 16 if len(points) <= 16 else 7
    for part, (where, values, outline) in enumerate(
            [(points, targets, "#202020"), (test_points, test_targets, "#ffffff")]):
        if where is None:
            continue
        if continuous:
            colour: object = _float32(values)
            scale = dict(colorscale=DIVERGING, cmin=low, cmax=high)
        else:
            colour, scale = [BLUE if t > middle else ORANGE for t in values], {}
        fig.add_trace(go.Scatter(
            x=_float32(where[:, 0]), y=_float32(where[:, 1]), mode="markers",
            marker=dict(size=size, color=colour, line=dict(color=outline, width=1.5 if part else 2),
                        **scale),
            hovertemplate="x1 %{x}, x2 %{y}<extra>" + ("test" if part else "training")
            + " point</extra>",
            showlegend=False,
        ))
    fig.update_xaxes(range=[xs[0], xs[-1]], title_text="x1", constrain="domain", showgrid=False,
                     zeroline=False)
    fig.update_yaxes(range=[ys[0], ys[-1]], title_text="x2", scaleanchor="x", scaleratio=1,
                     showgrid=False, zeroline=False)
    fig.update_layout(**_base_layout(height, margin=dict(l=8, r=8, t=10, b=8)))
    return fig
