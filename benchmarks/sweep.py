"""Sweep benchmark: a 10 x 10 grid of 200 seeds each, the old way and the sweep's, side by side.

Run from the repository root (it finds the package on its own):

    python benchmarks/sweep.py              # about 30 s
    python benchmarks/sweep.py --rounds 3   # steadier on a busy machine

The grid: learning rates 0.1 to 10 (ten, log-spaced) x one hidden layer of 1 to 10 nodes,
200 seeds each, XOR with the page's defaults otherwise (tanh, Xavier, sse, gradient descent,
stop at error 0.01), at most 2,000 iterations: 20,000 networks.

- *loop*: ``nnplay.batched.train_seeds`` (the seeds lab's engine) once per cell, 100 calls of
  200 networks, every network kept in its batch until the batch ends;
- *sweep*: ``nnplay.sweep.Sweep``, cells differing only in η trained in one batch (10
  batches of 2,000 networks) and stopped networks taken out every 25 iterations.

Both run with one BLAS thread, as the page's server does (``ui/server.py``). It checks that
both give the same iterations and outcome for every seed of every cell, and
prints the figures. It is a measurement, not a test: it always exits 0. The machine may be
shared and noisy; the load average is printed first. Target: the sweep within 6 s.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from nnplay.batched import train_seeds  # noqa: E402
from nnplay.config import RunConfig  # noqa: E402
from nnplay.sweep import Axis, Sweep  # noqa: E402

RATES = tuple(float(f"{r:.3g}") for r in np.logspace(-1, 1, 10))
SIZES = tuple((h,) for h in range(1, 11))
SEEDS = range(200)
ITERATIONS = 2000
TARGET = 6.0


def old_loop(config: RunConfig) -> dict:
    """Today's seeds-lab engine, called once per cell."""
    train = config.split()[0]
    results = {}
    for i, rate in enumerate(RATES):
        for j, hidden in enumerate(SIZES):
            cell = config.replace(learning_rate=rate, hidden=hidden)
            results[i, j] = train_seeds(
                cell.shape(), SEEDS, cell.inputs(train.X), train.y, activation=cell.activation,
                output_activation=cell.output_activation, init=cell.init,
                max_iterations=ITERATIONS, min_error=cell.min_error, curve_points=1,
                **cell.training_settings(train.n_examples))
    return results


def new_sweep(config: RunConfig) -> Sweep:
    return Sweep(config, Axis("learning_rate", RATES), Axis("hidden", SIZES), SEEDS,
                 ITERATIONS).run()


def timed(fn, *args):
    """Wall-clock and CPU seconds of ``fn(*args)`` (garbage collector off), and its result.
    On a busy machine the CPU seconds say more: other processes stretch the wall clock."""
    gc.collect()
    gc.disable()
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = fn(*args)
        return (time.perf_counter() - start, time.process_time() - cpu), result
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds (best kept)")
    args = parser.parse_args()
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, Python {platform.python_version()}, "
          f"numpy {np.__version__}")
    threadpool_limits(1, user_api="blas")  # as the page's server runs (ui/server.py)
    config = RunConfig()
    loop_times, sweep_times = [], []
    for _ in range(args.rounds):
        seconds, loop = timed(old_loop, config)
        loop_times.append(seconds)
        seconds, sweep = timed(new_sweep, config)
        sweep_times.append(seconds)
    same = all(np.array_equal(loop[key].iterations, cell.iterations)
               and np.array_equal(loop[key].solved, cell.solved)
               and np.array_equal(loop[key].diverged, cell.diverged)
               for key, cell in sweep.cells.items())
    networks = len(RATES) * len(SIZES) * len(SEEDS)
    solved = sum(int(c.solved.sum()) for c in sweep.cells.values())
    iterations = sum(int(c.iterations.sum()) for c in sweep.cells.values())
    print(f"grid {len(RATES)} x {len(SIZES)} x {len(SEEDS)} seeds = {networks:,} networks, "
          f"at most {ITERATIONS:,} iterations; {solved:,} solved; {iterations:,} network-"
          f"iterations run")
    print(f"{'':8}{'wall s':>9}{'cpu s':>9}   rounds (wall/cpu)")
    for name, times in (("loop", loop_times), ("sweep", sweep_times)):
        best = min(times)
        print(f"{name:8}{best[0]:9.2f}{min(t[1] for t in times):9.2f}   "
              + " ".join(f"{w:.2f}/{c:.2f}" for w, c in times))
    wall, cpu = min(sweep_times)[0], min(t[1] for t in sweep_times)
    ratio = wall / min(loop_times)[0]
    cpu_ratio = cpu / min(t[1] for t in loop_times)
    verdict = "PASS" if wall <= TARGET else "MISS"
    print(f"sweep / loop {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu; sweep {wall:.2f} s against the "
          f"target {TARGET:g} s: {verdict}; same iterations and outcome for every seed: {same}")

if __name__ == "__main__":
    main()
