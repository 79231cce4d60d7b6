"""The page driven by Streamlit's AppTest: every control, the transport, presets, the link.

AppTest runs the script without a browser; each ``run()`` is one script run
and runs each fragment once, so "playing" advances one frame per run.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
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


def live_html(at: AppTest) -> str:
    """The live area (the frame's HTML, from the live numbers on) as the page last drew it;
    not the lab's pictures."""
    found = [k for k, m in enumerate(at.markdown) if 'data-view="metrics"' in m.value]
    assert len(found) == 1, f"expected one block of live numbers, found {len(found)}"
    # The numbers and, when a slice radio sits between them, the views' element after them.
    return "".join(m.value for m in list(at.markdown)[found[0]:found[0] + 2]
                   if "data-view=" in m.value and "Teaching lab" not in m.value)


def metric(at: AppTest, label: str) -> str:
    """The live number labelled ``label``, as drawn."""
    numbers = re.search(r'<div class="nn-metrics" data-view="metrics">.*?</div></div></div>',
                        live_html(at), re.DOTALL)
    assert numbers, "no live numbers"
    root = ET.fromstring(numbers.group(0))
    matches = [cell[1].text for cell in root if cell[0].text == label]
    assert len(matches) == 1, f"expected one metric {label!r}, found {len(matches)}"
    return matches[0]


def iteration(at: AppTest) -> int:
    return int(metric(at, "Iteration").replace(",", ""))


def playground(at: AppTest):
    return at.session_state.playground


def weights(at: AppTest) -> np.ndarray:
    return playground(at).trainer.network.parameters.copy()


def view(at: AppTest, name: str) -> ET.Element:
    """The live view ``name`` (surface, curve, weights) as drawn on the page: its SVG, parsed."""
    found = re.findall(rf'<svg[^>]*data-view="{name}".*?</svg>', live_html(at), re.DOTALL)
    assert len(found) == 1, f"expected one {name} view, found {len(found)}"
    return ET.fromstring(found[0])


def live_table(at: AppTest) -> pd.DataFrame:
    """The live area's table (truth table, confusion matrix or fit) as drawn, read back as
    text, the rows' tints in ``.attrs["tints"]``."""
    found = re.findall(r'<table class="nn-table".*?</table>', live_html(at), re.DOTALL)
    assert len(found) == 1, f"expected one live table, found {len(found)}"
    root = ET.fromstring(found[0])
    head = [th.text or "" for th in root.find("thead/tr")]
    rows = root.findall("tbody/tr")
    frame = pd.DataFrame([[cell.text for cell in row[1:]] for row in rows], columns=head[1:],
                         index=pd.Index([row[0].text for row in rows], name=head[0] or None))
    frame.attrs["tints"] = [row.get("class") for row in rows]
    return frame


def svg_all(element: ET.Element, tag: str) -> list[ET.Element]:
    return list(element.iter(f"{{http://www.w3.org/2000/svg}}{tag}"))


def svg_texts(element: ET.Element) -> list[str]:
    return [t.text for t in svg_all(element, "text")]


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def click(at: AppTest, label: str) -> None:
    """Press the button labelled ``label`` and check the rerun raised nothing."""
    button(at, label).click().run()
    assert not at.exception, at.exception


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


# -- the first screen ----------------------------------------------------------------

def test_page_loads_with_every_view(app):
    assert metric(app, "Iteration") == "0"
    assert float(metric(app, "Error")) > 0
    assert len(svg_all(view(app, "surface"), "circle")) == 4  # the truth table's inputs
    assert len(svg_all(view(app, "curve"), "circle")) == 1  # the current error
    assert svg_texts(view(app, "weights")).count("bias") == 2
    assert not app.get("plotly_chart")  # Plotly's script loads only when a lab panel needs it
    table = live_table(app)  # right and wrong rows tinted apart, as the words say
    assert table.attrs["tints"] == ["right" if r.startswith("✓") else "wrong"
                                    for r in table["Right?"]]
    assert set(table.attrs["tints"]) == {"right", "wrong"}  # XOR at iteration 0: some of each
    assert any("<svg" in m.value for m in app.markdown)  # the network diagram
    assert [b.label for b in app.button][:4] == ["Play", "Step", "Step 10", "Reset"]
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
    button(app, "Step").click().run()
    assert iteration(app) == 1
    assert not np.array_equal(weights(app), before)
    button(app, "Step").click().run()
    assert iteration(app) == 2


def test_step_many_advances_by_the_chosen_count(app):
    app.selectbox(key="step_n").set_value(100).run()
    button(app, "Step 100").click().run()
    assert iteration(app) == 100


def test_reset_returns_to_iteration_zero_with_the_same_initial_weights(app):
    initial = weights(app)
    button(app, "Step 10").click().run()
    assert iteration(app) == 10
    button(app, "Reset").click().run()
    assert iteration(app) == 0
    np.testing.assert_array_equal(weights(app), initial)


def test_play_becomes_pause_and_advances_until_paused(app):
    button(app, "Play").click().run()
    assert playground(app).playing
    assert "Pause" in [b.label for b in app.button]
    first = iteration(app)
    app.run()
    assert iteration(app) > first  # each run plays one frame
    button(app, "Pause").click().run()
    assert not playground(app).playing
    paused = iteration(app)
    app.run()
    assert iteration(app) == paused
    assert "Play" in [b.label for b in app.button]


def test_playing_stops_by_itself_solved_and_says_so(app):
    button(app, "Play").click().run()
    for _ in range(400):
        if not playground(app).playing:
            break
        app.run()
    assert not playground(app).playing
    assert playground(app).stop_reason == "solved"
    assert "reached the minimum error" in texts(app.success)
    assert float(metric(app, "Error")) <= 0.01
    assert all(v.startswith("✓") for v in live_table(app)["Right?"])
    assert metric(app, "Rows right") == "4 / 4"


def test_playing_stops_at_the_maximum_iterations(app):
    app.number_input(key="max_iterations").set_value(6).run()
    app.selectbox(key="speed").set_value("5").run()
    button(app, "Play").click().run()
    for _ in range(5):
        app.run()
    assert iteration(app) == 6
    assert playground(app).stop_reason == "max_iterations"
    assert "maximum of 6 iterations" in texts(app.warning)


# -- controls ------------------------------------------------------------------------

def test_problem_choice_changes_the_gate_and_restarts(app):
    button(app, "Step 10").click().run()
    app.selectbox(key="problem").set_value("and").run()
    assert playground(app).config.problem == "and"
    assert iteration(app) == 0
    assert list(live_table(app)["Target"]) == ["0", "1", "0", "0"]
    assert "starts again" in texts(app.info)


def test_hidden_layers_change_the_shape_and_say_the_network_restarts(app):
    button(app, "Step 10").click().run()
    app.slider(key="n_hidden").set_value(2).run()
    app.number_input(key="hidden_1").set_value(3).run()
    assert playground(app).shape == (2, 4, 3, 1)
    assert "(2, 4, 3, 1)" in texts(app.sidebar.markdown)
    assert iteration(app) == 0
    assert "starts again" in texts(app.info)
    titles = svg_texts(view(app, "weights"))
    assert [t for t in titles if t.startswith("W")] == ["W1: x → h1", "W2: h1 → h2", "W3: h2 → out"]


def test_no_hidden_layer_is_allowed(app):
    app.slider(key="n_hidden").set_value(0).run()
    assert playground(app).shape == (2, 1)
    button(app, "Step").click().run()
    assert iteration(app) == 1


@pytest.mark.parametrize(("field", "value"), [
    ("activation", "relu"), ("output_activation", "tanh"), ("init", "he")])
def test_architecture_choices_restart_the_network(app, field, value):
    assert SETTINGS[field].restarts
    button(app, "Step 10").click().run()
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
    button(app, "Step 10").click().run()
    before = weights(app)
    app.select_slider(key="lr_choice").set_value(0.5).run()
    assert playground(app).trainer.settings.learning_rate == 0.5
    assert metric(app, "Learning rate η") == "0.5"
    assert iteration(app) == 10
    np.testing.assert_array_equal(weights(app), before)
    app.number_input(key="learning_rate").set_value(0.37).run()
    assert playground(app).trainer.settings.learning_rate == 0.37
    assert iteration(app) == 10


def test_loss_and_optimiser_keep_the_network_and_momentum_appears(app):
    button(app, "Step 10").click().run()
    assert not [s for s in app.slider if s.key == "mom"]
    app.selectbox(key="optimizer").set_value("momentum").run()
    app.slider(key="momentum").set_value(0.5).run()
    app.selectbox(key="loss").set_value("mse").run()
    settings = playground(app).trainer.settings
    assert (settings.optimizer, settings.momentum, settings.loss) == ("momentum", 0.5, "mse")
    assert iteration(app) == 10


def test_incompatible_choices_get_a_message_and_keep_the_run(app):
    button(app, "Step 10").click().run()
    app.selectbox(key="output_activation").set_value("tanh").run()
    app.selectbox(key="loss").set_value("cross_entropy").run()
    assert "Cross-entropy needs outputs between 0 and 1" in texts(app.sidebar.error)
    assert playground(app).config.loss == "sse"  # the previous, valid settings stay
    assert not app.exception


def test_minimum_error_setting_is_used(app):
    app.number_input(key="min_error").set_value(0.5).run()
    assert playground(app).config.min_error == 0.5
    button(app, "Play").click().run()
    for _ in range(100):
        if not playground(app).playing:
            break
        app.run()
    assert playground(app).stop_reason == "solved"
    assert 0.5 >= float(metric(app, "Error"))


def test_view_toggles(app):
    button(app, "Step 10").click().run()
    assert not any(t.startswith("1e-") for t in svg_texts(view(app, "curve")))
    app.toggle(key="log_scale").set_value(True).run()
    assert any(t.startswith("1e-") or t == "0.1" for t in svg_texts(view(app, "curve")))
    smooth = svg_all(view(app, "surface"), "image")[0].get("href")
    app.toggle(key="discrete").set_value(True).run()
    assert playground(app).view.discrete
    cut = svg_all(view(app, "surface"), "image")[0]
    assert cut.get("href") != smooth and "pixelated" in cut.get("style")


# -- presets -------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_set_every_control(app, name):
    button(app, "Step 10").click().run()
    button(app, PRESETS[name].label).click().run()
    assert playground(app).config == PRESETS[name].config
    assert iteration(app) == 0
    assert app.selectbox(key="problem").value == PRESETS[name].config.problem
    assert PRESETS[name].label in texts(app.info)


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
    warning_text = texts(at.warning)
    for name in ("gate", "hidden", "lr", "seed", "act"):
        assert f"'{name}'" in warning_text
    assert playground(at).config == RunConfig()
    button(at, "Step").click().run()
    assert iteration(at) == 1


def test_two_pages_from_one_link_step_to_the_same_error():
    query = to_query(RunConfig(seed=5, learning_rate=1.0), ViewOptions())
    first, second = new_app(query), new_app(query)
    for at in (first, second):
        button(at, "Step 10").click().run()
    assert metric(first, "Error") == metric(second, "Error")
    np.testing.assert_array_equal(weights(first), weights(second))


# -- isolation and saved runs -----------------------------------------------------------

def test_two_sessions_share_no_state():
    one, two = new_app(), new_app()
    untouched = weights(two)
    button(one, "Step 10").click().run()
    assert iteration(one) == 10
    np.testing.assert_array_equal(weights(two), untouched)
    assert playground(one) is not playground(two)
    assert playground(one).trainer.network.parameters is not playground(two).trainer.network.parameters


def test_a_saved_run_continues_exactly(app):
    button(app, "Step 10").click().run()
    p = playground(app)
    config, view, trainer = runfile.load(runfile.save(p.config, p.view, p.trainer))
    assert trainer.iteration == 10
    np.testing.assert_array_equal(trainer.network.parameters, p.trainer.network.parameters)
    assert trainer.step(5) == p.trainer.step(5)


def test_divergence_is_reported_and_offers_a_smaller_rate(app):
    app.selectbox(key="activation").set_value("linear").run()
    app.selectbox(key="output_activation").set_value("linear").run()
    app.number_input(key="learning_rate").set_value(100.0).run()
    app.selectbox(key="step_n").set_value(1000).run()
    button(app, "Step 1,000").click().run()
    assert playground(app).stop_reason == "diverged"
    assert "learning rate 100" in texts(app.error)
    assert np.isfinite(weights(app)).all()
    for name in ("surface", "curve", "weights"):  # what the page drew: finite numbers only
        drawn = ET.tostring(view(app, name), encoding="unicode")
        assert not re.search(r"\b(nan|inf)\b", drawn, re.IGNORECASE), name
    # ... and short enough to read: a huge error or output in a dozen characters, not 150 digits
    assert abs(float(metric(app, "Error"))) > 1e6
    shown = [metric(app, "Error"), *live_table(app)["Output"]]
    assert max(map(len, shown)) <= 12, shown
    for name in ("curve", "weights"):  # ticks, cell values and scale labels fit their places
        numbers = [t for t in svg_texts(view(app, name)) if re.fullmatch(r"-?[\d.]+(e-?\d+|[kM])?", t or "")]
        assert numbers and max(map(len, numbers)) <= 6, (name, numbers)
    button(app, "Divide η by 10").click().run()
    assert playground(app).trainer.settings.learning_rate == 10.0
    assert playground(app).trainer.divergence is None


def uploader(at: AppTest):
    return at.get("file_uploader")[0]


def test_upload_of_a_downloaded_run_continues_it_exactly(app):
    button(app, "Step 10").click().run()
    p = playground(app)
    saved = runfile.save(p.config, p.view, p.trainer).encode()
    fresh = new_app()
    uploader(fresh).upload("nnplay-run.json", saved, "application/json").run()
    assert not fresh.exception
    assert iteration(fresh) == 10
    np.testing.assert_array_equal(weights(fresh), weights(app))
    assert "Loaded a run at iteration 10" in texts(fresh.info)
    for at in (app, fresh):
        button(at, "Step 10").click().run()
    np.testing.assert_array_equal(weights(fresh), weights(app))


@pytest.mark.parametrize("garbage", [
    b"",
    b"not json at all",
    b'{"format": "nnplay-page-run", "version": 1, "config": {"problem": "xor"}}',
    b"[" * 50_000,
])
def test_upload_of_garbage_is_refused_and_the_run_is_kept(app, garbage):
    button(app, "Step 10").click().run()
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
