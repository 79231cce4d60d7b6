"""The page with 2-D point sets: data controls, features, test set, classes, regression, CSV."""

from __future__ import annotations

import numpy as np
import pytest
from test_page import (
    LAB_TABS,
    button,
    click,
    iteration,
    live_table,
    metric,
    new_app,
    playground,
    said,
    scene,
    shown,
    texts,
    weights,
)

from nnplay.app import runfile
from nnplay.app.csvdata import sample_csv
from nnplay.app.link import ViewOptions, to_query
from nnplay.config import RunConfig


def choose(at, problem: str):
    at.selectbox(key="problem").set_value(problem).run()
    assert not at.exception, at.exception
    return at


def test_a_point_set_gets_a_test_set_scores_and_a_confusion_matrix():
    at = choose(new_app(), "set:circle")
    config = playground(at).config
    assert config.problem == "set:circle" and config.test_fraction == 0.5
    assert playground(at).train.n_examples == playground(at).test.n_examples == 100
    assert metric(at, "Test error") != "–"
    assert metric(at, "Test accuracy").endswith("%")
    confusion = live_table(at)
    assert list(confusion.columns) == ["says 0", "says 1"] and confusion.astype(int).values.sum() == 100
    assert "learn the circle points" in texts(at.markdown)
    assert shown(at)["test"]["points"]  # the test error's curve
    assert len(scene(at)["points"]) == len(scene(at)["test_points"]) == 100  # test: white


def test_a_hand_written_point_set_link_opens_as_choosing_it_would():
    linked = new_app({"data": "circle"})
    chosen = choose(new_app(), "set:circle")
    assert playground(linked).config == playground(chosen).config  # rate 0.01, half for testing
    assert not linked.warning
    assert linked.session_state.learning_rate == chosen.session_state.learning_rate == 0.01


def test_data_controls_regenerate_the_points_and_restart():
    at = choose(new_app(), "set:spiral")
    click(at, "Step 10")
    first = playground(at).train.X.copy()
    at.slider(key="n_points").set_value(300).run()
    assert playground(at).train.n_examples + playground(at).test.n_examples == 300
    assert iteration(at) == 0
    at.slider(key="noise").set_value(0.2).run()
    assert playground(at).config.noise == 0.2
    button(at, "Regenerate").click().run()
    assert playground(at).config.data_seed == at.session_state.data_seed
    assert not np.array_equal(playground(at).train.X[:5], first[:5])
    at.slider(key="test_fraction").set_value(0.2).run()
    assert playground(at).test.n_examples == 60


def test_features_grow_the_input_layer_and_label_the_weights():
    at = choose(new_app(), "set:spiral")
    at.multiselect(key="features").set_value(["x1", "x2", "sin_x1", "sin_x2"]).run()
    assert playground(at).shape[0] == 4
    assert scene(at)["labels"][0] == ["x1", "x2", "sin(x1)", "sin(x2)"]  # W1's columns, then bias
    click(at, "Step 10")
    assert iteration(at) == 10


def test_three_classes_get_a_softmax_and_a_class_map():
    at = choose(new_app(), "set:three_gaussians")
    config = playground(at).config
    assert (config.output_activation, config.loss) == ("softmax", "cross_entropy")
    assert playground(at).shape[-1] == 3
    assert scene(at)["kind"] == "multiclass" and len(scene(at)["classes"]) == 3
    assert {int(t) for *_, t in scene(at)["points"]} == {0, 1, 2}  # a colour per class
    assert live_table(at).shape == (3, 3)
    click(at, "Step 10")
    assert not at.exception


def test_regression_shows_the_fit():
    at = choose(new_app(), "set:plane")
    assert playground(at).config.output_activation == "linear"
    assert "R²" in metric(at, "Test R²") or metric(at, "Test R²")
    click(at, "Step 10")
    fit = live_table(at)
    assert list(fit.columns) == ["RMSE", "R²"]


def test_batch_size_and_penalty_are_training_settings():
    at = choose(new_app(), "set:circle")
    click(at, "Step 10")
    before = weights(at)
    at.number_input(key="batch_size").set_value(10).run()
    at.selectbox(key="regularization").set_value("l1").run()
    at.select_slider(key="regularization_rate").set_value(0.01).run()
    settings = playground(at).trainer.settings
    assert (settings.batch_size, settings.regularization, settings.regularization_rate) == (
        10, "l1", 0.01)
    assert iteration(at) == 10
    np.testing.assert_array_equal(weights(at), before)  # the network was kept
    click(at, "Step 10")
    assert iteration(at) == 20


def test_l1_kills_weights_and_the_diagram_shows_them_dead():
    config = RunConfig(problem="set:gaussians", hidden=(8,), learning_rate=0.1,
                       regularization="l1", regularization_rate=0.3, test_fraction=0.5)
    at = new_app(to_query(config, ViewOptions()))
    click(at, "Step 100")
    assert (weights(at) == 0.0).any()
    sent = np.concatenate([np.ravel(w) for w in shown(at)["w"]])  # what the diagram draws dashed
    assert np.array_equal(sent == 0.0, weights(at) == 0.0)


def test_a_point_set_link_opens_the_same_data_and_run():
    config = RunConfig(problem="set:moons", hidden=(6,), n_points=120, noise=0.1,
                       test_fraction=0.3, data_seed=7, features=("x1", "x2", "x1_x2"),
                       batch_size=16, learning_rate=0.3)
    first, second = new_app(to_query(config, ViewOptions())), new_app(to_query(config, ViewOptions()))
    assert playground(first).config == config
    for at in (first, second):
        click(at, "Step 10")
    np.testing.assert_array_equal(weights(first), weights(second))
    assert metric(first, "Test error") == metric(second, "Test error")


def points_uploader(at):
    return [u for u in at.get("file_uploader") if u.proto.label.startswith("Points")][0]


def test_your_own_points_from_a_csv():
    at = choose(new_app(), "csv")
    assert "Upload a CSV of points" in texts(at.sidebar.info)
    points_uploader(at).upload("points.csv", sample_csv().encode(), "text/csv").run()
    assert not at.exception
    p = playground(at)
    assert p.config.problem == "csv" and p.uploaded.n_examples == 40
    assert "Loaded 40 points" in said(at)
    click(at, "Step 10")
    assert iteration(at) == 10

    saved = runfile.save(p.config, p.view, p.trainer, p.uploaded).encode()
    fresh = new_app()
    [u for u in fresh.get("file_uploader") if u.proto.label == "Load a run"][0].upload(
        "run.json", saved, "application/json").run()
    assert not fresh.exception
    assert playground(fresh).config.problem == "csv" and iteration(fresh) == 10
    np.testing.assert_array_equal(weights(fresh), weights(at))


@pytest.mark.parametrize(("content", "words"), [
    (b"a,b,c\n1,2,3\n", "x1"),
    (b"x1,x2,label\n1,oops,0\n2,3,1\n", "oops"),
    (b"x1,x2,label\n" + b"1,2,0\n" * 2500, "2,000"),
    (b"x1,x2,label\n1,2,\n3,4,1\n", "label"),
], ids=["wrong columns", "not a number", "too many rows", "missing label"])
def test_a_bad_csv_is_refused_with_a_sentence_and_the_run_stays(content, words):
    at = choose(new_app(), "set:circle")
    click(at, "Step 10")
    at.selectbox(key="problem").set_value("csv").run()
    points_uploader(at).upload("bad.csv", content, "text/csv").run()
    assert not at.exception
    message = texts(at.sidebar.error)
    assert words in message and "unchanged" in message
    assert playground(at).uploaded is None


@pytest.mark.parametrize("problem", ["xor", "parity3", "custom", "set:spiral", "set:spiral3",
                                     "set:bumps", "csv"])
def test_every_panel_works_for_every_kind_of_problem(problem):
    at = choose(new_app(), problem)
    if problem == "csv":
        points_uploader(at).upload("points.csv", sample_csv().encode(), "text/csv").run()
    click(at, "Step 10")
    at.session_state["lab_tabs"] = "Compare runs"
    at.run()
    button(at, "Pin this run").click().run()
    click(at, "Step 10")
    for tab in LAB_TABS:  # only the chosen tab is drawn: each in turn
        at.session_state["lab_tabs"] = tab
        at.run()
        assert not at.exception, (tab, at.exception)
        assert not at.error, (tab, [e.value for e in at.error])  # a failing panel: st.error
    assert iteration(at) == 20


def test_a_point_set_chosen_from_a_gate_gets_a_rate_that_learns_it_and_back():
    at = choose(new_app(), "set:plane")
    assert playground(at).config.learning_rate == 0.01  # the gates' 2 would diverge here
    click(at, "Step 1,000")
    train, _ = playground(at).scores()
    assert train.r_squared > 0.9 and playground(at).stop_reason != "diverged"
    choose(at, "xor")
    assert playground(at).config.learning_rate == 2.0
    at.number_input(key="learning_rate").set_value(0.5).run()
    choose(at, "set:circle")
    assert playground(at).config.learning_rate == 0.5  # a rate the student chose stays


def test_a_diverged_regression_shows_a_short_r_squared():
    config = RunConfig(problem="set:plane", output_activation="linear", learning_rate=0.3,
                       test_fraction=0.0)
    at = new_app(to_query(config, ViewOptions()))
    click(at, "Step 1,000")
    assert playground(at).stop_reason == "diverged"
    shown = metric(at, "Training R²")
    assert len(shown) <= 10 and (shown == "–" or float(shown) < 0), shown  # not 300 digits
