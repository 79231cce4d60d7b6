"""Seeds lab benchmark: what pressing "Run the seeds lab" costs the server.

Run from the repository root (it finds the package on its own):

    python benchmarks/seeds_lab.py              # about 5 s
    python benchmarks/seeds_lab.py --long       # also the tutorial's 100,000 iterations (~10-20 s more)
    python benchmarks/seeds_lab.py --rounds 7   # steadier on a busy machine

For 200 seeds x 2,000 iterations of the tutorial's (2, 2, 1) configuration
(``PRESETS["tutorial"]``) and of the fast default (``RunConfig()``) it prints,
best of ``--rounds``:

- *lab*: ``nnplay.views.seeds_report.run_lab`` as the page runs it (each seed stops
  at the configuration's stop error: the fast default's seeds all stop by
  iteration ~230, the tutorial's never);
- *all 2,000*: the same with stop error 0, every seed running every
  iteration (the worst case for that size);
- *estimate*: what the page predicted before the run (``seconds_per_iteration``
  from a 100-iteration trial, times the iterations) for the *all* case;
- *words + figures*: the summary, table and the three figures built from the
  lab's result (done once per run; the page keeps them).

It is a measurement, not a test: it always exits 0. The machine may be
shared and noisy; the load average is printed first.
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

from nnplay.config import RunConfig  # noqa: E402
from nnplay.presets import PRESETS  # noqa: E402
from nnplay.views import seeds_report  # noqa: E402

N_SEEDS = 200
ITERATIONS = 2000
CASES = {
    "tutorial (2, 2, 1) sigmoid, 0.2": PRESETS["tutorial"].config,
    "fast default (2, 4, 1) tanh, 2": RunConfig(),
}


def best_of(rounds: int, fn) -> tuple[float, object]:
    """The fastest of ``rounds`` calls of ``fn()`` (garbage collector off), and its last result."""
    times, result = [], None
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times), result


def presentation(lab: seeds_report.SeedsLab) -> None:
    seeds_report.summary(lab)
    seeds_report.seeds_table(lab)
    for build in (seeds_report.iterations_figure, seeds_report.final_error_figure,
                  seeds_report.curves_figure):
        build(lab).to_json()  # what Streamlit serialises


def row(label: str, config: RunConfig, iterations: int, rounds: int) -> str:
    chosen = seeds_report.lab_seeds(0, N_SEEDS)
    lab_time, lab = best_of(rounds, lambda: seeds_report.run_lab(config, chosen, iterations))
    everything = config.replace(min_error=0.0)
    all_time, _ = best_of(rounds, lambda: seeds_report.run_lab(everything, chosen, iterations))
    estimate = seeds_report.seconds_per_iteration(everything, N_SEEDS) * iterations
    words_time, _ = best_of(rounds, lambda: presentation(lab))
    solved = f"{lab.count('solved')}/{lab.n_seeds} solved, {lab.count('stuck')} stuck"
    return (f"   {label:<33} {iterations:>7,} {lab_time:>8.3f}s {all_time:>10.3f}s "
            f"{estimate:>9.3f}s {words_time * 1000:>14.0f}ms   {solved}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per figure (best is kept)")
    parser.add_argument("--long", action="store_true",
                        help="also the tutorial's 100,000 iterations (one round)")
    args = parser.parse_args(argv)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs, "
          f"load {load}; Python {platform.python_version()}, numpy {np.__version__}\n")
    print(f"   {N_SEEDS} seeds, best of {args.rounds}")
    print(f"   {'configuration':<33} {'its':>7} {'lab':>9} {'all ' + format(ITERATIONS, ','):>11} "
          f"{'estimate':>10} {'words+figures':>16}   outcome (lab)")
    for label, config in CASES.items():
        print(row(label, config, ITERATIONS, args.rounds))
    if args.long:
        config = PRESETS["tutorial"].config
        print(row("tutorial (2, 2, 1) sigmoid, 0.2", config, seeds_report.MAX_LAB_ITERATIONS, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
