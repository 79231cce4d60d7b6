"""The live node panel and slow motion: their numbers against the engine's and the explainer's,
and the page's events (a node clicked, closed, the explainer opened, a slow Step)."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay.config import RunConfig
from nnplay.views import backprop_tables as bt
from nnplay.views import node_detail
from tests.test_page import live, new_app, on_screen, send, weights


def trainer(**changes):
    return RunConfig(**changes).trainer(None)


def rows_of(table: dict) -> dict[str, list[str]]:
    return dict(zip(table["rows"], table["cells"], strict=True))


def test_a_hidden_node_shows_the_explainers_numbers_and_steps_bit_for_bit():
    t = trainer(hidden=(3,), seed=4)
    panel = node_detail.build(t, "h2")
    explained = bt.build(t)
    forward = explained.forward[0].equations[0]
    x_J = forward.tables[2].frame
    O_J = forward.tables[-1].frame
    shown = rows_of(panel["tables"][1])
    assert shown["x<sub>J</sub> = sum"] == list(x_J.loc["h2"])
    assert shown["O<sub>J</sub> = f(x<sub>J</sub>)"] == list(O_J.loc["h2"])
    delta = explained.backward[-1].equations[0].tables[-1].frame  # first layer: δ_J last
    assert rows_of(panel["tables"][2])["δ<sub>J</sub>"] == list(delta.loc["h2"])
    new_W = explained.backward[-1].equations[1].tables[-1].frame
    assert [row[3] for row in panel["tables"][3]["cells"]] == list(new_W.loc["h2"])
    # Each input times its weight: the engine's products, and they add up to x_J.
    W, X = t.network.weights[0], t.X
    products = np.array([[W[1, j] * X[e, j] for e in range(4)] for j in range(2)] + [[W[1, 2]] * 4])
    assert panel["tables"][0]["cells"] == [[bt.number(v) for v in row] for row in products]
    np.testing.assert_allclose(products.sum(axis=0), t.network.weights[0][1] @ np.r_[X.T, [[1] * 4]])
    expected = [float(v) for v in panel["new_weights"]]
    t.step(1)
    assert expected == t.network.weights[0][1].tolist()  # bit for bit: == on floats
    assert panel["claim"][0] == "success"


def test_the_output_node_one_example_and_an_input():
    t = trainer(seed=2)
    panel = node_detail.build(t, "out", 2)
    assert panel["kind"] == "output" and panel["example"] == 2
    assert panel["tables"][1]["columns"] == [bt.example_names(t.X)[2]]
    one = bt.build(t, 2)
    assert rows_of(panel["tables"][2])["δ<sub>K</sub>"] == list(
        one.backward[0].equations[0].tables[-1].frame.loc["out"])
    assert panel["claim"][0] == "info"  # one example alone is not what Step does
    x2 = node_detail.build(t, "x2")
    assert x2["kind"] == "input" and x2["tables"][0]["cells"] == [[bt.number(v) for v in t.X[:, 1]]]
    assert node_detail.build(t, "h9") is None and node_detail.build(t, "out", 99)["example"] is None


def test_dropout_says_which_examples_drop_the_node_as_the_explainer():
    t = trainer(hidden=(4,), dropout=0.5, seed=3)
    masks = t.dropout_masks(t.iteration)[0]
    node = int(np.argmax((masks == 0).sum(axis=1)))  # a node dropped somewhere this step
    panel = node_detail.build(t, f"h{node + 1}")
    assert "m<sub>J</sub> (dropout)" in rows_of(panel["tables"][1])
    names = bt.example_names(t.X)
    dropped = [names[e] for e in np.nonzero(masks[node] == 0)[0]]
    assert dropped and all(name in panel["notes"][-1] for name in dropped)


def test_slow_motion_carries_the_explainers_quantities():
    t = trainer(hidden=(2, 3), seed=5)
    step = bt.next_step(t)
    for example, followed in ((None, 1), (2, 2), (99, 1)):  # None: 0 0 shows little, so 1 1
        slow = node_detail.slow_motion(t, example=example)
        assert slow["example_index"] == followed and slow["n_examples"] == 4
        for layer, sent in zip(step.layers, slow["layers"], strict=True):
            assert sent["o"] == [[bt.number(v)] for v in layer.O_J[:, followed]]
            assert sent["delta"] == [[bt.number(v)] for v in layer.delta_J[:, followed]]
    assert slow["before"] == [w.tolist() for w in t.network.weights] and slow["exact"]
    assert slow["error"] == bt.number(step.error)  # the batch's, as Step


@pytest.fixture
def app():
    return new_app({"hidden": "3", "seed": "7"})


def test_the_page_opens_updates_and_closes_the_node_panel(app):
    send(app, {"type": "node", "node": "h1", "example": -1})
    panel = live(app)["node"]
    assert panel["node"] == "h1" and panel["iteration"] == 0
    send(app, {"type": "step", "n": 1, **on_screen(app)})
    assert live(app)["node"]["iteration"] == 1  # it follows the run
    send(app, {"type": "node", "node": "out", "example": 1})
    assert live(app)["node"]["node"] == "out" and live(app)["node"]["example"] == 1
    send(app, {"type": "play", **on_screen(app)})
    assert live(app)["node"]["playing"]
    send(app, {"type": "pause", **on_screen(app)})
    assert "tables" in live(app)["node"]
    send(app, {"type": "node", "node": ""})
    assert live(app)["node"] is None


@pytest.mark.parametrize("event", [{"type": "node", "node": "<script>"},
                                   {"type": "node", "node": 3, "example": "x"},
                                   {"type": "node", "node": "h1", "example": 10 ** 9},
                                   {"type": "slow", "seq": "x"}, {"type": "explain", "example": -7}])
def test_bad_events_from_the_browser_are_harmless(app, event):
    send(app, event)
    panel = live(app)["node"]
    assert panel is None or panel["example"] is None


def test_the_explainer_link_opens_its_tab_on_the_same_example(app):
    send(app, {"type": "explain", "example": 2})
    assert app.session_state["lab_tabs"] == "Back propagation, step by step"
    assert app.session_state["explainer_example"].startswith("Input ")
    assert any("Press Step" in a.value or "one step on the example" in a.value for a in app.info)


def test_a_slow_step_is_step_bit_for_bit(app):
    other = new_app({"hidden": "3", "seed": "7"})
    send(other, {"type": "step", "n": 1, **on_screen(other)})
    send(app, {"type": "slow", **on_screen(app)})
    slow = live(app)["slow"]
    assert slow["iteration"] == 0 and live(app)["frames"][-1]["i"] == 1
    assert np.array_equal(weights(app), weights(other))
    assert np.array_equal(np.concatenate([np.ravel(w) for w in slow["after"]]), weights(app))
    send(app, {"type": "node", "node": "h1", "example": -1})
    assert live(app)["slow"] is None  # played once


def test_a_step_keeps_its_exact_change_for_the_delta_w_view(app):
    before = weights(app)
    send(app, {"type": "step", "n": 10, **on_screen(app)})
    change = live(app)["change"]
    assert (change["from"], change["to"]) == (0, 10)
    assert np.array_equal(np.concatenate([np.ravel(m) for m in change["w"]]), weights(app) - before)
    send(app, {"type": "play", **on_screen(app)})
    assert live(app)["change"] is None  # playing: the frames' own weights


def test_a_hidden_lab_leaves_no_explainer_button():
    at = new_app({"hidden": "3", "hide": "lab"})
    send(at, {"type": "node", "node": "h1", "example": -1})
    assert live(at)["node"]["explainer"] is None and live(at)["node"]["tables"]


def test_a_node_switched_off_says_so_with_its_mask_of_zeros():
    t = trainer(hidden=(3,), seed=3)
    t.network.switch_off([(0, 1)])
    panel = node_detail.build(t, "h2")
    rows = rows_of(panel["tables"][1])
    assert "m<sub>J</sub> (switched off)" in rows and "m<sub>J</sub> (dropout)" not in rows
    assert any("Switched off by hand" in note for note in panel["notes"])
    other = node_detail.build(t, "h1")  # its neighbour: masked too (the layer has a mask), on
    assert "m<sub>J</sub> (mask)" in rows_of(other["tables"][1])
    assert not any("Switched off" in note for note in other["notes"])
