"""Placeholder: this panel is being written."""

from __future__ import annotations

import streamlit as st

from nnplay.views.playground import Playground


def explainer_ui(p: Playground) -> None:
    st.caption("Coming soon.")
