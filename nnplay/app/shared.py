"""Results every session of a server process may share: computed once, handed out as copies.

Some of what a student asks for depends on the settings alone, such as the seeds lab: the
same configuration and seeds always train the same. When a class opens the same link and
presses *Run the seeds lab*, the server should train once. ``SharedResults`` keeps such
results by key, computes a missing one once even when several sessions ask at the same
moment (the others wait for it), and gives every caller its own copy (each result is kept
pickled), so nothing one session holds is another's: one student's changes never reach
another. Thread-safe; the oldest results go first beyond ``max_entries``.

(``st.cache_data`` does the same but cannot update a progress bar drawn outside it.)
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SharedResults:
    """Results by key, each computed once per process and returned as a fresh copy."""

    def __init__(self, max_entries: int = 64) -> None:
        self.max_entries = max_entries
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A copy of the result for ``key``, from ``compute()`` the first time. If ``compute``
        raises, nothing is kept and the error reaches this caller (the next one tries again)."""
        with self._lock:
            kept = self._get_kept(key)
            if kept is None:
                computing = self._computing.setdefault(key, threading.Lock())
        if kept is not None:
            return pickle.loads(kept)
        with computing:  # one caller computes; the others wait here, then find it kept
            with self._lock:
                kept = self._get_kept(key)
            if kept is None:
                kept = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
                with self._lock:
                    self._kept[key] = kept
                    while len(self._kept) > self.max_entries:
                        self._kept.popitem(last=False)
                    self._computing.pop(key, None)
        return pickle.loads(kept)

    def _get_kept(self, key: Hashable) -> bytes | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
