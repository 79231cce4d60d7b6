"""The weight panel on the page (AppTest): the component's events ``weight``, ``set_weight``,
``switch`` and ``close_weight`` as the browser sends them, the panel's numbers in the frame, the
link that carries the edits, and a new session opened with that link."""

from __future__ import annotations

import numpy as np
from test_page import click, new_app, on_screen, playground, said, send, shown, uploader

from nnplay.app import runfile
from nnplay.app.edits import MAX_HAND_WEIGHT
from nnplay.config import RunConfig

QUERY = {"hidden": "3", "act": "tanh", "lr": "0.5", "seed": "3"}


def link(at) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def choose(at, layer, row, col):
    send(at, {"type": "weight", "layer": layer, "row": row, "col": col, **on_screen(at)})


def test_a_weight_chosen_shows_its_numbers_and_the_next_step_gives_them():
    at = new_app(QUERY)
    click(at, "Step 10")
    choose(at, 1, 2, 0)
    panel = shown(at)["edit"]
    p = playground(at)
    assert panel["name"] == "W1[2, 0]" and panel["iteration"] == 10
    assert panel["value"] == p.trainer.network.weights[0][2, 0]
    assert panel["neurons"] == [["h3", False]]  # the hidden end of x1 -> h3
    click(at, "Step")
    assert playground(at).trainer.network.weights[0][2, 0] == panel["next"] != panel["value"]
    assert shown(at)["edit"]["name"] == "W1[2, 0]"  # the panel stays open, on the new numbers
    send(at, {"type": "close_weight"})
    assert shown(at)["edit"] is None


def test_choosing_a_weight_while_playing_pauses_on_the_frame_shown():
    at = new_app(QUERY)
    click(at, "Play")
    frame = shown(at)
    choose(at, 2, 0, 3)  # W2's bias weight: from the bias node to the output, no hidden end
    p = playground(at)
    assert not p.playing and p.trainer.iteration == frame["i"]
    assert shown(at)["edit"]["neurons"] == [] and shown(at)["edit"]["name"] == "W2[0, 3]"


def test_a_weight_set_by_hand_trains_on_and_the_link_replays_it():
    at = new_app(QUERY)
    click(at, "Step 10")
    choose(at, 2, 0, 1)
    send(at, {"type": "set_weight", "layer": 2, "row": 0, "col": 1, "value": " -1.75 ",
              **on_screen(at)})
    p = playground(at)
    assert p.trainer.network.weights[1][0, 1] == -1.75 and "set by hand to -1.75" in said(at)
    assert shown(at)["edit"]["value"] == -1.75 and shown(at)["w"][1][0][1] == -1.75
    assert shown(at)["edit"]["neurons"] == [["h2", False]]  # W2[0, 1]: from h2 to out
    send(at, {"type": "switch", "value": "h2", **on_screen(at)})
    assert shown(at)["off"] == ["h2"] and shown(at)["edit"]["neurons"] == [["h2", True]]
    click(at, "Step 10")
    query = link(at)
    assert query["edit"] == "2.0.1@10:-1.75" and query["off"] == "h2@10" and query["at"] == "20"
    fresh = new_app(query)  # another session (a student opening the teacher's link)
    assert np.array_equal(playground(fresh).trainer.network.parameters,
                          playground(at).trainer.network.parameters)
    assert shown(fresh)["off"] == ["h2"] and playground(fresh).trainer.iteration == 20


def test_a_bad_value_says_why_in_the_panel_and_changes_nothing():
    at = new_app(QUERY)
    choose(at, 1, 0, 0)
    before = playground(at).trainer.network.parameters.copy()
    for value, words in (("two", "is not a number"), ("1e9", f"from -{MAX_HAND_WEIGHT:g}"),
                         ("nan", "from -")):
        send(at, {"type": "set_weight", "layer": 1, "row": 0, "col": 0, "value": value,
                  **on_screen(at)})
        assert words in shown(at)["edit"]["error"]
    assert np.array_equal(playground(at).trainer.network.parameters, before)
    assert playground(at).log == ()


def test_what_a_browser_makes_up_is_ignored_or_refused():
    at = new_app(QUERY)
    before = playground(at).trainer.network.parameters.copy()
    for event in ({"type": "weight", "layer": 9, "row": 0, "col": 0},
                  {"type": "weight", "layer": "1", "row": 0, "col": 0},
                  {"type": "weight", "layer": True, "row": 0, "col": 0},
                  {"type": "set_weight", "layer": 1, "row": 0, "col": 0, "value": 3},
                  {"type": "switch", "value": "out"},
                  {"type": "switch", "value": ["h1"]},
                  {"type": "set_weight", "layer": 1, "row": 0, "col": 5, "value": "1"}):
        send(at, event)
    assert np.array_equal(playground(at).trainer.network.parameters, before)
    assert playground(at).log == () and shown(at)["off"] == []


def test_a_link_with_bad_edits_opens_with_a_warning_for_each():
    at = new_app({**QUERY, "edit": "1.0.0@5:0.5,1.7.0@2:1", "off": "h9,h2@3"})
    warnings = " ".join(w.value for w in at.warning)
    assert "'1.7.0@2:1' is left out" in warnings and "'h9' is left out" in warnings
    assert [type(e).__name__ for e in playground(at).log] == ["Switch", "WeightEdit"]


def test_reset_starts_over_without_the_edits():
    at = new_app({**QUERY, "off": "h2"})
    assert shown(at)["off"] == ["h2"]
    click(at, "Step 10")
    click(at, "Reset")
    assert shown(at)["off"] == [] and "off" not in link(at) and playground(at).log == ()
    assert playground(at).config == RunConfig(hidden=(3,), activation="tanh", learning_rate=0.5,
                                              seed=3)


def test_the_exported_script_says_plainly_it_leaves_the_edits_out():
    at = new_app({**QUERY, "off": "h2"}, tab="Show me the code")
    assert "script leaves them out" in " ".join(w.value for w in at.warning)
    plain = new_app(QUERY, tab="Show me the code")
    assert "script leaves them out" not in " ".join(w.value for w in plain.warning)


def test_a_saved_run_with_edits_uploaded_in_another_session_goes_on_exactly():
    at = new_app(QUERY)
    click(at, "Step 10")
    choose(at, 1, 0, 1)
    send(at, {"type": "set_weight", "layer": 1, "row": 0, "col": 1, "value": "2.5", **on_screen(at)})
    send(at, {"type": "switch", "value": "h1", **on_screen(at)})
    p = playground(at)
    saved = runfile.save(p.config, p.view, p.trainer, p.uploaded, p.log).encode()
    fresh = new_app()
    uploader(fresh).upload("nnplay-run.json", saved, "application/json").run()
    assert not fresh.exception and playground(fresh).log == p.log
    assert shown(fresh)["off"] == ["h1"]
    for page in (at, fresh):
        click(page, "Step 10")
    assert np.array_equal(playground(fresh).trainer.network.parameters,
                          playground(at).trainer.network.parameters)
    assert link(fresh)["edit"] == "1.0.1@10:2.5" and link(fresh)["off"] == "h1@10"
