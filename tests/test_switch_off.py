"""A hidden node switched off: its output held at 0, the rest of the network trained around it.

The oracle is the network without that node: a (2, 3, 1) network with h2 off must compute and
learn what a (2, 2, 1) network with h2's row of W1 and h2's column of W2 taken out does.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnplay import Network, Trainer, datasets
from nnplay.explain import explain_step

XOR = datasets.gate("xor")


def without_h2(network: Network) -> Network:
    """The same network with its second hidden node removed (weights copied)."""
    small = Network((2, 2, 1), activation=network.activation, seed=1)
    W1, W2 = network.weights
    small.set_weights([W1[[0, 2]], W2[:, [0, 2, 3]]])
    return small


def test_a_node_switched_off_outputs_zero_and_the_rest_computes_as_without_it():
    net = Network((2, 3, 1), activation="tanh", init="xavier", seed=4)
    net.switch_off([(0, 1)])
    assert net.off == frozenset({(0, 1)})
    hidden, out = net.layer_outputs(XOR.X)
    assert (hidden[:, 1] == 0.0).all() and (hidden[1:, [0, 2]] != 0.0).all()
    np.testing.assert_allclose(out, without_h2(net).predict(XOR.X), rtol=1e-14, atol=0)
    net.switch_off([])
    assert net.node_masks is None and (net.layer_outputs(XOR.X)[0][1:, 1] != 0.0).all()


@pytest.mark.parametrize("batch_size", [None, 2])
def test_training_goes_on_around_it_and_its_weights_learn_nothing(batch_size):
    net = Network((2, 3, 1), activation="tanh", init="xavier", seed=4)
    net.switch_off([(0, 1)])
    before = [w.copy() for w in net.weights]
    Trainer(net, XOR.X, XOR.y, learning_rate=0.5, batch_size=batch_size).step(60)
    small = without_h2(Network((2, 3, 1), activation="tanh", init="xavier", seed=4))
    Trainer(small, XOR.X, XOR.y, learning_rate=0.5, batch_size=batch_size).step(60)
    W1, W2 = net.weights
    # Nothing reaches the error through h2: its incoming weights and its outgoing weight keep
    # their values (gradient exactly 0); every other weight learns as without h2.
    assert np.array_equal(W1[1], before[0][1]) and W2[0, 1] == before[1][0, 1]
    np.testing.assert_allclose(W1[[0, 2]], small.weights[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(W2[:, [0, 2, 3]], small.weights[1], rtol=1e-12, atol=1e-15)
    assert not np.array_equal(W1[0], before[0][0])


def test_with_an_l2_penalty_its_weights_only_shrink_by_the_penalty():
    net = Network((2, 3, 1), activation="tanh", init="xavier", seed=4)
    net.switch_off([(0, 1)])
    w = net.weights[0][1].copy()
    Trainer(net, XOR.X, XOR.y, learning_rate=0.5, regularization="l2",
            regularization_rate=0.1).step(1)
    # The gradient of the error is 0, the penalty's is 0.1 * w (bias weights are not penalised).
    expected = w - 0.5 * (0.1 * w * np.array([1.0, 1.0, 0.0]))
    np.testing.assert_array_equal(net.weights[0][1], expected)


def test_dropout_and_a_node_off_together():
    net = Network((2, 4, 1), activation="tanh", init="xavier", seed=9)
    net.switch_off([(0, 3)])
    before = net.weights[0][3].copy()
    trainer = Trainer(net, XOR.X, XOR.y, learning_rate=0.5, dropout=0.3)
    masks = trainer.masks_at(0)
    assert (masks[0][3] == 0.0).all()
    assert np.array_equal(masks[0][:3], trainer.dropout_masks(0)[0][:3])
    trainer.step(20)
    assert np.array_equal(net.weights[0][3], before)


def test_the_explainer_predicts_the_step_with_a_node_off():
    net = Network((2, 3, 1), activation="sigmoid", seed=15)
    net.switch_off([(0, 0)])
    trainer = Trainer(net, XOR.X, XOR.y, learning_rate=0.2)
    masks = [np.broadcast_to(m, (3, 4)) for m in trainer.masks_at(0)]
    step = explain_step(net, XOR.X, XOR.y, learning_rate=0.2, masks=masks)
    trainer.step(1)
    for layer, W in zip(step.layers, net.weights):
        np.testing.assert_array_equal(layer.new_W, W)


def test_a_copy_keeps_the_nodes_off_and_bad_nodes_are_refused():
    net = Network((2, 3, 2, 1), seed=1)
    net.switch_off([(1, 1), (0, 2)])
    assert net.copy().off == net.off
    with pytest.raises(ValueError, match="hidden nodes"):
        net.switch_off([(2, 0)])
    with pytest.raises(ValueError, match="hidden nodes"):
        net.switch_off([(0, 3)])
