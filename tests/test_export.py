"""Code export: the generated numpy script, run on its own, prints what nnplay computes.

The oracle is nnplay's own trainer: each script is executed in a fresh
Python (``-I``: nothing of this repository on the path) and its final error
and Input/Output/Target table are compared with the trainer's to 1e-9
relative. Not bit for bit: a matrix product may add in another order.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.datasets import Dataset
from nnplay.export import PRINT_EVERY, SHOWN_ROWS, script_for, script_name
from nnplay.presets import PRESETS
from nnplay.problems import UPLOADED
from nnplay.training import Trainer

RTOL = 1e-9
ATOL = 1e-12  # the table prints 12 decimals

FINAL = re.compile(r"^Iterations: (\d+)\tFinal error: (\S+)$", re.MULTILINE)
TEST = re.compile(r"^Test error: (\S+)$", re.MULTILINE)
ROW = re.compile(r"^\[([^\]]*)\]\t \[([^\]]*)\] \t\[([^\]]*)\]$", re.MULTILINE)

TUTORIAL = PRESETS["tutorial"].config
FAST = RunConfig()

# (id, config, iterations): None means the whole run, to the stop rule.
CASES = [
    ("tutorial-300", TUTORIAL, 300),
    ("fast-whole-run", FAST, None),
    ("fast-to-60", FAST, 60),
    ("momentum", replace(FAST, optimizer="momentum", learning_rate=0.3, momentum=0.8), 250),
    ("adam", replace(FAST, optimizer="adam", learning_rate=0.05), 250),
    ("nesterov", replace(FAST, optimizer="nesterov", learning_rate=0.3, momentum=0.8), 250),
    ("rmsprop", replace(FAST, optimizer="rmsprop", learning_rate=0.02), 250),
    ("adagrad", replace(FAST, optimizer="adagrad", learning_rate=0.2), 250),
    ("step-schedule-warmup", replace(FAST, schedule="step", decay_steps=40, decay_rate=0.5,
                                     warmup=10), 200),
    ("cosine-schedule-adam", replace(FAST, optimizer="adam", learning_rate=0.05, schedule="cosine",
                                     decay_steps=100, decay_floor=0.1), 200),
    ("exponential-schedule-momentum", replace(FAST, optimizer="momentum", learning_rate=0.3,
                                              schedule="exponential", decay_steps=50,
                                              decay_rate=0.3, warmup=5), 200),
    ("early-stop", RunConfig(problem="set:circle", n_points=40, noise=0.5, test_fraction=0.5,
                             hidden=(12, 12), activation="relu", init="he", optimizer="adam",
                             learning_rate=0.05, min_error=0.0, max_iterations=3000,
                             patience=60), None),
    ("adam-betas", replace(FAST, optimizer="adam", learning_rate=0.05, beta1=0.5, beta2=0.99), 250),
    ("mse", replace(FAST, loss="mse", learning_rate=3.0), 300),
    ("cross-entropy", replace(FAST, loss="cross_entropy", learning_rate=1.0, min_error=0.05), None),
    ("relu-he", replace(FAST, activation="relu", init="he", learning_rate=0.5, seed=3), 300),
    ("leaky-relu-uniform", replace(FAST, activation="leaky_relu", init="uniform",
                                   learning_rate=0.5), 300),
    ("linear-hidden-and", replace(FAST, problem="and", activation="linear", init="tutorial",
                                  learning_rate=0.5), 200),
    ("no-hidden-layer", PRESETS["and"].config, None),
    ("two-hidden-layers", replace(FAST, hidden=(3, 2), activation="sigmoid", seed=7), 300),
    ("tanh-output-adam-nand", replace(FAST, problem="nand", output_activation="tanh",
                                      optimizer="adam", learning_rate=0.02), 200),
    ("linear-output-mse", replace(FAST, output_activation="linear", loss="mse",
                                  learning_rate=0.1), 200),
    ("features-no-hidden", replace(FAST, hidden=(), features=("x1", "x2", "x1_x2", "sin_x1"),
                                   learning_rate=1.0), 200),
    ("l2-penalty", replace(FAST, regularization="l2", regularization_rate=0.01), 200),
    ("l1-penalty-momentum", replace(FAST, regularization="l1", regularization_rate=0.005,
                                    optimizer="momentum", learning_rate=0.3), 200),
    ("parity3", replace(FAST, problem="parity3", hidden=(6,)), 300),
    ("custom-3-inputs", replace(FAST, problem="custom:01101001", hidden=(5,)), 200),
    ("circle-batches-split", RunConfig(problem="set:circle", n_points=60, noise=0.1,
                                       test_fraction=0.25, batch_size=8, learning_rate=0.3,
                                       features=("x1", "x2", "x1_sq", "x2_sq")), 150),
    ("spiral3-softmax-adam-l1", RunConfig(problem="set:spiral3", n_points=45, hidden=(6, 4),
                                          activation="relu", output_activation="softmax",
                                          loss="cross_entropy", optimizer="adam",
                                          learning_rate=0.01, batch_size=10,
                                          regularization="l1", regularization_rate=0.001), 150),
    ("plane-regression", RunConfig(problem="set:plane", n_points=30, noise=0.1,
                                   output_activation="linear", loss="mse", learning_rate=0.05),
     None),
    ("activation-per-layer", replace(FAST, hidden=(4, 3, 3), activation=("tanh", "relu", "sigmoid"),
                                     learning_rate=0.5, seed=3), 300),
    ("dropout-whole-run", replace(FAST, hidden=(8,), dropout=0.2, learning_rate=1.0,
                                  min_error=0.2), None),
    ("dropout-per-layer-adam", replace(FAST, hidden=(6, 5), activation=("relu", "tanh"), init="he",
                                       optimizer="adam", learning_rate=0.02, dropout=0.5), 250),
    ("dropout-batches-split-early-stop", RunConfig(
        problem="set:moons", n_points=60, noise=0.2, test_fraction=0.3, batch_size=7,
        hidden=(8, 6), activation=("tanh", "leaky_relu"), dropout=0.3, learning_rate=0.2,
        patience=40, min_error=0.0, max_iterations=2000), None),
]
CONFIGS = {name: config for name, config, _ in CASES}
UPLOADED_POINTS = Dataset("mine", np.array([[0.5, 1.0], [-1.0, 2.0], [2.0, -0.5], [-2.0, -1.5],
                                            [1.5, 1.5], [-0.5, -2.5]]),
                          np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0]]), "binary",
                          ((-3.0, 3.0), (-3.0, 3.0)))


def nnplay_run(config: RunConfig, iterations: int | None,
               uploaded: Dataset | None = None) -> Trainer:
    """What the page shows: Play to the stop rule, or Step to ``iterations``."""
    trainer = config.trainer(uploaded)
    if iterations is None:
        trainer.run(config.max_iterations, config.min_error)
    else:
        trainer.step(iterations)
    return trainer


def run_script(script: str, tmp_path) -> str:
    done = subprocess.run([sys.executable, "-I", "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def parse(stdout: str) -> tuple[int, float, np.ndarray, np.ndarray]:
    """``(iterations, final error, outputs, targets)`` from a script's printout (the rows shown)."""
    finals = FINAL.findall(stdout)
    assert len(finals) == 1, stdout
    rows = ROW.findall(stdout)
    assert 1 <= len(rows) <= 16, stdout
    outputs = np.array([[float(v) for v in out.split()] for _, out, _ in rows])
    targets = np.array([[float(v) for v in t.split()] for _, _, t in rows])
    return int(finals[0][0]), float(finals[0][1]), outputs, targets


def check_against_nnplay(stdout: str, trainer: Trainer) -> None:
    n, error, outputs, targets = parse(stdout)
    assert n == trainer.iteration
    assert error == pytest.approx(trainer.last_error, rel=RTOL, abs=ATOL)
    shown = len(outputs)
    np.testing.assert_allclose(outputs, trainer.network.predict(trainer.X)[:shown], rtol=RTOL,
                               atol=ATOL)
    np.testing.assert_allclose(targets, trainer.y[:shown], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(("config", "iterations"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_script_prints_nnplays_final_error_and_table(config, iterations, tmp_path):
    trainer = nnplay_run(config, iterations)
    check_against_nnplay(run_script(script_for(config, iterations), tmp_path), trainer)


def test_uploaded_points_are_written_into_the_script(tmp_path):
    config = replace(FAST, problem=UPLOADED, learning_rate=0.5)
    script = script_for(config, 120, uploaded=UPLOADED_POINTS)
    assert "[-0.5, -2.5]" in script
    check_against_nnplay(run_script(script, tmp_path), nnplay_run(config, 120, UPLOADED_POINTS))


def test_a_test_set_is_measured_as_the_page_measures_it(tmp_path):
    config = RunConfig(problem="set:moons", n_points=40, test_fraction=0.3, learning_rate=0.2)
    p = Playground(config)
    p.step(80)
    stdout = run_script(script_for(config, 80), tmp_path)
    check_against_nnplay(stdout, p.trainer)
    (test_error,) = TEST.findall(stdout)
    assert float(test_error) == pytest.approx(p.test_error(), rel=RTOL)
    train_scores, test_scores = p.scores()
    assert f"Training accuracy: {train_scores.accuracy:.1%}" in stdout
    assert f"Test accuracy: {test_scores.accuracy:.1%}" in stdout
    assert p.trainer.X.shape[0] == 28  # 12 of the 40 points held out


def test_many_rows_print_the_first_few_and_an_accuracy(tmp_path):
    config = RunConfig(problem="set:gaussians", n_points=50, learning_rate=0.2)
    stdout = run_script(script_for(config, 30), tmp_path)
    assert len(ROW.findall(stdout)) == SHOWN_ROWS
    assert f"... and {50 - SHOWN_ROWS} more rows" in stdout
    trainer = nnplay_run(config, 30)
    right = (trainer.network.predict(trainer.X)[:, 0] >= 0.5) == (trainer.y[:, 0] >= 0.5)
    assert f"Training accuracy: {np.mean(right):.1%}" in stdout


def test_only_what_the_run_uses_is_written():
    plain = script_for(FAST)
    for extra in ("def features(", "def batchRows(", "penaltyRate", "TestInput", "def error(",
                  "accuracy"):
        assert extra not in plain, extra
    rich = script_for(CONFIGS["spiral3-softmax-adam-l1"], 10)  # batches, L1, softmax, no test set
    for needed in ("def batchRows(", "penaltyRate = 0.001", "def softmax(", "def error(",
                   "np.sign(", "crossed"):
        assert needed in rich, needed
    assert "TestInput" not in rich
    assert "def features(" in script_for(CONFIGS["circle-batches-split"], 10)


def test_a_batch_as_large_as_the_data_is_the_full_batch():
    script = script_for(replace(FAST, batch_size=4))  # XOR has 4 rows
    assert "batchRows" not in script and "NN.backProp(Input, Target, trainingRate)" in script


def test_the_whole_run_stops_where_the_page_stops(tmp_path):
    stdout = run_script(script_for(FAST), tmp_path)
    trainer = nnplay_run(FAST, None)
    assert trainer.iteration < FAST.max_iterations  # it stopped by the error, not the maximum
    assert f"Minimum error reached at iteration {trainer.iteration - 1}" in stdout
    assert parse(stdout)[0] == trainer.iteration


def test_a_capped_run_stops_at_the_maximum(tmp_path):
    config = replace(FAST, max_iterations=40, min_error=0.0)
    n, error, _, _ = parse(run_script(script_for(config), tmp_path))
    assert n == 40
    assert error == pytest.approx(nnplay_run(config, None).last_error, rel=RTOL)


def test_the_log_prints_every_2500_iterations_like_the_tutorial(tmp_path):
    stdout = run_script(script_for(TUTORIAL, 5001), tmp_path)
    printed = re.findall(r"^Iteration (\d+)\tError: \d\.\d{6}$", stdout, re.MULTILINE)
    assert printed == ["0", str(PRINT_EVERY), str(2 * PRINT_EVERY)]


def test_a_count_ignores_the_stop_rule_as_the_step_buttons_do(tmp_path):
    solved_at = nnplay_run(FAST, None).iteration
    n, _, _, _ = parse(run_script(script_for(FAST, solved_at + 20), tmp_path))
    assert n == solved_at + 20


@pytest.mark.parametrize("init", ["tutorial", "xavier", "he", "uniform"])
@pytest.mark.parametrize("hidden", [(), (3,), (4, 2)])
def test_the_initial_weights_are_nnplays_exactly(init, hidden):
    config = replace(FAST, init=init, hidden=hidden, seed=11)
    script = script_for(config, 1)
    # Run the definitions only (the class), then build the network as the script does.
    definitions = script.split("\n# -- The data")[0]
    namespace: dict = {}
    exec(compile(definitions, "<nnplay script>", "exec"), namespace)
    built = namespace["backPropNN"](config.shape(), seed=config.seed)
    expected = config.network().weights
    assert len(built.weights) == len(expected)
    for ours, theirs in zip(built.weights, expected):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(("config", "iterations"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_script_imports_only_numpy(config, iterations):
    tree = ast.parse(script_for(config, iterations))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported == {"numpy"}


def test_the_script_uses_the_tutorials_names_and_only_what_the_run_needs():
    script = script_for(TUTORIAL)
    for name in ("class backPropNN", "def FP(self, input)", "def backProp(self, input, target",
                 "numNodes", "layerInput", "layerOutput", "delta_pullback", "trainingRate = 0.2",
                 "maxIterations = 99999", "minError = 1e-05", "for i in range(maxIterations + 1)",
                 "np.random.default_rng(seed)", "print('Input \\tOutput \\t\\tTarget')"):
        assert name in script, name
    assert "def sigmoid(" in script
    for unused in ("def tanh(", "def relu(", "velocity", "beta1", "def transfer(", "numValues"):
        assert unused not in script, unused
    adam = script_for(replace(FAST, optimizer="adam"))
    assert "self.steps += 1" in adam and "velocity" not in adam
    assert "def transfer(" in script_for(FAST)  # tanh hidden, sigmoid output


def test_the_script_says_how_to_run_it():
    script = script_for(FAST, 250)
    assert script_name(FAST, 250) == "nnplay_xor_seed1_250it.py"
    assert script_name(FAST) == "nnplay_xor_seed1.py"
    assert script_name(RunConfig(problem="set:spiral3")) == "nnplay_spiral3_seed1.py"
    assert script_name(replace(FAST, problem="custom:0110")) == "nnplay_custom0110_seed1.py"
    assert "python nnplay_xor_seed1_250it.py" in script
    assert "pip install numpy" in script
    assert "after exactly 250 iterations" in script
    compile(script, "<nnplay script>", "exec")


@pytest.mark.parametrize("iterations", [0, -3, 2.5, True])
def test_bad_iteration_counts_are_refused(iterations):
    with pytest.raises((ValueError, TypeError), match="'iterations' parameter must be"):
        script_for(FAST, iterations)


def test_a_config_is_required():
    with pytest.raises(TypeError, match="RunConfig"):
        script_for({"problem": "xor"})


def test_the_export_module_is_engine_side():
    probe = ("import sys, nnplay.export; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "{'streamlit', 'plotly', 'pandas'}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_script_whose_weights_overflow_stops_with_a_sentence(tmp_path):
    """The largest η a link takes (10^6) passes every check but overflows a ReLU network in a
    few iterations: the page stops there with a sentence, and so does its script."""
    from nnplay.app.link import parse_query

    config = parse_query({"lr": "1000000", "act": "relu", "out": "linear", "loss": "mse",
                          "min": "0", "max": "50"}).config
    out = run_script(script_for(config), tmp_path)
    assert "so the learning rate is too large for this network. Stopped." in out
