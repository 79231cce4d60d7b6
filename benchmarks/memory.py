"""Memory benchmark: a long run's memory, on the server and in the engine; closed tabs.

Run from the repository root:

    python benchmarks/memory.py                         # about 2.5 minutes
    python benchmarks/memory.py --seconds 300           # the page plays 5 minutes: about 7
    python benchmarks/memory.py --skip-server           # the engine part alone (no browser): 45 s
    python benchmarks/memory.py --skip-server --iterations 10000000   # to the page's maximum: 3 min
    python benchmarks/memory.py --ref HEAD              # a commit, not the working tree

Issue 7 ("Hardening") asks that a session playing for an hour hold no more
memory than after its first minute, and that closed tabs release their
sessions. Two parts:

1. **The server.** One ``streamlit run streamlit_app.py`` (repository settings,
   plus ``--server.disconnectedSessionTTL`` = ``--ttl``, 10 s by default
   instead of Streamlit's 120, so that the run sees it expire, and
   ``--server.enableExpensiveMemoryStats true`` so that ``/_stcore/metrics``
   reports the size of each session's ``st.session_state``), started through a
   small launcher that adds a probe thread: once a second it writes how many
   ``Playground`` objects are alive in the server (a ``WeakSet`` filled by a
   wrapped ``Playground.__init__``; nothing is collected to count them) and
   the session manager's connected and stored (disconnected) sessions
   (private Streamlit attributes, read only). One Chromium page plays the
   default XOR network as fast as possible (``?min=0&max=10000000&speed=max``)
   for ``--seconds`` (60): the server's RSS (psutil, process and children),
   its session state size and the page's Iteration every 3 s, and the trend.
   Then the tab is closed and the server watched for ``--ttl`` + 6 s; then
   another visitor opens the page and leaves (Streamlit only reaps an expired
   session when it stores another); then the probe runs ``gc.collect()`` once
   and counts again.
2. **The engine.** A ``Playground`` (``nnplay.app.playground``) with the
   default configuration, ``max_iterations`` 10,000,000 and ``min_error`` 0,
   driven by ``frame()`` at speed "max" (35 ms of training per frame, as on
   the page) up to ``--iterations`` (2,000,000 by default, at most
   ``--engine-seconds``): the bytes the Playground holds (everything reachable
   from it: ``sys.getsizeof`` over ``gc.get_referents``, numpy data included,
   modules, classes and functions left out), the process's RSS, the error
   history's points and stride, the snapshots' count, spacing and bytes,
   after the first frame, after the first minute of play on the page (the
   iterations the page ran per second in part 1, times 60; 600 frames without
   part 1), every 10 s, and at the end; ``tracemalloc`` over 40 frames after the first minute and again
   at the end (bytes allocated in those frames and still held after them).
   Then a point set with a test set (circle, test share 0.5) at 20
   iterations per frame for up to 36,000 frames (an hour at 10 frames/s,
   ``--frames-seconds`` at most), which adds a point to the test-error curve
   every frame.

Target: the end holds no more than the first minute (history and snapshots
capped), and a closed tab's session is released. The history and snapshots
fill up and halve, so what the Playground holds goes up and down: the verdict
compares the most it held (sampled after every frame) in the first minute and
after it. The server, browser and environment helpers come from
``benchmarks/load.py``. It always exits 0 (a
measurement, not a test) and stops the server and the browser whatever
happens.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
import time
import tracemalloc
import types
import urllib.parse
from pathlib import Path

import psutil
from harness import (  # benchmarks/harness.py
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    http_get,
    run_measurement,
)
from load import (  # benchmarks/load.py: the browser, its pages and the environment
    PLAYWRIGHT_TIMEOUT_MS,
    SNAPSHOT_JS,
    app_dir_for,
    end_leftovers,
    mark,
    new_page,
    press_play,
    print_environment,
    wait_ready,
)

MAX_QUERY = {"min": "0", "max": "10000000", "speed": "max"}
SAMPLE_EVERY = 3.0  # s, while the page plays
PAGE_FRAME_LIMIT = 10.0  # frames/s: the page's fastest timer (0.1 s)
TRACED_FRAMES = 40
HOUR_FRAMES = 36_000  # an hour at 10 frames/s
GROWTH_TOLERANCE = 0.05  # "no more than after the first minute": within 5 %

# The server, with a probe. argv: probe file, app directory, then streamlit's arguments.
PROBE_LAUNCHER = r'''
import gc, json, os, sys, threading, time, weakref

out, app_dir = sys.argv[1], sys.argv[2]
sys.argv = ["streamlit", *sys.argv[3:]]
sys.path.insert(0, app_dir)
import nnplay.app.playground as playground_module

alive = weakref.WeakSet()
made = [0]
_init = playground_module.Playground.__init__


def _counted_init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    alive.add(self)
    made[0] += 1


playground_module.Playground.__init__ = _counted_init


def probe():
    from streamlit import runtime

    while True:
        time.sleep(1.0)
        row = {"t": time.time(), "playgrounds": len(alive), "made": made[0]}
        try:
            manager = runtime.get_instance()._session_mgr
            row["connected"] = len(manager.list_active_sessions())
            cache = manager._session_storage._cache
            row["stored"] = len(cache._data)
            row["stored_unexpired"] = cache.currsize
        except Exception as problem:
            row["error"] = repr(problem)
        if os.path.exists(out + ".gc"):
            os.remove(out + ".gc")
            row["collected"] = gc.collect()
            row["playgrounds_after_gc"] = len(alive)
        with open(out, "a") as f:
            f.write(json.dumps(row) + "\n")


threading.Thread(target=probe, name="nnplay-memory-probe", daemon=True).start()
from streamlit.web.cli import main

sys.exit(main())
'''


# -- part 1: the server ------------------------------------------------------------------


def last_probe(path: Path) -> dict:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return json.loads(path.read_text().splitlines()[-1])
    return {}


def gc_probe(path: Path) -> dict:
    """The probe's row from its ``gc.collect()``."""
    with contextlib.suppress(OSError, ValueError):
        for line in reversed(path.read_text().splitlines()):
            row = json.loads(line)
            if "collected" in row:
                return row
    return {}


def session_state_bytes(url: str) -> int | None:
    """The sum of ``cache_memory_bytes{cache_type="st_session_state"}`` in ``/_stcore/metrics``."""
    total, found = 0, False
    for line in (http_get(url + "/_stcore/metrics") or "").splitlines():
        if line.startswith("cache_memory_bytes") and 'cache_type="st_session_state"' in line:
            total += int(float(line.split()[-1]))
            found = True
    return total if found else None


def page_iteration(page) -> int | None:
    with contextlib.suppress(Exception):
        text = page.evaluate(SNAPSHOT_JS)["iteration"]
        return int(str(text).replace(",", ""))
    return None


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    return 60 * sum((t - mt) * (v - mv) for t, v in points) / var if var else 0.0


def server_part(args: argparse.Namespace, log_dir: Path, app_dir: Path, measured: str) -> float | None:
    """Returns the page's iterations per second at speed max (None if it could not be measured)."""
    from playwright.sync_api import sync_playwright

    launcher = log_dir / "probe_launcher.py"
    launcher.write_text(PROBE_LAUNCHER)
    probe = log_dir / "probe.jsonl"
    server = Server(log_dir, app_dir,
                    extra_args=["--server.disconnectedSessionTTL", str(args.ttl),
                                "--server.enableExpensiveMemoryStats", "true"],
                    command=[sys.executable, str(launcher), str(probe), str(app_dir)])
    exclude: set[int] = set()
    rate = None
    try:
        server.launch()
        startup = server.wait_healthy()
        exclude = {p.pid for p in server.processes()}
        time.sleep(1.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                         timeout=PLAYWRIGHT_TIMEOUT_MS)
            try:
                print_environment(measured, browser.version)
                print(f"server      {server.url}, /_stcore/health ok after {startup:.1f} s; repository "
                      f"settings + --server.disconnectedSessionTTL {args.ttl} "
                      "--server.enableExpensiveMemoryStats true, probe thread")
                rate = watch(browser, server, probe, args)
            finally:
                with contextlib.suppress(Exception):
                    browser.close()
    finally:
        server.stop()
        end_leftovers(exclude)
    return rate


def watch(browser, server: Server, probe: Path, args: argparse.Namespace) -> float | None:
    def state() -> str:
        row = last_probe(probe)
        return (f"connected {row.get('connected', '?')}, stored {row.get('stored', '?')} "
                f"(unexpired {row.get('stored_unexpired', '?')}), Playgrounds alive "
                f"{row.get('playgrounds', '?')}")

    rss_idle = server.rss_mb()
    page = new_page(browser, server.url + "/?" + urllib.parse.urlencode(MAX_QUERY))
    wait_ready(page, "the page")
    rss_loaded = server.rss_mb()
    press_play([page])
    t0 = time.monotonic()
    it0 = page_iteration(page)
    while it0 is None and time.monotonic() - t0 < 5:  # the metric is redrawn just after Play
        page.wait_for_timeout(50)
        it0 = page_iteration(page)
    frames0 = page.evaluate(SNAPSHOT_JS)["frames"]
    samples: list[tuple[float, float, int | None, int | None]] = []
    while time.monotonic() - t0 < args.seconds:
        time.sleep(max(0.0, SAMPLE_EVERY - (time.monotonic() - t0) % SAMPLE_EVERY))
        samples.append((time.monotonic() - t0, server.rss_mb(), page_iteration(page),
                        session_state_bytes(server.url)))
    end = page.evaluate(SNAPSHOT_JS)
    elapsed = time.monotonic() - t0
    it1 = page_iteration(page)
    rate = (it1 - it0) / elapsed if it0 is not None and it1 is not None else None
    fps = (end["frames"] - frames0) / elapsed

    print()
    print(f"1. The server, one page playing ?{urllib.parse.urlencode(MAX_QUERY)} (XOR (2, 4, 1), "
          f"as fast as possible) for {elapsed:.0f} s.")
    print(f"   server RSS {rss_idle:.0f} MB started, {rss_loaded:.0f} MB with the page loaded; "
          f"{state()}")
    print(f"   the page: {fps:.2f} frames/s, {'-' if rate is None else f'{rate:,.0f}'} iterations/s "
          f"(Iteration {it0:,} -> {it1:,}); still playing: {'yes' if end['playing'] else 'NO'}"
          if it0 is not None and it1 is not None else "   the page: Iteration not readable")
    print("      s   RSS MB   session_state bytes   Iteration")
    step = max(1, len(samples) // 20)  # at most about 20 rows
    for t, rss, iteration, state_bytes in samples[step - 1::step]:
        print(f"   {t:4.0f}   {rss:6.1f}   {'-' if state_bytes is None else f'{state_bytes:>19,}'}   "
              f"{'-' if iteration is None else f'{iteration:,}'}")
    third = max(1, len(samples) // 3)
    first = [rss for _, rss, _, _ in samples[:third]]
    last = [rss for _, rss, _, _ in samples[-third:]]
    first_mean, last_mean = sum(first) / len(first), sum(last) / len(last)
    slope = slope_per_minute([(t, rss) for t, rss, _, _ in samples[third:]])
    if elapsed >= 120:
        minutes = [[rss for t, rss, _, _ in samples if m * 60 <= t < (m + 1) * 60]
                   for m in range(int(elapsed // 60))]
        print("   RSS mean by minute: " + ", ".join(f"{sum(v) / len(v):.1f}" for v in minutes if v) + " MB")
    print(f"   RSS trend: first {elapsed / 3:.0f} s mean {first_mean:.1f} MB, last {elapsed / 3:.0f} s "
          f"mean {last_mean:.1f} MB ({last_mean - first_mean:+.1f} MB); slope after the first third "
          f"{slope:+.2f} MB/min (x 60 = {60 * slope:+.0f} MB in an hour if it went on)   "
          f"{mark(last_mean - first_mean <= max(2.0, GROWTH_TOLERANCE * first_mean))}")

    # Close the tab: the session is disconnected, kept for the TTL, then expires.
    page.context.close()
    closed = time.monotonic()
    print()
    print(f"   tab closed; the server for the next {args.ttl + 6} s "
          f"(server.disconnectedSessionTTL = {args.ttl} s):")
    shown = None
    while time.monotonic() - closed < args.ttl + 6:
        time.sleep(1.0)
        line = state()
        if line != shown:
            print(f"   +{time.monotonic() - closed:4.0f} s  {line}; active_sessions (metrics) "
                  f"{active(server)}; RSS {server.rss_mb():.1f} MB")
            shown = line
    print(f"   +{time.monotonic() - closed:4.0f} s  {state()}; RSS {server.rss_mb():.1f} MB")

    # Streamlit reaps an expired stored session only when it writes to its session storage,
    # i.e. when another session disconnects: another visitor comes and goes.
    visitor = new_page(browser, server.url + "/")
    wait_ready(visitor, "the second visitor's page")
    visitor.context.close()
    time.sleep(2.5)
    print(f"   another visitor opened the page and closed it: {state()}; RSS {server.rss_mb():.1f} MB")
    (probe.parent / (probe.name + ".gc")).touch()
    time.sleep(2.5)
    row = gc_probe(probe)
    print(f"   then gc.collect() in the server: {row.get('collected', '?')} objects collected, "
          f"Playgrounds alive {row.get('playgrounds_after_gc', '?')} (made so far {row.get('made', '?')}); "
          f"RSS {server.rss_mb():.1f} MB")
    return rate


def active(server: Server) -> str:
    for line in (http_get(server.url + "/_stcore/metrics") or "").splitlines():
        if line.startswith("active_sessions "):
            return line.split()[1]
    return "?"


# -- part 2: the engine ------------------------------------------------------------------

SKIP_TYPES = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
              types.MethodType, types.CodeType, types.FrameType)


def retained_bytes(root: object) -> int:
    """Bytes of everything reachable from ``root`` (numpy arrays with their data)."""
    seen: set[int] = set()
    stack = [root]
    total = 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, SKIP_TYPES):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def describe(p, label: str, frames: int, seconds: float, rss0: float) -> dict:
    trainer = p.trainer
    snapshots = trainer.snapshots.items
    snap_bytes = sum(s.parameters.nbytes + sum(v.nbytes for v in s.optimizer_state.values())
                     for s in snapshots)
    return {"label": label, "frames": frames, "iterations": trainer.iteration, "seconds": seconds,
            "held": retained_bytes(p), "rss": rss_mb() - rss0,
            "history": len(trainer.history.curve()[0]), "stride": trainer.history.stride,
            "snapshots": len(snapshots), "every": trainer.snapshots.every, "snap_bytes": snap_bytes,
            "test_points": len(p.test_curve[0])}


def print_rows(rows: list[dict]) -> None:
    print("   checkpoint              frames   iterations       s   held KB   RSS +MB   history pts "
          "(stride)   snapshots (every, KB)   test pts")
    for r in rows:
        print(f"   {r['label']:<20} {r['frames']:>9,} {r['iterations']:>12,} {r['seconds']:>7.1f} "
              f"{r['held'] / 1024:>9.1f} {r['rss']:>9.1f}   {r['history']:>6} ({r['stride']:>7,})   "
              f"{r['snapshots']:>5} ({r['every']:>9,}, {r['snap_bytes'] / 1024:5.1f})   "
              f"{r['test_points']:>6}")


def traced(p, frames: int) -> tuple[int, int, int, list[str]]:
    """``frames`` more frames under tracemalloc: (still held, peak, iterations, top sites)."""
    tracemalloc.start()
    done = 0
    for _ in range(frames):
        done += p.frame()
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    top = [f"{stat.traceback[0].filename.split('/')[-1]}:{stat.traceback[0].lineno} "
           f"{stat.size / 1024:.1f} KB" for stat in snapshot.statistics("lineno")[:3]]
    return current, peak, done, top


def engine_part(args: argparse.Namespace, page_rate: float | None) -> None:
    from nnplay.app.link import ViewOptions
    from nnplay.app.playground import MAX_TEST_POINTS, Playground
    from nnplay.config import RunConfig

    print()
    first_minute = int(60 * page_rate) if page_rate else None
    how = (f"{first_minute:,} iterations = 60 s at the page's {page_rate:,.0f} iterations/s of part 1"
           if first_minute else f"{int(60 * PAGE_FRAME_LIMIT)} frames (60 s at the page's fastest "
           "timer; part 1 did not measure the page)")
    print(f"2. The engine: Playground(default XOR, max_iterations 10,000,000, min_error 0), frame() at "
          f"speed 'max' up to {args.iterations:,} iterations")
    print(f"   (at most {args.engine_seconds:g} s); 'first minute' = {how}.")
    print("   held = bytes reachable from the Playground; RSS +MB = this process's resident memory "
          "since just before it was made.")
    gc.collect()
    rss0 = rss_mb()
    config = RunConfig().replace(max_iterations=10_000_000, min_error=0.0)
    p = Playground(config, ViewOptions(speed="max"))
    p.play()
    start = time.perf_counter()
    rows = [describe(p, "start", 0, 0.0, rss0)]
    frames, minute_row, next_row = 0, None, 10.0
    most = {"first minute": 0, "after": 0}  # the most held, sampled after every frame
    windows: list[tuple[str, tuple[int, int, int, list[str]]]] = []
    deadline = start + args.engine_seconds
    while p.trainer.iteration < args.iterations and time.perf_counter() < deadline and p.playing:
        p.frame()
        frames += 1
        elapsed = time.perf_counter() - start
        part = "after" if minute_row is not None else "first minute"
        most[part] = max(most[part], retained_bytes(p))
        if frames == 1:
            rows.append(describe(p, "first frame", frames, elapsed, rss0))
        reached = (p.trainer.iteration >= first_minute if first_minute
                   else frames >= 60 * PAGE_FRAME_LIMIT)
        if minute_row is None and reached:
            minute_row = describe(p, "first minute", frames, elapsed, rss0)
            rows.append(minute_row)
            windows.append(("after the first minute", traced(p, TRACED_FRAMES)))
            frames += TRACED_FRAMES
            deadline += time.perf_counter() - start - elapsed  # the traced frames are not counted
        elif elapsed >= next_row:
            rows.append(describe(p, "", frames, elapsed, rss0))
            next_row += 10.0
    stopped = "" if p.playing else f" ({p.stop_reason})"
    rows.append(describe(p, "end" + stopped, frames, time.perf_counter() - start, rss0))
    end_row = rows[-1]
    if p.playing:
        windows.append(("at the end", traced(p, TRACED_FRAMES)))
    print_rows(rows)
    if not p.playing:
        print(f"   the run stopped by itself ({p.stop_reason}) at iteration {p.trainer.iteration:,}, as the "
              "page does: no frames left to trace at the end")
    for when, (current, peak, done, top) in windows:
        print(f"   tracemalloc over {TRACED_FRAMES} frames {when} ({done:,} iterations): "
              f"{current / 1024:.1f} KB allocated and still held after them, peak {peak / 1024:.1f} KB; "
              f"largest: {', '.join(top)}")
    history, snaps = p.trainer.history, p.trainer.snapshots
    print(f"   caps: error history {history.capacity} buckets (merged in pairs when full, so 1/2 to "
          f"full), snapshots {snaps.capacity} (every other dropped when full); held goes up and down "
          "with them,")
    print("   so the comparison is of the most held, measured after every frame, in the first minute "
          "and after it.")
    if minute_row is not None and most["after"]:
        grew = most["after"] - most["first minute"]
        ok = grew <= GROWTH_TOLERANCE * most["first minute"]
        times = end_row["iterations"] / max(1, minute_row["iterations"])
        print(f"   most held after the first minute {most['after'] / 1024:.1f} KB against "
              f"{most['first minute'] / 1024:.1f} KB in it ({grew / 1024:+.1f} KB), over {times:.1f}x "
              f"its iterations   {mark(ok)}")
        if first_minute:
            hour = min(10_000_000, int(3600 * page_rate))
            print(f"   an hour on the page at that rate: {hour:,} iterations"
                  f"{' (the maximum: the page stops there)' if hour == 10_000_000 else ''}; this run "
                  f"covered {100 * end_row['iterations'] / hour:.0f}% of it")
    else:
        print(f"   the run ended before the first minute's {how}: no comparison")

    # The per-frame path with a test set: one test-curve point per frame (capped).
    circle = RunConfig().replace(problem="set:circle", test_fraction=0.5, max_iterations=10_000_000,
                                 min_error=0.0)
    gc.collect()
    rss0 = rss_mb()
    q = Playground(circle, ViewOptions(speed="20"))
    q.play()
    start = time.perf_counter()
    rows = [describe(q, "start", 0, 0.0, rss0)]
    frames = 0
    phases = {"minute 1": 0, "minutes 2-10": 0, "minutes 11-60": 0}  # most held, every 10 frames
    while frames < HOUR_FRAMES and time.perf_counter() - start < args.frames_seconds and q.playing:
        q.frame()
        frames += 1
        if frames % 10 == 0:
            phase = "minute 1" if frames <= 600 else "minutes 2-10" if frames <= 6000 else "minutes 11-60"
            phases[phase] = max(phases[phase], retained_bytes(q))
        if frames in (600, 6000):
            rows.append(describe(q, f"{frames} frames ({frames // 600} min)", frames,
                                 time.perf_counter() - start, rss0))
    rows.append(describe(q, "end", frames, time.perf_counter() - start, rss0))
    print()
    print(f"   circle points ({q.train.n_examples} training, {q.test.n_examples} test), {q.shape}, 20 "
          f"iterations per frame, up to {HOUR_FRAMES:,} frames (an hour at 10 frames/s) or "
          f"{args.frames_seconds:g} s:")
    print_rows(rows)
    held = ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in phases.items() if v)
    print(f"   most held (every 10 frames): {held}; the test curve keeps at most {MAX_TEST_POINTS} points, "
          f"reached at frame {MAX_TEST_POINTS}")
    first, later = phases["minute 1"], max(phases["minutes 2-10"], phases["minutes 11-60"])
    if later:
        print(f"   after the first minute {later / 1024:.1f} KB at most against {first / 1024:.1f} KB in it "
              f"({(later - first) / 1024:+.1f} KB)   {mark(later - first <= GROWTH_TOLERANCE * first)}")
    if phases["minutes 11-60"]:
        grew = phases["minutes 11-60"] - phases["minutes 2-10"]
        print(f"   minutes 11-{frames // 600} against minutes 2-10: {grew / 1024:+.1f} KB   "
              f"{mark(grew <= GROWTH_TOLERANCE * phases['minutes 2-10'])}")


# -- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="how long the page plays in part 1 (default 60)")
    parser.add_argument("--ttl", type=int, default=10,
                        help="server.disconnectedSessionTTL for part 1 (default 10; Streamlit's is 120)")
    parser.add_argument("--iterations", type=int, default=2_000_000,
                        help="iterations of the engine run in part 2 (default 2,000,000)")
    parser.add_argument("--engine-seconds", type=float, default=50.0,
                        help="time limit of that run (default 50; raised to fit --iterations above 2M)")
    parser.add_argument("--frames-seconds", type=float, default=20.0,
                        help="time limit of the point-set run (default 20)")
    parser.add_argument("--skip-server", action="store_true", help="part 2 only (no browser)")
    parser.add_argument("--ref", default=None, metavar="REV",
                        help="serve and import this commit (git archive into a temporary directory)")
    args = parser.parse_args(argv)
    args.seconds = min(600.0, max(10.0, args.seconds))
    args.ttl = min(300, max(1, args.ttl))
    args.iterations = min(10_000_000, max(1000, args.iterations))
    if args.iterations > 2_000_000:
        args.engine_seconds = max(args.engine_seconds, args.iterations / 2_000_000 * 50.0)
    budget = 150 + args.engine_seconds + args.frames_seconds
    if not args.skip_server:
        budget += 90 + args.seconds + args.ttl
    return run_measurement("nnplay memory benchmark", budget,
                           lambda tmp: measure_memory(args, tmp))


def measure_memory(args: argparse.Namespace, tmp: Path) -> None:
    """The server part (unless ``--skip-server``), then the engine part."""
    app_dir, measured = app_dir_for(args.ref, tmp)
    sys.path.insert(0, str(app_dir))
    rate = None
    if args.skip_server:
        print_environment(measured)
    else:
        rate = server_part(args, tmp, app_dir, measured)
    engine_part(args, rate)


if __name__ == "__main__":
    sys.exit(main())
