"""What the benchmarks share: a server started and stopped safely, describing the machine,
and the closing lines of a run.

``load.py``, ``memory.py`` and ``page.py`` import these; nothing here measures.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import io
import os
import platform
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
APP_SCRIPT = "streamlit_app.py"
SERVER_START_TIMEOUT = 60.0  # s
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 800}

_libc_path = ctypes.util.find_library("c")
_LIBC = ctypes.CDLL(_libc_path, use_errno=True) if sys.platform == "linux" and _libc_path else None
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def die_with_parent() -> None:
    if _LIBC is not None:  # the server dies with this script even if it is SIGKILLed
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 2.0) -> str | None:
    try:
        with _NO_PROXY.open(url, timeout=timeout) as response:
            return response.read().decode(errors="replace") if response.status == 200 else None
    except (urllib.error.URLError, OSError, ValueError):
        return None


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "nnplay", APP_SCRIPT, "ui",
                                ".streamlit"], cwd=ROOT, capture_output=True, text=True,
                               timeout=10).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    changed = [line[3:] for line in dirty if line.strip()]
    if not changed:
        return f"{head} (page and engine clean)"
    return f"{head} + uncommitted: {', '.join(changed[:6])}{' ...' if len(changed) > 6 else ''}"


def export_revision(ref: str, into: Path) -> str:
    """``git archive`` of ``ref`` unpacked in ``into`` (the repository is only read): a page that
    holds still while others edit the working tree."""
    commit = subprocess.run(["git", "rev-parse", "--short", "--verify", ref + "^{commit}"], cwd=ROOT,
                            capture_output=True, text=True, timeout=10)
    if commit.returncode:
        raise RuntimeError(f"--ref {ref!r} is not a commit: {commit.stderr.strip()}")
    tar = subprocess.run(["git", "archive", "--format=tar", commit.stdout.strip()], cwd=ROOT,
                         capture_output=True, timeout=60, check=True)
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        archive.extractall(into, filter="data")
    return commit.stdout.strip()


# -- a server ----------------------------------------------------------------------------


class Server:
    """One ``streamlit run streamlit_app.py`` in its own process group (``command`` may wrap it).

    It dies with the script that started it (``PR_SET_PDEATHSIG``), and ``stop``
    ends its whole group: SIGTERM, then SIGKILL.
    """

    def __init__(self, log_dir: Path, app_dir: Path = ROOT, extra_args: list[str] | None = None,
                 command: list[str] | None = None, name: str = "streamlit") -> None:
        self.name, self.app_dir, self.extra_args = name, app_dir, extra_args or []
        self.command = command or [sys.executable, "-m", "streamlit"]
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.log_path = log_dir / f"{name}.log"
        self.cold = True  # no page has been opened on it yet

    def launch(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [*self.command, "run", APP_SCRIPT, "--server.headless", "true",
                   "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                   *self.extra_args]
        with open(self.log_path, "ab") as log:  # a relaunch adds to the same log
            self.process = subprocess.Popen(command, cwd=self.app_dir,
                                            env=dict(os.environ, PYTHONUNBUFFERED="1"),
                                            stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=die_with_parent)

    def wait_healthy(self, timeout: float = SERVER_START_TIMEOUT) -> float:
        """Seconds until ``/_stcore/health`` answered ``ok``; an error with the log's tail if not."""
        began = time.monotonic()
        while time.monotonic() < began + timeout:
            if (http_get(self.url + "/_stcore/health") or "").strip() == "ok":
                return time.monotonic() - began
            if not self.alive():
                break
            time.sleep(0.2)
        raise RuntimeError(f"server {self.name} did not answer {self.url}/_stcore/health within "
                           f"{timeout:g} s; last lines of {self.log_path}:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        process = self.process
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

    def log_tail(self, lines: int = 15) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def processes(self) -> list[psutil.Process]:
        """The server's process and its children."""
        if self.process is None:
            return []
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def rss_mb(self) -> float:
        return total_rss_mb(self.processes())

    def cpu_seconds(self) -> float:
        return total_cpu(self.processes())


def total_rss_mb(processes: list[psutil.Process]) -> float:
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += process.memory_info().rss
    return total / 2**20


def total_cpu(processes: list[psutil.Process]) -> float:
    """User + system CPU seconds of ``processes`` (those gone or hidden count 0)."""
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = process.cpu_times()
            total += times.user + times.system
    return total


# -- the end of a run ----------------------------------------------------------------------


class HardTimeout(Exception):
    pass


def stop_at_alarm(signum, frame) -> None:
    """The SIGALRM handler: a backstop over every timeout of a run's own."""
    raise HardTimeout("the benchmark ran past its hard time limit")


def print_failure(problem: Exception, logs: list[Path]) -> None:
    """A measurement reports what went wrong (and the servers' last lines) and exits 0."""
    print(f"\nbenchmark failed: {type(problem).__name__}: {problem}")
    for log in logs:
        if log.exists():
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-10:])
            print(f"--- last lines of {log.name}:\n{tail}")


def print_total(started: float, busy_hint: str | None = None) -> None:
    """The run's length and the load average; ``busy_hint``, if given, when the machine was busy."""
    load = os.getloadavg()
    print()
    print(f"total {time.perf_counter() - started:.0f} s; load average now "
          f"{' '.join(f'{x:.2f}' for x in load)}")
    if busy_hint and load[0] > (os.cpu_count() or 1) * 0.75:
        print(f"the machine was busy: {busy_hint}")


def run_measurement(title: str, backstop_seconds: float, body: Callable[[Path], None],
            busy_hint: str | None = None) -> int:
    """Run a benchmark's ``body(tmp)`` as a measurement and return its exit status, 0.

    ``title`` is printed first; ``tmp`` is a temporary directory for the
    servers' logs and an exported commit. A failure is reported with the
    logs' last lines (``print_failure``), not raised; a SIGALRM after
    ``backstop_seconds`` stops a run that hangs beyond every timeout of its
    own; the run's length and load average close it (``print_total``).
    """
    signal.signal(signal.SIGALRM, stop_at_alarm)
    signal.alarm(int(backstop_seconds))
    start = time.perf_counter()
    print(title)
    try:
        with tempfile.TemporaryDirectory(prefix="nnplay-bench-") as tmp:
            try:
                body(Path(tmp))
            except Exception as problem:  # a measurement: report and exit 0
                print_failure(problem, sorted(Path(tmp).glob("*.log")))
    finally:
        signal.alarm(0)
    print_total(start, busy_hint)
    return 0
