"""nnplay: watch a neural network learn.

The page lays out the transport and the live views; the settings live in
``ui/sidebar.py`` (the sidebar) and the teaching lab's panels in ``ui/``.
The rules live in ``nnplay.app.playground.Playground`` (one per user, in
``st.session_state``) and the figures come from pure builders in
``nnplay.views``.

    streamlit run streamlit_app.py
"""

from __future__ import annotations

import streamlit as st

from nnplay.app.link import to_query
from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.problems import UPLOADED
from ui.lab_backprop import EXPLAINER_TAB, explainer_ui
from ui.lab_code import code_export_ui
from ui.lab_compare import compare_ui
from ui.lab_rewind import rewind_ui
from ui.lab_seeds import seeds_lab_ui
from ui.lab_sweep import sweep_lab_ui
from ui.live import catch_up, live_ui
from ui.server import guarded, one_blas_thread
from ui.sidebar import (
    address_ui,
    classroom,
    playground,
    problem_label,
    sidebar_ui,
    view_from_widgets,
)

COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem; padding-bottom: 1rem;}
[data-testid="stSidebarUserContent"] {padding-top: 1rem;}
h3 {padding-top: 0 !important;}
[data-testid="stAlertContainer"] {padding: 0.45rem 0.8rem;}
@media (pointer: coarse) {  /* a finger: settings of at least 44 px (the live area sizes its own) */
  [data-testid="stSidebar"] [data-testid^="stBaseButton"],
  [data-testid="stSidebar"] [data-testid="stNumberInputContainer"],
  [data-testid="stSidebar"] [data-baseweb="select"] > div {min-height: 44px;}
  [data-testid="stSidebar"] [data-testid^="stNumberInputStep"] {min-width: 44px;}
}
</style>"""
BIG_CSS = "<style>html {font-size: 19px;}</style>"
"""Classroom mode on a projector: the page's own text a quarter larger (Streamlit sizes in
rem; the live area scales itself)."""


@guarded("the live views")
def frame_ui(p: Playground) -> None:
    live_ui(p, classroom().big)


@guarded("the page")
def main() -> None:
    one_blas_thread()
    p = playground()
    catch_up(p)  # playing: back to the frame on screen, before any setting applies
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
            st.query_params.from_dict(to_query(p.config, p.view, classroom(), points=p.uploaded))
    st.markdown(COMPACT_CSS, unsafe_allow_html=True)
    if classroom().big:
        st.markdown(BIG_CSS, unsafe_allow_html=True)
    st.markdown(f"### nnplay · watch a neural network learn {problem_label(p.config.problem)}")
    for warning in st.session_state.get("link_warnings", []):
        st.warning(warning)
    st.fragment(frame_ui)(p)
    if "lab" not in classroom().hide:
        lab_ui(p)
    if config is not None:
        address_ui(p)  # last: Step, Pause or Rewind may have moved the run in this script run


LAB_PANELS = {
    EXPLAINER_TAB: (explainer_ui, "the next Step worked out by hand: every "
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
