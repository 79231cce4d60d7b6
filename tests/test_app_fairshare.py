"""Fair shares of one server process (nnplay.app.fairshare) and the playground's use of them."""

from __future__ import annotations

import threading

import pytest

from nnplay.app import fairshare, playground
from nnplay.app.fairshare import FRAME_BUDGET, MIN_BUDGET, FairShare
from nnplay.app.link import ViewOptions
from nnplay.app.playground import Playground
from nnplay.config import RunConfig


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_alone_a_student_gets_the_whole_budget():
    shares = FairShare(Clock())
    shares.playing("a")
    assert shares.players() == 1
    assert shares.budget() == FRAME_BUDGET
    assert not shares.busy()


def test_the_budget_shrinks_as_more_play_and_never_below_the_floor():
    shares = FairShare(Clock())
    budgets = [shares.budget(n) for n in range(1, 200)]
    assert budgets == sorted(budgets, reverse=True)
    assert budgets[-1] == MIN_BUDGET
    # Together, the playing students train for no more than the process's training share.
    for n in range(2, 20):
        assert n * shares.budget(n) <= fairshare.TRAINING_SHARE * fairshare.FRAME_INTERVAL + 1e-12
    assert shares.busy(10)


def test_a_key_counts_once_and_leaves_when_stopped():
    shares = FairShare(Clock())
    for _ in range(3):
        shares.playing("a")
    shares.playing("b")
    assert shares.players() == 2
    shares.stopped("a")
    shares.stopped("never-played")
    assert shares.players() == 1


def test_a_page_not_heard_of_expires():
    clock = Clock()
    shares = FairShare(clock, expiry=5.0)
    shares.playing("gone")
    clock.now += 3
    shares.playing("here")
    clock.now += 3  # "gone" silent for 6 s, "here" for 3 s
    assert shares.players() == 1
    clock.now += 3
    assert shares.players() == 0
    assert shares.budget() == FRAME_BUDGET


def test_many_threads_at_once_count_exactly():
    shares = FairShare(Clock())
    start = threading.Barrier(8)

    def student(k: int) -> None:
        start.wait()
        for i in range(200):
            shares.playing((k, i % 5))
            shares.budget()
        shares.stopped((k, 0))

    threads = [threading.Thread(target=student, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shares.players() == 8 * 4


# -- the playground's hook ---------------------------------------------------------------

@pytest.fixture
def shares(monkeypatch: pytest.MonkeyPatch) -> FairShare:
    """A fresh process-wide FairShare for the test (the real one is shared by the module)."""
    fresh = FairShare(Clock())
    monkeypatch.setattr(fairshare, "SHARES", fresh)
    return fresh


def _fake_perf_counter(monkeypatch: pytest.MonkeyPatch, step: float) -> None:
    """Every read of the clock moves it on by ``step`` seconds: each chunk "takes" ``step``."""
    now = [0.0]

    def tick() -> float:
        now[0] += step
        return now[0]

    monkeypatch.setattr(playground.time, "perf_counter", tick)


def _max_speed() -> Playground:
    p = Playground(RunConfig(min_error=0.0, max_iterations=10_000_000), ViewOptions(speed="max"))
    p.play()
    return p


def test_a_busy_server_shrinks_the_frame_at_max_speed(shares, monkeypatch):
    _fake_perf_counter(monkeypatch, 0.005)
    alone = _max_speed()
    assert alone.frame() > 16  # several chunks in 35 ms at 5 ms a chunk
    assert alone.status() is None or "busy" not in alone.status().message
    for k in range(20):
        shares.playing(f"other-{k}")
    crowded = _max_speed()
    assert crowded.frame() == 16  # one chunk: the fair share (2.4 ms) is spent after it
    status = crowded.status()
    assert status is not None and status.kind == "info"
    assert "busy: 22 students are playing" in status.message


def test_play_pause_and_a_stop_register_and_unregister(shares):
    p = Playground(RunConfig(min_error=0.0, max_iterations=30), ViewOptions(speed="20"))
    p.play()
    assert shares.players() == 1
    p.pause()
    assert shares.players() == 0
    p.play()
    p.frame()
    assert shares.players() == 1
    p.frame()  # reaches the maximum of 30 iterations and stops by itself
    assert not p.playing
    assert shares.players() == 0


def test_fixed_speeds_are_never_cut(shares):
    for k in range(50):
        shares.playing(f"other-{k}")
    p = Playground(RunConfig(min_error=0.0), ViewOptions(speed="100"))
    p.play()
    assert p.frame() == 100
    assert p.status() is None


def test_the_page_says_when_it_slows_down_for_a_busy_server(shares):
    """Many students playing on this process: a student who presses Play at the speed "max"
    reads why their run goes slower; at a fixed speed nothing is said."""
    from test_page import click, new_app

    for k in range(9):
        shares.playing(f"other-{k}")
    page = new_app({"speed": "max", "min": "0", "max": "10000000"})
    click(page, "Play")
    assert "The server is busy: 10 students are playing here, so each frame trains for 5 ms" in (
        _said(page))
    click(page, "Pause")
    assert "The server is busy" not in _said(page)
    assert shares.players() == 9


def _said(page) -> str:
    """Every sentence the page shows (the page tests' own reader where there is one: the live
    area may hold a status line of its own)."""
    import test_page

    if hasattr(test_page, "said"):
        return test_page.said(page)
    return " ".join(e.value for e in [*page.info, *page.success, *page.warning, *page.error])
