"""The seeds lab in the real page, driven by Streamlit's AppTest.

The page opens on a link to the tutorial's (2, 2, 1) network with a larger
step and stop error, where within 1,000 iterations some seeds solve XOR and
others stay stuck; the lab's numbers are checked against single runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_page import click, new_app, said

from nnplay.app.link import ViewOptions, to_query
from nnplay.config import RunConfig
from nnplay.views import seeds_report

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
CONFIG = RunConfig(hidden=(2,), activation="sigmoid", init="tutorial", learning_rate=3.0,
                   min_error=0.1, max_iterations=1000)
N_SEEDS, FIRST, ITERATIONS = 40, 10, 1000


def metric(at: AppTest, label: str) -> str:
    matches = [m.value for m in at.metric if m.label == label]
    assert len(matches) == 1, f"expected one metric {label!r}, found {len(matches)}"
    return matches[0]


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


@pytest.fixture(scope="module")
def single_runs() -> dict[int, tuple[int, bool]]:
    """Each seed trained alone, as the main view would: ``seed -> (iterations, solved)``."""
    runs = {}
    for seed in range(FIRST, FIRST + N_SEEDS):
        trainer = CONFIG.replace(seed=seed).trainer()
        ran = trainer.run(ITERATIONS, CONFIG.min_error)
        runs[seed] = ran, trainer.last_error <= CONFIG.min_error
    return runs


def new_lab_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in to_query(CONFIG, ViewOptions()).items():
        at.query_params[name] = value
    at.session_state["lab_tabs"] = "Seeds lab"
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app() -> AppTest:
    return new_lab_page()


def run_lab(at: AppTest) -> AppTest:
    at.slider(key="seeds_n").set_value(N_SEEDS)
    at.number_input(key="seeds_iterations").set_value(ITERATIONS)
    at.number_input(key="seeds_first").set_value(FIRST)
    at.button(key="seeds_run").click().run()
    assert not at.exception, at.exception
    return at


def test_before_running_the_lab_shows_its_controls_only(app):
    assert app.slider(key="seeds_n").value == 200
    assert app.number_input(key="seeds_iterations").value == 1000  # min(page maximum, 2,000)
    assert app.number_input(key="seeds_first").value == 0
    assert "seeds_result" not in app.session_state
    assert "Press **Run the seeds lab**" in texts(app.caption)
    assert "stop at error, 0.1" in texts(app.caption)


def test_the_lab_agrees_with_single_seed_runs(app, single_runs):
    run_lab(app)
    lab = app.session_state["seeds_result"]
    assert lab.config == app.session_state.playground.config
    assert list(lab.seeds) == list(single_runs)
    assert [int(i) for i in lab.result.iterations] == [ran for ran, _ in single_runs.values()]
    solved = sum(ok for _, ok in single_runs.values())
    assert 0 < solved < N_SEEDS  # a mixed case: the numbers below mean something
    assert metric(app, "Solved") == seeds_report.percent(solved / N_SEEDS)
    assert f"{solved} of {N_SEEDS} seeds" in texts(app.markdown)
    stuck = lab.count("stuck")
    assert metric(app, "Stuck") == f"{stuck} ({seeds_report.percent(stuck / N_SEEDS)})"
    charts = {chart.key for chart in app.get("plotly_chart")}
    assert {"seeds_iterations_chart", "seeds_error_chart", "seeds_curves_chart"} <= charts


def test_results_stay_on_later_reruns_and_say_when_the_settings_changed(app):
    run_lab(app)
    shown = metric(app, "Solved")
    app.run()
    assert metric(app, "Solved") == shown
    assert not app.button(key="seeds_open_button").disabled
    app.number_input(key="learning_rate").set_value(1.0).run()
    assert "before you changed learning rate" in said(app)
    assert metric(app, "Solved") == shown
    assert app.button(key="seeds_open_button").disabled


def test_open_seed_sets_the_main_views_seed_and_starts_it_at_iteration_0(app):
    run_lab(app)
    stuck = [int(s) for s, o in zip(seeds_report.seeds_table(app.session_state["seeds_result"])["Seed"],
                                    seeds_report.seeds_table(app.session_state["seeds_result"])["Outcome"])
             if o == "stuck"]
    seed = stuck[0]
    assert app.selectbox(key="seeds_open").value == seed  # the table's first row: a stuck seed
    other = stuck[-1] if stuck[-1] != seed else FIRST + N_SEEDS - 1
    click(app, "Step 10")
    assert app.session_state.playground.trainer.iteration == 10
    app.selectbox(key="seeds_open").set_value(other)
    app.button(key="seeds_open_button").click().run()
    assert not app.exception, app.exception
    playground = app.session_state.playground
    assert playground.config.seed == other
    assert playground.trainer.iteration == 0
    assert app.number_input(key="seed").value == other
    assert f"Seed {other} is open" in texts(app.toast)
    # The same seed again, after some steps: it starts again from iteration 0.
    click(app, "Step 10")
    app.button(key="seeds_open_button").click().run()
    assert app.session_state.playground.config.seed == other
    assert app.session_state.playground.trainer.iteration == 0
    # The lab's result was made for any seed: it still applies, nothing is stale.
    assert "before you changed" not in said(app)


def test_the_lab_names_the_problem_in_the_pages_words():
    at = new_app({"data": "spiral"}, tab="Seeds lab")
    text = texts(at.markdown)
    assert "how often does it learn the spiral points" in text
    assert "set:spiral" not in text
    at = new_app({"gate": "xor"}, tab="Seeds lab")
    assert "how often does it learn XOR" in texts(at.markdown)


def test_the_same_settings_train_once_per_server_and_each_session_gets_its_own_copy(monkeypatch):
    """Two students (two sessions of one server process) run the lab on the same link: the
    server trains once; each gets equal results, and changing one's changes nothing of the
    other's."""
    from ui import lab_seeds

    lab_seeds.LABS.clear()
    calls = []
    real = seeds_report.run_lab

    def counting(*args, **kwargs):
        calls.append(args[:3])
        return real(*args, **kwargs)

    monkeypatch.setattr(seeds_report, "run_lab", counting)
    first, second = new_lab_page(), new_lab_page()
    run_lab(first)
    run_lab(second)
    assert len(calls) == 1
    a, b = first.session_state["seeds_result"], second.session_state["seeds_result"]
    assert a is not b and a.result.final_error is not b.result.final_error
    assert a.result.final_error.tobytes() == b.result.final_error.tobytes()
    kept = b.result.final_error.copy()
    a.result.final_error[...] = -1.0
    assert b.result.final_error.tobytes() == kept.tobytes()
    assert metric(second, "Solved") == metric(first, "Solved")
    # Other settings: trained again.
    second.number_input(key="seeds_iterations").set_value(ITERATIONS // 2)
    second.button(key="seeds_run").click().run()
    assert not second.exception, second.exception
    assert len(calls) == 2


