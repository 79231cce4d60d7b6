"""Scores of a data set: hand-worked values, the edge cases, and invariants on random outputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnplay.views import scores
from nnplay.views.scores import Scores


def column(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)[:, None]


def one_hot(*labels: int, k: int) -> np.ndarray:
    return np.eye(k)[list(labels)]


# -- binary, worked by hand ------------------------------------------------------------------

# outputs 0.9 0.8 0.2 0.6 0.4  -> predicted 1 1 0 1 0 (>= 0.5)
# targets 1   1   0   0   1    -> right:    y y y n n  -> accuracy 3/5
BINARY_OUTPUTS = column(0.9, 0.8, 0.2, 0.6, 0.4)
BINARY_TARGETS = column(1, 1, 0, 0, 1)


def test_binary_classes_cut_at_one_half_inclusive():
    assert scores.predicted_classes(column(0.49, 0.5, 0.51), "binary").tolist() == [0, 1, 1]
    assert scores.true_classes(column(0, 1, 1), "binary").tolist() == [0, 1, 1]


def test_binary_accuracy_and_confusion_by_hand():
    assert scores.accuracy(BINARY_OUTPUTS, BINARY_TARGETS, "binary") == 0.6
    matrix = scores.confusion_matrix(BINARY_OUTPUTS, BINARY_TARGETS, "binary", 2)
    # true 0: row 3 right (pred 0), row 4 wrong (pred 1); true 1: rows 1, 2 right, row 5 wrong.
    assert matrix.tolist() == [[1, 1], [1, 2]]
    assert matrix.dtype.kind == "i"


def test_a_tanh_output_cut_at_zero():
    outputs, targets = column(-0.5, 0.1, 0.0), column(0, 1, 0)
    assert scores.predicted_classes(outputs, "binary", threshold=0.0).tolist() == [0, 1, 1]
    assert scores.accuracy(outputs, targets, "binary", threshold=0.0) == pytest.approx(2 / 3)
    assert scores.accuracy(outputs, targets, "binary") == pytest.approx(2 / 3)  # 0.1 < 0.5: wrong


def test_minus_one_plus_one_labels_are_read_as_classes_0_and_1():
    assert scores.true_classes(column(-1, 1, -1), "binary").tolist() == [0, 1, 0]


def test_all_wrong_gives_zero_and_an_empty_diagonal():
    outputs, targets = column(0.9, 0.1, 0.7), column(0, 1, 0)
    assert scores.accuracy(outputs, targets, "binary") == 0.0
    assert scores.confusion_matrix(outputs, targets, "binary", 2).tolist() == [[0, 2], [1, 0]]


def test_all_right_gives_one():
    assert scores.accuracy(column(0.9, 0.1), column(1, 0), "binary") == 1.0


# -- more than two classes -------------------------------------------------------------------

def test_three_classes_by_hand():
    outputs = np.array([[0.7, 0.2, 0.1],   # predicted 0, true 0: right
                        [0.1, 0.3, 0.6],   # predicted 2, true 1: wrong
                        [0.2, 0.5, 0.3],   # predicted 1, true 1: right
                        [0.4, 0.4, 0.2]])  # tie: the first column, 0; true 2: wrong
    targets = one_hot(0, 1, 1, 2, k=3)
    assert scores.predicted_classes(outputs, "multiclass").tolist() == [0, 2, 1, 0]
    assert scores.true_classes(targets, "multiclass").tolist() == [0, 1, 1, 2]
    assert scores.accuracy(outputs, targets, "multiclass") == 0.5
    assert scores.confusion_matrix(outputs, targets, "multiclass", 3).tolist() == [
        [1, 0, 0],
        [0, 1, 1],
        [1, 0, 0],
    ]


def test_five_classes_confusion_counts_every_pair():
    true = [0, 1, 2, 3, 4, 4, 4]
    predicted = [0, 1, 3, 3, 0, 4, 4]
    outputs = np.eye(5)[predicted] * 0.8 + 0.04
    matrix = scores.confusion_matrix(outputs, one_hot(*true, k=5), "multiclass", 5)
    expected = np.zeros((5, 5), dtype=int)
    for t, p in zip(true, predicted):
        expected[t, p] += 1
    np.testing.assert_array_equal(matrix, expected)
    assert scores.n_classes_of(outputs, "multiclass") == 5


def test_nan_outputs_never_win_a_class():
    assert scores.predicted_classes(column(np.nan, 0.7), "binary").tolist() == [0, 1]
    outputs = np.array([[np.nan, 0.2, 0.1], [0.1, np.nan, 0.3], [np.nan, np.nan, np.nan]])
    assert scores.predicted_classes(outputs, "multiclass").tolist() == [1, 2, 0]


# -- regression, worked by hand --------------------------------------------------------------

def test_rmse_and_r_squared_by_hand():
    outputs, targets = column(1, 2, 3), column(1, 2, 5)
    # residuals 0, 0, -2: SS_res = 4, RMSE = sqrt(4 / 3)
    assert scores.rmse(outputs, targets) == pytest.approx(math.sqrt(4 / 3), rel=1e-15)
    # mean(y) = 8/3: SS_tot = (25 + 4 + 49) / 9 = 78/9, R² = 1 - 4 * 9 / 78 = 7/13
    assert scores.r_squared(outputs, targets) == pytest.approx(7 / 13, rel=1e-15)


def test_r_squared_of_a_perfect_fit_and_of_the_mean():
    targets = column(-1.0, 0.5, 2.0)
    assert scores.r_squared(targets, targets) == 1.0
    assert scores.rmse(targets, targets) == 0.0
    assert scores.r_squared(np.full_like(targets, targets.mean()), targets) == pytest.approx(0.0, abs=1e-15)


def test_r_squared_goes_negative_when_worse_than_the_mean():
    # outputs -y: SS_res = sum((2y)^2) = 4 * 2 = 8, SS_tot = 2, R² = 1 - 4 = -3
    assert scores.r_squared(column(1, -1), column(-1, 1)) == -3.0


@pytest.mark.parametrize("value", [0.0, 0.1, -7.3])
def test_r_squared_of_a_constant_target(value):
    targets = np.full((3, 1), value)  # 0.1 has a mean with rounding error: still exactly constant
    assert scores.r_squared(targets, targets) == 1.0
    assert scores.r_squared(targets + 0.01, targets) == 0.0
    assert scores.rmse(targets + 0.01, targets) == pytest.approx(0.01)


def test_regression_scores_pool_several_columns():
    outputs, targets = np.array([[1.0, 0.0], [1.0, 2.0]]), np.array([[1.0, 0.0], [1.0, 4.0]])
    assert scores.rmse(outputs, targets) == 1.0  # sqrt(4 / 4)
    # column 1 is constant (adds 0 to SS_tot); column 2: mean 2, SS_tot = 8, SS_res = 4
    assert scores.r_squared(outputs, targets) == 0.5


def test_regression_with_infinite_outputs_is_scored_not_refused():
    assert scores.rmse(column(np.inf, 0.0), column(0.0, 1.0)) == math.inf
    assert scores.r_squared(column(np.inf, 0.0), column(0.0, 1.0)) == -math.inf


# -- empty data sets -------------------------------------------------------------------------

@pytest.mark.parametrize("kind, k", [("binary", 1), ("multiclass", 3), ("regression", 1)])
def test_an_empty_set_scores_none(kind, k):
    empty = np.zeros((0, k))
    assert scores.score(empty, empty, kind) == Scores(kind, 0)
    assert scores.score(empty, empty, kind).correct is None


def test_empty_sets_have_no_accuracy_rmse_or_r_squared():
    empty = np.zeros((0, 1))
    for measure in (lambda: scores.accuracy(empty, empty, "binary"),
                    lambda: scores.rmse(empty, empty), lambda: scores.r_squared(empty, empty)):
        with pytest.raises(ValueError, match="at least one row"):
            measure()


def test_an_empty_confusion_matrix_is_zeros():
    empty = np.zeros((0, 3))
    assert scores.confusion_matrix(empty, empty, "multiclass", 3).tolist() == [[0] * 3] * 3


# -- the page's summary --------------------------------------------------------------------

def test_score_of_a_classification():
    result = scores.score(BINARY_OUTPUTS, BINARY_TARGETS, "binary")
    assert result.kind == "binary" and result.n_examples == 5
    assert result.accuracy == 0.6 and result.correct == 3
    assert result.confusion.tolist() == [[1, 1], [1, 2]]
    assert result.rmse is None and result.r_squared is None


def test_score_passes_the_threshold_on():
    assert scores.score(column(0.1, -0.1), column(1, 0), "binary", threshold=0.0).accuracy == 1.0


def test_score_of_a_regression():
    result = scores.score(column(1, 2, 3), column(1, 2, 5), "regression")
    assert result.n_examples == 3
    assert result.rmse == pytest.approx(math.sqrt(4 / 3))
    assert result.r_squared == pytest.approx(7 / 13)
    assert result.accuracy is None and result.confusion is None and result.correct is None


def test_score_reads_a_real_data_set():
    from nnplay import datasets
    data = datasets.points("three_gaussians", 30, seed=2)
    result = scores.score(data.y, data.y, data.kind)  # outputs equal to the targets: all right
    assert result.accuracy == 1.0
    assert result.confusion.tolist() == [[10, 0, 0], [0, 10, 0], [0, 0, 10]]


# -- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: scores.accuracy(column(0.5), column(1), "ternary"), "'kind'"),
    (lambda: scores.accuracy(column(0.5), column(1), "regression"), "'binary' or 'multiclass'"),
    (lambda: scores.accuracy(column(0.5, 0.2), column(1), "binary"), "'y'.*shape of the outputs"),
    (lambda: scores.accuracy(np.zeros((2, 2)), np.zeros((2, 2)), "binary"), "one column"),
    (lambda: scores.accuracy(column(0.5), column(1), "multiclass"), "one column per class"),
    (lambda: scores.accuracy(np.array([0.5]), np.array([1.0]), "binary"), "2-D"),
    (lambda: scores.accuracy(column(0.5), column(np.nan), "binary"), "finite targets"),
    (lambda: scores.accuracy(column(0.5), column(1), "binary", threshold=np.nan), "'threshold'"),
    (lambda: scores.confusion_matrix(column(0.5), column(1), "binary", 3), "'n_classes' .* 2"),
    (lambda: scores.confusion_matrix(np.eye(3), np.eye(3), "multiclass", 2), "'n_classes' .* 3"),
    (lambda: scores.rmse(column(1), column(1, 2)), "shape"),
])
def test_bad_arguments_say_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_text_is_not_a_number():
    with pytest.raises(TypeError, match="'outputs' parameter must be an array of numbers"):
        scores.rmse([["1"]], [[1.0]])


# -- invariants on random outputs ------------------------------------------------------------

@st.composite
def classifications(draw):
    """Random (outputs, y, kind): binary sigmoid-like or multiclass probability-like rows."""
    n = draw(st.integers(1, 40))
    k = draw(st.integers(1, 6))
    kind = "binary" if k == 1 else "multiclass"
    outputs = draw(hnp.arrays(np.float64, (n, k), elements=st.floats(0.0, 1.0)))
    labels = draw(hnp.arrays(np.int64, n, elements=st.integers(0, max(k, 2) - 1)))
    y = labels[:, None].astype(float) if k == 1 else np.eye(k)[labels]
    return outputs, y, kind


@settings(max_examples=200, deadline=None)
@given(classifications())
def test_accuracy_and_confusion_agree(case):
    outputs, y, kind = case
    n_classes = scores.n_classes_of(outputs, kind)
    value = scores.accuracy(outputs, y, kind)
    matrix = scores.confusion_matrix(outputs, y, kind, n_classes)
    assert 0.0 <= value <= 1.0
    assert matrix.shape == (n_classes, n_classes)
    assert matrix.sum() == len(y) and (matrix >= 0).all()
    assert np.trace(matrix) / len(y) == value
    # each row adds up to how many examples of that class there are
    np.testing.assert_array_equal(matrix.sum(axis=1),
                                  np.bincount(scores.true_classes(y, kind), minlength=n_classes))
    summary = scores.score(outputs, y, kind)
    assert summary.accuracy == value and summary.correct == np.trace(matrix)
    np.testing.assert_array_equal(summary.confusion, matrix)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    hnp.arrays(np.float64, (n, 1), elements=st.floats(-1e3, 1e3)),
    hnp.arrays(np.float64, (n, 1), elements=st.floats(-1e3, 1e3)))))
def test_regression_scores_stay_in_range(case):
    outputs, y = case
    error, r2 = scores.rmse(outputs, y), scores.r_squared(outputs, y)
    assert error >= 0.0 and math.isfinite(error)
    assert r2 <= 1.0
    if np.array_equal(outputs, y):
        assert error == 0.0 and r2 == 1.0


@pytest.mark.parametrize("value, text", [(0.98765, "0.988"), (-12.5, "-12.500"),
                                         (-2.5e300, "-2.5e+300"), (123456.0, "1.23e+05"),
                                         (float("-inf"), "–"), (float("nan"), "–")])
def test_fit_text_is_short_however_wild_the_value(value, text):
    assert scores.fit_text(value) == text
