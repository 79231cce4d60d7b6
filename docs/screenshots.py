"""Regenerate the README's screenshots of the page from a real browser.

    python docs/screenshots.py

Starts the page on a free port, opens it in Debian's headless Chromium
(1280x800, a projector's size) and saves four pictures beside this file:
idle (the first screen), mid-training and solved XOR, and a learned spiral. Look at them before
committing them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("NNPLAY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# The spiral, 500 points half held out, learned from sin features (as the browser test does).
SPIRAL = ("data=spiral&points=500&split=0.5&hidden=8,8&feat=x1,x2,sin_x1,sin_x2&opt=adam"
          "&lr=0.03&loss=cross_entropy&min=0&max=600&speed=max&seed=1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("the page did not start within 60 s")


def iteration(page) -> int:
    metric = page.locator('[data-view="metrics"] .nn-metric').filter(has_text="Iteration")
    return int(metric.locator(".nn-metric-value").inner_text().replace(",", ""))


def settle(page) -> None:
    page.wait_for_function("""() =>
        document.querySelector('svg[data-view="weights"]') !== null
        && document.querySelector('svg[data-view="diagram"]') !== null""", timeout=30_000)
    page.wait_for_timeout(800)


def main() -> None:
    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"http://127.0.0.1:{port}/?speed=1")
            settle(page)
            page.screenshot(path=OUT / "idle.png")
            page.get_by_role("button", name="Play", exact=True).click()
            page.wait_for_function("""() => {
                const m = [...document.querySelectorAll('[data-view="metrics"] .nn-metric')]
                    .find(e => e.innerText.includes('Iteration'));
                return m && parseInt(m.querySelector('.nn-metric-value').innerText) >= 30;
            }""", timeout=60_000)
            page.get_by_role("button", name="Pause", exact=True).click()
            settle(page)
            page.screenshot(path=OUT / "training.png")
            page.get_by_role("button", name="Play", exact=True).click()
            page.get_by_text("reached the minimum error").wait_for(timeout=120_000)
            settle(page)
            page.screenshot(path=OUT / "solved.png")
            solved_at = iteration(page)
            page.goto(f"http://127.0.0.1:{port}/?{SPIRAL}")
            settle(page)
            page.get_by_role("button", name="Play", exact=True).click()
            page.get_by_text("Stopped at the maximum of 600").wait_for(timeout=120_000)
            settle(page)
            page.screenshot(path=OUT / "spiral.png")
            print(f"saved idle.png, training.png, solved.png (XOR solved at iteration {solved_at}) "
                  f"and spiral.png in {OUT}")
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
