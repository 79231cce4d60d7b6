"""Rewind: the run as it was at an earlier iteration, and carrying on from there."""

from __future__ import annotations

import streamlit as st

from nnplay.views import classes, figures
from nnplay.views.playground import Playground
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
    st.caption(f"The network as it was at iteration {chosen:,} (the run is now at "
               f"{p.trainer.iteration:,}). Snapshots every {p.trainer.snapshots.every:,} iterations.")
    left, middle, right = st.columns([1, 1.6, 1.2])
    with left:
        points, targets = p.surface_points()
        if p.train.kind == "multiclass":
            xs, ys, outputs = p.class_surface(network)
            fig = classes.class_surface_figure(xs, ys, outputs, points, targets.astype(int),
                                               height=250)
        else:
            xs, ys, Z = p.surface(network)
            fig = figures.surface_figure(xs, ys, Z, points, targets, value_range=p.output_range(),
                                         height=250, continuous=p.train.kind == "regression")
        st.plotly_chart(fig, key="rewind_surface", config={"displayModeBar": False})
    with middle:
        st.plotly_chart(figures.weights_figure(network.weights, p.shape, p.bound, height=250),
                        key="rewind_weights", config={"displayModeBar": False})
    with right:
        if p.config.is_point_set:
            outputs = network.predict(p.config.inputs(p.train.X))
            st.metric("Training score then", _score_text(outputs, p))
        else:
            st.table(p.truth_table(network))
    st.button(f"Carry on from iteration {chosen:,}", key="rewind_resume", on_click=_go_back,
              args=(p, chosen), help="Training continues from these weights; the later "
              "iterations are forgotten.")
