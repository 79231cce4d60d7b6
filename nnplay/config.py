"""One run's configuration: every choice a student makes, the seed included.

``RunConfig`` is immutable and plain, so the page can keep it in the URL,
the command line can build it from flags and a saved run can carry it. Its
fields, their defaults (the fast XOR preset) and their checks are the rows of
``nnplay.settings`` in the groups data, network and training. It builds the
data set, the network and the trainer it describes; what they learn lives in
those objects, never here.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from nnplay import datasets
from nnplay.features import DEFAULT_FEATURES, feature_labels, featurize
from nnplay.losses import compatibility_problem
from nnplay.network import Network, check_hidden_activation
from nnplay.problems import SET_PREFIX, UPLOADED, problem_dataset
from nnplay.settings import RUN_SETTINGS, Record, record
from nnplay.training import Trainer, TrainerSettings


class _RunConfig(Record):
    """What a run's configuration does; ``RunConfig`` adds the fields."""

    def __post_init__(self) -> None:
        super().__post_init__()
        check_hidden_activation(self.activation, len(self.hidden))
        problem = compatibility_problem(self.loss, self.output_activation)
        if problem:
            raise ValueError(problem)
        if self.problem != UPLOADED and self.output_activation == "softmax" and (
                self.dataset().n_outputs < 2):
            raise ValueError("A softmax output needs two or more outputs (one per class); this "
                             "problem has one output: use a sigmoid output.")
        if self.features != DEFAULT_FEATURES and self.problem != UPLOADED and (
                self.dataset().n_inputs != 2):
            raise ValueError("Input features are made from two inputs (x1, x2); this problem has "
                             f"{self.dataset().n_inputs}. Keep the features x1, x2.")

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
        settings = {f.name: getattr(self, f.name) for f in dataclasses.fields(TrainerSettings)
                    if hasattr(self, f.name)}
        return {**settings, "batch_size": batch}

    def trainer(self, uploaded: datasets.Dataset | None = None) -> Trainer:
        """A trainer of a new network on the training set, watching the test set (if any)."""
        train, test = self.split(uploaded)
        trainer = Trainer(self.network(uploaded), self.inputs(train.X), train.y,
                          **self.training_settings(train.n_examples))
        if test.n_examples:
            trainer.watch(self.inputs(test.X), test.y)
        return trainer

    def architecture(self) -> tuple:
        """What fixes the data and the initial weights: change any of it and the network
        starts again."""
        return tuple(getattr(self, s.name) for s in RUN_SETTINGS if s.restarts)

    def to_dict(self) -> dict[str, object]:
        """The fields as JSON-ready values (lists for tuples)."""
        return {name: list(value) if isinstance(value, tuple) else value
                for name, value in dataclasses.asdict(self).items()}


RunConfig = record("RunConfig", RUN_SETTINGS, __name__, """A run, as a student sets it up: a field per
row of ``nnplay.settings.RUN_SETTINGS``, the defaults making the fast XOR preset.""", _RunConfig)
