"""Drawing your own points on the decision surface: the rules, apart from the page.

* The first point added or removed on a gate or a point set makes a new problem, *your
  drawing* (the problem ``csv``), from the points shown (every point, the test points
  included, all now training points: the test share goes to 0; a regression set's
  number targets are not classes, so a drawing on one starts empty).
* Each change of the points starts the run again from its seed, at iteration 0: the link
  then reproduces the run (``pointcode``), and a student sees the network learn the new
  problem from the start.
* Points are snapped to the link's grid (``pointcode.snap``) as they are added.
* Training waits until the training set has ``MIN_POINTS`` points and every class
  (``shortfall`` says so in a sentence); a drawing keeps at least one point.
"""

from __future__ import annotations

import numpy as np

from nnplay.app import pointcode
from nnplay.datasets import MIN_POINTS, Dataset

MAX_DRAWN = 1000
"""The most points a drawing holds (a link carries up to ``pointcode.MAX_LINK_POINTS``)."""
NEAR = 0.03
"""A click removes the nearest point within this share of the square's width."""


class DrawError(ValueError):
    """A point that cannot be added or removed; the message says why."""


def starting_points(data: Dataset) -> Dataset | None:
    """A drawing made from ``data`` (its points snapped; a regression set's none, so the
    result is None and the first point added starts it)."""
    if data.kind == "regression" or data.n_inputs != 2:
        return None
    return pointcode.make(data.X, pointcode.class_ids(data), pointcode.class_count(data),
                          data.domain, pointcode.names_of(data))


def classes_of(data: Dataset | None) -> int:
    """How many classes a drawing on ``data`` offers."""
    if data is None or data.kind == "regression":
        return 2
    return pointcode.class_count(data)


def added(drawing: Dataset | None, x: float, y: float, label: int, domain, classes: int) -> Dataset:
    """``drawing`` (None: an empty one on ``domain``) with a point of class ``label`` at (x, y)."""
    domain = drawing.domain if drawing is not None else domain
    if not isinstance(label, int) or not 0 <= label < classes:
        raise DrawError(f"There is no class {label} here: pick a class from 0 to {classes - 1}.")
    (x0, x1), (y0, y1) = domain
    if not (np.isfinite(x) and np.isfinite(y) and x0 <= x <= x1 and y0 <= y <= y1):
        raise DrawError(f"The point ({x:g}, {y:g}) is outside the square drawn "
                        f"({x0:g} to {x1:g}, {y0:g} to {y1:g}).")
    n = 0 if drawing is None else drawing.n_examples
    if n >= MAX_DRAWN:
        raise DrawError(f"A drawing holds at most {MAX_DRAWN} points: remove some to add more.")
    X = np.array([[x, y]]) if drawing is None else np.vstack([drawing.X, [[x, y]]])
    ids = np.array([label]) if drawing is None else np.append(pointcode.class_ids(drawing), label)
    names = pointcode.names_of(drawing) if drawing is not None else ()
    return pointcode.make(X, ids, classes, domain, names)


def removed(drawing: Dataset, x: float, y: float) -> Dataset:
    """``drawing`` without its point nearest (x, y); raise ``DrawError`` if none is near or
    it is the last point."""
    (x0, x1), (y0, y1) = drawing.domain
    scale = np.array([x1 - x0, y1 - y0])
    distance = np.hypot(*((drawing.X - [x, y]) / scale).T)
    nearest = int(np.argmin(distance))
    if distance[nearest] > NEAR:
        raise DrawError("There is no point there to remove: click on a point's dot.")
    if drawing.n_examples == 1:
        raise DrawError("A drawing keeps at least one point: add another before removing this one.")
    keep = np.arange(drawing.n_examples) != nearest
    return pointcode.make(drawing.X[keep], pointcode.class_ids(drawing)[keep],
                          pointcode.class_count(drawing), drawing.domain, pointcode.names_of(drawing))


def shortfall(train: Dataset) -> str | None:
    """Why a drawing's training set cannot train yet (a sentence), or None if it can (or
    ``train`` is not a drawing: an uploaded file was checked when it came)."""
    if train.name != pointcode.NAME or train.kind == "regression":
        return None
    counts = np.bincount(pointcode.class_ids(train), minlength=pointcode.class_count(train))
    missing = [pointcode.names_of(train)[k] for k in np.flatnonzero(counts == 0)]
    if train.n_examples >= MIN_POINTS and not missing:
        return None
    have = (f"now {train.n_examples} training point{'s' if train.n_examples != 1 else ''}"
            + (f", none of class {' or '.join(missing)}" if missing else ""))
    return (f"Draw at least {MIN_POINTS} training points, at least one of each class, and the "
            f"network can learn them ({have}).")
