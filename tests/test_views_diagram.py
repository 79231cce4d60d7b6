"""The network diagram: a valid PNG per node, a valid SVG with an edge per weight, right colours."""

from __future__ import annotations

import base64
import colorsys
import re
import struct
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest

from nnplay import Network
from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.views import diagram

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# -- a small PNG reader, written from the PNG specification ------------------------------------


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == PNG_SIGNATURE
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        assert len(data) == length
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, f"bad CRC in {kind!r}"
        chunks.append((kind, data))
        at += 12 + length
    assert at == len(png)
    return chunks


def decode_png(uri: str) -> np.ndarray:
    """The ``(h, w, 3)`` pixels of an 8-bit RGB, unfiltered, non-interlaced PNG data URI."""
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    chunks = png_chunks(base64.b64decode(uri[len(prefix):], validate=True))
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1])
    assert (depth, colour, compression, filtering, interlace) == (8, 2, 0, 0, 0)
    raw = zlib.decompress(b"".join(data for kind, data in chunks if kind == b"IDAT"))
    assert len(raw) == height * (1 + 3 * width)
    rows = np.frombuffer(raw, np.uint8).reshape(height, 1 + 3 * width)
    assert (rows[:, 0] == 0).all()  # filter type "None" on every row
    return rows[:, 1:].reshape(height, width, 3)


@pytest.mark.parametrize("height, width", [(1, 1), (3, 5), (16, 16), (7, 2)])
def test_png_data_uri_is_a_valid_png_of_the_pixels(height, width):
    rgb = np.random.default_rng(height * 31 + width).integers(0, 256, (height, width, 3), np.uint8)
    uri = diagram.png_data_uri(rgb)
    png = base64.b64decode(uri.split(",", 1)[1])
    header = dict(png_chunks(png))[b"IHDR"]
    assert struct.unpack(">II", header[:8]) == (width, height)
    np.testing.assert_array_equal(decode_png(uri), rgb)


def test_png_of_a_non_contiguous_image():
    rgb = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)[::-1, ::2]
    np.testing.assert_array_equal(decode_png(diagram.png_data_uri(rgb)), rgb)


def hue(rgb) -> str:
    r, g, b = (float(v) / 255 for v in rgb)
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    if max(r, g, b) - min(r, g, b) < 0.08:
        return "neutral"
    degrees = h * 360
    return "orange" if 15 <= degrees <= 45 else "blue" if 190 <= degrees <= 230 else "other"


def test_map_image_puts_the_first_row_at_the_bottom_and_colours_by_value():
    values = np.repeat(np.linspace(0.0, 1.0, 5)[:, None], 3, axis=1)  # row r holds r / 4
    image = diagram.map_image(values, (0.0, 1.0))
    assert image.shape == (5, 3, 3) and image.dtype == np.uint8
    assert hue(image[0, 0]) == "blue"  # top of the picture: the largest value
    assert hue(image[-1, 0]) == "orange"  # bottom: row 0, the smallest
    assert hue(image[2, 0]) == "neutral"


def test_map_image_of_a_constant_range_does_not_divide_by_zero():
    with np.errstate(all="raise"):
        image = diagram.map_image(np.zeros((2, 2)), (0.0, 0.0))
    assert image.shape == (2, 2, 3)


# -- the SVG ----------------------------------------------------------------------------------


def hex_hue(colour: str) -> str:
    return hue([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def node_maps(shape, resolution=4, seed=0):
    rng = np.random.default_rng(seed)
    maps = [rng.uniform(-1, 1, (n, resolution, resolution)) for n in shape]
    return maps, [(-1.0, 1.0)] * len(shape)


def mixed_weights(shape, seed=0) -> list[np.ndarray]:
    """Weights of both signs, none near zero (so every colour has a clear hue)."""
    rng = np.random.default_rng(seed)
    weights = []
    for n_in, n_out in zip(shape[:-1], shape[1:]):
        magnitude = rng.uniform(0.5, 2.0, (n_out, n_in + 1))
        weights.append(magnitude * rng.choice([-1.0, 1.0], (n_out, n_in + 1)))
    return weights


def draw(shape, seed=0, labels=None):
    weights = mixed_weights(shape, seed)
    maps, ranges = node_maps(shape, seed=seed)
    svg = diagram.network_svg(weights, shape, maps, ranges, 2.0, input_labels=labels)
    return weights, ET.fromstring(svg)


def title(element) -> str:
    found = element.find(f"{SVG}title")
    return "" if found is None else found.text


SHAPES = [(2, 1), (2, 4, 1), (2, 3, 2, 1), (2, 16, 16, 16, 16, 16, 16, 1)]


@pytest.mark.parametrize("shape", SHAPES)
def test_svg_parses_with_an_edge_per_weight_and_an_image_per_node(shape):
    weights, root = draw(shape)
    assert root.tag == f"{SVG}svg"
    lines = root.findall(f".//{SVG}line")
    images = root.findall(f".//{SVG}image")
    assert len(lines) == sum(a * b for a, b in zip(shape[:-1], shape[1:]))  # no bias edges
    assert len(images) == sum(shape)


@pytest.mark.parametrize("shape", SHAPES)
def test_edges_are_orange_for_negative_and_blue_for_positive_weights(shape):
    weights, root = draw(shape, seed=len(shape))
    lines = root.findall(f".//{SVG}line")
    drawn = sorted(float(title(line).split()[-1]) for line in lines)
    expected = sorted(round(float(w), 4) for W in weights for w in W[:, :-1].ravel())
    np.testing.assert_allclose(drawn, expected, atol=1e-4)
    for line in lines:
        weight = float(title(line).split()[-1])
        assert hex_hue(line.get("stroke")) == ("blue" if weight > 0 else "orange")


def test_edges_join_the_right_nodes_and_grow_with_the_weight():
    shape = (2, 3, 1)
    weights = [np.array([[0.5, -1.0, 0.0], [1.5, 0.75, 0.0], [-0.25, 2.0, 0.0]]),
               np.array([[-1.8, 0.6, 1.2, 0.0]])]
    maps, ranges = node_maps(shape)
    root = ET.fromstring(diagram.network_svg(weights, shape, maps, ranges, 2.0))
    images = root.findall(f".//{SVG}image")
    centres = [(float(i.get("x")), float(i.get("y"))) for i in images]  # inputs, hidden, output
    inputs, hidden = centres[:2], centres[2:5]
    size = float(images[0].get("width"))
    by_weight = {float(title(line).split()[-1]): line for line in root.findall(f".//{SVG}line")}
    line = by_weight[-1.0]  # W1[0, 1]: from x2 to h1
    assert float(line.get("x1")) == pytest.approx(inputs[1][0] + size)
    assert float(line.get("y1")) == pytest.approx(inputs[1][1] + size / 2)
    assert float(line.get("x2")) == pytest.approx(hidden[0][0])
    assert float(line.get("y2")) == pytest.approx(hidden[0][1] + size / 2)
    widths = {w: float(line.get("stroke-width")) for w, line in by_weight.items()}
    assert widths[2.0] > widths[1.5] > widths[0.75] > widths[0.5] > widths[-0.25]
    assert widths[-1.8] > widths[1.2] > widths[0.6]


@pytest.mark.parametrize("shape", SHAPES)
def test_bias_squares_one_per_computing_node_coloured_by_the_bias(shape):
    weights, root = draw(shape, seed=7)
    squares = [r for r in root.findall(f".//{SVG}rect") if "bias" in title(r)]
    assert len(squares) == sum(shape[1:])
    biases = sorted(round(float(b), 4) for W in weights for b in W[:, -1])
    drawn = sorted(float(title(r).split()[-1]) for r in squares)
    np.testing.assert_allclose(drawn, biases, atol=1e-4)
    for square in squares:
        bias = float(title(square).split()[-1])
        assert hex_hue(square.get("fill")) == ("blue" if bias > 0 else "orange")
        assert float(square.get("width")) == float(square.get("height"))


@pytest.mark.parametrize("shape", SHAPES)
def test_every_node_image_is_a_valid_png_of_its_map(shape):
    _, root = draw(shape)
    for image in root.findall(f".//{SVG}image"):
        pixels = decode_png(image.get("href"))
        assert pixels.shape == (4, 4, 3)


def test_node_images_show_their_own_maps():
    shape = (2, 2, 1)
    weights = mixed_weights(shape)
    maps = [np.full((2, 3, 3), 1.0), np.stack([np.full((3, 3), -1.0), np.full((3, 3), 1.0)]),
            np.full((1, 3, 3), -1.0)]
    svg = diagram.network_svg(weights, shape, maps, [(-1.0, 1.0)] * 3, 2.0)
    images = ET.fromstring(svg).findall(f".//{SVG}image")
    kinds = [hue(decode_png(i.get("href"))[0, 0]) for i in images]
    assert kinds == ["blue", "blue", "orange", "blue", "orange"]


def test_node_labels_are_written_and_escaped():
    weights, root = draw((2, 2, 1), labels=["a<b", "x&y"])
    texts = [t.text for t in root.findall(f".//{SVG}text")]
    assert texts[:2] == ["a<b", "x&y"]
    assert "h1" in texts and "out" in texts


def test_viewbox_holds_every_node():
    shape = (2, 16, 16, 16, 16, 16, 16, 1)
    _, root = draw(shape)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    for image in root.findall(f".//{SVG}image"):
        x, y, size = float(image.get("x")), float(image.get("y")), float(image.get("width"))
        assert 0 <= x and x + size <= width and 0 <= y and y + size <= height


def test_diagram_of_a_real_playground_run():
    p = Playground(RunConfig(hidden=(4, 2)))
    p.step(25)
    maps, ranges = p.node_maps()
    svg = diagram.network_svg(p.trainer.network.weights, p.shape, maps, ranges, p.bound)
    root = ET.fromstring(svg)
    assert len(root.findall(f".//{SVG}line")) == 2 * 4 + 4 * 2 + 2 * 1
    assert len(root.findall(f".//{SVG}image")) == 2 + 4 + 2 + 1
    text = re.sub(r'href="[^"]*"', "", svg)  # base64 could spell anything
    assert not re.search(r"\bnan\b|\binf", text, re.IGNORECASE)


def test_diagram_of_a_network_without_hidden_layers():
    net = Network((2, 1), seed=0)
    maps, ranges = node_maps((2, 1))
    root = ET.fromstring(diagram.network_svg(net.weights, (2, 1), maps, ranges, 1.0))
    assert len(root.findall(f".//{SVG}line")) == 2
    assert len(root.findall(f".//{SVG}image")) == 3
