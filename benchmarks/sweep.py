"""Sweep benchmark: a 10 x 10 grid of 200 seeds each, the old way and the sweep's, side by side.

Run from the repository root (it finds the package on its own):

    python benchmarks/sweep.py              # three rounds, about 90 s
    python benchmarks/sweep.py --rounds 5   # steadier on a busy machine

The grid: learning rates 0.1 to 10 (ten, log-spaced) x one hidden layer of 1 to 10 nodes,
200 seeds each, XOR with the page's defaults otherwise (tanh, Xavier, sse, gradient descent,
stop at error 0.01), at most 2,000 iterations: 20,000 networks.

- *loop*: ``nnplay.batched.train_seeds`` (the seeds lab's engine) once per cell, 100 calls of
  200 networks, every network kept in its batch until the batch ends;
- *sweep*: ``nnplay.sweep.Sweep``: cells differing only in η trained in one batch (10
  batches of 2,000 networks), stopped networks taken out every 25 iterations, arrays
  node-major (``nnplay.sweep._Nodes``);
- *descent*: the same sweep with ``_Nodes`` switched off, every batch trained by ``Descent``
  (the sweep before ``_Nodes``).

Both run with one BLAS thread, as the page's server does (``ui/server.py``), in alternating
rounds. It checks that both give the same iterations, outcome and final error (bit for bit)
for every seed of every cell, and prints the medians of the rounds and each round. It is a
measurement, not a test: it always exits 0. The machine may be shared and noisy (the load
average is printed first): other processes stretch the wall clock, so the verdict against
the target (the sweep within 6 s) is on the median CPU seconds of the process.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from nnplay import sweep as sweep_module  # noqa: E402
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


def descent_sweep(config: RunConfig) -> Sweep:
    """The sweep with every batch trained by ``Descent``."""
    fits = sweep_module._Nodes.fits
    sweep_module._Nodes.fits = staticmethod(lambda *args: False)
    try:
        return new_sweep(config)
    finally:
        sweep_module._Nodes.fits = fits


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
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (medians kept)")
    args = parser.parse_args()
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, Python {platform.python_version()}, "
          f"numpy {np.__version__}")
    threadpool_limits(1, user_api="blas")  # as the page's server runs (ui/server.py)
    config = RunConfig()
    loop_times, sweep_times, descent_times = [], [], []
    for _ in range(args.rounds):
        seconds, loop = timed(old_loop, config)
        loop_times.append(seconds)
        seconds, sweep = timed(new_sweep, config)
        sweep_times.append(seconds)
        seconds, descent = timed(descent_sweep, config)
        descent_times.append(seconds)
    same = all(np.array_equal(loop[key].iterations, cell.iterations)
               and np.array_equal(loop[key].solved, cell.solved)
               and np.array_equal(loop[key].diverged, cell.diverged)
               and np.array_equal(loop[key].final_error.view(np.int64),
                                  cell.final_error.view(np.int64))
               and np.array_equal(descent.cells[key].final_error.view(np.int64),
                                  cell.final_error.view(np.int64))
               for key, cell in sweep.cells.items())
    networks = len(RATES) * len(SIZES) * len(SEEDS)
    solved = sum(int(c.solved.sum()) for c in sweep.cells.values())
    iterations = sum(int(c.iterations.sum()) for c in sweep.cells.values())
    print(f"grid {len(RATES)} x {len(SIZES)} x {len(SEEDS)} seeds = {networks:,} networks, "
          f"at most {ITERATIONS:,} iterations; {solved:,} solved; {iterations:,} network-"
          f"iterations run; load now {os.getloadavg()[0]:.2f}")
    print(f"{'':8}{'wall s':>9}{'cpu s':>9}   medians of {args.rounds}; rounds (wall/cpu)")
    medians = {}
    for name, times in (("loop", loop_times), ("sweep", sweep_times),
                        ("descent", descent_times)):
        medians[name] = [statistics.median(t[i] for t in times) for i in (0, 1)]
        print(f"{name:8}{medians[name][0]:9.2f}{medians[name][1]:9.2f}   "
              + " ".join(f"{w:.2f}/{c:.2f}" for w, c in times))
    (wall, cpu), (loop_wall, loop_cpu) = medians["sweep"], medians["loop"]
    verdict = "PASS" if cpu <= TARGET else "MISS"
    print(f"sweep / loop {wall / loop_wall:.2f}x wall, {cpu / loop_cpu:.2f}x cpu; sweep / descent "
          f"{cpu / medians['descent'][1]:.2f}x cpu; sweep {cpu:.2f} cpu s against the target "
          f"{TARGET:g} s: {verdict}; same iterations, outcome and final error for every seed "
          f"(all three): {same}")


if __name__ == "__main__":
    main()
