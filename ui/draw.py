"""Drawing your own points on the decision surface: the component's ``point`` and
``unpoint`` events (``static/live/draw.js``), and what the scene tells it about drawing.

The rules (what a first point does to a gate, the restart from the seed, the minimum)
live in ``nnplay.app.drawing``; the link's part in ``nnplay.app.pointcode``.
"""

from __future__ import annotations

import math

import streamlit as st

from nnplay.app import drawing, pointcode
from nnplay.app.playground import Playground
from nnplay.problems import UPLOADED
from ui.sidebar import outputs_for, set_widgets

MAX_CLASS_NUMBER = 64
"""A class number an event may name (a drawing has at most 6 classes: the rest get a sentence)."""
HINT = ("Click (or tap) the surface to add a point of the chosen class, a point to remove it. "
        "Each change starts the run again from its seed (iteration 0), so the link reproduces "
        "it; every drawn point trains (a Test share holds some out). A link carries up to "
        f"{pointcode.MAX_LINK_POINTS} points. Keyboard: these buttons, then Tab to the surface: "
        "arrow keys move a cross (Shift: finer), Enter adds a point, Delete removes the nearest.")


def scene_info(p: Playground) -> dict:
    """What the component's draw toolbar needs: may it draw here, the classes, the hint."""
    current = p.uploaded if p.config.problem == UPLOADED else p.train
    names = (pointcode.names_of(current) if current.kind != "regression"
             else ("0", "1"))
    return {"can": p.train.n_inputs == 2, "classes": list(names), "hint": HINT}


def checked(event: dict) -> dict:
    """An event's point fields, if they are what the component sends: ``x`` and ``y`` finite
    numbers (``handle`` checks they lie in the square), ``cls`` a small class number."""
    fields = {}
    for name in ("x", "y"):
        value = event.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                value = float(value)
            except OverflowError:  # an integer beyond any float
                continue
            if math.isfinite(value):
                fields[name] = value
    label = event.get("cls")
    if isinstance(label, int) and not isinstance(label, bool) and 0 <= label < MAX_CLASS_NUMBER:
        fields["cls"] = label
    return fields


def handle(p: Playground, event: dict) -> None:
    """Add (``point``) or remove (``unpoint``) a point at the event's ``x``, ``y``: the run
    starts again from its seed on the new points; a point that cannot be, a sentence."""
    x, y, label = event.get("x"), event.get("y"), event.get("cls")
    if x is None or y is None or (event["type"] == "point" and label is None):
        return  # not what the component sends: ignored
    with p.lock:
        try:
            points, first = _changed(p, event["type"], x, y, label)
            config = p.config
            if first:  # a new problem, your drawing: every point trains
                config = config.replace(problem=UPLOADED, test_fraction=0.0)
            config = config.replace(**outputs_for(points, config))
            config.shape(points)
        except ValueError as problem:  # DrawError, or settings that do not fit the points
            p.notice = str(problem)
            return
        what = "Added a point" if event["type"] == "point" else "Removed a point"
        start = ("Your drawing starts from the points shown, all training points now. "
                 if first else "")
        p.use_points(points, config, f"{start}{what}: {points.n_examples} points. A change of "
                     f"points starts the run again from seed {config.seed}, iteration 0.")
    set_widgets(config, p.view)
    st.session_state.live_full_run = True  # the sidebar and the link show the new problem


def _changed(p: Playground, kind: str, x: float, y: float, label: int):
    """``(the new points, whether they start a drawing)``; raise ``DrawError`` if they cannot."""
    first = p.config.problem != UPLOADED
    if p.train.n_inputs != 2:
        raise drawing.DrawError("Points are drawn on two inputs; this problem has three.")
    current = drawing.starting_points(p.config.dataset()) if first else p.uploaded
    if kind == "point":
        return drawing.added(current, x, y, label, p.train.domain, drawing.classes_of(current)), first
    if current is None:
        raise drawing.DrawError("There is no point there to remove: click on a point's dot.")
    return drawing.removed(current, x, y), first
