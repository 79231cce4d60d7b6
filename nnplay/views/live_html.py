"""The live area as one block of HTML: the numbers, pictures with their captions, and tables.

The page redraws the live views ten times a second, and every Streamlit
element costs the server time on each frame (and ``st.table`` an Arrow
serialisation, and the browser a data-frame script). So the frame's
numbers, diagram, table and charts go out as one HTML string built here.
The styles live in the page's stylesheet (``STYLE``, sent once), not in
every frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

STYLE = """
.nn-metrics {display: flex; flex-wrap: wrap; gap: 0.3rem 2.6rem; margin: 0 0 0.7rem;}
.nn-metric-label {font-size: 0.875rem; color: rgba(49, 51, 63, 0.8);}
.nn-metric[title] .nn-metric-label {text-decoration: underline dotted rgba(49, 51, 63, 0.4);
                                    text-underline-offset: 0.2em; cursor: help;}
.nn-metric-value {font-size: 1.65rem; line-height: 1.35; font-variant-numeric: tabular-nums;
                  overflow-wrap: anywhere;}
.nn-row {display: flex; gap: 1.2rem; align-items: flex-start; margin-bottom: 0.6rem;}
.nn-row > div {min-width: 0;}
p.nn-caption {font-size: 0.875rem; margin: 0.3rem 0 0;
                                                  color: rgba(49, 51, 63, 0.6);}
.nn-table {border-collapse: collapse; width: 100%; font-size: 0.95rem;
           font-variant-numeric: tabular-nums;}
.nn-table th, .nn-table td {border: 1px solid rgba(49, 51, 63, 0.1); padding: 0.25rem 0.5rem;
                            text-align: left; overflow-wrap: anywhere;}
.nn-table thead th {color: rgba(49, 51, 63, 0.6); font-weight: 400;}
.nn-table tbody th {font-weight: 400;}
.nn-table tr.right td {background: rgba(26, 115, 200, 0.10);}
.nn-table tr.wrong td {background: rgba(232, 113, 10, 0.12);}
"""
"""The live area's classes; the page puts them in its stylesheet once."""


def metrics(items: Sequence[tuple[str, str, str | None]], *, view: str = "metrics") -> str:
    """Numbers in a row, as above the live views: ``(label, value, help)``, the help shown on
    hover. ``view`` names them (``data-view``) for tests and measurements."""
    cells = []
    for label, value, help in items:
        tip = f' title="{escape(help)}"' if help else ""
        cells.append(f'<div class="nn-metric"{tip}><div class="nn-metric-label">{escape(label)}</div>'
                     f'<div class="nn-metric-value">{escape(value)}</div></div>')
    return f'<div class="nn-metrics" data-view="{escape(view)}">{"".join(cells)}</div>'


def caption(text: str) -> str:
    return f'<p class="nn-caption">{escape(text)}</p>'


def row(cells: Sequence[tuple[str, float]]) -> str:
    """HTML blocks side by side, each ``(html, share)`` as wide as its share of the row."""
    inner = "".join(f'<div style="flex:{share} 1 0">{content}</div>' for content, share in cells)
    return f'<div class="nn-row">{inner}</div>'


def table(frame: pd.DataFrame, *, row_classes: Sequence[str] | None = None) -> str:
    """``frame`` as a plain table: its index (and the index's name) first, every cell escaped.

    ``row_classes`` tints rows: ``"right"`` (blue) or ``"wrong"`` (orange),
    so that right and wrong show at a glance; the words stay in the cells.
    """
    rows = [[str(label), *map(_cell, values)]
            for label, values in zip(frame.index, frame.itertuples(index=False), strict=True)]
    return rows_table([frame.index.name or "", *map(str, frame.columns)], rows,
                      row_classes=row_classes)


def rows_table(head: Sequence[str], rows: Sequence[Sequence[str]], *,
               row_classes: Sequence[str] | None = None) -> str:
    """A plain table of text: the column names ``head``, and ``rows`` whose first cell heads
    the row; every cell escaped. ``row_classes`` as in ``table``."""
    if row_classes is not None and len(row_classes) != len(rows):
        raise ValueError(f"The 'row_classes' parameter must have one entry per row "
                         f"({len(rows)}). Got {len(row_classes)} instead.")
    head_html = "".join(f"<th>{escape(name)}</th>" for name in head)
    body = []
    for k, (label, *values) in enumerate(rows):
        kind = f' class="{row_classes[k]}"' if row_classes is not None else ""
        cells = "".join(f"<td>{escape(v)}</td>" for v in values)
        body.append(f"<tr{kind}><th>{escape(label)}</th>{cells}</tr>")
    return (f'<table class="nn-table" data-view="table"><thead><tr>{head_html}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "–" if value != value else f"{value:.4g}"  # NaN (an empty test set): a dash
    return str(value)
