"""Problems with classes: the predicted class over the input square.

``class_image`` computes the picture in numpy (each pixel the predicted
class's colour, paler where the network is unsure): any number of classes,
one small uint8 array. The live view draws it as SVG (``charts``);
``class_surface_figure`` is its Plotly figure, as pure as those in
:mod:`nnplay.views.figures`, for the lab's panels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnplay import _checks
from nnplay.views import scores
from nnplay.views.colors import BLUE, ORANGE
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


