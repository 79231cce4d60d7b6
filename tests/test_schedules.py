"""Learning-rate schedules: the η of every iteration equals optax's schedule of the same name,
training with one equals optax's training with it, and the explainer predicts the scheduled step."""

from __future__ import annotations

import numpy as np
import pytest
from test_optimizers_optax import STEPS, sse

from nnplay import Network, Trainer, TrainerSettings, datasets
from nnplay.schedules import SCHEDULES
from nnplay.views import backprop_tables

jax = pytest.importorskip("jax")
optax = pytest.importorskip("optax")

XOR = datasets.gate("xor")
ETA, N, RATE, FLOOR = 0.8, 40, 0.3, 0.05


def optax_schedule(name: str, warmup: int):
    main = {
        "constant": optax.constant_schedule(ETA),
        "step": optax.piecewise_constant_schedule(ETA, {k * N: RATE for k in range(1, 20)}),
        "exponential": optax.exponential_decay(ETA, N, RATE),
        "cosine": optax.cosine_decay_schedule(ETA, N, FLOOR),
    }[name]
    if not warmup:
        return main
    return optax.join_schedules([optax.linear_schedule(0.0, ETA, warmup), main], [warmup])


def settings(name: str, warmup: int) -> TrainerSettings:
    return TrainerSettings(learning_rate=ETA, schedule=name, decay_steps=N, decay_rate=RATE,
                           decay_floor=FLOOR, warmup=warmup)


@pytest.mark.parametrize("warmup", [0, 25])
@pytest.mark.parametrize("name", list(SCHEDULES))
def test_each_schedule_gives_optaxs_learning_rate_at_every_iteration(name, warmup):
    ours = settings(name, warmup)
    theirs = optax_schedule(name, warmup)
    for t in range(0, 400):
        assert ours.learning_rate_at(t) == pytest.approx(float(theirs(t)), rel=1e-12, abs=1e-15), t
    assert ours.scheduled == (name != "constant" or warmup > 0)


@pytest.mark.parametrize(("name", "optimizer", "warmup"), [
    ("step", "sgd", 0), ("exponential", "adam", 10), ("cosine", "adam", 5), ("constant", "sgd", 7),
    ("cosine", "momentum", 5)])
def test_training_with_a_schedule_equals_optax_training_with_it(name, optimizer, warmup):
    """optax's rule at η = 1 gives each step's direction; the schedule (evaluated in float64,
    where optax's own count would round it to float32) scales it, as optax's last
    transformation does. Momentum's velocity takes each step's η as it is added (v ← μv − η_t g,
    W ← W + v), so its oracle is that loop on jax's gradients."""
    net = Network((2, 3, 1), seed=4)
    start = [jax.numpy.asarray(w) for w in net.weights]
    s = settings(name, warmup)
    Trainer(net, XOR.X, XOR.y, **{**s.to_dict(), "optimizer": optimizer, "momentum": 0.8}).step(STEPS)
    schedule = optax_schedule(name, warmup)
    rule = optax.adam(1.0) if optimizer == "adam" else optax.sgd(1.0)
    weights, state = start, rule.init(start)
    velocity = [0.0 * w for w in start]
    for t in range(STEPS):
        eta = float(schedule(t))
        gradient = jax.grad(sse)(weights, XOR.X, XOR.y)
        if optimizer == "momentum":
            velocity = [0.8 * v - eta * g for v, g in zip(velocity, gradient)]
            weights = [w + v for w, v in zip(weights, velocity)]
        else:
            direction, state = rule.update(gradient, state, weights)
            weights = optax.apply_updates(weights, [eta * d for d in direction])
    for ours, theirs in zip(net.weights, weights):
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=0, atol=1e-8)


def test_the_explainer_predicts_the_scheduled_step_bit_for_bit():
    trainer = Trainer(Network((2, 2, 1), seed=15), XOR.X, XOR.y,
                      **settings("step", 3).to_dict())
    for _ in range(8):  # through the warm-up (η from 0) and across a decay
        view = backprop_tables.build(trainer)
        eta = trainer.settings.learning_rate_at(trainer.iteration)
        assert view.claim.exact and f"uses η = {eta:.6g}" in view.claim.message
        trainer.step()
        for new, now in zip(view.new_weights, trainer.network.weights):
            np.testing.assert_array_equal(new, now)


def test_the_page_shows_the_scheduled_eta_its_curve_and_the_schedules_controls():
    from test_page import click, metric, new_app, playground, shown

    at = new_app({"sched": "step", "every": "20", "drate": "0.5", "warm": "4", "lr": "1"})
    assert playground(at).trainer.settings.schedule == "step"
    labels = [n.label for n in at.number_input]
    assert "Decay iterations N" in labels and "Decay rate" in labels and "Floor (share of η)" not in labels
    assert metric(at, "Learning rate η") == "0"  # the warm-up starts at 0
    click(at, "Step 10")
    assert metric(at, "Learning rate η") == "1"  # iteration 10: warm-up done, no decay yet
    rate = shown(at)["rate"]  # η along the error curve: 0 at 0, the full η from the warm-up on
    assert rate[0] == [0, 0.0] and max(r for _, r in rate) == 1.0
    at.selectbox(key="schedule").set_value("constant").run()  # keeps the network
    assert "Decay rate" not in [n.label for n in at.number_input]
    assert shown(at)["rate"]  # the warm-up
    at.number_input(key="warmup").set_value(0).run()
    assert "rate" not in shown(at)
    assert playground(at).trainer.iteration == 10
