"""Early stopping on the test error: the run stops once the test error has not improved for
``patience`` iterations and goes back to the best weights, exactly as they were."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay.activations import ACTIVATIONS
from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.losses import LOSSES

# Few noisy points and a large network at a high rate: the test error falls, then rises.
OVERFITS = RunConfig(problem="set:circle", n_points=40, noise=0.5, test_fraction=0.5,
                     hidden=(12, 12), activation="relu", init="he", optimizer="adam",
                     learning_rate=0.05, min_error=0.0, max_iterations=3000, patience=60)


def measured_test_errors(config: RunConfig, n: int) -> list[float]:
    """The test error before each of ``n`` iterations, measured on a trainer of its own."""
    trainer = config.replace(patience=0).trainer()
    test = config.split()[1]
    errors = []
    for _ in range(n):
        network = trainer.network
        ws = network.forward_pass(config.inputs(test.X))
        errors.append(float(LOSSES[config.loss].evaluate(
            ws.layer_inputs[-1], ws.activations[-1], test.y.T,
            ACTIVATIONS[network.output_activation])[0]))
        trainer.step()
    return errors


def test_it_stops_where_the_test_error_stopped_improving_and_goes_back_to_the_best_weights():
    trainer = OVERFITS.trainer()
    ran = trainer.run(OVERFITS.max_iterations)
    stop = trainer.early_stop
    assert stop is not None, "the case must overfit"
    errors = measured_test_errors(OVERFITS, stop.iteration + 1)
    best = int(np.argmin(errors))  # the first lowest: a tie is no improvement
    assert stop.best_iteration == best and stop.test_error == pytest.approx(errors[best], rel=1e-12)
    assert stop.iteration == best + OVERFITS.patience
    assert min(errors[best + 1:stop.iteration + 1]) >= errors[best]
    # Exactly the state of a run stepped to the best iteration: weights, slots, history.
    again = OVERFITS.replace(patience=0).trainer()
    again.step(best)
    np.testing.assert_array_equal(trainer.network.parameters, again.network.parameters)
    for key, value in again.optimizer_state.items():
        np.testing.assert_array_equal(trainer.optimizer_state[key], value)
    assert trainer.iteration == best == ran and trainer.last_error == again.last_error
    assert len(trainer.history) == best
    assert f"iteration {stop.iteration:,}" in stop.message and f"iteration {best:,}" in stop.message
    assert trainer.run(100) == 0  # stopped until a setting changes
    trainer.configure(patience=0)
    assert trainer.run(100) == 100


def test_the_page_says_why_and_where_and_step_goes_on():
    p = Playground(OVERFITS)
    p.play()
    while p.playing:
        p.frame()
    stop = p.trainer.early_stop
    assert p.stop_reason == "early" and p.status().message == stop.message
    assert p.trainer.iteration == stop.best_iteration
    assert max(p.test_curve[0]) <= stop.best_iteration  # the test curve went back too
    p.step(5)
    assert p.trainer.iteration == stop.best_iteration + 5 and p.trainer.early_stop is None


def test_the_same_link_stops_at_the_same_iteration_whatever_the_frames():
    by_steps = OVERFITS.trainer()
    while by_steps.early_stop is None and by_steps.iteration < OVERFITS.max_iterations:
        by_steps.step(7)
    at_once = OVERFITS.trainer()
    at_once.run(OVERFITS.max_iterations)
    assert by_steps.early_stop == at_once.early_stop
    np.testing.assert_array_equal(by_steps.network.parameters, at_once.network.parameters)


def test_without_a_test_set_patience_does_nothing():
    trainer = OVERFITS.replace(test_fraction=0.0).trainer()
    trainer.run(500)
    assert trainer.early_stop is None and trainer.iteration == 500
