"""The frames one student's page plays: trained in batches, kept until shown, safe to ask twice.

While a run plays, the server trains a batch of frames in one script run and
the browser component plays them at ten a second, asking for the frames
after the last it holds when its buffer runs low. A ``FrameStream`` numbers
every frame (``seq``, never reused in a session) and keeps, for its last few
batches, the run's ``Moment`` before the batch and the iteration each frame
reached (not the frames: a batch of a 500-point set is 2 MB):

* a request for frames the browser already asked for (Streamlit merges
  pending reruns, and drops a fragment's unsent output when the next run
  starts) gets the same frames again, made again from the batch's start
  (the same iterations give the same bits);
* Pause and Step name the frame the browser shows, and the run goes back to
  it exactly, however far the server has trained: back to the start of that
  frame's batch (``Playground.go_to``), then on to the frame's iteration
  (``Playground.replay_frame``; the same iterations give the same bits).
  A moment per batch, not per frame, keeps a session small.

Every change that does not continue play (a setting, Step, Reset, Rewind,
Pause, a new page run) starts a new ``generation``: the browser drops what
it buffered and draws the next frame whole. A page run while the run plays (a
setting changed, a tab opened) first takes the run back to the frame the
browser shows, as the stream reckons it from the browser's play clock
(``reckoned``: the frame the browser named when it last asked for frames, plus
as many as it shows a second since, ten or as its asks measured; never past the
last frame sent), so that a setting applies from the frame on screen, give or
take the network's delay, and the view goes on without a jump. Pause and Step need no reckoning: they
name the frame shown (see ``go_back``).
"""

from __future__ import annotations

import copy
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from nnplay.app.playground import FRAME_INTERVAL, Moment, Playground
from nnplay.views import frames

FIRST_BATCH = 2
"""Frames in the first batch after Play: the view moves within one round trip."""
BATCH = 160
"""Frames per batch while playing (sixteen seconds of play at ten frames a second): every
script run costs the browser about 120 ms (Streamlit re-renders the whole app several times,
sidebar and all), as much as drawing several frames, so fewer runs per frame shown is the
lever (benchmarks/README.md, "The live area"). The component asks for the next batch 1.6 s
before it runs out, and a batch stops growing after ``BATCH_SECONDS`` of training (the
500-point spiral's at about 130 frames, 2 MB of frames, 0.65 MB on the wire), which also
bounds what Pause, Step and a page run replay to reach the frame shown. A batch's size no
longer decides how far ahead a changed setting applies (``reckoned``), nor what a session
keeps (a moment per batch)."""
BATCH_SECONDS = 0.3
RATE_SECONDS = 4.0
"""The shortest span between two asks that measures the browser's frame rate (asks come a
batch apart; an ask sent again, or a generation's first, can come within a second)."""
KEPT_BATCHES = 3
"""Batches whose start is kept: the frame the browser shows is in the last two."""


class FrameStream:
    """Numbers and packs the frames of one student's page, and keeps how to make them again (kept
    in session state).

    It trains and goes back holding the playground's lock (``Playground.lock``)."""

    def __init__(self) -> None:
        self.id = secrets.token_hex(4)
        """Names this stream in every frame: a browser that reconnects to a new session (whose
        generations start again from 1) knows its frames from an old stream's."""
        self.generation = 0
        self.seq = 0
        self._batches: OrderedDict[int, _Batch] = OrderedDict()  # by the seq of its first frame
        self._curves = frames.Curves()
        self._clock: tuple[float, int] | None = None  # (when, seq): a frame the browser showed
        self._rates: deque[float] = deque(maxlen=3)  # frames a second between asks (_timed)
        self.now: Callable[[], float] = time.monotonic

    # -- what a script run sends ---------------------------------------------------------

    def answer(self, p: Playground, request: dict | None, pack: Callable[..., dict]) -> list[dict]:
        """The frames for this script run.

        ``request`` is the browser's ``{"gen": g, "after": seq, "seq": shown}`` when it asks
        for more frames (``shown``: the frame on its screen, which sets the play clock
        ``reckoned`` counts from), or None for any other run (which starts a new generation).
        Paused: one frame of the run now. Playing: the frames after ``after`` (the last batch
        again, if that is what the browser missed), or a new batch.
        """
        with p.lock:  # a batch at a time: see Playground.lock
            return self._answer(p, request, pack)

    def _answer(self, p: Playground, request: dict | None, pack: Callable[..., dict]) -> list[dict]:
        if request is not None and request.get("gen") == self.generation:
            shown = request.get("seq")
            if isinstance(shown, int) and 0 < shown <= self.seq:
                self._timed(shown)
            after = int(request.get("after", -1))
            last = next(reversed(self._batches.values()), None)
            if last is not None and last.generation == self.generation and after == last.first - 1:
                return self._again(p, last, pack)  # its answer never arrived
            if p.playing:
                if after == self.seq:
                    return self._batch(p, BATCH, pack)
                self.restart()  # asks after a frame no longer kept: start afresh
                return self._batch(p, FIRST_BATCH, pack)
        self.restart()
        return self._batch(p, FIRST_BATCH, pack) if p.playing else [self._still(p, pack)]

    def restart(self) -> None:
        """A new generation: the browser starts its buffer and its curves afresh."""
        self.generation += 1
        self._curves = frames.Curves()
        self._clock = None

    # -- the transport, at the frame the browser shows -----------------------------------------

    def go_back(self, p: Playground, shown: dict | None) -> bool:
        """Return the run to the frame the browser shows (``{"gen": g, "seq": s}``) if it is
        of this generation and kept; True if it did. The caller then pauses, steps, ...;
        otherwise the run stays at the server's newest state."""
        if not shown or shown.get("gen") != self.generation:
            return False
        with p.lock:
            return self._go_back(p, shown)

    def reckoned(self, p: Playground) -> dict | None:
        """The frame the browser shows now (``{"gen": g, "seq": s}``) as reckoned from its play
        clock, for a page run that does not name it: the frame it named when it last asked for
        frames (or the first of a generation, shown as it arrives), plus ``rate`` a second
        since, never past the last frame sent. None when the run is not
        playing: then the server's state is the one on screen."""
        if not p.playing or self._clock is None:
            return None
        when, seq = self._clock
        ahead = max(0, int((self.now() - when) * self.rate))
        return {"gen": self.generation, "seq": min(self.seq, seq + ahead)}

    @property
    def rate(self) -> float:
        """Frames the browser shows a second: ten, or what its last three asks measured at
        most (a page on a slow machine shows fewer; a tab that was in the background for a
        while shows none meanwhile, which one measure of the three says and the others not)."""
        return max(self._rates, default=1 / FRAME_INTERVAL)

    def _timed(self, shown: int) -> None:
        """The frame on screen as the browser asked: the play clock, and over the seconds since
        the last ask (a batch apart) how many frames a second it showed, 1 to 10."""
        now = self.now()
        if self._clock is not None and now - self._clock[0] >= RATE_SECONDS:
            measured = (shown - self._clock[1]) / (now - self._clock[0])
            self._rates.append(min(1 / FRAME_INTERVAL, max(1.0, measured)))
        self._clock = (now, shown)

    def _go_back(self, p: Playground, shown: dict) -> bool:
        seq = shown.get("seq")
        batch = next((b for first, b in reversed(self._batches.items())
                      if first <= seq if isinstance(seq, int)), None)
        if batch is None or batch.generation != self.generation or seq - batch.first >= len(
                batch.iterations):
            return False
        p.go_to(batch.start)  # the run as it was before the batch's first frame
        for iteration in batch.iterations[:seq - batch.first + 1]:
            p.replay_frame(iteration)
        return True

    # -- frames ---------------------------------------------------------------------------

    def _batch(self, p: Playground, n: int, pack: Callable[..., dict]) -> list[dict]:
        batch = _Batch(self.generation, self.seq + 1, p.moment(), copy.copy(self._curves), [])
        self._batches[batch.first] = batch
        while len(self._batches) > KEPT_BATCHES:
            self._batches.popitem(last=False)
        out, start = [], time.perf_counter()
        while len(out) < n and (not out or time.perf_counter() - start < BATCH_SECONDS):
            p.frame()
            batch.iterations.append(p.trainer.iteration)
            out.append(self._pack(p, pack))
            if not p.playing:  # it stopped by itself: the last frame says why
                break
        if out and self._clock is None:  # the browser shows a generation's first frame at once
            self._clock = (self.now(), out[0]["seq"])
        return out

    def _again(self, p: Playground, batch: _Batch, pack: Callable[..., dict]) -> list[dict]:
        """The last batch made again, frame for frame and bit for bit, with its numbers."""
        p.go_to(batch.start)
        self.seq, self._curves = batch.first - 1, copy.copy(batch.curves)
        out = []
        for iteration in batch.iterations:
            p.replay_frame(iteration)
            out.append(self._pack(p, pack))
        return out

    def _still(self, p: Playground, pack: Callable[..., dict]) -> dict:
        return self._pack(p, pack)

    def _pack(self, p: Playground, pack: Callable[..., dict]) -> dict:
        self.seq += 1
        sent = pack(p, self._curves)
        sent.update(stream=self.id, seq=self.seq, gen=self.generation, playing=p.playing)
        return sent


@dataclass
class _Batch:
    """A batch of frames: the run before its first frame, the curves' places then, and the
    iteration each frame reached."""

    generation: int
    first: int
    start: Moment
    curves: frames.Curves
    iterations: list[int]
