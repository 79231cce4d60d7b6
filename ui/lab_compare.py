"""Compare runs: pin the current run, then overlay the pinned error curves on the live one.

The pinned runs live in ``st.session_state["pinned_runs"]`` (a list of
``nnplay.views.compare_runs.PinnedRun``, at most ``MAX_PINS``); the figure and the
table come from ``nnplay.views.compare_runs``. ``run_log`` keeps the current run's
``RunLog`` in ``st.session_state["run_log"]``; the code export reads it too.
"""

from __future__ import annotations

import streamlit as st

from nnplay.app.playground import Playground
from nnplay.views import compare_runs
from nnplay.views.compare_runs import MAX_PINS, PinnedRun, RunLog

PINS = "pinned_runs"
NOTE = "compare_note"
LOG = "run_log"


def run_log(p: Playground) -> RunLog:
    """The training settings the current run went through, brought up to date."""
    log = RunLog.observe(st.session_state.get(LOG), p)
    st.session_state[LOG] = log
    return log


def _pins() -> list[PinnedRun]:
    return st.session_state.setdefault(PINS, [])


# -- callbacks (run before the script, so the chart and the table see the change) ------------

def _pin(p: Playground) -> None:
    pins = _pins()
    run = compare_runs.pin(p, compare_runs.next_label(pins), run_log(p))
    twin = next((pinned for pinned in pins if pinned.same_run(run)), None)
    if twin is not None:
        st.session_state[NOTE] = (f"This run is already pinned as {twin.label}. Change a setting "
                                  "or train on, then pin again.")
    elif len(pins) >= MAX_PINS:
        st.session_state[NOTE] = f"At most {MAX_PINS} pinned runs: remove one to pin another."
    else:
        pins.append(run)


def _remove() -> None:
    label = st.session_state.get("compare_choice")
    st.session_state[PINS] = [run for run in _pins() if run.label != label]
    st.session_state.pop("compare_choice", None)


def _clear() -> None:
    st.session_state[PINS] = []
    st.session_state.pop("compare_choice", None)


# -- the panel ------------------------------------------------------------------------------

def compare_ui(p: Playground) -> None:
    """Pin / Remove / Clear, the overlaid error curves and the table of runs."""
    pins = _pins()
    st.caption("Pin a run to keep its error curve. Then change a setting (the learning rate, the "
               "seed, the hidden layers...), train again and pin that run too: the curves share "
               "one chart and the table sets the runs side by side. Pins last until you close "
               "the page.")
    controls_ui(p, pins)
    if st.session_state.get(NOTE):
        st.info(st.session_state.pop(NOTE))
    live = compare_runs.pin(p, log=run_log(p))
    if pins:
        log_scale = st.session_state.get("compare_log", False)
        fig = compare_runs.overlay_figure(pins, live, log_scale=log_scale)
        st.plotly_chart(fig, key="compare_chart", config={"displayModeBar": False})
        st.caption(f"Dashed: the pinned runs. Thick blue: the run now ('{compare_runs.LIVE_LABEL}'), "
                   "redrawn whenever the page pauses or stops. The legend names what differs "
                   "between the runs.")
    else:
        # The run now alone is the error curve above: no chart until there is a second curve
        # (which also keeps Plotly's script off a first visit).
        st.caption("No pinned runs yet: press **Pin this run** to keep this run's curve, then "
                   "the pinned curves and the run now share one chart here.")
    table_ui(pins, live)


def controls_ui(p: Playground, pins: list[PinnedRun]) -> None:
    full = len(pins) >= MAX_PINS
    cols = st.columns([1.2, 1.4, 0.9, 0.9, 1.4], vertical_alignment="bottom")
    cols[0].button("Pin this run", key="compare_pin", on_click=_pin, args=(p,), type="primary",
                   disabled=full, width="stretch",
                   help=(f"At most {MAX_PINS} pinned runs: remove one first." if full else
                         "Keep this run's error curve and result to compare with later runs."))
    if pins:
        cols[1].selectbox("Pinned run", [run.label for run in pins], key="compare_choice",
                          label_visibility="collapsed")
        cols[2].button("Remove", key="compare_remove", on_click=_remove, width="stretch",
                       help="Unpin the run chosen on the left.")
        cols[3].button("Clear pins", key="compare_clear", on_click=_clear, width="stretch")
    cols[4].toggle("Log-scale error", key="compare_log",
                   help="Errors that differ a thousandfold are easier to compare on a log scale.")


def table_ui(pins: list[PinnedRun], live: PinnedRun) -> None:
    table = compare_runs.comparison_table(pins, live)
    shown, shared = compare_runs.shown_columns(table)
    st.dataframe(
        table, hide_index=True, column_order=shown,
        column_config={
            "Final error": st.column_config.NumberColumn(format="%.6g"),
            "Test error": st.column_config.NumberColumn(format="%.6g"),
            "η": st.column_config.NumberColumn(format="%g"),
            "Iterations": st.column_config.NumberColumn(format="localized"),
            "Seed": st.column_config.NumberColumn(format="%d"),
        })
    if shared:
        same = "; ".join(f"{name} **{_shown(value)}**" for name, value in shared.items())
        st.caption(("Every run has " if len(table) > 1 else "Settings: ") + same + ".")
    st.caption(f"A row per pinned run, the run now last ('{compare_runs.LIVE_LABEL}'). Rows right: "
               "training examples whose output is within 0.5 of the target; solved: all of "
               "them (for a gate, its whole truth table).")


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
