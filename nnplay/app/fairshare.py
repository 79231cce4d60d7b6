"""Fair shares of one server process: how long each playing student's frame may train.

Every session of a ``streamlit run`` process runs in a thread of that one Python process,
and Python runs one thread's code at a time, so a process has about one core to share.
At the speed "max" a frame trains for a time budget (``FRAME_BUDGET``, 35 ms): alone on
the server that is a third of a core, and ten students at "max" would ask for three and a
half cores. Here each playing student's budget shrinks as more students play on this
process, so that together the frames train for at most ``TRAINING_SHARE`` of the core and
no one student starves the class.

A playground says it plays (``playing``), with a key of its own, at Play and on every
frame; it says it stopped (``stopped``) at Pause or when the run stops. A key not heard of
for ``EXPIRY`` seconds (a closed tab, a session that died mid-play) no longer counts.
Pure (the clock is passed in) and thread-safe: one ``FairShare`` per process, ``SHARES``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

FRAME_BUDGET = 0.035
"""Seconds of training per frame at the speed "max", for a student alone on the server."""
FRAME_INTERVAL = 0.1
"""Seconds between the frames a playing page asks for."""
TRAINING_SHARE = 0.5
"""The share of the process's core that training may take, all playing students together;
the rest draws the frames (Streamlit's own cost per frame is about as large)."""
MIN_BUDGET = 0.002
"""A frame trains at least this long (a few iterations of a large network), however busy."""
EXPIRY = 5.0
"""Seconds after which a student not heard of no longer counts as playing: frames come at
least every ``MAX_REST`` (0.4 s), so only a page that has gone stays silent this long."""


class FairShare:
    """Who is playing on this process now, and each one's training budget per frame."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *,
                 budget: float = FRAME_BUDGET, share: float = TRAINING_SHARE,
                 expiry: float = EXPIRY) -> None:
        self._clock = clock
        self._budget, self._share, self._expiry = budget, share, expiry
        self._seen: dict[Hashable, float] = {}
        self._lock = threading.Lock()

    def playing(self, key: Hashable) -> None:
        """``key``'s page plays (at Play and on every frame)."""
        with self._lock:
            self._seen[key] = self._clock()

    def stopped(self, key: Hashable) -> None:
        """``key``'s page no longer plays (Pause, a stop, a closed session)."""
        with self._lock:
            self._seen.pop(key, None)

    def players(self) -> int:
        """How many pages play on this process now (the expired ones forgotten)."""
        with self._lock:
            now = self._clock()
            for key in [k for k, seen in self._seen.items() if now - seen > self._expiry]:
                del self._seen[key]
            return len(self._seen)

    def budget(self, players: int | None = None) -> float:
        """Seconds of training for one frame when ``players`` pages play (now, by default):
        the full budget while it fits in the training share, then an equal part of it."""
        n = self.players() if players is None else players
        fair = self._share * FRAME_INTERVAL / max(1, n)
        return max(MIN_BUDGET, min(self._budget, fair))

    def busy(self, players: int | None = None) -> bool:
        """Whether frames at the speed "max" get less than the full budget."""
        return self.budget(players) < self._budget


SHARES = FairShare()
"""The one ``FairShare`` of this server process, shared by every session in it."""
