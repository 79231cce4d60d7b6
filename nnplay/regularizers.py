"""Weight penalties: L1 pushes weights to exactly zero, L2 shrinks them.

Penalties act on the weights only, never on the bias column, as in
TensorFlow Playground; ``mask`` is 1 for a weight and 0 for a bias. The error
a student sees stays the data error; the gradient adds the penalty's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Regularizer:
    name: str
    label: str
    penalty: Callable[[Array], Array]
    """``penalty(w)``: the penalty of each entry of ``w``; its sum times the rate is added."""
    gradient: Callable[[Array], Array]
    """``gradient(w)``: the penalty's derivative at each entry."""


REGULARIZERS: dict[str, Regularizer] = {
    r.name: r
    for r in (
        Regularizer("none", "none", np.zeros_like, np.zeros_like),
        Regularizer("l1", "L1", np.abs, np.sign),
        Regularizer("l2", "L2", lambda w: 0.5 * w * w, lambda w: w),
    )
}
"""Every penalty by name; the page, the URL and saved runs use these names."""


def add_gradient(grads: Array, params: Array, mask: Array, name: str, rate: float) -> None:
    """Add ``rate * penalty'(w)`` to ``grads`` in place (weights only)."""
    if name != "none" and rate > 0.0:
        grads += rate * REGULARIZERS[name].gradient(params) * mask


def clip_crossings(params: Array, before: Array, mask: Array) -> None:
    """Set to exactly 0 the weights an L1 step carried across zero.

    L1's gradient never vanishes, so without this a weight would wobble
    around zero forever; TensorFlow Playground clips it the same way, and the
    page draws such weights as dead.
    """
    crossed = (params * before < 0.0) & (mask > 0.0)
    params[crossed] = 0.0


def penalty(params: Array, mask: Array, name: str, rate: float) -> Array:
    """The total penalty ``rate * Σ penalty(w)`` per network (weights only)."""
    return rate * np.sum(REGULARIZERS[name].penalty(params) * mask, axis=-1)
