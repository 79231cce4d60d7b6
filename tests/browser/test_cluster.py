"""The playground through a local cluster (deploy/cluster.py): two replicas behind nginx with
cookie affinity, as docs/deploy.md sets it up.

One cluster for the module. Pages are driven by the page's contracts only (the buttons Play,
Pause, Step, Reset; the live numbers ``.nn-metric`` labelled Iteration and Error); which
replica holds a session is read from each replica's ``/_stcore/metrics`` (Streamlit 1.67:
``active_sessions`` and ``session_events_total`` by ``connect``, ``reconnect``, ``disconnect``).
The test that kills a replica comes last.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
import urllib.parse
import urllib.request

import pytest

from deploy.cluster import NGINX, Cluster, free_port
from nnplay.app import runfile
from nnplay.app.link import ViewOptions, parse_query
from nnplay.app.playground import Playground
from nnplay.config import RunConfig

from .conftest import in_ci
from .helpers import error_elements, error_texts, expect_rerun, wait_for_app

pytestmark = pytest.mark.timeout(300)
PLAYING = "?min=0&max=10000000&speed=2"  # never stops by itself
MAX_PAGES = 12
"""Pages opened one after another until both replicas hold one: a fresh random key each, so
all twelve on one replica has a chance of 1 in 2,048."""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Cluster:
    if not os.access(NGINX, os.X_OK):
        message = f"no nginx at {NGINX}: sudo apt-get install nginx"
        if in_ci():
            pytest.fail(message + " (CI is set, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(message)
    running = Cluster(replicas=2, port=free_port(), prefix=tmp_path_factory.mktemp("cluster"))
    try:
        running.start()
    except RuntimeError as problem:
        pytest.fail(f"the cluster did not start: {problem}", pytrace=False)
    yield running
    running.stop()


def metrics(url: str) -> dict[str, int]:
    """A replica's session gauges: ``active``, ``connect``, ``reconnect``, ``disconnect``."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url + "/_stcore/metrics", timeout=5) as response:
        text = response.read().decode()
    found = {"active": int(float(re.search(r"^active_sessions (\S+)", text, re.M).group(1)))}
    for kind in ("connect", "reconnect", "disconnect"):
        value = re.search(rf'^session_events_total{{type="{kind}"}} (\S+)', text, re.M)
        found[kind] = int(float(value.group(1)))
    return found


def all_metrics(cluster: Cluster) -> list[dict[str, int]]:
    return [metrics(replica.url) for replica in cluster.running if replica.process.poll() is None]


# The page's contracts only (DESIGN.md), so that these tests outlive the live views' rewrite:
# buttons by their role and name, numbers by .nn-metric cells (CSS locators pierce open shadow
# roots).

def number(page, label: str) -> str:
    """The text of the live number labelled exactly ``label``."""
    name = page.locator(".nn-metric-label").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    cell = page.locator(".nn-metric").filter(has=name).locator(".nn-metric-value").first
    return cell.inner_text(timeout=10_000).strip()


def iteration(page) -> int:
    return int(number(page, "Iteration").replace(",", ""))


def wait_for_iteration(page, ok, timeout: float = 60.0) -> int:
    """Poll the Iteration number until ``ok(it)``; return it."""
    deadline, seen = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            seen = iteration(page)
            if ok(seen):
                return seen
        page.wait_for_timeout(100)
    raise AssertionError(f"Iteration never satisfied the test within {timeout:g} s (last {seen})")


def button(page, label: str):
    """The visible button named ``label`` (while a page's live area is drawn again, say after
    it moved to another replica, a hidden copy may briefly sit beside it)."""
    return page.get_by_role("button", name=label, exact=True).filter(visible=True).first


def press(page, label: str) -> None:
    """Press Play, Pause or Step and wait for what it does: Pause shown, Play shown, or the
    next iteration."""
    if label == "Step":
        before = iteration(page)
        button(page, label).click()
        wait_for_iteration(page, lambda it: it == before + 1)
    else:
        # On a crowded machine a click can land while the page is between runs and be lost:
        # press again only while the button still reads the same.
        target = button(page, {"Play": "Pause", "Pause": "Play"}[label])
        for attempt in range(3):
            if attempt == 0 or button(page, label).is_visible():
                button(page, label).click()
            try:
                target.wait_for(timeout=20_000)
                break
            except Exception:
                if attempt == 2:
                    raise
    wait_for_app(page)


def open_on_a_replica(cluster: Cluster, new_page, query: str = "") -> tuple[object, int]:
    """A new student (browser context) through the proxy; which replica took the session."""
    before = [metrics(r.url)["connect"] for r in cluster.running]
    page = new_page()
    page.goto(cluster.url + "/" + query)
    wait_for_app(page)
    after = [metrics(r.url)["connect"] for r in cluster.running]
    grew = [k for k, (b, a) in enumerate(zip(before, after)) if a > b]
    assert len(grew) == 1, f"connects before {before}, after {after}"
    return page, grew[0]


def students_on_both(cluster: Cluster, new_page, query: str = "") -> dict[int, list]:
    """Pages opened one by one until each replica holds at least one: ``replica -> pages``."""
    pages: dict[int, list] = {0: [], 1: []}
    for _ in range(MAX_PAGES):
        page, replica = open_on_a_replica(cluster, new_page, query)
        pages[replica].append(page)
        if pages[0] and pages[1]:
            return pages
    raise AssertionError(f"{MAX_PAGES} pages all went to one replica: no balancing")


def upload_points(page, tmp_path) -> None:
    """Choose the problem 'Points: your own (drawn or CSV)' and upload 30 points."""
    page.get_by_test_id("stSelectbox").filter(has_text="Problem").click()
    with expect_rerun(page):
        page.get_by_role("option", name="Points: your own (drawn or CSV)").click()
    points = tmp_path / "points.csv"
    points.write_text("x1,x2,label\n" + "".join(f"{k % 7},{k % 5},{k % 2}\n" for k in range(30)))
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Points (CSV")
    with expect_rerun(page):
        uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(points)
    page.get_by_text("Loaded 30 points").wait_for(timeout=30_000)


def drop_websocket(page) -> None:
    """Close the page's websocket from the browser's side, as a dropped network does."""
    closed = page.evaluate("""() => {
        const open = (window.__nnplaySockets || []).filter(s => s.readyState === 1);
        open.forEach(s => s.close());
        return open.length;
    }""")
    assert closed == 1, f"expected one open websocket, closed {closed}"


KEEP_SOCKETS = """(() => {
  const Native = window.WebSocket;
  window.__nnplaySockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__nnplaySockets.push(this); }
  };
})();"""


# -- the tests ----------------------------------------------------------------------------

def test_students_spread_over_the_replicas_and_each_plays(cluster, new_page):
    pages = students_on_both(cluster, new_page, PLAYING)
    counts = [m["active"] for m in all_metrics(cluster)]
    assert counts == [len(pages[0]), len(pages[1])]
    for page in pages[0][:1] + pages[1][:1]:
        press(page, "Play")
        wait_for_iteration(page, lambda it: it >= 10)
        press(page, "Pause")
        assert error_elements(page) == 0, error_texts(page)
    assert [m["active"] for m in all_metrics(cluster)] == counts  # nobody moved


def test_a_csv_and_a_saved_run_upload_through_the_proxy(cluster, new_page, tmp_path):
    page, _ = open_on_a_replica(cluster, new_page)
    upload_points(page, tmp_path)
    assert error_elements(page) == 0, error_texts(page)

    saved = Playground(RunConfig(), ViewOptions())
    saved.step(7)
    run = tmp_path / "run.json"
    run.write_text(runfile.save(saved.config, saved.view, saved.trainer, None))
    page.get_by_text("Keep your work").click()
    loader = page.get_by_test_id("stFileUploader").filter(has_text="Load a run")
    with expect_rerun(page):
        loader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(run)
    wait_for_iteration(page, lambda it: it == 7)
    assert error_elements(page) == 0, error_texts(page)


def test_a_dropped_websocket_reconnects_to_its_own_session(cluster, new_page, tmp_path):
    page = new_page()
    page.add_init_script(KEEP_SOCKETS)
    before = [metrics(r.url) for r in cluster.running]
    page.goto(cluster.url + "/")
    wait_for_app(page)
    replica = next(k for k, r in enumerate(cluster.running)
                   if metrics(r.url)["connect"] > before[k]["connect"])
    upload_points(page, tmp_path)
    press(page, "Step")
    error_text = number(page, "Error")
    at_drop = metrics(cluster.running[replica].url)

    drop_websocket(page)
    deadline = time.monotonic() + 30
    while metrics(cluster.running[replica].url)["reconnect"] == at_drop["reconnect"]:
        assert time.monotonic() < deadline, "the page did not reconnect within 30 s"
        time.sleep(0.2)
    after = metrics(cluster.running[replica].url)
    assert after["connect"] == at_drop["connect"]  # the same session, not a new one
    assert after["active"] == at_drop["active"]
    wait_for_app(page)
    # The uploaded points are still there in the same session.
    press(page, "Step")
    assert iteration(page) == 2
    assert number(page, "Error") != error_text
    assert page.get_by_text("Upload a CSV of points to learn them").count() == 0
    assert error_elements(page) == 0, error_texts(page)


def downloaded_weights(page, tmp_path) -> list:
    """The page's run as 'Download run (JSON)' saves it: its weights, as exact floats."""
    wait_for_app(page)
    download_button = page.get_by_role("button", name="Download run (JSON)")
    if not download_button.is_visible():
        page.get_by_text("Keep your work").click()
    download_button.wait_for(state="visible")
    with page.expect_download(timeout=60_000) as download:
        download_button.click()
    path = tmp_path / f"run-{time.monotonic_ns()}.json"
    download.value.save_as(path)
    return json.loads(path.read_text())["run"]["weights"]


def test_a_killed_replicas_students_come_back_where_they_were_and_the_others_see_nothing(
        cluster, new_page, tmp_path):
    pages = students_on_both(cluster, new_page, PLAYING)
    victim, survivor = 0, 1
    paused, playing = pages[victim][0], (pages[victim][1:] or [None])[0]
    if playing is None:  # a second student on the victim replica, playing
        for _ in range(MAX_PAGES):
            page, replica = open_on_a_replica(cluster, new_page, PLAYING)
            pages[replica].append(page)
            if replica == victim:
                playing = page
                break
    assert playing is not None, "no second page reached the victim replica"
    other = pages[survivor][0]

    press(paused, "Play")
    wait_for_iteration(paused, lambda it: it >= 8)
    press(paused, "Pause")
    reached = iteration(paused)
    paused.wait_for_url(re.compile(rf"[?&]at={reached}(&|$)"))  # the address holds it
    error_before = number(paused, "Error")
    press(playing, "Play")
    press(other, "Play")
    wait_for_iteration(other, lambda it: it >= 4)
    survivor_before = metrics(cluster.running[survivor].url)

    cluster.kill_replica(victim)
    # The paused student: a new session on the other replica, from the address, at
    # iteration it reached with the same weights (the same error, to the last printed digit).
    wait_for_iteration(paused, lambda it: it == reached, timeout=90)
    assert number(paused, "Error") == error_before
    button(paused, "Play").wait_for(timeout=30_000)
    # The playing student: back on the other replica with the link's run.
    button(playing, "Play").wait_for(timeout=90_000)
    wait_for_app(playing)
    for page in (paused, playing):
        assert error_elements(page) == 0, error_texts(page)
    # The other replica's student saw nothing: still playing, never reconnected.
    now = iteration(other)
    wait_for_iteration(other, lambda it: it > now)
    assert button(other, "Pause").is_visible()
    survivor_after = metrics(cluster.running[survivor].url)
    assert survivor_after["reconnect"] == survivor_before["reconnect"]
    assert survivor_after["disconnect"] == survivor_before["disconnect"]
    # The two newcomers connect (a page coming over may connect more than once as its
    # websocket retries through nginx; that is theirs, not the other student's).
    assert survivor_after["connect"] >= survivor_before["connect"] + 2
    with contextlib.suppress(Exception):
        press(other, "Pause")

    # Bit for bit: the weights the page saves are those of the link's run stepped as far here.
    # (A page that failed over downloads nothing from a lazy download button in Streamlit 1.67
    # until it is reloaded; the reload is a new session from the same address, at= again.)
    paused.reload()
    wait_for_iteration(paused, lambda it: it == reached)
    expected = Playground(parse_query(urllib.parse.parse_qs(urllib.parse.urlsplit(
        paused.url).query)).config)
    expected.step(reached)
    assert downloaded_weights(paused, tmp_path) == [w.tolist() for w in expected.trainer.network.weights]

