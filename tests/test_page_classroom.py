"""Classroom mode: a link that hides chosen parts of the page and enlarges the text."""

from __future__ import annotations

from test_page import click, iteration, metric, new_app, playground, said, scene, texts

from nnplay.app.link import Classroom, ViewOptions, to_query
from nnplay.config import RunConfig
from nnplay.presets import PRESETS


def test_a_classroom_link_hides_the_chosen_parts_and_keeps_its_settings():
    config = PRESETS["tutorial"].config
    query = to_query(config, ViewOptions(speed="max"), Classroom(hide=("network", "training"), big=True))
    at = new_app(query)
    assert playground(at).config == config
    labels = [s.label for s in at.slider] + [s.label for s in at.selectbox]
    assert "Hidden layers" not in labels and "Loss" not in labels
    assert "Problem" not in labels
    assert any("font-size: 19px" in m.value for m in at.markdown)  # larger text
    # ... and the live area too, its drawings with its text (the browser tests measure it)
    plain = new_app(to_query(config, ViewOptions(speed="max"), Classroom()))
    assert scene(at)["big"] and not scene(plain)["big"]
    for _ in range(3):  # reruns keep the link's settings although their controls are hidden
        click(at, "Step")
    assert iteration(at) == 3
    assert playground(at).config == config
    assert metric(at, "Learning rate η") == "0.2"
    assert at.query_params["hide"] in ("network,training", ["network,training"])


def test_hiding_the_lab_and_presets():
    at = new_app({"hide": "lab,presets"})
    assert not [b for b in at.button if b.label == "Tutorial"]
    assert not at.tabs
    assert playground(at).config == RunConfig()


def test_an_unknown_part_to_hide_warns():
    at = new_app({"hide": "network,everything"})
    assert "'hide'" in said(at) and "everything" in said(at)
    assert [s for s in at.slider if s.label == "Hidden layers"]  # nothing hidden then


def test_the_share_box_lists_links_to_hand_out():
    at = new_app()
    assert "[classroom](" not in texts(at.sidebar.markdown)  # drawn only when opened
    at.session_state["share_open"] = True
    at.run()
    share = texts(at.sidebar.markdown)
    for preset in PRESETS.values():
        assert f"[{preset.label}](" in share
    assert share.count("[classroom](") == len(PRESETS)
    assert "hide=presets%2Cnetwork%2Ctraining%2Ckeep%2Cshare" in share
