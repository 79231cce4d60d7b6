"""Rewind: the run as it was at an earlier iteration, and carrying on from there."""

from __future__ import annotations

import streamlit as st

from nnplay.app.playground import Playground
from nnplay.views import live, live_html
from nnplay.views.scores import fit_text, score


def _go_back(p: Playground, iteration: int) -> None:
    p.rewind(iteration)


def _score_text(outputs, p: Playground) -> str:
    result = score(outputs, p.train.y, p.train.kind)
    if result.accuracy is not None:
        return f"{result.accuracy:.1%} right"
    return f"R² {fit_text(result.r_squared)}"


def rewind_ui(p: Playground) -> None:
    marks = p.trainer.snapshots.iterations
    if len(marks) < 2:
        st.caption("Play or step first: the run keeps snapshots of its weights as it goes "
                   "(at most 64, spread evenly over the whole run), and this timeline shows them.")
        return
    chosen = st.select_slider("Iteration to look at", options=marks, value=marks[-1],
                              format_func=lambda i: f"{i:,}", key=f"rewind_{len(marks)}_{marks[-1]}")
    network = p.network_at(chosen)
    every = p.trainer.snapshots.every
    st.caption(f"The network as it was at iteration {chosen:,} (the run is now at "
               f"{p.trainer.iteration:,}). Snapshots every "
               f"{'iteration' if every == 1 else f'{every:,} iterations'}.")
    # The same pictures as the live views, of the network as it was (one element, as there).
    if p.config.is_point_set:
        outputs = network.predict(p.config.inputs(p.train.X))
        then = live_html.metrics([("Training score then", _score_text(outputs, p), None)],
                            view="rewind-score")
    else:
        then = live.truth_html(p.truth_rows(network))
    st.markdown(live_html.row([(live.surface_svg(p, network), 1.0),
                          (live.weights_svg(p, network), 1.6), (then, 1.1)]),
                unsafe_allow_html=True)
    st.button(f"Carry on from iteration {chosen:,}", key="rewind_resume", on_click=_go_back,
              args=(p, chosen), help="Training continues from these weights; the later "
              "iterations are forgotten.")
