"""The Show me the code panel on the real page (AppTest); the scripts it shows are run."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest
from test_page import click, live_table, metric, new_app, said

FINAL = re.compile(r"^Iterations: (\d+)\tFinal error: (\S+)$", re.MULTILINE)
ROW = re.compile(r"^\[([^\]]*)\]\t \[([^\]]*)\] \t\[([^\]]*)\]$", re.MULTILINE)


@pytest.fixture
def at() -> AppTest:
    return new_app(tab="Show me the code")


def script(at: AppTest) -> str:
    scripts = [c.value for c in at.code if c.language == "python" and "class backPropNN" in c.value]
    assert len(scripts) == 1
    return scripts[0]


def run(text: str, tmp_path) -> tuple[int, float, list[str]]:
    """Run a script on its own; return its iteration count, final error and table outputs."""
    done = subprocess.run([sys.executable, "-I", "-c", text], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (count, error), = FINAL.findall(done.stdout)
    return int(count), float(error), [out for _, out, _ in ROW.findall(done.stdout)]


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


def test_at_iteration_zero_the_panel_shows_the_whole_run(at):
    text = script(at)
    assert "to the stop rule" in text
    assert "Nothing has run yet" in said(at)
    assert "Download the script" in [d.proto.label for d in at.get("download_button")]


def test_the_script_to_the_current_iteration_prints_the_pages_error_and_table(at, tmp_path):
    click(at, "Step 10")
    click(at, "Step 10")
    click(at, "Step")
    text = script(at)
    assert "to iteration 21" in text
    assert "python nnplay_xor_seed1_21it.py" in texts(at.markdown)
    count, error, outputs = run(text, tmp_path)
    p = at.session_state.playground
    assert count == 21 == p.trainer.iteration
    assert error == pytest.approx(p.trainer.last_error, rel=1e-9)
    assert f"{error:.6f}" == metric(at, "Error")
    page_outputs = list(live_table(at)["Output"])
    assert [f"{float(o):.4f}" for o in outputs] == page_outputs


def test_the_whole_run_ends_where_play_stops(at, tmp_path):
    at.radio(key="code_export_mode").set_value("whole").run()
    text = script(at)
    assert "to the stop rule" in text
    click(at, "Play")
    for _ in range(400):
        if not at.session_state.playground.playing:
            break
        at.run()
    p = at.session_state.playground
    assert p.stop_reason == "solved"
    count, error, _ = run(text, tmp_path)
    assert count == p.trainer.iteration
    assert error == pytest.approx(p.trainer.last_error, rel=1e-9)


def test_the_tutorial_preset_gives_the_tutorials_script(at):
    click(at, "Tutorial")
    text = script(at)
    for line in ("NN = backPropNN((2, 2, 1), seed=15)", "trainingRate = 0.2",
                 "maxIterations = 99999", "minError = 1e-05", "def sigmoid(x, Derivative=False)"):
        assert line in text
    assert "def tanh(" not in text


def test_a_learning_rate_changed_part_way_is_flagged_until_a_reset(at, tmp_path):
    click(at, "Step 10")
    at.number_input(key="learning_rate").set_value(0.5).run()
    click(at, "Step 10")
    assert "η 2 → 0.5 at iteration 10" in said(at)
    click(at, "Reset")
    click(at, "Step 10")
    assert not [w for w in at.warning if "changed during this run" in w.value]
    count, error, _ = run(script(at), tmp_path)
    assert error == pytest.approx(at.session_state.playground.trainer.last_error, rel=1e-9)


def test_settings_changed_before_training_are_not_flagged(at):
    at.number_input(key="learning_rate").set_value(0.5).run()
    click(at, "Step 10")
    assert not [w for w in at.warning if "changed during this run" in w.value]
    assert "trainingRate = 0.5" in script(at)


def test_a_point_set_with_a_test_set_gives_the_pages_numbers(at, tmp_path):
    at.selectbox(key="problem").set_value("set:circle").run()
    click(at, "Step 10")
    text = script(at)
    assert "TestInput" in text and "the first rows" in texts(at.markdown)
    done = subprocess.run([sys.executable, "-I", "-c", text], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    p = at.session_state.playground
    (count, error), = FINAL.findall(done.stdout)
    assert int(count) == 10
    assert float(error) == pytest.approx(p.trainer.last_error, rel=1e-9)
    (test_error,) = re.findall(r"^Test error: (\S+)$", done.stdout, re.MULTILINE)
    assert float(test_error) == pytest.approx(p.test_error(), rel=1e-9)
    assert f"Test accuracy: {metric(at, 'Test accuracy')}" in done.stdout
