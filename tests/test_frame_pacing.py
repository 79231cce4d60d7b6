"""The page asks for fewer frames when the server is busy, and more again when it is not."""

from __future__ import annotations

from nnplay.views.playground import FRAME_INTERVALS, Playground


def feed(p: Playground, seconds: float, frames: int) -> list[float]:
    seen = []
    for _ in range(frames):
        if p.pace(seconds):
            seen.append(p.frame_interval)
    return seen


def test_a_busy_server_gets_fewer_frames_step_by_step():
    p = Playground()
    assert p.frame_interval == FRAME_INTERVALS[0]
    assert feed(p, 0.09, 9) == []  # judged on ten frames, not one
    assert feed(p, 0.09, 40) == [0.2]  # 90 ms frames fit a 0.2 s interval
    assert feed(p, 0.2, 40) == [0.4]  # 200 ms frames do not: slower again
    assert feed(p, 1.0, 40) == []  # never beyond the slowest
    assert p.frame_interval == FRAME_INTERVALS[-1]


def test_a_quiet_server_gets_its_frames_back():
    p = Playground()
    feed(p, 0.3, 40)
    assert p.frame_interval == 0.4
    assert feed(p, 0.005, 40) == [0.2, 0.1]
    assert p.frame_interval == 0.1


def test_a_frame_well_within_its_interval_changes_nothing():
    p = Playground()
    assert feed(p, 0.03, 100) == []
    assert p.frame_interval == 0.1


def test_frames_cut_short_by_the_next_count_as_slow():
    p = Playground()
    changed = []
    for k in range(40):  # every frame starts 0.1 s after the last and never finishes
        if p.frame_started(k * 0.1):
            changed.append(p.frame_interval)
    assert changed == [0.2]  # 0.1 s of an unfinished frame is over 0.6 x 0.1 s
    p = Playground()
    for k in range(40):  # finished frames of 20 ms, 0.1 s apart: nothing to slow down
        assert not p.frame_started(k * 0.1)
        assert not p.frame_finished(k * 0.1 + 0.02)
    assert p.frame_interval == 0.1


def test_a_finished_frame_is_timed_from_its_start():
    p = Playground()
    assert not p.frame_finished(5.0)  # nothing started: nothing to time
    for k in range(10):
        p.frame_started(k * 1.0)
        p.frame_finished(k * 1.0 + 0.3)
    assert p.frame_interval == 0.2  # 300 ms frames: one step slower after ten


def test_a_frame_cut_short_by_pause_does_not_slow_the_next_play():
    p = Playground()
    p.play()
    p.frame_started(0.0)  # Pause stops the page before this frame finishes
    p.pause()
    p.play()  # minutes later
    for k in range(20):
        p.frame_started(600.0 + k * 0.1)
        p.frame_finished(600.0 + k * 0.1 + 0.01)
    assert p.frame_interval == 0.1
