"""What the page sets once for its whole server process: one BLAS thread, and nobody's session kept."""

from __future__ import annotations

import threading

import numpy as np  # noqa: F401 - loads the BLAS threadpoolctl controls
from threadpoolctl import OpenBLASController, threadpool_info

from ui.server import one_blas_thread


def test_one_blas_thread_and_the_calling_thread_is_not_kept():
    one_blas_thread.cache_clear()
    caller = threading.Thread(target=one_blas_thread, name="a visitor's script thread")
    caller.start()
    caller.join()
    blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
    assert blas and all(info["num_threads"] == 1 for info in blas)
    # threadpoolctl would otherwise keep the thread, and with it a session, for good.
    assert OpenBLASController._SHARED_STATE.controlling_thread is None
