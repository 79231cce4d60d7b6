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


def test_surface_figure_serialises_without_nan():
    xs, ys, Z = surface_case()
    assert_serialises_without_nan(figures.surface_figure(xs, ys, Z, XOR_POINTS, XOR_TARGETS))


def test_surface_grid_and_points_cover_the_domain_x_fastest():
    xs, ys = figures.surface_grid(((-1.0, 1.0), (0.0, 3.0)), 4)
    np.testing.assert_allclose(xs, [-1.0, -1 / 3, 1 / 3, 1.0])
    np.testing.assert_allclose(ys, [0.0, 1.0, 2.0, 3.0])
    points = figures.grid_points(np.array([0.0, 1.0, 2.0]), np.array([5.0, 6.0]))
    np.testing.assert_array_equal(points, [[0, 5], [1, 5], [2, 5], [0, 6], [1, 6], [2, 6]])


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
    weights = [np.array([[1e60, -1e60, 0.5]])]
    fig = figures.weights_figure(weights, (2, 1), 10.0)
    assert_serialises_without_nan(fig)
    z = floats(fig.data[0].z)
    assert z[0, 0] > 10.0 and z[0, 1] < -10.0
