"""The live views' data (``nnplay.views.frames``): compact, plain JSON, and true to the run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.views import frames, scores


def sent(data: object) -> str:
    """As the page sends it: JSON, no NaN or inf (``allow_nan=False`` raises on them)."""
    return json.dumps(data, allow_nan=False)


def test_a_grid_round_trips_to_its_levels_and_clips_what_lies_outside():
    values = np.array([[0.0, 0.25, 0.5], [0.75, 1.0, 2.0], [-1.0, np.nan, np.inf]])
    text = frames.grid_text(values, 0.0, 1.0)
    assert len(text) == 9 and text.isascii()
    levels = frames.decode_grid(text)
    assert levels.tolist() == [0, 16, 32, 47, 63, 63, 0, 32, 63]  # round(v * 63); NaN: middle
    # Every level reads back within half a step of the value it stands for.
    grid = np.linspace(-3.0, 5.0, 1000)
    back = -3.0 + frames.decode_grid(frames.grid_text(grid, -3.0, 5.0)) / 63 * 8.0
    assert np.abs(back - grid).max() <= 8.0 / 63 / 2 + 1e-12


def test_a_layers_maps_in_one_pass_are_each_maps_own_grid():
    maps = np.random.default_rng(3).normal(size=(5, 4, 4)) * 2
    maps[2, 1, 1] = np.nan
    texts = frames.grid_texts(maps, -1.5, 2.5)
    assert len(texts) == 5 and len(set(texts)) == 5
    for m, text in zip(maps, texts, strict=True):
        levels = frames.decode_grid(text)
        expected = np.rint(np.clip((m.ravel() - -1.5) / 4.0, 0, 1) * 63)
        expected[np.isnan(expected)] = 32  # NaN: the middle level
        assert levels.tolist() == expected.astype(int).tolist()


def test_a_class_map_cell_is_the_class_the_scores_pick_and_how_sure():
    outputs = np.array([[0.9, 0.05, 0.05], [0.2, 0.5, 0.3], [1 / 3, 1 / 3, 1 / 3], [0.0, 0.0, 1.0]])
    levels = frames.decode_grid(frames.class_grid_text(outputs))
    picked = scores.predicted_classes(outputs, "multiclass")
    assert (levels // frames.CLASS_SHADES).tolist() == picked.tolist() == [0, 1, 0, 2]
    sure = levels % frames.CLASS_SHADES
    assert sure[0] > sure[1] > sure[2] == 0 and sure[3] == frames.CLASS_SHADES - 1


@pytest.mark.parametrize("config", [
    RunConfig(),
    RunConfig(problem="parity3"),
    RunConfig(problem="set:spiral", hidden=(8, 8), features=("x1", "x2", "sin_x1", "sin_x2")),
    RunConfig(problem="set:three_gaussians"),
    RunConfig(problem="set:plane"),
])
def test_scene_and_frame_describe_the_run_in_plain_json(config):
    p = Playground(config)
    p.step(7)
    scene, frame = frames.scene(p), frames.frame(p, frames.Curves())
    sent([scene, frame])
    shape = list(p.shape)
    assert scene["shape"] == shape and [len(names) for names in scene["labels"]] == shape
    n = scene["surface_n"]
    assert len(frame["surface"]) == n * n and scene["map_n"] ** 2 == len(scene["inputs"][0])
    # The weights as the network holds them, in the tutorial's layout.
    for w, sent_w in zip(p.trainer.network.weights, frame["w"], strict=True):
        np.testing.assert_allclose(np.array(sent_w), w, atol=5e-6)
    # A map per hidden node (and per output when there are several).
    expected = shape[1:-1] + ([shape[-1]] if shape[-1] > 1 else [])
    assert [len(layer) for layer in frame["maps"]] == expected
    assert dict((m[0], m[1]) for m in frame["metrics"])["Iteration"] == "7"


def test_the_surface_grid_is_the_networks_output():
    p = Playground(RunConfig(problem="set:circle"))
    p.step(20)
    xs, ys, Z = p.surface()
    low, high = p.output_range()
    levels = frames.decode_grid(frames.frame(p)["surface"]).reshape(len(ys), len(xs))
    assert np.abs(low + levels / 63 * (high - low) - Z).max() <= (high - low) / 126 + 1e-12


def test_the_truth_table_is_the_tutorials_printout():
    p = Playground()
    table = frames.frame(p)["table"]
    rows = p.truth_rows()
    assert table["head"] == ["Input", "Output", "Target", "Right?"]
    assert [r[0] for r in table["rows"]] == rows.inputs == ["0 0", "1 1", "0 1", "1 0"]
    assert [r[1] for r in table["rows"]] == rows.outputs
    assert table["tints"] == ["right" if ok else "wrong" for ok in rows.right]


def test_the_curves_caption_tells_what_the_test_line_is_when_there_is_one():
    with_test = frames.scene(Playground(RunConfig(problem="set:circle", test_fraction=0.3)))
    assert "Orange: the error on the test points" in with_test["captions"]["curve"]
    assert "test points" not in frames.scene(Playground())["captions"]["curve"]  # XOR: no test set


def test_a_frame_of_an_earlier_network_shows_that_network():
    p = Playground()
    p.step(30)
    then = p.network_at(10)
    frame = frames.frame(p, network=then)
    assert frame["i"] is None  # not the run's own iteration
    np.testing.assert_allclose(np.array(frame["w"][0]), then.weights[0], atol=5e-6)
    assert frame["table"]["rows"][0][1] == p.truth_rows(then).outputs[0]


def test_curves_carry_only_what_was_added_and_merge_back_to_the_whole():
    p = Playground(RunConfig(problem="set:circle", test_fraction=0.3))
    curves, browser = frames.Curves(), []
    first = curves.after(p)
    assert first["curve"]["fresh"] and len(first["curve"]["points"]) == 1
    for n in (1, 1, 5, 40, 3000, 20):
        p.step(n)
        update = curves.after(p)["curve"]
        assert not update["fresh"] and len(update["points"]) <= frames.CURVE_POINTS
        browser = _merge(browser, update)
    iterations, low, high = p.error_curve()
    assert browser[-1][0] == iterations[-1]  # up to the newest point
    # The band the browser holds covers the whole run, as low and as high as the history.
    assert min(b[1] for b in browser) == pytest.approx(low.min())
    assert max(b[2] for b in browser) == pytest.approx(high.max())
    test = curves.after(p)["test"]
    assert not test["fresh"] and test["points"][-1] == [p.test_curve[0][-1], p.test_curve[1][-1]]


def _merge(points: list, update: dict) -> list:
    """What the component does (live.js mergeCurve), without its thinning."""
    if update["fresh"]:
        return list(update["points"])
    first = update["points"][0][0]
    return [q for q in points if q[0] < first] + update["points"]


def test_a_diverged_run_sends_finite_numbers_only():
    config = RunConfig(activation="linear", output_activation="linear", learning_rate=100.0)
    p = Playground(config)
    p.step(1000)
    assert p.stop_reason == "diverged"
    sent([frames.scene(p), frames.frame(p, frames.Curves())])


def test_an_xor_frame_is_small():
    p = Playground()
    p.step(3)
    curves = frames.Curves()
    curves.after(p)
    p.step(2)
    assert len(sent(frames.frame(p, curves))) < 3600  # bytes, before websocket compression
