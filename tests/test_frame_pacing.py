"""The page asks for fewer frames when the server is busy, and more again when it is not.

A frame notes its wall clock and its thread's CPU clock when it starts and when
it is drawn; what the wall time holds beyond the CPU time was spent waiting,
and the frame rests about that long, and never less than ``MIN_REST``, the time
the server needs to send it (``Playground.frame_finished``).
"""

from __future__ import annotations

import pytest

from nnplay.views.playground import MAX_REST, MIN_REST, Playground


def frames(p: Playground, count: int, *, wall: float, cpu: float, at: float = 0.0) -> list[float]:
    """``count`` frames one second apart from ``at``, each taking ``wall`` seconds of wall
    time and ``cpu`` seconds of CPU; the rests they ask for."""
    rests = []
    for k in range(count):
        start = at + k
        p.frame_started(start, start)
        rests.append(p.frame_finished(start + wall, start + cpu))
    return rests


def test_a_quiet_server_never_rests():
    p = Playground()
    assert frames(p, 50, wall=0.012, cpu=0.012) == [MIN_REST] * 50  # all its own work
    assert p.rest == 0.0


def test_a_big_frame_that_never_waits_does_not_rest():
    """A large network's frame is slow but busy: slowness alone is not a busy server."""
    p = Playground()
    assert max(frames(p, 20, wall=0.3, cpu=0.3)) == MIN_REST


def test_a_busy_server_rests_as_long_as_frames_wait():
    p = Playground()
    rests = frames(p, 30, wall=0.21, cpu=0.01)  # each frame waited 0.2 s for a core or the lock
    assert rests[0] == pytest.approx(0.1)  # a running average: one slow frame counts half
    assert rests == sorted(rests)
    assert rests[-1] == pytest.approx(0.2)


def test_the_rest_is_bounded():
    p = Playground()
    assert frames(p, 20, wall=5.0, cpu=0.01)[-1] == MAX_REST  # never a frozen page


def test_a_quiet_server_gets_its_frames_back():
    p = Playground()
    frames(p, 20, wall=0.31, cpu=0.01)
    rests = frames(p, 20, wall=0.01, cpu=0.01, at=100.0)
    assert rests == sorted(rests, reverse=True)
    assert rests[3] < 0.05 and rests[-1] == MIN_REST and p.rest < 1e-6


def test_a_frame_not_started_is_not_timed():
    p = Playground()
    assert p.frame_finished(5.0, 0.0) == MIN_REST
    assert p.rest == 0.0
    p.frame_started(0.0, 0.0)
    p.frame_finished(0.5, 0.0)
    assert p.rest == pytest.approx(0.25)
    assert p.frame_finished(9.0, 0.0) == MIN_REST  # the same frame cannot finish twice
    assert p.rest == pytest.approx(0.25)


def test_a_frame_cut_short_by_pause_does_not_slow_the_next_play():
    p = Playground()
    p.play()
    frames(p, 10, wall=0.4, cpu=0.01)
    p.frame_started(20.0, 20.0)  # Pause stops the page before this frame finishes
    p.pause()
    p.play()  # minutes later, on a quiet server
    assert p.rest == 0.0
    assert p.frame_finished(600.0, 20.0) == MIN_REST  # the frame Pause cut short: not timed
    assert p.rest == 0.0
