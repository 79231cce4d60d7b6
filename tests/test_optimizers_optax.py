"""Every update rule against optax: the same network trained on XOR for 60 full-batch steps,
nnplay's Trainer on one side, optax's optimiser with gradients from jax.grad on the other.

The oracle shares no code with nnplay: the forward pass is written again in jax, the gradient
comes from automatic differentiation and the update from optax's own transformations
(float64 throughout).
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
optax = pytest.importorskip("optax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

from nnplay import Network, Trainer, datasets  # noqa: E402
from nnplay.optimizers import OPTIMIZERS  # noqa: E402

XOR = datasets.gate("xor")
STEPS = 60


def optax_rule(name: str, learning_rate: float, momentum: float) -> optax.GradientTransformation:
    return {
        "sgd": lambda: optax.sgd(learning_rate),
        "momentum": lambda: optax.sgd(learning_rate, momentum=momentum),
        "nesterov": lambda: optax.sgd(learning_rate, momentum=momentum, nesterov=True),
        "rmsprop": lambda: optax.rmsprop(learning_rate),
        "adagrad": lambda: optax.adagrad(learning_rate),
        "adam": lambda: optax.adam(learning_rate, b1=0.9, b2=0.999, eps=1e-8),
    }[name]()


def sse(weights, X, T):
    """The tutorial's error with sigmoid units; nnplay's gradient is that of half of it."""
    O = X.T
    for W in weights:
        O = jax.nn.sigmoid(W @ jnp.vstack([O, jnp.ones((1, O.shape[1]))]))
    return 0.5 * jnp.sum((O - T.T) ** 2)


def test_optax_covers_every_rule_in_the_registry():
    for name in OPTIMIZERS:
        optax_rule(name, 0.1, 0.9)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("learning_rate", [0.05, 0.5])
def test_each_rule_agrees_with_optax_after_60_steps(name, learning_rate):
    net = Network((2, 3, 1), seed=4)
    start = [jnp.asarray(w) for w in net.weights]
    Trainer(net, XOR.X, XOR.y, learning_rate=learning_rate, optimizer=name,
            momentum=0.8).step(STEPS)

    rule = optax_rule(name, learning_rate, 0.8)
    weights, state = start, rule.init(start)
    gradient = jax.grad(sse)
    for _ in range(STEPS):
        updates, state = rule.update(gradient(weights, XOR.X, XOR.y), state, weights)
        weights = optax.apply_updates(weights, updates)

    for ours, theirs in zip(net.weights, weights):
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=0, atol=1e-8)
    assert not np.allclose(net.weights[0], np.asarray(start[0]))  # it did learn something
