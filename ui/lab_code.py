"""Show me the code: the current run as a standalone numpy script in the tutorial's style.

The script comes from ``nnplay.export.script_for``; this panel chooses how
far it runs (to the current iteration, or the whole run to the stop rule),
shows it, offers it as a download and says how to run it. It also notices
when the script cannot give the page's numbers: training settings changed
during the run, or a run loaded from a file.
"""

from __future__ import annotations

import streamlit as st

from nnplay.app.playground import Playground
from nnplay.export import script_for, script_name
from ui.lab_compare import run_log

CURRENT, WHOLE = "current", "whole"


def code_export_ui(p: Playground) -> None:
    """The mode choice, how to run the script, a download button and the script itself."""
    iteration = p.trainer.iteration
    mixed = _history_note(p)
    st.caption("This run written out as one Python file that needs nothing but numpy: the "
               "tutorial's `backPropNN` class with its forward pass `FP` and `backProp`, set up "
               "with your settings and the same starting weights (same seed).")
    labels = {CURRENT: f"To the current iteration ({iteration:,})",
              WHOLE: "The whole run (to the stop rule)"}
    mode = st.radio("The script runs", list(labels), key="code_export_mode", horizontal=True,
                    format_func=labels.get)
    if mode == CURRENT and iteration == 0:
        st.info("Nothing has run yet (iteration 0), so here is the whole run. Press Step or "
                "Play, and this becomes the script to the current iteration.")
        mode = WHOLE
    iterations = iteration if mode == CURRENT else None
    name = script_name(p.config, iterations)
    if not p.config.is_point_set:
        table = "the Input / Output / Target table above"
    elif p.train.kind == "regression":
        table = "the first rows of the Input / Output / Target table"
    else:
        table = "the first rows of the Input / Output / Target table and the accuracy"
    if mode == CURRENT:
        result = (f"`Iterations: {iteration}` and the final error (the page's **Iteration** and "
                  f"**Error** now), then {table}")
    else:
        result = ("the iteration and the error at which the page's Play stops by itself (from "
                  f"iteration 0, after a Reset), then {table}")
    st.markdown(f"**To run it:** download it (or copy it: button at the top right of the code), "
                f"then in a terminal `python {name}`. It needs only numpy "
                f"(`pip install numpy`). It prints the tutorial's log, then {result}.")
    if p.log:
        st.warning("This run has hand edits (weights set by hand or neurons switched off); the "
                   "script leaves them out and trains the plain run, so its numbers differ from "
                   "the page's from the first edit on. Reset to compare the plain run.")
    if mode == CURRENT and mixed:
        st.warning(mixed)
    elif mode == WHOLE and p.stop_reason == "diverged":
        st.warning("On the page this run diverged and stopped. The script does not stop: it "
                   "prints nan (not a number) errors from that iteration on. Try a smaller "
                   "learning rate.")
    script = script_for(p.config, iterations, uploaded=p.uploaded)
    st.download_button("Download the script", data=script, file_name=name, mime="text/x-python",
                       on_click="ignore", icon=":material/download:", key="code_export_download")
    st.code(script, language="python", line_numbers=True, height=560)


def _history_note(p: Playground) -> str | None:
    """Why the script to the current iteration cannot give the page's numbers, if it cannot.

    The script trains the current settings from iteration 0: that is this
    run's history unless its settings changed on the way or it was loaded
    from a file.
    """
    log = run_log(p)
    if log.replayable:
        return None
    if log.loaded_at is not None:
        return (f"This run was loaded from a file at iteration {log.loaded_at:,}. The script "
                "trains the current settings from iteration 0: it gives the page's numbers only "
                "if the run used these settings all along.")
    return (f"The training settings changed during this run ({log.describe()}). The script uses "
            "today's settings from iteration 0, so its numbers differ from the page's: press "
            "Reset to train these settings from the start, and they agree again.")
