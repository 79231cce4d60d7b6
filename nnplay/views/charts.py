"""The live views as SVG: the decision surface, the error curve and the weight heatmaps.

While a run plays, the page redraws every view ten times a second. A browser
remounts a Plotly chart on every change of its data, and on a two-core
machine that, not numpy, set the frame rate (benchmarks/README.md); an SVG
string is parsed and swapped in at a fraction of the cost, and leaves the
Plotly script unloaded until a lab panel needs it. So the live views are
drawn here, by pure functions from arrays to SVG text, in the house colours
(``colors``), with exact values on hover (``<title>``) where Plotly showed
them. The Plotly builders in ``figures`` and ``classes`` draw the lab's
still pictures.

Every number that reaches the SVG is finite: a network just back from
diverging is drawn at the limits of its scale, never as NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from nnplay.views.classes import CLASS_COLOURS, class_image
from nnplay.views.colors import BLUE, NEUTRAL, ORANGE, diverging_hex
from nnplay.views.diagram import map_image, png_data_uri
from nnplay.views.figures import layer_titles, node_labels

FONT = 'font-family="Inter, Segoe UI, Helvetica, Arial, sans-serif"'
INK = "#31333f"
MUTED = "#6b6f7b"
GRID = "#e2e2e2"
RATE_GREY = "#6b7280"
POINT_OUTLINE = "#202020"
TEST_OUTLINE = "#ffffff"
HEIGHT = 270
"""Every live view is this many units high, so that the three sit level in a row."""
LARGEST = 1e30
"""Values are clipped to this (and NaN drawn as 0) before they are drawn."""


def finite(values: object) -> np.ndarray:
    """``values`` as float64 with NaN as 0 and everything within ``±LARGEST`` (the array
    itself if it already is: callers never change it in place)."""
    array = np.asarray(values, dtype=np.float64)
    if array.size and np.abs(array).max() <= LARGEST:  # the usual case, checked at a glance
        return array  # (a NaN makes the maximum NaN, and the comparison false)
    return np.nan_to_num(np.clip(array, -LARGEST, LARGEST), nan=0.0)


def nice_ticks(low: float, high: float, count: int = 5) -> np.ndarray:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) within ``[low, high]``."""
    span = high - low
    if not np.isfinite(span) or span <= 0:
        return np.array([low])
    raw = span / max(1, count - 1)
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw * (1 - 1e-9))
    first = np.ceil(low / step - 1e-9) * step
    ticks = np.arange(first, high + step * 1e-6, step)
    return np.round(ticks, 12) + 0.0  # + 0.0: no "-0"


def tick_text(value: float) -> str:
    """A tick label: ``0.5``, ``20``, ``2k``, ``1.5M``, ``1e-3``; past a billion (a run that
    diverges) ``1e30``."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e9:
        return _power_of_ten(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:g}k"
    if magnitude < 1e-3:
        return f"{value:.0e}".replace("e-0", "e-")
    return f"{value:g}"


def cell_text(value: float) -> str:
    """A weight printed in its heatmap cell, at most six characters: ``-0.63``, ``12.40``,
    ``-1234``, ``3e12``."""
    magnitude = abs(value)
    if magnitude < 99.995:
        return f"{value:.2f}"
    if magnitude < 9999.5:
        return f"{value:.0f}"
    return _power_of_ten(value)


def _power_of_ten(value: float) -> str:
    """``3e12``, ``-1e30``: one figure and its power of ten."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _svg(width: float, height: float, view: str, label: str, body: Sequence[str]) -> str:
    """The SVG element: scales to its column's width, keeps its proportions."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="100%" style="max-width:{width * 1.35:.0f}px;height:auto;display:block" '
            f'role="img" aria-label="{escape(label)}" data-view="{view}" {FONT}>'
            + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, *, size: float = 11, anchor: str = "middle",
          colour: str = MUTED, extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{colour}"{extra}>{escape(text)}</text>')


# -- the decision surface ----------------------------------------------------------------

SURFACE_SIDE = 212
TITLED_POINTS = 40
"""Up to this many points, each names its inputs and target on hover; more are drawn bare."""
SURFACE_MARGIN = dict(left=40, right=8, top=10, bottom=40)


def surface_svg(
    xs: np.ndarray,
    ys: np.ndarray,
    Z: np.ndarray,
    points: np.ndarray,
    targets: np.ndarray,
    *,
    value_range: tuple[float, float] = (0.0, 1.0),
    discrete: bool = False,
    continuous: bool = False,
    test_points: np.ndarray | None = None,
    test_targets: np.ndarray | None = None,
) -> str:
    """The network's output over the input square, with the points on top.

    ``Z`` is ``(len(ys), len(xs))``, row 0 at the lowest x2 (as
    ``Playground.surface`` gives it). Points are blue when their target
    is above the middle of ``value_range`` and orange otherwise, or on the
    surface's own colour scale when ``continuous`` (regression); test points
    have a white outline. With ``discrete`` the surface is cut at the middle.
    """
    low, high = value_range
    middle = (low + high) / 2.0
    Z = finite(Z)
    shown = np.where(Z >= middle, high, low) if discrete else Z
    image = map_image(shown, value_range)
    if continuous:
        colour_of = lambda values: diverging_hex(finite(values) - middle, (high - low) / 2 or 1.0)  # noqa: E731
    else:
        colour_of = lambda values: [BLUE if t > middle else ORANGE for t in finite(values)]  # noqa: E731
    layers = [(points, targets, POINT_OUTLINE, "training")]
    if test_points is not None and test_targets is not None:
        layers.append((test_points, test_targets, TEST_OUTLINE, "test"))
    marks = []
    for where, values, outline, part in layers:
        marks.append((finite(where), colour_of(values), outline,
                      [f"{part} point, target {t:.3g}" for t in finite(values)]))
    return _square_plot(xs, ys, image, marks, "Decision surface: the output over the inputs",
                        smooth=not discrete)


def class_surface_svg(
    xs: np.ndarray,
    ys: np.ndarray,
    outputs_grid: np.ndarray,
    points: np.ndarray,
    point_classes: np.ndarray,
    class_names: Sequence[str],
    *,
    test_points: np.ndarray | None = None,
    test_classes: np.ndarray | None = None,
) -> str:
    """The class the network picks at every point (``classes.class_image``), the points on top."""
    image = class_image(finite(outputs_grid))[::-1]  # row 0 is the lowest x2: the picture's bottom
    layers = [(points, point_classes, POINT_OUTLINE, "training")]
    if test_points is not None and test_classes is not None:
        layers.append((test_points, test_classes, TEST_OUTLINE, "test"))
    marks = []
    for where, ids, outline, part in layers:
        ids = np.asarray(ids, dtype=int)
        marks.append((finite(where), [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in ids], outline,
                      [f"{part} point, class {class_names[k] if k < len(class_names) else k}"
                       for k in ids]))
    return _square_plot(xs, ys, image, marks, "Decision surface: the class picked at every point",
                        smooth=True)


def _square_plot(xs, ys, image: np.ndarray, marks, label: str, smooth: bool) -> str:
    """Axes around a square picture of the input square, and the points as circles."""
    m, side = SURFACE_MARGIN, SURFACE_SIDE
    left, top = m["left"], m["top"]
    x0, x1, y0, y1 = (float(v) for v in (xs[0], xs[-1], ys[0], ys[-1]))

    def px(x):
        return left + (np.asarray(x) - x0) / (x1 - x0) * side

    def py(y):
        return top + side - (np.asarray(y) - y0) / (y1 - y0) * side

    rendering = "" if smooth else ' style="image-rendering:pixelated"'
    body = [f'<image x="{left}" y="{top}" width="{side}" height="{side}" '
            f'preserveAspectRatio="none" href="{png_data_uri(image)}"{rendering}/>',
            f'<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="none" '
            f'stroke="#999" stroke-width="0.8"/>']
    for value in nice_ticks(x0, x1):
        x = float(px(value))
        body.append(f'<line x1="{x:.1f}" y1="{top + side}" x2="{x:.1f}" y2="{top + side + 4}" '
                    f'stroke="#999"/>' + _text(x, top + side + 15, tick_text(value)))
    for value in nice_ticks(y0, y1):
        y = float(py(value))
        body.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#999"/>'
                    + _text(left - 6, y + 4, tick_text(value), anchor="end"))
    body.append(_text(left + side / 2, top + side + 32, "x1", size=12, colour=INK))
    body.append(_text(12, top + side / 2, "x2", size=12, colour=INK,
                      extra=f' transform="rotate(-90 12 {top + side / 2:.1f})"'))
    n_points = sum(len(where) for where, *_ in marks)
    radius = 7.0 if n_points <= 16 else 3.2
    for where, colours, outline, titles in marks:
        if not len(where):
            continue
        cx, cy = px(where[:, 0]), py(where[:, 1])
        width = 2 if outline == POINT_OUTLINE and radius > 5 else 1
        if n_points > TITLED_POINTS:
            body += _point_groups(cx, cy, colours, outline, radius)
            continue
        for x, y, colour, title, xy in zip(cx, cy, colours, titles, where, strict=True):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" '
                        f'stroke="{outline}" stroke-width="{width}"><title>x1 {xy[0]:.3g}, '
                        f'x2 {xy[1]:.3g}: {escape(title)}</title></circle>')
    return _svg(left + side + m["right"], top + side + m["bottom"], "surface", label, body)


def _point_groups(cx: np.ndarray, cy: np.ndarray, colours: Sequence[str], outline: str,
                  radius: float) -> list[str]:
    """Many points as bare circles in one group per colour: a fifth of the text."""
    groups = []
    colours = np.asarray(colours)
    for colour in dict.fromkeys(colours.tolist()):
        chosen = colours == colour
        circles = (f'<circle cx="%.1f" cy="%.1f" r="{radius}"/>' * int(chosen.sum())
                   % tuple(np.column_stack([cx[chosen], cy[chosen]]).ravel().tolist()))
        groups.append(f'<g fill="{colour}" stroke="{outline}" stroke-width="1">{circles}</g>')
    return groups


# -- the error curve ---------------------------------------------------------------------

CURVE_SIZE = (270, HEIGHT - 10)
CURVE_MARGIN = dict(left=50, right=12, top=22, bottom=40)
SPARSE_TEST_POINTS = 40
"""A test-error curve of at most this many points marks each: at a fast speed the test
error is measured once every many iterations, and a bare line would hide that."""


def error_svg(
    iterations: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    *,
    log_scale: bool = False,
    min_error: float | None = None,
    x_max: int | None = None,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    rate: tuple[np.ndarray, np.ndarray] | None = None,
) -> str:
    """The error over the iterations: the band between each bucket's ``low`` and ``high``
    (``ErrorHistory.curve``), the current error marked, the test error dashed in
    orange and the stopping error dotted, on a linear or a log axis; ``rate``, the
    iterations and their η where a schedule changes it, in grey, its highest at the top."""
    width, height = CURVE_SIZE
    m = CURVE_MARGIN
    plot_w, plot_h = width - m["left"] - m["right"], height - m["top"] - m["bottom"]
    x = np.asarray(iterations, dtype=np.float64)
    low, high = finite(low), finite(high)
    right = float(max(10, x_max if x_max is not None else (x[-1] if len(x) else 10)))
    values = [high] + ([finite(test[1])] if test is not None and len(test[1]) else [])
    largest = max(float(v.max()) for v in values if len(v)) if len(high) else 1.0
    if log_scale:
        positive = np.concatenate([v[v > 0] for v in values + [low]])
        floor = float(positive.min()) if positive.size else 1e-3
        bottom_decade = np.floor(np.log10(floor))
        top_decade = max(np.ceil(np.log10(max(largest, floor))), bottom_decade + 1)
        y_ticks = 10.0 ** np.arange(bottom_decade, top_decade + 1)
        if len(y_ticks) > 6:
            y_ticks = y_ticks[::int(np.ceil(len(y_ticks) / 6))]

        def fraction(y):
            y = np.maximum(np.asarray(y, dtype=np.float64), 10.0 ** bottom_decade)
            return (np.log10(y) - bottom_decade) / (top_decade - bottom_decade)
    else:
        y_ticks = nice_ticks(0.0, _nice_top(largest))
        top_value = float(y_ticks[-1]) if len(y_ticks) > 1 else _nice_top(largest)

        def fraction(y):
            return np.asarray(y, dtype=np.float64) / top_value

    def px(i):
        return m["left"] + np.asarray(i, dtype=np.float64) / right * plot_w

    def py(y):
        return m["top"] + plot_h * (1.0 - np.clip(fraction(y), 0.0, 1.0))

    body = [f'<rect x="{m["left"]}" y="{m["top"]}" width="{plot_w}" height="{plot_h}" '
            f'fill="{NEUTRAL}"/>']
    for value in nice_ticks(0.0, right):
        gx = float(px(value))
        body.append(f'<line x1="{gx:.1f}" y1="{m["top"]}" x2="{gx:.1f}" y2="{m["top"] + plot_h}" '
                    f'stroke="{GRID}"/>' + _text(gx, m["top"] + plot_h + 15, tick_text(value)))
    for value in y_ticks:
        gy = float(py(value))
        body.append(f'<line x1="{m["left"]}" y1="{gy:.1f}" x2="{m["left"] + plot_w}" '
                    f'y2="{gy:.1f}" stroke="{GRID}"/>'
                    + _text(m["left"] - 5, gy + 4, tick_text(value), anchor="end"))
    body.append(_text(m["left"] + plot_w / 2, height - 6, "iteration", size=12, colour=INK))
    body.append(_text(12, m["top"] + plot_h / 2, "error", size=12, colour=INK,
                      extra=f' transform="rotate(-90 12 {m["top"] + plot_h / 2:.1f})"'))
    if min_error and (log_scale or min_error <= float(y_ticks[-1])):
        sy = float(py(min_error))
        body.append(f'<line x1="{m["left"]}" y1="{sy:.1f}" x2="{m["left"] + plot_w}" y2="{sy:.1f}" '
                    f'stroke="#888" stroke-dasharray="2 3"><title>training stops at error '
                    f'{min_error:g}</title></line>'
                    + _text(m["left"] + 4, sy - 3, "stop", size=10, anchor="start"))
    if len(x):
        cx, c_low, c_high = _by_column(px(x), low, high, plot_w)
        band = np.concatenate([np.column_stack([cx, py(c_high)]),
                               np.column_stack([cx[::-1], py(c_low)[::-1]])])
        body.append(f'<polygon points="{_pairs(band)}" fill="rgba(26,115,200,0.25)" '
                    f'stroke="{BLUE}" stroke-width="1" stroke-linejoin="round"/>')
        body.append(f'<polyline points="{_pairs(np.column_stack([cx, py(c_high)]))}" fill="none" '
                    f'stroke="{BLUE}" stroke-width="2" stroke-linejoin="round"/>')
    if test is not None and len(test[0]):
        tx, t_low, t_high = _by_column(px(test[0]), finite(test[1]), finite(test[1]), plot_w)
        body.append(f'<polyline points="{_pairs(np.column_stack([tx, py(t_high)]))}" fill="none" '
                    f'stroke="{ORANGE}" stroke-width="2" stroke-dasharray="6 4"/>')
        if len(tx) <= SPARSE_TEST_POINTS:  # measured once a frame: show where it was measured
            body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{ORANGE}"/>'
                     for x, y in zip(tx, py(t_high), strict=True)]
        body.append(_legend(m["left"] + plot_w, m["top"] - 8))
    if rate is not None and len(rate[0]):
        top = float(np.max(rate[1])) or 1.0
        ry = m["top"] + plot_h * (1.0 - np.asarray(rate[1], dtype=np.float64) / top)
        body.append(f'<polyline data-series="rate" points="{_pairs(np.column_stack([px(rate[0]), ry]))}" '
                    f'fill="none" stroke="{RATE_GREY}" stroke-width="1.5" stroke-dasharray="5 3">'
                    f'<title>η over the iterations (the schedule); {top:.4g} at the top</title>'
                    '</polyline>'
                    + _text(m["left"] + plot_w - 4, m["top"] + 11, f"η (top {top:.3g})", size=10,
                            anchor="end", colour=RATE_GREY))
    if len(x):
        now_x, now_y = float(px(x[-1])), float(py(high[-1]))
        body.append(f'<circle cx="{now_x:.1f}" cy="{now_y:.1f}" r="5" fill="{ORANGE}" '
                    f'stroke="{POINT_OUTLINE}" stroke-width="1"><title>iteration {int(x[-1]):,}: '
                    f'error {high[-1]:.6g}</title></circle>')
    return _svg(width, height, "curve", "The error falling over the iterations", body)


def _nice_top(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at least ``value`` (1 for nothing)."""
    if not np.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= value * (1 - 1e-12))


def _by_column(px: np.ndarray, low: np.ndarray, high: np.ndarray, columns: int):
    """Points merged to at most one per pixel column: the lowest low and highest high in each.

    The history holds up to 2,048 buckets; a curve a few hundred pixels wide
    draws the same band from one point per column, in a fraction of the text.
    """
    if len(px) <= columns:
        return px, low, high
    column = np.floor(px).astype(int)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    return px[starts], np.minimum.reduceat(low, starts), np.maximum.reduceat(high, starts)


def _pairs(points: np.ndarray) -> str:
    """``x,y x,y ...`` to a tenth of a unit (one formatting call: this runs every frame)."""
    return ("%.1f,%.1f " * len(points) % tuple(np.ravel(points).tolist())).rstrip()


def _legend(right: float, y: float) -> str:
    x = right - 128
    return (f'<line x1="{x}" y1="{y}" x2="{x + 18}" y2="{y}" stroke="{BLUE}" stroke-width="2"/>'
            + _text(x + 22, y + 4, "training", size=10, anchor="start")
            + f'<line x1="{x + 72}" y1="{y}" x2="{x + 90}" y2="{y}" stroke="{ORANGE}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            + _text(x + 94, y + 4, "test", size=10, anchor="start"))


# -- the weights ---------------------------------------------------------------------------

WEIGHTS_SIZE = (390, HEIGHT - 10)
LARGEST_CELL = 34
LABELLED_CELL = 27
"""A cell at least this many units wide prints its weight ("-2.63" fits)."""
ROW_LABELS = 30  # room at the left of each matrix for its row names
SCALE_WIDTH = 44  # the colour bar and its labels, at the right


def weights_svg(
    weights: Sequence[np.ndarray],
    shape: Sequence[int],
    bound: float,
    input_labels: Sequence[str] | None = None,
) -> str:
    """One heatmap per weight matrix in the tutorial's layout, and the colour scale.

    Rows are the nodes of the next layer, columns the nodes of the previous
    layer then ``bias``; colours span ``[-bound, bound]`` centred at 0
    (orange negative, blue positive). Cells large enough print their weight;
    every cell names its weight on hover.
    """
    width, height = WEIGHTS_SIZE
    names = node_labels(shape, input_labels)
    titles = layer_titles(shape)
    top, bottom = 24, 40
    columns = sum(W.shape[1] for W in weights)
    room = width - SCALE_WIDTH - len(weights) * ROW_LABELS - (len(weights) - 1) * 8
    rows = max(W.shape[0] for W in weights)
    cell = min(LARGEST_CELL, room / columns, (height - top - bottom) / rows)
    small = cell < 16
    body = []
    x = 0.0
    for k, W in enumerate(weights):
        W = finite(W)
        x += ROW_LABELS
        n_rows, n_columns = W.shape
        y0 = top + (height - top - bottom - n_rows * cell) / 2
        colours = diverging_hex(W, bound)
        body.append(_text(x + n_columns * cell / 2, top - 10, titles[k], size=12, colour=INK))
        column_names = names[k] + ["bias"]
        for i in range(n_rows):
            body.append(_text(x - 4, y0 + (i + 0.5) * cell + 4, names[k + 1][i],
                              size=9 if small else 11, anchor="end"))
            for j in range(n_columns):
                w = W[i, j]
                cx, cy = x + j * cell, y0 + i * cell
                body.append(f'<rect x="{cx:.1f}" y="{cy:.1f}" width="{cell - 1:.1f}" '
                            f'height="{cell - 1:.1f}" fill="{colours[i * n_columns + j]}">'
                            f'<title>from {escape(column_names[j])} to '
                            f'{escape(names[k + 1][i])}: {w:.4f}</title></rect>')
                if cell >= LABELLED_CELL:
                    ink = "#ffffff" if abs(w) > 0.6 * bound else INK
                    body.append(_text(cx + (cell - 1) / 2, cy + cell / 2 + 3, cell_text(w),
                                      size=9.5, colour=ink))
        label_y = y0 + n_rows * cell + 10
        for j, name in enumerate(column_names):
            lx = x + (j + 0.5) * cell
            if small:
                body.append(_text(lx, label_y, name, size=9, anchor="end",
                                  extra=f' transform="rotate(-60 {lx:.1f} {label_y:.1f})"'))
            else:
                body.append(_text(lx, label_y + 3, name, size=10.5))
        x += n_columns * cell + 8
    body += _colour_scale(width - SCALE_WIDTH + 10, top, height - top - bottom, bound)
    return _svg(width, height, "weights", "Weight matrices as heatmaps", body)


def _colour_scale(x: float, top: float, length: float, bound: float) -> list[str]:
    """A vertical colour bar from ``+bound`` (top) to ``-bound``, in 24 steps."""
    steps = 24
    values = np.linspace(bound, -bound, steps)
    colours = diverging_hex(values, bound)
    piece = length / steps
    parts = [f'<rect x="{x:.1f}" y="{top + i * piece:.1f}" width="10" height="{piece + 0.5:.1f}" '
             f'fill="{c}"/>' for i, c in enumerate(colours)]
    room = SCALE_WIDTH - 10 - 13  # from the labels' start to the picture's right edge
    for value, y in ((bound, top), (0.0, top + length / 2), (-bound, top + length)):
        text = tick_text(value)
        # "-5e152" (a run that diverged) is squeezed into the room that "-5" takes
        squeeze = f' textLength="{room}" lengthAdjust="spacingAndGlyphs"' if len(text) > 3 else ""
        parts.append(_text(x + 13, y + 4, text, size=10, anchor="start", extra=squeeze))
    return parts

