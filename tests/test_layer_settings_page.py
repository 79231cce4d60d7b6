"""An activation per hidden layer and dropout, from the link and the sidebar to a saved run and
the explainer, on the page driven by Streamlit's AppTest.

Old links keep their meaning: ``act=relu`` is ReLU in every hidden layer, and a link without
``drop`` has no dropout (tests/fixtures holds links and runs saved before either existed).
"""

from __future__ import annotations

import numpy as np
from test_explainer_page import messages, network_weights, predicted_weights, press_step, same_bits
from test_page import click, new_app, playground, shown

from nnplay.app import runfile
from nnplay.app.link import ViewOptions, parse_query, to_query
from nnplay.config import RunConfig

MIXED = RunConfig(hidden=(4, 3), activation=("tanh", "relu"), learning_rate=0.5)


def test_the_link_carries_an_activation_per_layer_and_old_links_mean_every_layer():
    assert to_query(MIXED, ViewOptions())["act"] == "tanh,relu"
    assert parse_query(to_query(MIXED, ViewOptions())).config == MIXED
    old = parse_query({"hidden": "4,3", "act": "relu"})
    assert old.config.activation == "relu" and old.warnings == ()
    assert old.config.network().hidden_activations == ("relu", "relu")
    assert parse_query({"hidden": "4,3", "act": "relu,relu"}).config.activation == "relu"


def test_a_link_with_the_wrong_number_of_activations_keeps_the_rest_and_says_so():
    link = parse_query({"hidden": "4", "act": "tanh,relu", "lr": "0.5", "seed": "3"})
    assert link.config == RunConfig(hidden=(4,), learning_rate=0.5, seed=3)
    assert len(link.warnings) == 1
    assert "The 'activation' parameter must be one name for every hidden layer, or one per " \
           "hidden layer (1 hidden layer here). Got 'tanh,relu' instead." in link.warnings[0]
    bad = parse_query({"act": "tanh,swish"})
    assert bad.config == RunConfig() and "'act' value 'tanh,swish'" in bad.warnings[0]


def test_a_saved_run_with_both_loads_back_to_the_same_weights_and_carries_on_alike():
    config = MIXED.replace(dropout=0.3)
    trainer = config.trainer()
    trainer.step(40)
    loaded = runfile.load_run(runfile.save(config, ViewOptions(), trainer))
    assert loaded.config == config
    assert loaded.trainer.network.hidden_activations == ("tanh", "relu")
    trainer.step(25)
    loaded.trainer.step(25)
    np.testing.assert_array_equal(loaded.trainer.network.parameters, trainer.network.parameters)


def test_the_sidebar_opens_per_layer_controls_from_the_link_and_back():
    at = new_app(to_query(MIXED, ViewOptions()))
    assert at.selectbox(key="activation").value == "per layer"
    assert [at.selectbox(key=f"activation_{k}").value for k in range(2)] == ["tanh", "relu"]
    assert playground(at).trainer.network.hidden_activations == ("tanh", "relu")
    click(at, "Step 10")
    at.selectbox(key="activation_1").set_value("sigmoid").run()
    assert not at.exception
    p = playground(at)
    assert p.config.activation == ("tanh", "sigmoid") and p.trainer.iteration == 0  # restarted
    at.selectbox(key="activation").set_value("relu").run()
    assert playground(at).trainer.network.hidden_activations == ("relu", "relu")
    assert not [s for s in at.selectbox if s.key == "activation_0"]


def test_dropout_from_the_link_trains_with_masks_and_the_error_says_so():
    at = new_app({"drop": "0.4", "hidden": "6"})
    assert playground(at).trainer.settings.dropout == 0.4
    assert at.number_input(key="dropout").value == 0.4
    click(at, "Step 10")
    assert "with dropout 0.4 on" in error_help(at)
    plain = RunConfig(hidden=(6,)).trainer()
    plain.step(10)
    assert not np.array_equal(playground(at).trainer.network.parameters, plain.network.parameters)
    at.number_input(key="dropout").set_value(0.0).run()
    assert playground(at).trainer.iteration == 10  # a training setting: the network stays
    assert error_help(at) is None  # the scene's, which says nothing of dropout


def error_help(at) -> str | None:
    """The Error metric's help as the last frame sends it."""
    return [h for name, _, h in shown(at)["metrics"] if name == "Error"][0]

def test_the_explainer_applies_this_steps_masks_and_step_gives_its_weights():
    at = new_app({"drop": "0.5", "hidden": "5,4", "act": "relu,tanh", "init": "he",
                  "lr": "0.3"}, tab="Back propagation, step by step")
    for _ in range(3):
        prediction = predicted_weights(at)
        note = messages(at.info)
        assert "Dropout 0.5: this step applies its own masks" in note
        assert "Dropped this step: h" in note
        assert "exactly the new weights below, bit for bit" in messages(at.success)
        assert any(r"= m_{J} * f(" in e.value for e in at.latex)
        press_step(at)
        assert same_bits(network_weights(at), prediction)
