"""Rewind: the run as it was at an earlier iteration, and carrying on from there."""

from __future__ import annotations

import streamlit as st

from nnplay.views import figures
from nnplay.views.playground import Playground


def _go_back(p: Playground, iteration: int) -> None:
    p.rewind(iteration)


def rewind_ui(p: Playground) -> None:
    marks = p.trainer.snapshots.iterations
    if len(marks) < 2:
        st.caption("Play or step first: the run keeps snapshots of its weights as it goes "
                   "(at most 64, spread evenly over the whole run), and this timeline shows them.")
        return
    chosen = st.select_slider("Iteration to look at", options=marks, value=marks[-1],
                              format_func=lambda i: f"{i:,}", key=f"rewind_{len(marks)}_{marks[-1]}")
    network = p.network_at(chosen)
    st.caption(f"The network as it was at iteration {chosen:,} (the run is now at "
               f"{p.trainer.iteration:,}). Snapshots every {p.trainer.snapshots.every:,} iterations.")
    left, middle, right = st.columns([1, 1.6, 1.2])
    with left:
        xs, ys, Z = p.surface(network)
        points, targets = p.surface_points()
        st.plotly_chart(figures.surface_figure(xs, ys, Z, points, targets,
                                               value_range=p.output_range(), height=250),
                        key="rewind_surface", config={"displayModeBar": False})
    with middle:
        st.plotly_chart(figures.weights_figure(network.weights, p.shape, p.bound, height=250),
                        key="rewind_weights", config={"displayModeBar": False})
    with right:
        st.table(p.truth_table(network).set_index("Input"))
    st.button(f"Carry on from iteration {chosen:,}", key="rewind_resume", on_click=_go_back,
              args=(p, chosen), help="Training continues from these weights; the later "
              "iterations are forgotten.")
