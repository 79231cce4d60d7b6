"""The back-propagation panel's content, without a page: tables, equations, claims, full precision."""

from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pytest

from nnplay import Network, Trainer, datasets
from nnplay.activations import ACTIVATIONS
from nnplay.config import RunConfig
from nnplay.explain import explain_step
from nnplay.views import backprop_tables
from nnplay.views.backprop_tables import ALL_EXAMPLES, MAX_NODES_SHOWN, MORE, number, table

XOR = datasets.gate("xor")


def tutorial_trainer(**settings: object) -> Trainer:
    """The tutorial's (2, 2, 1) sigmoid network on XOR."""
    return Trainer(Network((2, 2, 1), seed=3), XOR.X, XOR.y, **settings)


def code_weights(code: str) -> list[np.ndarray]:
    """The weights written in the panel's full-precision block, read back as Python would."""
    return [np.array(w, dtype=float) for w in ast.literal_eval(ast.parse(code).body[0].value)]


def assert_same_bits(got: list[np.ndarray], expected: list[np.ndarray]) -> None:
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert a.shape == b.shape
        assert a.tobytes() == b.tobytes()


def cells(values: np.ndarray) -> list[list[str]]:
    return [[number(v) for v in row] for row in values]


# -- examples and numbers ------------------------------------------------------------

def test_examples_are_named_by_their_input():
    assert backprop_tables.example_names(XOR.X) == ["0 0", "1 1", "0 1", "1 0"]
    options = backprop_tables.example_options(XOR.X)
    assert options == [ALL_EXAMPLES, "Input 0 0", "Input 1 1", "Input 0 1", "Input 1 0"]
    assert backprop_tables.example_index(ALL_EXAMPLES, XOR.X) is None
    assert backprop_tables.example_index("Input 0 1", XOR.X) == 2
    assert backprop_tables.example_index("something else", XOR.X) is None


@pytest.mark.parametrize("value, text", [
    (0.123456, "0.1235"), (-0.75, "-0.75"), (1.0, "1"), (0.0, "0"), (-0.0, "0"),
    (1.23456e-5, "1.235e-05"), (12345.6, "1.235e+04"), (np.inf, "inf"),
])
def test_numbers_have_four_significant_digits(value, text):
    assert number(value) == text


def test_letters_follow_the_tutorial_and_skip_O():
    assert backprop_tables.letters((2, 2, 1)) == ["I", "J", "K"]
    assert backprop_tables.letters((2, 1)) == ["I", "J"]
    assert backprop_tables.letters((2, 4, 4, 4, 4, 4, 4, 1)) == list("IJKLMNPQ")


# -- tables ----------------------------------------------------------------------------

def test_a_small_table_shows_every_value_labelled():
    values = np.array([[0.5, -0.25], [1.0, 2.0], [1.0, 1.0]])
    t = table("O<sub>I</sub>", "inputs", values, ["x1", "x2", "bias"], ["0 1", "1 0"])
    assert t.rows == ("x1", "x2", "bias") and t.columns == ("0 1", "1 0")
    assert [list(r) for r in t.cells] == cells(values)
    assert t.note is None
    assert t.frame.loc["x1", "1 0"] == "-0.25"
    assert t.tints[0][0] != t.tints[0][1]  # positive blue, negative orange
    html = t.html()
    assert "<b>O<sub>I</sub></b> · inputs" in html and html.count("<tr>") == 4


def test_a_large_table_keeps_the_bias_and_says_what_it_leaves_out():
    values = np.arange(16 * 17, dtype=float).reshape(16, 17)
    rows = [f"h{i + 1}" for i in range(16)]
    columns = [f"x{i + 1}" for i in range(16)] + ["bias"]
    t = table("W", "weights", values, rows, columns)
    assert t.rows == (*rows[:MAX_NODES_SHOWN], MORE)
    assert t.columns == (*columns[:MAX_NODES_SHOWN], MORE, "bias")
    assert t.cells[0][-1] == number(values[0, -1])  # the bias column is kept
    assert all(c == MORE for c in t.cells[-1]) and t.cells[0][MAX_NODES_SHOWN] == MORE
    assert (t.hidden_rows, t.hidden_columns) == (8, 8)
    assert t.note == "8 rows and 8 columns not shown (⋯)"
    full = table("W", "weights", values, rows, columns, limit=None)
    assert full.note is None and len(full.rows) == 16 and len(full.columns) == 17


def test_a_table_of_one_more_than_the_limit_is_cut_but_the_bias_row_never_counts():
    rows = [f"h{i + 1}" for i in range(MAX_NODES_SHOWN)] + ["bias"]
    assert table("O", "o", np.ones((MAX_NODES_SHOWN + 1, 1)), rows, ["0 0"]).note is None
    rows = [f"h{i + 1}" for i in range(MAX_NODES_SHOWN + 1)]
    assert table("O", "o", np.ones((MAX_NODES_SHOWN + 1, 1)), rows, ["0 0"]).hidden_rows == 1


# -- the calculation -------------------------------------------------------------------

def test_the_forward_pass_shows_the_tutorials_quantities():
    trainer = tutorial_trainer(learning_rate=0.5)
    view = backprop_tables.build(trainer)
    step = explain_step(trainer.network, XOR.X, XOR.y, learning_rate=0.5)
    assert [s.title.split(" ·")[0] for s in view.forward] == ["W1: x → h", "W2: h → out"]
    first, second = (s.equations[0] for s in view.forward)
    assert r"\mathbf{x_{J}} = \mathbf{W_{IJ}}" in first.latex
    assert r"\mathbf{x_{K}} = \mathbf{W_{JK}}" in second.latex
    W, O_I, x_J, O_J = first.tables
    assert W.rows == ("h1", "h2") and W.columns == ("x1", "x2", "bias")
    assert O_I.rows == ("x1", "x2", "bias") and O_I.columns == ("0 0", "1 1", "0 1", "1 0")
    assert O_I.cells[-1] == ("1", "1", "1", "1")  # the bias row of ones
    layer = step.layers[0]
    for t, values in zip(first.tables, (layer.W, layer.O_I, layer.x_J, layer.O_J)):
        assert [list(r) for r in t.cells] == cells(values)
    assert second.tables[1].rows == ("h1", "h2", "bias")
    assert second.tables[3].rows == ("out",)


def test_back_propagation_goes_from_the_output_to_the_inputs():
    trainer = tutorial_trainer(learning_rate=0.5)
    view = backprop_tables.build(trainer)
    step = explain_step(trainer.network, XOR.X, XOR.y, learning_rate=0.5)
    hidden, output = step.layers
    assert [s.title.split(" ·")[0] for s in view.backward] == ["W2: h → out", "W1: x → h"]
    (delta_K, update_K), (delta_J, update_J) = (s.equations for s in view.backward)
    # δ_K = f'(x_K) * (O_K - T_K)
    assert delta_K.latex == (r"\vec{\delta}_{K} = f'(\mathbf{x_{K}}) * "
                             r"(\vec{\mathcal{O}}_{K} - \mathbf{T_{K}})")
    miss, slope, delta = delta_K.tables
    assert [list(r) for r in miss.cells] == cells(output.O_J - XOR.y.T)
    assert [list(r) for r in slope.cells] == cells(output.O_J * (1 - output.O_J))
    assert [list(r) for r in delta.cells] == cells(output.delta_J)
    # δ_J = f'(x_J) * W_JK^T δ_K, the bias row dropped
    assert r"\mathbf{W_{JK}}^{\intercal} \vec{\delta}_{K}" in delta_J.latex
    pulled, slope, delta = delta_J.tables
    assert pulled.rows == ("h1", "h2", "bias (dropped)")
    full = output.W.T @ output.delta_J
    assert [list(r) for r in pulled.cells] == cells(full)
    np.testing.assert_allclose(hidden.delta_J, hidden.O_J * (1 - hidden.O_J) * full[:-1], atol=1e-15)
    assert [list(r) for r in delta.cells] == cells(hidden.delta_J)
    # ΔW, -η ΔW and the new weights, in W's layout
    for update, layer in ((update_K, output), (update_J, hidden)):
        assert r"\eta = 0.5" in update.latex
        gradient, change, new = update.tables
        assert [list(r) for r in gradient.cells] == cells(layer.gradient)
        assert [list(r) for r in change.cells] == cells(-0.5 * layer.gradient)
        assert [list(r) for r in new.cells] == cells(layer.new_W)
        assert new.columns[-1] == "bias"


def test_the_error_is_the_tutorials_sum_of_squares():
    trainer = tutorial_trainer()
    view = backprop_tables.build(trainer)
    outputs = trainer.network.predict(XOR.X)
    error = float(np.sum((outputs - XOR.y) ** 2))
    assert view.error.latex.endswith(f"= {number(error)}")
    assert view.step.error == pytest.approx(error, rel=1e-14)
    output, target = view.error.tables
    assert target.cells == (("0", "0", "1", "1"),)


def test_the_output_delta_follows_the_loss():
    mse = backprop_tables.build(tutorial_trainer(loss="mse"))
    latex = mse.backward[0].equations[0].latex
    assert r"\frac{2}{N}" in latex and "N = 4" in latex  # 1 output times 4 examples
    assert "2/N" in mse.loss_note
    ce = backprop_tables.build(tutorial_trainer(loss="cross_entropy"))
    equation = ce.backward[0].equations[0]
    assert r"\frac{1}{n}" in equation.latex and len(equation.tables) == 2  # f' cancels: no slope
    assert "cross-entropy" in ce.loss_note
    assert backprop_tables.build(tutorial_trainer()).loss_note is None


def test_the_new_weights_are_written_to_the_last_bit():
    trainer = tutorial_trainer(learning_rate=0.7)
    view = backprop_tables.build(trainer)
    written = code_weights(view.code)
    assert_same_bits(written, view.new_weights)
    assert "# W1: x → h, shape 2 x 3 (last column: bias)" in view.code
    trainer.step()
    assert_same_bits(trainer.network.weights, written)
    assert view.claim.exact and view.claim.kind == "success"


def test_one_example_is_a_step_on_that_example_alone():
    trainer = tutorial_trainer(learning_rate=0.7)
    view = backprop_tables.build(trainer, example=2)
    assert view.forward[0].equations[0].tables[1].columns == ("0 1",)
    alone = Trainer(Network((2, 2, 1), seed=3), XOR.X[2:3], XOR.y[2:3], learning_rate=0.7)
    alone.step()
    assert_same_bits(code_weights(view.code), alone.network.weights)
    assert not view.claim.exact and view.claim.kind == "info"
    assert "0 1 alone" in view.claim.message and ALL_EXAMPLES in view.claim.message
    assert trainer.iteration == 0  # building changes nothing


# -- what Step will do ---------------------------------------------------------------

def test_momentum_is_plain_gradient_descent_while_its_velocity_is_zero():
    trainer = tutorial_trainer(optimizer="momentum", learning_rate=0.7)
    view = backprop_tables.build(trainer)
    assert view.claim.exact and "velocity is still zero" in view.claim.message
    trainer.step()
    assert_same_bits(trainer.network.weights, view.new_weights)
    view = backprop_tables.build(trainer)
    assert not view.claim.exact and view.claim.kind == "warning"
    assert "momentum" in view.claim.message and "0.9 times the previous change" in view.claim.message
    assert "deltas and the gradient ΔW below are exactly what Step computes" in view.claim.message
    trainer.step()
    assert not all(np.array_equal(a, b) for a, b in zip(trainer.network.weights, view.new_weights))


@pytest.mark.parametrize(("optimizer", "label", "words"), [
    ("adam", "Adam", "running average"), ("rmsprop", "RMSprop", "running average"),
    ("adagrad", "Adagrad", "sum of its squared gradients"),
    ("nesterov", "Nesterov momentum", "about to carry")])
def test_the_other_rules_never_claim_the_plain_step(optimizer, label, words):
    trainer = tutorial_trainer(optimizer=optimizer, learning_rate=0.1)
    view = backprop_tables.build(trainer)  # even at the first step, with every slot at rest
    assert not view.claim.exact and label in view.claim.message and words in view.claim.message
    trainer.step()
    assert not all(np.array_equal(a, b) for a, b in zip(trainer.network.weights, view.new_weights))


@pytest.mark.parametrize("settings, words", [
    ({"batch_size": 2}, "mini-batch of 2"),
    ({"regularization": "l2", "regularization_rate": 0.01}, "L2 penalty"),
])
def test_other_training_is_named(settings, words):
    claim = backprop_tables.build(tutorial_trainer(**settings)).claim
    assert not claim.exact and words in claim.message


def test_one_example_with_momentum_names_both_differences():
    trainer = tutorial_trainer(optimizer="momentum")
    trainer.step()
    claim = backprop_tables.build(trainer, example=0).claim
    assert claim.kind == "info" and "0 0 alone" in claim.message and "velocity" in claim.message


def test_a_diverged_run_says_step_does_nothing():
    trainer = Trainer(Network((2, 2, 1), activation="linear", output_activation="linear", seed=0),
                      XOR.X, XOR.y, learning_rate=1e5)
    trainer.step(50)
    assert trainer.divergence is not None
    view = backprop_tables.build(trainer)
    assert not view.claim.exact and "diverged" in view.claim.message


def test_a_step_to_infinity_is_not_promised():
    trainer = Trainer(Network((2, 2, 1), activation="linear", output_activation="linear", seed=0),
                      XOR.X, XOR.y, learning_rate=1e5)
    net = trainer.network
    net.set_weights([w * 1e150 for w in net.weights])
    view = backprop_tables.build(trainer)
    assert not view.claim.exact and "infinite" in view.claim.message
    compile(view.code, "<panel>", "exec")  # still valid Python: float("inf")


# -- every network the page allows ---------------------------------------------------------

@pytest.mark.parametrize("hidden, activation, loss", [
    ((), "tanh", "sse"),
    ((1,), "relu", "mse"),
    ((16,), "leaky_relu", "cross_entropy"),
    ((3, 1, 4, 1, 5, 9), "linear", "sse"),
    ((16,) * 6, "sigmoid", "sse"),
])
def test_every_shape_the_page_allows(hidden, activation, loss):
    config = RunConfig(hidden=hidden, activation=activation, loss=loss, learning_rate=0.3)
    trainer = config.trainer()
    view = backprop_tables.build(trainer)
    n_layers = len(hidden) + 1
    assert len(view.forward) == len(view.backward) == n_layers
    titles = [s.title for s in view.forward]
    assert [s.title for s in view.backward] == titles[::-1]
    assert view.backward[0].expanded  # the output layer's deltas are always open
    for section in view.forward + view.backward:
        for equation in section.equations:
            assert equation.latex and equation.text
            for t in equation.tables:
                assert len(t.rows) <= MAX_NODES_SHOWN + 2 and len(t.columns) <= MAX_NODES_SHOWN + 2
                assert len(t.cells) == len(t.rows) and all(len(r) == len(t.columns) for r in t.cells)
    assert view.truncated == (max(hidden, default=0) > MAX_NODES_SHOWN)
    assert view.claim.exact
    full = backprop_tables.build(trainer, limit=None)
    assert not full.truncated
    assert_same_bits(code_weights(full.code), view.new_weights)
    trainer.step()
    assert_same_bits(trainer.network.weights, view.new_weights)


def test_hidden_slopes_come_from_each_activation():
    for name in ("tanh", "relu", "leaky_relu", "linear", "sigmoid"):
        trainer = RunConfig(hidden=(3,), activation=name).trainer()
        view = backprop_tables.build(trainer)
        layer = view.step.layers[0]
        expected = ACTIVATIONS[name].derivative(layer.x_J, layer.O_J)
        slope = view.backward[1].equations[0].tables[1]
        assert [list(r) for r in slope.cells] == cells(expected), name


def test_the_presentation_never_imports_streamlit():
    code = ("import sys, nnplay.views.backprop_tables; "
            "sys.exit('streamlit' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
