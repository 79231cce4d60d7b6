"""The page beyond the six gates (3-input problems, your own truth table) and rewinding."""

from __future__ import annotations

import numpy as np
from test_page import (
    button,
    click,
    iteration,
    live,
    live_table,
    new_app,
    playground,
    said,
    scene,
    shown,
    texts,
    weights,
)

from nnplay.config import RunConfig


def test_three_input_parity_shows_slices():
    at = new_app()
    at.selectbox(key="problem").set_value("parity3").run()
    assert playground(at).shape == (3, 4, 1)
    assert "(3, 4, 1)" in texts(at.sidebar.markdown)
    assert len(live_table(at)) == 8
    slice_radio = at.radio(key="slice_x3")
    assert len(scene(at)["points"]) == 4  # the four rows with x3 = 0
    slice_radio.set_value(1).run()
    assert playground(at).third_input == 1.0
    points, targets = playground(at).surface_points()
    assert targets.tolist() == [1.0, 0.0, 0.0, 1.0]  # parity of (x1, x2, 1)
    click(at, "Step 10")
    assert iteration(at) == 10


def test_your_own_truth_table_from_the_controls_and_from_a_link():
    at = new_app()
    at.selectbox(key="problem").set_value("custom").run()
    assert playground(at).config.problem == "custom:0110"  # starts as XOR
    assert len(at.sidebar.dataframe) == 1  # the editable table (st.data_editor)
    at.radio(key="custom_inputs").set_value(3).run()
    assert playground(at).config.problem == "custom:01100110"
    assert playground(at).shape[0] == 3

    linked = new_app({"gate": "custom:1000", "hidden": ""})
    config = playground(linked).config
    assert config.problem == "custom:1000" and config.hidden == ()
    assert linked.selectbox(key="problem").value == "custom"
    assert list(live_table(linked)["Target"]) == ["1", "0", "0", "0"]  # NOR, as a table
    assert "your truth table (1000)" in texts(linked.markdown)


def test_a_bad_truth_table_in_a_link_warns():
    at = new_app({"gate": "custom:01x0"})
    assert "'gate'" in said(at)
    assert playground(at).config == RunConfig()


def test_rewind_shows_the_past_and_carries_on_from_it_exactly():
    at = new_app(tab="Rewind")
    reference = new_app()
    for _ in range(3):
        click(at, "Step 10")
    click(reference, "Step 10")
    assert iteration(at) == 30
    timeline = [s for s in at.select_slider if s.label == "Iteration to look at"][0]
    assert 10 in timeline.options or "10" in timeline.options
    timeline.set_value(10).run()
    assert "as it was at iteration 10" in texts(at.caption)
    assert "Snapshots every iteration." in texts(at.caption)  # not "every 1 iterations"
    # The past drawn by the live views' component: the weights as they were, not as they are.
    [past] = live(at, "rewind_view")["frames"]
    p = playground(at)
    then = np.concatenate([np.ravel(w) for w in past["w"]])
    np.testing.assert_allclose(then, p.network_at(10).parameters, atol=1e-5)
    assert np.abs(then - p.trainer.network.parameters).max() > 1e-3
    assert past["surface"] != shown(at)["surface"] and len(past["table"]["rows"]) == 4
    assert not at.get("plotly_chart")  # no Plotly: the lab's rewind loads no chart script
    button(at, "Carry on from iteration 10").click().run()
    assert iteration(at) == 10
    np.testing.assert_array_equal(weights(at), weights(reference))
    for run in (at, reference):
        click(run, "Step 10")
    np.testing.assert_array_equal(weights(at), weights(reference))
