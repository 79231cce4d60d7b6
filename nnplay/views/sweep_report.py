"""What the sweep lab shows: the values a student types for each axis, and the two heatmaps.

A sweep (``nnplay.sweep``) trains the page's configuration over a grid of one or two
settings, each cell from the same seeds as the seeds lab. The page reads the axes'
values from text (``parse_values``), shows the share of seeds solved and the median
iterations to solve as heatmaps that fill in as cells finish (``heatmap``), and opens a
chosen cell in the main view (``cell_options``, ``cell_label``). Nothing here imports
streamlit.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnplay.config import RunConfig
from nnplay.settings import MAX_HIDDEN_NODES, SETTINGS, exact
from nnplay.sweep import MAX_VALUES, Axis, Sweep
from nnplay.views.figures import FONT

AXIS_LABELS = {"learning_rate": "Learning rate η", "hidden": "Hidden size (nodes per hidden layer)",
               "activation": "Hidden activation", "optimizer": "Optimiser",
               "batch_size": "Batch size"}
DEFAULT_VALUES = {"learning_rate": "0.1, 0.3, 1, 3, 10", "hidden": "1, 2, 3, 4, 6, 8",
                  "activation": "sigmoid, tanh, relu", "optimizer": "sgd, momentum, adam",
                  "batch_size": "1, 2, all"}
WHAT = {"solved_share": "Share of seeds solved", "median_iterations": "Median iterations to solve"}


def parse_values(name: str, text: str, config: RunConfig) -> tuple:
    """The values of the axis ``name`` written in ``text`` (comma-separated), as the grid gives
    them to ``config``; raise ``ValueError`` with a sentence saying what is wrong.

    A hidden size ``h`` is ``h`` nodes in every hidden layer of ``config`` (one layer if it
    has none); a batch size ``all`` is the whole training set.
    """
    setting = SETTINGS[name]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not 1 <= len(parts) <= MAX_VALUES or len(set(parts)) != len(parts):
        raise ValueError(f"The {AXIS_LABELS[name].lower()} values must be 1 to {MAX_VALUES} "
                         f"different values separated by commas. Got {text.strip()!r} instead.")
    values = []
    for part in parts:
        try:
            if name == "hidden":
                if not (part.isascii() and part.isdigit() and 1 <= int(part) <= MAX_HIDDEN_NODES):
                    raise ValueError(f"is not a number of nodes from 1 to {MAX_HIDDEN_NODES}")
                values.append((int(part),) * max(1, len(config.hidden)))
            else:
                values.append(setting.parse(part))
        except ValueError as reason:
            raise ValueError(f"The {AXIS_LABELS[name].lower()} value '{part}' {reason}.") from None
    return tuple(values)


def axis_text(axis: Axis) -> list[str]:
    """Each value of ``axis`` as the heatmap labels it."""
    if axis.name == "hidden":
        return [str(v[0]) for v in axis.values]
    if axis.name == "learning_rate":
        return [exact(v) for v in axis.values]
    return [axis.label(k) for k in range(len(axis.values))]


def _cell_text(value: float, what: str) -> str:
    if np.isnan(value):
        return ""
    return f"{value:.0%}" if what == "solved_share" else f"{value:,.0f}"


def heatmap(sweep: Sweep, what: str) -> go.Figure:
    """One heatmap of the grid: ``what`` is ``solved_share`` or ``median_iterations``. Cells not
    finished yet are blank; a finished cell where no seed solved shows "–" on the median map.
    A second trace holds a clickable point at each cell's centre."""
    values = sweep.grid(what)
    rows = axis_text(sweep.rows)
    columns = axis_text(sweep.columns) if sweep.columns else [""]
    text = [[_cell_text(v, what) for v in row] for row in values]
    for (i, j) in sweep.cells:
        if not text[i][j]:
            text[i][j] = "–"
    scale = "Blues" if what == "solved_share" else "Oranges"
    high = 1.0 if what == "solved_share" else float(sweep.max_iterations)
    figure = go.Figure(go.Heatmap(
        z=values, x=columns, y=rows, text=text, texttemplate="%{text}", zmin=0.0, zmax=high,
        colorscale=scale, reversescale=what == "median_iterations", xgap=2, ygap=2,
        hoverinfo="skip",
        colorbar={"thickness": 12, "tickformat": ".0%" if what == "solved_share" else ","}))
    # Plotly selects points of scatter traces, not heatmap cells: an invisible marker at each
    # cell's centre makes a click on the cell a selection the page receives (and its hover).
    centres = [(i, j) for i in range(len(rows)) for j in range(len(columns))]
    figure.add_trace(go.Scatter(
        x=[columns[j] for _, j in centres], y=[rows[i] for i, _ in centres], mode="markers",
        text=[text[i][j] or "not yet" for i, j in centres], marker={"size": 28, "opacity": 0.0},
        showlegend=False,
        hovertemplate=(f"{AXIS_LABELS[sweep.rows.name]} %{{y}}"
                       + (f"<br>{AXIS_LABELS[sweep.columns.name]} %{{x}}" if sweep.columns else "")
                       + f"<br>{WHAT[what]}: %{{text}}<extra></extra>")))
    figure.update_layout(
        title={"text": WHAT[what], "font": {"size": 14}}, font=FONT, height=360,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={"title": AXIS_LABELS[sweep.columns.name] if sweep.columns else None,
               "type": "category", "side": "bottom"},
        yaxis={"title": AXIS_LABELS[sweep.rows.name], "type": "category", "autorange": "reversed"})
    return figure


def cell_label(sweep: Sweep, key: tuple[int, int]) -> str:
    """A finished cell as a student reads it: ``η 0.3, hidden size 4: 95% solved``."""
    i, j = key
    parts = [f"{AXIS_LABELS[sweep.rows.name]} {axis_text(sweep.rows)[i]}"]
    if sweep.columns:
        parts.append(f"{AXIS_LABELS[sweep.columns.name].lower()} {axis_text(sweep.columns)[j]}")
    cell = sweep.cells[key]
    median = cell.median_iterations
    return (", ".join(parts) + f": {cell.solved_share:.0%} solved"
            + ("" if median is None else f", median {median:,.0f} iterations"))


def cell_options(sweep: Sweep) -> list[tuple[int, int]]:
    """The finished cells, row by row."""
    return sorted(sweep.cells)


def progress_text(sweep: Sweep) -> str:
    done, total = len(sweep.cells), sweep.shape[0] * sweep.shape[1]
    return (f"{done} of {total} cells, {len(sweep.seeds)} seeds each, up to "
            f"{sweep.max_iterations:,} iterations ({sweep.seconds:.1f} s so far)")

