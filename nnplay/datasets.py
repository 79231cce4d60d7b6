"""Small data sets to train on: logic gates, truth tables and 2-D point clouds.

Every public function returns a :class:`Dataset`. Its arrays are read-only, so one
data set can be shared by the engine, the plots and the tests without anyone
changing it by accident.

Three families:

* ``gate(name)`` -- the six two-input logic gates, in the tutorial's row order.
* ``truth_table(outputs)``, ``parity(n)``, ``majority(n)`` -- any boolean function
  of 1 to 6 inputs.
* ``points(name, n_points, noise, seed)`` -- point clouds like TensorFlow
  Playground's, on the square [-6, 6] x [-6, 6].

``split(dataset, test_fraction, seed)`` cuts any of them into a training and a test set.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

KINDS = ("binary", "multiclass", "regression")

GATE_DOMAIN = ((-0.5, 1.5), (-0.5, 1.5))
MAX_TRUTH_TABLE_INPUTS = 6

HALF_WIDTH = 6.0  # the point sets live on [-6, 6] x [-6, 6], like TensorFlow Playground
POINT_DOMAIN = ((-HALF_WIDTH, HALF_WIDTH), (-HALF_WIDTH, HALF_WIDTH))
MIN_POINTS = 4
MAX_POINTS = 2000
MAX_NOISE = 0.5
MAX_TEST_FRACTION = 0.9


# --- Error messages and argument checks ------------------------------------------------


def _message(param: str, requirement: str, value: object) -> str:
    """Build the one error-message shape used throughout nnplay."""
    if isinstance(value, np.generic):
        value = value.item()  # show 0.9, not np.float64(0.9)
    # reprlib keeps a 64-entry list or a big array down to one readable line.
    return f"The '{param}' parameter must be {requirement}. Got {reprlib.repr(value)} instead."


def _check_int(param: str, value: object, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int, or raise if it is not an integer in [low, high]."""
    # bool is a subclass of int, but True as a number of points is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(_message(param, "a whole number", value))
    if value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        requirement = f"a whole number {bounds}"
        raise ValueError(_message(param, requirement, value))
    return int(value)


def _check_fraction(param: str, value: object, high: float) -> float:
    """Return ``value`` as a float, or raise if it is not a number in [0, high]."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(_message(param, "a number", value))
    if not 0 <= value <= high:  # also rejects nan, which fails every comparison
        raise ValueError(_message(param, f"between 0 and {high}", value))
    return float(value)


def _check_name(param: str, value: object, registry: dict) -> str:
    """Return the registry key for ``value`` (names are case-insensitive)."""
    if not isinstance(value, str):
        raise TypeError(_message(param, "a string", value))
    key = value.lower()
    if key not in registry:
        known = ", ".join(repr(name) for name in registry)
        raise ValueError(_message(param, f"one of {known}", value))
    return key


# --- The Dataset container ----------------------------------------------------------


# eq=False: numpy arrays have no single truth value, so the generated == would fail.
@dataclass(frozen=True, eq=False)
class Dataset:
    """A read-only set of examples.

    Attributes
    ----------
    name : str
        Short name such as ``"xor"``, ``"spiral"`` or ``"parity3"``.
    X : np.ndarray, shape (n_examples, n_inputs), float64
        One example per row. Read-only.
    y : np.ndarray, shape (n_examples, n_outputs), float64
        Targets. ``"binary"``: one column of 0/1 labels. ``"multiclass"``: one-hot
        rows, one column per class. ``"regression"``: real values. Read-only.
    kind : str
        ``"binary"``, ``"multiclass"`` or ``"regression"``.
    domain : tuple of (low, high) pairs, one per input
        The box a plot of the inputs should cover.
    input_names : tuple of str, one per input
        Column names of ``X``.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    kind: str
    domain: tuple[tuple[float, float], ...]
    input_names: tuple[str, ...] = ("x1", "x2")

    def __post_init__(self) -> None:
        # The class is frozen, so the cleaned-up values go in through object.__setattr__.
        set_field = object.__setattr__
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(_message("name", "a non-empty string", self.name))
        if self.kind not in KINDS:
            raise ValueError(_message("kind", f"one of {', '.join(map(repr, KINDS))}", self.kind))
        X, y = _read_only_matrix("X", self.X), _read_only_matrix("y", self.y)
        if X.shape[0] != y.shape[0]:
            raise ValueError(_message("y", f"an array with {X.shape[0]} rows, like X", y.shape))
        _check_targets(y, self.kind)
        set_field(self, "X", X)
        set_field(self, "y", y)
        set_field(self, "domain", _clean_domain(self.domain, X.shape[1]))
        names = tuple(str(name) for name in self.input_names)
        if len(names) != X.shape[1]:
            raise ValueError(_message("input_names", f"{X.shape[1]} names, one per input", names))
        set_field(self, "input_names", names)

    @property
    def n_examples(self) -> int:
        """Number of rows of ``X`` and ``y``."""
        return self.X.shape[0]

    @property
    def n_inputs(self) -> int:
        """Number of columns of ``X``."""
        return self.X.shape[1]

    @property
    def n_outputs(self) -> int:
        """Number of columns of ``y``."""
        return self.y.shape[1]

    @property
    def n_classes(self) -> int:
        """2 for binary, one per column of ``y`` for multiclass, 0 for regression."""
        return {"binary": 2, "multiclass": self.n_outputs}.get(self.kind, 0)

    @property
    def class_ids(self) -> np.ndarray:
        """Class of every example, shape (n_examples,) int64; handy for colouring plots.

        The 0/1 label for binary data, the index of the 1 in each one-hot row for
        multiclass data. Raises ValueError for regression data, which has no classes.
        """
        if self.kind == "regression":
            raise ValueError(f"The data set {self.name!r} is a regression set: it has no classes.")
        if self.kind == "binary":
            return self.y[:, 0].astype(np.int64)
        return self.y.argmax(axis=1)


def _read_only_matrix(param: str, values: object) -> np.ndarray:
    """Copy ``values`` into a read-only 2-D float64 array."""
    # A copy, so freezing it never freezes (or aliases) the caller's own array.
    array = np.array(values, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(_message(param, "a 2-D array (one row per example)", array.shape))
    if not np.isfinite(array).all():
        raise ValueError(_message(param, "an array of finite numbers (no NaN or infinity)", array))
    array.flags.writeable = False
    return array


def _check_targets(y: np.ndarray, kind: str) -> None:
    """Raise if ``y`` does not hold valid targets for ``kind`` (see Dataset.y)."""
    if kind == "regression":
        return
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(_message("y", f"made of 0s and 1s for a {kind} data set", y))
    if kind == "binary" and y.shape[1] != 1:
        raise ValueError(_message("y", "one column for a binary data set", y.shape))
    if kind == "multiclass" and (y.shape[1] < 2 or not (y.sum(axis=1) == 1).all()):
        raise ValueError(_message("y", "one-hot rows with at least 2 columns", y))


def _clean_domain(domain: object, n_inputs: int) -> tuple[tuple[float, float], ...]:
    """Return ``domain`` as float pairs, one (low, high) per input with low < high."""
    requirement = f"{n_inputs} (low, high) pairs with low < high, one per input"
    try:
        pairs = tuple((float(low), float(high)) for low, high in domain)
    except (TypeError, ValueError):
        raise TypeError(_message("domain", requirement, domain)) from None
    if len(pairs) != n_inputs or any(not low < high for low, high in pairs):
        raise ValueError(_message("domain", requirement, domain))
    return pairs


# --- Logic gates and truth tables ---------------------------------------------------

# Each gate maps two arrays of 0/1 ints to their output bits.
GATES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "nand": lambda a, b: 1 - (a & b),
    "nor": lambda a, b: 1 - (a | b),
    "xor": lambda a, b: a ^ b,
    "xnor": lambda a, b: 1 - (a ^ b),
}

# The tutorial's order: the two equal inputs first, then the two different ones.
GATE_ROWS = np.array([[0, 0], [1, 1], [0, 1], [1, 0]])


def gate(name: str) -> Dataset:
    """The truth table of a two-input logic gate.

    Parameters
    ----------
    name : str
        One of ``GATES`` (``"and"``, ``"or"``, ``"nand"``, ``"nor"``, ``"xor"``,
        ``"xnor"``), in any case.

    Returns
    -------
    Dataset
        Binary data set with X of shape (4, 2), rows [[0, 0], [1, 1], [0, 1], [1, 0]],
        and y of shape (4, 1). For XOR, y is [[0], [0], [1], [1]].
    """
    key = _check_name("name", name, GATES)
    outputs = GATES[key](GATE_ROWS[:, 0], GATE_ROWS[:, 1])
    return Dataset(key, GATE_ROWS, outputs[:, None], "binary", GATE_DOMAIN)


def truth_table(outputs: Sequence[float], name: str = "custom") -> Dataset:
    """Any boolean function of 1 to 6 inputs, given by its output column.

    Parameters
    ----------
    outputs : sequence of 0/1, length 2**n for n = 1..6
        Output for each row, in binary counting order: row i holds the bits of i, the
        first input being the most significant bit. Ints, bools and floats equal to 0
        or 1 are all fine.
    name : str
        Name of the data set.

    Returns
    -------
    Dataset
        Binary data set with X of shape (2**n, n), y of shape (2**n, 1) and inputs
        named ``("x1", ..., "xn")``.
    """
    column = _check_outputs(outputs)
    n_inputs = len(column).bit_length() - 1  # len is 2**n_inputs
    rows = np.arange(len(column))
    shifts = np.arange(n_inputs - 1, -1, -1)  # x1 is the highest bit, xn the lowest
    X = (rows[:, None] >> shifts) & 1
    input_names = tuple(f"x{i}" for i in range(1, n_inputs + 1))
    return Dataset(name, X, column[:, None], "binary", (GATE_DOMAIN[0],) * n_inputs, input_names)


def _check_outputs(outputs: object) -> np.ndarray:
    """Return the output column of a truth table as float64, or raise."""
    # A string is a sequence too, but "0110" is more likely a mistake than a table.
    if isinstance(outputs, (str, bytes)) or not isinstance(outputs, (Sequence, np.ndarray)):
        raise TypeError(_message("outputs", "a sequence of 0s and 1s", outputs))
    if isinstance(outputs, np.ndarray) and outputs.ndim != 1:
        raise ValueError(_message("outputs", "a 1-D sequence of 0s and 1s", outputs.shape))
    lengths = [2**n for n in range(1, MAX_TRUTH_TABLE_INPUTS + 1)]
    if len(outputs) not in lengths:
        requirement = "of length 2, 4, 8, 16, 32 or 64 (2**n rows for 1 to 6 inputs)"
        raise ValueError(_message("outputs", requirement, len(outputs)))
    for value in outputs:
        if not (isinstance(value, (Real, np.bool_)) and value in (0, 1)):
            raise ValueError(_message("outputs", "made of 0s and 1s only", value))
    return np.array(outputs, dtype=np.float64)


def parity(n_inputs: int) -> Dataset:
    """Parity of ``n_inputs`` bits: 1 when an odd number of inputs are 1.

    Returns a binary Dataset named e.g. ``"parity3"``, laid out as in ``truth_table``:
    X of shape (2**n_inputs, n_inputs), y of shape (2**n_inputs, 1).
    """
    n = _check_int("n_inputs", n_inputs, 1, MAX_TRUTH_TABLE_INPUTS)
    # Row i holds the bits of i, so its number of 1 inputs is i.bit_count().
    outputs = [row.bit_count() % 2 for row in range(2**n)]
    return truth_table(outputs, name=f"parity{n}")


def majority(n_inputs: int) -> Dataset:
    """Majority vote of ``n_inputs`` bits: 1 when more than half of the inputs are 1.

    Returns a binary Dataset named e.g. ``"majority3"``, laid out as in ``truth_table``:
    X of shape (2**n_inputs, n_inputs), y of shape (2**n_inputs, 1). With an even
    number of inputs a tie (exactly half) gives 0.
    """
    n = _check_int("n_inputs", n_inputs, 1, MAX_TRUTH_TABLE_INPUTS)
    outputs = [int(row.bit_count() > n / 2) for row in range(2**n)]
    return truth_table(outputs, name=f"majority{n}")


# --- 2-D point sets -----------------------------------------------------------------
# Each generator takes (n_points, rng) and returns noiseless X (n, 2) and y.
# Classes are drawn in fixed, balanced numbers rather than by chance, so that every
# class gets n_points // n_classes points, or one more.


def _class_sizes(n_points: int, n_classes: int) -> list[int]:
    """Split n_points into n_classes counts differing by at most one (larger first)."""
    return [n_points // n_classes + (i < n_points % n_classes) for i in range(n_classes)]


def _balanced_labels(n_points: int, n_classes: int) -> np.ndarray:
    """Class ids 0, 0, ..., 1, 1, ... in balanced numbers, shape (n_points,)."""
    return np.repeat(np.arange(n_classes), _class_sizes(n_points, n_classes))


def _polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Points at the given radii and angles (radians), shape (n, 2)."""
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _uniform_square(n_points: int, rng: np.random.Generator) -> np.ndarray:
    """Points uniform on the whole domain, shape (n_points, 2)."""
    return rng.uniform(-HALF_WIDTH, HALF_WIDTH, size=(n_points, 2))


def _binary(labels: np.ndarray) -> np.ndarray:
    """0/1 labels as a column, shape (n, 1)."""
    return labels[:, None].astype(np.float64)


def _one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Class ids as one-hot rows, shape (n, n_classes)."""
    return np.eye(n_classes)[labels]


def _circle(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Label 1: a disc of radius 2.5. Label 0: the ring 3.5 <= radius <= 5."""
    labels = _balanced_labels(n_points, 2)
    radius = np.where(labels == 1, rng.uniform(0.0, 2.5, n_points), rng.uniform(3.5, 5.0, n_points))
    angle = rng.uniform(0.0, 2 * np.pi, n_points)
    return _polar(radius, angle), _binary(labels)


def _xor(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Label 1 where x1 * x2 < 0 (the signs differ, like the XOR gate's inputs).

    Every coordinate is at least 0.5 away from the axes, so no point sits on a border.
    """
    labels = _balanced_labels(n_points, 2)
    size = rng.uniform(0.5, 5.5, size=(n_points, 2))
    sign1 = rng.choice([-1.0, 1.0], size=n_points)
    sign2 = np.where(labels == 1, -sign1, sign1)
    return size * np.column_stack([sign1, sign2]), _binary(labels)


def _blobs(labels: np.ndarray, centres: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gaussian blobs (standard deviation 1) around ``centres[labels]``, shape (n, 2)."""
    X = centres[labels] + rng.normal(0.0, 1.0, size=(len(labels), 2))
    # The gaussian tails are unbounded; keep every point on the plotted square.
    return np.clip(X, -HALF_WIDTH, HALF_WIDTH)


def _gaussians(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Label 0 around (-2, -2), label 1 around (2, 2)."""
    labels = _balanced_labels(n_points, 2)
    return _blobs(labels, np.array([[-2.0, -2.0], [2.0, 2.0]]), rng), _binary(labels)


def _three_gaussians(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Classes 0, 1, 2 around points at radius 3.5 and angles 90, 210 and 330 degrees."""
    labels = _balanced_labels(n_points, 3)
    centres = _polar(np.full(3, 3.5), np.radians([90.0, 210.0, 330.0]))
    return _blobs(labels, centres, rng), _one_hot(labels, 3)


def _spiral_arms(
    n_points: int, rng: np.random.Generator, n_arms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class, each turning 1.75 times out to radius 5.

    Returns X of shape (n_points, 2) and the arm (class id) of every point, shape (n_points,).
    """
    labels = _balanced_labels(n_points, n_arms)
    along = rng.uniform(0.0, 1.0, n_points)  # 0 at the centre, 1 at the tip of the arm
    angle = 1.75 * 2 * np.pi * along + 2 * np.pi * labels / n_arms
    return _polar(5.0 * along, angle), labels


def _spiral(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals, labels 0 and 1."""
    X, labels = _spiral_arms(n_points, rng, 2)
    return X, _binary(labels)


def _spiral3(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Three interleaved spirals, classes 0, 1 and 2."""
    X, labels = _spiral_arms(n_points, rng, 3)
    return X, _one_hot(labels, 3)


MOON_SCALE = 3.5  # scikit-learn's moons span 3 x 1.5 units; this stretches them to 10.5 x 5.25


def _moons(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles of radius 3.5.

    Label 0: the upper half circle centred at (-1.75, -0.875).
    Label 1: the lower half circle centred at (1.75, 0.875).
    """
    labels = _balanced_labels(n_points, 2)
    angle = rng.uniform(0.0, np.pi, n_points)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    unit = np.where(labels[:, None] == 1, lower, upper)
    # Shift the pair's centre (0.5, 0.25) to the origin, then scale.
    return MOON_SCALE * (unit - [0.5, 0.25]), _binary(labels)


CELL = 3.0  # a 4 x 4 checkerboard on the 12-wide domain


def _checkerboard(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """4 x 4 squares of side 3; label (column + row) % 2, so the bottom-left square is 0."""
    labels = _balanced_labels(n_points, 2)
    cells = np.array([(col, row) for col in range(4) for row in range(4)])
    by_label = [cells[(cells.sum(axis=1) % 2) == label] for label in (0, 1)]
    # Pick one of the 8 squares of the point's own colour, then a spot inside it.
    pick = rng.integers(0, 8, size=n_points)
    corner = np.where(labels[:, None] == 1, by_label[1][pick], by_label[0][pick])
    X = -HALF_WIDTH + CELL * (corner + rng.uniform(0.0, 1.0, size=(n_points, 2)))
    return X, _binary(labels)


def _plane(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A tilted plane, y = (x1 + x2) / 12, which spans [-1, 1] on the domain."""
    X = _uniform_square(n_points, rng)
    return X, ((X[:, 0] + X[:, 1]) / (2 * HALF_WIDTH))[:, None]


def _bumps(n_points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Four gaussian bumps (width 1.5) at (+-3, +-3): +1 at (3, 3) and (-3, -3), -1 elsewhere.

    The bumps are far apart, so y stays within [-1, 1].
    """
    X = _uniform_square(n_points, rng)
    centres = np.array([[3.0, 3.0], [-3.0, -3.0], [-3.0, 3.0], [3.0, -3.0]])
    heights = np.array([1.0, 1.0, -1.0, -1.0])
    squared_distance = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)  # (n, 4)
    y = (heights * np.exp(-squared_distance / (2 * 1.5**2))).sum(axis=1)
    return X, y[:, None]


PointGenerator = Callable[[int, np.random.Generator], tuple[np.ndarray, np.ndarray]]

# name -> (kind, generator). The kind decides what the noise jitters (see `points`).
POINT_SETS: dict[str, tuple[str, PointGenerator]] = {
    "circle": ("binary", _circle),
    "xor": ("binary", _xor),
    "gaussians": ("binary", _gaussians),
    "spiral": ("binary", _spiral),
    "moons": ("binary", _moons),
    "checkerboard": ("binary", _checkerboard),
    "three_gaussians": ("multiclass", _three_gaussians),
    "spiral3": ("multiclass", _spiral3),
    "plane": ("regression", _plane),
    "bumps": ("regression", _bumps),
}


def points(name: str, n_points: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """A 2-D point set on the square [-6, 6] x [-6, 6].

    Parameters
    ----------
    name : str
        One of ``POINT_SETS``, in any case.
    n_points : int, 4..2000
        Number of points. Classes get equal shares, give or take one point.
    noise : float, 0..0.5
        Uniform jitter. Classification sets: each coordinate moves by up to
        ``noise * 6`` (half the domain's width), so points stay within
        ``6 * (1 + noise)`` of the origin on each axis. Regression sets: the points
        stay put and each target moves by up to ``noise`` (half the range [-1, 1]).
        The same seed gives the same jitter directions at every noise level, so a
        noise slider spreads the points smoothly instead of reshuffling them.
    seed : int, >= 0
        Seed of the only random generator used. Same arguments, same arrays.

    Returns
    -------
    Dataset
        X of shape (n_points, 2); y of shape (n_points, 1) for binary (0/1) and
        regression sets, (n_points, k) one-hot for multiclass sets. Rows are shuffled.
    """
    key = _check_name("name", name, POINT_SETS)
    n = _check_int("n_points", n_points, MIN_POINTS, MAX_POINTS)
    noise = _check_fraction("noise", noise, MAX_NOISE)
    seed = _check_int("seed", seed, 0)
    kind, generate = POINT_SETS[key]
    rng = np.random.default_rng(seed)
    X, y = generate(n, rng)
    order = rng.permutation(n)  # mix the classes, so any slice of rows holds them all
    X, y = X[order], y[order]
    X, y = _jitter(X, y, kind, noise, rng)
    return Dataset(key, X, y, kind, POINT_DOMAIN)


def _jitter(
    X: np.ndarray, y: np.ndarray, kind: str, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Add the uniform noise described in `points` to X (classification) or y (regression)."""
    if kind == "regression":
        return X, y + noise * rng.uniform(-1.0, 1.0, size=y.shape)
    return X + noise * HALF_WIDTH * rng.uniform(-1.0, 1.0, size=X.shape), y


# --- Train / test split -------------------------------------------------------------


def split(dataset: Dataset, test_fraction: float, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Shuffle the rows with ``seed``, then cut them into a training and a test set.

    Parameters
    ----------
    dataset : Dataset
        The data to split.
    test_fraction : float, 0..0.9
        Share of rows for the test set, rounded to the nearest row. The training set
        always keeps at least one row; with 0 the test set is empty, X of shape
        (0, n_inputs).
    seed : int, >= 0
        Seed of the shuffle. Same arguments, same split.

    Returns
    -------
    (train, test) : tuple of Dataset
        Together they hold every row exactly once. Both keep the name, kind, domain
        and input names of ``dataset``.
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(_message("dataset", "a Dataset", type(dataset).__name__))
    fraction = _check_fraction("test_fraction", test_fraction, MAX_TEST_FRACTION)
    seed = _check_int("seed", seed, 0)
    n_rows = dataset.n_examples
    n_test = min(round(fraction * n_rows), max(n_rows - 1, 0))
    order = np.random.default_rng(seed).permutation(n_rows)
    return _rows(dataset, order[n_test:]), _rows(dataset, order[:n_test])


def _rows(dataset: Dataset, rows: np.ndarray) -> Dataset:
    """A copy of ``dataset`` keeping only the given rows (in that order)."""
    return dataclasses.replace(dataset, X=dataset.X[rows], y=dataset.y[rows])
