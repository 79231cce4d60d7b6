"""nnplay: watch a neural network learn.

The page lays out the transport and the live views; the settings live in
``ui/sidebar.py`` (the sidebar) and the teaching lab's panels in ``ui/``.
The rules live in ``nnplay.app.playground.Playground`` (one per user, in
``st.session_state``) and the figures come from pure builders in
``nnplay.views``.

    streamlit run streamlit_app.py
"""

from __future__ import annotations

import functools
import logging
import time

import pandas as pd
import streamlit as st

from nnplay.app.link import SPEEDS, to_query
from nnplay.app.playground import FRAME_INTERVAL, Playground, TruthRows
from nnplay.config import RunConfig
from nnplay.losses import LOSSES
from nnplay.problems import UPLOADED
from nnplay.views import charts, live, live_html
from nnplay.views.diagram import network_svg
from nnplay.views.scores import Scores, fit_text
from ui.lab_backprop import explainer_ui
from ui.lab_code import code_export_ui
from ui.lab_compare import compare_ui
from ui.lab_rewind import rewind_ui
from ui.lab_seeds import seeds_lab_ui
from ui.lab_sweep import sweep_lab_ui
from ui.server import one_blas_thread
from ui.sidebar import (
    classroom,
    nearest_rate,
    playground,
    problem_label,
    sidebar_ui,
    view_from_widgets,
)

LOG = logging.getLogger("nnplay.page")


def guarded(where: str):
    """Run a part of the page so that a failure shows a sentence, not a traceback: the details
    go to the server's log, the animation stops and the run is kept."""
    def wrap(draw):
        @functools.wraps(draw)
        def run(*args):
            try:
                return draw(*args)
            except Exception:  # noqa: BLE001 - Streamlit's rerun and stop signals are not Exceptions
                LOG.exception("%s failed", where)
                if "playground" in st.session_state:
                    st.session_state.playground.playing = False
                st.error(f"Something went wrong in {where}, and it was written to the server's "
                         "log. Your run is kept: press Step or Play to go on, change a setting, "
                         "or press Reset.")
        return run
    return wrap
DIAGRAM_CAPTION = ("The network: blue weights are positive, orange negative, thicker is larger; "
                   "each node shows its own output over the inputs.")
STEP_SIZES = [10, 100, 1000, 10000]
SPEED_LABELS = {"1": "1 iteration / frame", "2": "2 / frame", "5": "5 / frame",
                "20": "20 / frame", "100": "100 / frame", "1000": "1,000 / frame",
                "max": "as fast as possible"}
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem; padding-bottom: 1rem;}
[data-testid="stSidebarUserContent"] {padding-top: 1rem;}
[data-testid="stMetricValue"] {font-size: 1.65rem;}
[data-testid="stMetric"] {padding: 0;}
h3 {padding-top: 0 !important;}
[data-testid="stAlertContainer"] {padding: 0.45rem 0.8rem;}
""" + live_html.STYLE + "</style>"
# Classroom mode on a projector: everything a quarter larger (Streamlit sizes in rem; the
# diagram, drawn in pixels, by BIG_SCALE), and the charts as wide as their columns, two to a
# row (charts_html), so that their labels grow with them.
BIG_CSS = ("<style>html {font-size: 19px;} "
           "svg[data-view] {max-width: none !important;}</style>")
BIG_SCALE = 19 / 15  # the theme's baseFontSize is 15


# -- callbacks (run before the script) ----------------------------------------------

def _toggle_play() -> None:
    p = playground()
    if p.playing:
        p.pause()
    else:
        p.play()


def _calm_down() -> None:
    """After a divergence: a learning rate ten times smaller, and carry on."""
    st.session_state.learning_rate = max(1e-6, float(st.session_state.learning_rate) / 10)
    st.session_state.lr_choice = nearest_rate(st.session_state.learning_rate)


# -- the main area --------------------------------------------------------------------

def transport_ui(p: Playground) -> None:
    cols = st.columns([1.1, 1, 1.5, 1, 1, 2.2], vertical_alignment="bottom")
    cols[0].button("Pause" if p.playing else "Play", key="play", on_click=_toggle_play,
                   type="primary", width="stretch")
    if cols[1].button("Step", key="step", width="stretch", help="One iteration"):
        p.step(1)
    n = cols[2].selectbox("Step size", STEP_SIZES, key="step_n",
                          format_func=lambda k: f"{k:,} iterations",
                          label_visibility="collapsed")
    if cols[3].button(f"Step {n:,}", key="step_many", width="stretch"):
        p.step(n)
    if cols[4].button("Reset", key="reset", width="stretch", help="Same seed, iteration 0"):
        p.reset()
    cols[5].selectbox("Speed", list(SPEEDS), key="speed", format_func=SPEED_LABELS.get,
                      label_visibility="collapsed")


def status_ui(p: Playground) -> None:
    status = p.status()
    if status is None:
        return
    show = {"info": st.info, "success": st.success, "warning": st.warning, "error": st.error}
    show[status.kind](status.message)
    if p.stop_reason == "diverged":
        st.button("Divide η by 10", on_click=_calm_down, key="calm")


def _number(value: float) -> str:
    """Six decimals while the error falls; under 1e-4, or past a million (a run that
    diverges), three figures and a power of ten, so the number stays short."""
    return f"{value:.6f}" if 1e-4 <= abs(value) < 1e6 else f"{value:.3e}"


def _rate_metric(p: Playground) -> tuple[str, str, str | None]:
    """η: the next iteration's, where a schedule changes it."""
    settings = p.trainer.settings
    if not settings.scheduled:
        return "Learning rate η", f"{settings.learning_rate:g}", None
    return ("Learning rate η", f"{settings.learning_rate_at(p.trainer.iteration):.4g}",
            f"The next iteration's, on the schedule from {settings.learning_rate:g}")


def metrics_html(p: Playground, truth: TruthRows | None,
                 scores: tuple[Scores, Scores] | None) -> str:
    """The numbers above the views; ``truth`` (gates) or ``scores`` (point sets) as the frame
    computed them once for every view that shows them."""
    trainer = p.trainer
    error = trainer.last_error if trainer.last_error is not None else trainer.error()
    dropout = trainer.settings.dropout if p.config.hidden else 0.0
    shown = [("Iteration", f"{trainer.iteration:,}", None),
             ("Error", _number(error), "On the training examples, as the tutorial prints it: "
              "measured in the last iteration, before its update" + (
                  f", with dropout {dropout:g} on (that pass's nodes off)" if dropout else ""))]
    if not p.config.is_point_set:
        return live_html.metrics([*shown, ("Rows right", f"{sum(truth.right)} / {len(truth.right)}",
                                      None),
                             _rate_metric(p)])
    train, test = scores
    test_error = p.test_error()
    shown.append(("Test error", "–" if test_error is None else _number(test_error),
                  "The same error on the held-out test examples"))
    which, on = ("Test", test) if test.n_examples else ("Training", train)
    if train.kind == "regression":
        shown.append((f"{which} R²", fit_text(on.r_squared),
                      f"RMSE {fit_text(on.rmse)}; 1 is a perfect fit"))
    else:
        shown.append((f"{which} accuracy", f"{on.accuracy:.1%}",
                      f"Training accuracy {train.accuracy:.1%}"))
    return live_html.metrics(shown)


@guarded("the live views")
def frame_ui(p: Playground) -> None:
    """A frame: train a chunk, then every live view.

    Runs ten times a second while playing: each frame rests, inside its run,
    for what is left of its interval, and longer on a busy server
    (``Playground.frame_finished``). The numbers, the diagram, the table and
    the charts go out as one Markdown element of HTML: every element costs
    the server time on each frame. (``st.html`` would be quicker for the
    browser, but its sanitizer drops SVG.)
    """
    if p.playing:
        p.frame_started(time.perf_counter(), time.thread_time())
        p.frame()
        if not p.playing:  # it stopped by itself: redraw the whole page (Play label, status)
            st.rerun()
    # The truth table (gates) or the scores (point sets) feed both the metrics and the table.
    truth = None if p.config.is_point_set else p.truth_rows()
    scores = p.scores() if p.config.is_point_set else None
    numbers = metrics_html(p, truth, scores)
    if p.shape[0] == 3:  # three inputs: show one slice of the cube at a time, chosen below them
        st.markdown(numbers, unsafe_allow_html=True)
        numbers = ""
        p.third_input = float(st.radio("Slice of the decision surface", [0, 1], horizontal=True,
                                       key="slice_x3", format_func=lambda v: f"x3 = {v}"))
    maps, ranges = p.node_maps()
    diagram = network_svg(p.trainer.network.weights, p.shape, maps, ranges, p.bound,
                          input_labels=p.input_labels, max_height=200,
                          scale=BIG_SCALE if classroom().big else 1.0)
    st.markdown(numbers + live_html.row([(diagram + live_html.caption(DIAGRAM_CAPTION), 1.25),
                                    (table_html(p, truth, scores), 1)]) + charts_html(p),
                unsafe_allow_html=True)
    if p.playing:
        # Requests for the next frame that arrive meanwhile wait as one (Streamlit merges them).
        time.sleep(p.frame_finished(time.perf_counter(), time.thread_time()))


def table_html(p: Playground, truth: TruthRows | None,
               scores: tuple[Scores, Scores] | None) -> str:
    """The truth table (gates) or, for point sets, the confusion matrix or the fit."""
    if scores is None:
        return live.truth_html(truth) + live_html.caption(
            "The tutorial's printout; a row is right when its output is within 0.5 of the target.")
    train, test = scores
    shown, where = (test, "test") if test.n_examples else (train, "training")
    if shown.kind == "regression":
        fit = pd.DataFrame({"RMSE": [train.rmse, test.rmse], "R²": [train.r_squared,
                            test.r_squared]}, index=["training", "test"])
        return live_html.table(fit) + live_html.caption(
            "How far the outputs are from the targets: RMSE in the targets' units, R² = 1 for a "
            "perfect fit.")
    names = p.class_names
    matrix = pd.DataFrame(shown.confusion, index=[f"is {n}" for n in names],
                          columns=[f"says {n}" for n in names])
    return live_html.table(matrix) + live_html.caption(
        f"Confusion matrix on the {shown.n_examples} {where} points: rows are the true class, "
        f"columns the network's answer; {shown.accuracy:.1%} right.")


def charts_html(p: Playground) -> str:
    """The decision surface, the error curve and the weight heatmaps, side by side (two to a
    row in classroom mode), as SVG (``nnplay.views.charts``): a browser swaps them in where
    it would remount Plotly charts."""
    trainer = p.trainer
    iterations, low, high = p.error_curve()
    rate = p.rate_curve()
    curve = charts.error_svg(iterations, low, high, log_scale=p.view.log_scale,
                             min_error=p.config.min_error,
                             x_max=max(10, int(trainer.iteration * 1.1)),
                             test=p.test_curve if p.test.n_examples else None, rate=rate)
    weights = live.weights_svg(p)
    loss = LOSSES[p.config.loss].label
    cells = [(live.surface_svg(p) + live_html.caption(live.surface_caption(p)), 1.0),
             (curve + live_html.caption(f"Error ({loss}) falling over the iterations."
                                        + (" Grey dashes: η on its schedule." if rate else "")),
              1.05),
             (weights + live_html.caption(live.WEIGHTS_CAPTION), 1.6)]
    if classroom().big:  # on a projector: the surface and the curve, then the weights
        return live_html.row(cells[:2]) + live_html.row([cells[2], ("", 0.6)])
    return live_html.row(cells)


@guarded("the page")
def main() -> None:
    one_blas_thread()
    p = playground()
    settings_hidden = {"network", "training"} <= set(classroom().hide)
    st.set_page_config(page_title="nnplay: watch a neural network learn", page_icon="🧠",
                       layout="wide",
                       initial_sidebar_state="collapsed" if settings_hidden else "auto")
    config = sidebar_ui(p)
    if config is not None and config.problem == UPLOADED and p.uploaded is None:
        config = None  # the run stays as it is until a CSV of points arrives
    if config is not None:
        p.apply(config, view_from_widgets())
        if config != RunConfig() or st.query_params:
            st.query_params.from_dict(to_query(p.config, p.view, classroom()))
    st.markdown(COMPACT_CSS, unsafe_allow_html=True)
    if classroom().big:
        st.markdown(BIG_CSS, unsafe_allow_html=True)
    st.markdown(f"### nnplay · watch a neural network learn {problem_label(p.config.problem)}")
    for warning in st.session_state.get("link_warnings", []):
        st.warning(warning)
    transport_ui(p)
    status_ui(p)
    st.fragment(frame_ui, run_every=FRAME_INTERVAL if p.playing else None)(p)
    if "lab" not in classroom().hide:
        lab_ui(p)


LAB_PANELS = {
    "Back propagation, step by step": (explainer_ui, "the next Step worked out by hand: every "
                                       "delta, gradient and new weight, as numbers and as numpy"),
    "Seeds lab": (seeds_lab_ui, "the same network from 200 seeds at once: how often it "
                  "learns, how fast, and where the others get stuck"),
    "Sweep lab": (sweep_lab_ui, "the seeds lab over a grid of one or two settings (η, "
                  "sizes, activations, ...): which cells solve, and how fast"),
    "Rewind": (rewind_ui, "the network as it was at an earlier iteration, and carrying on "
               "from there"),
    "Compare runs": (compare_ui, "pin a run, change a setting, train again: the error curves "
                     "side by side"),
    "Show me the code": (code_export_ui, "this run as a short numpy script to run at home"),
}
LAB_OVERVIEW = "What is in the lab"


def lab_ui(p: Playground) -> None:
    """The teaching lab: what no other playground shows.

    Only the chosen tab is drawn (``on_change="rerun"``): a page that opens
    needs no table grid, formula or code highlighter until a student asks.
    """
    st.markdown("#### Teaching lab")
    # A key keeps the chosen tab when a notice above it moves the tabs down the page.
    tabs = st.tabs([LAB_OVERVIEW, *LAB_PANELS], key="lab_tabs", on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            st.markdown("\n".join(f"- **{name}**: {about}."
                                   for name, (_, about) in LAB_PANELS.items()))
    for tab, (name, (panel, _)) in zip(tabs[1:], LAB_PANELS.items(), strict=True):
        if tab.open:
            with tab:
                guarded(f"the tab '{name}'")(panel)(p)


main()
