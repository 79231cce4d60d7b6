"""Fixtures for the browser tests: a real Streamlit server and headless Chromium.

Fixtures (all tests under tests/browser get the ``browser`` marker and a default
pytest-timeout of BROWSER_TEST_TIMEOUT seconds unless they set their own):

- ``app_server`` (session) -> StreamlitServer running ``streamlit_app.py`` from the
  repo root; ``app_url`` (session) -> its base URL, e.g. ``http://127.0.0.1:40123``.
- ``start_streamlit`` (function) -> factory ``start_streamlit(script="streamlit_app.py",
  *extra_args, env=None) -> StreamlitServer`` for a test that needs its own server;
  every server it started is stopped after the test.
- ``browser`` (session) -> Playwright ``Browser`` (Debian's Chromium, headless).
- ``new_page`` (function) -> factory ``new_page(**context_options) -> Page``, each page
  in its own fresh browser context (own cookies, own Streamlit session), viewport
  1280x800; all are closed after the test.
- ``page`` (function) -> one such ``Page`` (not navigated yet).
  Every fixture page counts its script runs (``helpers.track_runs``), which is what
  makes ``helpers.click_button``/``helpers.expect_rerun`` exact.
- ``app_page`` (function) -> a ``Page`` already at ``app_url`` with the first run done.

On a failure, each page's screenshot and HTML (and the text of any error element)
are saved to $NNPLAY_ARTIFACTS, else build/browser-artifacts/ under CI, else the
test's tmp_path.

Missing Playwright or Chromium skips these tests with a hint, or fails them when the
environment variable CI is "true"/"1". ``NNPLAY_CHROMIUM`` overrides the Chromium path.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

BROWSER_DIR = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_DIR.parent.parent
APP_SCRIPT = "streamlit_app.py"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps dialling Google services, which floods a closed
    # network with refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Containers often have a tiny /dev/shm; Chromium then crashes tabs without it.
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 800}

SERVER_START_TIMEOUT = float(os.environ.get("NNPLAY_SERVER_START_TIMEOUT", "60"))
BROWSER_TEST_TIMEOUT = int(os.environ.get("NNPLAY_BROWSER_TEST_TIMEOUT", "180"))
PLAYWRIGHT_DEFAULT_TIMEOUT_MS = 30_000
PLAYWRIGHT_NAVIGATION_TIMEOUT_MS = 60_000

INSTALL_HINT = (
    "install them with `sudo apt-get install chromium` and "
    "`python3 -m pip install -r requirements-dev.txt` "
    "(or point NNPLAY_CHROMIUM at a Chromium binary)"
)


# --------------------------------------------------------------------------- checks


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def chromium_path() -> str:
    return os.environ.get("NNPLAY_CHROMIUM") or DEFAULT_CHROMIUM


def missing_browser_requirements() -> list[str]:
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        problems.append(f"Playwright is not importable ({exc})")
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        problems.append(f"no Chromium executable at {path}")
    return problems


def require_browser_stack() -> None:
    """Skip (or, in CI, fail) the current test if Playwright or Chromium is missing."""
    problems = missing_browser_requirements()
    if not problems:
        return
    message = "browser tests need Playwright and Chromium: " + "; ".join(problems)
    if in_ci():
        pytest.fail(f"{message}. CI is set, so this is a failure, not a skip.", pytrace=False)
    pytest.skip(f"{message}; {INSTALL_HINT}")


def _is_browser_item(item: pytest.Item) -> bool:
    try:
        return Path(str(item.path)).resolve().is_relative_to(BROWSER_DIR)
    except (AttributeError, OSError):
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    has_timeout_plugin = config.pluginmanager.hasplugin("timeout")
    for item in items:
        if not _is_browser_item(item):
            continue
        item.add_marker(pytest.mark.browser)
        if has_timeout_plugin and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIMEOUT))


@pytest.fixture(scope="session", autouse=True)
def _browser_stack_available() -> None:
    # Session-scoped autouse fixtures are set up before any other fixture of the
    # browser tests, so a missing Chromium skips/fails before a server is started.
    require_browser_stack()


# ----------------------------------------------------------------- streamlit server

_LIVE_SERVERS: set[StreamlitServer] = set()
_STARTED_SERVERS: list[StreamlitServer] = []

_libc_path = ctypes.util.find_library("c")
_LIBC = ctypes.CDLL(_libc_path, use_errno=True) if sys.platform == "linux" and _libc_path else None
_PR_SET_PDEATHSIG = 1


def _child_setup() -> None:
    # Runs in the child before exec: die with pytest even if pytest is SIGKILLed.
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _health_ok(url: str) -> bool:
    try:
        with _NO_PROXY_OPENER.open(url + "/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


class StreamlitServer:
    """One ``streamlit run`` process in its own process group, logging to a file."""

    def __init__(
        self,
        script: str = APP_SCRIPT,
        extra_args: tuple[str, ...] | list[str] = (),
        *,
        log_dir: Path,
        env: dict[str, str] | None = None,
        cwd: Path = REPO_ROOT,
    ) -> None:
        self.script = script
        self.extra_args = list(extra_args)
        self.log_dir = log_dir
        self.env = env
        self.cwd = cwd
        self.port: int | None = None
        self.url: str | None = None
        self.log_path: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_seconds: float | None = None

    def __hash__(self) -> int:
        return id(self)

    def command(self, port: int) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
            *self.extra_args,
        ]  # fmt: skip

    def start(self, timeout: float = SERVER_START_TIMEOUT) -> str:
        if not (self.cwd / self.script).is_file():
            pytest.fail(f"{self.cwd / self.script} does not exist", pytrace=False)
        env = dict(os.environ)
        env.update(
            PYTHONUNBUFFERED="1",
            STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
            STREAMLIT_SERVER_HEADLESS="true",
        )
        if self.env:
            env.update(self.env)
        began = time.monotonic()
        for attempt in range(3):
            port = _free_port()
            self.port, self.url = port, f"http://127.0.0.1:{port}"
            self.log_path = self.log_dir / f"streamlit-{port}.log"
            with open(self.log_path, "wb") as log:
                self.process = subprocess.Popen(
                    self.command(port),
                    cwd=self.cwd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_child_setup,
                )
            _LIVE_SERVERS.add(self)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if _health_ok(self.url):
                    self.startup_seconds = time.monotonic() - began
                    _STARTED_SERVERS.append(self)
                    return self.url
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
            exited = self.process.poll() is not None
            self.stop()
            tail = self.log_tail()
            if exited and "already in use" in tail and attempt < 2:
                continue  # lost the race for the free port; try another one
            why = (
                f"exited with code {self.process.returncode}"
                if exited
                else f"did not answer {self.url}/_stcore/health with 'ok' within {timeout:g} s"
            )
            pytest.fail(
                f"Streamlit server for {self.script} {why}.\n"
                f"command: {' '.join(self.command(port))}\n"
                f"last lines of {self.log_path}:\n{tail}",
                pytrace=False,
            )
        raise AssertionError("unreachable")

    def stop(self) -> None:
        process = self.process
        _LIVE_SERVERS.discard(self)
        if process is None or process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:]) or "(log is empty)"


@atexit.register
def _stop_leftover_servers() -> None:
    for server in list(_LIVE_SERVERS):
        server.stop()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    server = StreamlitServer(APP_SCRIPT, log_dir=tmp_path_factory.mktemp("streamlit"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_url(app_server: StreamlitServer) -> str:
    assert app_server.url is not None
    return app_server.url


@pytest.fixture
def start_streamlit(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., StreamlitServer]]:
    started: list[StreamlitServer] = []

    def start(
        script: str = APP_SCRIPT, *extra_args: str, env: dict[str, str] | None = None
    ) -> StreamlitServer:
        server = StreamlitServer(script, extra_args, env=env, log_dir=tmp_path_factory.mktemp("streamlit"))
        started.append(server)
        server.start()
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()


# -------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_browser_stack()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


_REPORTS_KEY = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    item.stash.setdefault(_REPORTS_KEY, {})[report.when] = report
    return report


def _test_failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(_REPORTS_KEY, {})
    return any(r.failed for r in reports.values())


def _save_artifacts(page: Page, directory: Path, name: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(directory / f"{name}.png"), full_page=True)
    with contextlib.suppress(Exception):
        (directory / f"{name}.html").write_text(page.content())
    print(f"[browser] saved {name}.png/.html (url {page.url}) in {directory}")
    with contextlib.suppress(Exception):
        from .helpers import error_texts

        for text in error_texts(page):
            print(f"[browser] error element on {name}:\n{text[:2000]}")


@pytest.fixture
def new_page(
    browser: Browser, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., Page]]:
    from .helpers import track_runs

    contexts = []
    pages: list[Page] = []

    def make(**context_options: Any) -> Page:
        context_options.setdefault("viewport", dict(VIEWPORT))
        context = browser.new_context(**context_options)
        context.set_default_timeout(PLAYWRIGHT_DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(PLAYWRIGHT_NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        new = context.new_page()
        track_runs(new)  # lets click_button/expect_rerun see every finished script run
        pages.append(new)
        return new

    try:
        yield make
    finally:
        if _test_failed(request):
            out = Path(
                os.environ.get("NNPLAY_ARTIFACTS")
                or (REPO_ROOT / "build" / "browser-artifacts" if in_ci() else tmp_path)
            )
            for index, failed_page in enumerate(pages):
                _save_artifacts(failed_page, out, f"{request.node.name}-page{index}")
        for context in contexts:
            with contextlib.suppress(Exception):
                context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def app_page(page: Page, app_url: str) -> Page:
    from .helpers import wait_for_app

    page.goto(app_url)
    wait_for_app(page)
    return page


# -------------------------------------------------------------------------- summary


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    rank = {"passed": 0, "xpassed": 0, "skipped": 1, "xfailed": 1, "failed": 2, "error": 3}
    outcome: dict[str, str] = {}
    for category, order in rank.items():
        for report in terminalreporter.stats.get(category, []):
            path = getattr(report, "fspath", None)
            nodeid = getattr(report, "nodeid", None)
            if not nodeid or not path:
                continue
            if not (config.rootpath / path).resolve().is_relative_to(BROWSER_DIR):
                continue
            if order >= rank.get(outcome.get(nodeid, "passed"), 0):
                outcome[nodeid] = category
    values = list(outcome.values())
    passed = values.count("passed") + values.count("xpassed")
    failed = values.count("failed") + values.count("error")
    skipped = values.count("skipped") + values.count("xfailed")
    terminalreporter.write_sep("-", "browser tests")
    terminalreporter.write_line(f"browser tests run: {passed} passed, {failed} failed, {skipped} skipped")
    for server in _STARTED_SERVERS:
        terminalreporter.write_line(
            f"streamlit {server.script} answered /_stcore/health after "
            f"{server.startup_seconds:.1f} s (log: {server.log_path})"
        )
        if failed and server.log_path is not None:
            terminalreporter.write_line(f"last lines of that log:\n{server.log_tail(20)}")
