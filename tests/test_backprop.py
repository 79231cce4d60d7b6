"""nnplay performs the tutorial's update: by hand, against its backPropNN, and over its whole run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnplay import Network, Trainer, datasets
from nnplay.explain import explain_step
from nnplay.presets import PRESETS
from nnplay.tutorial import backPropNN

LN3 = math.log(3.0)  # sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4 exactly: keeps the arithmetic by hand exact

# One iteration of the tutorial's back propagation on a (2, 2, 1) sigmoid network,
# one example x = (1, 2) with target T = 1, learning rate η = 0.2.
#
# W_IJ = [[0.5, -0.25, 0        ],     O_I = (1, 2, 1)   (the input and the bias's 1)
#         [0.5,  0.25, ln 3 - 1 ]]
# x_J  = W_IJ · O_I = (0.5 - 0.5 + 0, 0.5 + 0.5 + ln 3 - 1) = (0, ln 3)
# O_J  = sigmoid(x_J) = (1/2, 3/4)
#
# W_JK = [0.4, -0.2, -0.05]            O_J with bias = (1/2, 3/4, 1)
# x_K  = 0.2 - 0.15 - 0.05 = 0,  O_K = 1/2
# E    = (O_K - T)^2 = (-1/2)^2 = 0.25
# δ_K  = (O_K - T) * O_K (1 - O_K) = -1/2 * 1/4 = -0.125
#
# δ_J  = f'(x_J) * W_JK^T δ_K (bias row dropped), f'(x_J) = O_J (1 - O_J) = (1/4, 3/16):
#      = (1/4 * 0.4 * -0.125, 3/16 * -0.2 * -0.125) = (-0.0125, 0.0046875)
#
# ΔW_JK = δ_K · O_J^T = -0.125 * (1/2, 3/4, 1) = (-0.0625, -0.09375, -0.125)
# ΔW_IJ = δ_J · O_I^T = [[-0.0125,    -0.025,   -0.0125   ],
#                        [ 0.0046875,  0.009375, 0.0046875]]
#
# new W = W - η ΔW:
# W_JK -> (0.4 + 0.0125, -0.2 + 0.01875, -0.05 + 0.025) = (0.4125, -0.18125, -0.025)
# W_IJ -> [[0.5 + 0.0025, -0.25 + 0.005, 0 + 0.0025           ],
#          [0.5 - 0.0009375, 0.25 - 0.001875, ln 3 - 1 - 0.0009375]]
HAND = {
    "X": np.array([[1.0, 2.0]]),
    "y": np.array([[1.0]]),
    "W_IJ": np.array([[0.5, -0.25, 0.0], [0.5, 0.25, LN3 - 1.0]]),
    "W_JK": np.array([[0.4, -0.2, -0.05]]),
    "x_J": np.array([[0.0], [LN3]]),
    "O_J": np.array([[0.5], [0.75]]),
    "error": 0.25,
    "delta_K": np.array([[-0.125]]),
    "delta_J": np.array([[-0.0125], [0.0046875]]),
    "grad_JK": np.array([[-0.0625, -0.09375, -0.125]]),
    "grad_IJ": np.array([[-0.0125, -0.025, -0.0125], [0.0046875, 0.009375, 0.0046875]]),
    "new_JK": np.array([[0.4125, -0.18125, -0.025]]),
    "new_IJ": np.array([[0.5025, -0.245, 0.0025], [0.4990625, 0.248125, LN3 - 1.0009375]]),
}


def hand_network() -> Network:
    net = Network((2, 2, 1), seed=0)
    net.set_weights([HAND["W_IJ"], HAND["W_JK"]])
    return net


def test_one_iteration_by_hand_trainer_step():
    net = hand_network()
    trainer = Trainer(net, HAND["X"], HAND["y"], learning_rate=0.2)
    error = trainer.step()
    assert error == pytest.approx(HAND["error"], abs=1e-15)
    assert trainer.iteration == 1
    np.testing.assert_allclose(net.weights[0], HAND["new_IJ"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(net.weights[1], HAND["new_JK"], rtol=0, atol=1e-15)


def test_one_iteration_by_hand_explain_step():
    net = hand_network()
    step = explain_step(net, HAND["X"], HAND["y"], learning_rate=0.2)
    hidden, out = step.layers
    assert step.error == pytest.approx(HAND["error"], abs=1e-15)
    assert step.learning_rate == 0.2
    np.testing.assert_array_equal(step.targets, [[1.0]])
    assert (hidden.layer, out.layer) == (1, 2)
    np.testing.assert_array_equal(hidden.O_I, [[1.0], [2.0], [1.0]])
    np.testing.assert_allclose(hidden.x_J, HAND["x_J"], atol=1e-15)
    np.testing.assert_allclose(hidden.O_J, HAND["O_J"], atol=1e-15)
    np.testing.assert_allclose(out.O_I, [[0.5], [0.75], [1.0]], atol=1e-15)
    np.testing.assert_allclose(out.x_J, [[0.0]], atol=1e-15)
    np.testing.assert_allclose(out.O_J, [[0.5]], atol=1e-15)
    np.testing.assert_allclose(out.delta_J, HAND["delta_K"], atol=1e-15)
    np.testing.assert_allclose(hidden.delta_J, HAND["delta_J"], atol=1e-15)
    np.testing.assert_allclose(out.gradient, HAND["grad_JK"], atol=1e-15)
    np.testing.assert_allclose(hidden.gradient, HAND["grad_IJ"], atol=1e-15)
    np.testing.assert_allclose(out.change, -0.2 * HAND["grad_JK"], atol=1e-15)
    np.testing.assert_allclose(hidden.change, -0.2 * HAND["grad_IJ"], atol=1e-15)
    np.testing.assert_allclose(out.new_W, HAND["new_JK"], atol=1e-15)
    np.testing.assert_allclose(hidden.new_W, HAND["new_IJ"], atol=1e-15)
    np.testing.assert_array_equal(hidden.W, HAND["W_IJ"])
    # explain_step leaves the network alone
    np.testing.assert_array_equal(net.weights[0], HAND["W_IJ"])


def test_explain_step_new_weights_are_the_trainers_next_step():
    xor = datasets.gate("xor")
    net = Network((2, 3, 2, 1), activation="tanh", seed=4)
    step = explain_step(net, xor.X, xor.y, loss="mse", learning_rate=0.7)
    trainer = Trainer(net, xor.X, xor.y, loss="mse", learning_rate=0.7)
    assert trainer.step() == step.error
    for layer, W in zip(step.layers, net.weights):
        np.testing.assert_array_equal(layer.new_W, W)


def truth_table(n_inputs: int) -> np.ndarray:
    return np.array([[(i >> b) & 1 for b in range(n_inputs)] for i in range(2**n_inputs)], float)


def data_for(shape):
    if shape[0] == 2:
        xor = datasets.gate("xor")
        X = xor.X
    else:
        X = truth_table(shape[0])
    bits = X.sum(axis=1)
    columns = [bits % 2, (bits >= shape[0] / 2).astype(float)]  # parity, majority
    return X, np.stack(columns[: shape[-1]], axis=1)


@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 3, 2, 1), (3, 4, 2), (3, 1)])
def test_matches_the_tutorials_backPropNN_for_2000_iterations(shape):
    X, y = data_for(shape)
    net = Network(shape, seed=sum(shape))
    oracle = backPropNN(shape, [w.copy() for w in net.weights])
    trainer = Trainer(net, X, y, learning_rate=0.2)
    errors = []
    for _ in range(2000):
        errors.append(oracle.backProp(X, y, 0.2))
    assert trainer.run(2000) == 2000
    for ours, theirs in zip(net.weights, oracle.weights):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(trainer.history.curve()[1], errors, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net.predict(X), oracle.FP(X), rtol=0, atol=1e-12)
    assert trainer.last_error == pytest.approx(errors[-1], rel=1e-12)
    assert errors[-1] < errors[0]  # it learned something: the comparison is not of two idle runs


def test_step_returns_the_error_before_the_update_as_backProp_does():
    xor = datasets.gate("xor")
    net = Network((2, 2, 1), seed=3)
    oracle = backPropNN((2, 2, 1), net.weights)
    trainer = Trainer(net, xor.X, xor.y)
    for _ in range(5):
        assert trainer.step() == pytest.approx(oracle.backProp(xor.X, xor.y), rel=1e-14)


# The tutorial's printout after `for i in range(maxIterations + 1)` with maxIterations = 100000.
TUTORIAL_ERROR = 0.000291
TUTORIAL_OUTPUTS = [0.00780385, 0.00992829, 0.99189799, 0.99189943]


def test_the_tutorial_preset_ends_where_the_tutorial_did():
    config = PRESETS["tutorial"].config
    trainer = config.trainer()
    assert trainer.network.shape == (2, 2, 1)
    ran = trainer.run(100_001, config.min_error)
    assert ran == 100_001
    assert trainer.divergence is None
    assert trainer.last_error == pytest.approx(TUTORIAL_ERROR, rel=0.02)
    outputs = trainer.network.predict(trainer.X)[:, 0]
    np.testing.assert_allclose(outputs, TUTORIAL_OUTPUTS, atol=0.01)
    np.testing.assert_array_equal(trainer.X, [[0, 0], [1, 1], [0, 1], [1, 0]])


def test_nothing_reads_a_workspace_before_writing_it(monkeypatch):
    """Workspace arrays start unset (only the bias rows are filled): with every ``np.empty``
    full of NaN instead, predictions and training come out the same to the bit."""
    X = np.random.default_rng(1).uniform(-1, 1, (9, 3))
    y = (X.sum(axis=1, keepdims=True) > 0).astype(float)

    def run() -> tuple[np.ndarray, np.ndarray]:
        net = Network((3, 4, 3, 1), activation="tanh", seed=2)
        trainer = Trainer(net, X, y, learning_rate=0.5)
        trainer.step(5)
        return net.predict(X), net.parameters.copy()

    expected = run()
    unset = np.empty

    def poisoned(shape, *args, **kwargs):
        array = unset(shape, *args, **kwargs)
        array.fill(np.nan)
        return array

    monkeypatch.setattr(np, "empty", poisoned)
    for got, want in zip(run(), expected, strict=True):
        np.testing.assert_array_equal(got, want)
