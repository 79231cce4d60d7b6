"""A local cluster in one command: N replicas of the playground behind Debian's nginx.

Run from the repository root:

    python3 deploy/cluster.py --replicas 2 --port 8600

It starts ``--replicas`` ``streamlit run streamlit_app.py`` processes on free loopback
ports, all with one fresh ``server.cookieSecret`` (in their environment: Streamlit refuses it
on the command line), and nginx in front of them on ``--port`` with the cookie affinity of
docs/deploy.md (the websocket upgrade headers, long timeouts; every request of a browser
reaches the same replica). nginx runs from a temporary prefix (its own configuration, pid
file, logs and temporary directories; ``daemon off``), so it needs no root and touches no
system file. It prints the address, each replica's port and process id, and the logs'
directory; Ctrl-C or SIGTERM stops everything and removes the temporary directory.

The nginx ``server`` block it writes and the one docs/deploy.md shows come from one function,
``affinity_site``; a test checks that the document's block is what it makes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = "/usr/sbin/nginx"
START_TIMEOUT = 90.0
"""Seconds a replica (or nginx) may take to answer ``/_stcore/health``."""
DOC_REPLICAS = ("10.0.0.11:8501", "10.0.0.12:8501")
"""The replicas docs/deploy.md's example names."""


def affinity_site(replicas: list[str] | tuple[str, ...], listen: str = "80",
                  server_name: str = "nnplay.example.org") -> str:
    """nginx's configuration for replicas behind one address, each browser kept on its own
    replica by a cookie (docs/deploy.md, "Affinity with nginx"): the ``map``s, the ``upstream``
    and the ``server`` block, to go inside ``http {}``."""
    servers = "".join(f"    server {r} max_fails=3 fail_timeout=10s;\n" for r in replicas)
    return f"""map $http_upgrade $connection_upgrade {{
    default upgrade;
    ''      close;
}}

map $cookie_nnplay_route $nnplay_route {{
    ''      $request_id;                # first visit: a fresh random key
    default $cookie_nnplay_route;       # afterwards: the browser's own key
}}

upstream nnplay {{
    hash $nnplay_route consistent;
{servers}    # one line per replica
}}

server {{
    listen {listen};
    server_name {server_name};
    client_max_body_size 6m;

    location / {{
        proxy_pass http://nnplay;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout 3600s;
        proxy_send_timeout 3600s;
        proxy_buffering off;
        add_header Set-Cookie "nnplay_route=$nnplay_route; Path=/; HttpOnly; SameSite=Lax" always;
    }}
}}
"""


def nginx_conf(site: str, prefix: Path, user: str | None = None) -> str:
    """A whole nginx.conf around ``site`` that keeps everything under ``prefix``: pid, logs,
    temporary files; in the foreground (``daemon off``), one worker."""
    temp = "\n".join(f"    {name}_temp_path {prefix / 'temp' / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    indented = "".join(f"    {line}\n" if line else "\n" for line in site.splitlines())
    return (f"{f'user {user};' if user else ''}\n"
            f"daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'logs' / 'nginx-error.log'} notice;\n"
            "events {\n    worker_connections 1024;\n}\n"
            "http {\n"
            f"    access_log {prefix / 'logs' / 'nginx-access.log'};\n{temp}\n\n{indented}}}\n")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url + "/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Replica:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid


@dataclass
class Cluster:
    """Replicas of the playground and nginx in front of them; ``start()``, then ``stop()``."""

    replicas: int = 2
    port: int = 8600
    streamlit_args: tuple[str, ...] = ()
    prefix: Path | None = None
    running: list[Replica] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    cookie_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    _own_prefix: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT) -> Cluster:
        if not os.access(NGINX, os.X_OK):
            raise RuntimeError(f"no nginx at {NGINX}: install it with `sudo apt-get install nginx`")
        if self.prefix is None:
            self.prefix, self._own_prefix = Path(tempfile.mkdtemp(prefix="nnplay-cluster-")), True
        for sub in ("logs", "temp"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        try:
            for _ in range(self.replicas):
                self.running.append(self._start_replica())
            self._wait(timeout)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_replica(self) -> Replica:
        port = free_port()
        log = self.prefix / "logs" / f"replica-{port}.log"
        env = dict(os.environ, PYTHONUNBUFFERED="1", STREAMLIT_SERVER_COOKIE_SECRET=self.cookie_secret)
        command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                   "--server.headless", "true", "--server.address", "127.0.0.1",
                   "--server.port", str(port), "--browser.gatherUsageStats", "false",
                   "--server.fileWatcherType", "none", *self.streamlit_args]
        with open(log, "wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        return Replica(port, process, log)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(self.running)
        while waiting:
            for replica in list(waiting):
                if healthy(replica.url):
                    waiting.remove(replica)
                elif replica.process.poll() is not None:
                    raise RuntimeError(f"replica on port {replica.port} exited; see {replica.log}")
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"replicas did not answer within {timeout:g} s; see "
                                   f"{self.prefix / 'logs'}")
            time.sleep(0.2)

    def _start_nginx(self) -> None:
        user = None
        if os.geteuid() == 0:  # nginx's workers then run as nobody: let them use the temp files
            user = "nobody nogroup"
            for path in (self.prefix, self.prefix / "temp"):
                path.chmod(0o755)
            with contextlib.suppress(KeyError, OSError):
                import pwd
                nobody = pwd.getpwnam("nobody")
                os.chown(self.prefix / "temp", nobody.pw_uid, nobody.pw_gid)
        site = affinity_site([f"127.0.0.1:{r.port}" for r in self.running],
                             listen=f"127.0.0.1:{self.port}", server_name="localhost")
        conf = self.prefix / "nginx.conf"
        conf.write_text(nginx_conf(site, self.prefix, user))
        log = open(self.prefix / "logs" / "nginx.out", "wb")  # noqa: SIM115 - kept open while it runs
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(conf),
                                       "-e", str(self.prefix / "logs" / "nginx-error.log")],
                                      stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        deadline = time.monotonic() + 20
        while not healthy(self.url):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start: "
                                   + (self.prefix / "logs" / "nginx-error.log").read_text()[-2000:])
            time.sleep(0.1)

    def kill_replica(self, index: int) -> Replica:
        """Kill replica ``index`` at once (SIGKILL), as a crash would; return it."""
        replica = self.running[index]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(replica.pid, signal.SIGKILL)
        replica.process.wait(timeout=10)
        return replica

    def stop(self) -> None:
        """Stop nginx and every replica (their process groups), then remove the temp prefix."""
        processes = ([self.nginx] if self.nginx else []) + [r.process for r in self.running]
        for process in processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if self._own_prefix and self.prefix is not None:
            shutil.rmtree(self.prefix, ignore_errors=True)

    def describe(self) -> str:
        lines = [f"nnplay cluster at {self.url}/ (nginx pid {self.nginx.pid}, cookie affinity)"]
        lines += [f"  replica {k + 1}: port {r.port}, pid {r.pid}" for k, r in enumerate(self.running)]
        lines.append(f"  logs and nginx.conf under {self.prefix}")
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="streamlit processes (2)")
    parser.add_argument("--port", type=int, default=8600, help="nginx's port on 127.0.0.1 (8600)")
    args, streamlit_args = parser.parse_known_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")

    def stop(signum, frame):  # SIGTERM behaves as Ctrl-C, once: the stopping is not interrupted
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    cluster = Cluster(args.replicas, args.port, tuple(streamlit_args))
    try:
        cluster.start()
        print(cluster.describe(), flush=True)
        print("Ctrl-C stops it.", flush=True)
        while all(r.process.poll() is None for r in cluster.running) and cluster.nginx.poll() is None:
            time.sleep(0.5)
        print("a process of the cluster exited; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as problem:
        print(f"cluster: {problem}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
        print("cluster stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
