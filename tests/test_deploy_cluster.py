"""deploy/cluster.py: the nginx configuration it writes is the one docs/deploy.md shows, and
nginx itself accepts it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.cluster import DOC_REPLICAS, NGINX, affinity_site, nginx_conf

ROOT = Path(__file__).resolve().parents[1]


def doc_blocks() -> list[str]:
    text = (ROOT / "docs" / "deploy.md").read_text()
    return re.findall(r"```nginx\n(.*?)```", text, re.DOTALL)


def test_the_documents_cookie_affinity_block_is_the_one_the_cluster_writes():
    cookie = [b for b in doc_blocks() if "hash $nnplay_route consistent" in b]
    assert len(cookie) == 1
    assert cookie[0] == affinity_site(DOC_REPLICAS)


def test_every_replica_gets_its_line_and_the_listen_address_is_the_clusters():
    site = affinity_site(["127.0.0.1:1001", "127.0.0.1:1002", "127.0.0.1:1003"],
                         listen="127.0.0.1:8600", server_name="localhost")
    assert re.findall(r"server (127\.0\.0\.1:\d+) max_fails", site) == [
        "127.0.0.1:1001", "127.0.0.1:1002", "127.0.0.1:1003"]
    assert "listen 127.0.0.1:8600;" in site
    for needed in ("proxy_set_header Upgrade $http_upgrade;", "proxy_read_timeout 3600s;",
                   "proxy_http_version 1.1;", "hash $nnplay_route consistent;"):
        assert needed in site


@pytest.mark.skipif(not shutil.which(NGINX), reason="Debian's nginx is not installed")
def test_nginx_accepts_the_whole_configuration(tmp_path):
    for sub in ("logs", "temp"):
        (tmp_path / sub).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(affinity_site(["127.0.0.1:1001", "127.0.0.1:1002"],
                                             listen="127.0.0.1:1", server_name="localhost"),
                               tmp_path))
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf),
                              "-e", str(tmp_path / "logs" / "error.log")],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr
