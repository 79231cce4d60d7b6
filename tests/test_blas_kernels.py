"""Links that reproduce across processors: the presets and a seeds lab trained under different
OpenBLAS kernels (``OPENBLAS_CORETYPE``, each in its own process; this process's BLAS is left
alone) end with the same printed error, the same seeds-lab outcomes, and weights within a few
units in the last place. The README's "What a link guarantees" says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ITERATIONS = 3000
"""Per preset: enough for the fast XOR to solve and the tutorial's slow run to move."""
CORE_TYPES = {"Prescott": "sse3", "Haswell": "avx2", "SkylakeX": "avx512f"}
"""OpenBLAS kernels and the processor feature each needs (a missing one would crash)."""

RUN = r"""
import json, sys
import numpy as np
from threadpoolctl import threadpool_info
from nnplay.presets import PRESETS
from nnplay.views import seeds_report

out = {"arch": [i.get("architecture") for i in threadpool_info() if i["internal_api"] == "openblas"]}
for name, preset in PRESETS.items():
    trainer = preset.config.replace(min_error=0.0).trainer()
    trainer.run(int(sys.argv[1]))
    out[name] = {"error": f"{trainer.last_error:.6g}",
                 "weights": trainer.network.parameters.tolist()}
config = PRESETS["tutorial"].config.replace(learning_rate=3.0, min_error=0.1)
lab = seeds_report.run_lab(config, range(0, 60), 1000)  # some seeds solve XOR, some stick
out["lab"] = {"summary": seeds_report.summary(lab), "solved": lab.result.solved.tolist(),
              "iterations": lab.result.iterations.tolist()}
print(json.dumps(out))
"""


def supported_core_types() -> list[str]:
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        return []
    return [name for name, feature in CORE_TYPES.items() if feature in flags or feature == "sse3"]


def openblas_in_use() -> bool:
    blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    return "openblas" in str(blas.get("name", "")).lower()


def run_under(core_type: str) -> dict:
    env = dict(os.environ, OPENBLAS_CORETYPE=core_type, OPENBLAS_NUM_THREADS="1",
               OPENBLAS_VERBOSE="0")
    done = subprocess.run([sys.executable, "-c", RUN, str(ITERATIONS)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.skipif(not openblas_in_use(), reason="numpy is not built with OpenBLAS here")
def test_presets_and_a_seeds_lab_agree_under_different_openblas_kernels():
    kinds = supported_core_types()
    if len(kinds) < 2:
        pytest.skip("this processor offers fewer than two OpenBLAS kernels to compare")
    kinds = [kinds[0], kinds[-1]]  # the plainest and the widest
    first, second = (run_under(kind) for kind in kinds)
    assert first["arch"] != second["arch"], (first["arch"], second["arch"])  # they did differ
    assert first["lab"] == second["lab"]  # the same outcomes, seed by seed, and the same words
    assert 0 < sum(first["lab"]["solved"]) < len(first["lab"]["solved"])  # a lab with both
    for name in first:
        if name in ("arch", "lab"):
            continue
        assert first[name]["error"] == second[name]["error"], name
        a, b = np.array(first[name]["weights"]), np.array(second[name]["weights"])
        assert np.allclose(a, b, rtol=1e-12, atol=1e-13), (name, np.abs(a - b).max())
