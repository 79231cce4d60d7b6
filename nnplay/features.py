"""Input features computed from the two raw inputs, like TensorFlow Playground's.

A network that only sees x1 and x2 needs hidden layers to bend its decision boundary.
Handing it ready-made features such as x1² or x1·x2 lets even a network without
hidden layers draw a circle or an XOR pattern, which is the point of the demo.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Sequence

import numpy as np

FeatureFunction = Callable[[np.ndarray, np.ndarray], np.ndarray]

# name -> (label for the page, function of the columns x1 and x2, each of shape (n,))
FEATURES: dict[str, tuple[str, FeatureFunction]] = {
    "x1": ("x1", lambda x1, x2: x1),
    "x2": ("x2", lambda x1, x2: x2),
    "x1_sq": ("x1²", lambda x1, x2: x1**2),
    "x2_sq": ("x2²", lambda x1, x2: x2**2),
    "x1_x2": ("x1·x2", lambda x1, x2: x1 * x2),
    "sin_x1": ("sin(x1)", lambda x1, x2: np.sin(x1)),
    "sin_x2": ("sin(x2)", lambda x1, x2: np.sin(x2)),
}

DEFAULT_FEATURES = ("x1", "x2")


def _message(param: str, requirement: str, value: object) -> str:
    """Build the one error-message shape used throughout nnplay."""
    if isinstance(value, np.generic):
        value = value.item()  # show 1.5, not np.float64(1.5)
    return f"The '{param}' parameter must be {requirement}. Got {reprlib.repr(value)} instead."


def _check_names(names: object) -> tuple[str, ...]:
    """Return ``names`` as a tuple of known, distinct, lower-case feature names, or raise."""
    # A bare string is a sequence too: "x1" would be read as the features "x" and "1".
    if isinstance(names, str) or not isinstance(names, Sequence):
        requirement = "a sequence of feature names such as ('x1', 'x2')"
        raise TypeError(_message("names", requirement, names))
    if len(names) == 0:
        raise ValueError(_message("names", "a non-empty sequence of feature names", names))
    for name in names:
        if not isinstance(name, str):
            raise TypeError(_message("names", "made of strings", name))
        if name.lower() not in FEATURES:
            known = ", ".join(repr(key) for key in FEATURES)
            raise ValueError(_message("names", f"made of known features ({known})", name))
    keys = tuple(name.lower() for name in names)
    if len(set(keys)) != len(keys):
        raise ValueError(_message("names", "free of repeated features", tuple(names)))
    return keys


def _check_inputs(X: object) -> np.ndarray:
    """Return ``X`` as a float64 array of shape (n, 2), or raise."""
    try:
        array = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(_message("X", "an array of numbers", X)) from None
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(_message("X", "an array of shape (n, 2): one row per point", array.shape))
    if not np.isfinite(array).all():
        raise ValueError(_message("X", "an array of finite numbers (no NaN or infinity)", X))
    return array


def featurize(X: np.ndarray, names: Sequence[str] = DEFAULT_FEATURES) -> np.ndarray:
    """Compute the chosen features of every point.

    Parameters
    ----------
    X : array of shape (n, 2)
        Raw inputs, one point (x1, x2) per row.
    names : sequence of str
        Names from ``FEATURES`` (any case), without repeats, at least one.

    Returns
    -------
    np.ndarray, shape (n, len(names)), float64
        Column j holds the feature ``names[j]``; a new array, ``X`` is left untouched.
    """
    keys = _check_names(names)
    array = _check_inputs(X)
    x1, x2 = array[:, 0], array[:, 1]
    columns = [FEATURES[key][1](x1, x2) for key in keys]
    # column_stack copies, so the "x1" column never aliases the caller's X.
    return np.column_stack(columns)


def feature_labels(names: Sequence[str]) -> tuple[str, ...]:
    """Display labels of the features ``names`` (``FEATURES``' keys, any case, no repeats), in
    order: ``("x1", "x1²")`` for ``("x1", "x1_sq")``."""
    return tuple(FEATURES[key][0] for key in _check_names(names))
