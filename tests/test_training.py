"""The trainer: seeds, independence of networks, divergence and mini-batches."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import nnplay
from nnplay import Network, Trainer, datasets
from nnplay.backprop import Workspace
from nnplay.explain import explain_step
from nnplay.tutorial import backPropNN

XOR = datasets.gate("xor")


def trajectory(seed: int, n: int = 50, **settings) -> tuple[np.ndarray, list[float]]:
    net = Network((2, 3, 1), activation="tanh", init="xavier", seed=seed)
    trainer = Trainer(net, XOR.X, XOR.y, learning_rate=0.5, **settings)
    errors = [trainer.step() for _ in range(n)]
    return net.parameters.copy(), errors


# -- seeds ------------------------------------------------------------------------------


def test_same_seed_same_weights_and_trajectory():
    first, first_errors = trajectory(7)
    second, second_errors = trajectory(7)
    np.testing.assert_array_equal(first, second)
    assert first_errors == second_errors
    for init in nnplay.INITIALIZERS:
        a, b = Network((3, 4, 2), init=init, seed=99), Network((3, 4, 2), init=init, seed=99)
        np.testing.assert_array_equal(a.parameters, b.parameters)


def test_different_seeds_differ():
    first, first_errors = trajectory(7)
    second, second_errors = trajectory(8)
    assert not np.array_equal(first, second)
    assert first_errors != second_errors
    for init in nnplay.INITIALIZERS:
        a, b = Network((3, 4, 2), init=init, seed=1), Network((3, 4, 2), init=init, seed=2)
        assert not np.array_equal(a.parameters, b.parameters)


def test_no_seed_draws_one_and_records_it():
    net = Network((2, 4, 1))
    assert isinstance(net.seed, int) and net.seed >= 0
    again = Network((2, 4, 1), seed=net.seed)
    np.testing.assert_array_equal(net.parameters, again.parameters)
    assert net.config()["seed"] == net.seed


def test_the_global_numpy_random_state_is_never_used():
    np.random.seed(1234)  # noqa: NPY002 - the legacy global state is what is being watched
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    net = Network((2, 3, 1), seed=5)
    Trainer(net, XOR.X, XOR.y, batch_size=2, shuffle_seed=3).step(20)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


# -- no shared state ------------------------------------------------------------------------


def test_two_networks_never_share_arrays():
    a, b = Network((2, 2, 1), seed=3), Network((2, 2, 1), seed=3)
    assert not np.shares_memory(a.parameters, b.parameters)
    for wa, wb in zip(a.weights, b.weights):
        assert not np.shares_memory(wa, wb)
    Trainer(a, XOR.X, XOR.y).step(10)
    np.testing.assert_array_equal(b.parameters, Network((2, 2, 1), seed=3).parameters)
    copy = a.copy()
    assert not np.shares_memory(copy.parameters, a.parameters)
    np.testing.assert_array_equal(copy.parameters, a.parameters)


def test_two_trainers_keep_their_own_history_and_state():
    a = Trainer(Network((2, 2, 1), seed=1), XOR.X, XOR.y, optimizer="adam", learning_rate=0.01)
    b = Trainer(Network((2, 2, 1), seed=1), XOR.X, XOR.y, optimizer="adam", learning_rate=0.01)
    a.step(30)
    assert len(b.history) == 0 and b.iteration == 0
    assert all(not v.any() for v in b.optimizer_state.values())
    for key in a.optimizer_state:
        assert not np.shares_memory(a.optimizer_state[key], b.optimizer_state[key])


def test_tutorial_oracle_instances_do_not_share_weights():
    weights = Network((2, 2, 1), seed=0).weights
    a, b = backPropNN((2, 2, 1), weights), backPropNN((2, 2, 1), weights)
    a.backProp(XOR.X, XOR.y)
    np.testing.assert_array_equal(b.weights[0], weights[0])


def engine_classes():
    import nnplay.batched
    import nnplay.config
    import nnplay.explain
    import nnplay.history
    import nnplay.serialization
    import nnplay.snapshots

    modules = [nnplay.network, nnplay.training, nnplay.backprop, nnplay.history, nnplay.snapshots,
               nnplay.batched, nnplay.config, nnplay.explain, nnplay.serialization]
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                yield cls


@pytest.mark.parametrize("cls", list(engine_classes()), ids=lambda c: c.__qualname__)
def test_no_class_level_mutable_state(cls):
    for name, value in vars(cls).items():
        if name.startswith("__"):
            continue
        assert not isinstance(value, (list, dict, set, np.ndarray)), f"{cls.__name__}.{name}"


def test_weights_are_read_only_views_of_the_current_parameters():
    net = Network((2, 3, 1), seed=2)
    weights = net.weights
    assert [w.shape for w in weights] == [(3, 3), (1, 4)]
    assert all(w.dtype == np.float64 for w in weights)
    with pytest.raises(ValueError, match="read-only"):
        weights[0][0, 0] = 1.0
    Trainer(net, XOR.X, XOR.y).step(3)
    np.testing.assert_array_equal(np.concatenate([w.ravel() for w in net.weights]), net.parameters)


def test_set_weights_copies_and_validates():
    net = Network((2, 2, 1), seed=0)
    new = [np.arange(6.0).reshape(2, 3), np.array([[1.0, -1.0, 0.5]])]
    net.set_weights(new)
    new[0][0, 0] = 100.0
    assert net.weights[0][0, 0] == 0.0
    np.testing.assert_array_equal(net.weights[1], [[1.0, -1.0, 0.5]])
    np.testing.assert_array_equal(net.predict(np.zeros((1, 2))).shape, (1, 1))
    before = net.parameters.copy()
    with pytest.raises(ValueError, match=r"'weights\[0\]'.*shape \(2, 3\).*\(3, 2\)"):
        net.set_weights([np.zeros((3, 2)), np.zeros((1, 3))])
    with pytest.raises(ValueError, match=r"'weights'.*2 arrays.*Got '1 arrays'"):
        net.set_weights([np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"'weights\[1\]'.*finite"):
        net.set_weights([np.zeros((2, 3)), np.array([[0.0, np.nan, 0.0]])])
    with pytest.raises(TypeError, match=r"'weights'"):
        net.set_weights(None)
    np.testing.assert_array_equal(net.parameters, before)  # a refused set changes nothing


def test_predict_and_layer_outputs_shapes():
    net = Network((3, 5, 4, 2), activation="relu", output_activation="softmax", init="he", seed=0)
    X = np.random.default_rng(0).normal(size=(7, 3))
    outputs = net.layer_outputs(X)
    assert [o.shape for o in outputs] == [(7, 5), (7, 4), (7, 2)]
    np.testing.assert_allclose(net.predict(X).sum(axis=1), 1.0)
    np.testing.assert_array_equal(net.predict(X), outputs[-1])


# -- divergence -------------------------------------------------------------------------------


def diverging_trainer(**kwargs) -> Trainer:
    net = Network((2, 2, 1), output_activation="linear", seed=0)
    return Trainer(net, XOR.X, XOR.y, loss="mse", learning_rate=1e5, **kwargs)


def test_divergence_stops_training_and_keeps_finite_numbers():
    trainer = diverging_trainer()
    error = trainer.step(1000)
    assert trainer.divergence is not None
    assert trainer.iteration < 1000
    assert math.isfinite(error) and error == trainer.last_error
    assert np.isfinite(trainer.network.parameters).all()
    iterations, low, high = trainer.history.curve()
    assert np.isfinite(low).all() and np.isfinite(high).all()
    assert len(trainer.history) == trainer.iteration
    np.testing.assert_array_equal(iterations, np.arange(trainer.iteration))
    assert high[-1] == trainer.last_error
    # The kept network reproduces the last recorded error... and the next one is not finite.
    assert math.isfinite(trainer.error())
    message = trainer.divergence.message
    assert f"iteration {trainer.divergence.iteration}" in message
    assert "learning rate 100000" in message
    assert "Lower the learning rate" in message
    assert trainer.divergence.kept_iteration == trainer.iteration


def test_after_divergence_steps_do_nothing_until_configure():
    trainer = diverging_trainer()
    trainer.step(1000)
    stopped_at, weights = trainer.iteration, trainer.network.parameters.copy()
    last = trainer.last_error
    assert trainer.step(5) == last
    assert trainer.run(100) == 0
    assert trainer.iteration == stopped_at
    np.testing.assert_array_equal(trainer.network.parameters, weights)
    trainer.configure(learning_rate=0.01)
    assert trainer.divergence is None
    trainer.step(20)
    assert trainer.iteration == stopped_at + 20
    assert trainer.divergence is None


def test_divergence_after_a_long_run_keeps_a_finite_last_error():
    """Past the history's first buckets (stride > 1), stepping one at a time into a divergence."""
    net = Network((2, 3, 1), activation="tanh", output_activation="linear", init="xavier", seed=3)
    trainer = Trainer(net, XOR.X, XOR.y, loss="mse", learning_rate=0.05, history_capacity=16)
    trainer.step(100)
    assert trainer.history.stride > 1
    trainer.configure(learning_rate=1e5)
    errors = []
    for _ in range(200):
        errors.append(trainer.step())
        if trainer.divergence:
            break
    assert trainer.divergence is not None
    assert trainer.last_error is not None and math.isfinite(trainer.last_error)
    assert errors[-1] == trainer.last_error
    # The kept state is the one before the last update: its error is the one before that.
    assert trainer.last_error == errors[-3]
    assert trainer.iteration == trainer.divergence.kept_iteration == len(trainer.history)


def test_weights_overflow_is_caught_too():
    """A huge gradient step overflows the weights while the error is still finite."""
    net = Network((1, 1), output_activation="linear", seed=0)
    start = np.array([[1e-3, 0.0]])
    net.set_weights([start])
    # O = 1e-3 * 1e153 = 1e150, E = 1e300 (finite); the gradient 1e150 * 1e153 times 1e6 is not.
    trainer = Trainer(net, [[1e153]], [[0.0]], loss="sse", learning_rate=1e6)
    trainer.step(3)
    assert trainer.divergence is not None
    assert "learning rate 1e+06 made the weights overflow at iteration 0" in trainer.divergence.message
    np.testing.assert_array_equal(net.weights[0], start)
    assert trainer.iteration == 0 and trainer.last_error is None and len(trainer.history) == 0


def test_a_non_finite_error_at_iteration_0_leaves_the_network_alone():
    """Nothing to go back to: the network stays as it was, training stops, no crash."""
    net = Network((1, 1), output_activation="linear", seed=0)
    start = np.array([[1e200, 0.0]])
    net.set_weights([start])
    trainer = Trainer(net, [[1e200]], [[0.0]], loss="sse")  # (1e400)^2: infinite
    assert trainer.step(2) is None
    assert trainer.divergence is not None and trainer.divergence.iteration == 0
    assert "infinite at iteration 0" in trainer.divergence.message
    assert "no earlier state" in trainer.divergence.message
    np.testing.assert_array_equal(net.weights[0], start)
    assert trainer.iteration == 0 and len(trainer.history) == 0
    # After a restore to iteration 0 the same holds.
    trainer.restore(0)
    trainer.step()
    np.testing.assert_array_equal(net.weights[0], start)
    assert trainer.iteration == 0


@pytest.mark.parametrize("record_every", [1, 7, 4096])
def test_one_call_or_one_iteration_at_a_time_give_the_same_run(record_every):
    """The loop hands its errors over in chunks; where a call or a chunk ends changes nothing,
    a divergence that goes back across the end of a chunk included."""
    def trained(one_at_a_time: bool) -> Trainer:
        net = Network((2, 3, 1), activation="tanh", output_activation="linear", init="xavier", seed=3)
        trainer = Trainer(net, XOR.X, XOR.y, loss="mse", learning_rate=0.05, history_capacity=16)
        trainer.record_every = record_every
        for rate, n in ((0.05, 100), (1e5, 60)):
            trainer.configure(learning_rate=rate)
            for _ in range(n if one_at_a_time else 1):
                trainer.step(1 if one_at_a_time else n)
        return trainer

    alone, together = trained(True), trained(False)
    assert together.divergence is not None and together.divergence == alone.divergence
    assert together.iteration == alone.iteration < 160
    assert together.last_error == alone.last_error
    np.testing.assert_array_equal(together.network.parameters, alone.network.parameters)
    for a, b in zip(together.history.curve(), alone.history.curve()):
        np.testing.assert_array_equal(a, b)
    assert together.snapshots.iterations == alone.snapshots.iterations


# -- mini-batches ---------------------------------------------------------------------------


def recorded_batches(monkeypatch, X, y, n_steps, **settings) -> list[list[int]]:
    """Which rows of X each iteration trained on (every row of X is distinct)."""
    loads: list[np.ndarray] = []
    original = Workspace.load
    trainer = Trainer(Network((X.shape[1], 3, 1), seed=0), X, y, **settings)

    def spy(self, rows):
        loads.append(np.array(rows))
        original(self, rows)

    monkeypatch.setattr(Workspace, "load", spy)
    trainer.step(n_steps)
    monkeypatch.undo()
    index = {tuple(row): i for i, row in enumerate(X)}
    return [sorted(index[tuple(row)] for row in batch) for batch in loads]


def ramp_data(n: int = 10):
    X = np.column_stack([np.arange(n, dtype=float), np.arange(n, dtype=float) ** 2 / n])
    return X, (np.arange(n) % 2).reshape(-1, 1).astype(float)


def test_every_example_once_per_epoch(monkeypatch):
    X, y = ramp_data(10)
    batches = recorded_batches(monkeypatch, X, y, 4 * 4, batch_size=3, shuffle_seed=5)
    assert [len(b) for b in batches] == [3, 3, 3, 1] * 4  # 10 = 3 + 3 + 3 + 1
    orders = []
    for epoch in range(4):
        rows = sum(batches[4 * epoch: 4 * epoch + 4], [])
        assert sorted(rows) == list(range(10))
        orders.append(rows)
    assert len({tuple(o) for o in orders}) > 1, "the order is shuffled anew each epoch"


def test_shuffling_is_seeded(monkeypatch):
    X, y = ramp_data(12)
    first = recorded_batches(monkeypatch, X, y, 12, batch_size=4, shuffle_seed=1)
    again = recorded_batches(monkeypatch, X, y, 12, batch_size=4, shuffle_seed=1)
    other = recorded_batches(monkeypatch, X, y, 12, batch_size=4, shuffle_seed=2)
    assert first == again
    assert first != other
    a = Trainer(Network((2, 3, 1), seed=0), X, y, batch_size=4, shuffle_seed=1)
    b = Trainer(Network((2, 3, 1), seed=0), X, y, batch_size=4, shuffle_seed=1)
    c = Trainer(Network((2, 3, 1), seed=0), X, y, batch_size=4, shuffle_seed=2)
    for t in (a, b, c):
        t.step(30)
    np.testing.assert_array_equal(a.network.parameters, b.network.parameters)
    assert not np.array_equal(a.network.parameters, c.network.parameters)


def test_a_mini_batch_step_follows_the_batch_gradient_and_reports_the_full_error(monkeypatch):
    X, y = ramp_data(10)
    X = X / 10.0
    net = Network((2, 3, 1), seed=4)
    full_error = explain_step(net, X, y).error
    rows = recorded_batches(monkeypatch, X, y, 1, batch_size=4, shuffle_seed=9)[0]
    expected = explain_step(net, X[rows], y[rows], learning_rate=0.2)
    trainer = Trainer(net, X, y, batch_size=4, shuffle_seed=9)
    assert trainer.step() == pytest.approx(full_error, rel=1e-15)
    for layer, W in zip(expected.layers, net.weights):
        np.testing.assert_allclose(W, layer.new_W, rtol=0, atol=1e-15)


def test_batch_size_none_and_n_are_the_full_batch():
    X, y = ramp_data(8)
    X = X / 8.0
    runs = []
    for batch_size in (None, 8):
        net = Network((2, 3, 1), seed=6)
        oracle = backPropNN((2, 3, 1), net.weights)
        Trainer(net, X, y, batch_size=batch_size).step(200)
        for _ in range(200):
            oracle.backProp(X, y)
        for ours, theirs in zip(net.weights, oracle.weights):
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-13)
        runs.append(net.parameters)
    np.testing.assert_array_equal(*runs)


def test_configure_keeps_the_network_and_changes_the_rule():
    trainer = Trainer(Network((2, 3, 1), seed=0), XOR.X, XOR.y)
    trainer.step(10)
    weights = trainer.network.parameters.copy()
    trainer.configure(optimizer="momentum", learning_rate=0.5)
    np.testing.assert_array_equal(trainer.network.parameters, weights)
    assert set(trainer.optimizer_state) == {"velocity"}
    assert not trainer.optimizer_state["velocity"].any()
    assert trainer.settings.learning_rate == 0.5 and trainer.iteration == 10
    trainer.step(5)
    assert trainer.iteration == 15


# -- update rules ---------------------------------------------------------------------------


def flat_gradient(net: Network, X, y, loss: str = "sse") -> np.ndarray:
    """The full-batch gradient at the network's current weights, layer after layer."""
    return np.concatenate([layer.gradient.ravel() for layer in explain_step(net, X, y, loss=loss).layers])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_update_rules_follow_their_textbook_formulas(optimizer):
    eta, mu, beta1, beta2, eps = 0.05, 0.8, 0.85, 0.99, 1e-6
    net = Network((2, 3, 1), activation="tanh", init="xavier", seed=12)
    mirror = net.copy()
    trainer = Trainer(net, XOR.X, XOR.y, optimizer=optimizer, learning_rate=eta, momentum=mu,
                      beta1=beta1, beta2=beta2, epsilon=eps)
    p = mirror.parameters.copy()
    velocity, m, v = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for t in range(1, 8):
        g = flat_gradient(mirror, XOR.X, XOR.y)
        if optimizer == "sgd":
            p = p - eta * g
        elif optimizer == "momentum":
            velocity = mu * velocity - eta * g
            p = p + velocity
        else:
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g**2
            p = p - eta * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        mirror.set_weights([w.reshape(s) for w, s in zip(np.split(p, [9]), [(3, 3), (1, 4)])])
        trainer.step()
        np.testing.assert_allclose(net.parameters, p, rtol=1e-12, atol=1e-14)


def test_l1_sets_weights_that_cross_zero_to_exactly_zero_and_spares_biases():
    net = Network((1, 1), output_activation="linear", seed=0)
    net.set_weights([np.array([[1e-4, 1e-4]])])  # a tiny weight and a tiny bias
    trainer = Trainer(net, [[0.0]], [[-1.0]], loss="sse", learning_rate=0.1,
                      regularization="l1", regularization_rate=1.0)
    trainer.step()
    # O = 1e-4 * 0 + 1e-4, δ = O - T = 1.0001. The weight's data gradient is δ * 0 = 0; the
    # penalty's step -0.1 * sign(w) carries it across zero, so it is clipped to exactly 0.
    # The bias is not penalised and not clipped, though its step (-0.1 * 1.0001) crosses zero too.
    assert net.weights[0][0, 0] == 0.0
    assert net.weights[0][0, 1] == pytest.approx(1e-4 - 0.1 * 1.0001, rel=1e-12)
