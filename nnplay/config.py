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

from nnplay import _checks, datasets
from nnplay.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnplay.initializers import INITIALIZERS
from nnplay.losses import LOSSES, compatibility_problem
from nnplay.network import Network
from nnplay.optimizers import OPTIMIZERS
from nnplay.settings import MAX_LEARNING_RATE
from nnplay.training import Trainer

MAX_HIDDEN_LAYERS = 6
MAX_HIDDEN_NODES = 16
MAX_ITERATIONS = 10_000_000
NAMED_PROBLEMS = (*datasets.GATES, "parity3", "majority3")
"""Problems by name: the six gates and two 3-input functions; ``custom:<outputs>`` adds any."""
CUSTOM_PREFIX = "custom:"


def check_problem(problem: object) -> str:
    """Return ``problem`` if it names a problem, else raise saying what a problem is."""
    if isinstance(problem, str) and problem in NAMED_PROBLEMS:
        return problem
    if isinstance(problem, str) and problem.startswith(CUSTOM_PREFIX):
        bits = problem[len(CUSTOM_PREFIX):]
        if len(bits) in (4, 8) and set(bits) <= {"0", "1"}:
            return problem
    _checks.fail("problem", "a gate (" + ", ".join(datasets.GATES) + "), parity3, majority3, or "
                 "custom: followed by the output column in binary counting order, 4 digits 0/1 "
                 "for 2 inputs or 8 for 3 (custom:0110 is XOR)", problem)
    raise AssertionError("unreachable")


def problem_dataset(problem: str) -> datasets.Dataset:
    """The truth table of a checked problem name."""
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
        problem = compatibility_problem(self.loss, self.output_activation)
        if problem:
            raise ValueError(problem)
        if self.output_activation == "softmax" and self.dataset().n_outputs < 2:
            raise ValueError("A softmax output needs two or more outputs (one per class); a logic "
                             "gate has one output: use a sigmoid output.")

    def replace(self, **changes: object) -> RunConfig:
        return dataclasses.replace(self, **changes)

    def dataset(self) -> datasets.Dataset:
        return problem_dataset(self.problem)

    def shape(self) -> tuple[int, ...]:
        """The tutorial's ``numNodes``: inputs, hidden sizes, outputs, e.g. ``(2, 4, 1)``."""
        data = self.dataset()
        return (data.n_inputs, *self.hidden, data.n_outputs)

    def network(self) -> Network:
        return Network(self.shape(), activation=self.activation,
                       output_activation=self.output_activation, init=self.init, seed=self.seed)

    def training_settings(self) -> dict[str, object]:
        """The ``Trainer`` keyword arguments (changing only these keeps the network)."""
        return {"learning_rate": self.learning_rate, "loss": self.loss,
                "optimizer": self.optimizer, "momentum": self.momentum}

    def trainer(self) -> Trainer:
        data = self.dataset()
        return Trainer(self.network(), data.X, data.y, **self.training_settings())

    def architecture(self) -> tuple:
        """What fixes the initial weights: change any of it and the network starts again."""
        return (self.problem, self.hidden, self.activation, self.output_activation, self.init,
                self.seed)

    def to_dict(self) -> dict[str, object]:
        values = dataclasses.asdict(self)
        values["hidden"] = list(self.hidden)
        return values
