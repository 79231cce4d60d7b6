"""The live area's inspection tools on the server (issue #15): the node panel, a Step in slow
motion and the last Step's exact ΔW. ``ui/live.py`` calls in at three points: its events
(``EVENTS``, ``handle``; a Step through ``keeping_change`` or ``slow_step``) and the data
sent with every run (``data``). The numbers come from ``nnplay.views.node_detail``; the
browser side is ``static/live/inspect.js``.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from nnplay.app.playground import Playground
from nnplay.views import backprop_tables, node_detail
from nnplay.views.figures import node_labels
from ui.lab_backprop import EXPLAINER_TAB
from ui.server import guarded
from ui.sidebar import classroom

EVENTS = {"node", "explain"}
"""Events that open, change or close the node panel, or open the explainer tab on it."""


def data(p: Playground) -> dict:
    """What the component gets beside the frames: the node panel, slow motion once after a
    slow Step, and the last Step's exact change."""
    return {"node": guarded("the node panel")(node_panel)(p),
            "slow": st.session_state.pop("live_slow", None),
            "change": last_change(p)}


def handle(p: Playground, event: dict) -> None:
    """The node panel: open it on a node (``node``, with ``example`` a row of the training
    inputs or -1 for the whole batch), close it (no node), or open the explainer tab on it."""
    example = event.get("example", -1)
    example = example if 0 <= example < len(p.trainer.X) else None
    if event["type"] == "explain":
        st.session_state.lab_tabs = EXPLAINER_TAB
        st.session_state.explainer_example = backprop_tables.example_options(p.trainer.X)[
            0 if example is None else example + 1]
        st.session_state.live_full_run = True  # the tab is drawn by the page, not the fragment
    elif node_detail.find(node_labels(p.shape, p.input_labels), event.get("node")) is None:
        st.session_state.pop("live_node", None)
    else:
        st.session_state.live_node = {"node": event["node"], "example": example}


def slow_step(p: Playground, example: int | None) -> None:
    """One Step, keeping what slow motion plays for the next script run: the explainer's
    quantities, taken before it, for one example (a row of the training inputs, or None:
    the first that is not all zeros), and the weights it gave, bit for bit."""
    slow = node_detail.slow_motion(p.trainer, p.input_labels, example)
    keeping_change(p, lambda: p.step(1))
    slow["after"] = [w.tolist() for w in p.trainer.network.weights]
    st.session_state.live_slow = slow


def keeping_change(p: Playground, step: Callable[[], object]) -> None:
    """Run ``step`` (a Step) and keep the change of every weight it made, exactly, for the
    ΔW view: ``{"from": iteration, "to": iteration, "w": [after - before per matrix]}``."""
    start, before = p.trainer.iteration, [w.copy() for w in p.trainer.network.weights]
    step()
    st.session_state.live_change = {"from": start, "to": p.trainer.iteration, "w": [
        (after - w).tolist() for w, after in zip(before, p.trainer.network.weights, strict=True)]}


def last_change(p: Playground) -> dict | None:
    """The last Step's exact change while the run is still where that Step left it, else None
    (the ΔW view then uses the frames' weights)."""
    change = st.session_state.get("live_change")
    if change is None or p.playing or change["to"] != p.trainer.iteration:
        st.session_state.pop("live_change", None)
        return None
    return change


def node_panel(p: Playground) -> dict | None:
    """What the node panel shows: the chosen node's numbers for the next Step, paused; playing,
    only its name and why there are no numbers (they would be a moment's, not the frame's)."""
    chosen = st.session_state.get("live_node")
    if chosen is None:
        return None
    if p.playing:
        return {"node": chosen["node"], "example": chosen["example"], "playing": True,
                "words": node_detail.PLAYING_NOTE}
    panel = node_detail.build(p.trainer, chosen["node"], chosen["example"], p.input_labels)
    if panel is None:  # the network changed shape: the node is gone
        st.session_state.pop("live_node", None)
    elif "lab" in classroom().hide:
        panel["explainer"] = None  # the teacher hid the lab: no tab to open
    return panel
