"""What the pictures share: node and layer names, the input grid, the colours, float32 for Plotly."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# -- decision surface -------------------------------------------------------------------------

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


@pytest.mark.parametrize("largest", [1e307, 1.5e308, np.finfo(np.float64).max])
def test_nice_bound_stays_finite_for_the_largest_finite_weights(largest):
    """A run stops at its last finite weights, which may be past 1e308: the colour scale's
    bound must not overflow to inf (no warning, a finite bound at least as large)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bound = colors.nice_bound(largest)
    assert np.isfinite(bound) and bound >= largest


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




def test_float32_for_the_wire_is_finite_and_keeps_the_sign():
    values = figures._float32([np.nan, np.inf, -np.inf, 1e300, -1e300, 0.5])
    assert values.dtype == np.float32 and np.isfinite(values).all()
    assert values.tolist()[0] == 0.0 and values.tolist()[-1] == 0.5
    assert np.sign(values[1:5]).tolist() == [1.0, -1.0, 1.0, -1.0]
