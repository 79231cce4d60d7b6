"""Throwaway placeholder page so the browser tests have something to load.

The real page is written by the page author; replace this file wholesale.
"""

import streamlit as st

st.title("nnplay")

if "iteration" not in st.session_state:
    st.session_state.iteration = 0

if st.button("Step"):
    st.session_state.iteration += 1

st.metric("Iteration", st.session_state.iteration)
