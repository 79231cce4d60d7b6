"""Hand edits (``nnplay.app.edits`` and ``Playground``): weights set by hand and neurons switched
off, logged with their iteration, carried by the link and saved runs, and replayed there.

The oracle is the engine driven by hand: train to the iteration, set the weight (or switch the
node), train on. The playground, a link opened in a new session, a saved run and Pause at a
frame shown must all give exactly its bits.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_app_stream import pack, state

from nnplay import datasets
from nnplay.app import edits, runfile
from nnplay.app.edits import MAX_EDITS, Switch, WeightEdit
from nnplay.app.playground import Playground
from nnplay.app.stream import FrameStream
from nnplay.config import RunConfig
from nnplay.explain import explain_step

CONFIG = RunConfig(hidden=(3, 2), max_iterations=100_000, min_error=0.0)
XOR = datasets.gate("xor")


def edited(p: Playground) -> Playground:
    """``p`` with a few hand edits on the way: iteration 75 reached."""
    p.step(30)
    p.edit_weight(1, 0, 2, "0.5")
    p.switch("h2.1")
    p.step(20)
    p.switch("h2.1")  # on again at 50
    p.switch("h1.3")
    p.step(10)
    p.edit_weight(3, 0, 1, str(0.1 + 0.2))  # 0.30000000000000004: every bit carried
    p.step(15)
    return p


def by_hand() -> np.ndarray:
    """What ``edited`` does, done with the engine alone."""
    trainer = CONFIG.trainer()
    net = trainer.network
    trainer.step(30)
    weights = [w.copy() for w in net.weights]
    weights[0][0, 2] = 0.5
    net.set_weights(weights)
    net.switch_off([(1, 0)])
    trainer.step(20)
    net.switch_off([(0, 2)])
    trainer.step(10)
    weights = [w.copy() for w in net.weights]
    weights[2][0, 1] = 0.1 + 0.2
    net.set_weights(weights)
    trainer.step(15)
    return net.parameters.copy()


def test_the_playground_gives_the_run_edited_by_hand_bit_for_bit():
    p = edited(Playground(CONFIG))
    assert p.trainer.iteration == 75 and np.array_equal(p.trainer.network.parameters, by_hand())
    assert p.off_names() == ["h1.3"]
    assert [type(e).__name__ for e in p.log] == ["WeightEdit", "Switch", "Switch", "Switch",
                                                 "WeightEdit"]


def test_the_link_carries_the_log_compactly_and_reads_it_back():
    p = edited(Playground(CONFIG))
    query = edits.to_query(p.log, p.shape)
    assert query == {"edit": "1.0.2@30:0.5,3.0.1@60:0.30000000000000004",
                     "off": "h2.1@30-50,h1.3@50"}
    log, warnings = edits.parse_query(query, p.shape)
    assert log == p.log and warnings == []


@pytest.mark.parametrize("how", ["at", "step", "play"])
def test_opening_the_link_and_training_to_the_iteration_replays_the_edits(how):
    original = edited(Playground(CONFIG))
    log, _ = edits.parse_query(edits.to_query(original.log, original.shape), original.shape)
    p = Playground(CONFIG)
    p.use_log(log)
    if how == "at":  # a paused run's link: at=75
        p.replay_to(75)
    elif how == "step":
        for _ in range(75):
            p.step(1)
    else:  # a link shared while playing (no at=): Play, then Pause at the frame shown
        s = FrameStream()
        p.play()
        frames = s.answer(p, None, pack)
        while frames[-1]["i"] < 76:
            frames = s.answer(p, {"gen": s.generation, "after": frames[-1]["seq"]}, pack)
        shown = [f for f in frames if f["i"] <= 75][-1]  # two iterations a frame: 74
        assert s.go_back(p, {"gen": shown["gen"], "seq": shown["seq"]})
        p.pause()
        p.step(75 - shown["i"])
    assert np.array_equal(p.trainer.network.parameters, original.trainer.network.parameters)
    assert p.off_names() == ["h1.3"] and p.log == original.log


def test_pause_goes_back_to_the_frame_shown_with_edits_on_the_way():
    original = edited(Playground(CONFIG))
    p, s = Playground(CONFIG), FrameStream()
    p.use_log(original.log)  # the edits at 30, 50 and 60 are ahead: they apply while playing
    p.play()
    batch = s.answer(p, None, pack)
    while batch[-1]["i"] <= 60:
        batch = s.answer(p, {"gen": s.generation, "after": batch[-1]["seq"]}, pack)
    s.answer(p, {"gen": s.generation, "after": batch[-1]["seq"]}, pack)  # the server runs ahead
    shown = next(f for f in batch if f["i"] > 60)
    assert s.go_back(p, {"gen": shown["gen"], "seq": shown["seq"]})
    p.pause()
    twin = Playground(CONFIG)
    twin.use_log(original.log)
    twin.play()
    while twin.trainer.iteration < shown["i"]:
        twin.frame()
    twin.pause()
    assert np.array_equal(p.trainer.network.parameters, shown["w"])
    assert state(p) == state(twin) and p.off_names() == twin.off_names() == ["h1.3"]


def test_rewinding_drops_the_edits_made_after_and_reset_drops_them_all():
    p = edited(Playground(CONFIG))
    kept = p.trainer.snapshots.at(55).iteration
    assert 50 <= kept < 60
    p.rewind(55)
    assert p.log == edits.until(edited(Playground(CONFIG)).log, kept)
    assert "The hand edit made after it is dropped" in p.notice  # W3[0, 1] at 60
    twin = Playground(CONFIG)
    twin.use_log(p.log)
    twin.replay_to(kept)
    assert np.array_equal(p.trainer.network.parameters, twin.trainer.network.parameters)
    assert p.off_names() == ["h1.3"]
    p.step(5)
    twin.step(5)  # the same run on (the snapshots kept differ: the rewound run has thinned them)
    assert state(p)[:4] == state(twin)[:4]
    p.rewind(10)  # before every edit: the weights and the nodes as trained, nothing off
    assert p.log == () and p.off_names() == []
    edited(p := Playground(CONFIG))
    p.reset()
    assert p.log == () and p.trainer.network.node_masks is None and p.trainer.iteration == 0


def test_an_edit_at_iteration_0_survives_rewinding_to_0():
    p = Playground(CONFIG)
    start = p.trainer.network.parameters.copy()
    p.edit_weight(2, 1, 0, "-2")
    p.step(40)
    p.rewind(0)
    start[edits.flat_index(p.shape, 2, 1, 0)] = -2.0
    assert np.array_equal(p.trainer.network.parameters, start)


def test_a_saved_run_keeps_its_edits():
    p = edited(Playground(CONFIG))
    loaded, log = runfile.load_with_edits(runfile.save(p.config, p.view, p.trainer, p.uploaded,
                                                       p.log))
    assert log == p.log
    q = Playground(CONFIG)
    q.load(loaded.config, loaded.trainer, loaded.view, loaded.points, log)
    assert q.off_names() == ["h1.3"]
    p.step(25)
    q.step(25)
    assert np.array_equal(p.trainer.network.parameters, q.trainer.network.parameters)
    bad = runfile.save(p.config, p.view, p.trainer, p.uploaded, p.log).replace(
        '"weight": [1, 0, 2]', '"weight": [1, 9, 2]')
    with pytest.raises(runfile.RunFileError, match="hand edits are not valid"):
        runfile.load_run(bad)


@pytest.mark.parametrize("config", [
    RunConfig(hidden=(3,), learning_rate=0.5),
    RunConfig(hidden=(4,), optimizer="adam", learning_rate=0.05, regularization="l2",
              regularization_rate=0.01),
])
def test_the_weight_panel_numbers_are_the_next_step_and_change_nothing(config):
    p = Playground(config)
    p.step(7)
    p.switch("h2")
    before = state(p)
    detail = p.weight_detail(1, 0, 0)
    assert state(p) == before  # looked at, not trained
    assert detail["value"] == p.trainer.network.weights[0][0, 0]
    step = explain_step(p.trainer.network, XOR.X, XOR.y, loss=config.loss, learning_rate=0.1,
                        masks=[np.broadcast_to(m, (m.shape[0], 4)) for m in p.trainer.masks_at(7)])
    if config.optimizer == "sgd":
        assert detail["gradient"] == step.layers[0].gradient[0, 0]
    else:  # the penalty's gradient is added to the error's
        assert detail["gradient"] == pytest.approx(step.layers[0].gradient[0, 0]
                                                   + 0.01 * detail["value"], rel=1e-12)
    p.step(1)
    assert detail["next"] == p.trainer.network.weights[0][0, 0] != detail["value"]
    from_h2 = p.weight_detail(2, 0, 1)  # h2 is off: nothing of the error reaches it, the penalty does
    assert from_h2["gradient"] == pytest.approx(config.regularization_rate * from_h2["value"],
                                                rel=1e-12, abs=0)


@pytest.mark.parametrize("text, words", [
    ("abc", "is not a number"), ("nan", "from -100 to 100"), ("1e5", "from -100 to 100"),
    ("inf", "from -100 to 100"), ("", "is not a number")])
def test_a_bad_value_is_refused_with_a_sentence_and_changes_nothing(text, words):
    p = Playground(CONFIG)
    before = state(p)
    with pytest.raises(ValueError, match=words):
        p.edit_weight(1, 0, 0, text)
    with pytest.raises(ValueError, match="has no weight"):
        p.edit_weight(1, 3, 0, "1")
    with pytest.raises(ValueError, match="no hidden neuron"):
        p.switch("h9")
    assert state(p) == before and p.log == ()


def test_the_log_holds_at_most_max_edits_and_merges_what_repeats():
    p = Playground(CONFIG)
    p.edit_weight(1, 0, 0, "1")
    p.edit_weight(1, 0, 0, "2")  # the same weight again in one iteration: the last value
    p.switch("h1.1")
    p.switch("h1.1")  # off and on in one iteration: nothing
    assert p.log == (WeightEdit(0, 1, 0, 0, 2.0),)
    for k in range(MAX_EDITS - 1):
        p.step(1)
        p.edit_weight(1, 0, 0, str(k))
    with pytest.raises(ValueError, match=f"already holds {MAX_EDITS} hand edits"):
        p.edit_weight(1, 0, 1, "1")


def test_a_bad_link_leaves_out_the_bad_items_and_says_why():
    shape = (2, 3, 2, 1)
    log, warnings = edits.parse_query({"edit": "1.0.2@10:0.5,1.9.0@3:1,x,1.0.0:nan,2.1.3@5:1",
                                       "off": "h1.2@5-3,h2.2,h7,h1.1@2-9,h1.1@9"}, shape)
    assert log == (Switch(0, 1, 1, True), Switch(2, 0, 0, True), WeightEdit(5, 2, 1, 3, 1.0),
                   Switch(9, 0, 0, False), WeightEdit(10, 1, 0, 2, 0.5))
    assert len(warnings) == 6 and all("left out" in w for w in warnings)
    many = ",".join(f"1.0.0@{k}:1" for k in range(MAX_EDITS + 3))
    log, warnings = edits.parse_query({"edit": many}, shape)
    assert len(log) == MAX_EDITS and f"at most {MAX_EDITS}" in warnings[0]
    assert edits.parse_query({"off": "h1.1," * 1000}, shape)[1][0].startswith("The link's 'off'")


def test_a_solved_run_edited_by_hand_plays_on():
    p = Playground(RunConfig())  # Fast XOR: solved (error 0.01) in about 110 iterations
    p.play()
    while p.playing:
        p.frame()
    assert p.stop_reason == "solved"
    p.edit_weight(2, 0, 0, "0")
    assert p.stop_reason is None and p.status().message.startswith("W2[0, 0] set by hand to 0")
    p.play()
    assert p.playing
