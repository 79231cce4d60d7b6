"""The sweep lab panel: the seeds lab over a grid of one or two settings.

The student picks a setting for the rows (and optionally one for the columns), their
values, the seeds and the iterations, and presses Run. The grid is trained a group of
cells at a time by a fragment that reruns itself while the sweep runs, so the heatmaps
fill in as cells finish and the rest of the page stays usable; Cancel stops it between
two groups and keeps the cells done. A finished cell opens in the main view: click it
on either heatmap, or choose it in the list below them.

Widget keys start with ``sweep_``; the sweep itself (``nnplay.sweep.Sweep``) is kept in
``st.session_state["sweep"]``. Words and figures come from ``nnplay.views.sweep_report``.
"""

from __future__ import annotations

import streamlit as st

from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.sweep import MAX_SWEEP_SEEDS, SWEEPABLE, Axis, Sweep
from nnplay.views import sweep_report
from ui.sidebar import set_widgets

SWEEP, RUNNING = "sweep", "sweep_running"
NO_COLUMNS = "none"
SECONDS_PER_RUN = 0.4
"""Training time per fragment run: the heatmaps redraw after each."""
CHART_CONFIG = {"displayModeBar": False}


def sweep_lab_ui(p: Playground) -> None:
    st.markdown("The seeds lab over a grid: train **this configuration** with one or two "
                "settings changed, cell by cell, each cell from the same seeds. Which learning "
                "rates and sizes solve the problem, and how fast? Each cell's numbers are the "
                "seeds lab's for that cell's settings.")
    _settings_ui(p.config)
    st.fragment(_grid_ui, run_every=0.1 if st.session_state.get(RUNNING) else None)()


def _settings_ui(config: RunConfig) -> None:
    state = st.session_state
    state.setdefault(RUNNING, False)
    state.setdefault("sweep_rows", "learning_rate")
    state.setdefault("sweep_columns", "hidden")
    labels = {NO_COLUMNS: "none (one column)", **sweep_report.AXIS_LABELS}
    left, right = st.columns(2)
    left.selectbox("Rows", SWEEPABLE, key="sweep_rows", format_func=labels.get,
                   on_change=_default_values, args=("rows",))
    left.text_input("Row values", key="sweep_rows_values", help="Separated by commas, up to 10.")
    right.selectbox("Columns", (NO_COLUMNS, *SWEEPABLE), key="sweep_columns",
                    format_func=labels.get, on_change=_default_values, args=("columns",))
    if state.sweep_columns != NO_COLUMNS:
        right.text_input("Column values", key="sweep_columns_values",
                         help="Separated by commas, up to 10.")
    for which in ("rows", "columns"):
        if f"sweep_{which}_values" not in state:
            _default_values(which)
    cols = st.columns([2, 1.4, 1, 1], vertical_alignment="bottom")
    state.setdefault("sweep_seeds", 100)
    state.setdefault("sweep_iterations", min(config.max_iterations, 2000))
    cols[0].slider("Seeds per cell", 10, MAX_SWEEP_SEEDS, step=10, key="sweep_seeds",
                   help="Seeds 0, 1, 2, ...: the seeds lab's with the same number of seeds.")
    cols[1].number_input("Maximum iterations", 10, 100_000, step=500, key="sweep_iterations")
    cols[2].button("Run the sweep", key="sweep_run", type="primary", on_click=_start,
                   args=(config,), width="stretch", disabled=bool(state.get(RUNNING)))
    cols[3].button("Cancel", key="sweep_cancel", on_click=_cancel, width="stretch",
                   disabled=not state.get(RUNNING))
    if state.get("sweep_error"):
        st.error(state.sweep_error)


def _default_values(which: str) -> None:
    name = st.session_state[f"sweep_{which}"]
    st.session_state[f"sweep_{which}_values"] = sweep_report.DEFAULT_VALUES.get(name, "")


def _start(config: RunConfig) -> None:
    """Build the grid from the controls (a sentence if they do not make one) and start it."""
    state = st.session_state
    state.sweep_error = None
    try:
        rows = Axis(state.sweep_rows, sweep_report.parse_values(
            state.sweep_rows, state.sweep_rows_values, config))
        columns = None
        if state.sweep_columns != NO_COLUMNS:
            if state.sweep_columns == state.sweep_rows:
                raise ValueError("Choose another setting for the columns than for the rows.")
            columns = Axis(state.sweep_columns, sweep_report.parse_values(
                state.sweep_columns, state.sweep_columns_values, config))
        state[SWEEP] = Sweep(config, rows, columns, range(int(state.sweep_seeds)),
                             int(state.sweep_iterations), state.playground.uploaded)
    except ValueError as problem:
        state.sweep_error = str(problem)
        return
    state[RUNNING] = True


def _cancel() -> None:
    st.session_state[RUNNING] = False


def _grid_ui() -> None:
    """Train the next cells (while running), then draw the heatmaps and the cell to open."""
    state = st.session_state
    sweep: Sweep | None = state.get(SWEEP)
    if sweep is None:
        st.caption("Choose the settings and their values, then press **Run the sweep**.")
        return
    if state.get(RUNNING):
        sweep.advance(SECONDS_PER_RUN)
        if sweep.done:
            state[RUNNING] = False
            st.rerun(scope="app")  # the whole page: the buttons and the timer follow
    status = sweep_report.progress_text(sweep)
    if state.get(RUNNING):
        st.progress(len(sweep.cells) / (sweep.shape[0] * sweep.shape[1]), text=f"Training: {status}")
    else:
        st.caption(("Done: " if sweep.done else "Cancelled: ") + status + ".")
    cols = st.columns(2)
    for column, what in zip(cols, sweep_report.WHAT):
        event = column.plotly_chart(sweep_report.heatmap(sweep, what), key=f"sweep_{what}_chart",
                                    config=CHART_CONFIG, on_select="rerun",
                                    selection_mode="points")
        _clicked(sweep, event)
    st.caption(f"Solved: the error reached the stop error, {sweep.config.min_error:g}. A blank "
               "cell is still to come; – means no seed of that cell solved.")
    _open_ui(sweep)


def _clicked(sweep: Sweep, event) -> None:
    """A click on a finished cell of a heatmap chooses it in the list below."""
    points = (event or {}).get("selection", {}).get("points", [])
    if not points or points == st.session_state.get("sweep_clicked"):
        return  # no click, or one already followed (a selection stays on later reruns)
    st.session_state.sweep_clicked = points
    rows = sweep_report.axis_text(sweep.rows)
    columns = sweep_report.axis_text(sweep.columns) if sweep.columns else [""]
    point = points[0]
    key = (rows.index(str(point.get("y"))), columns.index(str(point.get("x", ""))))
    if key in sweep.cells:
        st.session_state.sweep_cell = key


def _open_ui(sweep: Sweep) -> None:
    options = sweep_report.cell_options(sweep)
    if not options:
        return
    if st.session_state.get("sweep_cell") not in options:
        st.session_state.sweep_cell = options[0]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox("Cell", options, key="sweep_cell",
                   format_func=lambda key: sweep_report.cell_label(sweep, key),
                   help="Or click a cell of either heatmap.")
    right.button("Open in the main view", key="sweep_open", on_click=_open_cell, args=(sweep,),
                 width="stretch")
    if st.session_state.pop("sweep_opened", False):
        st.rerun(scope="app")  # the button reran this fragment only: the sidebar must follow


def _open_cell(sweep: Sweep) -> None:
    """Point the sidebar at the chosen cell's settings (seed 0, the grid's first seed): the
    page then starts that network from iteration 0."""
    config = sweep.configs[st.session_state.sweep_cell].replace(seed=int(sweep.seeds[0]))
    p = st.session_state.playground
    set_widgets(config, p.view)
    st.session_state.sweep_opened = True
    st.toast(f"{sweep_report.cell_label(sweep, st.session_state.sweep_cell)}: open in the main "
             "view with seed 0, at iteration 0. Press Play to watch it.")
