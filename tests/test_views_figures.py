"""The Plotly figures: their data read back from the figure objects, their colours, their JSON."""

from __future__ import annotations

import base64
import colorsys
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnplay import Network
from nnplay.views import colors, figures

# -- helpers -------------------------------------------------------------------------


def hue_of(hex_colour: str) -> str:
    """'orange', 'blue', 'neutral' (grey/white) or 'other' (red, green, ...), by hue."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
    if max(r, g, b) - min(r, g, b) < 0.08:
        return "neutral"
    degrees = hue * 360
    if 15 <= degrees <= 45 and saturation > 0.3:
        return "orange"
    if 190 <= degrees <= 230 and saturation > 0.3:
        return "blue"
    return "other"


def floats(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def json_arrays(node):
    """Every numeric array in a figure's JSON (Plotly 6+ writes them base64 with a dtype)."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            yield np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            return
        for value in node.values():
            yield from json_arrays(value)
    elif isinstance(node, list):
        if node and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in node):
            yield np.asarray(node, dtype=np.float64)
        else:
            for value in node:
                yield from json_arrays(value)


def assert_serialises_without_nan(fig: go.Figure) -> dict:
    text = fig.to_json()

    def refuse(constant: str):
        raise AssertionError(f"figure JSON holds {constant}")

    document = json.loads(text, parse_constant=refuse)
    arrays = list(json_arrays(document))
    assert arrays, "the figure should hold some numeric data"
    for array in arrays:
        if array.dtype.kind == "f":
            assert np.isfinite(array).all()
    return document


def network(shape, seed=3) -> Network:
    return Network(shape, activation="tanh", init="xavier", seed=seed)


def perturbed(net: Network, seed: int = 0) -> list[np.ndarray]:
    """The network's weights with every entry (biases included) made non-zero and distinct."""
    rng = np.random.default_rng(seed)
    return [w + rng.uniform(-1.5, 1.5, w.shape) for w in net.weights]


# -- node labels and titles ------------------------------------------------------------------


def test_node_labels_of_one_hidden_layer():
    assert figures.node_labels((2, 4, 1)) == [["x1", "x2"], ["h1", "h2", "h3", "h4"], ["out"]]


def test_node_labels_of_several_hidden_layers_and_outputs():
    labels = figures.node_labels((3, 2, 2, 2))
    assert labels[0] == ["x1", "x2", "x3"]
    assert labels[1] == ["h1.1", "h1.2"]
    assert labels[2] == ["h2.1", "h2.2"]
    assert labels[3] == ["out1", "out2"]


def test_node_labels_without_hidden_layers_and_with_named_inputs():
    assert figures.node_labels((2, 1), ["a", "b"]) == [["a", "b"], ["out"]]


@pytest.mark.parametrize("shape", [(2, 1), (2, 4, 1), (2, 3, 2, 1), (2, 16, 16, 16, 16, 16, 16, 1)])
def test_layer_titles_one_per_weight_matrix_in_order(shape):
    titles = figures.layer_titles(shape)
    assert len(titles) == len(shape) - 1
    for k, title in enumerate(titles):
        assert title.startswith(f"W{k + 1}")
    assert titles[0].split(":")[1].strip().startswith("x")
    assert titles[-1].endswith("out")


def test_layer_titles_name_the_layers_they_join():
    assert figures.layer_titles((2, 4, 1)) == ["W1: x → h", "W2: h → out"]
    titles = figures.layer_titles((2, 3, 2, 1))
    assert "h1" in titles[0] and "h1" in titles[1] and "h2" in titles[1] and "h2" in titles[2]


# -- weights -----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(2, 1), (2, 4, 1), (2, 3, 2, 1), (2, 16, 16, 1)])
def test_weights_figure_has_one_heatmap_per_layer_with_the_weights(shape):
    net = network(shape)
    weights = perturbed(net)
    fig = figures.weights_figure(weights, shape, 2.0)
    assert len(fig.data) == len(shape) - 1
    names = figures.node_labels(shape)
    for k, (trace, W) in enumerate(zip(fig.data, weights)):
        assert trace.type == "heatmap"
        z = floats(trace.z)
        assert z.shape == (shape[k + 1], shape[k] + 1)
        np.testing.assert_allclose(z, W, rtol=1e-6, atol=1e-7)  # float32 on the wire
        assert list(trace.x) == names[k] + ["bias"]
        assert list(trace.x)[-1] == "bias"
        assert len(trace.x) == shape[k] + 1
        assert list(trace.y) == names[k + 1]


def test_weights_figure_colour_range_is_symmetric_and_centred_at_zero():
    net = network((2, 3, 1))
    fig = figures.weights_figure(net.weights, net.shape, 5.0)
    for trace in fig.data:
        assert trace.zmin == -trace.zmax
        assert trace.zmax == 5.0
        assert trace.zmid == 0


def test_weights_figure_scale_is_blue_orange_with_no_red_or_green():
    net = network((2, 3, 1))
    fig = figures.weights_figure(net.weights, net.shape, 1.0)
    for trace in fig.data:
        scale = [(float(stop), colour) for stop, colour in trace.colorscale]
        kinds = [hue_of(colour) for _, colour in scale]
        assert "other" not in kinds, scale
        assert kinds[0] == "orange" and kinds[-1] == "blue"  # negative orange, positive blue
        middle = [colour for stop, colour in scale if stop == 0.5]
        assert middle and hue_of(middle[0]) == "neutral"  # zero is near white
    assert sum(bool(trace.showscale) for trace in fig.data) == 1


def test_values_are_written_only_where_they_fit():
    small = figures.weights_figure(network((2, 2, 1)).weights, (2, 2, 1), 1.0)
    assert all(t.texttemplate and "z" in t.texttemplate for t in small.data)
    wide = (2, 16, 16, 1)  # 16x17 cells at a few pixels each: numbers would overlap
    fig = figures.weights_figure(network(wide).weights, wide, 1.0)
    assert not any(t.texttemplate for t in fig.data)
    squeezed = (3, 6, 1)  # 4 and 7 columns side by side: too narrow for "-0.10"
    fig = figures.weights_figure(network(squeezed).weights, squeezed, 1.0)
    assert not any(t.texttemplate for t in fig.data)


def test_weights_figure_serialises_without_nan():
    net = network((2, 4, 2, 1))
    fig = figures.weights_figure(perturbed(net), net.shape, 2.0)
    document = assert_serialises_without_nan(fig)
    assert [t["type"] for t in document["data"]] == ["heatmap"] * 3


def test_update_weights_changes_z_and_the_bound():
    net = network((2, 4, 1))
    fig = figures.weights_figure(net.weights, net.shape, 1.0)
    later = [w * 3.0 + 0.25 for w in net.weights]
    figures.update_weights(fig, later, 10.0)
    for trace, W in zip(fig.data, later):
        np.testing.assert_allclose(floats(trace.z), W, rtol=1e-6, atol=1e-7)
        assert (trace.zmin, trace.zmax) == (-10.0, 10.0)
        assert trace.zmid == 0
    assert_serialises_without_nan(fig)


def test_update_weights_keeps_the_bound_when_it_does_not_change():
    net = network((2, 2, 1))
    fig = figures.weights_figure(net.weights, net.shape, 2.0)
    figures.update_weights(fig, [w * 0.5 for w in net.weights], 2.0)
    assert all((t.zmin, t.zmax) == (-2.0, 2.0) for t in fig.data)


# -- decision surface -------------------------------------------------------------------------

XOR_POINTS = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
XOR_TARGETS = np.array([0.0, 0.0, 1.0, 1.0])


def surface_case(n_x=7, n_y=5, seed=0):
    xs = np.linspace(-0.5, 1.5, n_x)
    ys = np.linspace(-0.25, 1.25, n_y)  # a different count: a transposed Z would show
    Z = np.random.default_rng(seed).uniform(0.0, 1.0, (n_y, n_x))
    return xs, ys, Z


def test_surface_figure_heatmap_is_the_surface_on_the_grid():
    xs, ys, Z = surface_case()
    fig = figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS)
    heatmap = fig.data[0]
    assert heatmap.type == "heatmap"
    np.testing.assert_allclose(floats(heatmap.z), Z, rtol=1e-6)
    np.testing.assert_allclose(floats(heatmap.x), xs, rtol=1e-6)
    np.testing.assert_allclose(floats(heatmap.y), ys, rtol=1e-6)
    assert (heatmap.zmin, heatmap.zmax) == (0.0, 1.0)


def test_surface_figure_axes_span_the_domain():
    xs, ys, Z = surface_case()
    fig = figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS)
    assert tuple(fig.layout.xaxis.range) == (-0.5, 1.5)
    assert tuple(fig.layout.yaxis.range) == (-0.25, 1.25)


def test_surface_points_are_the_training_points_coloured_by_target():
    xs, ys, Z = surface_case()
    fig = figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS)
    points = fig.data[1]
    assert points.type == "scatter"
    np.testing.assert_array_equal(floats(points.x), XOR_POINTS[:, 0])
    np.testing.assert_array_equal(floats(points.y), XOR_POINTS[:, 1])
    kinds = [hue_of(c) for c in points.marker.color]
    assert kinds == ["orange", "orange", "blue", "blue"]  # targets 0, 0, 1, 1


def test_surface_points_of_a_tanh_range_are_coloured_by_their_side():
    xs, ys, Z = surface_case()
    targets = np.array([-1.0, 1.0, 1.0, -1.0])
    fig = figures.surface_figure(xs, ys, Z * 2 - 1, XOR_POINTS, targets, value_range=(-1.0, 1.0))
    assert [hue_of(c) for c in fig.data[1].marker.color] == ["orange", "blue", "blue", "orange"]


def test_discrete_surface_holds_only_the_two_extremes_cut_at_the_middle():
    xs, ys, Z = surface_case(seed=4)
    fig = figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS, discrete=True)
    z = floats(fig.data[0].z)
    assert set(np.unique(z)) == {0.0, 1.0}
    np.testing.assert_array_equal(z == 1.0, Z >= 0.5)


def test_discrete_surface_on_a_tanh_range():
    xs, ys, Z = surface_case(seed=5)
    Z = Z * 2 - 1
    fig = figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS, value_range=(-1.0, 1.0),
                                 discrete=True)
    z = floats(fig.data[0].z)
    assert set(np.unique(z)) == {-1.0, 1.0}
    np.testing.assert_array_equal(z == 1.0, Z >= 0.0)


def test_update_surface_replaces_z_and_honours_discrete():
    xs, ys, Z = surface_case(seed=1)
    fig = figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS)
    Z2 = 1.0 - Z
    figures.update_surface(fig, Z2, (0.0, 1.0), False)
    np.testing.assert_allclose(floats(fig.data[0].z), Z2, rtol=1e-6)
    figures.update_surface(fig, Z2, (0.0, 1.0), True)
    np.testing.assert_array_equal(floats(fig.data[0].z), np.where(Z2 >= 0.5, 1.0, 0.0))


def test_surface_figure_serialises_without_nan():
    xs, ys, Z = surface_case()
    assert_serialises_without_nan(figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS))


def test_surface_grid_and_points_cover_the_domain_x_fastest():
    xs, ys = figures.surface_grid(((-1.0, 1.0), (0.0, 3.0)), 4)
    np.testing.assert_allclose(xs, [-1.0, -1 / 3, 1 / 3, 1.0])
    np.testing.assert_allclose(ys, [0.0, 1.0, 2.0, 3.0])
    points = figures.grid_points(np.array([0.0, 1.0, 2.0]), np.array([5.0, 6.0]))
    np.testing.assert_array_equal(points, [[0, 5], [1, 5], [2, 5], [0, 6], [1, 6], [2, 6]])


# -- error curve --------------------------------------------------------------------------


def error_case(n=30):
    iterations = np.arange(n)
    high = 1.0 / (1.0 + np.arange(n))  # 1, 1/2, 1/3, ...
    low = high * 0.9
    return iterations, low, high


def test_error_figure_holds_the_curve():
    iterations, low, high = error_case()
    fig = figures.error_figure(iterations, low, high)
    line = fig.data[0]
    np.testing.assert_array_equal(floats(line.x), iterations)
    np.testing.assert_allclose(floats(line.y), high, rtol=1e-6)
    band = fig.data[1]
    np.testing.assert_array_equal(floats(band.x), iterations)
    np.testing.assert_allclose(floats(band.y), low, rtol=1e-6)
    assert fig.layout.yaxis.type == "linear"


def test_error_figure_log_axis_when_asked():
    iterations, low, high = error_case()
    assert figures.error_figure(iterations, low, high, log_scale=True).layout.yaxis.type == "log"


def test_error_figure_marks_the_current_point_at_the_last_iteration():
    iterations, low, high = error_case(12)
    fig = figures.error_figure(iterations, low, high)
    markers = [t for t in fig.data if t.mode == "markers"]
    assert len(markers) == 1
    assert list(floats(markers[0].x)) == [11.0]
    np.testing.assert_allclose(floats(markers[0].y), [high[-1]], rtol=1e-6)


def min_error_lines(fig: go.Figure) -> list:
    return [s for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1]


def test_error_figure_draws_the_min_error_line():
    iterations, low, high = error_case()
    fig = figures.error_figure(iterations, low, high, min_error=0.05)
    lines = min_error_lines(fig)
    assert len(lines) == 1 and lines[0].y0 == 0.05
    assert not min_error_lines(figures.error_figure(iterations, low, high))


def test_min_error_label_sits_on_its_line_on_a_log_axis():
    # Plotly puts shapes on a log axis at y, but annotations at log10(y).
    iterations, low, high = error_case()
    fig = figures.error_figure(iterations, low, high, min_error=0.001, log_scale=True)
    assert min_error_lines(fig)[0].y0 == 0.001
    labels = [a for a in fig.layout.annotations if a.yref == "y"]
    assert len(labels) == 1 and labels[0].y == pytest.approx(-3.0)
    linear = figures.error_figure(iterations, low, high, min_error=0.001)
    assert [a.y for a in linear.layout.annotations if a.yref == "y"] == [0.001]


def test_error_figure_x_range_starts_at_zero_and_reaches_the_end():
    iterations, low, high = error_case(300)
    fig = figures.error_figure(iterations, low, high)
    low_end, high_end = fig.layout.xaxis.range
    assert low_end == 0 and high_end >= 299
    fig = figures.error_figure(iterations, low, high, x_max=1000)
    assert tuple(fig.layout.xaxis.range) == (0, 1000)


def test_error_figure_of_an_empty_history_serialises():
    fig = figures.error_figure(np.arange(0), np.zeros(0), np.zeros(0), min_error=0.01)
    assert len(floats(fig.data[0].x)) == 0
    json.loads(fig.to_json())


def test_error_figure_serialises_without_nan():
    iterations, low, high = error_case()
    assert_serialises_without_nan(figures.error_figure(iterations, low, high, log_scale=True,
                                                       min_error=0.01))


def test_update_error_extends_the_curve_and_moves_the_marker():
    iterations, low, high = error_case(10)
    fig = figures.error_figure(iterations, low, high, min_error=0.01)
    iterations, low, high = error_case(500)
    figures.update_error(fig, iterations, low, high, x_max=550)
    np.testing.assert_array_equal(floats(fig.data[0].x), iterations)
    np.testing.assert_allclose(floats(fig.data[0].y), high, rtol=1e-6)
    np.testing.assert_allclose(floats(fig.data[1].y), low, rtol=1e-6)
    marker = [t for t in fig.data if t.mode == "markers"][0]
    assert list(floats(marker.x)) == [499.0]
    np.testing.assert_allclose(floats(marker.y), [high[-1]], rtol=1e-6)
    assert tuple(fig.layout.xaxis.range) == (0, 550)
    assert_serialises_without_nan(fig)


def test_update_error_marks_the_point_of_a_figure_first_drawn_empty():
    # The page draws the curve at iteration 0 (no history) and then only updates it.
    fig = figures.error_figure(np.arange(0), np.zeros(0), np.zeros(0), min_error=0.01)
    iterations, low, high = error_case(5)
    figures.update_error(fig, iterations, low, high)
    markers = [t for t in fig.data if t.mode == "markers"]
    assert len(markers) == 1 and list(floats(markers[0].x)) == [4.0]


def test_update_error_back_to_empty_clears_the_marker():
    # Reset: the history is empty again, so no stale "now" point may stay behind.
    iterations, low, high = error_case(5)
    fig = figures.error_figure(iterations, low, high)
    figures.update_error(fig, np.arange(0), np.zeros(0), np.zeros(0))
    for trace in fig.data:
        assert len(floats(trace.x)) == 0


# -- colours ----------------------------------------------------------------------------------


def test_diverging_hex_endpoints_and_middle():
    negative, zero, positive = colors.diverging_hex(np.array([-3.0, 0.0, 3.0]), 3.0)
    assert hue_of(negative) == "orange"
    assert hue_of(positive) == "blue"
    assert hue_of(zero) == "neutral"
    assert all(len(c) == 7 and c.startswith("#") for c in (negative, zero, positive))
    # the ends are the darkest colours of the scale
    brightness = lambda c: sum(int(c[i:i + 2], 16) for i in (1, 3, 5))  # noqa: E731
    halfway = colors.diverging_hex(np.array([-1.5, 1.5]), 3.0)
    assert brightness(negative) < brightness(halfway[0]) < brightness(zero)
    assert brightness(positive) < brightness(halfway[1]) < brightness(zero)


def test_diverging_hex_clips_beyond_the_bound_and_keeps_the_shape_flat():
    beyond = colors.diverging_hex(np.array([[-50.0, 50.0], [-2.0, 2.0]]), 2.0)
    assert len(beyond) == 4
    assert beyond[0] == beyond[2] and beyond[1] == beyond[3]


@given(st.floats(-10, 10), st.floats(0.1, 10))
def test_diverging_hex_hue_follows_the_sign(value, bound):
    (colour,) = colors.diverging_hex(np.array([value]), bound)
    kind = hue_of(colour)
    if value / bound > 0.1:
        assert kind == "blue"
    elif value / bound < -0.1:
        assert kind == "orange"
    else:
        assert kind in ("neutral", "blue" if value > 0 else "orange")


# -- nice bound -------------------------------------------------------------------------------


@pytest.mark.parametrize("largest, expected", [
    (0.0, 1.0), (0.3, 1.0), (1.0, 1.0), (1.01, 2.0), (1.5, 2.0), (2.0, 2.0), (3.0, 5.0),
    (7.0, 10.0), (11.0, 20.0), (45.0, 50.0), (501.0, 1000.0),
])
def test_nice_bound_rounds_up_to_one_two_five(largest, expected):
    assert figures_nice(largest) == expected


def figures_nice(largest, previous=0.0):
    return colors.nice_bound(largest, previous)


def test_nice_bound_only_grows():
    assert colors.nice_bound(0.3, 5.0) == 5.0
    assert colors.nice_bound(4.0, 2.0) == 5.0
    assert colors.nice_bound(float("nan"), 20.0) == 20.0
    assert colors.nice_bound(float("inf"), 2.0) == 2.0


@given(st.floats(0, 1e12), st.sampled_from([0.0, 1.0, 2.0, 5.0, 10.0, 200.0, 5e5]))
def test_nice_bound_is_the_smallest_round_number_at_least_both(largest, previous):
    bound = colors.nice_bound(largest, previous)
    assert bound >= largest and bound >= previous and bound >= 1.0
    exponent = np.floor(np.log10(bound))
    assert round(bound / 10**exponent, 9) in (1.0, 2.0, 5.0)
    # the next round number down would be too small (or below what it must keep)
    mantissa = round(bound / 10**exponent)
    smaller = {1: 0.5, 2: 1.0, 5: 2.0}[mantissa] * 10**exponent
    assert smaller < max(largest, previous, 1.0) * (1 + 1e-9)


# -- a diverged run's numbers --------------------------------------------------------------------


def test_values_beyond_float32_still_serialise_finite_and_keep_their_sign():
    # a network just back from diverging has finite float64 outputs near 1e100
    xs, ys, Z = surface_case()
    Z[0, 0], Z[1, 1] = 1e100, -1e100
    fig = figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS, value_range=(-1.0, 1.0))
    z = floats(fig.data[0].z)
    assert np.isfinite(z).all()
    assert z[0, 0] == z.max() > 1.0 and z[1, 1] == z.min() < -1.0
    assert_serialises_without_nan(fig)
    iterations, low, high = error_case()
    high[-1] = low[-1] = 1e200
    fig = figures.error_figure(iterations, low, high, log_scale=True, min_error=0.01)
    assert_serialises_without_nan(fig)
    assert floats(fig.data[0].y)[-1] == floats(fig.data[0].y).max()
    weights = [np.array([[1e60, -1e60, 0.5]])]
    fig = figures.weights_figure(weights, (2, 1), 10.0)
    assert_serialises_without_nan(fig)
    z = floats(fig.data[0].z)
    assert z[0, 0] > 10.0 and z[0, 1] < -10.0
