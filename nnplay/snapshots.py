"""Weight snapshots along a run, a bounded number, so the page can rewind.

Snapshots are taken every ``every`` iterations; when there are more than
``capacity``, every other one is dropped and ``every`` doubles, so a run of
any length keeps snapshots spread over all of it, denser nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Snapshot:
    iteration: int
    parameters: np.ndarray
    """A copy of the network's flat parameters before that iteration's update."""
    optimizer_state: dict[str, np.ndarray]


class Snapshots:
    """At most ``capacity`` snapshots (2 or more: the ``Trainer`` checks), evenly spaced over the run."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self.every = 1
        self.items: list[Snapshot] = []

    def offer(self, iteration: int, parameters: np.ndarray, state: dict[str, np.ndarray]) -> None:
        """Keep a copy of this state if ``iteration`` is due for a snapshot."""
        if iteration % self.every or (self.items and self.items[-1].iteration >= iteration):
            return
        copied = {k: v.copy() for k, v in state.items()}
        self.items.append(Snapshot(iteration, parameters.copy(), copied))
        if len(self.items) > self.capacity:
            self.every *= 2
            self.items = [s for s in self.items if s.iteration % self.every == 0]

    def copy(self) -> Snapshots:
        """Another ``Snapshots`` holding the same (immutable) snapshots."""
        twin = Snapshots(self.capacity)
        twin.every, twin.items = self.every, list(self.items)
        return twin

    def at(self, iteration: int) -> Snapshot:
        """The latest snapshot taken at or before ``iteration``."""
        earlier = [s for s in self.items if s.iteration <= iteration]
        if not earlier:
            raise ValueError(f"There is no snapshot at or before iteration {iteration}.")
        return earlier[-1]

    def forget_after(self, iteration: int) -> None:
        """Drop the snapshots of a future that is being rewritten."""
        self.items = [s for s in self.items if s.iteration <= iteration]

    @property
    def iterations(self) -> list[int]:
        return [s.iteration for s in self.items]
