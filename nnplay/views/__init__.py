"""The presentation layer: figures, tables, the link's state and the page's session logic.

These modules may import plotly and pandas but never streamlit, so every
figure and every rule of the page is testable without a server. Only
``streamlit_app.py`` imports streamlit.
"""
