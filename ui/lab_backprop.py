"""The panel "Back propagation, step by step": one iteration with the tutorial's equations and numbers.

Everything it shows comes from ``nnplay.views.backprop_tables.build``; this module
only places it: the forward pass first layer first, the error, then back
propagation output layer first, each weight matrix in its own expander.
"""

from __future__ import annotations

import streamlit as st

from nnplay.app.playground import Playground
from nnplay.views import backprop_tables
from nnplay.views.backprop_tables import Equation, Explanation, Section

EXPLAINER_TAB = "Back propagation, step by step"
"""The lab tab's name (the live node panel opens it)."""


def explainer_ui(p: Playground) -> None:
    trainer = p.trainer
    st.markdown("One iteration of back propagation on the network as it is now, with the "
                "tutorial's equations and their numbers: forward through the layers, the error, "
                "then back from the output to the inputs. In the tables a row is a node and a "
                "column an example, named by its inputs $x_1\\ x_2$; blue is positive, orange "
                "negative.")
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    choice = left.selectbox(
        "Example", backprop_tables.example_options(trainer.X), key="explainer_example",
        help="The whole truth table at once, as the tutorial and Step train, or one row alone.")
    every_node = st.session_state.get("explainer_every_node", False)
    view = backprop_tables.build(trainer, backprop_tables.example_index(choice, trainer.X),
                           limit=None if every_node else backprop_tables.MAX_NODES_SHOWN)
    if view.truncated or every_node:
        right.toggle("Show every node", key="explainer_every_node",
                     help=f"Large layers show {backprop_tables.MAX_NODES_SHOWN} nodes and ⋯ for the rest.")
    _status_ui(p, view)
    st.markdown(backprop_tables.CSS, unsafe_allow_html=True)
    st.markdown("##### 1 · Forward pass: from the inputs to the output")
    for section in view.forward:
        _section_ui(section)
    st.markdown("##### 2 · The error")
    _equation_ui(view.error)
    st.markdown("##### 3 · Back propagation: from the output back to the inputs")
    for section in view.backward:
        _section_ui(section)
    with st.expander("The new weights at full precision"):
        st.caption("Every digit, as Python: check them against Step, or paste them into the "
                   "tutorial's code (`nn.weights = [np.array(w) for w in new_weights]`).")
        st.code(view.code, language="python")


def _status_ui(p: Playground, view: Explanation) -> None:
    trainer = p.trainer
    st.caption(f"Iteration {trainer.iteration:,} · η = {view.step.learning_rate:g} · "
               f"error before this step {view.step.error:.6g}")
    if p.playing:
        st.info("The network is playing: these numbers are for the iteration above, when the page "
                "last redrew. Pause, then press Step to follow one iteration.")
    show = {"info": st.info, "success": st.success, "warning": st.warning}
    show[view.claim.kind](view.claim.message)
    if view.loss_note:
        st.info(view.loss_note)
    if view.dropout_note:
        st.info(view.dropout_note)


def _section_ui(section: Section) -> None:
    with st.expander(section.title, expanded=section.expanded):
        for equation in section.equations:
            _equation_ui(equation)


def _equation_ui(equation: Equation) -> None:
    st.latex(equation.latex)
    st.caption(equation.text)
    # Plain HTML tables side by side: a few microseconds each to build, where a
    # DataFrame through st.table costs about a millisecond, and this panel
    # is drawn again on every full rerun of the page.
    st.markdown(equation.html(), unsafe_allow_html=True)
