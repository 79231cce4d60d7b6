"""The server process the page runs in: what is set once for every session in it."""

from __future__ import annotations

import functools

from threadpoolctl import OpenBLASController, threadpool_limits


@functools.cache
def one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process (the first call does it).

    The products here are small (a 100 x 100 surface through a few layers),
    and a server holds many students: a second BLAS thread only fights the
    other sessions (and, on one machine, the browser) for the cores. Measured:
    the 2-D set's surface took 2.1 ms with one thread, 5.3 ms with two while
    another process kept one core busy.

    threadpoolctl remembers which thread set OpenBLAS's limit, and here that is
    the first visitor's script thread, which holds that visitor's whole session
    (its ``st.session_state``, its run): without letting go of it, the first
    session stayed alive after its tab closed and its session expired
    (measured with benchmarks/memory.py's probe, and a referrer chain from its
    Playground to ``OpenBLASController._SHARED_STATE``).
    """
    threadpool_limits(1, user_api="blas")
    OpenBLASController.clear_controlling_thread()
