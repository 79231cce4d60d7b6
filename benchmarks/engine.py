"""Engine benchmark: nnplay against the tutorial's backPropNN, many seeds against one, the fast preset.

Run from the repository root (it finds the package on its own):

    python benchmarks/engine.py              # 1-2 minutes, depending on how busy the machine is
    python benchmarks/engine.py --rounds 15  # more rounds: steadier on a busy machine

It prints one table per part, each line marked PASS or MISS against the
performance issue's targets, and always exits 0 (it is a measurement, not a
test):

1. Microseconds per training iteration of ``Trainer.step(n)`` and of the
   tutorial's ``backPropNN.backProp`` (sigmoid everywhere, sse, sgd at 0.2,
   full batch, the same initial weights, the same data), their ratio, and how
   far apart the two sets of weights are afterwards. nnplay is also timed in a
   fresh process that runs nothing else ("alone"): the tutorial's multi-megabyte
   temporaries raise glibc's malloc thresholds in the process they run in, which
   removes page faults nnplay otherwise pays for its own 256 KB temporaries at
   (2, 32, 32, 32, 1) on 1000 points; the minor page faults per nnplay
   iteration are printed for both.
2. ``nnplay.batched.train_seeds`` with 200 seeds against one ``Trainer.run``,
   2000 iterations each, for (2, 2, 1) sigmoid and the fast preset's (2, 4, 1).
3. The fast XOR preset (``RunConfig()`` defaults) from seeds 0..199: how many
   solve XOR within 300 iterations, and how fast.
4. What each speed trick in the engine buys: ``Trainer.step(n)`` at the three
   target sizes and ``train_seeds`` with 200 seeds, with the trick and with
   plain code in its place, in alternating rounds (``--tricks``: this part only).

The machine may be shared and noisy, so the two sides of every comparison
are measured in alternating rounds (garbage collector off while timing); the figure kept for each side is its
best (minimum) round, and the median of the per-round ratios is shown next
to it. The OpenBLAS environment (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, ...)
is reported, never changed.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime
import gc
import glob
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from nnplay import Network, Trainer, backprop, datasets  # noqa: E402
from nnplay.batched import train_seeds  # noqa: E402
from nnplay.config import RunConfig  # noqa: E402
from nnplay.tutorial import backPropNN  # noqa: E402

LEARNING_RATE = 0.2  # the tutorial's trainingRate
SEED = 1  # initial weights of part 1 (any seed would do: both sides start from them)

# (shape, number of circle points or None for XOR, iterations per side per round, target ratio)
# Iteration counts keep the slower side (the tutorial) near 0.3 s a round on an idle core
# (at most about 1 s when the machine is busy); nnplay's side takes its ratio of that.
ENGINE_CASES = [
    ((2, 2, 1), None, 8000, 0.5),
    ((2, 8, 8, 1), 200, 3000, None),
    ((2, 16, 16, 1), 400, 1000, 0.3),
    ((2, 32, 32, 32, 1), 1000, 150, 0.2),
]

BATCH_SEEDS = 200
BATCH_ITERATIONS = 2000
BATCH_TARGET = 5.0

PRESET_SEEDS = 200
PRESET_ITERATIONS = 300
PRESET_MIN_ERROR = 0.01
PRESET_TARGET = 0.99


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def timed(fn, *args, **kwargs) -> float:
    """Seconds ``fn(*args, **kwargs)`` took, with the garbage collector held off."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn(*args, **kwargs)
        return time.perf_counter() - start
    finally:
        gc.enable()


def alternate(rounds: int, first, second) -> tuple[list[float], list[float]]:
    """Time ``first()`` and ``second()`` in alternating order, ``rounds`` times each."""
    a, b = [], []
    for r in range(rounds):
        if r % 2 == 0:
            a.append(timed(first))
            b.append(timed(second))
        else:
            b.append(timed(second))
            a.append(timed(first))
    return a, b


def summary(a: list[float], b: list[float]) -> tuple[float, float]:
    """The ratio of the best rounds, and the median of the per-round ratios."""
    return min(a) / min(b), statistics.median(x / y for x, y in zip(a, b))


# -- environment ---------------------------------------------------------------


def _openblas_runtime() -> str | None:
    """Threads and kernel OpenBLAS actually uses (threadpoolctl if present, else its own API)."""
    try:
        from threadpoolctl import threadpool_info  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            return "; ".join(f"{p.get('internal_api')} {p.get('version')} "
                             f"threads={p.get('num_threads')} core={p.get('architecture')}"
                             for p in pools)
    # numpy's wheels bundle scipy-openblas, whose API is prefixed and suffixed.
    libs = glob.glob(str(Path(np.__file__).parent.parent / "numpy.libs" / "*openblas*"))
    for lib_path in libs:
        try:
            lib = ctypes.CDLL(lib_path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""),
                               ("openblas_", "64_"), ("openblas_", "")):
            try:
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}")
                corename = getattr(lib, f"{prefix}get_corename{suffix}")
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            return f"threads={threads()} core={corename().decode()} (via {Path(lib_path).name})"
    return None


def _blas_build() -> str:
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        text = f"{blas.get('name')} {blas.get('version')}"
        if blas.get("openblas configuration"):
            text += f" [{blas['openblas configuration'].strip()}]"
        return text
    except Exception:  # older numpy: parse the printed configuration
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            np.show_config()
        lines = [line.strip() for line in out.getvalue().splitlines() if "blas" in line.lower()]
        return " | ".join(lines[:4]) or "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _engine_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "nnplay"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not head:
        return "unknown"
    return head + (" + uncommitted changes in nnplay/" if dirty else " (nnplay/ clean)")


def print_environment() -> None:
    now = datetime.datetime.now(datetime.UTC)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    print(f"date        {now:%Y-%m-%d %H:%M} UTC")
    print(f"machine     {_cpu_model()}; os.cpu_count()={os.cpu_count()}, usable={usable}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"python      {platform.python_version()} ({platform.system()} {platform.release()})")
    print(f"numpy       {np.__version__}")
    print(f"BLAS        {_blas_build()}")
    runtime = _openblas_runtime()
    if runtime:
        print(f"BLAS (run)  {runtime}")
    names = sorted(k for k in os.environ
                   if k.startswith(("OPENBLAS_", "OMP_", "MKL_", "GOTO_", "BLIS_")))
    env = ", ".join(f"{k}={os.environ[k]}" for k in names) or "none set"
    print(f"BLAS env    {env}")
    print(f"nnplay      {_engine_revision()}")


# -- 1. nnplay against the tutorial ------------------------------------------------


def max_weight_difference(a, b) -> float:
    return max(float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in zip(a, b))


def one_update_difference(net: Network, X: np.ndarray, y: np.ndarray) -> float:
    """Both engines take one update from the same weights (``net``'s); how far apart are they?"""
    twin = net.copy()
    Trainer(twin, X, y, learning_rate=LEARNING_RATE).step(1)
    ref = backPropNN(net.shape, net.weights)
    with np.errstate(all="ignore"):
        ref.backProp(X, y, LEARNING_RATE)
    return max_weight_difference(twin.weights, ref.weights)


def _minor_faults() -> int | None:
    """Minor page faults of this process so far (None where the OS does not say)."""
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def engine_case(index: int):
    """Part 1's case ``index``: its settings, data, a fresh network and its trainer."""
    shape, n_points, iterations, target = ENGINE_CASES[index]
    data = datasets.gate("xor") if n_points is None else datasets.points(
        "circle", n_points=n_points, seed=0)
    net = Network(shape, seed=SEED)  # sigmoid hidden and output, tutorial init
    trainer = Trainer(net, data.X, data.y, learning_rate=LEARNING_RATE, loss="sse",
                      optimizer="sgd")
    return shape, n_points, iterations, target, data.X, data.y, net, trainer


class FaultCounter:
    """Adds up the minor page faults of the calls it wraps."""

    def __init__(self) -> None:
        self.faults, self.iterations = 0, 0

    def wrap(self, fn, iterations: int):
        def counted() -> None:
            before = _minor_faults()
            fn(iterations)
            after = _minor_faults()
            if before is not None and after is not None:
                self.faults += after - before
                self.iterations += iterations
        return counted

    def per_iteration(self) -> float | None:
        return self.faults / self.iterations if self.iterations else None


def alone_child(index: int, rounds: int) -> None:
    """``--alone``: time one case's nnplay side in this process, which runs nothing else."""
    *_, iterations, _target, _X, _y, _net, trainer = engine_case(index)
    trainer.step(max(3, iterations // 20))
    counter = FaultCounter()
    step = counter.wrap(trainer.step, iterations)
    best = min(timed(step) for _ in range(rounds))
    faults = counter.per_iteration()
    print(best / iterations, -1.0 if faults is None else faults)


def nnplay_alone(index: int, rounds: int) -> tuple[float, float | None] | None:
    """Seconds per iteration (and faults) of case ``index``'s nnplay side in a fresh process."""
    try:
        done = subprocess.run(
            # Twice the rounds: this side is not interleaved with anything, so it needs
            # more chances to catch a quiet moment on a shared machine.
            [sys.executable, str(Path(__file__).resolve()), "--alone", str(index),
             "--rounds", str(2 * rounds)],
            capture_output=True, text=True, timeout=300, cwd=ROOT)
        seconds, faults = (float(x) for x in done.stdout.split()[-2:])
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return seconds, (None if faults < 0 else faults)


def _faults_text(faults: float | None) -> str:
    return "-" if faults is None else f"{faults:.0f}"


def engine_row(index: int, rounds: int) -> tuple[str, tuple | None]:
    """Measure part 1's case ``index``; return its table line, and (shape, iterations) if the
    two engines drifted apart by more than rounding while one update still agrees."""
    shape, n_points, iterations, target, X, y, net, trainer = engine_case(index)
    ref = backPropNN(shape, net.weights)

    def tutorial(n: int) -> None:
        with np.errstate(all="ignore"):  # saturated sigmoids overflow exp, as nnplay's do
            for _ in range(n):
                ref.backProp(X, y, LEARNING_RATE)

    warm = max(3, iterations // 20)  # first calls: BLAS threads, allocations
    trainer.step(warm)
    tutorial(warm)
    counter = FaultCounter()
    ours, theirs = alternate(rounds, counter.wrap(trainer.step, iterations),
                             lambda: tutorial(iterations))
    best, median = summary(ours, theirs)
    tutorial_best = min(theirs) / iterations
    total = warm + rounds * iterations
    end_diff = max_weight_difference(net.weights, ref.weights)
    step_diff = one_update_difference(net, X, y)
    drift = (shape, total) if end_diff > 1e-9 and step_diff <= 1e-12 else None
    alone = nnplay_alone(index, rounds)
    if alone is None:
        alone_text, alone_ratio_text, alone_faults, alone_ratio = "failed", "-", "-", None
    else:
        alone_ratio = alone[0] / tutorial_best
        alone_text = f"{alone[0] * 1e6:.1f}u"
        alone_ratio_text = f"{alone_ratio:.2f}x"
        alone_faults = _faults_text(alone[1])
    label = "xor" if n_points is None else f"circle {n_points}"
    if target is None:
        target_text, verdict = "-", ""
    else:
        target_text = f"<={target:g}x"
        verdict = mark(best <= target)
        if alone_ratio is not None:
            verdict += "/" + mark(alone_ratio <= target)
    line = (f"   {str(shape):<18} {label:<11} {iterations:>9} "
            f"{min(ours) / iterations * 1e6:>7.1f}u {tutorial_best * 1e6:>8.1f}u "
            f"{best:>4.2f}x {median:>5.2f}x {_faults_text(counter.per_iteration()):>4}  "
            f"{alone_text:>8} {alone_ratio_text:>5} {alone_faults:>4}  "
            f"{target_text:<6} {verdict:<9}  {end_diff:>8.1e} {step_diff:>8.1e}")
    return line, drift


def engine_part(rounds: int) -> None:
    print()
    print(f"1. Microseconds per iteration: Trainer.step(n) against the tutorial's backProp "
          f"(sigmoid, sse, sgd {LEARNING_RATE}, full batch, same initial weights, seed {SEED}).")
    print(f"   {rounds} alternating rounds per case in this process; best round per side; "
          "'median' is the median of the per-round ratios;")
    print(f"   'alone' is nnplay's best of {2 * rounds} rounds in a fresh process that runs nothing else "
          "(the tutorial's big temporaries change how this process's")
    print("   malloc behaves afterwards, which can flatter nnplay); flt = minor page faults "
          "per nnplay iteration.")
    print(f"   {'shape':<18} {'data':<11} {'its/round':>9} {'nnplay':>8} {'tutorial':>9} "
          f"{'ratio':>5} {'median':>6} {'flt':>4}  {'alone':>8} {'ratio':>5} {'flt':>4}  "
          f"{'target':<6} {'':9}  {'|dW| end':>8} {'|dW| 1up':>8}")
    chaotic = []
    for index in range(len(ENGINE_CASES)):
        line, drift = engine_row(index, rounds)
        print(line)
        if drift:
            chaotic.append(drift)
    print("   u = microseconds per iteration; verdicts: this process / alone. |dW| end: max "
          "|W_nnplay - W_tutorial| after all the timed")
    print("   iterations (warm-up included); |dW| 1up: the same after ONE update of each "
          "engine from identical weights (rounding only: they agree).")
    if chaotic:
        cases = ", ".join(f"{shape} ({total} its)" for shape, total in chaotic)
        print(f"   note: {cases}: |dW| end is above rounding although one update agrees to ~1e-16;")
        print("         sgd 0.2 on the summed error is chaotic there and amplifies the engines' "
              "different summation orders.")


# -- 2. many seeds against one ---------------------------------------------------------


def batched_row(label: str, shape: tuple, net_kw: dict, train_kw: dict, rounds: int) -> str:
    """Measure one configuration of part 2; return its table line."""
    xor = datasets.gate("xor")
    results = {}

    def many() -> None:
        results["many"] = train_seeds(shape, range(BATCH_SEEDS), xor.X, xor.y,
                                      max_iterations=BATCH_ITERATIONS, min_error=0.0,
                                      **net_kw, **train_kw)

    def one() -> None:
        trainer = Trainer(Network(shape, seed=0, **net_kw), xor.X, xor.y, **train_kw)
        trainer.run(BATCH_ITERATIONS)
        results["one"] = trainer

    one()  # warm-up
    many()
    t_many, t_one = alternate(rounds, many, one)
    best, median = summary(t_many, t_one)
    batch = results["many"]
    full = bool(np.all(batch.iterations == BATCH_ITERATIONS))
    seed0 = float(np.max(np.abs(batch.parameters[0] - results["one"].network.parameters)))
    check = (f"all ran {BATCH_ITERATIONS}: {'yes' if full else 'NO'}; "
             f"seed 0 vs Trainer |dW| {seed0:.1e}")
    per = min(t_many) / (BATCH_SEEDS * BATCH_ITERATIONS) * 1e6
    return (f"   {label:<34} {min(t_one) * 1e3:>6.1f}ms {min(t_many) * 1e3:>7.1f}ms "
            f"{best:>5.2f}x {median:>5.2f}x  <={BATCH_TARGET:g}x   {mark(best <= BATCH_TARGET):<4}  "
            f"{per:>11.3f}us  {check}")


def batched_part(rounds: int) -> None:
    print()
    print(f"2. {BATCH_SEEDS} seeds at once (batched.train_seeds, min_error=0) against one seed "
          f"(Trainer.run), {BATCH_ITERATIONS} iterations each, XOR.")
    print(f"   {rounds} alternating rounds; best round per side; network construction included "
          "on both sides.")
    print(f"   {'configuration':<34} {'1 seed':>8} {f'{BATCH_SEEDS} seeds':>9} {'ratio':>6} "
          f"{'median':>6}  {'target':<6} {'':4}  {'per seed-iter':>13}  check")
    preset = RunConfig()
    cases = [
        ("(2, 2, 1) sigmoid, tutorial, 0.2", (2, 2, 1),
         dict(activation="sigmoid", output_activation="sigmoid", init="tutorial"),
         dict(learning_rate=LEARNING_RATE, loss="sse", optimizer="sgd")),
        (f"{preset.shape()} {preset.activation}, {preset.init}, {preset.learning_rate:g}",
         preset.shape(),
         dict(activation=preset.activation, output_activation=preset.output_activation,
              init=preset.init),
         preset.training_settings()),
    ]
    for label, shape, net_kw, train_kw in cases:
        print(batched_row(label, shape, net_kw, train_kw, rounds))


# -- 3. the fast preset ----------------------------------------------------------------


def preset_part() -> None:
    preset = RunConfig()
    data = preset.dataset()
    print()
    print(f"3. Fast XOR preset (RunConfig() defaults: {preset.shape()} {preset.activation}/"
          f"{preset.output_activation}, {preset.init}, {preset.loss}, {preset.optimizer} "
          f"{preset.learning_rate:g}), seeds 0..{PRESET_SEEDS - 1},")
    print(f"   train_seeds(max_iterations={PRESET_ITERATIONS}, min_error={PRESET_MIN_ERROR:g}).")
    start = time.perf_counter()
    result = train_seeds(preset.shape(), range(PRESET_SEEDS), data.X, data.y,
                         activation=preset.activation, output_activation=preset.output_activation,
                         init=preset.init, max_iterations=PRESET_ITERATIONS,
                         min_error=PRESET_MIN_ERROR, **preset.training_settings())
    elapsed = time.perf_counter() - start
    solved = result.solved
    its = result.iterations[solved]
    median = f"{np.median(its):g}" if its.size else "-"
    worst = f"{its.max()}" if its.size else "-"
    fraction = result.solved_fraction
    print(f"   solved {solved.sum()}/{PRESET_SEEDS} = {fraction:.1%} within {PRESET_ITERATIONS} "
          f"iterations (target >= {PRESET_TARGET:.0%})  {mark(fraction >= PRESET_TARGET)}; "
          f"iterations to solve: median {median}, max {worst}; diverged {result.diverged.sum()}; "
          f"{elapsed * 1e3:.0f} ms for all {PRESET_SEEDS}")
    # Honesty check: every seed alone, through the page's own path (RunConfig.trainer()).
    same = 0
    for seed, its_batched in zip(range(PRESET_SEEDS), result.iterations):
        alone = preset.replace(seed=seed).trainer().run(PRESET_ITERATIONS, PRESET_MIN_ERROR)
        same += int(alone == its_batched)
    print(f"   check: each seed trained alone (RunConfig(seed=s).trainer().run) stops at the same "
          f"iteration for {same}/{PRESET_SEEDS} seeds")

# -- 4. each speed trick, with and without ------------------------------------------------


@contextlib.contextmanager
def _replaced(module, name: str, value):
    """``module.name`` is ``value`` inside the block."""
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def _plain_matmul(a, b, out):
    return np.matmul(a, b, out=out)


# name -> (what the trick is, a context that puts plain code in its place)
TRICKS = {
    "tall": ("R networks times the examples they share, as one tall product (backprop._matmul)",
             lambda: _replaced(backprop, "_matmul", _plain_matmul)),
}


def _with_and_without(build, run, trick: str, rounds: int) -> tuple[list[float], list[float]]:
    """Time ``run(thing)`` with the trick and without, alternating; ``build()`` makes the thing."""
    plain = TRICKS[trick][1]
    with_trick = build()
    with plain():
        without = build()
    run(with_trick)
    with plain():
        run(without)

    def timed_without() -> float:
        with plain():
            return timed(run, without)

    a, b = [], []
    for r in range(rounds):
        if r % 2 == 0:
            a.append(timed(run, with_trick))
            b.append(timed_without())
        else:
            b.append(timed_without())
            a.append(timed(run, with_trick))
    return a, b


def tricks_part(rounds: int) -> None:
    print()
    print("4. What each speed trick buys: nnplay with it against nnplay with plain code in its "
          f"place, {rounds} alternating rounds;")
    print("   'gain' = 1 - with / without (best rounds); 'median' the same from the median of the "
          "per-round ratios.")
    print(f"   {'trick':<11} {'case':<34} {'with':>9} {'without':>9} {'gain':>6} {'median':>7}")
    cases = []
    for index in (0, 2, 3):
        shape, _, iterations, *_ = ENGINE_CASES[index]

        def build(index=index):
            return engine_case(index)[-1]

        cases.append((f"{shape} Trainer.step", build,
                      lambda trainer, n=iterations: trainer.step(n), iterations))
    xor = datasets.gate("xor")

    def seeds(_):
        train_seeds((2, 2, 1), range(BATCH_SEEDS), xor.X, xor.y, max_iterations=500,
                    min_error=0.0, learning_rate=LEARNING_RATE)

    cases.append((f"(2, 2, 1) train_seeds x{BATCH_SEEDS}", lambda: None, seeds, 500))
    for trick in TRICKS:
        for label, build, run, iterations in cases:
            a, b = _with_and_without(build, run, trick, rounds)
            gain = 1 - min(a) / min(b)
            median = 1 - statistics.median(x / y for x, y in zip(a, b))
            print(f"   {trick:<11} {label:<34} {min(a) / iterations * 1e6:>8.1f}u "
                  f"{min(b) / iterations * 1e6:>8.1f}u {gain:>6.1%} {median:>7.1%}")
    for trick, (what, _) in TRICKS.items():
        print(f"   {trick}: {what}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7,
                        help="alternating measurement rounds per comparison (default 7)")
    parser.add_argument("--tricks", action="store_true",
                        help="measure only part 4, what each speed trick buys")
    parser.add_argument("--alone", type=int, default=None, metavar="CASE",
                        help=argparse.SUPPRESS)  # internal: part 1's fresh-process measurement
    args = parser.parse_args(argv)
    rounds = max(1, args.rounds)
    if args.alone is not None:
        alone_child(args.alone, rounds)
        return 0
    start = time.perf_counter()
    print("nnplay engine benchmark")
    print_environment()
    if args.tricks:
        tricks_part(rounds)
        return 0
    engine_part(rounds)
    batched_part(rounds)
    preset_part()
    tricks_part(rounds)
    # As harness.print_total says it, written out here: this script imports nothing it does
    # not measure (with harness and psutil imported, its 'alone' run measured 489 µs against
    # 366 at (2, 32, 32, 32, 1), in one A/B; not explained, not risked).
    print()
    load = os.getloadavg()
    print(f"total {time.perf_counter() - start:.0f} s; load average now "
          f"{' '.join(f'{x:.2f}' for x in load)}")
    if load[0] > (os.cpu_count() or 1) * 0.75:
        print("the machine was busy: verdicts near a target may flip; rerun with --rounds 15 "
              "or when it is quieter")
    return 0


if __name__ == "__main__":
    sys.exit(main())
