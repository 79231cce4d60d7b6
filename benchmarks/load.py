"""Load benchmark: many students playing at once on one Streamlit server (headless Chromium).

Run from the repository root:

    python benchmarks/load.py                        # 10 pages for 20 s: 1.5-2 minutes
    python benchmarks/load.py --pages 4 --seconds 30
    python benchmarks/load.py --ref HEAD         # a commit, not the working tree (others editing)

It starts one ``streamlit run streamlit_app.py`` (the repository's
``.streamlit/config.toml``) and one Chromium with ``--pages`` browser contexts
(one context = one Streamlit session, as separate students), opens the page in
each with ``?min=0&max=10000000&speed=2`` (the default XOR network, 2 iterations
per frame, never stopping by itself), presses Play in every one, waits until
all are playing, and measures a window of ``--seconds``:

- per page, counted in the page itself (an init script): the **frames shown**
  (changes of the ``Iteration`` number, seen by a MutationObserver), the
  **weights redraws** (new values in the weights view, one of the live views
  the frame fragment redraws with the numbers), and the **script runs** the
  server finished for it, read from Streamlit's websocket
  (``ForwardMsg.script_finished``; a fragment run is attributed to its
  fragment by the ``Delta.fragment_id`` of its deltas: the fragment with the
  most runs is the 0.1 s frame fragment);
- the server's CPU (psutil: the process and any children, user + system)
  over the window, per frame shown and per script run; its resident memory
  before any page, with the first page (which imports the page's modules),
  with every page open, and the most while they play (every 0.5 s); the CPU
  of the Chromium processes and of the whole machine.

Targets (issue 7, "Hardening"): with 10 pages playing, every page keeps
animating (at least 1 frame/s each), the server stays under 1 GB of memory,
and spends at most 8 ms of CPU per frame served, so that 30 students at
8 frames/s (240 frames/s) fit in the 2 cores; the projection is printed from
the measured figure. On a 2-core machine the browsers take most of the CPU,
so the frame rates the pages reach say more about the machine than about the
server: the server's cost per frame is the figure that carries over.

It always exits 0 (a measurement, not a test) and stops the server and the
browser whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
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
    http_get,
    package_version,
    revision,
    run_measurement,
    total_cpu,
    total_rss_mb,
)

PLAYWRIGHT_TIMEOUT_MS = 60_000  # ten pages on two cores: generous
WARMUP_SECONDS = 3.0  # after every page plays, before the window opens
RSS_EVERY = 0.5  # s between memory samples

# The default XOR configuration, never stopping by itself, 2 iterations per frame.
PLAY_QUERY = {"min": "0", "max": "10000000", "speed": "2"}
PAGE_ERROR = '[data-testid="stException"], [data-testid="stErrorCodeBlock"]'

FPS_EACH_TARGET = 1.0  # every page keeps animating
RSS_TARGET_MB = 1024.0
MS_PER_FRAME_TARGET = 8.0
STUDENTS, STUDENT_FPS, CORES = 30, 8.0, 2


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# -- in-page counting ------------------------------------------------------------------

# Installed before the page's own scripts, in the top frame only. Counts what the page
# shows (MutationObserver) and what the server sent (Streamlit's websocket, protobuf read
# just far enough to find the end of each script run and the fragment it belonged to).
COUNTER_JS = r"""(() => {
  if (window.top !== window) return;
  const C = {frames: 0, weights: 0, runs: {}, msgs: 0, bytes: 0, iteration: null, seen: null, log: []};
  window.__nnplayLoad = C;
  // Twice a second, the counters with the wall clock: Python picks the same window in every page
  // however long it takes to read them (ten busy pages answer slowly).
  setInterval(() => {
    C.log.push([Date.now() / 1000, C.frames, C.weights, {...C.runs}, C.bytes, C.iteration]);
    if (C.log.length > 1200) C.log.shift();
  }, 500);

  const varint = (b, i) => {
    let v = 0, scale = 1, x;
    do { x = b[i++]; v += (x & 0x7f) * scale; scale *= 128; } while ((x & 0x80) && i < b.length);
    return [v, i];
  };
  const walk = (b, start, end, visit) => {  // the fields of one protobuf message
    let i = start;
    while (i < end) {
      let key, n;
      [key, i] = varint(b, i);
      const field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) { [n, i] = varint(b, i); visit(field, wire, n, 0, 0); }
      else if (wire === 2) { [n, i] = varint(b, i); visit(field, wire, null, i, i + n); i += n; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return;
    }
  };
  const utf8 = new TextDecoder();
  let fragment = null;  // the fragment id of the deltas since the last finished run
  const forwardMsg = (b, start, end) => {
    walk(b, start, end, (field, wire, value, a, z) => {
      if (field === 5 && wire === 2) {  // ForwardMsg.delta
        walk(b, a, z, (f, w, v, a2, z2) => {
          if (f === 8 && w === 2 && z2 > a2) fragment = utf8.decode(b.subarray(a2, z2));
        });
      } else if (field === 6 && wire === 0) {  // ForwardMsg.script_finished
        // 0 a whole run, 3 a fragment run, 2 finished early for a rerun, 1 a compile error
        const key = (fragment || 'page') + ':' + value;
        C.runs[key] = (C.runs[key] || 0) + 1;
        fragment = null;
      }
    });
  };
  const onMessage = (event) => {
    if (!(event.data instanceof ArrayBuffer)) return;
    const b = new Uint8Array(event.data);
    C.msgs += 1;
    C.bytes += b.length;
    // A ForwardMsgList has only field 1 (its messages); a ForwardMsg always has a type field.
    let list = true;
    walk(b, 0, b.length, (field) => { if (field !== 1) list = false; });
    if (!list) forwardMsg(b, 0, b.length);
    else walk(b, 0, b.length, (field, wire, value, a, z) => { if (wire === 2) forwardMsg(b, a, z); });
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); this.addEventListener('message', onMessage); }
  };

  // The live area is a component in an open shadow root (since the live component; before
  // it, the document): look there, and sample every 20 ms (a MutationObserver on the
  // document does not see inside a shadow root).
  let live = null;
  const root = () => {
    if (live && live.isConnected !== false && (live === document || live.host.isConnected)) return live;
    const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot
                                                          && e.shadowRoot.querySelector('.nn-live'));
    live = host ? host.shadowRoot : (document.querySelector('[data-view="metrics"]') ? document : null);
    return live || document;
  };
  window.__nnplayRoot = root;
  const iteration = () => {  // the first of the live numbers (data-view="metrics")
    const value = root().querySelector('[data-view="metrics"] .nn-metric-value');
    return value ? value.textContent.trim() : null;
  };
  const weights = () => {  // the weights view: every weight is in its cells' titles
    const view = root().querySelector('svg[data-view="weights"]');
    return view ? view.textContent : null;
  };
  const check = () => {
    const it = iteration();
    if (it !== null && it !== C.iteration) { C.frames += 1; C.iteration = it; }
    const ch = weights();
    if (ch !== null && ch !== C.seen) { C.weights += 1; C.seen = ch; }
  };
  setInterval(check, 20);
})();"""

SNAPSHOT_JS = """() => {
  const C = window.__nnplayLoad;
  const buttons = [...document.querySelectorAll('button'),
                   ...window.__nnplayRoot().querySelectorAll('button')];
  const playing = buttons.some(b => b.textContent.trim() === 'Pause');
  return {t: Date.now() / 1000, frames: C.frames, weights: C.weights, runs: {...C.runs},
          msgs: C.msgs, bytes: C.bytes, iteration: C.iteration, log: C.log,
          playing, errors: document.querySelectorAll('PAGE_ERROR').length};
}""".replace("PAGE_ERROR", PAGE_ERROR)

READY_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const done = app && app.getAttribute('data-test-script-state') === 'notRunning';
  const live = window.__nnplayRoot ? window.__nnplayRoot() : document;
  const play = [...document.querySelectorAll('button'), ...live.querySelectorAll('button')]
    .some(b => b.textContent.trim() === 'Play');
  return (done && play) || document.querySelector('PAGE_ERROR') !== null;
}""".replace("PAGE_ERROR", PAGE_ERROR)


# -- the server ------------------------------------------------------------------------



def active_sessions(url: str) -> int | None:
    """Streamlit's own gauge (``/_stcore/metrics``): sessions with a connected browser."""
    text = http_get(url + "/_stcore/metrics")
    for line in (text or "").splitlines():
        if line.startswith("active_sessions "):
            return int(float(line.split()[1]))
    return None


def own_descendants(exclude: set[int]) -> list[psutil.Process]:
    """This script's child processes (Playwright's driver and Chromium), not the server."""
    try:
        return [p for p in psutil.Process().children(recursive=True) if p.pid not in exclude]
    except psutil.NoSuchProcess:
        return []


def chromium_processes(exclude: set[int]) -> list[psutil.Process]:
    found = []
    for process in own_descendants(exclude):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            if "chrom" in process.name().lower():
                found.append(process)
    return found


def end_leftovers(exclude: set[int]) -> None:
    """Terminate any process this script started that is still running (by pid)."""
    for process in own_descendants(exclude):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            process.terminate()
    psutil.wait_procs(own_descendants(exclude), timeout=5)
    for process in own_descendants(exclude):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            process.kill()


def machine_busy() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


class RssSampler(threading.Thread):
    """The server's resident memory every ``RSS_EVERY`` seconds, in the background."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.samples: list[float] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append(self.server.rss_mb())
            self._stop_event.wait(RSS_EVERY)

    def stop(self) -> list[float]:
        self._stop_event.set()
        self.join(timeout=5)
        return self.samples


# -- environment -----------------------------------------------------------------------


def app_dir_for(ref: str | None, log_dir: Path) -> tuple[Path, str]:
    """Where the page is served from, and how to describe it."""
    if ref is None:
        return ROOT, f"working tree at {revision()}"
    app_dir = log_dir / "app"
    return app_dir, f"{export_revision(ref, app_dir)} (--ref {ref}, exported to {app_dir})"


def print_environment(measured: str, browser_version: str | None = None) -> None:
    now = datetime.datetime.now(datetime.UTC)
    print(f"date        {now:%Y-%m-%d %H:%M} UTC")
    print(f"machine     {cpu_model()}; os.cpu_count()={os.cpu_count()}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; memory "
          f"{psutil.virtual_memory().total / 2**30:.1f} GB")
    print(f"python      {platform.python_version()} ({platform.system()} {platform.release()})")
    browser = f"; chromium {browser_version} ({CHROMIUM}, headless)" if browser_version else ""
    print(f"versions    streamlit {package_version('streamlit')}, plotly {package_version('plotly')}, "
          f"numpy {package_version('numpy')}, playwright {package_version('playwright')}, "
          f"psutil {package_version('psutil')}{browser}")
    print(f"page        {measured}")


# -- the measurement ---------------------------------------------------------------------


def new_page(browser, url: str):
    """A new context (its own Streamlit session, empty cache) on ``url``, not waited for."""
    context = browser.new_context(viewport=dict(VIEWPORT))
    context.set_default_timeout(PLAYWRIGHT_TIMEOUT_MS)
    context.set_default_navigation_timeout(PLAYWRIGHT_TIMEOUT_MS)
    context.add_init_script(COUNTER_JS)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    return page


def wait_ready(page, name: str) -> None:
    page.wait_for_function(READY_JS, timeout=PLAYWRIGHT_TIMEOUT_MS)
    errors = page.locator(PAGE_ERROR)
    if errors.count():
        raise RuntimeError(f"{name} shows an error: {errors.first.inner_text()[:800]}")


def press_play(pages: list) -> None:
    for page in pages:
        page.get_by_role("button", name="Play", exact=True).click()
    for page in pages:
        page.get_by_role("button", name="Pause", exact=True).wait_for(timeout=PLAYWRIGHT_TIMEOUT_MS)


def snapshot(pages: list) -> list[dict]:
    return [page.evaluate(SNAPSHOT_JS) for page in pages]


def split_runs(deltas: list[dict]) -> None:
    """Sort each page's script runs into the frame fragment, other fragments and whole-page
    runs (done / labelled early). The fragment that ran most over all pages is the 0.1 s one."""
    totals: dict[str, int] = {}
    for d in deltas:
        for key, count in d["runs"].items():
            fragment = key.rsplit(":", 1)[0]
            if fragment != "page":
                totals[fragment] = totals.get(fragment, 0) + count
    ordered = sorted(totals, key=totals.get, reverse=True)
    names = {fragment: "frame" if k == 0 else "other" for k, fragment in enumerate(ordered)}
    names["page"] = "page"
    for d in deltas:
        split = {f"{name}:{how}": 0 for name in ("frame", "page", "other")
                 for how in ("done", "early")}
        for key, count in d["runs"].items():
            fragment, status = key.rsplit(":", 1)
            how = "early" if status in ("1", "2") else "done"
            split[f"{names.get(fragment, 'other')}:{how}"] += count
        d["split"] = split


def window(end: dict, t0: float, t1: float) -> dict:
    """One page's counts between wall times ``t0`` and ``t1``, from its log (every 0.5 s)."""
    log = end["log"]
    inside = [entry for entry in log if t0 <= entry[0] <= t1] or log[-2:]
    a, b = inside[0], inside[-1]
    runs = {k: b[3].get(k, 0) - a[3].get(k, 0) for k in set(a[3]) | set(b[3])}
    return {"seconds": max(1e-3, b[0] - a[0]), "frames": b[1] - a[1], "weights": b[2] - a[2],
            "runs": runs, "kb": (b[4] - a[4]) / 1024, "from": a[5], "to": b[5],
            "playing": end["playing"], "errors": end["errors"]}


def measure(browser, server: Server, args: argparse.Namespace, rss_idle: float) -> None:
    url = server.url + "/?" + urllib.parse.urlencode(PLAY_QUERY)
    started = time.monotonic()
    pages = [new_page(browser, url)]  # the first alone: it imports the page's modules
    wait_ready(pages[0], "page 1")
    rss_one = server.rss_mb()
    pages += [new_page(browser, url) for _ in range(args.pages - 1)]
    for k, page in enumerate(pages[1:], 2):
        wait_ready(page, f"page {k}")
    opened_s = time.monotonic() - started
    rss_open = server.rss_mb()
    sessions_open = active_sessions(server.url)
    press_play(pages)
    time.sleep(WARMUP_SECONDS)

    sampler = RssSampler(server)
    sampler.start()
    chromium = chromium_processes({p.pid for p in server.processes()})
    cpu0 = (server.cpu_seconds(), total_cpu(chromium), machine_busy(), time.time())
    time.sleep(args.seconds)
    cpu1 = (server.cpu_seconds(), total_cpu(chromium), machine_busy(), time.time())
    rss_samples = sampler.stop()
    browser_rss = total_rss_mb(chromium)
    time.sleep(0.6)  # the pages' next log entries
    ends = snapshot(pages)
    if not server.alive():
        raise RuntimeError("the server ended during the window (something outside stopped it?)")

    wall = cpu1[3] - cpu0[3]
    server_cpu, browser_cpu, machine_cpu = (cpu1[i] - cpu0[i] for i in range(3))
    deltas = [window(end, cpu0[3], cpu1[3]) for end in ends]
    split_runs(deltas)
    names = ("frame", "page", "other")

    def runs(d: dict, name: str) -> int:
        return d["split"][f"{name}:done"] + d["split"][f"{name}:early"]

    def rate(name: str) -> float:  # over all pages, per second
        return sum(runs(d, name) / d["seconds"] for d in deltas)

    print()
    print(f"{args.pages} page{'s' if args.pages > 1 else ''} (browser contexts in one Chromium), each on "
          f"?{urllib.parse.urlencode(PLAY_QUERY)} (XOR (2, 4, 1), 2 iterations per frame), Play "
          "pressed in every one;")
    print(f"all open and ready after {opened_s:.0f} s; a window of {wall:.1f} s from {WARMUP_SECONDS:g} s "
          "after the last page started playing. Per page and second, counted in the page:")
    print("   frames = changes of the Iteration metric; weights = new values in the weights view; "
          "script runs finished by the server (websocket):")
    print("   'frame' = the frame fragment (every live view), 'page' = whole-page runs; "
          "'early' = of those, how many ended as")
    print("   FINISHED_EARLY_FOR_RERUN (stopped by another rerun, or relabelled so because the next run "
          "started before they were sent).")
    print("   page  frames  weights   runs: frame  page  early    KB/s   Iteration          playing")
    for k, d in enumerate(deltas, 1):
        s, r = d["seconds"], d["split"]
        early = sum(v for key, v in r.items() if key.endswith(":early"))
        print(f"   {k:>4}  {d['frames'] / s:6.2f}  {d['weights'] / s:7.2f}         "
              f"{runs(d, 'frame') / s:5.2f}  {runs(d, 'page') / s:4.2f}  "
              f"{early / s:5.2f}  "
              f"{d['kb'] / s:6.0f}   {d['from']} -> {d['to']:<9} {'yes' if d['playing'] else 'NO'}"
              + (f"  ({d['errors']} errors shown)" if d["errors"] else ""))
    fps = [d["frames"] / d["seconds"] for d in deltas]
    total_fps = sum(fps)
    total_weights = sum(d["weights"] / d["seconds"] for d in deltas)
    total_runs = sum(rate(name) for name in names)
    early_runs = sum(sum(v for key, v in d["split"].items() if key.endswith(":early")) / d["seconds"]
                     for d in deltas)
    server_share = server_cpu / wall  # cores

    def per(count: float) -> float:
        return 1e3 * server_share / count if count else float("inf")

    ms_per_frame = per(total_fps)
    rss_play = max([*rss_samples, rss_open])  # the most, open or playing
    # The first session also imports the page's modules (numpy, pandas, plotly): only the others count.
    per_session = (rss_open - rss_one) / (args.pages - 1) if args.pages > 1 else None

    print()
    print(f"   all pages: {total_fps:.1f} frames/s shown (per page: min {min(fps):.2f}, median "
          f"{statistics.median(fps):.2f}, max {max(fps):.2f}), {total_weights:.1f} weights redraws/s;")
    print(f"   script runs {total_runs:.1f}/s: frame fragment {rate('frame'):.1f}, other fragments "
          f"{rate('other'):.1f}, whole page {rate('page'):.1f} ({early_runs:.1f}/s of them labelled early)")
    print(f"   server CPU {100 * server_share:.0f}% of a core: {ms_per_frame:.1f} ms per frame shown, "
          f"{per(total_runs):.1f} ms per script run (a fragment or the whole page)")
    print(f"   Chromium ({len(chromium)} processes) {100 * browser_cpu / wall:.0f}% of a core, "
          f"{1e3 * browser_cpu / wall / total_fps if total_fps else 0:.0f} ms per frame shown; "
          f"machine {100 * machine_cpu / wall:.0f}% of {100 * (os.cpu_count() or 1)}% "
          "(other sessions' work included)")
    print(f"   server memory (RSS): {rss_idle:.0f} MB started, {rss_one:.0f} MB with the first page, "
          f"{rss_open:.0f} MB with all {args.pages} open (active sessions {sessions_open}), "
          f"{max(rss_samples, default=rss_open):.0f} MB at most while playing;")
    print(f"   {'-' if per_session is None else f'{per_session:.1f}'} MB per further session; Chromium "
          f"{browser_rss:.0f} MB (sum of its processes' RSS)")

    every_page = min(fps)
    all_playing = all(d["playing"] for d in deltas)
    need = STUDENTS * STUDENT_FPS
    cores = need * ms_per_frame / 1e3
    print()
    print(f"Targets ({args.pages} page{'s' if args.pages > 1 else ''} playing):")
    print(f"   every page animating, >= {FPS_EACH_TARGET:g} frame/s (slowest page)       "
          f"{every_page:7.2f}/s  {mark(every_page >= FPS_EACH_TARGET and all_playing)}"
          + ("" if all_playing else "  (a page stopped playing)"))
    print(f"   server memory < {RSS_TARGET_MB:,.0f} MB (the most measured)           "
          f"{rss_play:7.0f} MB {mark(rss_play < RSS_TARGET_MB)}")
    print(f"   server CPU per frame served <= {MS_PER_FRAME_TARGET:g} ms                  "
          f"{ms_per_frame:7.1f} ms {mark(ms_per_frame <= MS_PER_FRAME_TARGET)}")
    print(f"   projection: {STUDENTS} students x {STUDENT_FPS:g} frames/s = {need:.0f} frames/s x "
          f"{ms_per_frame:.1f} ms = {cores:.2f} CPU s per s of {CORES} cores ({100 * cores / CORES:.0f}%: "
          f"{'fits' if cores <= CORES else 'does not fit'})"
          + ("" if per_session is None else f"; memory about {rss_one + (STUDENTS - 1) * per_session:.0f} "
             f"MB at {per_session:.1f} MB a session"))


def run(args: argparse.Namespace, log_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    app_dir, measured = app_dir_for(args.ref, log_dir)
    server = Server(log_dir, app_dir)
    exclude: set[int] = set()
    try:
        server.launch()
        startup = server.wait_healthy()
        exclude = {p.pid for p in server.processes()}
        time.sleep(1.0)
        rss_idle = server.rss_mb()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                         timeout=PLAYWRIGHT_TIMEOUT_MS)
            try:
                print_environment(measured, browser.version)
                print(f"server      {server.url}, /_stcore/health ok after {startup:.1f} s "
                      "(repository settings)")
                measure(browser, server, args, rss_idle)
            finally:
                with contextlib.suppress(Exception):
                    browser.close()
    finally:
        server.stop()
        end_leftovers(exclude)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10, help="browser pages playing at once (default 10)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window (default 20)")
    parser.add_argument("--ref", default=None, metavar="REV",
                        help="serve this commit (git archive into a temporary directory) instead of "
                        "the working tree: steady figures while others edit the page")
    args = parser.parse_args(argv)
    args.pages = min(40, max(1, args.pages))
    args.seconds = min(300.0, max(2.0, args.seconds))
    return run_measurement("nnplay load benchmark", 120 + 20 * args.pages + args.seconds,
                           lambda tmp: run(args, tmp))


if __name__ == "__main__":
    sys.exit(main())
