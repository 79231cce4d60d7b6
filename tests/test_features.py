"""Tests for nnplay.features: the ready-made input features of the playground."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnplay.features import DEFAULT_FEATURES, FEATURES, feature_labels, featurize

ALL_NAMES = ("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2")

X = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, math.pi / 2]])

# Worked out by hand for the three rows of X above.
BY_HAND = {
    "x1": [1.0, -3.0, 0.0],
    "x2": [2.0, 0.5, math.pi / 2],
    "x1_sq": [1.0, 9.0, 0.0],
    "x2_sq": [4.0, 0.25, math.pi**2 / 4],
    "x1_x2": [2.0, -1.5, 0.0],
    "sin_x1": [math.sin(1.0), math.sin(-3.0), 0.0],
    "sin_x2": [math.sin(2.0), math.sin(0.5), 1.0],
}


def raises_about(error: type[Exception], param: str):
    """pytest.raises for an error whose message names the parameter."""
    return pytest.raises(error, match=f"The '{param}' parameter must be")


def test_registry_names_and_labels():
    assert tuple(FEATURES) == ALL_NAMES
    assert [label for label, _ in FEATURES.values()] == [
        "x1",
        "x2",
        "x1²",
        "x2²",
        "x1·x2",
        "sin(x1)",
        "sin(x2)",
    ]
    assert DEFAULT_FEATURES == ("x1", "x2")


@pytest.mark.parametrize("name", ALL_NAMES)
def test_each_feature_by_hand(name):
    result = featurize(X, [name])
    assert result.shape == (3, 1)
    np.testing.assert_allclose(result[:, 0], BY_HAND[name], atol=1e-15)


def test_columns_follow_the_order_of_names():
    names = ["sin_x2", "x1", "x1_x2"]
    expected = np.column_stack([BY_HAND[name] for name in names])
    np.testing.assert_allclose(featurize(X, names), expected, atol=1e-15)
    np.testing.assert_array_equal(featurize(X, ["x2", "x1"]), X[:, ::-1])


def test_default_features_are_the_raw_inputs():
    np.testing.assert_array_equal(featurize(X), X)


@given(arrays(np.float64, st.tuples(st.integers(0, 20), st.just(2)), elements=st.floats(-6, 6)))
def test_all_features_on_random_points(points):
    result = featurize(points, ALL_NAMES)
    assert result.shape == (len(points), 7)
    assert result.dtype == np.float64
    x1, x2 = points[:, 0], points[:, 1]
    np.testing.assert_array_equal(result[:, :2], points)
    np.testing.assert_allclose(result[:, 4], result[:, 0] * result[:, 1])
    np.testing.assert_allclose(result[:, 2:4], points**2)
    np.testing.assert_allclose(result[:, 5:], np.sin(points))
    assert (result[:, 2] >= 0).all() and (np.abs(result[:, 5:]) <= 1).all()
    assert np.array_equal(points[:, 0], x1) and np.array_equal(points[:, 1], x2)


def test_featurize_accepts_lists_and_any_case():
    np.testing.assert_allclose(featurize([[1, 2]], ("X1_SQ", "Sin_X2")), [[1.0, math.sin(2.0)]])


def test_featurize_leaves_its_input_alone():
    raw = X.copy()
    result = featurize(raw, ["x1", "x2"])
    result[0, 0] = 99.0  # the result is a new array, not a view of raw
    np.testing.assert_array_equal(raw, X)


def test_featurize_handles_no_points():
    assert featurize(np.zeros((0, 2)), ["x1", "x1_x2", "sin_x1"]).shape == (0, 3)


def test_feature_labels_follow_the_order_of_names():
    assert feature_labels(["x1_x2", "x1_sq", "sin_x2"]) == ("x1·x2", "x1²", "sin(x2)")
    assert feature_labels(DEFAULT_FEATURES) == ("x1", "x2")
    assert feature_labels(["X2_SQ"]) == ("x2²",)


@pytest.mark.parametrize(
    ("names", "error"),
    [
        ("x1", TypeError),  # a bare string, not a sequence of names
        (None, TypeError),
        ([], ValueError),
        (["x1", "x3"], ValueError),
        (["x1", 2], TypeError),
        (["x1", "x1"], ValueError),
        (["x1_sq", "X1_SQ"], ValueError),  # the same feature in another case
    ],
)
@pytest.mark.parametrize("call", [lambda names: featurize(X, names), feature_labels])
def test_bad_names_are_rejected(call, names, error):
    with raises_about(error, "names"):
        call(names)


def test_unknown_name_message_lists_the_known_ones():
    with raises_about(ValueError, "names") as caught:
        featurize(X, ["cos_x1"])
    message = str(caught.value)
    assert "'cos_x1'" in message
    assert all(repr(name) in message for name in ALL_NAMES)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (np.zeros(4), ValueError),
        (np.zeros((4, 3)), ValueError),
        (np.zeros((2, 2, 2)), ValueError),
        ([[1.0, float("nan")]], ValueError),
        ([["a", "b"]], TypeError),
    ],
)
def test_bad_inputs_are_rejected(bad, error):
    with raises_about(error, "X"):
        featurize(bad, ["x1"])


def test_shape_message_shows_the_shape():
    with pytest.raises(ValueError, match=r"Got \(4, 3\) instead\."):
        featurize(np.zeros((4, 3)), ["x1"])
