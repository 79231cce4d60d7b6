"""One user's page, without the pictures: the controller (``playground``), the link
(``link``), saved runs (``runfile``) and uploaded points (``csvdata``).

Like ``nnplay.views`` these never import streamlit, so every rule of the page is
testable without a server; the page keeps one ``Playground`` per user in
``st.session_state``.
"""
