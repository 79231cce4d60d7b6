"""Problems with classes: the class colours and the class surface image."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnplay.views import classes, colors, scores
from nnplay.views.figures import grid_points, surface_grid

# -- helpers -------------------------------------------------------------------------

def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def tinted(hex_colour: str, share: float) -> list[int]:
    """``hex_colour`` mixed into white: ``share`` 0 is white, 1 the colour itself."""
    return np.rint(255 + share * (rgb(hex_colour) - 255)).astype(int).tolist()


def softmax_grid(xs, ys, weights: np.ndarray) -> np.ndarray:
    """Softmax of a linear map of the grid points, ``(ny, nx, k)``."""
    logits = grid_points(xs, ys) @ weights
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    return probabilities.reshape(len(ys), len(xs), -1)


XS, YS = surface_grid(((-6.0, 6.0), (-6.0, 6.0)), 21)


# -- the colours ---------------------------------------------------------------------

# Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB.
COLOUR_BLINDNESS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def lab_seen_with(hex_colour: str, vision: list[list[float]]) -> np.ndarray:
    """CIELAB of the colour as someone with this colour blindness sees it."""
    srgb = rgb(hex_colour) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.asarray(vision) @ linear, 0.0, 1.0)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ seen / [0.95047, 1.0, 1.08883]
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_class_colours_start_with_the_house_orange_and_blue():
    assert classes.CLASS_COLOURS[:2] == (colors.ORANGE, colors.BLUE)
    assert len(classes.CLASS_COLOURS) == 6
    assert len({c.lower() for c in classes.CLASS_COLOURS}) == 6


@pytest.mark.parametrize("vision", COLOUR_BLINDNESS)
def test_class_colours_stay_apart_for_colour_blind_eyes(vision):
    labs = [lab_seen_with(c, COLOUR_BLINDNESS[vision]) for c in classes.CLASS_COLOURS]
    closest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(labs, 2))
    assert closest > 15  # CIE76 distance; about 2.3 is just noticeable


# -- the class image -------------------------------------------------------------------

def test_a_sure_pixel_takes_its_class_colour_and_an_unsure_one_is_white():
    k = 4
    grid = np.array([[np.eye(k)[2], np.full(k, 1 / k), [0.55, 0.15, 0.15, 0.15]]])  # (1, 3, 4)
    image = classes.class_image(grid)
    assert image.shape == (1, 3, 3) and image.dtype == np.uint8
    assert image[0, 0].tolist() == tinted(classes.CLASS_COLOURS[2], classes.MAX_TINT)
    assert image[0, 1].tolist() == [255, 255, 255]
    # largest 0.55, chance 0.25: confidence (0.55 - 0.25) / 0.75 = 0.4
    assert image[0, 2].tolist() == tinted(classes.CLASS_COLOURS[0], 0.4 * classes.MAX_TINT)


def test_a_sigmoid_column_is_the_probability_of_class_1():
    image = classes.class_image(np.array([[[0.0], [1.0], [0.5], [0.75]]]))
    assert image[0, 0].tolist() == tinted(colors.ORANGE, classes.MAX_TINT)
    assert image[0, 1].tolist() == tinted(colors.BLUE, classes.MAX_TINT)
    assert image[0, 2].tolist() == [255, 255, 255]
    assert image[0, 3].tolist() == tinted(colors.BLUE, 0.5 * classes.MAX_TINT)


def test_row_zero_of_the_image_is_the_lowest_x2():
    # class 0 wherever x2 < 0, class 1 above: the first rows must be orange
    grid = softmax_grid(XS, YS, np.array([[0.0, 0.0], [-5.0, 5.0]]))
    image = classes.class_image(grid)
    assert image[0, 10].tolist() == tinted(colors.ORANGE, classes.MAX_TINT)
    assert image[-1, 10].tolist() == tinted(colors.BLUE, classes.MAX_TINT)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6).flatmap(lambda k: hnp.arrays(
    np.float64, (3, 4, k), elements=st.floats(0.0, 1.0))))
def test_every_pixel_shows_the_class_the_scores_count(grid):
    k = grid.shape[2]
    kind = "binary" if k == 1 else "multiclass"
    predicted = scores.predicted_classes(grid.reshape(-1, k), kind)
    pixels = classes.class_image(grid).reshape(-1, 3).astype(float)
    # each pixel lies on the segment from white to its predicted class's colour
    for pixel, cls in zip(pixels, predicted):
        colour = rgb(classes.CLASS_COLOURS[cls])
        share = np.dot(255 - pixel, 255 - colour) / np.dot(255 - colour, 255 - colour)
        assert -1e-9 <= share <= classes.MAX_TINT + 0.01
        np.testing.assert_allclose(pixel, 255 + share * (colour - 255), atol=1.0)


# -- the class surface figure -----------------------------------------------------------


def test_nan_and_infinite_outputs_still_make_a_picture():
    grid = np.full((2, 2, 3), np.nan)
    grid[0, 0] = [np.inf, 0.0, 0.0]
    image = classes.class_image(grid)
    assert image[0, 0].tolist() == tinted(colors.ORANGE, classes.MAX_TINT)
    assert image.dtype == np.uint8 and image.shape == (2, 2, 3)


def test_six_classes_each_get_their_own_colour():
    grid = np.eye(6)[np.arange(9) % 6].reshape(3, 3, 6)  # every class somewhere, surely
    seen = {tuple(pixel) for pixel in classes.class_image(grid).reshape(-1, 3).tolist()}
    assert seen == {tuple(tinted(c, classes.MAX_TINT)) for c in classes.CLASS_COLOURS}


@pytest.mark.parametrize("grid, message", [
    (np.zeros((21, 21, 7)), "1 <= k <= 6"),
    (np.zeros((21, 21)), "shape"),
    (np.zeros((0, 21, 2)), "shape"),
])
def test_a_bad_grid_of_outputs_says_what_was_expected(grid, message):
    with pytest.raises(ValueError, match=message):
        classes.class_image(grid)
