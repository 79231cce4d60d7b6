"""``Trainer.checkpoint`` and ``resume``: going back to a moment is exact, whatever happened since.

The page relies on it: a student pauses on a frame the browser shows while the server has
trained further, and the server returns to that frame bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnplay import Network, Trainer, datasets


def trainer(output: str = "sigmoid", **settings) -> Trainer:
    xor = datasets.gate("xor")
    network = Network((2, 3, 1), activation="tanh", output_activation=output, init="xavier", seed=4)
    return Trainer(network, xor.X, xor.y,
                   snapshot_capacity=4, history_capacity=8, **settings)


def state(t: Trainer) -> tuple:
    return (t.iteration, t.last_error, t.network.parameters.tobytes(),
            {k: v.tobytes() for k, v in t.optimizer_state.items()},
            [a.tobytes() for a in t.history.curve()], t.snapshots.iterations,
            None if t.divergence is None else t.divergence.message)


@pytest.mark.parametrize("settings", [
    {"learning_rate": 0.5},
    {"learning_rate": 0.3, "optimizer": "adam"},
    {"learning_rate": 0.3, "optimizer": "momentum", "batch_size": 3},
    {"learning_rate": 0.2, "regularization": "l1", "regularization_rate": 0.01},
])
def test_resume_then_train_equals_training_straight_through(settings):
    straight, back = trainer(**settings), trainer(**settings)
    straight.step(37)
    straight_after = state(straight)
    straight.step(45)
    back.step(37)
    mark = back.checkpoint()
    back.step(300)  # far past the mark: history buckets merge, snapshots thin out
    assert state(back) != state(straight)
    back.resume(mark)
    assert state(back) == straight_after
    back.step(45)
    assert state(back) == state(straight)


def test_resume_undoes_a_divergence_and_a_change_of_settings():
    t = trainer("linear", learning_rate=0.5)
    t.step(5)
    mark, before = t.checkpoint(), state(t)
    t.configure(learning_rate=1e6, optimizer="momentum")
    t.step(50)
    assert t.divergence is not None
    t.resume(mark)
    assert state(t) == before and t.settings.learning_rate == 0.5 and t.settings.optimizer == "sgd"
    twin = trainer("linear", learning_rate=0.5)
    twin.step(25)
    t.step(20)
    assert state(t) == state(twin)


def test_a_checkpoint_is_not_changed_by_training_after_it():
    t = trainer(learning_rate=0.5)
    t.step(3)
    mark = t.checkpoint()
    kept = (mark.parameters.copy(), mark.history.curve(), list(mark.snapshots.iterations))
    t.step(100)
    assert np.array_equal(mark.parameters, kept[0])
    assert all(np.array_equal(a, b) for a, b in zip(mark.history.curve(), kept[1], strict=True))
    assert mark.snapshots.iterations == kept[2]
    t.resume(mark)
    t.step(100)
    t.resume(mark)  # twice from one checkpoint
    assert t.iteration == 3
