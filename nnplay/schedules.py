"""Learning-rate schedules: the η an iteration uses, from the η a student set.

Iteration ``t`` counts the updates made before it (0 for the first). Each
schedule is optax's of the same name, so its values can be checked against it:

- ``constant``: η (the tutorial's);
- ``step``: η · rate^⌊t / N⌋, η times ``rate`` every N iterations (optax's
  ``piecewise_constant_schedule`` with boundaries N, 2N, ...);
- ``exponential``: η · rate^(t / N), the same decay made continuous (optax's
  ``exponential_decay``);
- ``cosine``: from η down to η · floor along half a cosine over N iterations,
  then flat (optax's ``cosine_decay_schedule``).

A warm-up of W iterations first climbs linearly from 0 to η; the schedule then
starts at W as if at 0 (optax's ``join_schedules`` of a ``linear_schedule`` and it).
Momentum's velocity takes each step's η as the step is added (v ← μv − η_t ΔW), as
Keras does; optax scales its running sum by the current η. With a constant η the
two agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable

Schedule = Callable[[float, int, int, float, float], float]
"""``schedule(η, t, N, rate, floor)``: the η of iteration ``t``."""


def _constant(eta: float, t: int, N: int, rate: float, floor: float) -> float:
    return eta


def _step(eta: float, t: int, N: int, rate: float, floor: float) -> float:
    return eta * rate ** (t // N)


def _exponential(eta: float, t: int, N: int, rate: float, floor: float) -> float:
    return eta * rate ** (t / N)


def _cosine(eta: float, t: int, N: int, rate: float, floor: float) -> float:
    done = min(t, N) / N
    return eta * ((1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * done)) + floor)


SCHEDULES: dict[str, Schedule] = {"constant": _constant, "step": _step,
                                  "exponential": _exponential, "cosine": _cosine}
"""Every schedule by name; the page, the link and saved runs use these names."""


def learning_rate_at(t: int, eta: float, schedule: str = "constant", decay_steps: int = 1000,
                     decay_rate: float = 0.5, decay_floor: float = 0.0, warmup: int = 0) -> float:
    """The η iteration ``t`` uses (arguments as in ``TrainerSettings``)."""
    if t < warmup:
        return eta * t / warmup
    return SCHEDULES[schedule](eta, t - warmup, decay_steps, decay_rate, decay_floor)
