"""Many seeds at once equal the same seeds trained one by one, and the fast preset solves XOR."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay import Network, Trainer, datasets
from nnplay.batched import train_seeds
from nnplay.config import RunConfig
from nnplay.presets import PRESETS

XOR = datasets.gate("xor")

CASES = {
    "tutorial-min-error": dict(shape=(2, 2, 1), max_iterations=1000, min_error=0.1,
                               learning_rate=3.0),
    "fast-preset": dict(shape=(2, 4, 1), activation="tanh", init="xavier", learning_rate=2.0,
                        max_iterations=300, min_error=0.01),
    # Linear everywhere with mse: some seeds overflow, the others do not.
    "divergence-mixed": dict(shape=(2, 4, 1), activation="linear", output_activation="linear",
                             init="he", loss="mse", learning_rate=0.3, max_iterations=300),
    # ReLU with a huge learning rate: every seed overflows, at different iterations.
    "divergence-relu": dict(shape=(2, 4, 1), activation="relu", output_activation="linear",
                            init="he", loss="sse", learning_rate=2.0, max_iterations=300),
    "momentum": dict(shape=(2, 4, 1), activation="tanh", init="xavier", optimizer="momentum",
                     learning_rate=0.5, max_iterations=300, min_error=0.01),
    "adam-cross-entropy-l1": dict(shape=(2, 4, 3, 1), activation="leaky_relu", init="he",
                                  loss="cross_entropy", optimizer="adam", learning_rate=0.05,
                                  max_iterations=300, min_error=0.05, regularization="l1",
                                  regularization_rate=0.001),
    "l2-sigmoid": dict(shape=(2, 3, 1), init="uniform", learning_rate=1.0, max_iterations=300,
                       regularization="l2", regularization_rate=0.01),
}
NETWORK_KEYS = ("activation", "output_activation", "init")
SEEDS = list(range(12))


def single_run(seed: int, shape, max_iterations, min_error=0.0, **options):
    net_args = {k: options.pop(k) for k in NETWORK_KEYS if k in options}
    trainer = Trainer(Network(shape, seed=seed, **net_args), XOR.X, XOR.y, **options)
    ran = trainer.run(max_iterations, min_error)
    return ran, trainer


@pytest.mark.parametrize("case", CASES)
def test_each_seed_equals_its_single_run(case):
    options = dict(CASES[case])
    result = train_seeds(options.pop("shape"), SEEDS, XOR.X, XOR.y, **options)
    shape = CASES[case]["shape"]
    np.testing.assert_array_equal(result.seeds, SEEDS)
    for i, seed in enumerate(SEEDS):
        ran, trainer = single_run(seed, shape, **{k: v for k, v in CASES[case].items() if k != "shape"})
        assert result.iterations[i] == ran == trainer.iteration
        assert result.diverged[i] == (trainer.divergence is not None)
        min_error = CASES[case].get("min_error", 0.0)
        assert result.solved[i] == (trainer.divergence is None and trainer.last_error <= min_error)
        if trainer.last_error is None:
            assert np.isnan(result.final_error[i])
        else:
            assert result.final_error[i] == pytest.approx(trainer.last_error, rel=1e-12, abs=1e-300)
        np.testing.assert_allclose(result.parameters[i], trainer.network.parameters,
                                   rtol=1e-12, atol=1e-12)
        assert np.isfinite(result.parameters[i]).all()


def test_the_cases_cover_stopping_and_divergence():
    """The comparisons above mean something only if these situations really occur."""
    mixed = dict(CASES["divergence-mixed"])
    result = train_seeds(mixed.pop("shape"), SEEDS, XOR.X, XOR.y, **mixed)
    assert 0 < result.diverged.sum() < len(SEEDS)
    relu = dict(CASES["divergence-relu"])
    result = train_seeds(relu.pop("shape"), SEEDS, XOR.X, XOR.y, **relu)
    assert result.diverged.all() and len(set(result.iterations.tolist())) > 1
    fast = dict(CASES["fast-preset"])
    result = train_seeds(fast.pop("shape"), SEEDS, XOR.X, XOR.y, **fast)
    assert result.solved.all() and len(set(result.iterations.tolist())) > 1
    slow = dict(CASES["tutorial-min-error"])
    result = train_seeds(slow.pop("shape"), SEEDS, XOR.X, XOR.y, **slow)
    assert 0 < result.solved.sum() < len(SEEDS)


def test_curves_sample_each_seeds_errors_and_stop_with_it():
    net_trainer = Trainer(Network((2, 3, 1), seed=5), XOR.X, XOR.y, learning_rate=2.0)
    net_trainer.run(100)
    result = train_seeds((2, 3, 1), [5], XOR.X, XOR.y, learning_rate=2.0, max_iterations=100,
                         curve_points=20)
    np.testing.assert_array_equal(result.curve_iterations, np.arange(0, 100, 5))
    np.testing.assert_allclose(result.curves[0], net_trainer.history.curve()[1][::5], rtol=1e-12)
    stopped = train_seeds((2, 4, 1), [0, 1], XOR.X, XOR.y, activation="tanh", init="xavier",
                          learning_rate=2.0, min_error=0.01, max_iterations=1000, curve_points=1000)
    for i, ran in enumerate(stopped.iterations):
        assert np.isfinite(stopped.curves[i, :ran]).all()
        assert np.isnan(stopped.curves[i, ran:]).all()


def test_progress_is_reported_up_to_the_total():
    calls = []
    train_seeds((2, 2, 1), [0, 1], XOR.X, XOR.y, max_iterations=200,
                progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (200, 200)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_the_fast_preset_solves_xor_from_99_percent_of_200_seeds():
    config = RunConfig()
    assert PRESETS["fast"].config == config
    result = train_seeds(config.shape(), range(200), XOR.X, XOR.y, activation=config.activation,
                         output_activation=config.output_activation, init=config.init,
                         max_iterations=300, min_error=0.01, **config.training_settings())
    assert config.min_error == 0.01
    assert result.solved_fraction >= 0.99
    assert (result.final_error[result.solved] < 0.01).all()
    assert not result.diverged.any()
    assert (result.iterations[result.solved] <= 300).all()
