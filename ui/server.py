"""The server process the page runs in: what is set once for every session in it."""

from __future__ import annotations

import functools
import logging

import streamlit as st
from threadpoolctl import OpenBLASController, threadpool_limits

LOG = logging.getLogger("nnplay.page")


@functools.cache
def one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process (the first call does it), and let go
    of the first visitor's thread, which threadpoolctl would otherwise hold with its session.
    Why and what it buys: benchmarks/README.md (one BLAS thread; memory over a long run)."""
    threadpool_limits(1, user_api="blas")
    OpenBLASController.clear_controlling_thread()


def guarded(where: str):
    """Run a part of the page so that a failure shows a sentence, not a traceback: the details
    go to the server's log, the animation stops and the run is kept."""
    def wrap(draw):
        @functools.wraps(draw)
        def run(*args):
            try:
                return draw(*args)
            except Exception:  # noqa: BLE001 - Streamlit's rerun and stop signals are not Exceptions
                LOG.exception("%s failed", where)
                if "playground" in st.session_state:
                    st.session_state.playground.playing = False
                st.error(f"Something went wrong in {where}, and it was written to the server's "
                         "log. Your run is kept: press Step or Play to go on, change a setting, "
                         "or press Reset.")
        return run
    return wrap
