"""Small Playwright helpers for driving a Streamlit 1.67 page.

Every function takes ``root``: either a Playwright ``Page`` or a ``Locator`` that
scopes the search (e.g. ``page.get_by_test_id("stSidebar")`` or one column), so
that two metrics or buttons with the same label in different places can still be
told apart.

DOM facts verified against a live Streamlit 1.67.0 page in Debian's Chromium 156
(``page.content()`` dumped and grepped, and the frontend bundle grepped):

- ``[data-testid="stApp"]`` is the root element. It carries
  ``data-test-script-state`` = ``initial`` (before the first run), ``running``,
  ``notRunning`` (run finished), ``rerunRequested``, ``stopRequested`` or
  ``compilationError`` (the script has a syntax error), and
  ``data-test-connection-state`` = ``CONNECTED`` once the websocket is up
  (``PINGING_SERVER`` / ``CONNECTING`` before). ``wait_for_app`` waits for
  CONNECTED + a settled state. CAUTION: when a rerun is fast the frontend batches
  ``running``/``notRunning`` and the attribute never changes (seen in about half
  of the fast clicks), so it cannot tell whether a click's rerun has happened yet.
  ``click_button``/``expect_rerun`` therefore count the server's
  ``script_finished`` ForwardMsgs on the page's websocket (``RunTracker``), then
  wait for the settled DOM. Streamlit's own e2e suite uses a fixed ~210 ms wait
  instead.
- ``stStatusWidget`` (in the header) holds ``stStatusWidgetRunningIcon`` only while
  the script runs; it is gone once the run is over.
- ``stMetric`` > ``label[data-testid="stMetricLabel"]`` (text in a ``<p>``; a
  ``help=`` tooltip adds ``stTooltipIcon`` but no text) and
  ``stMetricValue`` (text in a ``<p>``); ``stMetricDelta`` when a delta is given.
  (The page's own live numbers are drawn by its component, in an open shadow root
  that Playwright's CSS locators pierce: ``[data-view="metrics"]`` > ``.nn-metric`` >
  ``.nn-metric-label`` and ``.nn-metric-value``; ``metric`` finds either kind. The
  transport, Play/Pause, Step, Step N and Reset, is the component's ``.nn-transport``.)
- ``stButton`` > ``button[data-testid="stBaseButton-secondary"]`` (``-primary`` for
  ``type="primary"``, by the naming scheme, not checked live); the label is the
  button's text/accessible name.
  Form submit buttons are ``stFormSubmitButton`` >
  ``button[data-testid="stBaseButton-secondaryFormSubmit"]``.
- ``st.title`` renders ``stHeading`` > ``h1`` with the text.
- An uncaught exception (and ``st.exception``) renders ``stException`` (containing
  ``stExceptionMessage``, ``stExceptionTraceRow``, and an ``stAlertContainer`` /
  ``stAlertContentError``, but NOT an ``stAlert``).
- ``st.error``/``warning``/``info``/``success`` render ``stAlert`` >
  ``stAlertContainer`` (role=alert) > ``stAlertContentError`` / ``...Warning`` /
  ``...Info`` / ``...Success``.
- A syntax error in the script shows a modal ``stDialog`` with ``stErrorCodeBlock``
  (no ``stException``) and the script state ``compilationError``.
- Each element sits in an ``stElementContainer`` with ``data-stale="true"`` while a
  rerun has not yet re-rendered it.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # helpers must import without Playwright so the tests can skip cleanly
    from playwright.sync_api import Locator, Page, WebSocket

# Script states after which nothing more will happen until the user acts.
SETTLED_SCRIPT_STATES = ("notRunning", "compilationError")

_APP_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  const state = app.getAttribute('data-test-script-state');
  return app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && (state === 'notRunning' || state === 'compilationError')
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]');
}"""

_TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _page_of(root: Page | Locator) -> Page:
    # A Locator has .page; a Page has not.
    return getattr(root, "page", root)


def _exact(text: str) -> re.Pattern[str]:
    return re.compile(r"^\s*" + re.escape(text) + r"\s*$")


# ------------------------------------------------------------------ run tracking


class RunTracker:
    """Counts the script runs of one page by reading Streamlit's websocket.

    Every run the server executes for this page ends with a ``script_finished``
    ForwardMsg; it is decoded with Streamlit's own protobuf classes. This is exact
    where the DOM is not: when a run is fast, the frontend batches the
    ``running``/``notRunning`` updates and ``data-test-script-state`` never changes.
    """

    def __init__(self) -> None:
        self.finished = 0  # every script_finished message
        self.completed = 0  # ... except runs cut short by a rerun (st.rerun, new input)
        self.statuses: list[str] = []

    def attach(self, websocket: WebSocket) -> None:
        if websocket.url.rstrip("/").endswith("/_stcore/stream"):
            websocket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        from google.protobuf.message import DecodeError
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg, ForwardMsgList

        try:
            msg = ForwardMsg.FromString(payload)
            messages = [msg] if msg.WhichOneof("type") else list(ForwardMsgList.FromString(payload).messages)
        except DecodeError:
            return
        for msg in messages:
            if msg.WhichOneof("type") != "script_finished":
                continue
            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            self.statuses.append(status)
            self.finished += 1
            if status != "FINISHED_EARLY_FOR_RERUN":
                self.completed += 1


_TRACKERS: weakref.WeakKeyDictionary[Page, RunTracker] = weakref.WeakKeyDictionary()


def track_runs(page: Page) -> RunTracker:
    """Start counting the page's script runs. Call before ``page.goto``.

    The ``page``/``new_page``/``app_page`` fixtures already do this.
    """
    tracker = _TRACKERS.get(page)
    if tracker is None:
        tracker = _TRACKERS[page] = RunTracker()
        page.on("websocket", tracker.attach)
    return tracker


def run_tracker(page: Page) -> RunTracker | None:
    return _TRACKERS.get(page)


def _wait_settled(page: Page, timeout: float) -> None:
    page.wait_for_function(_APP_SETTLED_JS, timeout=timeout)
    page.evaluate(_TWO_FRAMES_JS)  # let React paint what the last messages brought


@contextmanager
def expect_rerun(page: Page, *, timeout: float = 60_000) -> Iterator[None]:
    """Wrap an interaction that makes Streamlit rerun; on exit, that rerun is done.

        with expect_rerun(page):
            page.get_by_label("Learning rate").fill("0.5")

    With a tracked page (all fixture pages) this waits until the server has
    reported one more completed run and the DOM has settled; an untracked page
    falls back to Streamlit's own e2e heuristic (a short wait, then ``notRunning``).
    ``timeout`` is in milliseconds.
    """
    tracker = _TRACKERS.get(page)
    before = tracker.completed if tracker is not None else 0
    yield
    if tracker is None:
        page.wait_for_timeout(250)
    else:
        deadline = time.monotonic() + timeout / 1000
        while tracker.completed <= before:
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"no script run finished within {timeout} ms after the interaction "
                    f"(runs so far: {tracker.statuses})"
                )
            page.wait_for_timeout(20)
    _wait_settled(page, timeout)


# ------------------------------------------------------------------------ queries


def wait_for_app(page: Page, *, timeout: float = 60_000, require_metric: bool = True) -> None:
    """Wait until the app has connected and its (first or current) run is over.

    ``timeout`` is in milliseconds (Playwright's unit). With ``require_metric`` the
    page must also show its live numbers (or at least one ``stMetric``).
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    tracker = _TRACKERS.get(page)
    if tracker is not None:
        deadline = time.monotonic() + timeout / 1000
        while tracker.completed < 1 and time.monotonic() < deadline:
            page.wait_for_timeout(20)
    _wait_settled(page, timeout)
    if require_metric:
        page.locator(f"{LIVE_METRIC}, {ST_METRIC}").first.wait_for(state="visible", timeout=timeout)


LIVE_METRIC = '[data-view="metrics"] .nn-metric'
ST_METRIC = '[data-testid="stMetric"]'


def metric(root: Page | Locator, label: str) -> Locator:
    """The number whose label is exactly ``label``: one of the page's live numbers or an
    ``st.metric`` (strict: must be unique in root)."""
    label_loc = root.locator('.nn-metric-label, [data-testid="stMetricLabel"]').filter(
        has_text=_exact(label))
    # Not in an element a rerun has made stale: while a script run overlaps a fragment's run,
    # Streamlit can show the old copy beside the new for a moment.
    current = root.locator('[data-testid="stElementContainer"]:not([data-stale="true"])')
    return current.locator(f"{LIVE_METRIC}, {ST_METRIC}").filter(has=label_loc)


def metric_value(root: Page | Locator, label: str, *, timeout: float = 10_000) -> str:
    """The value's text of the number labelled exactly ``label``.

    Streamlit 1.67 can, for a moment after a page run that overlapped a fragment's run, show
    a second copy of the live area (seen once in CI after an upload): every copy must then
    show the same text."""
    value = metric(root, label).locator('.nn-metric-value, [data-testid="stMetricValue"]')
    deadline = time.monotonic() + timeout / 1000
    while True:  # (redrawn between finding and reading it: look again)
        value.first.wait_for(timeout=max(1.0, deadline - time.monotonic()) * 1000)
        texts = {t.strip() for t in value.all_inner_texts()}
        if texts or time.monotonic() > deadline:
            break
    assert len(texts) == 1, f"the copies of {label!r} disagree: {sorted(texts)}"
    return texts.pop()


def button(root: Page | Locator, label: str) -> Locator:
    """The ``st.button`` (or form submit button, or the live area's transport button) whose
    text is exactly ``label``."""
    containers = root.locator('[data-testid="stButton"], [data-testid="stFormSubmitButton"], '
                              '.nn-transport')
    return containers.get_by_role("button", name=label, exact=True)


def click_button(root: Page | Locator, label: str, *, wait: bool = True, timeout: float = 60_000) -> None:
    """Click the button labelled exactly ``label``.

    With ``wait`` (the default) this returns only after the rerun the click caused
    has finished (see ``expect_rerun``), so the page can be read right away.
    """
    target = button(root, label)
    if not wait:
        target.click(timeout=timeout)
        return
    with expect_rerun(_page_of(root), timeout=timeout):
        target.click(timeout=timeout)


def wait_for_metric(
    root: Page | Locator,
    label: str,
    predicate: Callable[[str], bool],
    timeout: float = 30_000,
) -> str:
    """Poll the metric ``label`` until ``predicate(value_text)`` is true; return the text.

    ``timeout`` is in milliseconds. Raises ``AssertionError`` with the last value seen.
    A predicate that raises (e.g. ``float("…")`` on a transient text) counts as false.
    """
    page = _page_of(root)
    deadline = time.monotonic() + timeout / 1000
    last: str | None = None
    last_error: Exception | None = None
    while True:
        try:
            last = metric_value(root, label, timeout=1_000)
            if predicate(last):
                return last
            last_error = None
        except Exception as exc:  # keep polling until the deadline
            last_error = exc
        if time.monotonic() >= deadline:
            detail = f"; last error: {last_error!r}" if last_error else ""
            raise AssertionError(
                f"metric {label!r} did not satisfy the predicate within {timeout} ms "
                f"(last value {last!r}{detail})"
            )
        page.wait_for_timeout(100)


ERROR_SELECTOR = (
    '[data-testid="stException"], '
    '[data-testid="stAlert"]:has([data-testid="stAlertContentError"]), '
    '[data-testid="stErrorCodeBlock"]'
)


def error_elements(root: Page | Locator) -> int:
    """Number of error elements shown: exceptions, ``st.error`` alerts, compile errors."""
    return root.locator(ERROR_SELECTOR).count()


def error_texts(root: Page | Locator) -> list[str]:
    """The texts of the error elements (handy in assertion messages)."""
    return [t.strip() for t in root.locator(ERROR_SELECTOR).all_inner_texts()]
