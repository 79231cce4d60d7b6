"""The error history and the snapshots: bounded memory, faithful ranges, exact rewinds."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnplay import Network, Trainer, datasets
from nnplay.history import ErrorHistory
from nnplay.snapshots import Snapshots

XOR = datasets.gate("xor")


def assert_buckets_are_true_ranges(history: ErrorHistory, values: np.ndarray) -> None:
    """Every bucket's (low, high) is the min and max of exactly the iterations it covers."""
    starts, low, high = history.curve()
    assert len(history) == values.size
    assert low.size == high.size == starts.size
    assert np.all(np.diff(starts) > 0)
    ends = np.append(starts[1:], values.size)
    for start, end, lo, hi in zip(starts, ends, low, high):
        assert lo == values[start:end].min()
        assert hi == values[start:end].max()
    if values.size:
        assert high[-1] == values[-1] == history.last


def test_a_million_values_stay_in_capacity_buckets():
    rng = np.random.default_rng(0)
    values = rng.random(1_000_000)
    history = ErrorHistory(64)
    history.extend(values)
    starts, low, high = history.curve()
    assert len(history) == 1_000_000
    assert starts.size <= 64 + 1  # the buckets and the newest value held apart
    assert len(history.to_dict()["low"]) <= 64
    assert history.stride >= 1_000_000 // 64
    assert_buckets_are_true_ranges(history, values)


@settings(max_examples=40, deadline=None)
@given(chunks=st.lists(st.integers(0, 300), min_size=1, max_size=12),
       capacity=st.sampled_from([2, 4, 8, 16]), seed=st.integers(0, 2**32 - 1))
def test_buckets_hold_the_true_min_and_max_however_the_values_arrive(chunks, capacity, seed):
    rng = np.random.default_rng(seed)
    history, seen = ErrorHistory(capacity), []
    for size in chunks:
        chunk = rng.normal(size=size)
        history.extend(chunk)
        seen.extend(chunk)
        assert len(history.to_dict()["low"]) <= capacity
    assert_buckets_are_true_ranges(history, np.array(seen))


def test_the_curve_keeps_a_single_spike():
    values = np.ones(100_000)
    values[54_321] = 1000.0
    values[77_777] = -5.0
    history = ErrorHistory(32)
    history.extend(values)
    starts, low, high = history.curve()
    spike = np.searchsorted(starts, 54_321, side="right") - 1
    dip = np.searchsorted(starts, 77_777, side="right") - 1
    assert high[spike] == 1000.0 and high.max() == 1000.0
    assert low[dip] == -5.0 and low.min() == -5.0
    assert np.count_nonzero(high == 1000.0) == 1


def test_stride_one_is_one_point_per_iteration():
    history = ErrorHistory(16)
    history.extend([3.0, 2.0])
    history.extend([1.5])
    starts, low, high = history.curve()
    np.testing.assert_array_equal(starts, [0, 1, 2])
    np.testing.assert_array_equal(low, [3.0, 2.0, 1.5])
    np.testing.assert_array_equal(low, high)
    assert history.last == 1.5


def test_drop_last_takes_back_only_the_newest_value_once():
    history = ErrorHistory(4)
    history.extend([5.0, 4.0, 3.0])
    history.drop_last()
    assert len(history) == 2 and history.last == 4.0
    np.testing.assert_array_equal(history.curve()[1], [5.0, 4.0])
    with pytest.raises(ValueError, match="only once"):
        history.drop_last()
    history.extend([2.0])
    np.testing.assert_array_equal(history.curve()[1], [5.0, 4.0, 2.0])


def test_truncate_is_exact_at_stride_one_and_keeps_the_bucket_beyond():
    history = ErrorHistory(64)
    history.extend(np.arange(10.0))
    history.truncate(6)
    assert len(history) == 6
    np.testing.assert_array_equal(history.curve()[1], np.arange(6.0))
    history.extend([100.0])
    np.testing.assert_array_equal(history.curve()[1], [0, 1, 2, 3, 4, 5, 100.0])

    coarse = ErrorHistory(4)
    coarse.extend(np.arange(40.0))
    stride = coarse.stride
    coarse.truncate(13)
    assert len(coarse) == 13
    starts, low, high = coarse.curve()
    assert starts[-1] <= 12 < starts[-1] + stride
    assert low[-1] == starts[-1]  # the values are their own iterations here
    assert high[-1] <= 13 + stride
    coarse.truncate(50)  # longer than the history: nothing happens
    assert len(coarse) == 13


def test_to_dict_from_dict_round_trip_through_json():
    history = ErrorHistory(8)
    rng = np.random.default_rng(1)
    history.extend(rng.random(37))
    loaded = ErrorHistory.from_dict(json.loads(json.dumps(history.to_dict())))
    for a, b in zip(history.curve(), loaded.curve()):
        np.testing.assert_array_equal(a, b)
    assert (len(loaded), loaded.stride, loaded.last) == (len(history), history.stride, history.last)
    more = rng.random(50)
    history.extend(more)
    loaded.extend(more)
    for a, b in zip(history.curve(), loaded.curve()):
        np.testing.assert_array_equal(a, b)


def test_from_dict_rejects_an_inconsistent_history():
    data = ErrorHistory(8).to_dict()
    data["filled"] = 5
    with pytest.raises(ValueError, match="inconsistent"):
        ErrorHistory.from_dict(data)


@pytest.mark.parametrize("capacity", [0, 1, 3, -2])
def test_history_capacity_must_be_even_and_at_least_two(capacity):
    with pytest.raises(ValueError, match="The 'history_capacity' parameter must be"):
        Trainer(Network((2, 2, 1), seed=0), XOR.X, XOR.y, history_capacity=capacity)
    data = ErrorHistory(8).to_dict() | {"capacity": capacity}
    with pytest.raises(ValueError, match="capacity"):
        ErrorHistory.from_dict(data)


# -- snapshots ------------------------------------------------------------------------------


def test_snapshots_are_bounded_and_evenly_spread():
    snapshots = Snapshots(8)
    params = np.zeros(3)
    for iteration in range(1000):
        snapshots.offer(iteration, params + iteration, {})
    iterations = snapshots.iterations
    assert 2 <= len(iterations) <= 8
    assert iterations[0] == 0
    gaps = np.diff(iterations)
    assert np.all(gaps == snapshots.every)
    assert iterations[-1] > 1000 - 2 * snapshots.every  # spread over the whole run
    for snap in snapshots.items:
        np.testing.assert_array_equal(snap.parameters, params + snap.iteration)


def test_snapshots_copy_what_they_keep():
    snapshots = Snapshots(4)
    params, state = np.ones(2), {"m": np.zeros(2)}
    snapshots.offer(0, params, state)
    params += 1
    state["m"] += 1
    np.testing.assert_array_equal(snapshots.at(0).parameters, [1.0, 1.0])
    np.testing.assert_array_equal(snapshots.at(0).optimizer_state["m"], [0.0, 0.0])
    with pytest.raises(ValueError, match="The 'snapshot_capacity' parameter must be .* at least 2"):
        Trainer(Network((2, 2, 1), seed=0), XOR.X, XOR.y, snapshot_capacity=1)


def record_run(trainer: Trainer, n: int) -> list[np.ndarray]:
    """The parameters before every iteration's update: what a snapshot of it would hold."""
    seen = [trainer.network.parameters.copy()]
    for _ in range(n):
        trainer.step()
        seen.append(trainer.network.parameters.copy())
    return seen


@pytest.mark.parametrize("settings", [
    {"optimizer": "sgd", "learning_rate": 0.5},
    {"optimizer": "adam", "learning_rate": 0.02},
    {"optimizer": "momentum", "learning_rate": 0.1, "batch_size": 3, "shuffle_seed": 4},
])
def test_restore_goes_back_exactly_and_repeats_the_trajectory(settings):
    trainer = Trainer(Network((2, 3, 1), activation="tanh", seed=9), XOR.X, XOR.y,
                      snapshot_capacity=8, history_capacity=64, **settings)
    original = record_run(trainer, 300)
    original_curve = trainer.history.curve()
    final_error = trainer.last_error

    every = trainer.snapshots.every
    assert every > 1 and len(trainer.snapshots.iterations) <= 8
    kept = trainer.restore(137)
    assert kept == 137 // every * every  # the latest snapshot at or before 137
    assert trainer.iteration == kept and len(trainer.history) == kept
    np.testing.assert_array_equal(trainer.network.parameters, original[kept])
    assert max(trainer.snapshots.iterations) == kept

    replay = record_run(trainer, 300 - kept)
    for a, b in zip(replay, original[kept:]):
        np.testing.assert_array_equal(a, b)
    assert trainer.last_error == final_error
    if trainer.history.stride == 1:
        for a, b in zip(trainer.history.curve(), original_curve):
            np.testing.assert_array_equal(a, b)


def test_restore_after_changing_the_update_rule_keeps_training():
    trainer = Trainer(Network((2, 3, 1), seed=1), XOR.X, XOR.y)
    trainer.step(100)
    trainer.configure(optimizer="adam", learning_rate=0.01)
    trainer.step(10)
    kept = trainer.restore(50)
    assert set(trainer.optimizer_state) == {"m", "v", "steps"}
    trainer.step(5)
    assert trainer.iteration == kept + 5 and trainer.divergence is None


def test_restore_validates_its_argument():
    trainer = Trainer(Network((2, 2, 1), seed=0), XOR.X, XOR.y)
    with pytest.raises(ValueError, match="'iteration'.*at least 0.*Got -1"):
        trainer.restore(-1)
    with pytest.raises(TypeError, match="'iteration'.*whole number"):
        trainer.restore(2.5)


def test_a_copy_shares_nothing_that_changes():
    history = ErrorHistory(8)
    history.extend(np.linspace(1.0, 0.5, 13))  # buckets merged, the last one partly filled
    copy = history.copy()
    kept = [a.copy() for a in copy.curve()], len(copy), copy.stride
    history.extend([9.0, -9.0, 0.25])  # tops up the partial bucket, then merges again
    history.drop_last()
    assert [a.tolist() for a in copy.curve()] == [a.tolist() for a in kept[0]]
    assert (len(copy), copy.stride) == kept[1:]
    copy.extend([7.0])
    assert history.curve()[2].max() == 9.0 and 7.0 not in history.curve()[2]
