"""The frames a playing page gets (``nnplay.app.stream``): batches, asked for again safely, and
Pause or Step back at the frame the browser shows, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay.app.link import ViewOptions
from nnplay.app.playground import Playground
from nnplay.app.stream import BATCH, FIRST_BATCH, KEPT_BATCHES, FrameStream
from nnplay.config import RunConfig
from nnplay.views import frames


def pack(p: Playground, curves: frames.Curves) -> dict:
    return {"i": p.trainer.iteration, "w": p.trainer.network.parameters.copy(),
            **curves.after(p)}


def state(p: Playground) -> tuple:
    t = p.trainer
    return (t.iteration, t.last_error, t.network.parameters.tobytes(),
            {k: v.tobytes() for k, v in t.optimizer_state.items()},
            [a.tobytes() for a in t.history.curve()], t.snapshots.iterations,
            p.test_curve, p.bound, p.stop_reason)


def playing(config: RunConfig | None = None) -> tuple[Playground, FrameStream, list[dict]]:
    p, s = Playground(config or RunConfig(max_iterations=100_000, min_error=0.0)), FrameStream()
    p.play()
    return p, s, s.answer(p, None, pack)


def test_play_sends_a_first_batch_then_full_batches_on_request():
    p, s, first = playing()
    assert len(first) == FIRST_BATCH and all(f["gen"] == s.generation for f in first)
    assert [f["i"] for f in first] == [2, 4]  # speed "2": two iterations a frame
    more = s.answer(p, {"gen": s.generation, "after": first[-1]["seq"]}, pack)
    assert len(more) == BATCH and more[0]["seq"] == first[-1]["seq"] + 1
    assert more[-1]["i"] == p.trainer.iteration == 2 * (FIRST_BATCH + BATCH)


@pytest.mark.parametrize(("max_iterations", "speed"), [
    (100_000, "2"),
    (100_000, "max"),  # frames of a time budget: their iterations differ
    (2 * (FIRST_BATCH + 30), "2"),  # the run stops inside the batch
])
def test_asking_twice_gets_the_same_frames_made_again_bit_for_bit(max_iterations, speed):
    p = Playground(RunConfig(max_iterations=max_iterations, min_error=0.0), ViewOptions(speed=speed))
    s = FrameStream()
    p.play()
    first = s.answer(p, None, pack)
    request = {"gen": s.generation, "after": first[-1]["seq"]}
    once = s.answer(p, request, pack)
    after_once = state(p)
    again = s.answer(p, request, pack)  # the answer was lost (or the ask merged): sent again
    assert [f["seq"] for f in again] == [f["seq"] for f in once]
    assert [(f["i"], f["playing"], f["curve"]) for f in again] == [
        (f["i"], f["playing"], f["curve"]) for f in once]
    assert all(np.array_equal(a["w"], b["w"]) for a, b in zip(again, once, strict=True))
    assert state(p) == after_once  # and the run where the first answer left it
    if once[-1]["playing"]:
        more = s.answer(p, {"gen": s.generation, "after": once[-1]["seq"]}, pack)
        assert more[0]["seq"] == once[-1]["seq"] + 1 and not more[0]["curve"]["fresh"]


def test_a_request_of_an_old_generation_or_any_other_run_starts_afresh():
    p, s, first = playing()
    old = s.generation
    s.restart()  # e.g. a setting changed: a new generation
    fresh = s.answer(p, {"gen": old, "after": first[-1]["seq"]}, pack)
    assert fresh[0]["gen"] == s.generation != old and fresh[0]["curve"]["fresh"]
    assert s.answer(p, None, pack)[0]["curve"]["fresh"]  # a page run: afresh too


@pytest.mark.parametrize("config", [
    RunConfig(max_iterations=100_000, min_error=0.0),
    RunConfig(problem="set:circle", optimizer="adam", batch_size=16, learning_rate=0.03,
              patience=0, max_iterations=100_000, min_error=0.0),
])
@pytest.mark.parametrize("shown_at", [0, 3])
def test_pause_goes_back_to_the_frame_shown_bit_for_bit(config, shown_at):
    p, s, first = playing(config)
    batch = s.answer(p, {"gen": s.generation, "after": first[-1]["seq"]}, pack)
    s.answer(p, {"gen": s.generation, "after": batch[-1]["seq"]}, pack)  # the server runs ahead
    shown = batch[shown_at]
    assert s.go_back(p, {"gen": shown["gen"], "seq": shown["seq"]})
    p.pause()
    twin = Playground(config)
    twin.play()
    for _ in range(FIRST_BATCH + shown_at + 1):
        twin.frame()
    twin.pause()
    assert p.trainer.iteration == shown["i"] and np.array_equal(
        p.trainer.network.parameters, shown["w"])
    assert state(p) == state(twin)  # everything, not just the weights
    p.step(3)
    twin.step(3)
    assert state(p) == state(twin)


def test_a_frame_no_longer_kept_or_of_another_generation_leaves_the_newest_state():
    p, s, first = playing()
    request = {"gen": s.generation, "after": first[-1]["seq"]}
    for _ in range(KEPT_BATCHES):
        request["after"] = s.answer(p, request, pack)[-1]["seq"]
    newest = state(p)
    assert not s.go_back(p, {"gen": s.generation, "seq": first[0]["seq"]})  # dropped by now
    assert not s.go_back(p, {"gen": s.generation - 1, "seq": request["after"]})
    assert state(p) == newest


def test_a_run_that_stops_by_itself_ends_its_batch_and_says_so():
    p = Playground(RunConfig(max_iterations=7))
    s = FrameStream()
    p.play()
    sent = s.answer(p, None, pack) + s.answer(p, {"gen": s.generation, "after": 2}, pack)
    assert sent[-1]["i"] == 7 and not sent[-1]["playing"] and p.stop_reason == "max_iterations"
    assert [f["playing"] for f in sent] == [True] * (len(sent) - 1) + [False]


def test_a_change_from_another_thread_waits_for_the_batch_in_training():
    """Streamlit may start a session's next script run on a new thread while the last one
    still trains: the change waits for the batch, and the run is as if they took turns."""
    import threading
    import time

    p, s = Playground(RunConfig(max_iterations=100_000, min_error=0.0)), FrameStream()
    p.play()
    events = []

    def slow_pack(p: Playground, curves: frames.Curves) -> dict:
        time.sleep(0.05)
        events.append(("frame", p.trainer.settings.learning_rate))
        return pack(p, curves)

    batch = threading.Thread(target=s.answer, args=(p, None, slow_pack))
    batch.start()
    time.sleep(0.02)  # the batch has begun
    p.apply(RunConfig(max_iterations=100_000, min_error=0.0, learning_rate=0.5))
    events.append(("applied", p.trainer.settings.learning_rate))
    batch.join()
    assert events == [("frame", 2.0)] * FIRST_BATCH + [("applied", 0.5)]
    twin = Playground(RunConfig(max_iterations=100_000, min_error=0.0))
    twin.play()
    for _ in range(FIRST_BATCH):
        twin.frame()
    twin.apply(RunConfig(max_iterations=100_000, min_error=0.0, learning_rate=0.5))
    assert state(p) == state(twin)


def test_the_frame_shown_is_reckoned_from_the_browsers_play_clock():
    p, s = Playground(RunConfig(max_iterations=100_000, min_error=0.0)), FrameStream()
    clock = [100.0]  # seconds, moved by hand
    s.now = lambda: clock[0]
    assert s.reckoned(p) is None  # nothing plays: the server's state is on screen
    p.play()
    first = s.answer(p, None, pack)
    assert s.reckoned(p) == {"gen": s.generation, "seq": first[0]["seq"]}  # shown as it arrives
    clock[0] += 0.15
    assert s.reckoned(p)["seq"] == first[1]["seq"]
    batch = s.answer(p, {"gen": s.generation, "after": first[-1]["seq"], "seq": first[1]["seq"]},
                     pack)  # the browser asks, naming the frame on screen
    clock[0] += 0.35
    assert s.reckoned(p)["seq"] == first[1]["seq"] + 3  # ten frames a second since
    clock[0] += 3600
    assert s.reckoned(p)["seq"] == batch[-1]["seq"]  # never past the last frame sent
    s.restart()
    assert s.reckoned(p) is None  # a new generation: nothing of it shown yet
    p.pause()
    s.answer(p, None, pack)
    assert s.reckoned(p) is None


def test_the_play_clock_runs_as_fast_as_the_browser_shows_frames():
    """A page on a slow machine shows five frames a second: its asks, a batch apart, say so,
    and the frame reckoned on screen counts five a second, not ten."""
    p, s = Playground(RunConfig(max_iterations=100_000, min_error=0.0)), FrameStream()
    clock = [100.0]
    s.now = lambda: clock[0]
    p.play()
    first = s.answer(p, None, pack)
    clock[0] += 0.2
    batch = s.answer(p, {"gen": s.generation, "after": first[-1]["seq"], "seq": first[1]["seq"]},
                     pack)
    assert s.rate == 10  # a fifth of a second since the first frame: too short to measure
    clock[0] += 20
    shown = first[1]["seq"] + 100  # 100 frames in 20 s
    s.answer(p, {"gen": s.generation, "after": batch[-1]["seq"], "seq": shown}, pack)
    assert s.rate == 5
    clock[0] += 4.05
    assert s.reckoned(p)["seq"] == shown + 20
    clock[0] += 20  # the same ask again, nothing shown in between (a tab in the background)
    s.answer(p, {"gen": s.generation, "after": batch[-1]["seq"], "seq": shown}, pack)
    assert s._rates[-1] == 1  # measured: at least one frame a second, as a page that plays shows
    assert s.rate == 5  # but one slow measure of the last three does not slow the clock
    for _ in range(2):
        clock[0] += 20
        s.answer(p, {"gen": s.generation, "after": batch[-1]["seq"], "seq": shown}, pack)
    assert s.rate == 1  # three: the page shows no more than that


@pytest.mark.parametrize("ahead", [0, 5])
def test_a_setting_changed_while_playing_applies_from_the_frame_reckoned_shown(ahead):
    """A page run while playing (ui.live.catch_up): back to the frame the browser shows, then
    the setting; the run is as if the new setting had come at that frame."""
    config = RunConfig(max_iterations=100_000, min_error=0.0)
    p, s = Playground(config), FrameStream()
    clock = [100.0]
    s.now = lambda: clock[0]
    p.play()
    first = s.answer(p, None, pack)
    batch = s.answer(p, {"gen": s.generation, "after": first[-1]["seq"], "seq": first[0]["seq"]},
                     pack)
    s.answer(p, {"gen": s.generation, "after": batch[-1]["seq"], "seq": batch[3]["seq"]}, pack)
    clock[0] += ahead * 0.1 + 0.05
    shown = s.reckoned(p)
    assert shown["seq"] == batch[3 + ahead]["seq"]
    assert s.go_back(p, shown)
    s.restart()
    faster = RunConfig(max_iterations=100_000, min_error=0.0, learning_rate=0.5)
    p.apply(faster)
    again = s.answer(p, None, pack)
    twin = Playground(config)
    twin.play()
    for _ in range(FIRST_BATCH + 3 + ahead + 1):
        twin.frame()
    assert twin.trainer.iteration == batch[3 + ahead]["i"]
    twin.apply(faster)
    for _ in range(FIRST_BATCH):
        twin.frame()
    assert again[0]["gen"] == s.generation and again[-1]["i"] == twin.trainer.iteration
    assert state(p) == state(twin)
