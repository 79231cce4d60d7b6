"""Results shared by the sessions of one server process (nnplay.app.shared)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from nnplay.app.shared import SharedResults


def test_computed_once_and_every_caller_gets_its_own_copy():
    results = SharedResults()
    calls = []

    def compute():
        calls.append(1)
        return {"weights": np.arange(4.0)}

    first = results.get("xor", compute)
    second = results.get("xor", compute)
    assert len(calls) == 1
    assert first is not second and first["weights"] is not second["weights"]
    first["weights"][:] = -1.0  # one session changing its copy ...
    assert results.get("xor", compute)["weights"].tolist() == [0.0, 1.0, 2.0, 3.0]  # ... alone


def test_callers_that_ask_at_once_wait_for_one_computation():
    results = SharedResults()
    calls = []
    start = threading.Barrier(6)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # long enough for every other caller to arrive meanwhile
        return [1, 2, 3]

    got = []

    def student():
        start.wait()
        got.append(results.get(("config", 0, 200), compute))

    threads = [threading.Thread(target=student) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert got == [[1, 2, 3]] * 6


def test_a_failure_is_not_kept_and_the_oldest_results_go_first():
    results = SharedResults(max_entries=2)

    def fail():
        raise ValueError("cannot train this")

    with pytest.raises(ValueError, match="cannot train"):
        results.get("bad", fail)
    assert results.get("bad", lambda: "fixed") == "fixed"
    results.get("a", lambda: 1)
    results.get("b", lambda: 2)
    assert len(results) == 2
    assert results.get("bad", lambda: "again") == "again"  # "bad" was the oldest: gone
