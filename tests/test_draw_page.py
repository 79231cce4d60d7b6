"""Drawing your own points (issue 15, item 4) through the page: the component's ``point`` and
``unpoint`` events, the link that carries the points, and the sentences on the way."""

from __future__ import annotations

import numpy as np

from nnplay.app import pointcode
from nnplay.app.link import POINTS
from nnplay.problems import UPLOADED
from tests.test_page import click, iteration, new_app, playground, said, scene, send, weights


def add(at, x, y, cls=1):
    send(at, {"type": "point", "x": x, "y": y, "cls": cls})


def test_a_first_point_on_a_gate_makes_a_drawing_of_the_points_shown_plus_it():
    at = new_app()
    click(at, "Step")
    add(at, 0.5, 0.5, 1)
    p = playground(at)
    assert p.config.problem == UPLOADED and p.config.test_fraction == 0
    assert p.uploaded.X.tolist() == [[0, 0], [1, 1], [0, 1], [1, 0], [0.5, 0.5]]
    assert pointcode.class_ids(p.uploaded).tolist() == [0, 0, 1, 1, 1]
    assert iteration(at) == 0  # the run starts again from its seed
    assert [x for x, y, t in scene(at)["points"]] == [0, 1, 0, 1, 0.5]
    assert "starts the run again from seed 1" in said(at)
    assert at.session_state.problem == UPLOADED  # the sidebar follows
    assert POINTS in at.query_params


def test_a_click_on_a_point_removes_it_and_the_last_stays():
    at = new_app()
    send(at, {"type": "unpoint", "x": 1.0, "y": 1.0})
    assert playground(at).uploaded.X.tolist() == [[0, 0], [0, 1], [1, 0]]
    assert "Draw at least 4 training points" in said(at)
    before = weights(at)
    click(at, "Step")
    assert iteration(at) == 0 and np.array_equal(weights(at), before)  # too few: no training
    send(at, {"type": "unpoint", "x": 0.2, "y": 0.5})
    assert "no point there" in said(at)
    for x, y in ((0, 0), (0, 1)):
        send(at, {"type": "unpoint", "x": x, "y": y})
    send(at, {"type": "unpoint", "x": 1, "y": 0})
    assert "keeps at least one point" in said(at)
    assert playground(at).uploaded.n_examples == 1


def test_each_class_must_be_present_to_train():
    at = new_app({"data": "circle", "points": "10"})
    assert playground(at).train.n_examples == 5  # the point set holds half out for testing
    for x, y in playground(at).config.dataset().X[:-1]:
        send(at, {"type": "unpoint", "x": float(x), "y": float(y)})
    drawing = playground(at).uploaded
    assert drawing.n_examples == 1 and playground(at).train.n_examples == 1  # all of them train
    kept = int(pointcode.class_ids(drawing)[0])
    for x in (-3, -2, -1):
        add(at, x, 3.0, kept)
    assert f"none of class {1 - kept}" in said(at)
    add(at, 3.0, -3.0, 1 - kept)
    assert "Draw at least" not in said(at)
    click(at, "Step")
    assert iteration(at) == 1


def test_a_drawing_opens_identically_from_its_link():
    at = new_app({"data": "xor", "points": "10"})
    add(at, 1.234, -2.5, 0)
    add(at, -4.0, 4.4, 1)
    click(at, "Step 100")
    p = playground(at)
    query = dict(at.query_params)
    assert int(query["at"]) == 100 and p.config.test_fraction == 0
    fresh = new_app(query)
    q = playground(fresh)
    assert np.array_equal(q.uploaded.X, p.uploaded.X) and np.array_equal(q.uploaded.y, p.uploaded.y)
    assert iteration(fresh) == 100
    assert np.array_equal(weights(fresh), weights(at))  # bit for bit
    assert not fresh.session_state.link_warnings


def test_points_off_the_square_or_of_no_class_say_so_and_change_nothing():
    at = new_app()
    add(at, 9.0, 0.5, 1)
    assert "outside the square" in said(at) and playground(at).config.problem == "xor"
    add(at, 0.5, 0.5, 7)
    assert "no class 7" in said(at) and playground(at).config.problem == "xor"
    for bad in ({"type": "point", "x": "0.5", "y": 0.5, "cls": 1},
                {"type": "point", "x": float("nan"), "y": 0.5, "cls": 1},
                {"type": "point", "x": True, "y": 0.5, "cls": 1},
                {"type": "point", "x": 10 ** 400, "y": 0.5, "cls": 1},
                {"type": "point", "x": 0.5, "y": 0.5, "cls": 10 ** 400},
                {"type": "point", "x": 0.5, "y": 0.5},
                {"type": "unpoint", "x": [1], "y": 1},
                {"type": "point", "y": 0.5}):
        send(at, bad)
    assert playground(at).config.problem == "xor"


def test_a_bad_point_list_in_a_link_falls_back_with_a_sentence():
    for bad in ("!!!", "AQK", "A" * 5000, pointcode.encode(pointcode.snapped(
            playground(new_app()).train))[:-3]):
        at = new_app({"gate": "csv", POINTS: bad, "hidden": "3"})
        assert playground(at).config.problem == "xor"
        assert playground(at).config.hidden == (3,)  # the rest of the link still counts
        assert any("'pts'" in w for w in at.session_state.link_warnings)


def test_a_drawing_too_large_for_a_link_says_what_the_link_leaves_out():
    at = new_app({"data": "gaussians", "points": "600", "split": "0"})
    add(at, 0.0, 0.0, 1)
    assert playground(at).uploaded.n_examples == 601
    assert POINTS not in at.query_params and "at" not in at.query_params
    at.session_state["share_open"] = True  # the share box tells why, once opened
    at.run()
    assert "leaves out your 601 points" in " ".join(w.value for w in at.warning)
    assert playground(at).uploaded.n_examples == 601  # nothing lost


def test_a_small_uploaded_csv_rides_in_the_link():
    at = new_app()
    at.session_state["problem"] = UPLOADED
    at.run()
    uploader = [u for u in at.get("file_uploader") if u.proto.label.startswith("Points")][0]
    csv = "x1,x2,label\n" + "".join(f"{k % 7 + 0.123456},{k % 5},{'cat' if k % 2 else 'dog'}\n"
                                     for k in range(30))
    uploader.upload("points.csv", csv.encode(), "text/csv").run()
    assert not at.exception
    p = playground(at)
    assert p.uploaded.n_examples == 30 and p.uploaded.class_names == ("cat", "dog")
    assert abs(p.uploaded.X[0, 0] - 0.123456) < 1e-2 and p.uploaded.X[0, 0] != 0.123456  # snapped
    click(at, "Step 10")
    query = dict(at.query_params)
    assert query["gate"] == "csv" and query["at"] == "10" and POINTS in query
    fresh = new_app(query)
    q = playground(fresh)
    assert q.uploaded.X.tobytes() == p.uploaded.X.tobytes() and q.uploaded.class_names == ("cat", "dog")
    assert iteration(fresh) == 10 and np.array_equal(weights(fresh), weights(at))


def test_three_classes_keep_their_classes_and_a_regression_set_starts_a_drawing_afresh():
    at = new_app({"data": "three_gaussians", "points": "30"})
    assert scene(at)["draw"]["classes"] == ["0", "1", "2"] and scene(at)["draw"]["can"]
    add(at, 0.0, 0.0, 2)
    p = playground(at)
    assert p.uploaded.kind == "multiclass" and p.uploaded.n_examples == 31
    assert p.config.output_activation == "softmax" and pointcode.class_ids(p.uploaded)[-1] == 2
    at = new_app({"data": "plane", "points": "30"})
    add(at, 1.0, 2.0, 0)
    assert playground(at).uploaded.X.tolist() == [[1.0, 2.0]]
    assert scene(at)["draw"]["classes"] == ["0", "1"]
    assert "Draw at least 4 training points" in said(at)


def test_three_inputs_cannot_be_drawn_on():
    at = new_app({"gate": "parity3"})
    assert not scene(at)["draw"]["can"]
    add(at, 0.5, 0.5, 1)
    assert "two inputs" in said(at) and playground(at).config.problem == "parity3"
