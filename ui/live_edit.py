"""The weight panel on the server (issue #15): a weight chosen by a click on an edge or a heatmap
cell (``static/live/edit.js``), its gradient and its value after the next Step, a new value
set by hand, a hidden neuron switched off or on. ``ui/live.py`` calls in for its events
(``EVENTS``, ``handle``) and adds ``panel`` to every frame. The log of hand edits is
``nnplay.app.edits``; the playground applies it.
"""

from __future__ import annotations

import math

import streamlit as st

from nnplay.app import edits
from nnplay.app.playground import Playground
from nnplay.views.figures import node_labels

EVENTS = {"weight", "set_weight", "switch", "close_weight"}
MOVES = {"weight", "set_weight", "switch"}
"""The events that stop the run at the frame shown (and so first go back to it)."""


def close() -> None:
    """No weight chosen: the panel closes."""
    st.session_state.edit_selected = None


def handle(p: Playground, event: dict) -> None:
    """Open the weight panel on a weight, set it by hand, or switch a neuron: a refusal (a bad
    number, a weight or a neuron the network does not have) is a sentence in the panel."""
    kind, state = event["type"], st.session_state
    if kind == "close_weight":
        close()
        return
    p.pause()
    where = tuple(event.get(k) for k in ("layer", "row", "col"))
    state.edit_error = None
    try:
        if kind == "switch":
            p.switch(event.get("value", ""))
            return
        edits.check_weight(p.shape, *where)
        state.edit_selected = where
        if kind == "set_weight":
            p.edit_weight(*where, event.get("value", ""))
    except ValueError as problem:
        state.edit_error = str(problem)


def panel(p: Playground) -> dict | None:
    """What the weight panel shows (paused, a weight chosen): the weight, its gradient and its
    value after the next Step (``Playground.weight_detail``), the hidden neurons at its ends
    and whether each is off, and the last refusal; None otherwise."""
    state = st.session_state
    where = state.get("edit_selected")
    if p.playing or where is None:
        return None
    try:
        detail = p.weight_detail(*where)
    except ValueError:  # the network changed under the selection
        state.edit_selected = None
        return None
    for key in ("value", "gradient", "next"):  # JSON has no inf or NaN: shown as "–"
        if detail[key] is not None and not math.isfinite(detail[key]):
            detail[key] = None
    layer, row, col = where
    names = node_labels(p.shape)
    ends = [names[layer - 1][col]] if 1 < layer and col < p.shape[layer - 1] else []
    ends += [names[layer][row]] if layer < len(p.shape) - 1 else []
    off = set(p.off_names())
    detail.update(neurons=[[name, name in off] for name in ends], error=state.get("edit_error"),
                  low=-edits.MAX_HAND_WEIGHT, high=edits.MAX_HAND_WEIGHT,
                  edits=len(p.log), most=edits.MAX_EDITS)
    return detail
