"""The server process the page runs in: what is set once for every session in it."""

from __future__ import annotations

import functools

from threadpoolctl import OpenBLASController, threadpool_limits


@functools.cache
def one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process (the first call does it), and let go
    of the first visitor's thread, which threadpoolctl would otherwise hold with its session.
    Why and what it buys: benchmarks/README.md (one BLAS thread; memory over a long run)."""
    threadpool_limits(1, user_api="blas")
    OpenBLASController.clear_controlling_thread()
