"""Many seeds at once equal each seed trained alone, bit for bit; the fast preset solves XOR."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay import ACTIVATIONS, LOSSES, OPTIMIZERS, Network, Trainer, TrainerSettings, datasets
from nnplay.backprop import Layout
from nnplay.batched import train_seeds
from nnplay.config import RunConfig
from nnplay.network import initial_parameters
from nnplay.presets import PRESETS
from nnplay.training import Descent

XOR = datasets.gate("xor")

RATES = {"sgd": 2.0, "momentum": 0.5, "nesterov": 0.5, "rmsprop": 0.02, "adagrad": 0.3, "adam": 0.05}
MIN_ERRORS = {"sse": 0.05, "mse": 0.01, "cross_entropy": 0.1}
# Every update rule with every loss, stopped at min_error part way: seeds solve at different
# iterations (and a few not at all).
CASES = {
    f"{optimizer}-{loss}": dict(shape=(2, 4, 1), activation="tanh", init="xavier",
                                optimizer=optimizer, loss=loss, learning_rate=RATES[optimizer],
                                max_iterations=300, min_error=MIN_ERRORS[loss])
    for optimizer in OPTIMIZERS for loss in LOSSES
}
CASES |= {
    "tutorial-min-error": dict(shape=(2, 2, 1), max_iterations=1000, min_error=0.1,
                               learning_rate=3.0),
    "schedule-step-warmup": dict(shape=(2, 3, 1), activation="tanh", init="xavier",
                                 learning_rate=2.0, schedule="step", decay_steps=30,
                                 decay_rate=0.5, warmup=10, max_iterations=300, min_error=0.05),
    "schedule-cosine-momentum": dict(shape=(2, 4, 1), activation="tanh", init="xavier",
                                     optimizer="momentum", learning_rate=0.5, schedule="cosine",
                                     decay_steps=200, decay_floor=0.1, max_iterations=300,
                                     min_error=0.05),
    # Mini-batches: every seed draws the same shuffled batches, as each Trainer alone does.
    "mini-batches-circle": dict(shape=(2, 4, 1), activation="tanh", init="xavier",
                                learning_rate=0.3, batch_size=7, max_iterations=200,
                                min_error=3.0, X=datasets.points("circle", 40, seed=3).X,
                                y=datasets.points("circle", 40, seed=3).y),
    "mini-batches-adam-l2": dict(shape=(2, 3, 1), activation="relu", init="he",
                                 optimizer="adam", learning_rate=0.05, batch_size=3,
                                 regularization="l2", regularization_rate=0.01,
                                 max_iterations=150, min_error=0.3),
    "l1": dict(shape=(2, 3, 1), activation="tanh", init="xavier", learning_rate=1.0,
               regularization="l1", regularization_rate=0.01, max_iterations=300, min_error=0.05),
    "adam-cross-entropy-l1": dict(shape=(2, 4, 3, 1), activation="leaky_relu", init="he",
                                  loss="cross_entropy", optimizer="adam", learning_rate=0.05,
                                  max_iterations=300, min_error=0.05, regularization="l1",
                                  regularization_rate=0.001),
    "l2-sigmoid": dict(shape=(2, 3, 1), init="uniform", learning_rate=1.0, max_iterations=300,
                       regularization="l2", regularization_rate=0.01),
    "l2-momentum-mse": dict(shape=(2, 3, 1), activation="tanh", output_activation="linear",
                            init="xavier", loss="mse", optimizer="momentum", learning_rate=0.2,
                            regularization="l2", regularization_rate=0.01, max_iterations=300,
                            min_error=0.15),
    # A diverging learning rate: every error becomes infinite, at different iterations.
    "divergence-error": dict(shape=(2, 2, 1), output_activation="linear", loss="mse",
                             learning_rate=1e5, max_iterations=50),
    # Linear everywhere with mse: some seeds diverge, the others run to the end.
    "divergence-mixed": dict(shape=(2, 4, 1), activation="linear", output_activation="linear",
                             init="he", loss="mse", learning_rate=0.3, max_iterations=300),
    # ReLU with a huge learning rate: every seed diverges, at different iterations.
    "divergence-relu": dict(shape=(2, 4, 1), activation="relu", output_activation="linear",
                            init="he", loss="sse", learning_rate=2.0, max_iterations=300),
    # One huge input: the first update overflows the weights of some seeds (the error is still
    # finite); the others' error becomes infinite one iteration later.
    "divergence-weights": dict(shape=(1, 1), output_activation="linear", loss="sse",
                               learning_rate=1e6, max_iterations=20, X=[[4.2e151]], y=[[0.0]]),
    "mixed-activations": dict(shape=(2, 4, 3, 1), activation=("tanh", "relu"), init="he",
                              learning_rate=0.5, max_iterations=300, min_error=0.05),
    "dropout-adam": dict(shape=(2, 6, 4, 1), activation=("relu", "sigmoid"), init="he",
                         optimizer="adam", learning_rate=0.05, dropout=0.25, max_iterations=300,
                         min_error=0.2),
}
NETWORK_KEYS = ("activation", "output_activation", "init")
SEEDS = list(range(12))


def split(case: str) -> tuple[dict, dict, dict]:
    """A case's network options, data and training options (``shape``, ``max_iterations``...)."""
    options = dict(CASES[case])
    network = {k: options.pop(k) for k in NETWORK_KEYS if k in options}
    data = {"X": options.pop("X", XOR.X), "y": options.pop("y", XOR.y)}
    return network, data, options


def single_run(seed: int, case: str) -> Trainer:
    network, data, options = split(case)
    shape, max_iterations = options.pop("shape"), options.pop("max_iterations")
    min_error = options.pop("min_error", 0.0)
    trainer = Trainer(Network(shape, seed=seed, **network), data["X"], data["y"], **options)
    assert trainer.run(max_iterations, min_error) == trainer.iteration
    return trainer


def batch_run(case: str, seeds=SEEDS):
    network, data, options = split(case)
    return train_seeds(options.pop("shape"), seeds, data["X"], data["y"], **network, **options)


@pytest.mark.parametrize("case", CASES)
def test_each_seed_equals_its_single_run_bit_for_bit(case):
    result = batch_run(case)
    np.testing.assert_array_equal(result.seeds, SEEDS)
    min_error = CASES[case].get("min_error", 0.0)
    for i, seed in enumerate(SEEDS):
        trainer = single_run(seed, case)
        assert result.iterations[i] == trainer.iteration
        assert result.diverged[i] == (trainer.divergence is not None)
        assert result.solved[i] == (trainer.divergence is None and trainer.last_error <= min_error)
        if trainer.last_error is None:
            assert np.isnan(result.final_error[i])
        else:
            assert result.final_error[i] == trainer.last_error
        np.testing.assert_array_equal(result.parameters[i], trainer.network.parameters)
        assert np.isfinite(result.parameters[i]).all()


def test_the_cases_cover_stopping_and_divergence():
    """The comparisons above mean something only if these situations really occur."""
    results = {case: batch_run(case) for case in CASES}
    for case in ("divergence-error", "divergence-relu"):
        assert results[case].diverged.all(), case
        assert len(set(results[case].iterations.tolist())) > 1, case
    mixed = results["divergence-mixed"]
    assert 0 < mixed.diverged.sum() < len(SEEDS)
    assert mixed.iterations.max() == CASES["divergence-mixed"]["max_iterations"]
    for optimizer in OPTIMIZERS:
        for loss in LOSSES:
            result = results[f"{optimizer}-{loss}"]
            assert result.solved.sum() >= len(SEEDS) // 2, (optimizer, loss)
            assert len(set(result.iterations[result.solved].tolist())) > 1, (optimizer, loss)
    assert 0 < results["tutorial-min-error"].solved.sum() < len(SEEDS)
    assert 0 < results["l1"].solved.sum() < len(SEEDS)
    assert results["mixed-activations"].solved.sum() >= len(SEEDS) // 2
    assert 0 < results["dropout-adam"].solved.sum()
    causes = {"overflow" in single_run(seed, "divergence-weights").divergence.message
              for seed in SEEDS}
    assert causes == {True, False}, "both ways of diverging occur"


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


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_the_loop_runs_mini_batches_for_many_networks_as_for_one(dropout):
    """``train_seeds`` keeps to full batches, but the loop it shares with ``Trainer`` has no such
    limit; with dropout, each network's masks come from its own seed, as for one."""
    points = datasets.points("circle", n_points=30, seed=0)
    settings = TrainerSettings(batch_size=7, shuffle_seed=3, learning_rate=1.0, optimizer="momentum",
                               loss="mse", dropout=dropout)
    shape = (2, 4, 1)
    params = np.stack([initial_parameters(shape, "xavier", seed) for seed in SEEDS])
    many = Descent(Layout(shape), params, points.X, points.y, settings, (ACTIVATIONS["tanh"],),
                   ACTIVATIONS["sigmoid"], np.asarray(SEEDS))
    many.train(100, 0.1)
    assert 0 < many.solved.sum() < len(SEEDS)
    for i, seed in enumerate(SEEDS):
        trainer = Trainer(Network(shape, activation="tanh", init="xavier", seed=seed), points.X,
                          points.y, **settings.to_dict())
        trainer.run(100, 0.1)
        assert many.iterations[i] == trainer.iteration
        assert many.last_errors[i] == trainer.last_error
        np.testing.assert_array_equal(many.params[i], trainer.network.parameters)


def test_a_network_whose_first_error_is_nan_does_not_keep_the_others_from_solving():
    """A network diverging at its very first iteration (nothing to go back to) keeps a NaN
    error; the others in its batch must still stop where they solve, as they do alone."""
    xor = datasets.gate("xor")
    settings = TrainerSettings(learning_rate=2.0)
    shape = (2, 3, 1)
    good = [initial_parameters(shape, "xavier", seed) for seed in (1, 9)]  # solve alone
    bad = np.ones_like(good[0])
    bad[:9] = 1e308  # every hidden input overflows to inf: relu(inf) = inf, then inf - inf = NaN
    bad[9:] = [1.0, -1.0, 0.0, 0.0]
    many = Descent(Layout(shape), np.stack([*good, bad]), xor.X, xor.y, settings,
                   (ACTIVATIONS["relu"],), ACTIVATIONS["sigmoid"], np.arange(3))
    many.train(3000, 0.05)
    assert np.isnan(many.last_errors[2]) and not many.solved[2]
    for i, params in enumerate(good):
        alone = Descent(Layout(shape), params[None].copy(), xor.X, xor.y, settings,
                        (ACTIVATIONS["relu"],), ACTIVATIONS["sigmoid"], np.arange(1))
        alone.train(3000, 0.05)
        assert alone.solved[0] and many.solved[i]
        assert many.iterations[i] == alone.iterations[0] < 3000
