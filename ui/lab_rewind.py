"""Rewind: the run as it was at an earlier iteration, and carrying on from there."""

from __future__ import annotations

import streamlit as st

from nnplay.app.playground import Playground
from ui.live import still_ui


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
    every = p.trainer.snapshots.every
    st.caption(f"The network as it was at iteration {chosen:,} (the run is now at "
               f"{p.trainer.iteration:,}). Snapshots every "
               f"{'iteration' if every == 1 else f'{every:,} iterations'}.")
    # The same pictures as the live views, drawn by the same component, of the network then.
    still_ui(p, network, chosen)
    st.button(f"Carry on from iteration {chosen:,}", key="rewind_resume", on_click=_go_back,
              args=(p, chosen), help="Training continues from these weights; the later "
              "iterations are forgotten.")
