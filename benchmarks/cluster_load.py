"""Load benchmark through the local cluster: many students behind nginx, spread over replicas.

Run from the repository root:

    python benchmarks/cluster_load.py                          # 2 replicas, 10 pages, 20 s
    python benchmarks/cluster_load.py --replicas 2 --pages 20 --seconds 30
    python benchmarks/cluster_load.py --url http://127.0.0.1:8600 --replica-ports 46659,56773
                                       # a cluster already running (deploy/cluster.py prints these)

It starts ``deploy/cluster.py``'s cluster (``--replicas`` ``streamlit run`` processes behind
Debian's nginx with cookie affinity), then measures exactly as ``benchmarks/load.py`` does,
with every page opened through nginx's address: each page is a browser context (its own
cookie, so its own replica by the affinity), plays ``?min=0&max=10000000&speed=2`` and is
counted in the page. The "server" is every replica together (and nginx): its CPU per frame
shown is the CPU of all of them over the frames of all the pages. On top of load.py's report
it prints, per replica, the students it holds (``active_sessions`` of its ``/_stcore/metrics``)
and its share of the CPU over the window, and nginx's CPU.

With ``--url`` it starts nothing and measures the cluster at that address: the replicas'
ports (``--replica-ports``, as ``deploy/cluster.py`` prints them) say where to read each
one's sessions, and the processes listening on those ports and on the address's port are
the ones whose CPU is counted (psutil; may need the same user or root).

It always exits 0 (a measurement, not a test) and stops the cluster (if it started one) and
the browser.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

import load  # benchmarks/load.py: the measurement itself
import psutil
from harness import run_measurement, total_cpu, total_rss_mb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from deploy.cluster import Cluster, free_port  # noqa: E402


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


class ClusterAsServer:
    """The cluster seen as load.py's one server: nginx's address; every replica's processes
    (and nginx's) for the CPU and the memory; each call of ``cpu_seconds`` also keeps the CPU
    of each replica, so the window's share of each can be told afterwards."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.url = cluster.url
        self.readings: list[tuple[list[float], float]] = []

    def replica_processes(self, k: int) -> list[psutil.Process]:
        return _tree(self.cluster.running[k].pid)

    def nginx_processes(self) -> list[psutil.Process]:
        return _tree(self.cluster.nginx.pid)

    def processes(self) -> list[psutil.Process]:
        found = self.nginx_processes()
        for k in range(len(self.cluster.running)):
            found += self.replica_processes(k)
        return found

    def rss_mb(self) -> float:
        return total_rss_mb(self.processes())

    def cpu_seconds(self) -> float:
        each = [total_cpu(self.replica_processes(k)) for k in range(len(self.cluster.running))]
        nginx = total_cpu(self.nginx_processes())
        self.readings.append((each, nginx))
        return sum(each) + nginx

    def alive(self) -> bool:
        return self.cluster.nginx.poll() is None and all(
            r.process.poll() is None for r in self.cluster.running)


REPLICA_SESSIONS = load.active_sessions


class Running:
    """A process found by its listening port, as ``Cluster`` holds its own (``pid``, ``poll``)."""

    def __init__(self, port: int) -> None:
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        found = [c.pid for c in psutil.net_connections("tcp")
                 if c.status == psutil.CONN_LISTEN and c.laddr.port == port and c.pid]
        if not found:
            raise RuntimeError(f"no process of this user listens on port {port}")
        self.pid = min(found)  # nginx: its master (the workers are its children)
        self.process = self

    def poll(self) -> int | None:
        return None if psutil.pid_exists(self.pid) else 0


class RunningCluster:
    """A cluster started elsewhere (``deploy/cluster.py``), seen as ``Cluster``."""

    def __init__(self, url: str, ports: list[int]) -> None:
        self.url = url.rstrip("/")
        self.running = [Running(port) for port in ports]
        self.nginx = Running(int(urllib.parse.urlsplit(self.url).port or 80))

    def describe(self) -> str:
        lines = [f"the cluster at {self.url}/ (pid {self.nginx.pid} listening), started elsewhere"]
        lines += [f"  replica {k + 1}: port {r.port}, pid {r.pid}" for k, r in enumerate(self.running)]
        return "\n".join(lines)

    def stop(self) -> None:
        """Not ours to stop."""


def sessions(cluster: Cluster) -> list[int]:
    return [REPLICA_SESSIONS(replica.url) or 0 for replica in cluster.running]


def run(args: argparse.Namespace, log_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    if args.url:
        cluster = RunningCluster(args.url, args.replica_ports)
    else:
        cluster = Cluster(args.replicas, free_port(), prefix=log_dir / "cluster")
    exclude: set[int] = set()
    try:
        if not args.url:
            cluster.start()
        server = ClusterAsServer(cluster)
        exclude = {p.pid for p in server.processes()}
        # load.py reads active sessions from the address it measures; behind nginx that is one
        # replica at random: here it is the sum over the replicas.
        load.active_sessions = lambda url: sum(sessions(cluster))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=load.CHROMIUM, args=load.CHROMIUM_ARGS,
                                         headless=True, timeout=load.PLAYWRIGHT_TIMEOUT_MS)
            try:
                load.print_environment("working tree at " + load.revision(), browser.version)
                print("cluster     " + cluster.describe().replace("\n", "\n            "))
                load.measure(browser, server, args, server.rss_mb())
                report(cluster, server, args)
            finally:
                browser.close()
    finally:
        cluster.stop()
        load.end_leftovers(exclude)


def report(cluster: Cluster, server: ClusterAsServer, args: argparse.Namespace) -> None:
    (before, nginx0), (after, nginx1) = server.readings[-2], server.readings[-1]
    held = sessions(cluster)
    used = [b - a for a, b in zip(before, after)]
    total = sum(used) + (nginx1 - nginx0)
    print()
    print(f"Per replica ({args.pages} pages through nginx, cookie affinity; CPU over the window):")
    for k, (replica, students, cpu) in enumerate(zip(cluster.running, held, used), 1):
        print(f"   replica {k} (port {replica.port}): {students} student{'s' if students != 1 else ''}, "
              f"{100 * cpu / total if total else 0:.0f}% of the cluster's CPU "
              f"({cpu:.1f} CPU s)")
    print(f"   nginx: {nginx1 - nginx0:.2f} CPU s ({100 * (nginx1 - nginx0) / total if total else 0:.1f}%)")
    print("   (The memory per further session above includes each further replica's first page,"
          " which imports the page's modules: about 90 MB a replica.)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="streamlit processes (default 2)")
    parser.add_argument("--pages", type=int, default=10, help="browser pages playing (default 10)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window (default 20)")
    parser.add_argument("--url", default=None,
                        help="measure the cluster already running at this address")
    parser.add_argument("--replica-ports", default="",
                        help="with --url: the replicas' ports, comma-separated")
    args = parser.parse_args(argv)
    args.replica_ports = [int(p) for p in args.replica_ports.split(",") if p.strip()]
    if args.url and not args.replica_ports:
        parser.error("--url needs --replica-ports (deploy/cluster.py prints them)")
    args.replicas = min(8, max(1, args.replicas))
    args.pages = min(40, max(2, args.pages))
    args.seconds = min(300.0, max(2.0, args.seconds))
    return run_measurement("nnplay load benchmark through the cluster",
                           180 + 20 * args.pages + args.seconds, lambda tmp: run(args, tmp))


if __name__ == "__main__":
    sys.exit(main())
