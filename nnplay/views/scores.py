"""How well the network does on a data set: accuracy and confusion for classes, RMSE and R² for numbers.

Pure numpy, so the page, the command line and the tests read the same
numbers. ``outputs`` are what the network gives for every row of a data
set, ``(n, k)``; ``y`` are that data set's targets, the same shape, with
the layout of :class:`nnplay.datasets.Dataset`:

* ``"binary"``: one column, 0 or 1; the class is 1 where the output
  reaches ``threshold``.
* ``"multiclass"``: one-hot rows, ``k >= 2`` columns; the class is the
  column with the largest output (the softmax's most probable class).
* ``"regression"``: real numbers, scored by RMSE and R² instead.

The threshold 0.5 is the midpoint of a sigmoid or softmax output, which is
what the page uses for classification. It sits halfway between the two
target values, so it also suits a tanh output trained towards 0/1 targets;
only a tanh output trained towards -1/+1 would want the midpoint 0.

A NaN output never votes for a class: a binary NaN is below any threshold
(class 0) and a multiclass row's NaN columns lose to every number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnplay import _checks

KINDS = ("binary", "multiclass", "regression")
CLASSIFICATION = ("binary", "multiclass")


# -- classes ---------------------------------------------------------------------------

def predicted_classes(outputs: np.ndarray, kind: str, threshold: float = 0.5) -> np.ndarray:
    """The class the network predicts for every row, ``(n,)`` ints.

    ``binary``: 1 where ``outputs[:, 0] >= threshold``, else 0.
    ``multiclass``: the index of each row's largest output (the first on a tie).
    """
    outputs = _outputs(outputs, _classification(kind))
    if kind == "binary":
        threshold = _checks.number("threshold", threshold)
        return (outputs[:, 0] >= threshold).astype(np.int64)  # NaN >= t is False: class 0
    return np.argmax(np.nan_to_num(outputs, nan=-np.inf), axis=1)


def true_classes(y: np.ndarray, kind: str) -> np.ndarray:
    """The class of every row of the targets, ``(n,)`` ints.

    ``binary``: 1 where ``y[:, 0] >= 0.5`` (so 0/1 and -1/+1 labels both work).
    ``multiclass``: the column holding each one-hot row's 1.
    """
    y = _targets(y, _classification(kind))
    if kind == "binary":
        return (y[:, 0] >= 0.5).astype(np.int64)
    return np.argmax(y, axis=1)


def n_classes_of(outputs: np.ndarray, kind: str) -> int:
    """How many classes a classification's outputs tell apart: 2 for binary, else the columns."""
    outputs = _outputs(outputs, _classification(kind))
    return 2 if kind == "binary" else outputs.shape[1]


# -- classification scores -----------------------------------------------------------------

def accuracy(outputs: np.ndarray, y: np.ndarray, kind: str, threshold: float = 0.5) -> float:
    """The share of rows whose predicted class is the true class, in ``[0, 1]``.

    Raises ``ValueError`` for a data set without rows, which has no accuracy.
    """
    predicted, true = _class_pairs(outputs, y, kind, threshold)
    return float(np.mean(predicted == true))


def confusion_matrix(outputs: np.ndarray, y: np.ndarray, kind: str, n_classes: int,
                     threshold: float = 0.5) -> np.ndarray:
    """How often each true class got each predicted class, ``(n_classes, n_classes)`` ints.

    Row ``i``, column ``j`` counts the rows of true class ``i`` predicted as
    class ``j``: the diagonal holds the right answers, and everything adds
    up to the number of rows. ``n_classes`` is 2 for ``binary`` and the
    number of output columns for ``multiclass``. No rows give all zeros.
    """
    outputs, y = _pair(outputs, y, _classification(kind))
    expected = n_classes_of(outputs, kind)
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) \
            or n_classes != expected:
        _checks.fail("n_classes", f"{expected}, the number of classes of these {kind} outputs",
                     n_classes)
    predicted = predicted_classes(outputs, kind, threshold)
    true = true_classes(y, kind)
    # Each (true, predicted) pair gets one cell number; counting them fills the matrix.
    cells = np.bincount(true * n_classes + predicted, minlength=n_classes * n_classes)
    return cells.reshape(n_classes, n_classes).astype(np.int64)


# -- regression scores ------------------------------------------------------------------

def rmse(outputs: np.ndarray, y: np.ndarray) -> float:
    """Root mean squared error, ``sqrt(mean((outputs - y)**2))`` over every entry.

    In the targets' own units: 0.1 means the outputs are typically about
    0.1 away. Raises ``ValueError`` for a data set without rows.
    """
    outputs, y = _pair(outputs, y, "regression")
    _require_rows(y)
    return float(np.sqrt(np.mean((outputs - y) ** 2)))


def r_squared(outputs: np.ndarray, y: np.ndarray) -> float:
    """The coefficient of determination, ``R² = 1 - SS_res / SS_tot``.

    ``SS_res = sum((y - outputs)**2)`` is what the network leaves
    unexplained, ``SS_tot = sum((y - mean(y))**2)`` what always answering
    the mean would (each output column around its own mean). 1 is perfect,
    0 is no better than the mean, and a negative R² is worse than the mean.

    A constant target has ``SS_tot = 0``, where the ratio means nothing; as
    in scikit-learn's ``r2_score``, R² is then 1.0 if the outputs are exactly
    right and 0.0 otherwise. Raises ``ValueError`` for a data set without rows.
    """
    outputs, y = _pair(outputs, y, "regression")
    _require_rows(y)
    ss_res = float(np.sum((y - outputs) ** 2))
    constant = np.all(y == y[0], axis=0)
    # A constant column's deviations are exactly 0, not the rounding error of its mean.
    deviations = np.where(constant, 0.0, y - y.mean(axis=0))
    ss_tot = float(np.sum(deviations**2))
    if ss_tot == 0.0:
        return 1.0 if np.array_equal(outputs, y) else 0.0
    return 1.0 - ss_res / ss_tot


# -- everything the page shows -------------------------------------------------------------

@dataclass(frozen=True)
class Scores:
    """What the page shows for one data set; the fields that do not apply are None.

    Classification fills ``accuracy`` and ``confusion``; regression fills
    ``rmse`` and ``r_squared``. A data set without rows (an empty test set)
    leaves all four None, with ``n_examples`` 0.
    """

    kind: str
    n_examples: int
    accuracy: float | None = None
    confusion: np.ndarray | None = None
    """``(n_classes, n_classes)`` ints, rows the true class, columns the predicted one."""
    rmse: float | None = None
    r_squared: float | None = None

    @property
    def correct(self) -> int | None:
        """How many rows a classification got right (the confusion matrix's diagonal)."""
        return None if self.confusion is None else int(np.trace(self.confusion))


def fit_text(value: float) -> str:
    """R² or RMSE for the page: three decimals, or three figures when a wild network (one
    just back from diverging) makes them huge."""
    if not np.isfinite(value):
        return "–"
    return f"{value:.3f}" if abs(value) < 1e4 else f"{value:.3g}"


def score(outputs: np.ndarray, y: np.ndarray, kind: str, threshold: float = 0.5) -> Scores:
    """Score the network's ``outputs`` on a data set's targets ``y``, both ``(n, k)``."""
    outputs, y = _pair(outputs, y, kind)
    n = len(y)
    if n == 0:
        return Scores(kind, 0)
    if kind == "regression":
        return Scores(kind, n, rmse=rmse(outputs, y), r_squared=r_squared(outputs, y))
    matrix = confusion_matrix(outputs, y, kind, n_classes_of(outputs, kind), threshold)
    return Scores(kind, n, accuracy=float(np.trace(matrix)) / n, confusion=matrix)


# -- checks ------------------------------------------------------------------------------

def _outputs(outputs: object, kind: str) -> np.ndarray:
    """``outputs`` as a float64 ``(n, k)`` array that suits ``kind``, else raise.

    NaN and infinity are let through: a network far off course still gets a score.
    """
    _checks.choice("kind", kind, KINDS)
    array = _numbers("outputs", outputs)
    if array.ndim != 2:
        _checks.fail("outputs", "a 2-D array, one row per example", array.shape)
    if kind == "binary" and array.shape[1] != 1:
        _checks.fail("outputs", "one column for a binary problem, shape (n, 1)", array.shape)
    if kind == "multiclass" and array.shape[1] < 2:
        _checks.fail("outputs", "one column per class for a multiclass problem, shape (n, k >= 2)",
                     array.shape)
    return array


def _targets(y: object, kind: str) -> np.ndarray:
    """``y`` as a float64 array of finite targets that suits ``kind``, else raise."""
    array = _outputs(y, kind)  # same shape rules as the outputs
    if not np.isfinite(array).all():
        _checks.fail("y", "an array of finite targets (no NaN or infinity)", "an array with NaN or inf")
    return array


def _pair(outputs: object, y: object, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Outputs and targets checked, and checked to have the same shape."""
    outputs, y = _outputs(outputs, kind), _targets(y, kind)
    if outputs.shape != y.shape:
        _checks.fail("y", f"the shape of the outputs, {outputs.shape}", y.shape)
    return outputs, y


def _class_pairs(outputs: object, y: object, kind: str,
                 threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Predicted and true classes of a classification with at least one row."""
    outputs, y = _pair(outputs, y, _classification(kind))
    _require_rows(y)
    return predicted_classes(outputs, kind, threshold), true_classes(y, kind)


def _classification(kind: object) -> str:
    """``kind`` if it is a classification (there are classes to count), else raise."""
    if kind not in CLASSIFICATION:
        _checks.fail("kind", "'binary' or 'multiclass' (a problem with classes)", kind)
    return kind


def _numbers(name: str, value: object) -> np.ndarray:
    """``value`` as a float64 array, refusing text and other non-numbers."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = None
    if array is None or array.dtype.kind not in "biuf":
        _checks.fail(name, "an array of numbers", type(value).__name__, TypeError)
    return array.astype(np.float64)


def _require_rows(y: np.ndarray) -> None:
    if len(y) == 0:
        _checks.fail("y", "a data set with at least one row (an empty set has no score)", y.shape)
