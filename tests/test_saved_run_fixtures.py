"""Runs saved by the page before the settings table (commit 1bc907e) still load and go on."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from nnplay.app import runfile
from nnplay.settings import SETTINGS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected-at-1bc907e.json").read_text())


def test_a_gate_run_saved_before_the_settings_table_loads_and_goes_on():
    loaded = runfile.load_run((FIXTURES / "run-saved-at-1bc907e.json").read_bytes())
    assert loaded.config.hidden == (3, 2) and loaded.config.optimizer == "momentum"
    assert loaded.config.momentum == 0.8 and loaded.view.speed == "5" and loaded.view.log_scale
    assert loaded.trainer.iteration == 37
    loaded.trainer.step(10)
    # The same run as the old engine gave (to rounding: the engine's products were reordered).
    np.testing.assert_allclose(loaded.trainer.network.parameters, EXPECTED["gate_after_47"],
                               rtol=1e-12, atol=1e-14)


def test_a_points_run_saved_before_the_settings_table_loads_with_its_points_and_goes_on():
    loaded = runfile.load_run((FIXTURES / "points-run-saved-at-1bc907e.json").read_bytes())
    assert loaded.config.problem == "csv" and loaded.points.n_examples == 6
    assert loaded.config.batch_size == 2 and loaded.config.regularization == "l2"
    assert loaded.trainer.iteration == 25
    loaded.trainer.step(10)
    np.testing.assert_allclose(loaded.trainer.network.parameters, EXPECTED["points_after_35"],
                               rtol=1e-12, atol=1e-14)


def test_links_written_before_the_settings_table_open_the_same_runs():
    """The page's links at 1bc907e (the presets, a point set with every option, a custom
    table, three classes) and a hand-written ``?data=spiral`` open the same run today."""
    from nnplay.app.link import parse_query

    for case in json.loads((FIXTURES / "links-at-1bc907e.json").read_text()):
        link = parse_query(case["query"])
        assert link.warnings == ()
        new = {k: v for k, v in link.config.to_dict().items() if k not in case["config"]}
        assert {k: v for k, v in link.config.to_dict().items() if k in case["config"]} == case["config"]
        assert all(SETTINGS[name].default == value for name, value in new.items())  # added since
        assert dataclasses.asdict(link.view) == case["view"]
