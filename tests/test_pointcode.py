"""Points in a link (``nnplay.app.pointcode``) and the drawing rules (``nnplay.app.drawing``):
round trips bit for bit, the limits, and hostile ``pts=`` values ending in a sentence."""

from __future__ import annotations

import base64
import struct

import numpy as np
import pytest

from nnplay import datasets
from nnplay.app import drawing, pointcode
from nnplay.app.csvdata import load_points
from nnplay.app.link import POINTS, ViewOptions, parse_query, to_query
from nnplay.config import RunConfig


def raw(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def header(k=2, domain=(-6.0, 6.0, -6.0, 6.0), version=1, names=("0", "1")) -> bytes:
    out = struct.pack(">BB4d", version, k, *domain)
    for name in names:
        out += bytes([len(name.encode())]) + name.encode()
    return out


@pytest.mark.parametrize("name", ["circle", "xor", "three_gaussians", "spiral3"])
def test_a_point_set_snapped_round_trips_bit_for_bit(name):
    data = datasets.points(name, 200, noise=0.2, seed=3)
    snapped = pointcode.snapped(data)
    back = pointcode.decode(pointcode.encode(snapped))
    assert back.X.tobytes() == snapped.X.tobytes() and back.y.tobytes() == snapped.y.tobytes()
    assert back.kind == data.kind and back.domain == data.domain
    inside = np.abs(data.X) <= 6  # each coordinate within half a step; one beyond, at the edge
    assert np.abs(snapped.X - data.X)[inside].max() <= 12 / pointcode.DIVISIONS / 2 + 1e-12
    assert np.array_equal(snapped.X[~inside], np.sign(data.X[~inside]) * 6)
    assert pointcode.snapped(snapped).X.tobytes() == snapped.X.tobytes()  # snapping is idempotent


def test_a_gate_keeps_its_exact_corners():
    snapped = pointcode.snapped(datasets.gate("xor"))
    assert snapped.X.tolist() == datasets.gate("xor").X.tolist()


def test_an_uploaded_csv_keeps_its_class_names_and_square():
    data = load_points("x1,x2,label\n1,2,cat\n3,4,dog\n5,1,emu\n2,2,cat\n")
    back = pointcode.decode(pointcode.encode(pointcode.snapped(data)))
    assert back.class_names == ("cat", "dog", "emu") and back.domain == data.domain
    assert (back.y.argmax(axis=1) == data.y.argmax(axis=1)).all()


def test_random_points_round_trip():
    rng = np.random.default_rng(0)
    for k in (2, 3, 6):
        X = rng.uniform(-100, 250, (pointcode.MAX_LINK_POINTS, 2))
        data = pointcode.make(X, rng.integers(0, k, len(X)), k, ((-100, 250), (-100, 250)))
        text = pointcode.encode(data)
        assert len(text) <= pointcode.MAX_TEXT
        back = pointcode.decode(text)
        assert back.X.tobytes() == data.X.tobytes() and back.y.tobytes() == data.y.tobytes()


def test_what_a_link_cannot_carry_is_said():
    many = pointcode.snapped(datasets.points("circle", pointcode.MAX_LINK_POINTS + 1))
    assert "at most 250 points" in pointcode.why_not(many)
    with pytest.raises(ValueError, match="at most 250 points"):
        pointcode.encode(many)
    assert "classes, not number targets" in pointcode.why_not(datasets.points("plane", 20))
    assert pointcode.why_not(datasets.parity(3)) == "a link carries points of two inputs only"
    assert pointcode.snapped(many) is many  # not carried: left as it is
    raw_csv = load_points("x1,x2,label\n0.1234567,2,0\n3,4,1\n")  # as a saved run keeps it
    assert "not on the link's grid" in pointcode.why_not(raw_csv)
    assert pointcode.why_not(pointcode.snapped(raw_csv)) is None


@pytest.mark.parametrize("text, words", [
    ("", "is empty"),
    (None, "is empty"),
    ("A" * (pointcode.MAX_TEXT + 1), "longer than"),
    ("ab$c", "not a list of points"),
    ("AQI" + "$" * 40 + "AAAA", "not a list of points"),
    ("AQIé", "not a list of points"),
    ("AQI=", "not a list of points"),
    ("AQI", "cut short"),
    (raw(header(version=2) + b"\0\0\0\0"), "format 2"),
    (raw(header(k=1, names=("0",)) + b"\0\0\0\0"), "names 1 classes"),
    (raw(header(k=9, names=()) + b"\0\0\0\0"), "names 9 classes"),
    (raw(header(domain=(1.0, -1.0, 0.0, 1.0)) + b"\0\0\0\0"), "square"),
    (raw(header(domain=(float("nan"), 1.0, 0.0, 1.0)) + b"\0\0\0\0"), "square"),
    (raw(header(domain=(0.0, 1e300, 0.0, 1.0)) + b"\0\0\0\0"), "square"),
    (raw(header(names=("0",))), "class names"),
    (raw(header(names=("0", "\xff")).replace(b"\xc3\xbf", b"\xff\xfe")), "class name"),
    (raw(header()), "holds no points"),
    (raw(header() + b"\0\0\0"), "cut short in its points"),
    (raw(header() + b"\0\0\0\2"), "class 2 out of 2"),
    (raw(header() + bytes.fromhex("FFF00000")), "outside its square"),
    (raw(header() + b"\0\0\0\0" * (pointcode.MAX_LINK_POINTS + 1)), "longer than|at most 250"),
])
def test_a_hostile_value_ends_in_a_sentence(text, words):
    with pytest.raises(pointcode.PointCodeError, match=words):
        pointcode.decode(text)


def test_the_link_carries_the_points_and_a_bad_list_falls_back():
    data = pointcode.snapped(datasets.gate("xor"))
    config = RunConfig(problem="csv", hidden=(3,))
    query = to_query(config, ViewOptions(), points=data)
    link = parse_query(query)
    assert link.config == config and not link.warnings
    assert link.points.X.tobytes() == data.X.tobytes()
    assert POINTS not in to_query(RunConfig(), ViewOptions(), points=data)  # only for 'csv'
    bad = parse_query({**query, POINTS: query[POINTS][:-2]})
    assert bad.points is None and bad.config.problem == "xor" and bad.config.hidden == (3,)
    assert any("'pts'" in w for w in bad.warnings) and any("'gate'" in w for w in bad.warnings)
    hand = parse_query({"gate": "and", POINTS: query[POINTS]})  # the points are the problem
    assert hand.config.problem == "csv" and not hand.warnings


# -- the drawing rules -------------------------------------------------------------------------

def test_a_drawing_starts_from_the_classes_shown_and_not_from_number_targets():
    start = drawing.starting_points(datasets.points("three_gaussians", 30))
    assert start.n_examples == 30 and start.kind == "multiclass" and drawing.classes_of(start) == 3
    assert drawing.starting_points(datasets.points("plane", 30)) is None
    first = drawing.added(None, 1.0, 2.0, 1, datasets.POINT_DOMAIN, 2)
    assert first.X.tolist() == [[1.0, 2.0]] and first.domain == datasets.POINT_DOMAIN


def test_added_and_removed_points_are_checked():
    start = drawing.starting_points(datasets.gate("and"))
    more = drawing.added(start, 0.5, 0.25, 0, start.domain, 2)
    assert more.n_examples == 5 and pointcode.class_ids(more)[-1] == 0
    for x, y, label, words in ((2.0, 0.0, 0, "outside"), (0.5, float("inf"), 0, "outside"),
                               (0.5, 0.5, 2, "no class 2"), (0.5, 0.5, -1, "no class -1")):
        with pytest.raises(drawing.DrawError, match=words):
            drawing.added(start, x, y, label, start.domain, 2)
    assert drawing.removed(more, 0.51, 0.26).n_examples == 4  # the nearest, within 3 %
    with pytest.raises(drawing.DrawError, match="no point there"):
        drawing.removed(more, 0.5, 0.7)


def test_a_drawing_holds_at_most_max_drawn_points():
    X = np.random.default_rng(1).uniform(-6, 6, (drawing.MAX_DRAWN, 2))
    full = pointcode.make(X, np.arange(len(X)) % 2, 2, datasets.POINT_DOMAIN)
    with pytest.raises(drawing.DrawError, match="at most 1000 points"):
        drawing.added(full, 0.0, 0.0, 0, full.domain, 2)


def test_shortfall_names_what_training_waits_for():
    one = drawing.added(None, 0.0, 0.0, 0, datasets.POINT_DOMAIN, 2)
    assert "now 1 training point, none of class 1" in drawing.shortfall(one)
    four = one
    for x in (1.0, 2.0, 3.0):
        four = drawing.added(four, x, 0.0, 1, four.domain, 2)
    assert drawing.shortfall(four) is None
    assert drawing.shortfall(datasets.gate("xor")) is None  # not a drawing: no rule
