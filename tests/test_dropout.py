"""Dropout: masks from (seed, iteration, layer) alone, inverted scaling, training passes only.

Oracles: the central-difference check with a fixed mask is in test_gradients.py; here the
trainer's step is compared with a forward pass written from the formulas under the masks of
that iteration, and the masks' statistics with the binomial distribution.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_gradients import (
    numerical_gradient,
    oracle_error,
    oracle_pre_activations,
    unflatten,
)

from nnplay import Network, Trainer, datasets
from nnplay.config import RunConfig
from nnplay.dropout import masks, uniforms

XOR = datasets.gate("xor")


def test_the_stream_depends_on_seed_iteration_and_layer_only():
    a = uniforms(7, 12, 1, (4, 5))
    assert np.array_equal(a, uniforms(7, 12, 1, (4, 5)))
    for other in (uniforms(8, 12, 1, (4, 5)), uniforms(7, 13, 1, (4, 5)), uniforms(7, 12, 0, (4, 5))):
        assert not np.any(a == other)
    assert ((0.0 <= a) & (a < 1.0)).all()
    many = uniforms(np.array([3, 7, 2**63 - 1]), 12, 1, (4, 5))
    assert many.shape == (3, 4, 5) and np.array_equal(many[1], a)
    assert np.array_equal(many[2], uniforms(2**63 - 1, 12, 1, (4, 5)))


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.9])
def test_the_share_dropped_is_the_rate_and_kept_nodes_are_scaled_up(rate):
    drawn = masks(np.arange(50), 3, rate, (40, 10), 50)
    values = np.concatenate([m.ravel() for m in drawn])  # 50 seeds * 50 nodes * 50 examples
    assert set(np.unique(values)) == {0.0, 1.0 / (1.0 - rate)}
    n = values.size
    share = np.mean(values == 0.0)
    assert abs(share - rate) < 5 * np.sqrt(rate * (1 - rate) / n)  # five standard errors
    assert abs(values.mean() - 1.0) < 5 * np.sqrt(rate / (1 - rate) / n)  # inverted: mean 1
    assert np.all(masks(1, 0, 0.0, (3,), 4)[0] == 1.0)


def oracle_step_error(trainer, iteration, rate):
    """The error of the training pass at ``iteration``: the formula under that iteration's masks."""
    net = trainer.network
    drawn = masks(net.seed, iteration, rate, net.shape[1:-1], len(trainer.X))
    xs, O = oracle_pre_activations(net.weights, trainer.X, net.hidden_activations,
                                   net.output_activation, drawn)
    return oracle_error(xs[-1], O, trainer.y.T, "sse", net.output_activation), drawn


def test_a_step_reports_the_error_of_its_pass_with_dropout_and_descends_its_gradient():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(8, 2)), rng.uniform(size=(8, 1))
    net = Network((2, 6, 5, 1), activation=("tanh", "sigmoid"), init="xavier", seed=4)
    trainer = Trainer(net, X, y, learning_rate=0.3, dropout=0.5)
    trainer.step(3)
    expected, drawn = oracle_step_error(trainer, 3, 0.5)
    before = net.parameters.copy()

    def objective(p):
        xs, O = oracle_pre_activations(unflatten(p, net.shape), X, net.hidden_activations,
                                       "sigmoid", drawn)
        return 0.5 * oracle_error(xs[-1], O, y.T, "sse", "sigmoid")

    assert trainer.step() == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(net.parameters, before - 0.3 * numerical_gradient(objective, before),
                               rtol=1e-7, atol=1e-9)
    # Predictions use every node: they are the formula without masks.
    _, O = oracle_pre_activations(net.weights, X, net.hidden_activations, "sigmoid")
    np.testing.assert_allclose(net.predict(X), O.T, rtol=1e-12)
    assert trainer.error() == pytest.approx(oracle_error(None, O, y.T, "sse", "sigmoid"), rel=1e-12)


def trained(config: RunConfig, n: int) -> Trainer:
    trainer = config.trainer()
    trainer.step(n)
    return trainer


def test_same_seed_same_weights_another_seed_other_masks_and_rate_zero_is_no_dropout():
    config = RunConfig(hidden=(6,), dropout=0.3)
    a, b = trained(config, 200), trained(config, 200)
    np.testing.assert_array_equal(a.network.parameters, b.network.parameters)
    plain = trained(config.replace(dropout=0.0), 200)
    assert not np.array_equal(a.network.parameters, plain.network.parameters)
    np.testing.assert_array_equal(plain.network.parameters,
                                  trained(RunConfig(hidden=(6,)), 200).network.parameters)
    other = config.replace(seed=2).trainer()
    assert not np.array_equal(other.dropout_masks(5)[0], a.dropout_masks(5)[0])


def test_rewind_and_carry_on_gives_the_weights_of_the_uninterrupted_run():
    config = RunConfig(hidden=(5, 4), activation=("relu", "tanh"), init="he", dropout=0.4,
                       optimizer="momentum", learning_rate=0.1)
    straight = trained(config, 300)
    trainer = trained(config, 300)
    kept = trainer.restore(130)
    assert 0 < kept <= 130
    trainer.step(300 - kept)
    np.testing.assert_array_equal(trainer.network.parameters, straight.network.parameters)
    assert trainer.last_error == straight.last_error


def test_mini_batches_take_their_examples_columns_of_the_masks():
    """The error reported is the whole training set's under this iteration's masks."""
    config = RunConfig(problem="set:circle", n_points=40, hidden=(5,), batch_size=8, dropout=0.3,
                       learning_rate=0.1)
    trainer = trained(config, 7)
    expected, _ = oracle_step_error(trainer, 7, 0.3)
    assert trainer.step() == pytest.approx(expected, rel=1e-12)

