"""The engine knows nothing of the page: importing it pulls in neither Streamlit, Plotly nor pandas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

ENGINE_MODULES = [
    "nnplay", "nnplay._checks", "nnplay.activations", "nnplay.backprop", "nnplay.batched",
    "nnplay.cli", "nnplay.config", "nnplay.datasets", "nnplay.explain", "nnplay.features",
    "nnplay.history", "nnplay.initializers", "nnplay.losses", "nnplay.network",
    "nnplay.optimizers", "nnplay.presets", "nnplay.problems", "nnplay.regularizers",
    "nnplay.serialization", "nnplay.settings",
    "nnplay.snapshots", "nnplay.training", "nnplay.tutorial",
]
FORBIDDEN = ("streamlit", "plotly", "pandas")

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden})
print(json.dumps(loaded))
"""


def imported_by(*modules: str) -> list[str]:
    code = PROBE.format(forbidden=set(FORBIDDEN))
    done = subprocess.run([sys.executable, "-c", code, *modules], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_engine_modules_exist():
    for name in ENGINE_MODULES[1:]:
        assert (ROOT / "nnplay" / (name.split(".")[1] + ".py")).exists(), name


def test_importing_the_whole_engine_imports_no_page_library():
    assert imported_by(*ENGINE_MODULES) == []


@pytest.mark.parametrize("module", ["nnplay", "nnplay.training", "nnplay.serialization", "nnplay.cli"])
def test_each_entry_point_alone_imports_no_page_library(module):
    assert imported_by(module) == []


def test_the_probe_can_see_a_forbidden_import():
    """The check is not vacuous: a module that does import one is caught."""
    try:
        import plotly  # noqa: F401
    except ImportError:
        pytest.skip("plotly is not installed")
    assert "plotly" in imported_by("plotly")
