"""The seeds lab panel: the page's configuration trained from many seeds at once.

The lab answers "how often does this network solve the problem, and how
fast?" in seconds, and lets the student open any seed in the main view.
Its widgets' keys start with ``seeds_``; the last result is kept in
``st.session_state["seeds_result"]`` (a ``SeedsLab``, which carries the
configuration it was made for). The numbers, words and figures come from
``nnplay.views.seeds_report``.
"""

from __future__ import annotations

import streamlit as st

from nnplay.app.playground import Playground
from nnplay.app.shared import SharedResults
from nnplay.config import RunConfig
from nnplay.settings import MAX_PAGE_SEED
from nnplay.views import seeds_report
from ui.sidebar import problem_label

RESULT = "seeds_result"
FIGURES = "seeds_figures"
WARN_SECONDS = 3.0
"""Estimated run times above this are shown as a warning before the student presses Run."""
CHART_CONFIG = {"displayModeBar": False}


def seeds_lab_ui(p: Playground) -> None:
    config = p.config
    st.markdown("Train **this configuration** from many seeds at once: how often does it learn "
                f"{problem_label(config.problem)}, and how fast? Each seed's run is exactly the "
                "run the main view makes from that seed.")
    chosen, iterations, run = _settings_ui(config)
    if run:
        _run(config, chosen, iterations)
    lab = st.session_state.get(RESULT)
    if lab is None:
        st.caption("Press **Run the seeds lab** to see the results here.")
        return
    _results_ui(p, lab)


# -- settings -------------------------------------------------------------------------

def _settings_ui(config: RunConfig) -> tuple[range, int, bool]:
    """Draw the lab's controls; return the seeds, the iterations it will run and the button."""
    state = st.session_state
    state.setdefault("seeds_n", 200)
    state.setdefault("seeds_iterations", min(config.max_iterations, 2000))
    state.setdefault("seeds_first", 0)
    cols = st.columns([2.2, 1.3, 1.1, 1.4], vertical_alignment="bottom")
    n = cols[0].slider("Number of seeds", 10, seeds_report.MAX_LAB_SEEDS, step=10, key="seeds_n")
    requested = cols[1].number_input(
        "Maximum iterations", 10, seeds_report.MAX_LAB_ITERATIONS, step=1000, key="seeds_iterations",
        help="Each seed stops here or when it reaches the stop error, whichever comes first. "
             "The tutorial runs 100,000.")
    first = cols[2].number_input("First seed", 0, MAX_PAGE_SEED - seeds_report.MAX_LAB_SEEDS,
                                 key="seeds_first",
                                 help="The lab runs seeds first, first + 1, ..., first + n - 1.")
    run = cols[3].button("Run the seeds lab", key="seeds_run", type="primary", width="stretch")
    chosen = seeds_report.lab_seeds(int(first), int(n))
    per_iteration = _seconds_per_iteration(config.replace(seed=0, max_iterations=1), int(n),
                                           st.session_state.playground.uploaded)
    iterations = seeds_report.affordable_iterations(int(requested), per_iteration)
    estimate = iterations * per_iteration
    shape = st.session_state.playground.shape
    solved = (f"“Solved” means the error reached the page's **stop at error, {config.min_error:g}** "
              "(Training, in the sidebar)." if config.min_error > 0 else
              "The page's stop at error is 0, so no seed stops early and none counts as solved: "
              "set one in the sidebar (Training).")
    st.caption(f"{solved} Seeds {chosen.start:,} to {chosen.stop - 1:,} of {shape}; "
               f"estimated time about {_seconds(estimate)}.")
    if iterations < requested:
        st.warning(f"{n} seeds × {requested:,} iterations of {shape} would take about "
                   f"{_seconds(requested * per_iteration)} on this server, so the lab stops at "
                   f"**{iterations:,} iterations** (about {_seconds(estimate)}). Use fewer seeds "
                   "to go further.")
    elif estimate > WARN_SECONDS:
        st.warning(f"{n} seeds × {requested:,} iterations take about {_seconds(estimate)} on this "
                   "server (measured from a short trial run). The progress bar shows how far it is.")
    return chosen, iterations, run


@st.cache_data(ttl=600, show_spinner=False, max_entries=200)
def _seconds_per_iteration(config: RunConfig, n_seeds: int, _uploaded=None) -> float:
    """A machine measurement (not a user's data), so it may be shared between users; it
    depends on the data's size only, so uploaded points are left out of the cache key."""
    return seeds_report.seconds_per_iteration(config, n_seeds, uploaded=_uploaded)


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 1 else f"{value:.1f} s" if value < 10 else f"{value:.0f} s"


def _run(config: RunConfig, chosen: range, iterations: int) -> None:
    text = f"Training {len(chosen)} seeds of {st.session_state.playground.shape}"
    bar = st.progress(0.0, text=f"{text}…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{text}: {done:,} of {total:,} iterations")

    uploaded = st.session_state.playground.uploaded
    try:
        if uploaded is None:  # the settings say it all: computed once per server, shared
            lab = _shared_lab(config, chosen, iterations, progress)
        else:
            lab = seeds_report.run_lab(config, chosen, iterations, progress, uploaded=uploaded)
    except ValueError as problem:
        bar.empty()
        st.error(f"The seeds lab cannot train this configuration: {problem}")
        return
    bar.empty()
    st.session_state[RESULT] = lab
    st.session_state.pop(FIGURES, None)
    st.session_state.seeds_open = int(seeds_report.seeds_table(lab)["Seed"].iloc[0])


LABS = SharedResults(max_entries=64)
"""Lab results by their settings, shared by every session of this server process: the same
settings and seeds always train the same, so a class pressing Run on one link trains once.
Each session gets its own copy (``nnplay.app.shared``)."""


def _shared_lab(config: RunConfig, seeds: range, iterations: int, progress) -> seeds_report.SeedsLab:
    key = (config, seeds.start, seeds.stop, iterations)
    return LABS.get(key, lambda: seeds_report.run_lab(config, seeds, iterations, progress))


# -- results --------------------------------------------------------------------------

def _results_ui(p: Playground, lab: seeds_report.SeedsLab) -> None:
    changes = seeds_report.changed_settings(lab.config, p.config)
    if changes:
        st.info("These results are for the settings before you changed "
                f"{', '.join(changes).replace('_', ' ')}: run the lab again for the current ones.")
    _numbers_ui(lab)
    _charts_ui(lab)
    left, right = st.columns([1.5, 1])
    with left:
        _table_ui(lab)
    with right:
        _open_ui(p, lab, stale=bool(changes))


def _numbers_ui(lab: seeds_report.SeedsLab) -> None:
    solved = int(lab.result.solved.sum())
    median, slow = lab.solve_percentile(50), lab.solve_percentile(90)
    cols = st.columns(5)
    cols[0].metric("Solved", seeds_report.percent(lab.solved_fraction),
                   help=f"{solved:,} of {lab.n_seeds:,} seeds reached error ≤ {lab.config.min_error:g}")
    cols[1].metric("Median iterations to solve", "–" if median is None else f"{median:,.0f}")
    cols[2].metric("90% solved within", "–" if slow is None else f"{slow:,.0f}",
                   help="The 90th percentile of iterations to solve, over the solved seeds.")
    stuck = lab.count("stuck")
    cols[3].metric("Stuck", f"{stuck:,} ({seeds_report.percent(stuck / lab.n_seeds)})" if stuck else "0",
                   help="A row of the truth table still wrong at the end (not diverged).")
    cols[4].metric("Diverged", f"{lab.count('diverged'):,}")
    st.markdown(seeds_report.summary(lab))
    st.caption(f"{lab.n_seeds:,} seeds ({lab.seeds[0]:,} to {lab.seeds[-1]:,}), up to "
               f"{lab.max_iterations:,} iterations each, trained in {_seconds(lab.seconds)}.")


def _charts_ui(lab: seeds_report.SeedsLab) -> None:
    cached = st.session_state.get(FIGURES)
    if cached is None or cached[0] is not lab:  # built once per result, not on every rerun
        cached = (lab, (seeds_report.iterations_figure(lab), seeds_report.final_error_figure(lab),
                        seeds_report.curves_figure(lab)))
        st.session_state[FIGURES] = cached
    iterations_fig, error_fig, curves_fig = cached[1]
    cols = st.columns(3)
    if lab.result.solved.any():
        cols[0].plotly_chart(iterations_fig, key="seeds_iterations_chart", config=CHART_CONFIG)
        cols[0].caption("How many iterations the solved seeds needed.")
    else:
        cols[0].markdown("**Iterations to solve**")
        cols[0].info(_nothing_solved(lab))
    cols[1].plotly_chart(error_fig, key="seeds_error_chart", config=CHART_CONFIG)
    cols[1].caption("Where every seed ended: solved (blue), every row right but above the stop "
                    "error (light blue), stuck (orange).")
    cols[2].plotly_chart(curves_fig, key="seeds_curves_chart", config=CHART_CONFIG)
    cols[2].caption("Each seed's error over the iterations: a flat stretch is a plateau. "
                    "Hover a line for its seed.")


def _nothing_solved(lab: seeds_report.SeedsLab) -> str:
    text = (f"No seed reached error {lab.config.min_error:g} within {lab.max_iterations:,} "
            "iterations, so there is nothing to count here.")
    best = lab.best_error()
    if best is not None:
        text += f" The final errors show how close they came (the best ended at {best:.2g})."
    return text + (" To time how long the seeds take to learn, raise **Stop at error** in the "
                   "sidebar (Training), to 0.01 say, or run more iterations, and run the lab again.")


def _table_ui(lab: seeds_report.SeedsLab) -> None:
    st.dataframe(
        seeds_report.seeds_table(lab), hide_index=True, height=250, width="stretch",
        column_config={
            "Iterations": st.column_config.NumberColumn(format="localized"),
            "Final error": st.column_config.NumberColumn(format="%.3e"),
        })
    st.caption("Stuck seeds first, then diverged, then those still above the stop error, then "
               "solved ones, slowest first. Click a column title to sort.")


def _open_ui(p: Playground, lab: seeds_report.SeedsLab, stale: bool) -> None:
    st.markdown("**Open one seed in the main view**")
    order = seeds_report.seeds_table(lab)["Seed"].tolist()
    st.selectbox("Seed", order, key="seeds_open", format_func=lambda s: seeds_report.seed_label(lab, s),
                 help="Listed as in the table: stuck seeds first. Type to search for a seed.")
    st.button("Open this seed in the main view", key="seeds_open_button", on_click=_open_seed,
              disabled=stale, width="stretch")
    config = p.config
    note = (f"The main view starts it again from iteration 0 and runs up to "
            f"{config.max_iterations:,} iterations (Max iterations, in the sidebar)")
    if lab.max_iterations > config.max_iterations:
        note += f"; the lab ran up to {lab.max_iterations:,}"
    st.caption(note + ". Press Play at the top of the page to watch it."
               + (" Run the lab again first: the settings have changed." if stale else ""))


def _open_seed() -> None:
    """Point the sidebar's seed at the chosen one; the page then starts that seed again."""
    seed = int(st.session_state.seeds_open)
    st.session_state.seed = seed
    p = st.session_state.get("playground")
    if p is not None and p.config.seed == seed:
        p.reset()  # the same seed as now: the page sees no change, so start it again here
    st.toast(f"Seed {seed} is open in the main view, at iteration 0: press Play to watch it.")
