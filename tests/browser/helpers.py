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
  (``PINGING_SERVER`` / ``CONNECTING`` before). These two attributes are the most
  reliable "the run is finished" signal, so ``wait_for_app`` uses them.
- ``stStatusWidget`` (in the header) holds ``stStatusWidgetRunningIcon`` only while
  the script runs; it is gone once the run is over.
- ``stMetric`` > ``label[data-testid="stMetricLabel"]`` (text in a ``<p>``; a
  ``help=`` tooltip adds ``stTooltipIcon`` but no text) and
  ``stMetricValue`` (text in a ``<p>``); ``stMetricDelta`` when a delta is given.
- ``stButton`` > ``button[data-testid="stBaseButton-secondary"]`` (``-primary`` for
  ``type="primary"``); the label is the button's text/accessible name.
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
from collections.abc import Callable

from playwright.sync_api import Locator, Page

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

# Arms a MutationObserver that notes any change of the script state, so that a
# rerun which starts and finishes between two polls is still noticed.
_ARM_RERUN_WATCH_JS = """() => {
  if (window.__nnplayRerunObserver) window.__nnplayRerunObserver.disconnect();
  window.__nnplayRerunSeen = false;
  const obs = new MutationObserver((records) => {
    for (const r of records) {
      if (r.oldValue !== r.target.getAttribute(r.attributeName)
          || r.oldValue !== 'notRunning') {
        window.__nnplayRerunSeen = true;
      }
    }
  });
  obs.observe(document.documentElement, {
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ['data-test-script-state'],
  });
  window.__nnplayRerunObserver = obs;
}"""

_RERUN_DONE_JS = "() => window.__nnplayRerunSeen === true && (" + _APP_SETTLED_JS + ")()"


def _page_of(root: Page | Locator) -> Page:
    return root.page if isinstance(root, Locator) else root


def _exact(text: str) -> re.Pattern[str]:
    return re.compile(r"^\s*" + re.escape(text) + r"\s*$")


def wait_for_app(page: Page, *, timeout: float = 60_000, require_metric: bool = True) -> None:
    """Wait until the app has connected and its (first or current) run is over.

    ``timeout`` is in milliseconds (Playwright's unit). With ``require_metric`` the
    page must also show at least one ``stMetric``.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(_APP_SETTLED_JS, timeout=timeout)
    if require_metric:
        page.locator('[data-testid="stMetric"]').first.wait_for(state="visible", timeout=timeout)


def metric(root: Page | Locator, label: str) -> Locator:
    """The ``stMetric`` whose label is exactly ``label`` (strict: must be unique in root)."""
    label_loc = root.get_by_test_id("stMetricLabel").filter(has_text=_exact(label))
    return root.get_by_test_id("stMetric").filter(has=label_loc)


def metric_value(root: Page | Locator, label: str, *, timeout: float = 10_000) -> str:
    """Text of the ``stMetricValue`` of the metric labelled exactly ``label``."""
    return metric(root, label).get_by_test_id("stMetricValue").inner_text(timeout=timeout).strip()


def button(root: Page | Locator, label: str) -> Locator:
    """The ``st.button`` (or form submit button) whose text is exactly ``label``."""
    containers = root.locator('[data-testid="stButton"], [data-testid="stFormSubmitButton"]')
    return containers.get_by_role("button", name=label, exact=True)


def click_button(
    root: Page | Locator, label: str, *, wait: bool = True, timeout: float = 60_000
) -> None:
    """Click the button labelled exactly ``label``.

    With ``wait`` (the default) this returns only after the rerun the click caused
    has finished (the script state left ``notRunning`` and came back), so the page
    can be read right away. Use ``wait=False`` for a control that does not rerun.
    """
    page = _page_of(root)
    target = button(root, label)
    target.wait_for(state="visible", timeout=timeout)
    if wait:
        page.evaluate(_ARM_RERUN_WATCH_JS)
    target.click(timeout=timeout)
    if wait:
        page.wait_for_function(_RERUN_DONE_JS, timeout=timeout)


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
