"""Argument checks for the public boundary, all speaking with one voice.

Every message has the shape scikit-learn uses, so a student always reads
what was expected and what came:
"The 'learning_rate' parameter must be a finite number greater than 0. Got -1 instead."
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np


def fail(name: str, expected: str, got: object, error: type[Exception] = ValueError) -> None:
    """Raise ``error`` with the project's one message shape."""
    raise error(f"The '{name}' parameter must be {expected}. Got {got!r} instead.")


def choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (registry names), else raise."""
    names = list(choices)
    if not isinstance(value, str) or value not in names:
        fail(name, "one of " + ", ".join(repr(c) for c in names), value)
    return value


def integer(name: str, value: object, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int if it is a whole number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        fail(name, "a whole number", value, TypeError)
    value = int(value)
    if value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        fail(name, f"a whole number {bounds}", value)
    return value


def number(
    name: str,
    value: object,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
) -> float:
    """Return ``value`` as a float if it is finite and within the bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        fail(name, "a number", value, TypeError)
    value = float(value)
    too_low = value <= low if low_open else value < low
    if not math.isfinite(value) or too_low or value > high:
        fail(name, "a finite number " + _describe(low, high, low_open), value)
    return value


def _describe(low: float, high: float, low_open: bool) -> str:
    if math.isinf(low) and math.isinf(high):
        return "(not NaN or infinity)"
    if math.isinf(high):
        return f"greater than {low:g}" if low_open else f"of at least {low:g}"
    if math.isinf(low):
        return f"of at most {high:g}"
    return f"between {low:g} and {high:g}"


def matrix(name: str, value: object, shape: tuple[int | None, ...]) -> np.ndarray:
    """Return ``value`` as a finite float64 array of ``shape`` (None: any length)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        fail(name, "an array of numbers", type(value).__name__, TypeError)
    if array.dtype.kind not in "iuf":  # no text that numpy would quietly turn into numbers
        fail(name, "an array of numbers", type(value).__name__, TypeError)
    array = array.astype(np.float64)
    wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
    if array.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, array.shape)):
        fail(name, f"an array of shape {wanted}", array.shape)
    if not np.isfinite(array).all():
        fail(name, "an array of finite numbers (no NaN or infinity)", "an array with NaN or inf")
    return array
