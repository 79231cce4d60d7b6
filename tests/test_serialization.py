"""Saving and resuming a run: every bit kept, the trajectory continued, garbage refused clearly."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnplay import Network, Trainer, datasets
from nnplay.optimizers import OPTIMIZERS
from nnplay.serialization import RunFileError, run_from_dict, run_to_dict

XOR = datasets.gate("xor")


def through_json(trainer: Trainer) -> Trainer:
    return run_from_dict(json.loads(json.dumps(run_to_dict(trainer))))


def bits(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64).view(np.uint64)


def moons_trainer(**settings) -> Trainer:
    data = datasets.points("moons", 30, noise=0.1, seed=2)
    net = Network((2, 5, 1), activation="tanh", init="xavier", seed=21)
    return Trainer(net, data.X, data.y, **settings)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_float64_bits_survive_the_round_trip_and_the_run_goes_on_the_same(optimizer):
    trainer = moons_trainer(optimizer=optimizer, learning_rate=0.01)
    trainer.step(123)
    loaded = through_json(trainer)
    np.testing.assert_array_equal(bits(loaded.network.parameters), bits(trainer.network.parameters))
    for key, value in trainer.optimizer_state.items():
        np.testing.assert_array_equal(bits(loaded.optimizer_state[key]), bits(value))
    np.testing.assert_array_equal(bits(loaded.X), bits(trainer.X))
    np.testing.assert_array_equal(bits(loaded.y), bits(trainer.y))
    for a, b in zip(loaded.history.curve(), trainer.history.curve()):
        np.testing.assert_array_equal(a, b)
    assert loaded.last_error == trainer.last_error
    assert loaded.iteration == trainer.iteration == 123
    assert loaded.settings == trainer.settings
    assert loaded.network.config() == trainer.network.config()
    loaded.step(20)
    trainer.step(20)
    np.testing.assert_array_equal(bits(loaded.network.parameters), bits(trainer.network.parameters))


def test_awkward_floats_keep_their_bits():
    net = Network((2, 2, 1), seed=0)
    awkward = [np.array([[0.1, 1 / 3, 5e-324], [-0.0, 1e308, np.nextafter(1.0, 2.0)]]),
               np.array([[np.pi, -np.e, 2.0**-1074 * 3]])]
    net.set_weights(awkward)
    loaded = through_json(Trainer(net, XOR.X, XOR.y))
    for a, b in zip(loaded.network.weights, awkward):
        np.testing.assert_array_equal(bits(a), bits(b))


@pytest.mark.parametrize("settings", [
    {"learning_rate": 0.5},
    {"optimizer": "adam", "learning_rate": 0.02},
    {"optimizer": "momentum", "learning_rate": 0.05, "batch_size": 7, "shuffle_seed": 3},
    {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 4, "shuffle_seed": 11,
     "regularization": "l1", "regularization_rate": 0.001},
])
def test_a_resumed_run_continues_the_identical_trajectory(settings):
    original = moons_trainer(history_capacity=16, **settings)
    original.step(101)  # mid-epoch for the batch sizes above
    resumed = through_json(original)
    for trainer in (original, resumed):
        for _ in range(5):
            trainer.step(37)
    np.testing.assert_array_equal(bits(resumed.network.parameters), bits(original.network.parameters))
    for key in original.optimizer_state:
        np.testing.assert_array_equal(resumed.optimizer_state[key], original.optimizer_state[key])
    assert resumed.iteration == original.iteration == 101 + 5 * 37
    assert resumed.last_error == original.last_error
    assert original.history.stride > 1
    for a, b in zip(resumed.history.curve(), original.history.curve()):
        np.testing.assert_array_equal(a, b)


def test_a_fresh_run_and_a_diverged_run_load_back():
    fresh = through_json(Trainer(Network((2, 2, 1), seed=3), XOR.X, XOR.y))
    assert fresh.iteration == 0 and fresh.last_error is None and len(fresh.history) == 0
    fresh.step(3)
    np.testing.assert_array_equal(
        fresh.network.parameters,
        _stepped(Trainer(Network((2, 2, 1), seed=3), XOR.X, XOR.y), 3).network.parameters)

    diverged = Trainer(Network((2, 2, 1), output_activation="linear", seed=0), XOR.X, XOR.y,
                       loss="mse", learning_rate=1e5)
    diverged.step(100)
    loaded = through_json(diverged)
    assert loaded.divergence == diverged.divergence
    stopped_at = loaded.iteration
    loaded.step(10)
    assert loaded.iteration == stopped_at  # still stopped until the learning rate changes
    loaded.configure(learning_rate=1e-3)
    loaded.step(10)
    assert loaded.iteration == stopped_at + 10


def _stepped(trainer: Trainer, n: int) -> Trainer:
    trainer.step(n)
    return trainer


# -- garbage ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saved() -> dict:
    trainer = Trainer(Network((2, 3, 1), seed=4), XOR.X, XOR.y, optimizer="momentum",
                      learning_rate=0.3, history_capacity=8)
    trainer.step(20)
    return json.loads(json.dumps(run_to_dict(trainer)))


def edited(data: dict, path: str, value=None, delete: bool = False) -> dict:
    data = copy.deepcopy(data)
    *parents, last = path.split("/")
    target = data
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        last = int(last)
    if delete:
        del target[last]
    else:
        target[last] = value
    return data


TOP_LEVEL = ["format", "version", "network", "weights", "settings", "iteration", "last_error",
             "optimizer_state", "history", "data", "divergence"]


def test_the_saved_fixture_loads(saved):
    assert run_from_dict(copy.deepcopy(saved)).iteration == 20


@pytest.mark.parametrize("key", TOP_LEVEL)
def test_a_missing_field_is_named(saved, key):
    with pytest.raises(RunFileError, match=key if key not in ("format", "version") else "nnplay"):
        run_from_dict(edited(saved, key, delete=True))


@pytest.mark.parametrize(("path", "value", "words"), [
    # wrong format or version
    ("format", "something-else", r"not an nnplay run.*'format'"),
    ("version", 2, r"another version of nnplay \(version 2\)"),
    ("version", "1", r"version '1'"),
    # wrong types
    ("iteration", "20", r"'iteration'.*wrong type \(str\)"),
    ("iteration", 20.0, r"'iteration'.*wrong type \(float\)"),
    ("iteration", True, r"'iteration'.*wrong type \(bool\)"),
    ("iteration", -1, r"'iteration' is negative"),
    ("weights", {"0": 1}, r"'weights'.*wrong type"),
    ("network", [2, 3, 1], r"'network'.*wrong type"),
    ("network/shape", "2,3,1", r"'shape'.*wrong type"),
    ("network/seed", 1.5, r"'seed'.*wrong type"),
    ("network/activation", "swish", r"'activation'.*'sigmoid'.*Got 'swish'"),
    ("network/shape", [2, 0, 1], r"'shape'.*whole numbers from 1"),
    ("settings", None, r"'settings'.*wrong type"),
    ("settings/learning_rate", "0.3", r"'learning_rate'.*a number"),
    ("settings/learning_rate", -0.3, r"'learning_rate'.*Got -0.3"),
    ("settings/optimizer", "adadelta", r"'optimizer'.*Got 'adadelta'"),
    ("settings/batch_size", 99, r"'batch_size'.*at most the number of examples \(4\)"),
    ("last_error", "small", r"'last_error'.*wrong type"),
    ("data/X", "0 0; 1 1", r"'X'.*wrong type"),
    ("divergence", "no", r"'divergence'.*wrong type"),
    ("optimizer_state", [], r"'optimizer_state'.*wrong type"),
    ("history/low", 3, r"'low'.*wrong type"),
    # wrong shapes and sizes
    ("weights/0", [[0.1, 0.2, 0.3]], r"'weights\[0\]' has shape \(1, 3\).*needs \(3, 3\)"),
    ("weights/1/0", [0.1, 0.2], r"'weights\[1\]'"),
    ("weights/1", "0.1", r"'weights\[1\]' must be a list"),
    ("weights", [[[0.0] * 3] * 3], r"1 weight matrices for a network of 2 layers"),
    ("optimizer_state/velocity", [0.0] * 3, r"'optimizer_state.velocity' has shape"),
    ("optimizer_state", {}, r"'momentum' update rule keeps \['velocity'\]"),
    ("optimizer_state", {"velocity": [0.0] * 13, "m": [0.0] * 13}, r"keeps \['velocity'\]"),
    ("data/X", [[0, 0], [1, 1], [0, 1]], r"'y'.*one row per example of X \(3 rows\)"),
    ("data/X", [[0, 0, 0]] * 4, r"'X'.*shape \(any, 2\)"),
    ("data/y", [[0], [1], [1], ["one"]], r"'y'"),
    ("network/shape", [2, 4, 1], r"'weights\[0\]' has shape \(3, 3\).*needs \(4, 3\)"),
    # NaN and infinity
    ("weights/0/1/1", float("nan"), r"'weights\[0\]' holds NaN or infinity"),
    ("optimizer_state/velocity/0", float("inf"), r"'optimizer_state.velocity' holds NaN"),
    ("last_error", float("nan"), r"'last_error' is not finite"),
    ("data/X/0/0", float("nan"), r"'X'.*finite"),
    ("settings/momentum", float("nan"), r"'momentum'.*Got nan"),
    ("history/low/0", float("nan"), r"history holds NaN or infinity"),
    ("history/pending", float("inf"), r"history holds NaN or infinity"),
    # unknown settings
    ("settings/temperature", 0.5, r"unknown setting\(s\) 'temperature'"),
    # impossible histories
    ("history/filled", 3, r"history covers \d+ iterations but the run is at iteration 20|inconsistent"),
    ("history/filled", -1, r"stride or length is impossible"),
    ("history/stride", 3, r"stride or length is impossible"),
    ("history/stride", 0, r"stride or length is impossible"),
    ("history/capacity", 1, r"capacity is out of range"),
    ("history/capacity", 10**9, r"capacity is out of range"),
    ("history/capacity", 7, r"'capacity'.*even"),
    ("history/low", [0.5] * 9, r"longer than its capacity"),
    ("history/high", [0.5], r"inconsistent|bucket count"),
    ("iteration", 25, r"history covers 20 iterations but the run is at iteration 25"),
])
def test_garbage_is_refused_with_a_helpful_message(saved, path, value, words):
    with pytest.raises(RunFileError, match=words) as caught:
        run_from_dict(edited(saved, path, value))
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message


@pytest.mark.parametrize("data", [None, [], "nnplay-run", 42, b"{}"])
def test_not_a_dict_at_all(data):
    with pytest.raises(RunFileError, match="not"):
        run_from_dict(data)


def test_a_truncated_file_is_refused(saved):
    """Cut the JSON text short, as an interrupted download would, then repair it minimally."""
    text = json.dumps(saved)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text[: len(text) // 2])
    cut = copy.deepcopy(saved)
    for key in list(cut)[len(cut) // 2:]:
        del cut[key]
    with pytest.raises(RunFileError, match="has no"):
        run_from_dict(cut)


LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
    st.lists(st.floats(-10, 10), max_size=4), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def leaf_paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaf_paths(value, prefix + (key,))
    elif isinstance(data, list) and data:
        yield from leaf_paths(data[0], prefix + (0,))
        yield from leaf_paths(data[-1], prefix + (len(data) - 1,))
    else:
        yield prefix
    if prefix:
        yield prefix


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_any_single_edit_loads_or_raises_RunFileError(saved, data):
    paths = sorted(set(leaf_paths(saved)), key=str)
    path = data.draw(st.sampled_from(paths))
    value = data.draw(LEAVES)
    broken = edited(saved, "/".join(map(str, path)), value)
    try:
        trainer = run_from_dict(broken)
    except RunFileError as problem:
        assert str(problem).startswith("This ")
    else:
        assert np.isfinite(trainer.network.parameters).all()
        assert trainer.iteration == len(trainer.history)
        trainer.step(2)
