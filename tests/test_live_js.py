"""The live component's JavaScript: its own tests under node's built-in runner, and its
constants the same as the Python that packs the frames."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nnplay.views import frames

ROOT = Path(__file__).resolve().parents[1]
JS = (ROOT / "static" / "live" / "live.js").read_text(encoding="utf-8")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true")


def test_the_component_reads_grids_as_the_frames_write_them():
    assert re.search(r'export const ALPHABET = "([^"]+)"', JS).group(1) == frames.ALPHABET.decode()
    assert "export const CLASS_SHADES = LEVELS / 8;" in JS and frames.CLASS_SHADES == 64 // 8


@pytest.mark.parametrize("module", sorted((ROOT / "static" / "live").glob("*.js")), ids=lambda p: p.name)
def test_the_component_needs_no_network_and_no_build(module):
    code = module.read_text(encoding="utf-8").replace('"http://www.w3.org/2000/svg"', "")  # a name
    assert not re.search(r"\bimport\b[^;]*\bfrom\b|https?://|\bfetch\(|XMLHttpRequest", code)


@pytest.mark.skipif(shutil.which("node") is None and not IN_CI,
                    reason="node is not installed (CI installs it): apt-get install nodejs")
def test_the_components_logic_under_node():
    node = shutil.which("node")
    assert node, "node is missing in CI: .ci/run installs Debian's nodejs"
    done = subprocess.run([node, "--test", str(ROOT / "tests" / "js")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout
