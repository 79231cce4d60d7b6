"""Pictures and tables made from data: the live views as compact frames for the browser
component that draws them (``frames``), the lab's Plotly figures and tables.

These may import plotly and pandas but never streamlit; only ``streamlit_app.py`` and
``ui/`` do. The page's state they draw lives in ``nnplay.app``.
"""
