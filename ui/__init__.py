"""The page's panels beyond the live views, one module each (these import streamlit).

``streamlit_app.py`` lays the page out and calls ``<panel>_ui(playground)``
inside a tab; each panel keeps its own widgets' keys under its own prefix
and its per-user state in ``st.session_state``. The maths and the figures
they show come from ``nnplay`` and ``nnplay.views``, which never import
streamlit.
"""
