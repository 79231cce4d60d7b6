"""Regenerate the README's screenshots of the page from a real browser.

    python docs/screenshots.py

Starts the page on a free port, opens it in Debian's headless Chromium
(1280x800, a projector's size) and saves four pictures beside this file:
idle (the first screen), mid-training and solved XOR, and a learned spiral; then solved XOR
on a touch phone (390x844) and a touch tablet (768x1024); a hand-drawn problem learned
(drawn.png); the weight panel over a run with a weight set by hand and a neuron switched off
(edit.png); and a node's panel (inspect.png). Look at them before committing them.
``python docs/screenshots.py phone tablet drawn edit inspect`` takes only those.
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
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
TABLET = {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True}
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
    # The live area sits in a shadow root: Playwright's locators pierce it, querySelector not.
    page.locator('svg[data-view="weights"]').first.wait_for(timeout=30_000)
    page.locator('svg[data-view="diagram"]').wait_for(timeout=30_000)
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    page.wait_for_timeout(800)


def solve_xor(page, url: str) -> None:
    page.goto(url)
    settle(page)
    page.get_by_role("button", name="Play", exact=True).click()
    page.mouse.move(1, 1)  # not resting on Play: its hover colour would show
    page.get_by_text("reached the minimum error").wait_for(timeout=120_000)
    settle(page)


def small_screens(browser, base: str, which: set[str]) -> None:
    """Solved XOR on a phone and on a tablet: the first screen a student sees."""
    if "phone" in which:
        phone = browser.new_context(**PHONE).new_page()
        solve_xor(phone, base)
        phone.screenshot(path=OUT / "phone.png")
    if "tablet" in which:
        tablet = browser.new_context(**TABLET).new_page()
        solve_xor(tablet, base)
        tablet.screenshot(path=OUT / "tablet.png")


# Two blobs of the point set, then four points drawn in the empty corners: an XOR of blobs.
DRAWN = "data=gaussians&points=40&seed=2&lr=0.03&min=0.5&max=3000&speed=max"
DRAWN_POINTS = ((-3.5, 3.5), (-4.5, 4.5), (3.5, -3.5), (4.5, -4.0))  # all of class 1


def drawn(browser, base: str) -> None:
    """A problem drawn by hand on the decision surface (draw mode on), then learned."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base + "?" + DRAWN)
    settle(page)
    page.locator(".nn-draw-toggle").click()
    page.get_by_role("button", name="Draw class 1").click()
    surface = page.locator('svg[data-view="surface"]')
    for n, (x, y) in enumerate(DRAWN_POINTS, start=41):
        surface.evaluate("e => e.scrollIntoView({block: 'center'})")  # the whole square in view
        box = surface.bounding_box()  # again each time: a sentence above may move it down
        scale = box["width"] / 260  # live.js's surface: a 212-unit square at (40, 10)
        page.mouse.click(box["x"] + (40 + (x + 6) / 12 * 212) * scale,
                         box["y"] + (10 + (6 - y) / 12 * 212) * scale)
        surface.locator("circle").nth(n - 1).wait_for(timeout=30_000)
    settle(page)
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_text("Stopped at").wait_for(timeout=120_000)
    page.mouse.move(1, 1)
    settle(page)
    surface.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    page.screenshot(path=OUT / "drawn.png")


EDITED = "off=h3@10&edit=2.0.1@10:-1.5&at=40&speed=1"
"""Fast XOR with h3 switched off and W2[0, 1] set to -1.5 at iteration 10, paused at 40."""
INSPECTED = "hidden=3&lr=2&seed=3&at=60&speed=1"
"""XOR with three hidden neurons, paused at iteration 60."""


def panel_screen(browser, base: str, query: str, click: str, panel: str, shows: str, name: str,
                 block: str = "start") -> None:
    """A paused run with a panel open: ``click`` (a CSS selector) pressed, the panel
    (``data-view``) showing ``shows``, scrolled into view and saved as ``name``."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base + "?" + query)
    settle(page)
    page.locator(click).click()
    box = page.locator(f'[data-view="{panel}"]')
    box.get_by_text(shows).first.wait_for(timeout=30_000)
    page.mouse.move(1, 1)  # no tooltip over the picture
    box.evaluate(f"e => e.scrollIntoView({{block: '{block}'}})")
    page.wait_for_timeout(800)
    page.screenshot(path=OUT / name)


def main() -> None:
    which = set(sys.argv[1:]) or {"desktop", "phone", "tablet", "drawn", "edit", "inspect"}
    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            small_screens(browser, f"http://127.0.0.1:{port}/", which)
            if "drawn" in which:
                drawn(browser, f"http://127.0.0.1:{port}/")
            if "edit" in which:  # the weight panel: a cell of W1 clicked on the edited run
                panel_screen(browser, f"http://127.0.0.1:{port}/", EDITED,
                             'svg[data-view="weights"] rect[data-weight="1:1:0"]', "weight-edit",
                             "W1[1, 0]", "edit.png")
            if "inspect" in which:  # the node panel of h2: the next Step's numbers
                panel_screen(browser, f"http://127.0.0.1:{port}/", INSPECTED, '[data-node="h2"]',
                             "node-detail", "h2", "inspect.png", block="center")
            if "desktop" not in which:
                print(f"saved {', '.join(sorted(which))} in {OUT}")
                return
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"http://127.0.0.1:{port}/?speed=1")
            settle(page)
            page.screenshot(path=OUT / "idle.png")
            page.get_by_role("button", name="Play", exact=True).click()
            deadline = time.monotonic() + 60
            while iteration(page) < 30 and time.monotonic() < deadline:
                page.wait_for_timeout(50)
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
            # The first screen is the diagram of (4, 8, 8, 1): scroll to the surface, the curve
            # and the confusion matrix's caption above them.
            page.locator('svg[data-view="surface"]').evaluate("e => e.scrollIntoView({block: 'end'})")
            page.wait_for_timeout(500)
            page.screenshot(path=OUT / "spiral.png")
            print(f"saved idle.png, training.png, solved.png (XOR solved at iteration {solved_at}) "
                  f"and spiral.png in {OUT}")
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
