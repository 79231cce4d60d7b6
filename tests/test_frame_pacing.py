"""The page asks for fewer frames when the server is busy, and more again when it is not.

A frame notes its wall clock and its thread's CPU clock when it starts and when
it is drawn (``Playground.frame_finished``). It rests for what is left of its
interval, so that the server can send it before the next begins, and at least
as long as it worked; what its wall time holds beyond its CPU time was spent
waiting, and on a busy server it rests about as long as frames have waited.
"""

from __future__ import annotations

import pytest

from nnplay.app.playground import FRAME_INTERVAL, MAX_REST, Playground


def frames(p: Playground, count: int, *, wall: float, cpu: float, at: float = 0.0) -> list[float]:
    """``count`` frames one second apart from ``at``, each taking ``wall`` seconds of wall
    time and ``cpu`` seconds of CPU; the rests they ask for."""
    rests = []
    for k in range(count):
        start = at + k
        p.frame_started(start, start)
        rests.append(p.frame_finished(start + wall, start + cpu))
    return rests


def test_a_quick_frame_on_a_quiet_server_rests_for_the_rest_of_its_interval():
    p = Playground()
    rests = frames(p, 50, wall=0.012, cpu=0.012)  # all its time its own work
    assert rests == [pytest.approx(FRAME_INTERVAL - 0.012)] * 50  # still ten frames a second
    assert p.waiting == 0.0


def test_a_long_frame_rests_as_long_as_it_worked():
    """A large network's frame is slow but busy (slowness alone is not a busy server); it rests
    as long as it worked, so that one student takes at most half of the server."""
    p = Playground()
    assert frames(p, 5, wall=0.04, cpu=0.04) == [pytest.approx(FRAME_INTERVAL - 0.04)] * 5
    assert frames(p, 5, wall=0.07, cpu=0.07) == [pytest.approx(0.07)] * 5  # 7 frames/s
    assert frames(p, 5, wall=0.3, cpu=0.3) == [pytest.approx(0.3)] * 5
    assert frames(p, 5, wall=2.0, cpu=2.0) == [MAX_REST] * 5
    assert p.waiting == 0.0


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
    assert rests[-1] == pytest.approx(FRAME_INTERVAL - 0.01) and p.waiting < 1e-6


def test_a_frame_not_started_is_not_timed():
    p = Playground()
    assert p.frame_finished(5.0, 0.0) == 0.0
    assert p.waiting == 0.0
    p.frame_started(0.0, 0.0)
    p.frame_finished(0.5, 0.0)
    assert p.waiting == pytest.approx(0.25)
    assert p.frame_finished(9.0, 0.0) == 0.0  # the same frame cannot finish twice
    assert p.waiting == pytest.approx(0.25)


def test_a_frame_cut_short_by_pause_does_not_slow_the_next_play():
    p = Playground()
    p.play()
    frames(p, 10, wall=0.4, cpu=0.01)
    p.frame_started(20.0, 20.0)  # Pause stops the page before this frame finishes
    p.pause()
    p.play()  # minutes later, on a quiet server
    assert p.waiting == 0.0
    assert p.frame_finished(600.0, 20.0) == 0.0  # the frame Pause cut short is not timed
