"""One run's configuration: every choice a student makes, the seed included.

``RunConfig`` is immutable and plain, so the page can keep it in the URL,
the command line can build it from flags and a saved run can carry it.
It builds the data set, the network and the trainer it describes; what they
learn lives in those objects, never here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from nnplay import _checks, datasets
from nnplay.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnplay.features import DEFAULT_FEATURES, FEATURES, feature_labels, featurize
from nnplay.initializers import INITIALIZERS
from nnplay.losses import LOSSES, compatibility_problem
from nnplay.network import Network
from nnplay.optimizers import OPTIMIZERS
from nnplay.regularizers import REGULARIZERS
from nnplay.training import MAX_LEARNING_RATE, Trainer

MAX_HIDDEN_LAYERS = 6
MAX_HIDDEN_NODES = 16
MAX_ITERATIONS = 10_000_000
NAMED_PROBLEMS = (*datasets.GATES, "parity3", "majority3")
"""Problems by name: the six gates and two 3-input functions; ``custom:<outputs>`` adds any."""
CUSTOM_PREFIX = "custom:"
SET_PREFIX = "set:"
"""``set:spiral`` and so on: the 2-D point sets (``nnplay.datasets.POINT_SETS``)."""
UPLOADED = "csv"
"""The problem name of points a student uploaded (the data travels beside the config)."""
POINTS_LEARNING_RATE = 0.01
"""The learning rate a point set starts with, where a gate starts with ``RunConfig``'s 2.

The tutorial's loss sums over the examples: a rate that suits four rows of a
truth table is fifty times too large for 200 points (at 2 the plane's
regression diverges and the classes barely move); 0.01 learned every point
set here, with the default network, loss and optimiser, in 1,500 iterations."""
POINTS_TEST_FRACTION = 0.5
"""The share of a point set held out for testing unless asked otherwise (TensorFlow
Playground's default split)."""


def problem_name(problem: str) -> str:
    """A problem's short name for a table or a sentence: ``XOR``, ``parity3``, ``spiral``,
    ``custom 0110``, ``your CSV``."""
    if problem.startswith(SET_PREFIX):
        return problem[len(SET_PREFIX):]
    if problem.startswith(CUSTOM_PREFIX):
        return "custom " + problem[len(CUSTOM_PREFIX):]
    if problem == UPLOADED:
        return "your CSV"
    return problem.upper() if len(problem) <= 4 else problem


def check_problem(problem: object) -> str:
    """Return ``problem`` if it names a problem, else raise saying what a problem is."""
    if isinstance(problem, str) and problem in NAMED_PROBLEMS:
        return problem
    if isinstance(problem, str) and problem.startswith(CUSTOM_PREFIX):
        bits = problem[len(CUSTOM_PREFIX):]
        if len(bits) in (4, 8) and set(bits) <= {"0", "1"}:
            return problem
    if isinstance(problem, str) and (problem == UPLOADED or (
            problem.startswith(SET_PREFIX) and problem[len(SET_PREFIX):] in datasets.POINT_SETS)):
        return problem
    _checks.fail("problem", "a gate (" + ", ".join(datasets.GATES) + "), parity3, majority3, "
                 "custom: followed by the output column in binary counting order, 4 digits 0/1 "
                 "for 2 inputs or 8 for 3 (custom:0110 is XOR), set:<point set> ("
                 + ", ".join(datasets.POINT_SETS) + ") or csv", problem)
    raise AssertionError("unreachable")


def problem_dataset(problem: str, n_points: int = 200, noise: float = 0.0,
                    data_seed: int = 0) -> datasets.Dataset:
    """The data of a checked problem name (point sets drawn with the given size, noise and seed)."""
    if problem.startswith(SET_PREFIX):
        return datasets.points(problem[len(SET_PREFIX):], n_points=n_points, noise=noise,
                               seed=data_seed)
    if problem == UPLOADED:
        raise ValueError("Uploaded points travel beside the configuration: pass them as 'uploaded'.")
    if problem in datasets.GATES:
        return datasets.gate(problem)
    if problem == "parity3":
        return datasets.parity(3)
    if problem == "majority3":
        return datasets.majority(3)
    return datasets.truth_table([int(b) for b in problem[len(CUSTOM_PREFIX):]], name=problem)


@dataclass(frozen=True)
class RunConfig:
    """A run, as a student sets it up. The defaults are the fast XOR preset."""

    problem: str = "xor"
    """A logic gate (``nnplay.datasets.GATES``), ``parity3``, ``majority3`` or
    ``custom:<outputs>`` (a truth table of 2 or 3 inputs, e.g. ``custom:0110``)."""
    hidden: tuple[int, ...] = (4,)
    activation: str = "tanh"
    output_activation: str = "sigmoid"
    init: str = "xavier"
    loss: str = "sse"
    optimizer: str = "sgd"
    learning_rate: float = 2.0
    momentum: float = 0.9
    seed: int = 1
    min_error: float = 0.01
    max_iterations: int = 5000
    n_points: int = 200
    """Points drawn for a point set (``set:...``)."""
    noise: float = 0.0
    test_fraction: float = 0.0
    """The share of the data held out as a test set (0 to 0.9)."""
    data_seed: int = 0
    """The seed the point set and the train/test split are drawn with."""
    features: tuple[str, ...] = DEFAULT_FEATURES
    """What the network sees of two raw inputs: x1, x2, x1_sq, x2_sq, x1_x2, sin_x1, sin_x2."""
    batch_size: int | None = None
    """Examples per iteration; None is the whole training set (the tutorial's full batch)."""
    regularization: str = "none"
    regularization_rate: float = 0.0

    def __post_init__(self) -> None:
        check_problem(self.problem)
        if isinstance(self.hidden, (str, bytes)) or not isinstance(self.hidden, Iterable):
            _checks.fail("hidden", "a sequence of hidden layer sizes such as (4,) or (4, 2)",
                         self.hidden, TypeError)
        hidden = tuple(self.hidden)
        if len(hidden) > MAX_HIDDEN_LAYERS:
            _checks.fail("hidden", f"at most {MAX_HIDDEN_LAYERS} hidden layers", hidden)
        for size in hidden:
            _checks.integer("hidden", size, 1, MAX_HIDDEN_NODES)
        object.__setattr__(self, "hidden", tuple(int(size) for size in hidden))
        _checks.choice("activation", self.activation, HIDDEN_ACTIVATIONS)
        _checks.choice("output_activation", self.output_activation, ACTIVATIONS)
        _checks.choice("init", self.init, INITIALIZERS)
        _checks.choice("loss", self.loss, LOSSES)
        _checks.choice("optimizer", self.optimizer, OPTIMIZERS)
        _checks.number("learning_rate", self.learning_rate, low=0.0, low_open=True,
                       high=MAX_LEARNING_RATE)
        _checks.number("momentum", self.momentum, low=0.0, high=0.999)
        _checks.integer("seed", self.seed, 0, 2**63 - 1)
        _checks.number("min_error", self.min_error, low=0.0)
        _checks.integer("max_iterations", self.max_iterations, 1, MAX_ITERATIONS)
        _checks.integer("n_points", self.n_points, datasets.MIN_POINTS, datasets.MAX_POINTS)
        _checks.number("noise", self.noise, low=0.0, high=datasets.MAX_NOISE)
        _checks.number("test_fraction", self.test_fraction, low=0.0, high=datasets.MAX_TEST_FRACTION)
        _checks.integer("data_seed", self.data_seed, 0, 2**63 - 1)
        self._check_features()
        if self.batch_size is not None:
            _checks.integer("batch_size", self.batch_size, 1, datasets.MAX_POINTS)
        _checks.choice("regularization", self.regularization, REGULARIZERS)
        _checks.number("regularization_rate", self.regularization_rate, low=0.0, high=10.0)
        problem = compatibility_problem(self.loss, self.output_activation)
        if problem:
            raise ValueError(problem)
        if self.problem != UPLOADED and self.output_activation == "softmax" and (
                self.dataset().n_outputs < 2):
            raise ValueError("A softmax output needs two or more outputs (one per class); this "
                             "problem has one output: use a sigmoid output.")

    def _check_features(self) -> None:
        features = self.features
        if isinstance(features, (str, bytes)) or not isinstance(features, Iterable):
            _checks.fail("features", "a sequence of feature names such as ('x1', 'x2')", features,
                         TypeError)
        features = tuple(features)
        if not features or len(set(features)) != len(features) or any(
                f not in FEATURES for f in features):
            _checks.fail("features", "distinct names among " + ", ".join(FEATURES), features)
        object.__setattr__(self, "features", features)
        if features != DEFAULT_FEATURES and self.problem != UPLOADED and (
                self.dataset().n_inputs != 2):
            raise ValueError("Input features are made from two inputs (x1, x2); this problem has "
                             f"{self.dataset().n_inputs}. Keep the features x1, x2.")

    def replace(self, **changes: object) -> RunConfig:
        return dataclasses.replace(self, **changes)

    @property
    def is_point_set(self) -> bool:
        return self.problem.startswith(SET_PREFIX) or self.problem == UPLOADED

    def dataset(self, uploaded: datasets.Dataset | None = None) -> datasets.Dataset:
        """All the data, before the train/test split (``uploaded`` for the problem ``csv``)."""
        if self.problem == UPLOADED:
            if uploaded is None:
                raise ValueError("This run learns uploaded points: load the CSV file again.")
            return uploaded
        return problem_dataset(self.problem, self.n_points, self.noise, self.data_seed)

    def split(self, uploaded: datasets.Dataset | None = None
              ) -> tuple[datasets.Dataset, datasets.Dataset]:
        """``(train, test)``: the test set holds ``test_fraction`` of the data (drawn with
        ``data_seed``); with no test fraction every example trains."""
        data = self.dataset(uploaded)
        train, test = datasets.split(data, self.test_fraction, self.data_seed)
        # With nothing held out, keep the data's own order: the gates' is the tutorial's.
        return (data, test) if self.test_fraction == 0 else (train, test)

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """What the network sees of raw inputs ``X``: the chosen features of x1 and x2."""
        if X.shape[1] != 2:
            return X
        return featurize(X, self.features)

    def input_labels(self, uploaded: datasets.Dataset | None = None) -> tuple[str, ...]:
        if self.dataset(uploaded).n_inputs != 2:
            return self.dataset(uploaded).input_names
        return feature_labels(self.features)

    def shape(self, uploaded: datasets.Dataset | None = None) -> tuple[int, ...]:
        """The tutorial's ``numNodes``: inputs, hidden sizes, outputs, e.g. ``(2, 4, 1)``."""
        data = self.dataset(uploaded)
        n_inputs = len(self.features) if data.n_inputs == 2 else data.n_inputs
        return (n_inputs, *self.hidden, data.n_outputs)

    def network(self, uploaded: datasets.Dataset | None = None) -> Network:
        return Network(self.shape(uploaded), activation=self.activation,
                       output_activation=self.output_activation, init=self.init, seed=self.seed)

    def training_settings(self, n_train: int | None = None) -> dict[str, object]:
        """The ``Trainer`` keyword arguments (changing only these keeps the network).

        A batch as large as the training set (``n_train``) is the full batch.
        """
        batch = self.batch_size
        if batch is not None and n_train is not None and batch >= n_train:
            batch = None
        return {"learning_rate": self.learning_rate, "loss": self.loss,
                "optimizer": self.optimizer, "momentum": self.momentum, "batch_size": batch,
                "regularization": self.regularization,
                "regularization_rate": self.regularization_rate}

    def trainer(self, uploaded: datasets.Dataset | None = None) -> Trainer:
        train, _ = self.split(uploaded)
        return Trainer(self.network(uploaded), self.inputs(train.X), train.y,
                       **self.training_settings(train.n_examples))

    def architecture(self) -> tuple:
        """What fixes the data and the initial weights: change any of it and the network
        starts again."""
        return (self.problem, self.hidden, self.activation, self.output_activation, self.init,
                self.seed, self.n_points, self.noise, self.test_fraction, self.data_seed,
                self.features)

    def to_dict(self) -> dict[str, object]:
        values = dataclasses.asdict(self)
        values["hidden"] = list(self.hidden)
        values["features"] = list(self.features)
        return values
