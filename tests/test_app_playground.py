"""One student's playground: settings, transport, stopping rules and what the views are given."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay.app.link import ViewOptions
from nnplay.app.playground import Playground, TruthRows
from nnplay.config import RunConfig

FAST = RunConfig()  # tanh (2, 4, 1), solves XOR in about 110 iterations
STUCK = RunConfig(problem="xor", hidden=(2,), activation="sigmoid", output_activation="sigmoid",
                  init="tutorial", learning_rate=0.2, seed=0, min_error=1e-5, max_iterations=50)
EXPLODING = RunConfig(activation="linear", output_activation="linear", learning_rate=100.0,
                      min_error=0.0)
"""Linear everywhere with a learning rate of 100: every update overshoots further."""

MAX_FRAMES = 10_000


def params(p: Playground) -> np.ndarray:
    return p.trainer.network.parameters.copy()


def play_until_stopped(p: Playground) -> int:
    """Play frame by frame until the playground stops by itself; return the frames it took."""
    p.play()
    for frames in range(1, MAX_FRAMES):
        p.frame()
        if not p.playing:
            return frames
    raise AssertionError("the playground never stopped by itself")


def errors_of(p: Playground) -> np.ndarray:
    _, low, high = p.trainer.history.curve()
    np.testing.assert_array_equal(low, high)  # one point per iteration in short runs
    return high


# -- settings ------------------------------------------------------------------------------


def test_a_new_playground_starts_at_iteration_0_with_the_configs_weights():
    p = Playground(FAST)
    assert p.trainer.iteration == 0
    np.testing.assert_array_equal(params(p), FAST.network().parameters)
    assert p.stop_reason is None and p.status() is None and not p.playing
    assert p.shape == (2, 4, 1)


def test_a_new_learning_rate_keeps_the_weights_and_the_iteration():
    p = Playground(FAST)
    p.step(10)
    before = params(p)
    p.apply(FAST.replace(learning_rate=0.5))
    assert p.trainer.iteration == 10
    np.testing.assert_array_equal(params(p), before)
    assert p.trainer.settings.learning_rate == 0.5
    assert p.config.learning_rate == 0.5
    assert p.notice and p.status().kind == "info"


def test_a_new_learning_rate_is_the_one_training_then_uses():
    p = Playground(FAST)
    p.step(10)
    p.apply(FAST.replace(learning_rate=0.5))
    p.step(5)
    oracle = FAST.trainer()
    oracle.step(10)
    oracle.configure(learning_rate=0.5)
    oracle.step(5)
    np.testing.assert_array_equal(params(p), oracle.network.parameters)
    unchanged = FAST.trainer()
    unchanged.step(15)
    assert not np.array_equal(params(p), unchanged.network.parameters)


@pytest.mark.parametrize("change", [
    {"hidden": (3,)}, {"hidden": (4, 2)}, {"seed": 2}, {"activation": "sigmoid"},
    {"output_activation": "tanh"}, {"init": "tutorial"}, {"problem": "and"},
])
def test_a_new_architecture_starts_again_with_a_notice(change):
    p = Playground(FAST)
    p.step(20)
    p.play()
    new = FAST.replace(**change)
    p.apply(new)
    assert p.trainer.iteration == 0
    assert p.trainer.history.curve()[0].size == 0
    np.testing.assert_array_equal(params(p), new.network().parameters)
    assert not p.playing
    assert p.notice and p.status().kind == "info"
    assert p.config == new


def test_the_same_config_changes_nothing():
    p = Playground(FAST)
    p.step(7)
    p.apply(FAST.replace(learning_rate=0.4))  # sets a notice
    notice, before = p.notice, params(p)
    p.apply(FAST.replace(learning_rate=0.4))
    assert p.trainer.iteration == 7 and p.notice == notice
    np.testing.assert_array_equal(params(p), before)


def test_a_new_view_only_changes_the_view():
    p = Playground(FAST)
    p.step(3)
    view = ViewOptions(speed="max", log_scale=True, discrete=True)
    p.apply(FAST, view)
    assert p.view == view and p.trainer.iteration == 3


def test_lowering_the_maximum_below_the_iteration_while_playing_stops_cleanly():
    p = Playground(FAST.replace(min_error=0.0, max_iterations=1000), ViewOptions(speed="5"))
    p.step(20)
    p.play()
    assert p.playing
    p.apply(p.config.replace(max_iterations=10))
    assert not p.playing and p.stop_reason == "max_iterations"
    assert p.frame() == 0
    assert p.trainer.iteration == 20 and p.status().kind == "warning"


def test_raising_the_minimum_error_above_the_error_while_playing_stops_as_solved():
    p = Playground(FAST, ViewOptions(speed="5"))
    p.step(5)
    p.play()
    p.apply(FAST.replace(min_error=100.0))
    assert not p.playing and p.stop_reason == "solved"
    assert p.frame() == 0 and p.trainer.iteration == 5


def test_raising_the_maximum_after_it_stopped_lets_it_play_on():
    p = Playground(STUCK, ViewOptions(speed="20"))
    play_until_stopped(p)
    assert p.stop_reason == "max_iterations"
    p.apply(STUCK.replace(max_iterations=80))
    assert p.stop_reason is None
    play_until_stopped(p)
    assert p.trainer.iteration == 80 and p.stop_reason == "max_iterations"


# -- transport ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 7, 33])
def test_step_advances_exactly_n(n):
    p = Playground(FAST)
    p.step(n)
    assert p.trainer.iteration == n
    assert len(errors_of(p)) == n
    p.step(n)
    assert p.trainer.iteration == 2 * n


def test_step_runs_past_the_stopping_rules_then_says_why_it_would_stop():
    p = Playground(STUCK)
    p.step(60)
    assert p.trainer.iteration == 60
    assert p.stop_reason == "max_iterations" and not p.playing
    p.play()
    assert not p.playing


def test_step_pauses_and_clears_the_notice():
    p = Playground(FAST)
    p.apply(FAST.replace(hidden=(3,)))
    p.play()
    p.step(1)
    assert not p.playing and p.notice is None


def test_reset_returns_to_iteration_0_with_identical_initial_weights():
    p = Playground(FAST)
    initial = params(p)
    p.step(40)
    assert not np.array_equal(params(p), initial)
    p.reset()
    assert p.trainer.iteration == 0 and p.trainer.last_error is None
    assert p.trainer.history.curve()[0].size == 0
    np.testing.assert_array_equal(params(p).view(np.uint64), initial.view(np.uint64))
    assert p.stop_reason is None and not p.playing


def test_reset_then_the_same_run_again():
    p = Playground(FAST)
    p.step(30)
    first = errors_of(p)
    p.reset()
    p.step(30)
    np.testing.assert_array_equal(errors_of(p), first)


def test_frame_does_nothing_unless_playing():
    p = Playground(FAST)
    assert p.frame() == 0 and p.trainer.iteration == 0
    p.play()
    p.pause()
    assert p.frame() == 0 and p.trainer.iteration == 0


@pytest.mark.parametrize("speed, per_frame", [("1", 1), ("2", 2), ("5", 5), ("20", 20),
                                              ("100", 100)])
def test_each_frame_runs_the_speeds_iterations(speed, per_frame):
    p = Playground(STUCK.replace(max_iterations=10_000), ViewOptions(speed=speed))
    p.play()
    assert p.frame() == per_frame
    assert p.frame() == per_frame
    assert p.trainer.iteration == 2 * per_frame and p.playing


def test_play_stops_by_itself_at_the_minimum_error():
    p = Playground(FAST, ViewOptions(speed="20"))
    play_until_stopped(p)
    assert p.stop_reason == "solved"
    status = p.status()
    assert status.kind == "success"
    assert str(p.trainer.iteration) in status.message
    errors = errors_of(p)
    # stopped at the first iteration whose error reached the minimum, not a frame later
    assert errors[-1] <= FAST.min_error
    assert (errors[:-1] > FAST.min_error).all()
    assert p.trainer.last_error == errors[-1]


def test_a_solved_run_does_not_play_on():
    p = Playground(FAST, ViewOptions(speed="100"))
    play_until_stopped(p)
    iteration, before = p.trainer.iteration, params(p)
    p.play()
    assert not p.playing
    assert p.frame() == 0
    assert p.trainer.iteration == iteration
    np.testing.assert_array_equal(params(p), before)


def test_play_stops_by_itself_at_the_maximum_of_iterations():
    p = Playground(STUCK, ViewOptions(speed="20"))  # 20 does not divide 50
    frames = play_until_stopped(p)
    assert frames == 3
    assert p.trainer.iteration == 50  # not 60: the last frame is cut short
    assert p.stop_reason == "max_iterations"
    assert p.status().kind == "warning" and "50" in p.status().message
    assert p.frame() == 0 and p.trainer.iteration == 50


def test_divergence_stops_with_an_error_and_keeps_finite_weights():
    p = Playground(EXPLODING, ViewOptions(speed="5"))
    play_until_stopped(p)
    assert p.stop_reason == "diverged"
    status = p.status()
    assert status.kind == "error"
    assert "learning rate" in status.message.lower()
    assert np.isfinite(p.trainer.network.parameters).all()
    assert np.isfinite(p.trainer.last_error)
    assert np.isfinite(errors_of(p)).all()
    assert np.isfinite(p.bound) and p.bound >= np.abs(p.trainer.network.parameters).max()
    iteration, before = p.trainer.iteration, params(p)
    p.play()
    assert not p.playing
    assert p.frame() == 0
    assert p.trainer.iteration == iteration
    np.testing.assert_array_equal(params(p), before)


def test_divergence_at_speed_max_also_stops():
    p = Playground(EXPLODING, ViewOptions(speed="max"))
    play_until_stopped(p)
    assert p.stop_reason == "diverged" and np.isfinite(p.trainer.network.parameters).all()


def test_after_a_divergence_a_smaller_learning_rate_carries_on():
    p = Playground(EXPLODING, ViewOptions(speed="5"))
    play_until_stopped(p)
    iteration = p.trainer.iteration
    # the kept state is the last finite one, already huge: only a tiny rate steps it safely
    p.apply(EXPLODING.replace(learning_rate=1e-60))
    assert p.stop_reason is None and p.status().kind == "info"
    p.play()
    assert p.frame() == 5
    assert p.trainer.iteration == iteration + 5 and p.stop_reason is None


def test_the_views_of_a_diverged_run_are_finite():
    p = Playground(EXPLODING, ViewOptions(speed="5"))
    play_until_stopped(p)
    xs, ys, Z = p.surface()
    assert np.isfinite(Z).all()
    maps, ranges = p.node_maps()
    assert all(np.isfinite(m).all() for m in maps)
    assert all(np.isfinite(r).all() for r in ranges)


def test_speed_max_runs_many_iterations_in_one_frame():
    p = Playground(STUCK.replace(max_iterations=1_000_000, min_error=0.0),
                   ViewOptions(speed="max"))
    p.play()
    done = p.frame()
    assert done > 1
    assert p.trainer.iteration == done and p.playing


def test_speed_max_stops_exactly_at_the_maximum():
    p = Playground(STUCK.replace(max_iterations=37, min_error=0.0), ViewOptions(speed="max"))
    play_until_stopped(p)
    assert p.trainer.iteration == 37 and p.stop_reason == "max_iterations"


def test_speed_max_stops_at_the_minimum_error():
    p = Playground(FAST, ViewOptions(speed="max"))
    play_until_stopped(p)
    errors = errors_of(p)
    assert p.stop_reason == "solved"
    assert errors[-1] <= FAST.min_error and (errors[:-1] > FAST.min_error).all()


def test_the_colour_bound_covers_the_weights_and_never_shrinks():
    p = Playground(FAST.replace(min_error=0.0), ViewOptions(speed="20"))
    p.play()
    bounds = []
    for _ in range(10):
        p.frame()
        bounds.append(p.bound)
        assert p.bound >= np.abs(p.trainer.network.parameters).max()
    assert bounds == sorted(bounds)


# -- what the views show ------------------------------------------------------------------------


def truth_table_numbers(rows: TruthRows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.array([[float(v) for v in s.split()] for s in rows.inputs])
    outputs = np.array([[float(v) for v in s.split(",")] for s in rows.outputs])
    targets = np.array([[float(v) for v in s.split(",")] for s in rows.targets])
    return X, outputs, targets


@pytest.mark.parametrize("iterations", [0, 3, 200])
def test_truth_table_lists_every_example_with_its_output_and_whether_it_is_right(iterations):
    p = Playground(FAST.replace(min_error=0.0))
    if iterations:
        p.step(iterations)
    rows = p.truth_rows()
    assert len(rows.inputs) == len(rows.outputs) == len(rows.targets) == len(rows.right) == 4
    X, outputs, targets = truth_table_numbers(rows)
    np.testing.assert_array_equal(X, p.trainer.X)
    np.testing.assert_array_equal(targets, p.trainer.y)
    np.testing.assert_allclose(outputs, p.trainer.network.predict(p.trainer.X), atol=5e-5)
    right = np.abs(p.trainer.network.predict(p.trainer.X) - p.trainer.y)[:, 0] < 0.5
    marks = rows.marks()
    assert all(("right" in m) != ("wrong" in m) for m in marks)
    assert ["right" in m for m in marks] == right.tolist() == rows.right
    assert p.solved_rows() == right.sum()


def test_truth_table_before_and_after_learning():
    p = Playground(STUCK.replace(seed=15, max_iterations=100_000, min_error=0.01))
    assert p.solved_rows() < 4  # near 0.5 everywhere: XOR is not yet learned
    p.step(20_000)
    assert p.solved_rows() == 4
    assert all(p.truth_rows().right)


@pytest.mark.parametrize("config", [FAST, FAST.replace(hidden=(3, 2), output_activation="tanh"),
                                    RunConfig(problem="and", hidden=())])
def test_surface_is_the_networks_output_over_the_grid(config):
    p = Playground(config)
    p.step(15)
    xs, ys, Z = p.surface()
    assert Z.shape == (len(ys), len(xs))
    (x_low, x_high), (y_low, y_high) = config.dataset().domain
    assert (xs[0], xs[-1], ys[0], ys[-1]) == (x_low, x_high, y_low, y_high)
    assert np.all(np.diff(xs) > 0) and np.all(np.diff(ys) > 0)
    expected = np.array([[p.trainer.network.predict(np.array([[x, y]]))[0, 0] for x in xs]
                         for y in ys])
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-15)


def test_surface_follows_the_training():
    p = Playground(FAST)
    before = p.surface()[2].copy()
    p.step(50)
    assert not np.allclose(p.surface()[2], before)


@pytest.mark.parametrize("hidden", [(), (4,), (3, 5), (16,) * 6])
def test_node_maps_one_per_node_per_layer(hidden):
    config = FAST.replace(hidden=hidden, activation="relu")
    p = Playground(config)
    p.step(5)
    maps, ranges = p.node_maps()
    shape = config.shape()
    assert len(maps) == len(ranges) == len(shape)
    n = maps[0].shape[1]
    for layer, size in zip(maps, shape):
        assert layer.shape == (size, n, n)
    # the inputs' maps are the grid itself: x1 varies along a row, x2 down a column
    (x_low, x_high), (y_low, y_high) = config.dataset().domain
    xs, ys = np.linspace(x_low, x_high, n), np.linspace(y_low, y_high, n)
    np.testing.assert_allclose(maps[0][0], np.tile(xs, (n, 1)))
    np.testing.assert_allclose(maps[0][1], np.tile(ys[:, None], (1, n)))
    # every later map is that node's output at each grid point
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    outputs = p.trainer.network.layer_outputs(points)
    for layer, O in zip(maps[1:], outputs):
        np.testing.assert_allclose(layer, O.T.reshape(-1, n, n), rtol=1e-12, atol=1e-15)
    for layer, (low, high) in zip(maps, ranges):
        assert low < high
        assert layer.min() >= low - 1e-12 and layer.max() <= high + 1e-12


def test_node_map_ranges_follow_the_activations():
    maps, ranges = Playground(FAST.replace(hidden=(3,), activation="sigmoid")).node_maps()
    assert ranges[1] == (0.0, 1.0) and ranges[-1] == (0.0, 1.0)
    maps, ranges = Playground(FAST.replace(hidden=(3,), activation="tanh",
                                           output_activation="tanh")).node_maps()
    assert ranges[1] == (-1.0, 1.0) and ranges[-1] == (-1.0, 1.0)
    maps, ranges = Playground(FAST.replace(hidden=(3, 2, 2), activation=(
        "sigmoid", "tanh", "relu"))).node_maps()
    assert ranges[1:3] == [(0.0, 1.0), (-1.0, 1.0)]
    assert ranges[3] == (-np.abs(maps[3]).max(), np.abs(maps[3]).max())  # relu: its own values


def test_dropout_never_reaches_the_views():
    """The node maps and the surface are the network with every node on, dropout or not: a
    forward pass written out here, without masks."""
    p = Playground(FAST.replace(hidden=(6,), dropout=0.5))
    p.trainer.step(20)
    maps, _ = p.node_maps()
    W1, W2 = p.trainer.network.weights
    _, _, points = p.grid(maps[1].shape[-1])
    hidden = np.tanh(W1[:, :-1] @ points.T + W1[:, -1:])
    output = 1 / (1 + np.exp(-(W2[:, :-1] @ hidden + W2[:, -1:])))
    np.testing.assert_allclose(maps[1].reshape(6, -1), hidden, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(maps[2].reshape(1, -1), output, rtol=1e-12, atol=1e-15)
    xs, ys, surface = p.surface()
    _, _, points = p.grid(len(xs))
    hidden = np.tanh(W1[:, :-1] @ points.T + W1[:, -1:])
    np.testing.assert_allclose(surface.reshape(-1), 1 / (1 + np.exp(-(W2[:, :-1] @ hidden
                                                                       + W2[:, -1:])))[0],
                               rtol=1e-12)


def test_output_range_is_the_output_activations():
    assert Playground(FAST).output_range() == (0.0, 1.0)
    assert Playground(FAST.replace(output_activation="tanh")).output_range() == (-1.0, 1.0)
    low, high = Playground(FAST.replace(output_activation="linear")).output_range()
    assert low <= 0.0 and high >= 1.0  # an unbounded output: at least the targets' range


# -- one student's run is theirs alone -----------------------------------------------------------


def test_two_playgrounds_never_share_arrays():
    config = FAST.replace(optimizer="momentum", learning_rate=0.5)
    a, b = Playground(config), Playground(config)
    arrays_a = [a.trainer.network.parameters, a.trainer.X, a.trainer.y,
                *a.trainer.optimizer_state.values(), *a.grid(8)]
    arrays_b = [b.trainer.network.parameters, b.trainer.X, b.trainer.y,
                *b.trainer.optimizer_state.values(), *b.grid(8)]
    for x in arrays_a:
        for y in arrays_b:
            assert not np.shares_memory(x, y)
    initial = params(b)
    a.step(25)
    np.testing.assert_array_equal(params(b), initial)
    assert b.trainer.iteration == 0 and b.trainer.history.curve()[0].size == 0
    a.reset()
    b.step(3)
    np.testing.assert_array_equal(params(a), initial)


def test_a_playground_does_not_change_the_defaults_or_the_next_one():
    a = Playground()
    a.step(30)
    a.apply(a.config.replace(learning_rate=0.1))
    b = Playground()
    assert b.config == RunConfig() and b.trainer.iteration == 0
    np.testing.assert_array_equal(params(b), RunConfig().network().parameters)


# -- loading a run -----------------------------------------------------------------------------


def test_load_continues_a_run_paused_with_a_notice():
    p = Playground(FAST)
    p.play()
    trainer = STUCK.replace(max_iterations=1000).trainer()
    trainer.step(12)
    view = ViewOptions(speed="20")
    p.load(STUCK.replace(max_iterations=1000), trainer, view)
    assert p.trainer is trainer and p.trainer.iteration == 12
    assert p.view == view and not p.playing
    assert "12" in p.status().message and p.status().kind == "info"
    p.play()
    assert p.frame() == 20 and p.trainer.iteration == 32


# -- the error chart's data --------------------------------------------------------------------


def test_error_curve_starts_with_the_starting_error():
    p = Playground(FAST)
    iterations, low, high = p.error_curve()
    first = FAST.trainer().step(1)  # the error of the first forward pass: the initial weights'
    assert list(iterations) == [0]
    assert list(low) == list(high) == [first]


def test_error_curve_is_the_history_once_training_has_begun():
    p = Playground(FAST)
    p.step(12)
    for ours, theirs in zip(p.error_curve(), p.trainer.history.curve()):
        np.testing.assert_array_equal(ours, theirs)
    assert p.error_curve()[0].size == 12


@pytest.mark.parametrize("problem, loss, out", [("set:circle", "sse", "sigmoid"),
                                                ("set:circle", "cross_entropy", "sigmoid"),
                                                ("set:three_gaussians", "cross_entropy", "softmax"),
                                                ("set:plane", "mse", "linear")])
def test_the_test_error_is_the_loss_on_the_held_out_examples(problem, loss, out):
    from nnplay import Trainer

    p = Playground(RunConfig(problem=problem, loss=loss, output_activation=out,
                             learning_rate=0.01, test_fraction=0.5))
    p.step(30)
    on_test = Trainer(p.trainer.network, p.config.inputs(p.test.X), p.test.y, loss=loss)
    assert p.test_error() == pytest.approx(on_test.error(), rel=1e-12)


def test_the_test_error_asked_again_follows_weights_changed_in_place():
    from nnplay import Trainer

    p = Playground(RunConfig(problem="set:circle", learning_rate=0.01, test_fraction=0.5))
    p.step(5)
    first = p.test_error()
    assert p.test_error() == first  # asked twice in a frame: the same number
    p.trainer.network.parameters[0] += 0.5  # an edit that leaves the iteration where it is
    on_test = Trainer(p.trainer.network, p.config.inputs(p.test.X), p.test.y, loss=p.config.loss)
    assert p.test_error() != first
    assert p.test_error() == pytest.approx(on_test.error(), rel=1e-12)


def test_the_test_error_asked_again_follows_a_neuron_switched_off():
    p = Playground(RunConfig(problem="set:circle", hidden=(4,), learning_rate=0.01, test_fraction=0.5))
    p.step(5)
    first = p.test_error()
    p.trainer.network.switch_off([(0, 1)])  # the weights' bytes stay; the output does not
    assert p.test_error() != first
