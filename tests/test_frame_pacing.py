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
