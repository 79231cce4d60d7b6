"""The network as TensorFlow Playground draws it: nodes, weighted edges, and what each node sees.

``network_svg`` returns an SVG document: layers as columns of nodes, every
edge coloured by the sign of its weight (orange negative, blue positive) and
as thick as the weight is large, each node filled with a small map of its own
output over the input square, and a little square at its corner coloured by
its bias weight. An SVG string is cheap to send and to redraw every frame.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence
from html import escape

import numpy as np

from nnplay.views.colors import DIVERGING, diverging_hex
from nnplay.views.figures import node_labels

NODE = 36
GAP = 18
COLUMN = 120
MARGIN = 26

_STOPS = np.array([s for s, _ in DIVERGING])
_RGB = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for _, c in DIVERGING], dtype=float)


def png_data_uri(rgb: np.ndarray) -> str:
    """A ``data:`` URI of the ``(h, w, 3)`` uint8 image ``rgb`` as a PNG.

    PNG is a signature and three chunks (header, zlib-compressed rows each
    led by a 0 "no filter" byte, end); small enough to write here.
    """
    height, width, _ = rgb.shape
    rows = np.hstack([np.zeros((height, 1), np.uint8), rgb.reshape(height, width * 3)])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
           + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def map_image(values: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    """``(h, w)`` values -> ``(h, w, 3)`` colours on the diverging scale over ``value_range``.

    Row 0 of ``values`` is the bottom of the input square, so rows are
    flipped to put it at the bottom of the picture.
    """
    low, high = value_range
    span = high - low if high > low else 1.0
    position = np.clip((values[::-1] - low) / span, 0.0, 1.0)
    return np.stack([np.interp(position, _STOPS, _RGB[:, c]) for c in range(3)], axis=-1).astype(np.uint8)


def node_positions(shape: Sequence[int]) -> list[list[tuple[float, float]]]:
    """Top-left corner of each node's square, layer by layer, columns centred vertically."""
    tallest = max(shape)
    positions = []
    for k, n in enumerate(shape):
        offset = (tallest - n) * (NODE + GAP) / 2.0
        positions.append([(MARGIN + k * COLUMN, MARGIN + offset + i * (NODE + GAP)) for i in range(n)])
    return positions


def network_svg(
    weights: Sequence[np.ndarray],
    shape: Sequence[int],
    node_maps: Sequence[np.ndarray],
    map_ranges: Sequence[tuple[float, float]],
    bound: float,
    input_labels: Sequence[str] | None = None,
    max_height: int = 230,
    scale: float = 1.0,
) -> str:
    """The diagram of a network with ``weights`` (tutorial layout) as an SVG string.

    ``node_maps[k]`` is ``(nodes_k, h, w)``: each node's output over the input
    square for layer k (k = 0 the inputs), drawn with ``map_ranges[k]``.
    Edges and bias squares use the weight colour scale ``[-bound, bound]``.
    It is drawn a unit to a pixel up to ``max_height`` pixels, all of it
    ``scale`` times larger (a projector's classroom mode).
    """
    positions = node_positions(shape)
    names = node_labels(shape, input_labels)
    width = 2 * MARGIN + (len(shape) - 1) * COLUMN + NODE + 30
    height = 2 * MARGIN + max(shape) * (NODE + GAP) - GAP + 14
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'width="100%" height="{min(max_height, height) * scale:.0f}" role="img" '
             f'aria-label="Network diagram {tuple(shape)}" data-view="diagram">']
    parts += _edges(weights, positions, bound)
    for k, layer in enumerate(positions):
        bias_colours = diverging_hex(weights[k - 1][:, -1], bound) if k > 0 else []
        for i, (x, y) in enumerate(layer):
            parts.append(_node(x, y, node_maps[k][i], map_ranges[k], names[k][i]))
            if k > 0:
                bias, color = weights[k - 1][i, -1], bias_colours[i]
                parts.append(f'<rect x="{x - 5:.1f}" y="{y + NODE - 5:.1f}" width="10" height="10" '
                             f'fill="{color}" stroke="#333" stroke-width="0.8">'
                             f'<title>bias weight of {escape(names[k][i])}: {bias:.4f}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def _edges(weights: Sequence[np.ndarray], positions, bound: float) -> list[str]:
    parts = []
    for k, W in enumerate(weights):
        colors = diverging_hex(W[:, :-1], bound)
        widths = 0.6 + 5.0 * np.clip(np.abs(W[:, :-1]) / bound, 0.0, 1.0)
        for j, (x2, y2) in enumerate(positions[k + 1]):
            for i, (x1, y1) in enumerate(positions[k]):
                w = W[j, i]
                # A weight of exactly 0 (L1 drives weights there) is a dead edge: dashed grey.
                style = ('stroke="#9a9a9a" stroke-width="1" stroke-dasharray="3 3"' if w == 0.0
                         else f'stroke="{colors[j * (W.shape[1] - 1) + i]}" '
                         f'stroke-width="{widths[j, i]:.2f}" stroke-linecap="round"')
                parts.append(
                    f'<line x1="{x1 + NODE:.1f}" y1="{y1 + NODE / 2:.1f}" x2="{x2:.1f}" '
                    f'y2="{y2 + NODE / 2:.1f}" {style}>'
                    f'<title>weight {w:.4f}{" (dead)" if w == 0.0 else ""}</title></line>')
    return parts


def _node(x: float, y: float, values: np.ndarray, value_range, name: str) -> str:
    uri = png_data_uri(map_image(values, value_range))
    return (f'<image x="{x:.1f}" y="{y:.1f}" width="{NODE}" height="{NODE}" href="{uri}" '
            f'preserveAspectRatio="none" style="image-rendering:pixelated"/>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE}" height="{NODE}" fill="none" '
            f'stroke="#333" stroke-width="1"/>'
            f'<text x="{x + NODE / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" '
            f'fill="#333" font-family="sans-serif">{escape(name)}</text>')
