"""Tests for nnplay.datasets: gates, truth tables, point sets and the train/test split."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnplay.datasets import (
    GATES,
    POINT_SETS,
    Dataset,
    gate,
    majority,
    parity,
    points,
    split,
    truth_table,
)

TUTORIAL_ROWS = [[0, 0], [1, 1], [0, 1], [1, 0]]

# Written out by hand, in the tutorial's row order above.
GATE_OUTPUTS = {
    "and": [0, 1, 0, 0],
    "or": [0, 1, 1, 1],
    "nand": [1, 0, 1, 1],
    "nor": [1, 0, 0, 0],
    "xor": [0, 0, 1, 1],
    "xnor": [1, 1, 0, 0],
}

EXPECTED_KINDS = {
    "circle": "binary",
    "xor": "binary",
    "gaussians": "binary",
    "spiral": "binary",
    "moons": "binary",
    "checkerboard": "binary",
    "three_gaussians": "multiclass",
    "spiral3": "multiclass",
    "plane": "regression",
    "bumps": "regression",
}
SIN_60 = math.sqrt(3) / 2
CLASSIFICATION = [name for name, kind in EXPECTED_KINDS.items() if kind != "regression"]
REGRESSION = [name for name, kind in EXPECTED_KINDS.items() if kind == "regression"]


def raises_about(error: type[Exception], param: str):
    """pytest.raises for an error whose message names the parameter."""
    return pytest.raises(error, match=f"The '{param}' parameter must be")


# --- Dataset ------------------------------------------------------------------------


def test_dataset_copies_and_freezes_its_arrays():
    X = np.zeros((3, 2))
    dataset = Dataset("d", X, np.ones((3, 1)), "binary", ((0, 1), (0, 1)))
    X[0, 0] = 5.0  # the caller's array stays writable and is not shared
    assert dataset.X[0, 0] == 0.0
    assert not dataset.X.flags.writeable and not dataset.y.flags.writeable
    with pytest.raises(ValueError):
        dataset.y[0, 0] = 0.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        dataset.X = X


def test_dataset_sizes_and_classes():
    y = np.eye(3)[[2, 0, 1, 2]]
    dataset = Dataset("d", np.zeros((4, 2)), y, "multiclass", ((0, 1), (0, 1)))
    assert (dataset.n_examples, dataset.n_inputs, dataset.n_outputs) == (4, 2, 3)
    assert dataset.n_classes == 3
    assert dataset.class_ids.tolist() == [2, 0, 1, 2]
    assert gate("or").n_classes == 2
    assert gate("or").class_ids.tolist() == [0, 1, 1, 1]
    assert points("plane").n_classes == 0
    with pytest.raises(ValueError, match="no classes"):
        _ = points("plane").class_ids


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"y": np.zeros((3, 1))}, "y"),  # 3 rows of y for 4 of X
        ({"X": np.zeros(4)}, "X"),
        ({"X": np.full((4, 2), np.nan)}, "X"),
        ({"kind": "ordinal"}, "kind"),
        ({"y": np.full((4, 1), 0.5)}, "y"),  # binary labels must be 0 or 1
        ({"y": np.zeros((4, 2))}, "y"),  # binary means one column
        ({"domain": ((0, 1),)}, "domain"),
        ({"domain": ((0, 1), (1, 1))}, "domain"),
        ({"input_names": ("a", "b", "c")}, "input_names"),
        ({"name": ""}, "name"),
    ],
)
def test_dataset_rejects_inconsistent_fields(changes, param):
    fields = {
        "name": "d",
        "X": np.zeros((4, 2)),
        "y": np.zeros((4, 1)),
        "kind": "binary",
        "domain": ((0, 1), (0, 1)),
    }
    with raises_about((ValueError, TypeError), param):
        Dataset(**{**fields, **changes})


def test_dataset_rejects_multiclass_rows_that_are_not_one_hot():
    with raises_about(ValueError, "y"):
        Dataset("d", np.zeros((2, 2)), [[1, 1, 0], [0, 0, 1]], "multiclass", ((0, 1), (0, 1)))


# --- Logic gates --------------------------------------------------------------------


def test_gate_registry_holds_the_six_gates():
    assert set(GATES) == set(GATE_OUTPUTS)


@pytest.mark.parametrize("name", GATE_OUTPUTS)
def test_gate_truth_table(name):
    dataset = gate(name)
    assert dataset.X.tolist() == TUTORIAL_ROWS
    assert dataset.y.tolist() == [[value] for value in GATE_OUTPUTS[name]]
    assert dataset.X.dtype == dataset.y.dtype == np.float64
    assert dataset.kind == "binary"
    assert dataset.name == name
    assert dataset.domain == ((-0.5, 1.5), (-0.5, 1.5))
    assert dataset.input_names == ("x1", "x2")


def test_xor_gate_is_the_tutorials():
    assert gate("xor").y.tolist() == [[0], [0], [1], [1]]


def test_gate_names_are_case_insensitive():
    assert gate("XoR").name == "xor"
    assert gate("NAND").y.tolist() == gate("nand").y.tolist()


def test_gate_arrays_are_read_only():
    dataset = gate("and")
    with pytest.raises(ValueError):
        dataset.X[0, 0] = 1.0
    assert gate("and").X[0, 0] == 0.0  # a fresh gate is unharmed either way


def test_gate_rejects_unknown_names():
    with raises_about(ValueError, "name") as caught:
        gate("implies")
    for known in GATE_OUTPUTS:
        assert repr(known) in str(caught.value)
    assert "'implies'" in str(caught.value)
    with raises_about(TypeError, "name"):
        gate(3)


# --- Truth tables, parity and majority ----------------------------------------------


def counting_rows(n_inputs: int) -> list[list[int]]:
    """Rows in binary counting order, first input most significant (independent of nnplay)."""
    return [list(bits) for bits in itertools.product([0, 1], repeat=n_inputs)]


def bit_columns(n_inputs: int) -> st.SearchStrategy[list[int]]:
    """Output columns of 0s and 1s for a truth table of n_inputs inputs."""
    return st.lists(st.sampled_from([0, 1]), min_size=2**n_inputs, max_size=2**n_inputs)


@given(st.integers(1, 6).flatmap(bit_columns))
def test_truth_table_layout(outputs):
    n_inputs = int(math.log2(len(outputs)))
    dataset = truth_table(outputs, name="mine")
    assert dataset.X.tolist() == counting_rows(n_inputs)
    assert dataset.y.tolist() == [[value] for value in outputs]
    assert dataset.name == "mine"
    assert dataset.kind == "binary"
    assert dataset.input_names == tuple(f"x{i}" for i in range(1, n_inputs + 1))
    assert dataset.domain == ((-0.5, 1.5),) * n_inputs


def test_truth_table_row_i_holds_the_bits_of_i():
    X = truth_table([0] * 8).X
    assert X[6].tolist() == [1, 1, 0]  # 6 = 0b110, x1 first
    assert X[1].tolist() == [0, 0, 1]


@pytest.mark.parametrize(
    "outputs",
    [[False, True, True, False], [0.0, 1.0, 1.0, 0.0], np.array([0, 1, 1, 0]), (0, 1, 1, 0)],
)
def test_truth_table_accepts_bools_floats_and_arrays(outputs):
    assert truth_table(outputs).y.ravel().tolist() == [0, 1, 1, 0]


@pytest.mark.parametrize("length", [0, 1, 3, 5, 12, 128])
def test_truth_table_rejects_lengths_that_are_not_a_power_of_two(length):
    with raises_about(ValueError, "outputs") as caught:
        truth_table([0] * length)
    assert f"Got {length} instead" in str(caught.value)


@pytest.mark.parametrize("bad", [2, 0.5, -1, "1", None, float("nan")])
def test_truth_table_rejects_values_other_than_0_and_1(bad):
    with raises_about(ValueError, "outputs"):
        truth_table([0, 1, bad, 0])


@pytest.mark.parametrize("bad", ["0110", 6, np.zeros((2, 2))])
def test_truth_table_rejects_non_sequences(bad):
    with raises_about((TypeError, ValueError), "outputs"):
        truth_table(bad)


@pytest.mark.parametrize("n_inputs", range(1, 7))
def test_parity_and_majority_match_counting_the_ones(n_inputs):
    rows = counting_rows(n_inputs)
    assert parity(n_inputs).X.tolist() == rows
    assert parity(n_inputs).y.ravel().tolist() == [sum(row) % 2 for row in rows]
    assert majority(n_inputs).y.ravel().tolist() == [int(2 * sum(row) > n_inputs) for row in rows]
    assert parity(n_inputs).name == f"parity{n_inputs}"
    assert majority(n_inputs).name == f"majority{n_inputs}"


def test_three_input_tables_by_hand():
    # rows 000 001 010 011 100 101 110 111
    assert parity(3).y.ravel().tolist() == [0, 1, 1, 0, 1, 0, 0, 1]
    assert majority(3).y.ravel().tolist() == [0, 0, 0, 1, 0, 1, 1, 1]
    assert parity(2).y.ravel().tolist() == [0, 1, 1, 0]  # parity of two inputs is XOR


@pytest.mark.parametrize(
    ("bad", "error"), [(0, ValueError), (7, ValueError), (2.0, TypeError), (True, TypeError)]
)
@pytest.mark.parametrize("build", [parity, majority])
def test_parity_and_majority_reject_bad_sizes(build, bad, error):
    with raises_about(error, "n_inputs"):
        build(bad)


# --- Point sets ---------------------------------------------------------------------


def test_point_set_registry():
    assert {name: kind for name, (kind, _) in POINT_SETS.items()} == EXPECTED_KINDS


@pytest.mark.parametrize("name", EXPECTED_KINDS)
def test_point_set_shapes_and_metadata(name):
    dataset = points(name, n_points=101, noise=0.1, seed=4)
    n_outputs = 3 if EXPECTED_KINDS[name] == "multiclass" else 1
    assert dataset.X.shape == (101, 2)
    assert dataset.y.shape == (101, n_outputs)
    assert dataset.X.dtype == dataset.y.dtype == np.float64
    assert (dataset.name, dataset.kind) == (name, EXPECTED_KINDS[name])
    assert dataset.domain == ((-6.0, 6.0), (-6.0, 6.0))
    assert dataset.input_names == ("x1", "x2")
    assert not dataset.X.flags.writeable


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(CLASSIFICATION),
    st.integers(4, 2000),
    st.floats(0, 0.5),
    st.integers(0, 2**32),
)
def test_classes_are_balanced_and_labels_are_valid(name, n_points, noise, seed):
    dataset = points(name, n_points, noise, seed)
    assert np.isin(dataset.y, [0.0, 1.0]).all()
    if dataset.kind == "multiclass":
        assert (dataset.y.sum(axis=1) == 1).all()  # one-hot
        counts = dataset.y.sum(axis=0)
    else:
        ones = dataset.y.sum()
        counts = np.array([n_points - ones, ones])
    assert counts.sum() == n_points
    assert counts.max() - counts.min() <= 1


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(list(EXPECTED_KINDS)), st.floats(0, 0.5), st.integers(0, 1000))
def test_points_stay_near_the_domain(name, noise, seed):
    dataset = points(name, 300, noise, seed)
    if dataset.kind == "regression":
        # The noise moves the targets only: the points stay on the square.
        assert np.abs(dataset.X).max() <= 6.0
        assert np.abs(dataset.y).max() <= 1.0 + noise
    else:
        # Each coordinate moves by at most noise * 6.
        assert np.abs(dataset.X).max() <= 6.0 * (1.0 + noise)


@pytest.mark.parametrize("name", EXPECTED_KINDS)
def test_noiseless_points_are_inside_the_domain(name):
    dataset = points(name, 2000, noise=0.0, seed=1)
    assert np.abs(dataset.X).max() <= 6.0
    if dataset.kind == "regression":
        assert np.abs(dataset.y).max() <= 1.0


@pytest.mark.parametrize("name", EXPECTED_KINDS)
def test_points_are_deterministic_per_seed(name):
    first, again = points(name, 150, 0.2, 7), points(name, 150, 0.2, 7)
    other = points(name, 150, 0.2, 8)
    assert np.array_equal(first.X, again.X) and np.array_equal(first.y, again.y)
    assert not np.array_equal(first.X, other.X)


def test_points_do_not_touch_the_global_random_state():
    # The legacy global generator is used here on purpose, to show nnplay leaves it alone.
    np.random.seed(0)  # noqa: NPY002
    expected = np.random.random()  # noqa: NPY002
    np.random.seed(0)  # noqa: NPY002
    points("spiral", 500, 0.3, 2)
    split(points("circle"), 0.5, 3)
    assert np.random.random() == expected  # noqa: NPY002


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_noise_jitters_the_coordinates_of_classification_sets(name):
    clean, noisy = points(name, 200, 0.0, 3), points(name, 200, 0.2, 3)
    assert np.array_equal(clean.y, noisy.y)  # same points, same labels...
    shift = noisy.X - clean.X  # ...moved by at most 0.2 * 6 per coordinate
    assert 0 < np.abs(shift).max() <= 1.2
    # The same seed jitters in the same directions: twice the noise, twice the shift.
    np.testing.assert_allclose(points(name, 200, 0.4, 3).X - clean.X, 2 * shift, atol=1e-12)


@pytest.mark.parametrize("name", REGRESSION)
def test_noise_jitters_the_targets_of_regression_sets(name):
    clean, noisy = points(name, 200, 0.0, 3), points(name, 200, 0.3, 3)
    assert np.array_equal(clean.X, noisy.X)
    shift = noisy.y - clean.y
    assert 0 < np.abs(shift).max() <= 0.3


def test_rows_are_shuffled():
    first_rows = points("circle", 200, 0.0, 0).y[:20]
    assert 0 < first_rows.sum() < 20  # both classes early on, not one block per class


def noiseless(name: str, seed: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x1, x2 and the targets of a large noiseless point set."""
    dataset = points(name, 2000, noise=0.0, seed=seed)
    y = dataset.y.argmax(axis=1) if dataset.kind == "multiclass" else dataset.y[:, 0]
    return dataset.X[:, 0], dataset.X[:, 1], y


def test_circle_radii_fall_in_their_bands():
    x1, x2, y = noiseless("circle")
    radius = np.hypot(x1, x2)
    assert radius[y == 1].max() <= 2.5
    assert radius[y == 0].min() >= 3.5 and radius[y == 0].max() <= 5.0


def test_xor_labels_points_whose_signs_differ():
    x1, x2, y = noiseless("xor")
    assert np.array_equal(y == 1, x1 * x2 < 0)
    assert np.minimum(np.abs(x1), np.abs(x2)).min() >= 0.5  # a gap along the axes


@pytest.mark.parametrize(
    ("name", "centres"),
    [
        ("gaussians", [[-2, -2], [2, 2]]),
        ("three_gaussians", [[0, 3.5], [-3.5 * SIN_60, -1.75], [3.5 * SIN_60, -1.75]]),
    ],
)
def test_gaussian_blobs_sit_on_their_centres(name, centres):
    x1, x2, y = noiseless(name)
    for label, centre in enumerate(centres):
        mean = [x1[y == label].mean(), x2[y == label].mean()]
        np.testing.assert_allclose(mean, centre, atol=0.15)


@pytest.mark.parametrize(("name", "n_arms"), [("spiral", 2), ("spiral3", 3)])
def test_spiral_points_lie_on_their_arm(name, n_arms):
    x1, x2, y = noiseless(name)
    radius = np.hypot(x1, x2)
    assert radius.max() <= 5.0
    # Arm k turns 1.75 times from the centre to radius 5, starting at angle 2 pi k / n_arms.
    angle = 1.75 * 2 * np.pi * radius / 5 + 2 * np.pi * y / n_arms
    np.testing.assert_allclose(x1, radius * np.cos(angle), atol=1e-9)
    np.testing.assert_allclose(x2, radius * np.sin(angle), atol=1e-9)


def test_moons_are_half_circles():
    x1, x2, y = noiseless("moons")
    upper, lower = y == 0, y == 1
    np.testing.assert_allclose(np.hypot(x1[upper] + 1.75, x2[upper] + 0.875), 3.5)
    np.testing.assert_allclose(np.hypot(x1[lower] - 1.75, x2[lower] - 0.875), 3.5)
    assert (x2[upper] >= -0.875 - 1e-9).all() and (x2[lower] <= 0.875 + 1e-9).all()


def test_checkerboard_colours_alternate():
    x1, x2, y = noiseless("checkerboard")
    column, row = np.floor((x1 + 6) / 3), np.floor((x2 + 6) / 3)
    assert np.array_equal(y, (column + row) % 2)
    assert len(set(zip(column, row, strict=True))) == 16  # every square is used


def test_plane_is_tilted():
    x1, x2, y = noiseless("plane")
    np.testing.assert_allclose(y, (x1 + x2) / 12)


def test_bumps_are_four_gaussians():
    x1, x2, y = noiseless("bumps")
    expected = np.zeros_like(y)
    for (c1, c2), height in [((3, 3), 1), ((-3, -3), 1), ((-3, 3), -1), ((3, -3), -1)]:
        expected += height * np.exp(-((x1 - c1) ** 2 + (x2 - c2) ** 2) / (2 * 1.5**2))
    np.testing.assert_allclose(y, expected)
    assert y.max() > 0.9 and y.min() < -0.9  # the bumps reach about +-1


def test_point_set_names_are_case_insensitive():
    assert points("Spiral").name == "spiral"
    assert np.array_equal(points("SPIRAL").X, points("spiral").X)


@pytest.mark.parametrize(
    ("kwargs", "error", "param", "shown"),
    [
        ({"name": "donut"}, ValueError, "name", "'donut'"),
        ({"name": None}, TypeError, "name", "None"),
        ({"n_points": 3}, ValueError, "n_points", "3"),
        ({"n_points": 2001}, ValueError, "n_points", "2001"),
        ({"n_points": 50.0}, TypeError, "n_points", "50.0"),
        ({"n_points": True}, TypeError, "n_points", "True"),
        ({"noise": 0.9}, ValueError, "noise", "0.9"),
        ({"noise": -0.1}, ValueError, "noise", "-0.1"),
        ({"noise": float("nan")}, ValueError, "noise", "nan"),
        ({"noise": "0.1"}, TypeError, "noise", "'0.1'"),
        ({"seed": -1}, ValueError, "seed", "-1"),
        ({"seed": 1.5}, TypeError, "seed", "1.5"),
    ],
)
def test_points_validate_their_arguments(kwargs, error, param, shown):
    arguments = {"name": "circle", **kwargs}
    with raises_about(error, param) as caught:
        points(**arguments)
    assert str(caught.value).endswith(f"Got {shown} instead.")


def test_noise_message_reads_like_the_style_guide():
    with pytest.raises(ValueError) as caught:
        points("circle", noise=np.float64(0.9))
    assert str(caught.value) == "The 'noise' parameter must be between 0 and 0.5. Got 0.9 instead."


# --- Train / test split -------------------------------------------------------------


def numbered(n_rows: int) -> Dataset:
    """A regression set whose x1 and y both number the rows, to track them through a split."""
    X = np.column_stack([np.arange(n_rows), np.zeros(n_rows)])
    return Dataset("numbered", X, np.arange(n_rows)[:, None], "regression", ((0, 1), (0, 1)))


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 300), st.floats(0, 0.9), st.integers(0, 10_000))
def test_split_is_disjoint_and_covering(n_rows, fraction, seed):
    train, test = split(numbered(n_rows), fraction, seed)
    assert test.n_examples == min(round(fraction * n_rows), n_rows - 1)
    assert train.n_examples + test.n_examples == n_rows
    rows = np.concatenate([train.X[:, 0], test.X[:, 0]])
    assert sorted(rows.tolist()) == list(range(n_rows))  # every row exactly once
    for part in (train, test):
        assert np.array_equal(part.X[:, 0], part.y[:, 0])  # rows of X and y stay together


def test_split_sizes():
    data = numbered(200)
    assert [part.n_examples for part in split(data, 0.25, 0)] == [150, 50]
    assert [part.n_examples for part in split(data, 0.9, 0)] == [20, 180]
    assert [part.n_examples for part in split(gate("xor"), 0.5, 0)] == [2, 2]
    # 0.9 of 4 rounds to 4, but the training set keeps one row.
    assert [part.n_examples for part in split(gate("xor"), 0.9, 0)] == [1, 3]


def test_split_with_no_test_rows():
    train, test = split(points("three_gaussians", 30), 0.0, 1)
    assert test.X.shape == (0, 2) and test.y.shape == (0, 3)
    assert train.n_examples == 30


def test_split_keeps_the_metadata():
    original = parity(3)
    for part in split(original, 0.25, 0):
        assert (part.name, part.kind, part.domain) == ("parity3", "binary", original.domain)
        assert part.input_names == ("x1", "x2", "x3")
        assert not part.X.flags.writeable


def test_split_is_deterministic_and_seeded():
    data = numbered(100)
    first, again, other = split(data, 0.3, 5), split(data, 0.3, 5), split(data, 0.3, 6)
    assert np.array_equal(first[1].X, again[1].X) and np.array_equal(first[0].X, again[0].X)
    assert not np.array_equal(first[1].X, other[1].X)
    assert not np.array_equal(first[0].X[:, 0], np.arange(70))  # the rows were shuffled


@pytest.mark.parametrize(
    ("args", "error", "param"),
    [
        ((numbered(10), 0.95, 0), ValueError, "test_fraction"),
        ((numbered(10), -0.1, 0), ValueError, "test_fraction"),
        ((numbered(10), "half", 0), TypeError, "test_fraction"),
        ((numbered(10), 0.2, -3), ValueError, "seed"),
        ((np.zeros((10, 2)), 0.2, 0), TypeError, "dataset"),
    ],
)
def test_split_validates_its_arguments(args, error, param):
    with raises_about(error, param):
        split(*args)
