"""The live area: one browser component (``static/live/``) that draws every live view and holds
the transport, fed with compact frames (``nnplay.views.frames``), several per script run.

The component asks for the next batch itself when its buffer runs low (the
event ``more``), which reruns only the fragment below; Play, Pause, Step,
Reset and the speed come back as events that name the frame on screen, so
that Pause stops exactly there (``nnplay.app.stream``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import streamlit as st

from nnplay.app.link import SPEEDS
from nnplay.app.playground import FRAME_INTERVAL, Playground
from nnplay.app.stream import FrameStream
from nnplay.views import frames
from ui import draw, live_edit, live_inspect
from ui.server import guarded
from ui.sidebar import address_ui, calm_down, playground

ASSETS = Path(__file__).resolve().parents[1] / "static" / "live"
VERSION = hashlib.blake2b(b"".join(path.read_bytes() for path in sorted(ASSETS.iterdir())),
                          digest_size=6).hexdigest()
# The component's code and styles are files the app's own server serves (static/live/, with
# server.enableStaticServing): Streamlit sends a component's inline JS and CSS with every
# script run, so inline they would cost each batch of frames 28 KB. What is inline is the
# link to them, versioned so that a browser never keeps an old copy. No CDN, no network.
COMPONENT = st.components.v2.component(
    "nnplay.live",
    html=f'<link rel="stylesheet" href="app/static/live/live.css?v={VERSION}"><div class="nn-live"></div>',
    js=f"""export default async function (component) {{
  const live = await import(new URL("app/static/live/live.js?v={VERSION}", document.baseURI));
  return live.default(component);
}}""",
    isolate_styles=True)
KEY = "live"
STEP_SIZES = [10, 100, 1000, 10000]
SPEED_LABELS = {"1": "1 iteration / frame", "2": "2 / frame", "5": "5 / frame",
                "20": "20 / frame", "100": "100 / frame", "1000": "1,000 / frame",
                "max": "as fast as possible"}


def stream() -> FrameStream:
    """This user's frame stream (beside their playground in session state)."""
    if "stream" not in st.session_state:
        st.session_state.stream = FrameStream()
    return st.session_state.stream


def catch_up(p: Playground) -> None:
    """A page run while the run plays (a setting changed, a tab opened): first take the run back
    to the frame the browser shows, as the stream reckons it, so that what the page run changes
    applies from there and the view goes on from the frame on screen. The frames after it are
    dropped: the fragment sends a new generation."""
    s = stream()
    shown = s.reckoned(p)
    if shown is not None:
        s.go_back(p, shown)
        s.restart()


# -- events from the component (callbacks: they run before the fragment) ------------------

EVENTS = {"more", "play", "pause", "step", "reset", "speed", "calm", "slow", "point", "unpoint",
          *live_edit.EVENTS, *live_inspect.EVENTS}


def handle(p: Playground, event: dict) -> None:
    """Do what the component asks: ``event`` is ``{"type": ..., "gen": g, "seq": shown, ...}``
    (what a browser sends is not trusted: anything else is ignored)."""
    event = _checked(event)
    kind = event.get("type")
    s = stream()
    with p.lock:  # the event and what it does, at once (see Playground.lock)
        if kind == "more":
            st.session_state.live_request = event
            return
        if kind in live_inspect.EVENTS:  # the node panel: the run does not move
            live_inspect.handle(p, event)
            return
        if kind in ("point", "unpoint"):  # your own points (ui/draw.py)
            draw.handle(p, event)
            address_ui(p)
            return
        if kind in ("pause", "step", "play", "slow", *live_edit.MOVES):
            s.go_back(p, event)  # to the frame on screen, if the server is past it
        if kind in live_edit.EVENTS:  # the weight panel (ui/live_edit.py)
            live_edit.handle(p, event)
        if kind == "play":
            live_edit.close()  # the weight panel shows a paused run
            p.play()
        elif kind == "pause":
            p.pause()
        elif kind == "step":
            live_inspect.keeping_change(p, lambda: p.step(_step_size(event.get("n", 1))))
        elif kind == "slow":  # Step, with what slow motion plays on the way
            live_inspect.slow_step(p, event.get("example"))
        elif kind == "reset":
            p.reset()
        elif kind == "speed" and event.get("value") in SPEEDS:
            st.session_state.speed = event["value"]
            p.view = dataclasses.replace(p.view, speed=event["value"])
            st.session_state.live_full_run = True  # the link holds the speed
        elif kind == "calm":
            calm_down()
            st.session_state.live_full_run = True  # the sidebar shows the new rate
        if kind in ("play", "pause", "step", "reset", "slow", *live_edit.MOVES):
            address_ui(p)  # paused, the address holds the iteration (at=); playing, it does not


def _checked(event: object) -> dict:
    """The event's known fields with the types they must have; the rest dropped."""
    if not isinstance(event, dict) or event.get("type") not in EVENTS:
        return {}
    whole = {k: event[k] for k in ("gen", "seq", "after", "n", "example", "layer", "row", "col")
             if isinstance(event.get(k), int) and not isinstance(event.get(k), bool)}
    text = {k: event[k][:100] for k in ("type", "value", "have", "node") if isinstance(event.get(k), str)}
    return {**whole, **text, **draw.checked(event)}


def _step_size(n: object) -> int:
    return n if isinstance(n, int) and (n == 1 or n in STEP_SIZES) else 1


def _on_event() -> None:
    handle(playground(), st.session_state.get(KEY, {}).get("event"))


# -- the fragment ----------------------------------------------------------------------------

def live_ui(p: Playground, big: bool) -> None:
    """Send this run's frames to the component (one frame paused, a batch playing)."""
    if st.session_state.pop("live_full_run", False):
        st.rerun(scope="app")
    if p.shape[0] == 3:  # three inputs: one slice of the cube at a time
        p.third_input = float(st.radio("Slice of the decision surface", [0, 1], horizontal=True,
                                       key="slice_x3", format_func=lambda v: f"x3 = {v}"))
    request = st.session_state.pop("live_request", None)
    # If the frames cannot be made, the page says so and the component stays, transport and
    # all, so that the student can step on, change a setting or reset.
    sent, scene, scene_id = guarded("the live views")(_answer)(p, request, big) or ([], None, None)
    if sent and not sent[-1]["playing"]:
        address_ui(p)  # it stopped by itself, or stays paused: the address holds where it is
    have = request.get("have") if request else None
    COMPONENT(key=KEY, on_event_change=_on_event, data={
        "frames": sent,
        "scene": None if have == scene_id else scene,
        "scene_id": scene_id,
        "controls": controls(p),
        **live_inspect.data(p),  # the node panel, slow motion, the last Step's ΔW
    })


def _answer(p: Playground, request: dict | None, big: bool) -> tuple[list[dict], dict, str]:
    with p.lock:
        return stream().answer(p, request, pack), *scene_of(p, big)


def pack(p: Playground, curves: frames.Curves) -> dict:
    """One frame: the views' data and what the page says about the run."""
    data = frames.frame(p, curves)
    status = p.status()
    data["status"] = None if status is None else [status.kind, status.message]
    data["calm"] = p.stop_reason == "diverged"
    data["edit"] = live_edit.panel(p)
    return data


def scene_of(p: Playground, big: bool) -> tuple[dict, str]:
    """The scene and its identity (the browser says which scene it holds; it gets a new one
    only when that changes). Built once per run, problem, slice and view."""
    key = (id(p.train), id(p.test), p.config, p.view, p.third_input, big, p.trainer.settings)
    cached = st.session_state.get("live_scene")
    if cached is None or cached[0] != key:
        scene = frames.scene(p, big=big)
        scene["draw"] = draw.scene_info(p)
        digest = hashlib.blake2b(json.dumps(scene, sort_keys=True).encode(), digest_size=8)
        cached = (key, scene, digest.hexdigest())
        st.session_state.live_scene = cached
    return cached[1], cached[2]


def controls(p: Playground) -> dict:
    return {"speed": p.view.speed, "speeds": [[k, SPEED_LABELS[k]] for k in SPEEDS],
            "steps": STEP_SIZES, "interval": int(FRAME_INTERVAL * 1000)}


def still_ui(p: Playground, network, iteration: int) -> None:
    """The live views of ``network`` (an earlier state of the run), drawn still: the rewind
    panel's picture of the past, made exactly as the present is."""
    data = frames.frame(p, frames.Curves(), network)
    data.update(stream="rewind", seq=0, gen=iteration, playing=False, status=None, calm=False)
    scene, scene_id = scene_of(p, False)
    COMPONENT(key="rewind_view", data={"frames": [data], "scene": scene, "scene_id": scene_id,
                                       "controls": None, "still": True})
