"""Points in a link: drawn or uploaded points written compactly into ``pts=``.

A teacher draws a problem (or uploads a small CSV) and shares the link; the
link must open the same points, bit for bit, so that the same seed trains the
same weights. Coordinates travel quantised: each is one of ``DIVISIONS`` + 1 evenly
spaced values across the points' square (``domain``, carried exactly), and the
page snaps a drawn or uploaded point to that grid before it trains on it, so
what the page learns is exactly what the link carries.

The value of ``pts=`` is URL-safe base64 (no padding) of::

    byte 0          format version (1)
    byte 1          number of classes k (2 to MAX_CLASSES)
    bytes 2..33     the domain: x1 low, x1 high, x2 low, x2 high, float64 big-endian
    k names         each one byte of length, then that many bytes of UTF-8
    4 bytes/point   x1 step (12 bits, 0 to 2400), x2 step (12 bits), class (8 bits), big-endian

Up to ``MAX_LINK_POINTS`` points (about 1,100 characters of link). Only classes
travel (a regression CSV does not); anything else ``decode`` answers with
``PointCodeError`` and a sentence.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct

import numpy as np

from nnplay.app.csvdata import MAX_CLASSES, MAX_SIZE, CsvDataset, CsvError
from nnplay.datasets import Dataset

VERSION = 1
DIVISIONS = 2400
"""Coordinates take one of 2,401 values across the square, 1/2400 of its width apart: 0.005 on
the point sets' 12-wide square, 1/1200 on a gate's, so whole numbers (a gate's 0 and 1) and
clicks such as 1.25 stay exact. A point beyond the square moves to its edge."""
MAX_LINK_POINTS = 250
"""The most points a link carries (4 bytes each: about 1,100 characters of link)."""
MAX_NAME_BYTES = 24
"""The longest class name a link carries (UTF-8 bytes)."""
MAX_TEXT = 4 * (2 + 32 + MAX_CLASSES * (1 + MAX_NAME_BYTES) + 4 * MAX_LINK_POINTS) // 3 + 4
"""The longest ``pts=`` value ``decode`` reads; longer ones are refused before decoding."""
NAME = "your drawing"
_HEADER = struct.Struct(">BB4d")
BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class PointCodeError(ValueError):
    """A ``pts=`` value that is not a list of points this page wrote; the message says why."""


def snap(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """``values`` moved to the nearest of the link's even steps from ``low`` to ``high``,
    clipped into that range."""
    return _value(_step(np.asarray(values, dtype=np.float64), low, high), low, high)


def _value(steps: np.ndarray, low: float, high: float) -> np.ndarray:
    return low + (high - low) * steps / DIVISIONS


def _step(values: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.clip(np.rint((values - low) / (high - low) * DIVISIONS), 0, DIVISIONS).astype(np.int64)


def class_ids(data: Dataset) -> np.ndarray:
    """Each point's class number, shape (n,)."""
    return data.y.argmax(axis=1) if data.kind == "multiclass" else data.y[:, 0].astype(int)


def class_count(data: Dataset) -> int:
    return data.y.shape[1] if data.kind == "multiclass" else 2


def names_of(data: Dataset) -> tuple[str, ...]:
    names = tuple(getattr(data, "class_names", ()) or ())
    return names if len(names) == class_count(data) else tuple(str(k) for k in range(class_count(data)))


def make(X: np.ndarray, classes: np.ndarray, k: int, domain, names: tuple[str, ...] = (),
         name: str = NAME) -> CsvDataset:
    """A data set of points ``X`` (n, 2) of class numbers ``classes`` (n,) out of ``k``, on
    the square ``domain``, their coordinates snapped to the link's grid."""
    (x0, x1), (y0, y1) = domain
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    snapped = np.column_stack([snap(X[:, 0], x0, x1), snap(X[:, 1], y0, y1)])
    classes = np.asarray(classes, dtype=int).reshape(-1)
    y = classes[:, None].astype(np.float64) if k == 2 else np.eye(k)[classes].reshape(-1, k)
    names = tuple(names) if len(names) == k else tuple(str(c) for c in range(k))
    return CsvDataset(name, snapped, y, "binary" if k == 2 else "multiclass",
                      ((x0, x1), (y0, y1)), ("x1", "x2"), names)


def snapped(data: Dataset) -> Dataset:
    """``data`` as a link carries it (coordinates snapped), if a link can; else ``data``."""
    on_grid = make(data.X, class_ids(data), class_count(data), data.domain, names_of(data),
                   data.name) if data.kind != "regression" and data.n_inputs == 2 else data
    return on_grid if why_not(on_grid) is None else data


def why_not(data: Dataset) -> str | None:
    """Why a link cannot carry ``data`` (a sentence), or None if it can."""
    if data.kind == "regression":
        return "a link carries classes, not number targets: download the run (JSON) to share these points"
    if data.n_inputs != 2:
        return "a link carries points of two inputs only"
    if data.n_examples > MAX_LINK_POINTS:
        return (f"a link carries at most {MAX_LINK_POINTS} points and these are "
                f"{data.n_examples:,}: download the run (JSON) to share them")
    if any(len(n.encode()) > MAX_NAME_BYTES for n in names_of(data)):
        return f"a link carries class names of at most {MAX_NAME_BYTES} bytes"
    (x0, x1), (y0, y1) = data.domain
    if not (np.array_equal(snap(data.X[:, 0], x0, x1), data.X[:, 0])
            and np.array_equal(snap(data.X[:, 1], y0, y1), data.X[:, 1])):
        return ("these points are not on the link's grid (a run loaded from a file): upload "
                "or draw them again to share them by link")
    return None


def encode(data: Dataset) -> str:
    """The ``pts=`` value of ``data`` (raise ``ValueError`` saying why if a link cannot carry it)."""
    problem = why_not(data)
    if problem:
        raise ValueError(problem[0].upper() + problem[1:] + ".")
    (x0, x1), (y0, y1) = data.domain
    out = bytearray(_HEADER.pack(VERSION, class_count(data), x0, x1, y0, y1))
    for name in names_of(data):
        raw = name.encode()
        out += bytes([len(raw)]) + raw
    xs, ys = _step(data.X[:, 0], x0, x1), _step(data.X[:, 1], y0, y1)
    for a, b, c in zip(xs.tolist(), ys.tolist(), class_ids(data).tolist()):
        out += ((a << 20) | (b << 8) | c).to_bytes(4, "big")
    return base64.urlsafe_b64encode(bytes(out)).decode().rstrip("=")


def decode(text: object) -> CsvDataset:
    """The points of a ``pts=`` value; raise ``PointCodeError`` with a sentence if it is not one."""
    if not isinstance(text, str) or not text:
        raise PointCodeError("is empty")
    if len(text) > MAX_TEXT:
        raise PointCodeError(f"is longer than a link's {MAX_LINK_POINTS} points can be")
    try:
        if not BASE64URL.fullmatch(text):  # (b64decode would skip other characters)
            raise ValueError(text)
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise PointCodeError("is not a list of points (not URL-safe base64)") from None
    if len(raw) < _HEADER.size:
        raise PointCodeError("is cut short")
    version, k, x0, x1, y0, y1 = _HEADER.unpack_from(raw)
    if version != VERSION:
        raise PointCodeError(f"is written in format {version}, which this page does not read")
    if not 2 <= k <= MAX_CLASSES:
        raise PointCodeError(f"names {k} classes (a link carries 2 to {MAX_CLASSES})")
    for low, high in ((x0, x1), (y0, y1)):
        if not (math.isfinite(low) and math.isfinite(high) and low < high
                and max(abs(low), abs(high)) <= 2 * MAX_SIZE):
            raise PointCodeError(f"has a square ({low:g} to {high:g}) this page did not draw")
    names, at = [], _HEADER.size
    for _ in range(k):
        if at >= len(raw) or raw[at] > MAX_NAME_BYTES or at + 1 + raw[at] > len(raw):
            raise PointCodeError("is cut short in its class names")
        try:
            names.append(raw[at + 1:at + 1 + raw[at]].decode())
        except UnicodeDecodeError:
            raise PointCodeError("has a class name that is not text") from None
        at += 1 + raw[at]
    body = raw[at:]
    if len(body) % 4 or not body:
        raise PointCodeError("is cut short in its points" if body else "holds no points")
    words = np.frombuffer(body, dtype=">u4").astype(np.int64)
    if len(words) > MAX_LINK_POINTS:
        raise PointCodeError(f"holds {len(words)} points (a link carries at most {MAX_LINK_POINTS})")
    if max((words >> 20).max(), ((words >> 8) & 0xFFF).max()) > DIVISIONS:
        raise PointCodeError("has a point outside its square")
    classes = words & 0xFF
    if classes.max() >= k:
        raise PointCodeError(f"has a point of class {int(classes.max())} out of {k} classes")
    X = np.column_stack([_value(words >> 20, x0, x1), _value((words >> 8) & 0xFFF, y0, y1)])
    try:
        return make(X, classes, k, ((x0, x1), (y0, y1)), tuple(names))
    except (CsvError, ValueError) as reason:
        raise PointCodeError(f"does not make a data set ({reason})") from None
