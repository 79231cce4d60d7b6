"""The panel "Back propagation, step by step" on the real page, driven by Streamlit's AppTest.

The panel predicts the weights of the next iteration; pressing the page's
Step must give exactly those weights, bit for bit.
"""

from __future__ import annotations

import ast

import numpy as np
from streamlit.testing.v1 import AppTest
from test_page import click, new_app

from nnplay import Trainer
from nnplay.explain import explain_step
from nnplay.views.backprop_tables import ALL_EXAMPLES

CODE_START = "new_weights = ["


def predicted_weights(at: AppTest) -> list[np.ndarray]:
    """The new weights the panel shows at full precision, read back as Python reads them."""
    blocks = [c.value for c in at.code if c.value.startswith(CODE_START)]
    assert len(blocks) == 1, f"expected the panel's one block of new weights, found {len(blocks)}"
    listed = ast.literal_eval(ast.parse(blocks[0]).body[0].value)
    return [np.array(w, dtype=float) for w in listed]


def network_weights(at: AppTest) -> list[np.ndarray]:
    return [w.copy() for w in at.session_state.playground.trainer.network.weights]


def press_step(at: AppTest) -> None:
    click(at, "Step")


def same_bits(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and x.tobytes() == y.tobytes()
                                    for x, y in zip(a, b))


def panel_tables(at: AppTest) -> str:
    """The HTML of the panel's tables (the page's network diagram names nodes too)."""
    return " ".join(m.value for m in at.markdown if m.value.startswith('<div class="nnx-row">'))


def messages(elements) -> str:
    return " ".join(e.value for e in elements)


def test_step_gives_exactly_the_weights_the_panel_predicts():
    at = new_app(tab="Back propagation, step by step")
    assert at.selectbox(key="explainer_example").value == ALL_EXAMPLES
    for iteration in range(3):
        assert at.session_state.playground.trainer.iteration == iteration
        prediction = predicted_weights(at)
        assert not same_bits(prediction, network_weights(at))
        assert "exactly the new weights below, bit for bit" in messages(at.success)
        press_step(at)
        assert same_bits(network_weights(at), prediction)


def test_the_panel_shows_the_tutorials_equations_layer_by_layer():
    at = new_app(tab="Back propagation, step by step")
    latex = [e.value.strip("$\n") for e in at.latex]
    assert any(r"\mathbf{x_{J}} = \mathbf{W_{IJ}}" in s for s in latex)
    assert any(s.startswith(r"\vec{\delta}_{K} = f'(\mathbf{x_{K}})") for s in latex)
    assert any(r"\mathbf{W_{JK}}^{\intercal} \vec{\delta}_{K}" in s for s in latex)
    assert any(r"\Delta \mathbf{W_{IJ}} = \vec{\delta}_{J}" in s for s in latex)
    first = "W1: x → h · weights $W_{IJ}$, layer $J$ is a hidden layer"
    second = "W2: h → out · weights $W_{JK}$, layer $K$ is the output layer"
    labels = [e.label for e in at.expander]
    start = labels.index(first)
    # forward first layer first, then back propagation output layer first
    assert labels[start:start + 4] == [first, second, second, first]
    html = panel_tables(at)
    assert "bias (dropped)" in html and "new W<sub>IJ</sub>" in html


def test_one_example_predicts_a_step_on_that_example_alone():
    at = new_app(tab="Back propagation, step by step")
    at.selectbox(key="explainer_example").select("Input 0 1").run()
    assert not at.exception, at.exception
    prediction = predicted_weights(at)
    assert "0 1 alone" in messages(at.info)
    assert "bit for bit" not in messages(at.success)

    trainer = at.session_state.playground.trainer
    row = [" ".join(f"{v:g}" for v in x) for x in trainer.X].index("0 1")
    X, y = trainer.X[row:row + 1], trainer.y[row:row + 1]
    settings = trainer.settings
    step = explain_step(trainer.network, X, y, loss=settings.loss,
                        learning_rate=settings.learning_rate)
    assert same_bits(prediction, [layer.new_W for layer in step.layers])
    alone = Trainer(trainer.network.copy(), X, y, **settings.to_dict())
    alone.step()
    assert same_bits(prediction, alone.network.weights)

    press_step(at)  # Step trains on the whole batch: other weights
    assert not same_bits(network_weights(at), prediction)
    assert at.selectbox(key="explainer_example").value == "Input 0 1"


def test_no_hidden_layer_and_the_mean_squared_error():
    at = new_app({"hidden": "", "loss": "mse", "lr": "0.5"}, tab="Back propagation, step by step")
    assert len(at.session_state.playground.trainer.network.weights) == 1
    assert "mean squared error" in messages(at.info)
    prediction = predicted_weights(at)
    press_step(at)
    assert same_bits(network_weights(at), prediction)


def test_momentum_is_exact_only_while_its_velocity_is_zero():
    at = new_app({"opt": "momentum"}, tab="Back propagation, step by step")
    assert "velocity is still zero" in messages(at.success)
    prediction = predicted_weights(at)
    press_step(at)
    assert same_bits(network_weights(at), prediction)
    assert "bit for bit" not in messages(at.success)
    assert "not the tutorial's plain gradient descent" in messages(at.warning)
    prediction = predicted_weights(at)
    press_step(at)
    assert not same_bits(network_weights(at), prediction)


def test_a_large_network_is_cut_down_and_can_be_shown_whole():
    at = new_app({"hidden": "16,16,16,16,16,16"}, tab="Back propagation, step by step")
    html = panel_tables(at)
    assert "not shown (⋯)" in html and "h1.16" not in html
    at.toggle(key="explainer_every_node").set_value(True).run()
    assert not at.exception, at.exception
    html = panel_tables(at)
    assert "not shown (⋯)" not in html and "h1.16" in html
    prediction = predicted_weights(at)
    press_step(at)
    assert same_bits(network_weights(at), prediction)
