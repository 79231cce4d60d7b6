"""The live area, old design against new, side by side in one run (headless Chromium).

Run from the repository root:

    python benchmarks/live.py                    # the working tree against --old 4ed138c
    python benchmarks/live.py --rounds 5         # more windows of a page playing: steadier
    python benchmarks/live.py --old REV --new REV

``--old`` is the last commit of the server-rendered live area (each frame a script run
that sends the whole area as HTML and SVG); the new design is the browser component fed
with compact frames, several per script run. Each is served by its own Streamlit server
and measured the same way, one after the other, in alternating order:

1. **First visit**: seconds from navigation until the views are drawn (the diagram's
   node maps and the truth table) and until Play can be pressed.
2. **One page playing XOR** (speed 2, never stopping) in ``--rounds`` windows of
   ``--seconds`` each, the designs in turn, taken together: frames shown
   (distinct values of the Iteration metric, read in the page when it changes), the
   server's CPU, Chromium's CPU (every process Playwright started) and the bytes sent to
   the browser: the websocket's payloads as the page gets them, and what went over the
   wire (a counting TCP relay between browser and server), each per frame shown; and the
   messages the page sends the server (while playing, each asks for a script run). The new
   design asks for a batch of 160 frames every 16 s (the spiral's about 130 every 13 s:
   a batch stops growing after 0.3 s of training), and each script run costs Chromium
   80-150 ms: a window of 32 s (the default) holds two of XOR's whatever its phase (two or
   three of the spiral's), and windows of other lengths vary by a script run's share, up
   to a millisecond a frame; several windows are pooled all the same.
3. **One page playing the 500-point spiral** (sin features, (4, 8, 8, 1), 100 x 100
   surface): the same; and again with the page scrolled 700 px down, to the surface, the
   curve and the weights (the new design draws only the views in sight while a run plays:
   at the top of a 1280x800 page the weights are out of sight; scrolled down, every view but
   the diagram's top half is in sight, counting 200 px beyond the screen).
4. **Ten pages playing XOR on one server**: the server's CPU per frame shown (all pages
   together) and the slowest page's frames per second.
5. **A page that does not play**: Chromium's CPU per second, XOR shown and left alone
   (the baseline every frame adds to).
6. **Latency**, timed in the page: from pressing Pause to the last change of the Iteration
   metric, from pressing Step to the next iteration drawn, and from the Enter key of a new
   learning rate to its metric drawn.

Targets (issue "Live views in the browser"): server CPU per frame <= 2.5 ms (XOR) and
<= 4 ms (spiral); Chromium CPU <= 15 ms per frame; <= 3 KB sent per XOR frame; ten pages
<= 3 ms per frame served with every page >= 2 frames/s; views drawn <= 2 s, Play usable
<= 2.5 s; the view frozen within 100 ms of Pause, Step and a new learning rate shown within
300 ms. It always exits 0 (a measurement, not a test).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from harness import CHROMIUM, CHROMIUM_ARGS, ROOT, VIEWPORT, Server, export_revision, run_measurement

XOR = {"min": "0", "max": "10000000", "speed": "2"}
SPIRAL = {"data": "spiral", "points": "500", "split": "0.5", "hidden": "8,8",
          "feat": "x1,x2,sin_x1,sin_x2", "opt": "adam", "lr": "0.03", "loss": "cross_entropy",
          "min": "0", "max": "10000000", "speed": "2"}
WARMUP = 2.0

# Installed before the page's scripts: the Iteration metric's text (in the document or the live
# area's open shadow root) kept each time it changes. A MutationObserver reads it when it
# changes, so the page is not woken to be sampled (a query every 20 ms cost the page about 12 ms
# of Chromium CPU a second, 1.2 ms of every frame shown, in both designs alike): it watches the
# value's text, and the root that holds it for elements added or removed (the old design
# replaces the whole area every frame), not every text in the root (the weight cells' would
# make a hundred records a frame). The root is looked for four times a second until found.
SAMPLER = """
window.__shown = [];
{
  let root = null, value = null;
  const observer = new MutationObserver(() => read());
  const read = () => {
    if (!value || !value.isConnected) {
      const cell = [...root.querySelectorAll('.nn-metric')]
        .find(m => m.querySelector('.nn-metric-label').textContent === 'Iteration');
      value = cell ? cell.querySelector('.nn-metric-value') : null;
      if (!value) return;
      observer.observe(value, { characterData: true, subtree: true });
    }
    const shown = window.__shown, text = value.textContent;
    if (text && shown[shown.length - 1] !== text) shown.push(text);
  };
  const find = () => {
    if (root && (root === document || root.host.isConnected)) return;
    observer.disconnect();
    value = null;
    root = [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot)
      .filter(Boolean)].find(r => r.querySelector('.nn-metric')) || null;
    if (!root) return;
    observer.observe(root, { childList: true, subtree: true });
    read();
  };
  window.__sample = setInterval(find, 250);
}
// Messages the page sends the server: while a run plays, each asks for a script run (the
// component's request for more frames).
window.__sends = 0;
{
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) { window.__sends++; return send.apply(this, args); };
}
"""
DRAWN = """() => {
  const roots = [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot).filter(Boolean)];
  // the node maps: an svg image each (4ed138c and the first component), or painted on a canvas
  const maps = r => Math.max(r.querySelectorAll('svg[data-view="diagram"] image[href]').length,
                             Number(r.querySelector('canvas.nn-maps')?.dataset.maps || 0));
  return roots.some(r => maps(r) >= 7
                    && r.querySelectorAll('table[data-view="table"] tbody tr').length >= 2);
}"""


class CountingProxy:
    """A TCP relay in front of a server that counts the bytes it sends the browser: what
    goes over the wire (after websocket compression, when the server compresses)."""

    def __init__(self, target_url: str) -> None:
        host, port = target_url.rsplit("//", 1)[1].split(":")
        self.target = (host, int(port))
        self.sent = 0
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            client, _ = listener.accept()
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if counted:
                    self.sent += len(data)
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@dataclass
class Window:
    frames: int
    seconds: float
    server_ms: float
    chromium_ms: float
    kbytes: float
    wire_kbytes: float
    slowest_fps: float
    sends: int = 0

    def per_frame(self, total: float) -> float:
        return total / max(1, self.frames)


def pooled(windows: list[Window]) -> Window:
    """Windows of the same thing as one: totals over all frames shown (the slowest page's rate:
    the lowest)."""
    total = {f: sum(getattr(w, f) for w in windows)
             for f in ("frames", "seconds", "server_ms", "chromium_ms", "kbytes", "wire_kbytes", "sends")}
    return Window(**total, slowest_fps=min(w.slowest_fps for w in windows))


def chromium_cpu() -> float:
    total = 0.0
    for child in psutil.Process(os.getpid()).children(recursive=True):
        try:
            if "chrom" in child.name():
                times = child.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass
    return total


def open_page(browser, server, query: dict[str, str]):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(SAMPLER)
    received = [0]
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.__setitem__(
        0, received[0] + len(p))))
    query_string = "&".join(f"{k}={v}" for k, v in query.items())
    began = time.monotonic()
    page.goto(f"{server.url}/?{query_string}")
    page.wait_for_function(DRAWN, timeout=120_000, polling=20)
    drawn = time.monotonic() - began
    play = page.get_by_role("button", name="Play", exact=True)
    play.wait_for(timeout=60_000)
    page.wait_for_function("() => true")
    play.click(trial=True, timeout=60_000)  # enabled and hit-testable: it can be pressed
    usable = time.monotonic() - began
    return context, page, received, drawn, usable


# The page's main scroller (Streamlit's, not the sidebar's) scrolled to ``px``.
SCROLL = """(px) => {
  const main = [...document.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 100
    && /auto|scroll/.test(getComputedStyle(e).overflowY) && !e.closest('[data-testid="stSidebar"]'));
  main.scrollTop = px;
}"""


def play(browser, server: Server, query: dict[str, str], pages: int, seconds: float,
         scroll: int = 0) -> Window:
    proxy = CountingProxy(server.url)
    opened = [open_page(browser, proxy, query) for _ in range(pages)]
    for _, page, *_ in opened:
        page.get_by_role("button", name="Play", exact=True).click()
        if scroll:
            page.evaluate(SCROLL, scroll)
    time.sleep(WARMUP)
    start_shown = [len(page.evaluate("window.__shown")) for _, page, *_ in opened]
    start_bytes = [received[0] for _, _, received, *_ in opened]
    start_sends = sum(page.evaluate("window.__sends") for _, page, *_ in opened)
    server0, chromium0, began = server.cpu_seconds(), chromium_cpu(), time.monotonic()
    wire0 = proxy.sent
    time.sleep(seconds)
    server1, chromium1, took = server.cpu_seconds(), chromium_cpu(), time.monotonic() - began
    wire = proxy.sent - wire0
    shown = [len(page.evaluate("window.__shown")) - s for (_, page, *_), s in zip(opened, start_shown)]
    kbytes = sum(r[0] for _, _, r, *_ in opened) - sum(start_bytes)
    sends = sum(page.evaluate("window.__sends") for _, page, *_ in opened) - start_sends
    for context, *_ in opened:
        context.close()
    return Window(sum(shown), took, (server1 - server0) * 1000, (chromium1 - chromium0) * 1000,
                  kbytes / 1024, wire / 1024, min(shown) / took, sends)


def idle(browser, server: Server, seconds: float) -> float:
    """Chromium's CPU (ms per second) for a page that shows XOR and does not play."""
    context, *_ = open_page(browser, server, {})
    time.sleep(WARMUP)
    chromium0, began = chromium_cpu(), time.monotonic()
    time.sleep(seconds)
    used = (chromium_cpu() - chromium0) * 1000 / (time.monotonic() - began)
    context.close()
    return used


# In the page: press a button (in the document or the live area's shadow root) and time, from
# the press, the changes of the Iteration metric over ``ms`` milliseconds.
PRESS_AND_WATCH = """async ([label, ms]) => {
  const roots = [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot).filter(Boolean)];
  const button = roots.flatMap(r => [...r.querySelectorAll('button')])
    .find(b => b.textContent.trim() === label);
  const read = () => {
    for (const r of roots) {
      const cell = [...r.querySelectorAll('.nn-metric')]
        .find(m => m.querySelector('.nn-metric-label').textContent === 'Iteration');
      if (cell) return cell.querySelector('.nn-metric-value').textContent;
    }
  };
  const changes = [], start = performance.now();
  let last = read();
  button.click();
  while (performance.now() - start < ms) {
    await new Promise(r => setTimeout(r, 5));
    const now = read();
    if (now !== last) { changes.push([performance.now() - start, now]); last = now; }
  }
  return changes;
}"""


WATCH_RATE = """(value) => {
  // Timed in the page, from the Enter key to the metric showing the value: the roots are
  // found once (a full-page scan every poll would itself slow the page down).
  const roots = [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot).filter(Boolean)];
  window.__enterAt = window.__shownAt = null;
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') window.__enterAt = performance.now();
  }, { capture: true, once: true });
  const poll = () => {
    for (const r of roots) {
      for (const v of r.querySelectorAll('.nn-metric-value')) {
        if (v.textContent === value) { window.__shownAt = performance.now(); return; }
      }
    }
    setTimeout(poll, 2);
  };
  poll();
}"""


def latencies(browser, server: Server) -> dict[str, float]:
    """Milliseconds from a press to what it shows: Pause (the last change of the iteration
    after it), Step (the next iteration drawn), a new learning rate (its metric drawn)."""
    context, page, *_ = open_page(browser, server, {**XOR, "speed": "1"})
    out = {}
    page.get_by_role("button", name="Play", exact=True).click()
    time.sleep(2.0)
    changes = page.evaluate(PRESS_AND_WATCH, ["Pause", 1500])
    out["pause"] = changes[-1][0] if changes else 0.0
    time.sleep(0.5)
    changes = page.evaluate(PRESS_AND_WATCH, ["Step", 3000])
    out["step"] = changes[0][0] if changes else float("nan")
    box = page.get_by_test_id("stSidebar").get_by_role("spinbutton", name="η exactly (type any value)")
    box.fill("0.37")
    page.evaluate(WATCH_RATE, "0.37")
    box.press("Enter")
    page.wait_for_function("() => window.__shownAt !== null", timeout=30_000)
    out["rate"] = page.evaluate("window.__shownAt - window.__enterAt")
    context.close()
    return out


def first_visit(browser, server: Server) -> tuple[float, float]:
    context, _, _, drawn, usable = open_page(browser, server, {})
    context.close()
    return drawn, usable


def measure(args: argparse.Namespace, tmp: Path) -> None:
    from playwright.sync_api import sync_playwright

    servers = {}
    for name, ref in (("old", args.old), ("new", args.new)):
        app_dir = ROOT
        if ref:
            app_dir = tmp / name
            export_revision(ref, app_dir)
        servers[name] = Server(tmp, app_dir=app_dir, name=name)
        servers[name].launch()
    for server in servers.values():
        server.wait_healthy()
    print(f"old: {args.old}; new: {args.new or 'the working tree'}; {os.cpu_count()} cores; "
          f"{args.seconds:g} s windows, {WARMUP:g} s warm-up each\n")
    results: dict[str, dict[str, object]] = {name: {} for name in servers}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            order = ["old", "new"]
            for name in order:  # the cold first run of each server: imports, not measured
                first_visit(browser, servers[name])
            parts = [("visit", lambda s: [first_visit(browser, s) for _ in range(3)]),
                     ("idle", lambda s: idle(browser, s, args.seconds))]
            for _ in range(args.rounds):  # a page playing: windows of each design in turn
                parts += [("xor", lambda s: play(browser, s, XOR, 1, args.seconds)),
                          ("spiral", lambda s: play(browser, s, SPIRAL, 1, args.seconds)),
                          ("down", lambda s: play(browser, s, SPIRAL, 1, args.seconds, scroll=700))]
            parts += [("ten", lambda s: play(browser, s, XOR, 10, args.seconds)),
                      ("latency", lambda s: [latencies(browser, s) for _ in range(3)])]
            for part, run in parts:
                for name in order:
                    print(f"  {part}: {name} ...", flush=True)
                    results[name].setdefault(part, []).append(run(servers[name]))
                order.reverse()  # alternate which goes first
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    report(results)


def report(results: dict[str, dict[str, object]]) -> None:
    def row(label: str, values: dict[str, float], target: float | None, fmt: str = "{:.1f}") -> None:
        old, new = values["old"], values["new"]
        mark = "" if target is None else ("PASS" if new <= target else "MISS")
        target_text = "" if target is None else f"<= {target:g}"
        print(f"| {label} | {fmt.format(old)} | {fmt.format(new)} | {old / new if new else 0:.1f}x "
              f"| {target_text} {mark} |")

    windows = {k: {part: [w.per_frame(w.chromium_ms) for w in results[k][part]]
                   for part in ("xor", "spiral", "down")} for k in results}
    results = {k: {part: pooled(v) if part in ("xor", "spiral", "down", "ten") else v[0]
                   for part, v in by_part.items()} for k, by_part in results.items()}
    print("| per frame shown | old | new | old / new | target |")
    print("| --- | --- | --- | --- | --- |")
    for part, label in (("xor", "XOR"), ("spiral", "500-point spiral")):
        w = {k: results[k][part] for k in results}
        row(f"server CPU, {label} (ms)", {k: v.per_frame(v.server_ms) for k, v in w.items()},
            2.5 if part == "xor" else 4.0, "{:.2f}")
        row(f"Chromium CPU, {label} (ms)", {k: v.per_frame(v.chromium_ms) for k, v in w.items()},
            15.0)
        row(f"sent, {label} (KB, websocket payloads)", {k: v.per_frame(v.kbytes) for k, v in
                                                        w.items()}, None, "{:.2f}")
        row(f"sent, {label} (KB on the wire)", {k: v.per_frame(v.wire_kbytes) for k, v in w.items()},
            3.0 if part == "xor" else None, "{:.2f}")
        row(f"frames shown per second, {label}", {k: v.frames / v.seconds for k, v in w.items()},
            None)
        row(f"messages to the server per frame shown, {label} (script runs asked)",
            {k: v.per_frame(v.sends) for k, v in w.items()}, None, "{:.3f}")
    down = {k: results[k]["down"] for k in results}
    row("Chromium CPU, 500-point spiral, the page scrolled down 700 px (ms)",
        {k: v.per_frame(v.chromium_ms) for k, v in down.items()}, None)
    ten = {k: results[k]["ten"] for k in results}
    row("ten pages: server CPU per frame served (ms)", {k: v.per_frame(v.server_ms) for k, v in
                                                        ten.items()}, 3.0, "{:.2f}")
    print(f"| ten pages: the slowest page's frames/s | {ten['old'].slowest_fps:.1f} | "
          f"{ten['new'].slowest_fps:.1f} | | >= 2 {'PASS' if ten['new'].slowest_fps >= 2 else 'MISS'} |")
    row("a page that does not play: Chromium CPU (ms per second)",
        {k: results[k]["idle"] for k in results}, None)
    visits = {k: results[k]["visit"] for k in results}
    row("first visit: views drawn (s, median of 3)",
        {k: statistics.median(d for d, _ in v) for k, v in visits.items()}, 2.0, "{:.2f}")
    row("first visit: Play usable (s, median of 3)",
        {k: statistics.median(u for _, u in v) for k, v in visits.items()}, 2.5, "{:.2f}")
    for name, label, target in (("pause", "Pause: the view frozen after (ms, median of 3)", 100),
                                ("step", "Step: the next iteration shown after (ms)", 300),
                                ("rate", "a new learning rate shown after (ms)", 300)):
        row(label, {k: statistics.median(t[name] for t in results[k]["latency"]) for k in results},
            target, "{:.0f}")
    print("\nChromium CPU per frame in each window (ms): " + "; ".join(
        f"{part} {k} {', '.join(f'{v:.1f}' for v in windows[k][part])}"
        for part in ("xor", "spiral", "down") for k in windows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", default="4ed138c", metavar="REV")
    parser.add_argument("--new", default=None, metavar="REV", help="default: the working tree")
    parser.add_argument("--seconds", type=float, default=32.0)
    parser.add_argument("--rounds", type=int, default=2,
                        help="windows of a page playing XOR and the spiral, per design (pooled)")
    args = parser.parse_args(argv)
    return run_measurement("nnplay live area: the server-rendered page against the component",
                           # twice what a run takes here: a stop for a hang, not a slow machine
                           2 * (300 + args.rounds * (6 * args.seconds + 48) + 4 * args.seconds),
                           lambda tmp: measure(args, tmp))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
