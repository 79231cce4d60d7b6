"""The presentation layer: pictures, tables, the link's state and the page's session logic.

These modules may import plotly and pandas but never streamlit, so every
picture and every rule of the page is testable without a server. Only
``streamlit_app.py`` and ``ui/`` import streamlit.
"""
