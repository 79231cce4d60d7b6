"""The live views as SVG: each parses, draws its data where it belongs, in the right colours, finite."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from test_views_diagram import decode_png, hex_hue, hue, mixed_weights, title

from nnplay import Network
from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.views import charts, classes, colors
from nnplay.views.figures import grid_points, surface_grid

SVG = "{http://www.w3.org/2000/svg}"
XOR_POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([0.0, 1.0, 1.0, 0.0])


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-label")
    assert not re.search(r"\b(nan|inf)\b", svg, re.IGNORECASE), "a NaN or inf reached the picture"
    return root


def every(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{SVG}{tag}"))


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in every(root, "text")]


# -- ticks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("low, high", [(0, 1), (-0.5, 1.5), (-6, 6), (0, 1234), (0, 3.7e-4),
                                       (0, 1e7)])
def test_nice_ticks_are_round_evenly_spaced_and_inside_the_range(low, high):
    ticks = charts.nice_ticks(low, high)
    assert 3 <= len(ticks) <= 8
    assert ticks[0] >= low - 1e-12 and ticks[-1] <= high + 1e-12
    steps = np.diff(ticks)
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)
    mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]))
    assert any(np.isclose(mantissa, m) for m in (1, 2, 5))


def test_nice_ticks_of_an_empty_range_is_its_one_value():
    assert list(charts.nice_ticks(2.0, 2.0)) == [2.0]
    assert list(charts.nice_ticks(0.0, float("nan"))) == [0.0]


@pytest.mark.parametrize("value, text", [(0, "0"), (0.5, "0.5"), (-6, "-6"), (20, "20"),
                                         (20000, "20k"), (1.5e6, "1.5M"), (1e-4, "1e-4"),
                                         (-0.0, "0"), (1e30, "1e30"), (-5e152, "-5e152")])
def test_tick_text(value, text):
    assert charts.tick_text(value) == text


@pytest.mark.parametrize("value, text", [(0.0, "0.00"), (-0.634, "-0.63"), (12.4, "12.40"),
                                         (-99.99, "-99.99"), (100.0, "100"), (-1234.4, "-1234"),
                                         (9999.4, "9999"), (3.2e12, "3e12"), (-2.6e152, "-3e152")])
def test_a_weight_fits_its_cell(value, text):
    assert charts.cell_text(value) == text
    assert len(text) <= 6


# -- the decision surface --------------------------------------------------------------------


def xor_surface(**options) -> tuple[np.ndarray, str]:
    xs, ys = surface_grid([(-0.5, 1.5), (-0.5, 1.5)], 21)
    gx, gy = np.meshgrid(xs, ys)
    # High only in the top right quarter (x1 and x2 above 0.5), low everywhere else.
    Z = 1.0 / (1.0 + np.exp(-8.0 * (gx - 0.5))) * (gy > 0.5)
    return Z, charts.surface_svg(xs, ys, Z, XOR_POINTS, XOR_TARGETS, **options)


def test_surface_is_the_output_as_a_picture_with_x2_upwards():
    Z, svg = xor_surface()
    root = parse(svg)
    (image,) = every(root, "image")
    pixels = decode_png(image.get("href"))
    assert pixels.shape == (21, 21, 3)
    # Row 0 of the picture is its top: the largest x2.
    assert hue(pixels[0, -1]) == "blue" and hue(pixels[-1, -1]) == "orange"
    assert hue(pixels[0, 0]) == "orange"
    np.testing.assert_array_equal(pixels, charts.map_image(Z, (0.0, 1.0)))
    assert root.get("data-view") == "surface"


def test_surface_points_sit_on_their_inputs_coloured_by_target():
    _, svg = xor_surface()
    root = parse(svg)
    circles = every(root, "circle")
    assert len(circles) == 4
    (image,) = every(root, "image")
    left, top = float(image.get("x")), float(image.get("y"))
    side = float(image.get("width"))
    for circle, (x1, x2), target in zip(circles, XOR_POINTS, XOR_TARGETS, strict=True):
        # The input square is [-0.5, 1.5]: x1 = 0 is a quarter of the way across, x2 = 0 a
        # quarter of the way up from the bottom.
        assert float(circle.get("cx")) == pytest.approx(left + (x1 + 0.5) / 2 * side, abs=0.1)
        assert float(circle.get("cy")) == pytest.approx(top + side - (x2 + 0.5) / 2 * side, abs=0.1)
        assert hex_hue(circle.get("fill")) == ("blue" if target else "orange")
        assert f"target {target:g}" in title(circle)


def test_surface_axes_are_labelled_with_round_ticks():
    words = texts(parse(xor_surface()[1]))
    assert {"x1", "x2", "-0.5", "0", "0.5", "1", "1.5"} <= set(words)


def test_discrete_surface_has_only_the_two_end_colours():
    _, svg = xor_surface(discrete=True)
    pixels = decode_png(every(parse(svg), "image")[0].get("href")).reshape(-1, 3)
    assert {hue(p) for p in np.unique(pixels, axis=0)} == {"orange", "blue"}
    assert len(np.unique(pixels, axis=0)) == 2


def test_test_points_have_a_white_outline_and_say_so():
    xs, ys = surface_grid([(-1, 1), (-1, 1)], 5)
    svg = charts.surface_svg(xs, ys, np.zeros((5, 5)), XOR_POINTS[:2], XOR_TARGETS[:2],
                             value_range=(-1.0, 1.0), test_points=XOR_POINTS[2:],
                             test_targets=XOR_TARGETS[2:])
    circles = every(parse(svg), "circle")
    assert [c.get("stroke") for c in circles] == ["#202020"] * 2 + ["#ffffff"] * 2
    assert ["test point" in title(c) for c in circles] == [False, False, True, True]


def test_regression_points_take_the_surface_colour_scale():
    xs, ys = surface_grid([(-1, 1), (-1, 1)], 5)
    targets = np.array([-3.0, 0.0, 3.0])
    svg = charts.surface_svg(xs, ys, np.zeros((5, 5)), XOR_POINTS[:3], targets,
                             value_range=(-3.0, 3.0), continuous=True)
    fills = [c.get("fill") for c in every(parse(svg), "circle")]
    assert [hex_hue(f) for f in fills] == ["orange", "neutral", "blue"]


def test_surface_of_a_diverged_network_is_finite():
    xs, ys = surface_grid([(-1, 1), (-1, 1)], 4)
    Z = np.array([[np.nan, np.inf, -np.inf, 1e300]] * 4)
    pixels = decode_png(every(parse(charts.surface_svg(xs, ys, Z, XOR_POINTS, XOR_TARGETS)),
                              "image")[0].get("href"))
    assert pixels.shape == (4, 4, 3)


def test_many_points_are_drawn_smaller():
    xs, ys = surface_grid([(-6, 6), (-6, 6)], 10)
    points = np.random.default_rng(0).uniform(-6, 6, (300, 2))
    circles = every(parse(charts.surface_svg(xs, ys, np.zeros((10, 10)), points,
                                             np.zeros(300))), "circle")
    assert len(circles) == 300 and float(circles[0].get("r")) < 5


def test_many_points_are_grouped_by_colour_and_outline_without_titles():
    xs, ys = surface_grid([(-6, 6), (-6, 6)], 10)
    rng = np.random.default_rng(1)
    points, targets = rng.uniform(-6, 6, (120, 2)), (rng.random(120) > 0.3).astype(float)
    root = parse(charts.surface_svg(xs, ys, np.zeros((10, 10)), points, targets,
                                    test_points=points[:30], test_targets=targets[:30]))
    groups = [g for g in every(root, "g") if g.get("fill")]
    counts = {(g.get("fill"), g.get("stroke")): len(every(g, "circle")) for g in groups}
    assert counts == {(colors.BLUE, "#202020"): int(targets.sum()),
                      (colors.ORANGE, "#202020"): int((1 - targets).sum()),
                      (colors.BLUE, "#ffffff"): int(targets[:30].sum()),
                      (colors.ORANGE, "#ffffff"): int((1 - targets[:30]).sum())}
    assert not any(title(c) for c in every(root, "circle"))
    (image,) = every(root, "image")
    left, side = float(image.get("x")), float(image.get("width"))
    blue = [g for g in groups if g.get("fill") == colors.BLUE][0]
    x1 = [(float(c.get("cx")) - left) / side * 12 - 6 for c in every(blue, "circle")]
    np.testing.assert_allclose(x1, points[targets == 1, 0], atol=0.1)  # in their order


def test_class_surface_shows_the_predicted_class_and_the_points_in_their_colours():
    xs, ys = surface_grid([(-1, 1), (-1, 1)], 11)
    gx = grid_points(xs, ys)[:, 0].reshape(11, 11)
    # Three classes: the left third says class 0, the middle class 1, the right class 2.
    band = np.digitize(gx, [-1 / 3, 1 / 3])
    outputs = np.eye(3)[band] * 0.9 + 0.05
    points = np.array([[-0.8, 0.0], [0.0, 0.5], [0.8, -0.5]])
    svg = charts.class_surface_svg(xs, ys, outputs, points, np.array([0, 1, 2]), ("a", "b", "c"))
    root = parse(svg)
    pixels = decode_png(every(root, "image")[0].get("href"))
    np.testing.assert_array_equal(pixels, classes.class_image(outputs)[::-1])
    assert hue(pixels[5, 0]) == "orange" and hue(pixels[5, -1]) not in ("orange", "blue")
    circles = every(root, "circle")
    assert [c.get("fill") for c in circles] == list(classes.CLASS_COLOURS[:3])
    assert [title(c).rsplit(" ", 1)[-1] for c in circles] == ["a", "b", "c"]


# -- the error curve --------------------------------------------------------------------------


def falling(n: int = 200):
    iterations = np.arange(n)
    errors = 1.0 / (1.0 + iterations / 10.0)
    return iterations, errors, errors.copy()


def polyline_points(element: ET.Element) -> np.ndarray:
    return np.array([[float(v) for v in pair.split(",")] for pair in element.get("points").split()])


def test_error_curve_falls_left_to_right_and_marks_the_current_error():
    root = parse(charts.error_svg(*falling(), x_max=220))
    (line,) = [p for p in every(root, "polyline") if p.get("stroke") == colors.BLUE]
    points = polyline_points(line)
    assert np.all(np.diff(points[:, 0]) > 0)  # left to right
    assert np.all(np.diff(points[:, 1]) >= 0)  # down the picture: the error falls
    (marker,) = every(root, "circle")
    assert float(marker.get("cx")) == pytest.approx(points[-1, 0])
    assert title(marker) == "iteration 199: error 0.0478469"
    assert {"iteration", "error", "0", "200"} <= set(texts(root))


def test_error_band_spans_each_buckets_low_and_high():
    iterations = np.arange(0, 40, 4)
    low, high = np.linspace(1, 0.1, 10), np.linspace(1, 0.1, 10) + 0.2
    root = parse(charts.error_svg(iterations, low, high))
    (band,) = every(root, "polygon")
    outline = polyline_points(band)
    top, bottom = outline[:10, 1], outline[10:, 1][::-1]
    assert np.all(bottom > top)  # the low edge is drawn below the high one


def test_a_long_history_is_drawn_with_at_most_a_point_per_pixel_column_keeping_its_extremes():
    iterations = np.arange(2048) * 64
    high = np.full(2048, 0.5)
    high[1000] = 2.0  # one spike
    low = np.full(2048, 0.1)
    root = parse(charts.error_svg(iterations, low, high))
    (line,) = [p for p in every(root, "polyline") if p.get("stroke") == colors.BLUE]
    points = polyline_points(line)
    assert len(points) <= charts.CURVE_SIZE[0]
    assert points[:, 1].min() < np.median(points[:, 1]) - 50  # the spike survives the merge


def test_log_axis_has_decade_ticks():
    iterations, low, high = falling()
    words = texts(parse(charts.error_svg(iterations, low / 1000, high / 1000, log_scale=True)))
    assert {"1e-4", "0.001"} <= set(words)


def test_the_stopping_error_is_a_dotted_line_with_a_label():
    root = parse(charts.error_svg(*falling(), min_error=0.1))
    stop = [line for line in every(root, "line") if line.get("stroke-dasharray") == "2 3"]
    assert len(stop) == 1 and "stops at error 0.1" in title(stop[0])
    assert "stop" in texts(root)
    assert "stop" not in texts(parse(charts.error_svg(*falling())))


def test_test_error_is_dashed_orange_with_a_legend():
    iterations, low, high = falling()
    root = parse(charts.error_svg(iterations, low, high, test=(iterations[::10], high[::10] * 1.2)))
    dashed = [p for p in every(root, "polyline") if p.get("stroke") == colors.ORANGE]
    assert len(dashed) == 1 and dashed[0].get("stroke-dasharray")
    assert {"training", "test"} <= set(texts(root))


def test_a_sparse_test_curve_marks_where_it_was_measured():
    iterations, low, high = falling()
    root = parse(charts.error_svg(iterations, low, high, test=(np.array([0, 199]),
                                                                np.array([0.7, 0.1]))))
    marks = [c for c in every(root, "circle") if c.get("fill") == colors.ORANGE and not title(c)]
    assert len(marks) == 2
    dense = parse(charts.error_svg(iterations, low, high, test=(iterations, high)))
    assert len(every(dense, "circle")) == 1  # only the current error's marker


def test_before_the_first_iteration_and_after_a_divergence_the_curve_still_draws():
    parse(charts.error_svg(np.arange(0), np.zeros(0), np.zeros(0), min_error=0.01))
    root = parse(charts.error_svg(np.arange(3), np.array([1.0, np.inf, np.nan]),
                                  np.array([1.0, np.inf, np.nan]), log_scale=True))
    assert every(root, "polyline")


# -- the weights ------------------------------------------------------------------------------


def cells(root: ET.Element) -> list[ET.Element]:
    return [r for r in every(root, "rect") if title(r).startswith("from ")]


@pytest.mark.parametrize("shape", [(2, 1), (2, 4, 1), (2, 3, 2, 1), (4, 8, 8, 3)])
def test_a_cell_per_weight_in_the_tutorials_layout(shape):
    weights = mixed_weights(shape)
    root = parse(charts.weights_svg(weights, shape, 2.0))
    found = cells(root)
    assert len(found) == sum(W.size for W in weights)
    # Cells go matrix by matrix, row by row: the title names the weight and holds its value.
    values = [float(title(c).rsplit(": ", 1)[1]) for c in found]
    np.testing.assert_allclose(values, np.concatenate([W.ravel() for W in weights]), atol=1e-4)
    for cell, value in zip(found, values, strict=True):
        assert hex_hue(cell.get("fill")) == ("blue" if value > 0 else "orange")
    assert root.get("data-view") == "weights"


def test_the_bias_column_is_labelled_and_titled():
    shape = (2, 4, 1)
    root = parse(charts.weights_svg(mixed_weights(shape), shape, 2.0))
    words = texts(root)
    assert words.count("bias") == 2 and "W1: x → h" in words and "W2: h → out" in words
    assert title(cells(root)[2]).startswith("from bias to h1:")


def test_the_colour_scale_is_centred_at_zero():
    root = parse(charts.weights_svg([np.zeros((1, 2))], (1, 1), 5.0))
    assert hex_hue(cells(root)[0].get("fill")) == "neutral"  # a weight of 0 is neither
    assert {"5", "0", "-5"} <= set(texts(root))


def test_large_cells_print_their_weight_and_small_ones_do_not():
    few = texts(parse(charts.weights_svg([np.array([[1.234, -0.5]])], (1, 1), 2.0)))
    assert "1.23" in few and "-0.50" in few
    shape = (2, 16, 16, 1)
    many = texts(parse(charts.weights_svg(mixed_weights(shape), shape, 2.0)))
    assert not any(re.fullmatch(r"-?\d\.\d\d", w) for w in many)


def test_weights_of_a_diverged_network_are_drawn_at_the_end_of_the_scale():
    root = parse(charts.weights_svg([np.array([[np.nan, np.inf, -np.inf]])], (2, 1), 1.0))
    assert [hex_hue(c.get("fill")) for c in cells(root)] == ["neutral", "blue", "orange"]


def test_input_labels_name_the_first_matrixs_columns():
    shape = (2, 2, 1)
    words = texts(parse(charts.weights_svg(mixed_weights(shape), shape, 2.0,
                                           input_labels=["sin(x1)", "x2²"])))
    assert {"sin(x1)", "x2²"} <= set(words)


# -- drawn from a real run --------------------------------------------------------------------


def test_views_of_a_playground_run_parse():
    playground = Playground(RunConfig())
    playground.step(50)
    xs, ys, Z = playground.surface()
    points, targets = playground.surface_points()
    parse(charts.surface_svg(xs, ys, Z, points, targets))
    parse(charts.error_svg(*playground.error_curve(), min_error=0.01, log_scale=True))
    network: Network = playground.trainer.network
    parse(charts.weights_svg(network.weights, network.shape, playground.bound))


def test_a_huge_bound_is_squeezed_into_the_colour_scales_room():
    W = [np.full((2, 3), 1e150), np.full((1, 3), -1e150)]
    root = ET.fromstring(charts.weights_svg(W, (2, 2, 1), 5e150))
    labels = [t for t in root.iter(f"{SVG}text") if (t.text or "").endswith("e150")]
    assert [t.text for t in labels] == ["5e150", "-5e150"]
    width = float(root.get("viewBox").split()[2])
    for label in labels:  # squeezed to end inside the picture
        assert float(label.get("x")) + float(label.get("textLength")) <= width
    plain = ET.fromstring(charts.weights_svg([np.ones((2, 3)), np.ones((1, 3))], (2, 2, 1), 5.0))
    assert not [t for t in plain.iter(f"{SVG}text") if t.get("textLength")]
