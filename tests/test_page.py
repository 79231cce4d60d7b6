"""The page driven by Streamlit's AppTest: every control, the transport, presets, the link.

AppTest runs the script without a browser; each ``run()`` is one script run and runs
each fragment once. The live area is a browser component: ``send`` sends its events as the
browser does (Play, Pause and Step name the frame on screen), and the data it was sent is
read back with ``live``; a page run while playing sends the first batch of frames.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from nnplay.app import runfile
from nnplay.app.link import ViewOptions, to_query
from nnplay.config import RunConfig
from nnplay.presets import PRESETS
from nnplay.settings import SETTINGS

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
LAB_TABS = ("Back propagation, step by step", "Seeds lab", "Sweep lab", "Rewind", "Compare runs",
            "Show me the code")


def new_app(query: dict[str, str] | None = None, tab: str | None = None) -> AppTest:
    """The page after its first run, opened with ``query``; ``tab``: the lab tab chosen
    (only the chosen tab is drawn)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    if tab is not None:
        at.session_state["lab_tabs"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    return new_app()


def live(at: AppTest, key: str = "live") -> dict:
    """What the page last sent the live component (``key``): its scene, frames and controls."""
    found = [c for c in at.get("bidi_component") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"expected one component {key!r}, found {len(found)}"
    return json.loads(found[0].proto.json)


def shown(at: AppTest) -> dict:
    """The frame the page shows once the browser has played what it was sent: the last."""
    return live(at)["frames"][-1]


def scene(at: AppTest) -> dict:
    return live(at)["scene"]


def metric(at: AppTest, label: str) -> str:
    """The live number labelled ``label``, as sent to be drawn."""
    matches = [value for name, value, _ in shown(at)["metrics"] if name == label]
    assert len(matches) == 1, f"expected one metric {label!r}, found {len(matches)}"
    return matches[0]


def iteration(at: AppTest) -> int:
    return int(metric(at, "Iteration").replace(",", ""))


def playground(at: AppTest):
    return at.session_state.playground


def weights(at: AppTest) -> np.ndarray:
    return playground(at).trainer.network.parameters.copy()


def live_table(at: AppTest) -> pd.DataFrame:
    """The live area's table (truth table, confusion matrix or fit) as sent, the rows' tints
    in ``.attrs["tints"]``."""
    table = shown(at)["table"]
    rows = table["rows"]
    frame = pd.DataFrame([row[1:] for row in rows], columns=table["head"][1:],
                         index=pd.Index([row[0] for row in rows], name=table["head"][0] or None))
    frame.attrs["tints"] = table["tints"]
    return frame


def send(at: AppTest, event: dict) -> None:
    """What the browser component does: send ``event`` (its trigger value), which runs the
    page's callback and then the fragment; check the run raised nothing."""
    component = [c for c in at.get("bidi_component") if c.proto.id.endswith("-live")][0]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = f"$$STREAMLIT_INTERNAL_KEY_{component.proto.id}__events"
    state.json_trigger_value = json.dumps([{"event": "event", "value": event}])
    at._run(states)
    assert not at.exception, at.exception


def on_screen(at: AppTest) -> dict:
    """The frame the browser shows (the last it was sent), as Pause and Step name it."""
    frames = live(at)["frames"]
    return {"gen": frames[-1]["gen"], "seq": frames[-1]["seq"]} if frames else {"gen": None, "seq": -1}


TRANSPORT = {"Play": "play", "Pause": "pause", "Step": "step", "Reset": "reset",
             "Divide η by 10": "calm"}


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def click(at: AppTest, label: str) -> None:
    """Press the button labelled ``label`` (the component's transport as the browser sends it:
    ``Step 100`` steps 100) and check the rerun raised nothing."""
    if label.startswith("Step ") and label[5:].replace(",", "").isdigit():
        send(at, {"type": "step", "n": int(label[5:].replace(",", "")), **on_screen(at)})
    elif label in TRANSPORT:
        send(at, {"type": TRANSPORT[label], **on_screen(at)})
    else:
        button(at, label).click().run()
        assert not at.exception, at.exception


def said(at: AppTest) -> str:
    """Every sentence the page shows: its alerts and the live area's status line."""
    frames = [c for c in at.get("bidi_component") if c.proto.id.endswith("-live")]
    status = live(at)["frames"][-1]["status"] if frames and live(at)["frames"] else None
    alerts = [*at.info, *at.success, *at.warning, *at.error]
    return " ".join([*(e.value for e in alerts), *([status[1]] if status else [])])


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


# -- the first screen ----------------------------------------------------------------

def test_page_loads_with_every_view(app):
    assert metric(app, "Iteration") == "0"
    assert float(metric(app, "Error")) > 0
    assert len(scene(app)["points"]) == 4  # the truth table's inputs, on the surface
    [(start, low, high)] = shown(app)["curve"]["points"]  # the starting error alone
    assert start == 0 and low == high == pytest.approx(float(metric(app, "Error")), abs=1e-6)
    assert scene(app)["titles"] == ["W1: x → h", "W2: h → out"]
    assert not app.get("plotly_chart")  # Plotly's script loads only when a lab panel needs it
    table = live_table(app)  # right and wrong rows tinted apart, as the words say
    assert table.attrs["tints"] == ["right" if r.startswith("✓") else "wrong"
                                    for r in table["Right?"]]
    assert set(table.attrs["tints"]) == {"right", "wrong"}  # XOR at iteration 0: some of each
    assert scene(app)["shape"] == [2, 4, 1] and len(shown(app)["w"]) == 2  # the diagram's
    assert live(app)["controls"]["steps"] == [10, 100, 1000, 10000]
    assert "(2, 4, 1)" in texts(app.sidebar.markdown)


def test_truth_table_is_the_tutorials_printout(app):
    table = live_table(app)
    assert table.index.name == "Input"
    assert list(table.columns) == ["Output", "Target", "Right?"]
    assert list(table.index) == ["0 0", "1 1", "0 1", "1 0"]  # the tutorial's row order
    assert list(table["Target"]) == ["0", "0", "1", "1"]  # XOR


# -- transport -----------------------------------------------------------------------

def test_step_advances_one_iteration_and_changes_the_weights(app):
    before = weights(app)
    click(app, "Step")
    assert iteration(app) == 1
    assert not np.array_equal(weights(app), before)
    click(app, "Step")
    assert iteration(app) == 2


def test_step_many_advances_by_the_chosen_count(app):
    click(app, "Step 100")
    assert iteration(app) == 100


def test_reset_returns_to_iteration_zero_with_the_same_initial_weights(app):
    initial = weights(app)
    click(app, "Step 10")
    assert iteration(app) == 10
    click(app, "Reset")
    assert iteration(app) == 0
    np.testing.assert_array_equal(weights(app), initial)


def test_play_becomes_pause_and_advances_until_paused(app):
    click(app, "Play")
    assert playground(app).playing
    first = iteration(app)
    assert first > 0 and shown(app)["playing"]
    app.run()
    assert iteration(app) > first  # each run plays a batch of frames
    click(app, "Pause")
    assert not playground(app).playing
    paused = iteration(app)
    app.run()
    assert iteration(app) == paused and not shown(app)["playing"]


def test_playing_stops_by_itself_solved_and_says_so(app):
    click(app, "Play")
    for _ in range(400):
        if not playground(app).playing:
            break
        app.run()
    assert not playground(app).playing
    assert playground(app).stop_reason == "solved"
    assert "reached the minimum error" in said(app)
    assert float(metric(app, "Error")) <= 0.01
    assert all(v.startswith("✓") for v in live_table(app)["Right?"])
    assert metric(app, "Rows right") == "4 / 4"


def test_playing_stops_at_the_maximum_iterations(app):
    app.number_input(key="max_iterations").set_value(6).run()
    send(app, {"type": "speed", "value": "5"})
    click(app, "Play")
    for _ in range(5):
        app.run()
    assert iteration(app) == 6
    assert playground(app).stop_reason == "max_iterations"
    assert "maximum of 6 iterations" in said(app)


# -- controls ------------------------------------------------------------------------

def test_problem_choice_changes_the_gate_and_restarts(app):
    click(app, "Step 10")
    app.selectbox(key="problem").set_value("and").run()
    assert playground(app).config.problem == "and"
    assert iteration(app) == 0
    assert list(live_table(app)["Target"]) == ["0", "1", "0", "0"]
    assert "starts again" in said(app)


def test_hidden_layers_change_the_shape_and_say_the_network_restarts(app):
    click(app, "Step 10")
    app.slider(key="n_hidden").set_value(2).run()
    app.number_input(key="hidden_1").set_value(3).run()
    assert playground(app).shape == (2, 4, 3, 1)
    assert "(2, 4, 3, 1)" in texts(app.sidebar.markdown)
    assert iteration(app) == 0
    assert "starts again" in said(app)
    assert scene(app)["titles"] == ["W1: x → h1", "W2: h1 → h2", "W3: h2 → out"]


def test_no_hidden_layer_is_allowed(app):
    app.slider(key="n_hidden").set_value(0).run()
    assert playground(app).shape == (2, 1)
    click(app, "Step")
    assert iteration(app) == 1


@pytest.mark.parametrize(("field", "value"), [
    ("activation", "relu"), ("output_activation", "tanh"), ("init", "he")])
def test_architecture_choices_restart_the_network(app, field, value):
    assert SETTINGS[field].restarts
    click(app, "Step 10")
    app.selectbox(key=field).set_value(value).run()
    assert getattr(playground(app).config, field) == value
    assert playground(app).trainer.network.config()[field] == value
    assert iteration(app) == 0


def test_seed_and_new_seed(app):
    app.number_input(key="seed").set_value(7).run()
    assert playground(app).trainer.network.seed == 7
    seven = weights(app)
    button(app, "New seed").click().run()
    assert playground(app).config.seed == app.session_state.seed
    app.number_input(key="seed").set_value(7).run()
    np.testing.assert_array_equal(weights(app), seven)  # same seed, same network


def test_learning_rate_change_keeps_the_network(app):
    click(app, "Step 10")
    before = weights(app)
    app.select_slider(key="lr_choice").set_value(0.5).run()
    assert playground(app).trainer.settings.learning_rate == 0.5
    assert metric(app, "Learning rate η") == "0.5"
    assert iteration(app) == 10
    np.testing.assert_array_equal(weights(app), before)
    app.number_input(key="learning_rate").set_value(0.37).run()
    assert playground(app).trainer.settings.learning_rate == 0.37
    assert app.select_slider(key="lr_choice").value == 0.3  # the slider follows, to its nearest
    assert iteration(app) == 10


def test_loss_and_optimiser_keep_the_network_and_momentum_appears(app):
    click(app, "Step 10")
    assert not [s for s in app.slider if s.key == "mom"]
    app.selectbox(key="optimizer").set_value("momentum").run()
    app.slider(key="momentum").set_value(0.5).run()
    app.selectbox(key="loss").set_value("mse").run()
    settings = playground(app).trainer.settings
    assert (settings.optimizer, settings.momentum, settings.loss) == ("momentum", 0.5, "mse")
    assert iteration(app) == 10


def test_incompatible_choices_get_a_message_and_keep_the_run(app):
    click(app, "Step 10")
    app.selectbox(key="output_activation").set_value("tanh").run()
    app.selectbox(key="loss").set_value("cross_entropy").run()
    assert "Cross-entropy needs outputs between 0 and 1" in texts(app.sidebar.error)
    assert playground(app).config.loss == "sse"  # the previous, valid settings stay
    assert not app.exception


def test_minimum_error_setting_is_used(app):
    app.number_input(key="min_error").set_value(0.5).run()
    assert playground(app).config.min_error == 0.5
    click(app, "Play")
    for _ in range(100):
        if not playground(app).playing:
            break
        app.run()
    assert playground(app).stop_reason == "solved"
    assert 0.5 >= float(metric(app, "Error"))


def test_view_toggles(app):
    click(app, "Step 10")
    assert not scene(app)["log_scale"] and scene(app)["smooth"]
    app.toggle(key="log_scale").set_value(True).run()
    assert scene(app)["log_scale"]
    app.toggle(key="discrete").set_value(True).run()
    assert playground(app).view.discrete and not scene(app)["smooth"]


# -- presets -------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_set_every_control(app, name):
    click(app, "Step 10")
    button(app, PRESETS[name].label).click().run()
    assert playground(app).config == PRESETS[name].config
    assert iteration(app) == 0
    assert app.selectbox(key="problem").value == PRESETS[name].config.problem
    assert PRESETS[name].label in said(app)


def test_tutorial_preset_shows_the_tutorials_shape_and_rate(app):
    button(app, "Tutorial").click().run()
    assert "(2, 2, 1)" in texts(app.sidebar.markdown)
    assert metric(app, "Learning rate η") == "0.2"
    assert playground(app).view.speed == "max"


# -- the link ------------------------------------------------------------------------

def test_a_link_opens_its_configuration():
    config = RunConfig(problem="nand", hidden=(3, 2), activation="sigmoid", learning_rate=0.7, seed=42)
    at = new_app(to_query(config, ViewOptions(speed="20")))
    assert playground(at).config == config
    assert playground(at).view.speed == "20"
    assert "(2, 3, 2, 1)" in texts(at.sidebar.markdown)
    assert not at.warning


def test_the_link_follows_the_settings(app):
    app.select_slider(key="lr_choice").set_value(0.3).run()
    app.selectbox(key="problem").set_value("or").run()
    assert app.query_params["lr"] == ["0.3"] or app.query_params["lr"] == "0.3"
    link = {k: (v[-1] if isinstance(v, list) else v) for k, v in app.query_params.items()}
    assert link["gate"] == "or"
    assert new_app(link).session_state.playground.config == playground(app).config


def test_bad_link_values_warn_and_fall_back():
    at = new_app({"gate": "xyz", "hidden": "4,99", "lr": "fast", "seed": "-3", "act": "magic"})
    warning_text = said(at)
    for name in ("gate", "hidden", "lr", "seed", "act"):
        assert f"'{name}'" in warning_text
    assert playground(at).config == RunConfig()
    click(at, "Step")
    assert iteration(at) == 1


def test_two_pages_from_one_link_step_to_the_same_error():
    query = to_query(RunConfig(seed=5, learning_rate=1.0), ViewOptions())
    first, second = new_app(query), new_app(query)
    for at in (first, second):
        click(at, "Step 10")
    assert metric(first, "Error") == metric(second, "Error")
    np.testing.assert_array_equal(weights(first), weights(second))


# -- isolation and saved runs -----------------------------------------------------------

def test_two_sessions_share_no_state():
    one, two = new_app(), new_app()
    untouched = weights(two)
    click(one, "Step 10")
    assert iteration(one) == 10
    np.testing.assert_array_equal(weights(two), untouched)
    assert playground(one) is not playground(two)
    assert playground(one).trainer.network.parameters is not playground(two).trainer.network.parameters


def test_a_saved_run_continues_exactly(app):
    click(app, "Step 10")
    p = playground(app)
    config, view, trainer = runfile.load(runfile.save(p.config, p.view, p.trainer))
    assert trainer.iteration == 10
    np.testing.assert_array_equal(trainer.network.parameters, p.trainer.network.parameters)
    assert trainer.step(5) == p.trainer.step(5)


def test_divergence_is_reported_and_offers_a_smaller_rate(app):
    app.selectbox(key="activation").set_value("linear").run()
    app.selectbox(key="output_activation").set_value("linear").run()
    app.number_input(key="learning_rate").set_value(100.0).run()
    click(app, "Step 1,000")
    assert playground(app).stop_reason == "diverged"
    assert "learning rate 100" in said(app)
    assert np.isfinite(weights(app)).all()
    json.dumps(live(app), allow_nan=False)  # what the page sent: finite numbers only (or ValueError)
    # ... and short enough to read: a huge error or output in a dozen characters, not 150 digits
    assert abs(float(metric(app, "Error"))) > 1e6
    shown = [metric(app, "Error"), *live_table(app)["Output"]]
    assert max(map(len, shown)) <= 12, shown
    click(app, "Divide η by 10")
    assert playground(app).trainer.settings.learning_rate == 10.0
    assert playground(app).trainer.divergence is None


def uploader(at: AppTest):
    return at.get("file_uploader")[0]


def test_upload_of_a_downloaded_run_continues_it_exactly(app):
    click(app, "Step 10")
    p = playground(app)
    saved = runfile.save(p.config, p.view, p.trainer).encode()
    fresh = new_app()
    uploader(fresh).upload("nnplay-run.json", saved, "application/json").run()
    assert not fresh.exception
    assert iteration(fresh) == 10
    np.testing.assert_array_equal(weights(fresh), weights(app))
    assert "Loaded a run at iteration 10" in said(fresh)
    for at in (app, fresh):
        click(at, "Step 10")
    np.testing.assert_array_equal(weights(fresh), weights(app))


@pytest.mark.parametrize("garbage", [
    b"",
    b"not json at all",
    b'{"format": "nnplay-page-run", "version": 1, "config": {"problem": "xor"}}',
    b"[" * 50_000,
])
def test_upload_of_garbage_is_refused_and_the_run_is_kept(app, garbage):
    click(app, "Step 10")
    before = weights(app)
    uploader(app).upload("bad.json", garbage, "application/json").run()
    assert not app.exception
    assert "Your current run is unchanged" in texts(app.sidebar.error)
    assert iteration(app) == 10
    np.testing.assert_array_equal(weights(app), before)


def test_only_the_chosen_lab_tab_is_drawn():
    at = new_app()
    assert "**Seeds lab**" in texts(at.markdown)  # the overview tab, open at first
    overview = [m.value for m in at.markdown if "**Seeds lab**" in m.value][0].splitlines()
    assert [line.split("**")[1] for line in overview] == list(LAB_TABS)
    assert all(re.search(r"[a-z)]\.$", line) for line in overview), overview  # one full stop
    assert "seeds_run" not in [b.key for b in at.button]
    at.session_state["lab_tabs"] = "Seeds lab"
    at.run()
    assert "seeds_run" in [b.key for b in at.button]
    assert "**Seeds lab**" not in texts(at.markdown)


@pytest.mark.parametrize("event", [
    {"type": "step", "n": 10**12, "gen": 1, "seq": 1},
    {"type": "step", "n": "10", "gen": "x", "seq": [1]},
    {"type": "more", "gen": 10**30, "after": "soon", "have": 3},
    {"type": "speed", "value": "warp"},
    {"type": "rm -rf", "n": 1},
    {"seq": 1},
    "play",
    None,
])
def test_what_a_browser_sends_is_checked_and_the_run_is_kept(app, event):
    click(app, "Step 10")
    send(app, event)
    assert iteration(app) in (10, 11)  # a Step of one at most: nothing else took effect
    assert playground(app).view.speed == "2" and not said(app)
