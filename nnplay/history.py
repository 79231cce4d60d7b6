"""The error curve in bounded memory.

A run of ten million iterations must not keep ten million numbers, yet its
curve must keep its shape: spikes and plateaus included. ``ErrorHistory``
keeps at most ``capacity`` buckets, each the minimum and the maximum of
``stride`` consecutive iterations; when the buckets run out, neighbours merge
and the stride doubles. Drawing the band between minimum and maximum shows
every excursion the error made, however long the run.

The newest value is held apart until the next arrives, so the trainer can
take back the last iteration when it diverges.
"""

from __future__ import annotations

import numpy as np

from nnplay import _checks

Array = np.ndarray


class ErrorHistory:
    """Errors per iteration, as (min, max) buckets of ``stride`` iterations each.

    ``capacity`` is an even number of at least 2 (buckets merge in pairs): the
    ``Trainer`` checks the one it is given, ``from_dict`` a saved one.
    """

    def __init__(self, capacity: int = 2048) -> None:
        self.capacity = capacity
        self.stride = 1
        self._low = np.empty(0)
        self._high = np.empty(0)
        self._filled = 0  # iterations held in the buckets
        self._pending: float | None = None

    def __len__(self) -> int:
        """The number of iterations recorded."""
        return self._filled + (self._pending is not None)

    @property
    def last(self) -> float | None:
        """The most recent error, or None before the first.

        Also None after ``drop_last`` once buckets hold several iterations each:
        a bucket keeps its range, not its last value.
        """
        if self._pending is not None:
            return self._pending
        return float(self._low[-1]) if self._filled and self.stride == 1 else None

    def extend(self, errors: Array | list[float]) -> None:
        """Record the errors of the next iterations, in order."""
        errors = np.asarray(errors, dtype=np.float64).ravel()
        if errors.size == 0:
            return
        if self._pending is not None:
            errors = np.concatenate([[self._pending], errors])
        self._pending = float(errors[-1])
        self._fold(errors[:-1])

    def copy(self) -> ErrorHistory:
        """An independent copy, at the cost of a few numbers: the bucket arrays are never
        changed in place (every change makes new ones), so the two can share them."""
        twin = ErrorHistory(self.capacity)
        twin.stride, twin._filled, twin._pending = self.stride, self._filled, self._pending
        twin._low, twin._high = self._low, self._high
        return twin

    def drop_last(self) -> None:
        """Forget the most recent error (once; the trainer's undo of a diverged step)."""
        if self._pending is None:
            raise ValueError("Only the most recent error can be taken back, and only once.")
        self._pending = None

    def truncate(self, length: int) -> None:
        """Keep only the first ``length`` iterations (the trainer's rewind).

        Exact while the stride is 1; beyond that, the bucket that ``length``
        falls into keeps its range, which may include a few later values.
        """
        if length >= len(self):
            return
        self._pending = None
        if length < self._filled:
            buckets = -(-length // self.stride)
            self._low, self._high = self._low[:buckets].copy(), self._high[:buckets].copy()
            self._filled = length

    def _fold(self, errors: Array) -> None:
        # Top up the last, partly filled bucket, then add whole buckets.
        partial = self._filled % self.stride
        if partial and errors.size:
            take = errors[: self.stride - partial]
            # New arrays, never a change in place: a copy (``copy``) may share the old ones.
            self._low = np.append(self._low[:-1], min(self._low[-1], take.min()))
            self._high = np.append(self._high[:-1], max(self._high[-1], take.max()))
            self._filled += take.size
            errors = errors[take.size:]
        while errors.size:
            whole = errors.size // self.stride * self.stride
            chunks_low, chunks_high = self._bucket(errors[:whole])
            rest = errors[whole:]
            if rest.size:
                chunks_low = np.append(chunks_low, rest.min())
                chunks_high = np.append(chunks_high, rest.max())
            self._low = np.concatenate([self._low, chunks_low])
            self._high = np.concatenate([self._high, chunks_high])
            self._filled += errors.size
            errors = errors[:0]
            while self._low.size > self.capacity:
                self._merge()

    def _bucket(self, errors: Array) -> tuple[Array, Array]:
        grouped = errors.reshape(-1, self.stride)
        return grouped.min(axis=1), grouped.max(axis=1)

    def _merge(self) -> None:
        # Pair up neighbours; an odd bucket at the end stays alone (partly filled).
        n = self._low.size
        pairs = n // 2 * 2
        low = np.minimum(self._low[:pairs:2], self._low[1:pairs:2])
        high = np.maximum(self._high[:pairs:2], self._high[1:pairs:2])
        if n % 2:
            low, high = np.append(low, self._low[-1]), np.append(high, self._high[-1])
        self._low, self._high = low, high
        self.stride *= 2

    def curve(self) -> tuple[Array, Array, Array]:
        """``(iterations, low, high)``: each bucket's first iteration and its error range.

        With stride 1 ``low == high``: one point per iteration.
        """
        low, high = self._low, self._high
        if self._pending is not None:
            low, high = np.append(low, self._pending), np.append(high, self._pending)
        starts = np.arange(self._low.size) * self.stride
        if self._pending is not None:
            starts = np.append(starts, self._filled)
        return starts, low.copy(), high.copy()

    def to_dict(self) -> dict:
        return {
            "capacity": self.capacity,
            "stride": self.stride,
            "filled": self._filled,
            "low": self._low.tolist(),
            "high": self._high.tolist(),
            "pending": self._pending,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ErrorHistory:
        """Rebuild a history saved by ``to_dict`` (the caller validates the types)."""
        capacity = int(data["capacity"])
        if capacity < 2 or capacity % 2:
            _checks.fail("capacity", "an even number of at least 2", capacity)
        history = cls(capacity)
        history.stride = int(data["stride"])
        history._filled = int(data["filled"])
        history._low = np.asarray(data["low"], dtype=np.float64)
        history._high = np.asarray(data["high"], dtype=np.float64)
        pending = data["pending"]
        history._pending = None if pending is None else float(pending)
        expected = -(-history._filled // history.stride)
        if history._low.shape != (expected,) or history._high.shape != (expected,):
            raise ValueError("The saved error history is inconsistent: its bucket count does "
                             "not match its length. The file may have been edited or truncated.")
        return history
