"""What the page benchmarks share: starting a server safely, and describing the machine.

``load.py``, ``memory.py`` and ``page.py`` import these; nothing here measures.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import io
import platform
import signal
import socket
import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_SCRIPT = "streamlit_app.py"

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
