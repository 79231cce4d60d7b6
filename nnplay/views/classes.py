"""Figures for problems with classes: the predicted class over the input square, and the confusion matrix.

Pure builders like those in :mod:`nnplay.views.figures`: arrays in, a
Plotly figure out, nothing drawn here. The class surface is one RGB image
computed in numpy (each pixel the predicted class's colour, paler where the
network is unsure) rather than a heatmap: any number of classes, and a
frame only replaces one small uint8 array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnplay import _checks
from nnplay.views import scores
from nnplay.views.colors import BLUE, NEUTRAL, ORANGE
from nnplay.views.figures import _base_layout, _float32

CLASS_COLOURS = (ORANGE, BLUE, "#009e73", "#cc79a7", "#5f5f5f", "#f0e442")
"""One colour per class: the house orange (class 0) and blue (class 1), then
Okabe and Ito's bluish green and reddish purple, a dark grey and their yellow.
Simulated protanopia, deuteranopia and tritanopia keep every pair apart."""
MAX_TINT = 0.7
"""How far a pixel the network is sure of moves from white towards its class colour.

Short of 1, so that the points (full colour, outlined) stand out on the surface."""
WHITE = np.array([255.0, 255.0, 255.0])
POINT_OUTLINE = "#202020"
TEST_OUTLINE = "#ffffff"


# -- the class surface -------------------------------------------------------------------

def class_image(outputs_grid: np.ndarray) -> np.ndarray:
    """The class surface as RGB pixels, ``(ny, nx, 3)`` uint8, row 0 at the lowest x2.

    ``outputs_grid`` is ``(ny, nx, k)``: the network's outputs at every grid
    point, softmax probabilities (``k >= 2``) or a sigmoid's probability of
    class 1 (``k = 1``). Each pixel takes its predicted class's colour
    (``scores.predicted_classes``, so the picture and the accuracy agree),
    mixed with white by how unsure the network is: a pixel where every class
    is equally likely (the largest probability is ``1 / classes``) is
    white, one where the largest probability is 1 has ``MAX_TINT`` of the colour.
    """
    grid = _outputs_grid(outputs_grid)
    ny, nx, k = grid.shape
    rows = grid.reshape(ny * nx, k)
    kind = "binary" if k == 1 else "multiclass"
    predicted = scores.predicted_classes(rows, kind)
    # Probabilities of every class; a lone sigmoid column is P(class 1).
    probabilities = np.clip(np.hstack([1.0 - rows, rows]) if k == 1 else rows, 0.0, 1.0)
    n_classes = probabilities.shape[1]
    chance = 1.0 / n_classes
    confidence = (probabilities.max(axis=1) - chance) / (1.0 - chance)
    tint = MAX_TINT * np.clip(confidence, 0.0, 1.0)[:, None]
    colours = _rgb(CLASS_COLOURS)[predicted]
    pixels = WHITE + tint * (colours - WHITE)
    return np.rint(pixels).astype(np.uint8).reshape(ny, nx, 3)


def class_surface_figure(
    xs: np.ndarray,
    ys: np.ndarray,
    outputs_grid: np.ndarray,
    points: np.ndarray,
    point_classes: np.ndarray,
    *,
    height: int = 300,
    test_points: np.ndarray | None = None,
    test_classes: np.ndarray | None = None,
) -> go.Figure:
    """The predicted class over the input square, with the data's points on top.

    Parameters
    ----------
    xs, ys : (nx,), (ny,) increasing, evenly spaced grid values of x1 and x2
        (``figures.surface_grid``); the axes span exactly ``xs[0]..xs[-1]``
        and ``ys[0]..ys[-1]``.
    outputs_grid : (ny, nx, k) the outputs at ``figures.grid_points(xs, ys)``
        reshaped to ``(ny, nx, k)``; see ``class_image``.
    points, point_classes : (n, 2), (n,) the training points and their true
        classes (``scores.true_classes``), drawn in their class colour with a dark outline.
    test_points, test_classes : (m, 2), (m,) optional test points, drawn as
        diamonds with a white outline.

    The traces are, always in this order: the image, the training points,
    the test points (empty without a test set), so ``update_class_surface``
    and the page can find them.
    """
    xs, ys = _axis("xs", xs), _axis("ys", ys)
    image = class_image(outputs_grid)
    if image.shape[:2] != (len(ys), len(xs)):
        _checks.fail("outputs_grid", f"of shape ({len(ys)}, {len(xs)}, k) to match ys and xs",
                     np.shape(outputs_grid))
    n_classes = max(2, np.shape(outputs_grid)[2])
    if (test_points is None) != (test_classes is None):
        _checks.fail("test_classes", "given together with test_points (or both left out)",
                     "only one of them")
    fig = go.Figure()
    fig.add_trace(go.Image(
        z=image, x0=float(xs[0]), dx=float(xs[1] - xs[0]), y0=float(ys[0]), dy=float(ys[1] - ys[0]),
        hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}<extra></extra>",
    ))
    fig.add_trace(_points_trace("training", points, point_classes, n_classes,
                                symbol="circle", outline=POINT_OUTLINE, size=8))
    test_points = np.zeros((0, 2)) if test_points is None else test_points
    test_classes = np.zeros(0, dtype=int) if test_classes is None else test_classes
    fig.add_trace(_points_trace("test", test_points, test_classes, n_classes,
                                symbol="diamond", outline=TEST_OUTLINE, size=9))
    # An image reverses the y axis unless told otherwise; a fixed increasing range keeps x2 upwards.
    fig.update_xaxes(range=[float(xs[0]), float(xs[-1])], autorange=False, title_text="x1",
                     constrain="domain", showgrid=False, zeroline=False)
    fig.update_yaxes(range=[float(ys[0]), float(ys[-1])], autorange=False, title_text="x2",
                     scaleanchor="x", scaleratio=1, showgrid=False, zeroline=False)
    fig.update_layout(**_base_layout(height, margin=dict(l=8, r=8, t=10, b=8), showlegend=False))
    return fig


def update_class_surface(fig: go.Figure, outputs_grid: np.ndarray) -> None:
    """Put new outputs into a figure made by ``class_surface_figure`` (same grid, same classes)."""
    image = class_image(outputs_grid)
    if image.shape != np.shape(fig.data[0].z):
        _checks.fail("outputs_grid", f"on the figure's grid, {np.shape(fig.data[0].z)[:2]}",
                     np.shape(outputs_grid))
    fig.data[0].z = image


def _points_trace(name: str, points: object, classes: object, n_classes: int, *, symbol: str,
                  outline: str, size: int) -> go.Scatter:
    """Markers at ``points`` in their classes' colours."""
    points = _checks.matrix(f"{name} points", points, (None, 2))
    classes = _class_ids(f"{name} classes", classes, len(points), n_classes)
    return go.Scatter(
        x=_float32(points[:, 0]), y=_float32(points[:, 1]), mode="markers", name=name,
        marker=dict(size=size, symbol=symbol, color=[CLASS_COLOURS[c] for c in classes],
                    line=dict(color=outline, width=1.5)),
        customdata=classes,
        hovertemplate=f"x1 %{{x:.2f}}, x2 %{{y:.2f}}: class %{{customdata}}<extra>{name} point</extra>",
        showlegend=False,
    )


# -- the confusion matrix ------------------------------------------------------------------

CONFUSION_SCALE = [[0.0, "#ffffff"], [1.0, "#3c4043"]]
"""White to dark grey: a share of a row says nothing about a class, so neither orange nor blue."""


def confusion_figure(matrix: np.ndarray, class_names: Sequence[str], *, height: int = 220) -> go.Figure:
    """The confusion matrix as a small heatmap with the count in every cell.

    ``matrix`` is ``(k, k)`` counts (``scores.confusion_matrix``): rows are
    the true classes (the first at the top), columns the predicted ones, so
    the right answers run down the diagonal. A cell's shade is the share of
    its row it holds (0 white, 1 dark grey), so a small class reads as
    clearly as a large one and the colour range never moves.
    """
    counts = _matrix(matrix)
    names = [str(name) for name in class_names]
    if len(names) != len(counts) or len(set(names)) != len(names):
        _checks.fail("class_names", f"{len(counts)} different names, one per row of the matrix", names)
    fig = go.Figure(go.Heatmap(
        z=_row_shares(counts), text=counts, x=names, y=names, zmin=0.0, zmax=1.0,
        colorscale=CONFUSION_SCALE, showscale=False, xgap=2, ygap=2,
        texttemplate="%{text}", textfont=dict(size=14),
        hovertemplate="true %{y}, predicted %{x}: %{text} (%{z:.0%} of %{y})<extra></extra>",
    ))
    fig.update_xaxes(type="category", title_text="predicted", showgrid=False)
    fig.update_yaxes(type="category", title_text="true", autorange="reversed", showgrid=False)
    fig.update_layout(**_base_layout(height, plot_bgcolor=NEUTRAL))
    return fig


def update_confusion(fig: go.Figure, matrix: np.ndarray) -> None:
    """Put new counts into a figure made by ``confusion_figure`` (same classes)."""
    counts = _matrix(matrix)
    if counts.shape != np.shape(fig.data[0].z):
        _checks.fail("matrix", f"of the figure's shape, {np.shape(fig.data[0].z)}", counts.shape)
    with fig.batch_update():
        fig.data[0].z = _row_shares(counts)
        fig.data[0].text = counts


def _row_shares(counts: np.ndarray) -> np.ndarray:
    """Each count as a share of its row's total, ``(k, k)`` float32; an empty row stays 0."""
    totals = counts.sum(axis=1, keepdims=True)
    return _float32(counts / np.maximum(totals, 1))


# -- checks ----------------------------------------------------------------------------

def _rgb(hex_colours: Sequence[str]) -> np.ndarray:
    """``#rrggbb`` colours as float RGB rows, ``(len, 3)``."""
    return np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in hex_colours], dtype=float)


def _outputs_grid(outputs_grid: object) -> np.ndarray:
    """The grid of outputs as float64 ``(ny, nx, k)``, NaN and inf made finite, else raise."""
    # float64 (not _float32) so that a pixel's class is the one scores.predicted_classes gives;
    # the picture sent is uint8 anyway.
    grid = np.nan_to_num(np.asarray(outputs_grid, dtype=np.float64), nan=0.0) \
        if _is_numeric(outputs_grid) else None
    if grid is None or grid.ndim != 3 or not 1 <= grid.shape[2] <= len(CLASS_COLOURS) \
            or 0 in grid.shape[:2]:
        _checks.fail("outputs_grid", f"an array of shape (ny, nx, k) with 1 <= k <= "
                     f"{len(CLASS_COLOURS)} outputs", np.shape(outputs_grid))
    return grid


def _is_numeric(value: object) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


def _axis(name: str, values: object) -> np.ndarray:
    """Grid values of one input: at least two, finite and increasing."""
    array = _checks.matrix(name, values, (None,))
    if len(array) < 2 or not np.all(np.diff(array) > 0):
        _checks.fail(name, "at least two increasing grid values", array)
    return array


def _class_ids(name: str, values: object, n_rows: int, n_classes: int) -> np.ndarray:
    """Class ids as ints, one per point, each in ``[0, n_classes)``."""
    array = _checks.matrix(name, values, (n_rows,))
    if not np.all((array == np.rint(array)) & (array >= 0) & (array < n_classes)):
        _checks.fail(name, f"whole numbers from 0 to {n_classes - 1}, one per point", array)
    return array.astype(np.int64)


def _matrix(matrix: object) -> np.ndarray:
    """A square matrix of counts (whole numbers, at least 0)."""
    array = _checks.matrix("matrix", matrix, (None, None))
    if len(array) != array.shape[1] or len(array) == 0 or np.any(array < 0) \
            or np.any(array != np.rint(array)):
        _checks.fail("matrix", "a square matrix of counts (whole numbers, at least 0)", array.shape)
    return array.astype(np.int64)
