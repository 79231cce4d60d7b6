"""Training settings: every choice about *how* a network learns, in one frozen object.

Kept apart from what is learned (weights, optimiser slots, history) so it
can be compared, shown, put in a URL and saved as it is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from nnplay import _checks
from nnplay.losses import LOSSES
from nnplay.optimizers import OPTIMIZERS, Hyperparameters
from nnplay.regularizers import REGULARIZERS

MAX_LEARNING_RATE = 1e6


@dataclass(frozen=True)
class TrainerSettings:
    """How to train: loss, update rule and its numbers, batches, penalty.

    ``batch_size`` None means the whole training set each iteration (the
    tutorial's full batch); mini-batches are drawn in an order shuffled once
    per pass with ``shuffle_seed``.
    """

    learning_rate: float = 0.2
    loss: str = "sse"
    optimizer: str = "sgd"
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    batch_size: int | None = None
    regularization: str = "none"
    regularization_rate: float = 0.0
    shuffle_seed: int = 0

    def __post_init__(self) -> None:
        _checks.number("learning_rate", self.learning_rate, low=0.0, low_open=True,
                       high=MAX_LEARNING_RATE)
        _checks.choice("loss", self.loss, LOSSES)
        _checks.choice("optimizer", self.optimizer, OPTIMIZERS)
        _checks.number("momentum", self.momentum, low=0.0, high=0.999)
        _checks.number("beta1", self.beta1, low=0.0, high=0.999)
        _checks.number("beta2", self.beta2, low=0.0, high=0.999999)
        _checks.number("epsilon", self.epsilon, low=0.0, low_open=True, high=1.0)
        if self.batch_size is not None:
            _checks.integer("batch_size", self.batch_size, 1)
        _checks.choice("regularization", self.regularization, REGULARIZERS)
        _checks.number("regularization_rate", self.regularization_rate, low=0.0, high=10.0)
        _checks.integer("shuffle_seed", self.shuffle_seed, 0, 2**63 - 1)

    def hyperparameters(self) -> Hyperparameters:
        return Hyperparameters(self.learning_rate, self.momentum, self.beta1, self.beta2,
                               self.epsilon)

    def replace(self, **changes: object) -> TrainerSettings:
        """A copy with ``changes`` applied (and validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"Unknown training setting(s): {', '.join(sorted(unknown))}.")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)
