"""Central-difference gradient checks: every activation, every loss, every penalty.

The engine's gradient (``Workspace.gradients`` after ``backprop.forward_backward``)
is compared with a numerical derivative of the error computed by an independent
forward pass written here from the formulas (no engine code on the oracle side).
The updates descend ``objective_scale * E``: E / 2 for the tutorial's sse
(its delta has no factor 2), E itself for mse and cross-entropy.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnplay import LOSSES, Network, Trainer
from nnplay.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnplay.backprop import Layout, Workspace, forward_backward
from nnplay.regularizers import REGULARIZERS, add_gradient, penalty

H = 1e-6  # central-difference step
KINK = 1e-4  # skip points this close to a ReLU's corner
OBJECTIVE_SCALE = {"sse": 0.5, "mse": 1.0, "cross_entropy": 1.0}

# The formulas, written independently of nnplay.activations.
F = {
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "relu": lambda x: np.where(x > 0, x, 0.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x),
    "linear": lambda x: x,
    "softmax": lambda x: np.exp(x) / np.exp(x).sum(axis=-2, keepdims=True),
}
KINKED = {"relu", "leaky_relu"}

# Every valid (output activation, loss) pair: cross-entropy needs a sigmoid or
# softmax output, and a softmax output needs cross-entropy.
OUTPUT_LOSS = [(out, loss) for out in ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
               for loss in ("sse", "mse")]
OUTPUT_LOSS += [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy")]


def test_the_combinations_cover_every_registered_name():
    assert set(HIDDEN_ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "linear"}
    assert {out for out, _ in OUTPUT_LOSS} == set(ACTIVATIONS)
    assert {loss for _, loss in OUTPUT_LOSS} == set(LOSSES)


@pytest.mark.parametrize("name", sorted(OBJECTIVE_SCALE))
def test_objective_scale_is_the_documented_convention(name):
    assert LOSSES[name].objective_scale == OBJECTIVE_SCALE[name]


def layer_names(hidden, output, n_layers):
    """Each layer's activation: ``hidden`` is one name for every hidden layer or one per layer."""
    names = [hidden] * (n_layers - 1) if isinstance(hidden, str) else list(hidden)
    return names + [output]


def oracle_pre_activations(weights, X, hidden, output, masks=None):
    """Every layer's ``x_J`` and the output ``O_K``; weights may carry a leading axis.

    ``weights[k]``: ``(..., n_J, n_I + 1)``; ``X``: ``(n, n_inputs)``. The bias
    is added as its own term rather than through a row of ones. ``masks[k]``, if given,
    multiplies hidden layer k's output (dropout, already scaled by 1 / (1 - rate)).
    """
    O = X.T
    xs = []
    for k, (W, name) in enumerate(zip(weights, layer_names(hidden, output, len(weights)))):
        x = W[..., :-1] @ O + W[..., -1:]
        xs.append(x)
        O = F[name](x)
        if masks is not None and k < len(weights) - 1:
            O = O * masks[k]
    return xs, O


def oracle_error(x_K, O, T, loss, output):
    """The error by its textbook formula; ``x_K``, ``O`` ``(..., n_out, n)``, ``T`` ``(n_out, n)``.

    Cross-entropy is written with log-sum-exp and softplus of the layer input
    ``x_K``: log(1 - O) of a saturated sigmoid would lose the digits the
    central differences need.
    """
    n = T.shape[-1]
    if loss == "sse":
        return ((O - T) ** 2).sum(axis=(-2, -1))
    if loss == "mse":
        return ((O - T) ** 2).mean(axis=(-2, -1))
    if output == "softmax":
        top = x_K.max(axis=-2, keepdims=True)
        log_O = x_K - top - np.log(np.exp(x_K - top).sum(axis=-2, keepdims=True))
        return -(T * log_O).sum(axis=(-2, -1)) / n
    # -log sigmoid(x) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x)
    return (T * np.logaddexp(0.0, -x_K) + (1 - T) * np.logaddexp(0.0, x_K)).sum(axis=(-2, -1)) / n


def unflatten(flat, shape):
    """Split ``(..., P)`` into per-layer ``(..., n_J, n_I + 1)`` arrays, row by row."""
    out, start = [], 0
    for n_I, n_J in zip(shape[:-1], shape[1:]):
        stop = start + n_J * (n_I + 1)
        out.append(flat[..., start:stop].reshape(flat.shape[:-1] + (n_J, n_I + 1)))
        start = stop
    return out


def numerical_gradient(objective, flat):
    """Central differences of ``objective`` (vectorised over a leading axis) at ``flat``."""
    steps = np.eye(flat.size) * H
    return (objective(flat + steps) - objective(flat - steps)) / (2 * H)


def engine_gradient(shape, flat, X, T, hidden, output, loss, masks=None):
    layout = Layout(shape)
    ws = Workspace(layout, X.shape[0])
    ws.load(X)
    params = flat.copy()
    hidden = tuple(ACTIVATIONS[name] for name in layer_names(hidden, output, len(shape) - 1)[:-1])
    error = forward_backward(layout.views(params), ws, np.ascontiguousarray(T.T),
                             hidden, ACTIVATIONS[output], LOSSES[loss], masks=masks)
    return float(error), ws


@st.composite
def problems(draw, output, loss):
    """A random shape, weights, examples and targets suited to ``output`` and ``loss``."""
    n_in = draw(st.integers(1, 3))
    hidden = draw(st.lists(st.integers(1, 4), min_size=0, max_size=2))
    n_out = draw(st.integers(2, 4)) if output == "softmax" else draw(st.integers(1, 3))
    n = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (n_in, *hidden, n_out)
    size = sum((a + 1) * b for a, b in zip(shape[:-1], shape[1:]))
    flat = rng.normal(scale=0.8, size=size)
    X = rng.normal(size=(n, n_in))
    if output == "softmax":
        T = np.eye(n_out)[rng.integers(0, n_out, size=n)]  # one-hot: one class per example
    elif loss == "cross_entropy":
        T = rng.uniform(size=(n, n_out))
    else:
        T = rng.normal(size=(n, n_out))
    return shape, flat, X, T


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
@pytest.mark.parametrize(("output", "loss"), OUTPUT_LOSS)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_backprop_gradient_matches_central_differences(hidden, output, loss, data):
    shape, flat, X, T = data.draw(problems(output, loss))
    xs, O = oracle_pre_activations(unflatten(flat, shape), X, hidden, output)
    kinked = [x for x, name in zip(xs, layer_names(hidden, output, len(xs))) if name in KINKED]
    assume(all(np.abs(x).min() > KINK for x in kinked))

    def objective(p):
        xs_p, O_p = oracle_pre_activations(unflatten(p, shape), X, hidden, output)
        return OBJECTIVE_SCALE[loss] * oracle_error(xs_p[-1], O_p, T.T, loss, output)

    error, ws = engine_gradient(shape, flat, X, T, hidden, output, loss)
    expected = numerical_gradient(objective, flat)

    np.testing.assert_allclose(error, oracle_error(xs[-1], O, T.T, loss, output), rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose(ws.gradients, expected, rtol=1e-5, atol=1e-7 * (1.0 + error))
    for view, W_expected in zip(ws.gradient_views, unflatten(expected, shape)):
        np.testing.assert_allclose(view, W_expected, rtol=1e-5, atol=1e-7 * (1.0 + error))


def test_softmax_cross_entropy_with_one_hot_classes():
    """Three classes, one-hot targets: the gradient and the error are the textbook ones."""
    rng = np.random.default_rng(7)
    shape = (2, 5, 3)
    flat = rng.normal(scale=0.7, size=(2 + 1) * 5 + (5 + 1) * 3)
    X = rng.normal(size=(9, 2))
    T = np.eye(3)[[0, 1, 2, 2, 1, 0, 0, 1, 2]]

    def objective(p):
        _, O = oracle_pre_activations(unflatten(p, shape), X, "tanh", "softmax")
        return -(T.T * np.log(O)).sum(axis=(-2, -1)) / len(X)

    error, ws = engine_gradient(shape, flat, X, T, "tanh", "softmax", "cross_entropy")
    np.testing.assert_allclose(error, objective(flat), rtol=1e-12)
    np.testing.assert_allclose(ws.gradients, numerical_gradient(objective, flat), rtol=1e-6, atol=1e-9)
    # The output delta is (O - T) / n: every column of the output gradient's bias sums to zero.
    assert np.allclose(ws.gradient_views[-1][:, -1].sum(), 0.0, atol=1e-12)


def test_cross_entropy_stays_finite_when_the_sigmoid_saturates():
    """O == 1.0 in floating point for a wrong target: the error is large but finite, not inf."""
    net = Network((1, 1), seed=0)
    net.set_weights([np.array([[50.0, 0.0]])])  # sigmoid(50) rounds to 1.0
    error, ws = engine_gradient((1, 1), net.parameters, np.array([[1.0]]), np.array([[0.0]]),
                                "sigmoid", "sigmoid", "cross_entropy")
    assert error == pytest.approx(50.0, rel=1e-12)  # -log(1 - sigmoid(50)) = 50 + log(1 + e^-50)
    np.testing.assert_allclose(ws.gradients, [1.0, 1.0], rtol=1e-12)


@pytest.mark.parametrize("name", ["l1", "l2"])
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=st.lists(st.integers(1, 4), min_size=2, max_size=4),
       rate=st.floats(1e-3, 5.0))
def test_penalty_gradient_matches_central_differences(name, seed, shape, rate):
    rng = np.random.default_rng(seed)
    mask = Layout(shape).bias_mask()
    params = rng.normal(size=mask.size)
    # L1 is checked away from its corner at zero.
    params = np.where(np.abs(params) < 1e-3, 0.5, params)
    grads = np.zeros_like(params)
    add_gradient(grads, params, mask, name, rate)
    expected = numerical_gradient(lambda p: penalty(p, mask, name, rate), params)
    np.testing.assert_allclose(grads, expected, rtol=1e-6, atol=1e-9)
    assert np.all(grads[mask == 0] == 0.0), "bias weights carry no penalty"


def test_penalty_values_by_hand():
    # Weights 3 and -4, bias 100 (not penalised), rate 0.1:
    # L1 = 0.1 * (3 + 4) = 0.7; L2 = 0.1 * (9 + 16) / 2 = 1.25.
    params, mask = np.array([3.0, -4.0, 100.0]), np.array([1.0, 1.0, 0.0])
    assert penalty(params, mask, "l1", 0.1) == pytest.approx(0.7)
    assert penalty(params, mask, "l2", 0.1) == pytest.approx(1.25)
    assert penalty(params, mask, "none", 0.1) == 0.0
    grads = np.zeros(3)
    add_gradient(grads, params, mask, "none", 0.1)
    assert np.all(grads == 0.0)
    assert set(REGULARIZERS) == {"none", "l1", "l2"}


@pytest.mark.parametrize(("loss", "output"), [("sse", "sigmoid"), ("mse", "tanh"),
                                              ("cross_entropy", "sigmoid")])
@pytest.mark.parametrize("regularization", ["none", "l2"])
def test_trainer_step_descends_the_numerical_gradient(loss, output, regularization):
    """One sgd step moves every weight by -η times the numerical gradient (penalty included)."""
    rng = np.random.default_rng(3)
    shape = (3, 4, 2)
    net = Network(shape, activation="tanh", output_activation=output, init="xavier", seed=11)
    X = rng.normal(size=(6, 3))
    T = rng.uniform(size=(6, 2))
    rate, eta = 0.05, 0.3
    mask = Layout(shape).bias_mask()
    before = net.parameters.copy()

    def objective(p):
        xs, O = oracle_pre_activations(unflatten(p, shape), X, "tanh", output)
        data = OBJECTIVE_SCALE[loss] * oracle_error(xs[-1], O, T.T, loss, output)
        if regularization == "none":
            return data
        return data + rate * 0.5 * ((p * mask) ** 2).sum(axis=-1)

    trainer = Trainer(net, X, T, loss=loss, learning_rate=eta, regularization=regularization,
                      regularization_rate=rate)
    trainer.step()
    expected = before - eta * numerical_gradient(objective, before)
    np.testing.assert_allclose(net.parameters, expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("hidden", [("tanh", "relu", "sigmoid"), ("leaky_relu", "linear", "tanh")])
def test_a_network_with_an_activation_per_hidden_layer_matches_central_differences(hidden):
    rng = np.random.default_rng(5)
    shape = (2, 4, 3, 3, 1)
    flat = rng.normal(scale=0.8, size=Layout(shape).size)
    X, T = rng.normal(size=(7, 2)), rng.normal(size=(7, 1))
    xs, _ = oracle_pre_activations(unflatten(flat, shape), X, hidden, "sigmoid")
    assert all(np.abs(x).min() > KINK for x in xs)  # no ReLU corner within reach

    def objective(p):
        xs_p, O_p = oracle_pre_activations(unflatten(p, shape), X, hidden, "sigmoid")
        return 0.5 * oracle_error(xs_p[-1], O_p, T.T, "sse", "sigmoid")

    error, ws = engine_gradient(shape, flat, X, T, hidden, "sigmoid", "sse")
    np.testing.assert_allclose(ws.gradients, numerical_gradient(objective, flat), rtol=1e-6,
                               atol=1e-9)


@pytest.mark.parametrize(("hidden", "output", "loss"), [
    ("sigmoid", "sigmoid", "sse"), (("tanh", "relu"), "linear", "mse"),
    (("relu", "sigmoid"), "sigmoid", "cross_entropy")])
def test_dropout_with_a_fixed_mask_matches_central_differences(hidden, output, loss):
    """With the mask fixed, a dropped node is a node whose output is 0 and a kept one's is scaled
    by 1 / (1 - rate): the engine's gradient is that network's, node for node."""
    rng = np.random.default_rng(8)
    shape, rate = (2, 5, 4, 1), 0.4
    flat = rng.normal(scale=0.8, size=Layout(shape).size)
    X, T = rng.normal(size=(6, 2)), rng.uniform(size=(6, 1))
    masks = [np.where(rng.uniform(size=(n, 6)) < rate, 0.0, 1 / (1 - rate)) for n in shape[1:-1]]
    assert all((m == 0).any() and (m > 0).any() for m in masks)

    def objective(p):
        xs_p, O_p = oracle_pre_activations(unflatten(p, shape), X, hidden, output, masks)
        return OBJECTIVE_SCALE[loss] * oracle_error(xs_p[-1], O_p, T.T, loss, output)

    xs, O = oracle_pre_activations(unflatten(flat, shape), X, hidden, output, masks)
    assert all(np.abs(x).min() > KINK for x in xs)
    error, ws = engine_gradient(shape, flat, X, T, hidden, output, loss, masks=masks)
    np.testing.assert_allclose(error, oracle_error(xs[-1], O, T.T, loss, output), rtol=1e-12)
    np.testing.assert_allclose(ws.gradients, numerical_gradient(objective, flat), rtol=1e-6,
                               atol=1e-9)
