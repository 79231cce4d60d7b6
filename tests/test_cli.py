"""``python -m nnplay``: the tutorial's log and table, and clear refusals of bad flags."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from nnplay.cli import main
from nnplay.config import RunConfig

ROOT = Path(__file__).resolve().parents[1]

# The tutorial's printout after its 100,000th iteration.
TUTORIAL_ROWS = [("[0 0]", 0.00780385, 0.0), ("[1 1]", 0.00992829, 0.0),
                 ("[0 1]", 0.99189799, 1.0), ("[1 0]", 0.99189943, 1.0)]


def run_main(capsys, *argv: str) -> list[str]:
    assert main(list(argv)) == 0
    return capsys.readouterr().out.splitlines()


def test_the_tutorial_preset_prints_the_tutorials_log_and_table(capsys):
    lines = run_main(capsys, "--preset", "tutorial")
    log = [line for line in lines if line.startswith("Iteration ")]
    assert [line.split("\t")[0] for line in log] == [f"Iteration {i}" for i in range(0, 100_001, 2500)]
    assert all(re.fullmatch(r"Iteration \d+\tError: \d\.\d{6}", line) for line in log)
    assert log[-1] == "Iteration 100000\tError: 0.000291"
    assert not any(line.startswith("Minimum error reached") for line in lines)

    table = lines[lines.index("Input \tOutput \t\tTarget") + 1:]
    assert len(table) == 4
    for line, (inputs, output, target) in zip(table, TUTORIAL_ROWS):
        match = re.fullmatch(r"(\[\d \d\])\t \[([0-9.e-]+)\] \t\[([0-9.]+)\]", line)
        assert match, line
        assert match[1] == inputs
        assert float(match[2]) == pytest.approx(output, abs=0.01)
        assert float(match[3]) == target


def test_reaching_min_error_is_announced_at_the_right_iteration(capsys):
    config = RunConfig()
    ran = config.trainer().run(config.max_iterations, config.min_error)
    lines = run_main(capsys, "--every", "10")
    assert lines[0] == "Network (2, 4, 1) on XOR, seed 1"
    assert f"Minimum error reached at iteration {ran - 1}" in lines
    printed = [int(line.split("\t")[0].split()[1]) for line in lines if line.startswith("Iteration ")]
    assert printed == list(range(0, ran, 10))


def test_flags_override_the_preset(capsys):
    lines = run_main(capsys, "--preset", "tutorial", "--hidden", "3", "--iterations", "40",
                     "--every", "20", "--gate", "and", "--seed", "2")
    assert lines[0] == "Network (2, 3, 1) on AND, seed 2"
    assert [line.split("\t")[0] for line in lines if line.startswith("Iteration")] == [
        "Iteration 0", "Iteration 20", "Iteration 40"]


def test_a_diverging_run_says_so_and_still_prints_finite_outputs(capsys):
    lines = run_main(capsys, "--output-activation", "linear", "--loss", "mse",
                     "--learning-rate", "100000", "--iterations", "1000")
    assert any("learning rate 100000" in line and "Lower the learning rate" in line for line in lines)
    table = lines[lines.index("Input \tOutput \t\tTarget") + 1:]
    assert len(table) == 4 and not any("nan" in line or "inf" in line for line in table)


@pytest.mark.parametrize(("argv", "words"), [
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--preset", "nope"], "argument --preset: invalid choice: 'nope'"),
    (["--gate", "xand"], "argument --gate: invalid choice: 'xand'"),
    (["--activation", "softmax"], "argument --activation: invalid choice: 'softmax'"),
    (["--learning-rate", "fast"], "argument --learning-rate: invalid float value: 'fast'"),
    (["--learning-rate", "-1"], "The 'learning_rate' parameter must be a finite number"),
    (["--learning-rate", "nan"], "The 'learning_rate' parameter must be a finite number"),
    (["--hidden", "a,b"], "hidden layer sizes are whole numbers separated by commas"),
    (["--hidden", "4,0"], "The 'hidden' parameter must be a whole number between 1 and 16. Got 0"),
    (["--iterations", "0"], "The 'max_iterations' parameter must be a whole number between 1"),
    (["--seed", "-3"], "The 'seed' parameter must be a whole number between 0"),
    (["--every", "0"], "--every must be at least 1"),
    (["--loss", "cross_entropy", "--output-activation", "tanh"], "use a sigmoid or softmax output"),
])
def test_bad_flags_exit_with_status_2_and_a_clear_message(capsys, argv, words):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert words in captured.err
    assert "usage: python -m nnplay" in captured.err
    assert captured.out == ""


def test_python_dash_m_nnplay_runs_and_refuses():
    ok = subprocess.run([sys.executable, "-m", "nnplay", "--preset", "and", "--every", "1000"],
                        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "Network (2, 1) on AND, seed 1" in ok.stdout
    assert "Iteration 0\tError: " in ok.stdout and "Input \tOutput \t\tTarget" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "nnplay", "--learning-rate", "0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert "error: The 'learning_rate' parameter must be" in bad.stderr
    assert "Traceback" not in bad.stderr
