"""Problems with classes: the predicted class over the input square.

``class_image`` computes the picture in numpy (each pixel the predicted
class's colour, paler where the network is unsure): any number of classes,
one small uint8 array. The live views and the rewind panel draw it as SVG
(``charts.class_surface_svg``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnplay import _checks
from nnplay.views import scores
from nnplay.views.colors import BLUE, ORANGE

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
