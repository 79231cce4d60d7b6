"""Page benchmark: the Streamlit playground in a real browser (headless Chromium via Playwright).

Run from the repository root:

    python benchmarks/page.py                # 60-110 s, depending on how busy the machine is
    python benchmarks/page.py --seconds 20   # longer windows: steadier on a busy machine
    python benchmarks/page.py --rounds 2     # the postScriptGC comparison twice (A B B A)
    python benchmarks/page.py --ref HEAD     # a commit, not the working tree (others editing)

It starts two servers of ``streamlit_app.py`` side by side, one with the
repository's settings (``.streamlit/config.toml``: ``runner.postScriptGC =
false``) and one with ``--runner.postScriptGC true`` (Streamlit's default), and
drives each with its own browser contexts (one context = one Streamlit session):

1. **Views drawn.** Time from navigation until every view is on the page: the
   metrics, the three live views (``svg[data-view=...]``: the decision
   surface's picture, the error curve, the weight cells), the network
   diagram's node maps (``svg[data-view="diagram"] image``) and the truth
   table's rows. Measured in the page (``performance.now()``, whose zero is
   the navigation) by a ``requestAnimationFrame`` loop installed before the
   page's own scripts, so the first paint with each view is timed too (and
   when the first script run finished, and when a Plotly chunk arrived, if
   any did: the live views need none). Visits: cold (the first after a
   server started: its first run imports the modules), new (a new browser
   context: empty cache) and cached (that context again).
2. **Playing XOR** for ``--seconds`` (10 by default) at 2 iterations per frame,
   the default XOR configuration opened with ``?min=0&max=10000000&speed=2``
   so that it never stops by itself. A ``requestAnimationFrame`` loop in the
   page compares, at every frame the browser paints, the text or drawing of
   each view with the previous frame: changes of the ``Iteration`` metric are
   the frames shown; the Error metric, the diagram (its text and node
   images), the truth table, the surface (its picture), the error curve (its
   line) and the weights (their values) are the other live views, all
   redrawn by the same 0.1 s fragment; main-thread long tasks come from a
   PerformanceObserver. Python only starts and stops the loop. CPU comes
   from psutil: the server process (and any children) user+system, the
   Chromium processes that Playwright started (the renderer apart, and its
   threads by name from /proc), the Playwright driver, and the whole machine,
   over the same window. The Streamlit websocket is read too: script runs
   finished per second and kilobytes received per second. Then the same on
   the ``postScriptGC = true`` server.
3. **Speed "max"** (as fast as possible: ``Playground`` trains for a 35 ms
   budget each frame) on the repository's server: iterations and frames per
   second.
4. **A 2-D set**: 500 spiral points with the page's 100 x 100 decision
   surface, at speed 2.
5. **postScriptGC**: server CPU per frame and per script run of the two
   servers in part 2, side by side, and their ratio.

Targets (from the performance issue): at least 8 frames/s with every live view
updating, at most 10 ms of server CPU per frame, every view drawn within 3 s
of navigation. It always exits 0 (it is a measurement, not a test) and stops
both servers whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from harness import (  # benchmarks/harness.py: the server, the environment, a run's end
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    VIEWPORT,
    Server,
    cpu_model,
    export_revision,
    package_version,
    revision,
    run_measurement,
)

PLAYWRIGHT_TIMEOUT_MS = 30_000
WARMUP_SECONDS = 2.0  # after Play, before the window opens: first frames, chart builds
HARD_LIMIT_SECONDS = 420  # the whole run; SIGALRM backstop on top of every own timeout

# The default XOR configuration ((2, 4, 1), tanh/sigmoid, xavier, sgd at 2, seed 1),
# but never stopping by itself: min error 0, the largest maximum of iterations.
PLAY_QUERY = {"min": "0", "max": "10000000", "speed": "2"}
MAX_QUERY = {"min": "0", "max": "10000000", "speed": "max"}
# A 2-D set (issue 6): 500 spiral points, half held out, sin features, (4, 8, 8, 1), and
# the page's 100 x 100 decision surface for point sets.
POINTS_QUERY = {"data": "spiral", "points": "500", "split": "0.5", "hidden": "8,8",
                "feat": "x1,x2,sin_x1,sin_x2", "opt": "adam", "lr": "0.03",
                "loss": "cross_entropy", "min": "0", "max": "10000000", "speed": "2"}
DIAGRAM_NODES = 7  # (2, 4, 1): a node map in every node (the 2-D set has more)
TABLE_ROWS = 2  # XOR's truth table has 4 rows, the 2-D set's confusion matrix 2

FRAME_SECONDS = 0.1  # streamlit_app.py's fragment timer
FPS_TARGET = 8.0
SERVER_MS_PER_FRAME_TARGET = 10.0
DRAWN_TARGET_S = 3.0

PAGE_ERROR = '[data-testid="stException"], [data-testid="stErrorCodeBlock"]'
VIEWS = ("iteration", "error", "diagram", "table", "surface", "curve", "weights")


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# -- in-page measurement ---------------------------------------------------------------

# Installed before the page's scripts: the first paint at which each view is there, and
# when the app connected and its first script run was reported finished.
DRAWN_INIT_JS = """(() => {
  if (window.top !== window) return;
  const t = {};
  const count = (s) => document.querySelectorAll(s).length;
  function tick() {
    const now = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    const ok = {
      shell: !!app,
      ran: state === 'notRunning',
      metrics: count('[data-view="metrics"] .nn-metric-value') >= 4,
      diagram: count('svg[data-view="diagram"] image') >= NODES,
      table: count('table[data-view="table"] tbody tr') >= ROWS,
      charts: count('svg[data-view="surface"] image') >= 1
        && count('svg[data-view="curve"] polyline') >= 1
        && count('svg[data-view="weights"] rect') >= 1,
    };
    for (const k in ok) if (ok[k] && t[k] === undefined) t[k] = now;
    if (ok.metrics && ok.diagram && ok.table && ok.charts) {
      t.all = now;
      window.__nnplayDrawn = t;
      return;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();""".replace("NODES", str(DIAGRAM_NODES)).replace("ROWS", str(TABLE_ROWS))

# What the visit downloaded (bytes over the wire; 0 from the cache) and when a Plotly chunk
# (the largest script, lazily loaded by the first Plotly chart) had arrived, if one did.
RESOURCES_JS = """() => {
  const entries = performance.getEntriesByType('resource');
  const plotly = entries.filter(e => /plotly/i.test(e.name)).map(e => e.responseEnd);
  return {transfer: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
          plotlyjs: plotly.length ? Math.min(...plotly) : null};
}"""

# Compares every view with the previous painted frame; started and stopped from Python.
# A view's signature is null while it is not on the page.
SAMPLER_START_JS = """() => {
  const metric = (label) => {  // one of the live numbers (data-view="metrics")
    for (const m of document.querySelectorAll('[data-view="metrics"] .nn-metric')) {
      const l = m.querySelector('.nn-metric-label');
      if (l && l.textContent.trim() === label) {
        const v = m.querySelector('.nn-metric-value');
        return v ? v.textContent.trim() : null;
      }
    }
    return null;
  };
  const view = (name) => document.querySelector(`svg[data-view="${name}"]`);
  const read = () => {
    const diagram = view('diagram'), surface = view('surface'), curve = view('curve');
    const weights = view('weights');
    const tbody = document.querySelector('table[data-view="table"] tbody');
    const line = curve && curve.querySelector('polyline');
    const image = surface && surface.querySelector('image');
    return {
      iteration: metric('Iteration'),
      error: metric('Error'),
      diagram: diagram ? diagram.textContent + [...diagram.querySelectorAll('image')]
        .map(i => i.getAttribute('href')).join('|') : null,
      table: tbody ? tbody.textContent : null,
      surface: image ? image.getAttribute('href') : null,
      curve: line ? line.getAttribute('points') : null,
      weights: weights ? weights.textContent : null,  // every weight, in the cells' titles
    };
  };
  const B = {ticks: 0, gaps50: 0, maxGap: 0, changes: {}, blankMs: {},
             intervals: [], longTasks: 0, longTaskMs: 0, readMs: 0, stop: false};
  let prev = read();
  const last = {};
  for (const k in prev) { B.changes[k] = 0; B.blankMs[k] = 0; last[k] = prev[k]; }
  B.firstIteration = prev.iteration;
  B.lastIteration = prev.iteration;
  try {
    B.observer = new PerformanceObserver((list) => {
      if (B.stop) return;
      for (const e of list.getEntries()) { B.longTasks += 1; B.longTaskMs += e.duration; }
    });
    B.observer.observe({type: 'longtask'});
  } catch (e) { B.longTasks = null; }
  B.t0 = performance.now();
  let lastTick = B.t0, lastFrame = B.t0;
  function tick() {
    if (B.stop) return;
    const now = performance.now();
    const gap = now - lastTick;
    lastTick = now;
    B.ticks += 1;
    if (gap > 50) B.gaps50 += 1;
    if (gap > B.maxGap) B.maxGap = gap;
    const before = performance.now();
    const cur = read();
    B.readMs += performance.now() - before;
    for (const k in cur) {
      if (prev[k] === null) B.blankMs[k] += gap;
      const a = last[k], b = cur[k];
      if (b === null) continue;
      if (b !== a) B.changes[k] += 1;
      last[k] = b;
    }
    if (cur.iteration !== null && cur.iteration !== B.lastIteration) {
      B.intervals.push(now - lastFrame);
      lastFrame = now;
      B.lastIteration = cur.iteration;
    }
    prev = cur;
    requestAnimationFrame(tick);
  }
  window.__nnplayBench = B;
  requestAnimationFrame(tick);
  return true;
}"""

SAMPLER_STOP_JS = """() => {
  const B = window.__nnplayBench;
  B.stop = true;
  if (B.observer) B.observer.disconnect();
  const seconds = (performance.now() - B.t0) / 1000;
  return {seconds, ticks: B.ticks, gaps50: B.gaps50, maxGap: B.maxGap, changes: B.changes,
          blankMs: B.blankMs, intervals: B.intervals,
          longTasks: B.longTasks, longTaskMs: B.longTaskMs, readMs: B.readMs,
          firstIteration: B.firstIteration, lastIteration: B.lastIteration};
}"""


# -- CPU accounting --------------------------------------------------------------------


def _cpu(process: psutil.Process) -> float | None:
    try:
        times = process.cpu_times()
        return times.user + times.system
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def _descendants() -> list[psutil.Process]:
    try:
        return psutil.Process().children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _is_chromium(process: psutil.Process) -> bool:
    try:
        return "chrom" in process.name().lower()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def _is_renderer(process: psutil.Process) -> bool:
    try:
        return "--type=renderer" in process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def _is_driver(process: psutil.Process) -> bool:
    try:
        return process.name().lower() == "node"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _thread_cpu(processes: list[psutil.Process]) -> dict[str, float]:
    """CPU seconds of the threads of ``processes`` by thread name (Linux /proc; else empty)."""
    by_name: dict[str, float] = {}
    for process in processes:
        for stat in Path(f"/proc/{process.pid}/task").glob("*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            name = text[text.index("(") + 1:text.rindex(")")]
            if stat.parent.name == str(process.pid):
                name = "main"  # the renderer's main thread: JavaScript, style, layout, paint
            fields = text[text.rindex(")") + 2:].split()
            # key the thread by name and id: a thread that ends inside the window is lost
            key = f"{name}\0{stat.parent.name}"
            by_name[key] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime
    return by_name


def _machine_busy() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


class CpuWindow:
    """CPU seconds spent by the server, Chromium, the driver and the machine over a window."""

    def __init__(self, server: Server) -> None:
        self.server = server

    def _groups(self) -> dict[str, list[psutil.Process]]:
        server_pids = {p.pid for p in self.server.processes()}
        others = [p for p in _descendants() if p.pid not in server_pids]
        chromium = [p for p in others if _is_chromium(p)]
        return {
            "server": self.server.processes(),
            "browser": chromium,
            "renderer": [p for p in chromium if _is_renderer(p)],
            "driver": [p for p in others if _is_driver(p)],
            "self": [psutil.Process()],
        }

    def _sample(self) -> dict[str, dict[int, float]]:
        return {name: {p.pid: c for p in procs if (c := _cpu(p)) is not None}
                for name, procs in self._groups().items()}

    def __enter__(self) -> CpuWindow:
        self.threads_start = _thread_cpu(self._groups()["renderer"])
        self.start = self._sample()
        self.machine_start = _machine_busy()
        self.wall_start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        end = self._sample()
        threads_end = _thread_cpu(self._groups()["renderer"])
        self.wall = time.monotonic() - self.wall_start
        self.renderer_threads: dict[str, float] = {}
        for key, seconds in threads_end.items():
            name = key.split("\0")[0]
            self.renderer_threads[name] = (self.renderer_threads.get(name, 0.0) + seconds
                                           - self.threads_start.get(key, 0.0))
        self.machine = _machine_busy() - self.machine_start
        # A process born inside the window counts from 0; one that died in it is lost (rare).
        self.seconds = {name: sum(c - self.start[name].get(pid, 0.0) for pid, c in procs.items())
                        for name, procs in end.items()}


# -- websocket: script runs and bytes --------------------------------------------------


@dataclass
class Wire:
    """Streamlit's websocket as the page receives it."""

    bytes: int = 0
    runs: int = 0
    statuses: list[str] = field(default_factory=list)

    def attach(self, websocket) -> None:
        if websocket.url.rstrip("/").endswith("/_stcore/stream"):
            websocket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: bytes | str) -> None:
        self.bytes += len(payload)
        if isinstance(payload, str):
            return
        from google.protobuf.message import DecodeError
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg, ForwardMsgList

        try:
            msg = ForwardMsg.FromString(payload)
            messages = [msg] if msg.WhichOneof("type") else list(
                ForwardMsgList.FromString(payload).messages)
        except DecodeError:
            return
        for msg in messages:
            if msg.WhichOneof("type") == "script_finished":
                self.runs += 1
                self.statuses.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))


# -- the page --------------------------------------------------------------------------


@dataclass
class Drawn:
    server: str
    kind: str  # cold (first visit after the server started), new (empty browser cache), cached
    python_s: float  # page.goto called -> Playwright saw every view
    page_ms: dict[str, float]  # performance.now() at the first paint of each view; "all"

    @property
    def seconds(self) -> float:
        return self.page_ms.get("all", float("nan")) / 1e3


def _navigate(page, server: Server, query: dict[str, str] | None, kind: str) -> Drawn:
    url = server.url + ("/?" + urllib.parse.urlencode(query) if query else "/")
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    page.wait_for_function(f"""() => window.__nnplayDrawn !== undefined
        || document.querySelector('{PAGE_ERROR}, .stBidiComponent') !== null""",
                           timeout=PLAYWRIGHT_TIMEOUT_MS * 2)
    python_s = time.monotonic() - started
    if page.evaluate("() => window.__nnplayDrawn === undefined"
                     " && !!document.querySelector('.stBidiComponent')"):
        raise RuntimeError(f"{server.name} draws the live area with the browser component (after "
                           "4ed138c), whose DOM this script does not read: measure it with "
                           "benchmarks/live.py (old design beside new), or give --ref 4ed138c")
    errors = page.locator(PAGE_ERROR)
    if errors.count():
        raise RuntimeError(f"the page shows an error on {server.name}: "
                           f"{errors.first.inner_text(timeout=5_000)[:1500]}")
    page_ms = dict(page.evaluate("() => window.__nnplayDrawn"))
    page_ms.update(page.evaluate(RESOURCES_JS))
    return Drawn(server.name, kind, python_s, page_ms)


def open_page(browser, server: Server, query: dict[str, str] | None = None):
    """A fresh context (empty cache, its own Streamlit session) and page on ``server``;
    returns (context, page, wire, Drawn)."""
    context = browser.new_context(viewport=dict(VIEWPORT))
    context.set_default_timeout(PLAYWRIGHT_TIMEOUT_MS)
    context.set_default_navigation_timeout(PLAYWRIGHT_TIMEOUT_MS * 2)
    context.add_init_script(DRAWN_INIT_JS)
    page = context.new_page()
    wire = Wire()
    page.on("websocket", wire.attach)
    kind, server.cold = ("cold" if server.cold else "new"), False
    return context, page, wire, _navigate(page, server, query, kind)


def _iteration_number(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(text.replace(",", "").strip())
    except ValueError:
        return None


@dataclass
class Play:
    label: str
    server: str
    drawn: Drawn
    js: dict
    cpu: CpuWindow
    runs: int
    kbytes: float
    statuses: list[str]

    @property
    def seconds(self) -> float:
        return self.js["seconds"]

    def rate(self, view: str) -> float:
        return self.js["changes"][view] / self.seconds

    @property
    def frames(self) -> int:
        return self.js["changes"]["iteration"]

    @property
    def fps(self) -> float:
        return self.rate("iteration")

    @property
    def iterations_per_s(self) -> float | None:
        a, b = (_iteration_number(self.js[k]) for k in ("firstIteration", "lastIteration"))
        return None if a is None or b is None else (b - a) / self.seconds

    def slowest_view(self, skip: tuple[str, ...] = ()) -> float:
        return min(self.rate(v) for v in VIEWS if v not in skip)

    def server_ms_per_frame(self) -> float | None:
        return self.cpu.seconds["server"] * 1e3 / self.frames if self.frames else None

    def share(self, group: str) -> float:
        """Percent of one core."""
        return 100 * self.cpu.seconds[group] / self.cpu.wall


def play(browser, server: Server, label: str, query: dict[str, str], seconds: float) -> Play:
    """Open the page with ``query``, press Play, and measure ``seconds`` of playing."""
    context, page, wire, drawn = open_page(browser, server, query)
    try:
        page.wait_for_function("""() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning';
        }""", timeout=PLAYWRIGHT_TIMEOUT_MS)
        page.get_by_role("button", name="Play", exact=True).click(timeout=PLAYWRIGHT_TIMEOUT_MS)
        page.get_by_role("button", name="Pause", exact=True).wait_for(timeout=PLAYWRIGHT_TIMEOUT_MS)
        page.wait_for_timeout(WARMUP_SECONDS * 1000)
        runs0, bytes0, statuses0 = wire.runs, wire.bytes, len(wire.statuses)
        with CpuWindow(server) as cpu:
            page.evaluate(SAMPLER_START_JS)
            page.wait_for_timeout(seconds * 1000)
            js = page.evaluate(SAMPLER_STOP_JS)
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"server {server.name} ended during the {label} window")
        still_playing = page.get_by_role("button", name="Pause", exact=True).count() == 1
        if not still_playing:
            print(f"   warning: {label} on {server.name} stopped playing inside the window")
        return Play(label, server.name, drawn, js, cpu, wire.runs - runs0,
                    (wire.bytes - bytes0) / 1024, wire.statuses[statuses0:])
    finally:
        with contextlib.suppress(Exception):
            context.close()


# -- environment -----------------------------------------------------------------------


def print_environment(browser_version: str, measured: str) -> None:
    now = datetime.datetime.now(datetime.UTC)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    print(f"date        {now:%Y-%m-%d %H:%M} UTC")
    print(f"machine     {cpu_model()}; os.cpu_count()={os.cpu_count()}, usable={usable}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"python      {platform.python_version()} ({platform.system()} {platform.release()})")
    print(f"versions    streamlit {package_version('streamlit')}, plotly {package_version('plotly')}, "
          f"playwright {package_version('playwright')}, psutil {package_version('psutil')}, "
          f"numpy {package_version('numpy')}; chromium {browser_version} ({CHROMIUM}, headless)")
    print(f"page        {measured}")


# -- report ----------------------------------------------------------------------------


def drawn_line(d: Drawn) -> str:
    ms = d.page_ms
    parts = "  ".join(f"{k} {ms[k] / 1e3:4.2f}" for k in
                      ("shell", "ran", "plotlyjs", "diagram", "metrics", "table", "charts")
                      if ms.get(k) is not None)
    return (f"   {d.server:<18} {d.kind:<6} {d.seconds:5.2f} s  {mark(d.seconds <= DRAWN_TARGET_S)}"
            f"  {ms.get('transfer', 0) / 2**20:4.1f} MB  (Python {d.python_s:5.2f} s; at {parts})")


def play_lines(p: Play) -> list[str]:
    js = p.js
    its = p.iterations_per_s
    ms = p.server_ms_per_frame()
    intervals = sorted(js["intervals"][1:]) or [0.0]
    views = "  ".join(f"{v} {p.rate(v):4.1f}" for v in VIEWS[1:])
    blank = [v for v in VIEWS if js["blankMs"][v] > 0]
    long_tasks = ("not reported" if js["longTasks"] is None else
                  f"{js['longTasks'] / p.seconds:.1f}/s of "
                  f"{js['longTaskMs'] / max(1, js['longTasks']):.0f} ms on average, "
                  f"{js['longTaskMs'] / 10 / p.seconds:.0f}% of the time")
    top = sorted(p.cpu.renderer_threads.items(), key=lambda item: -item[1])[:4]
    threads = ", ".join(f"{name} {100 * sec / p.cpu.wall:.0f}%" for name, sec in top if sec > 0)
    ours = sum(p.cpu.seconds[g] for g in ("server", "browser", "driver", "self"))
    others = 100 * (p.cpu.machine - ours) / p.cpu.wall
    return [
        f"   {p.label:<8} {p.server:<18} {p.seconds:4.1f} s  frames {p.fps:5.2f}/s  iterations "
        f"{'-' if its is None else f'{its:,.0f}'}/s  (Iteration {js['firstIteration']} -> "
        f"{js['lastIteration']})",
        f"      views, changes/s: {views}"
        + (f";  missing for a while: {', '.join(blank)}" if blank else ""),
        f"      frame interval ms: median {statistics.median(intervals):.0f}, "
        f"p90 {intervals[int(0.9 * (len(intervals) - 1))]:.0f}, max {intervals[-1]:.0f};  "
        f"browser paints {js['ticks'] / p.seconds:.0f}/s ({js['gaps50']} gaps > 50 ms, longest "
        f"{js['maxGap']:.0f} ms); long tasks {long_tasks}; this measurement's own cost in the "
        f"page {js['readMs'] / p.seconds:.1f} ms/s",
        f"      server: {'-' if ms is None else f'{ms:.1f}'} ms CPU/frame, "
        f"{1e3 * p.cpu.seconds['server'] / max(1, p.runs):.1f} ms/script run, "
        f"{p.runs / p.seconds:.1f} runs/s, {p.share('server'):.0f}% of a core, "
        f"{p.kbytes / p.seconds:.0f} KB/s sent",
        f"      browser: {p.share('browser'):.0f}% of a core (renderer {p.share('renderer'):.0f}%), "
        f"{p.cpu.seconds['browser'] * 1e3 / max(1, p.frames):.0f} ms/frame;  Playwright driver "
        f"{p.share('driver'):.0f}%, this script {p.share('self'):.0f}%, other processes "
        f"{others:.0f}%; machine {100 * p.cpu.machine / p.cpu.wall:.0f}% of "
        f"{100 * (psutil.cpu_count() or 1)}%",
    ] + ([f"      renderer threads, % of a core: {threads}"] if threads else [])


def _pooled(plays: list[Play], per: str) -> float | None:
    """Server CPU ms over all ``plays``' windows, per frame shown or per script run."""
    count = sum(p.frames if per == "frame" else p.runs for p in plays)
    return sum(p.cpu.seconds["server"] for p in plays) * 1e3 / count if count else None


# -- main ------------------------------------------------------------------------------


def run(args: argparse.Namespace, log_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    if args.ref:
        app_dir = log_dir / "app"
        measured = f"{export_revision(args.ref, app_dir)} (--ref {args.ref}, exported to {app_dir})"
    else:
        app_dir, measured = ROOT, f"working tree at {revision()}"
    repo = Server(log_dir, app_dir, name="repo (GC off)")
    gc_on = Server(log_dir, app_dir, extra_args=["--runner.postScriptGC", "true"],
                   name="postScriptGC true")
    servers = [repo, gc_on]
    try:
        for server in servers:
            server.launch()
        startups = [server.wait_healthy() for server in servers]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         headless=True, timeout=PLAYWRIGHT_TIMEOUT_MS * 2)
            try:
                print_environment(browser.version, measured)
                for server, seconds in zip(servers, startups):
                    print(f"server      {server.name}: {server.url}, /_stcore/health ok after "
                          f"{seconds:.1f} s")
                measure(browser, repo, gc_on, args)
            finally:
                with contextlib.suppress(Exception):
                    browser.close()
    except Exception:
        for server in servers:
            code = server.process.poll() if server.process else None
            if code is not None:
                print(f"\nserver {server.name} had already exited (code {code}) before this "
                      "script stopped it: something else ended it")
        raise
    finally:
        for server in servers:
            server.stop()


def _retrying(what: str, servers: tuple[Server, ...], step):
    """``step()``; once more if it failed because one of ``servers`` was ended from outside
    (on a shared machine another session's clean-up may stop every ``streamlit run``)."""
    try:
        return step()
    except Exception:
        dead = [server for server in servers
                if server.process is not None and server.process.poll() is not None]
        if not dead:
            raise
        for server in dead:
            print(f"   note: server {server.name} was ended from outside (exit code "
                  f"{server.process.returncode}) during {what}; restarted, {what} measured again")
            server.launch()
            server.wait_healthy()
            server.cold = False  # the cold visit is not measured again
        return step()


def seeds_lab_seconds(n_seeds: int = 200, iterations: int = 2000) -> float:
    """What one press of the seeds lab's button costs the server: the tutorial's (2, 2, 1)
    configuration, every seed running every iteration (stop error 0), best of 3."""
    sys.path.insert(0, str(ROOT))
    from nnplay.presets import PRESETS
    from nnplay.views.seeds_report import run_lab

    config = PRESETS["tutorial"].config.replace(min_error=0.0)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run_lab(config, range(n_seeds), iterations)
        best = min(best, time.perf_counter() - started)
    return best


def measure(browser, repo: Server, gc_on: Server, args: argparse.Namespace) -> None:
    seconds = args.seconds
    drawn: list[Drawn] = []

    def visit(server: Server) -> list[Drawn]:
        context, _page, _wire, d = open_page(browser, server)
        context.close()
        return [d]

    def revisit(server: Server) -> list[Drawn]:
        context, page, _wire, d = open_page(browser, server)
        try:
            return [d, _navigate(page, server, None, "cached")]
        finally:
            context.close()

    # 1. Views drawn: the first visit on each server (cold); then on the repository's server a
    #    new visitor (empty browser cache) and the same visitor again (cached).
    for server in (repo, gc_on):
        drawn += _retrying("the first visit", (server,), lambda server=server: visit(server))
    drawn += _retrying("the second visit", (repo,), lambda: revisit(repo))

    # 2. Playing at 2 iterations per frame, the two servers alternating (A B, B A, ...).
    plays: list[Play] = []
    order = []
    for r in range(args.rounds):
        order += [repo, gc_on] if r % 2 == 0 else [gc_on, repo]
    for server in order:
        plays.append(_retrying(f"speed 2 on {server.name}", (server,),
                               lambda server=server: play(browser, server, "speed 2", PLAY_QUERY,
                                                          seconds)))
    # 3. As fast as possible, on the repository's settings.
    fastest = _retrying("speed max", (repo,),
                        lambda: play(browser, repo, "max", MAX_QUERY, seconds))
    # 4. A 2-D set of 500 points with a 100 x 100 decision surface, at speed 2.
    points = _retrying("the 2-D set", (repo,),
                       lambda: play(browser, repo, "500 points", POINTS_QUERY, seconds))
    drawn += [p.drawn for p in (*plays, fastest, points)]
    print()
    print(f"1. Navigation -> every view drawn (target <= {DRAWN_TARGET_S:g} s), in the page: "
          "performance.now() at the first paint showing the 4 metrics,")
    print(f"   the diagram's {DIAGRAM_NODES} node maps, the {TABLE_ROWS} table rows and the surface, "
          "curve and weights. cold = first visit after the server started; new = new")
    print("   browser context (empty cache, new session); cached = the same context again. "
          "'shell' = the app's root is on the page, 'ran' = first")
    print("   script run reported finished, 'plotlyjs' = a Plotly chunk downloaded; MB = bytes "
          "downloaded by the visit. The later 'new' visits are")
    print("   the play windows' own loads (with their link parameters).")
    for d in drawn:
        print(drawn_line(d))

    print()
    print(f"2. Playing XOR (2, 4, 1) for {seconds:g} s with ?{urllib.parse.urlencode(PLAY_QUERY)} "
          f"(2 iterations per frame, never stops by itself), from {WARMUP_SECONDS:g} s after Play.")
    print("   frames = changes of the Iteration metric at the browser's paints "
          "(requestAnimationFrame in the page): at most 10/s, for every view.")
    print("   CPU in % of one core over the same window (psutil); 'long tasks': main-thread "
          "tasks over 50 ms.")
    for p in plays:
        for line in play_lines(p):
            print(line)

    print()
    print(f"3. Speed 'max' (35 ms of training per frame) for {seconds:g} s, "
          f"?{urllib.parse.urlencode(MAX_QUERY)}, repository settings.")
    for line in play_lines(fastest):
        print(line)

    print()
    print(f"4. A 2-D set: 500 spiral points (250 train, 250 test), (4, 8, 8, 1) on sin features, "
          f"100 x 100 decision surface, speed 2, for {seconds:g} s,")
    print(f"   ?{urllib.parse.urlencode(POINTS_QUERY)}")
    for line in play_lines(points):
        print(line)

    repo_plays = [p for p in plays if p.server == repo.name]
    gc_plays = [p for p in plays if p.server == gc_on.name]
    ms_off, ms_on = _pooled(repo_plays, "frame"), _pooled(gc_plays, "frame")
    run_off, run_on = _pooled(repo_plays, "run"), _pooled(gc_plays, "run")
    print()
    print("5. runner.postScriptGC at speed 2, same run (server CPU over its windows / frames "
          "shown, and / script runs):")
    if ms_off and ms_on and run_off and run_on:
        print(f"   postScriptGC false (repo config) {ms_off:6.1f} ms/frame {run_off:6.1f} ms/run")
        print(f"   postScriptGC true                {ms_on:6.1f} ms/frame {run_on:6.1f} ms/run")
        print(f"   ratio true / false               {ms_on / ms_off:6.1f}x{'':>9}"
              f"{run_on / run_off:6.1f}x")

    fps = statistics.mean(p.fps for p in repo_plays)
    slowest = min(p.slowest_view() for p in repo_plays)
    repo_drawn = [d for d in drawn if d.server == repo.name]
    print()
    print("Targets (repository settings; frames and CPU at speed 2):")
    print(f"   frames shown >= {FPS_TARGET:g}/s (Iteration metric)                   "
          f"{fps:6.2f}/s  {mark(fps >= FPS_TARGET)}")
    print(f"   every live view >= {FPS_TARGET:g}/s, the slowest                     "
          f"{slowest:6.2f}/s  {mark(slowest >= FPS_TARGET)}")
    if ms_off is not None:
        print(f"   server CPU per frame <= {SERVER_MS_PER_FRAME_TARGET:g} ms                        "
              f"{ms_off:6.1f} ms  {mark(ms_off <= SERVER_MS_PER_FRAME_TARGET)}"
              + (f"   (postScriptGC true: {ms_on:.1f} ms, "
                 f"{mark(ms_on <= SERVER_MS_PER_FRAME_TARGET)})" if ms_on else ""))
    for kind, label in (("cold", "first visit after server start"),
                        ("new", "new visitor, empty cache (worst)"),
                        ("cached", "returning visitor, cached")):
        times = [d.seconds for d in repo_drawn if d.kind == kind]
        if times:
            print(f"   views drawn <= {DRAWN_TARGET_S:g} s, {label:<33} {max(times):6.2f} s   "
                  f"{mark(max(times) <= DRAWN_TARGET_S)}")
    print(f"   2-D set, 500 points, 100x100 surface: frames >= {FPS_TARGET:g}/s               "
          f"{points.fps:6.2f}/s  {mark(points.fps >= FPS_TARGET)}")
    # The confusion matrix's counts change only when a point changes side: its rate is the
    # data's, not the page's (it is redrawn with the rest; 'table' above shows how often).
    moving = points.slowest_view(skip=("table",))
    print(f"   2-D set, every view but the confusion matrix >= {FPS_TARGET:g}/s     "
          f"{moving:6.2f}/s  {mark(moving >= FPS_TARGET)}")
    lab_seconds = seeds_lab_seconds()
    print(f"   seeds lab, 200 seeds x 2,000 iterations (no target): {lab_seconds:.2f} s of server "
          "time per press of 'Run the seeds lab'")
    max_its = fastest.iterations_per_s
    print(f"   speed max (no target): {'-' if max_its is None else f'{max_its:,.0f}'} "
          f"iterations/s at {fastest.fps:.2f} frames/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="length of each measured window (default 10)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="speed-2 windows per server, alternating A B, B A, ... (default 1)")
    parser.add_argument("--ref", default=None, metavar="REV",
                        help="serve this commit (git archive into a temporary directory) instead "
                        "of the working tree: steady figures while others edit the page")
    args = parser.parse_args(argv)
    args.seconds = min(120.0, max(1.0, args.seconds))
    args.rounds = min(5, max(1, args.rounds))
    return run_measurement("nnplay page benchmark",
                           HARD_LIMIT_SECONDS + (2 * args.rounds + 2) * (args.seconds + 30),
                           lambda tmp: run(args, tmp),
                           busy_hint="other processes shared these cores ('other processes' "
                           "above); rerun with --seconds 20 or when it is quieter")


if __name__ == "__main__":
    sys.exit(main())
