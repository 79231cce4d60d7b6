"""The settings table is the one source: every row round-trips through the link, the sidebar's
controls and a saved run, and the README's table of link parameters is made from it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from test_page import click, iteration, new_app, playground

from nnplay.app import runfile
from nnplay.app.link import Classroom, ViewOptions, parameters_table, parse_query, to_query
from nnplay.config import RunConfig
from nnplay.settings import CLASSROOM_SETTINGS, RUN_SETTINGS, SETTINGS, VIEW_SETTINGS

ROOT = Path(__file__).resolve().parents[1]

CHANGED = {
    "problem": "set:circle", "n_points": 120, "noise": 0.1, "test_fraction": 0.3,
    "data_seed": 3, "features": ("x1", "x2", "x1_x2"), "hidden": (3, 2),
    "activation": "relu", "output_activation": "tanh", "init": "he", "seed": 7, "loss": "mse",
    "optimizer": "momentum", "learning_rate": 0.3, "momentum": 0.5, "beta1": 0.8, "beta2": 0.99,
    "schedule": "step", "decay_steps": 50, "decay_rate": 0.9, "decay_floor": 0.1, "warmup": 5,
    "patience": 30, "dropout": 0.2,
    "min_error": 0.001,
    "max_iterations": 300, "batch_size": 5, "regularization": "l2",
    "regularization_rate": 0.01, "speed": "5", "log_scale": True, "discrete": True,
    "show_test": False, "hide": ("lab",), "big": True,
}
"""A value other than its default for every setting, all of them fitting together (and, for
the controls that offer a list, one on the list)."""


def changed() -> tuple[RunConfig, ViewOptions, Classroom]:
    def of(rows):
        return {s.name: CHANGED[s.name] for s in rows}
    return (RunConfig(**of(RUN_SETTINGS)), ViewOptions(**of(VIEW_SETTINGS)),
            Classroom(**of(CLASSROOM_SETTINGS)))


def test_every_setting_has_a_changed_value_here_and_it_differs_from_the_default():
    assert set(CHANGED) == set(SETTINGS)
    for name, setting in SETTINGS.items():
        assert setting.check(CHANGED[name]) == CHANGED[name] != setting.default, name


@pytest.mark.parametrize("name", list(SETTINGS))
def test_each_setting_alone_round_trips_through_the_link(name):
    setting = SETTINGS[name]
    config, view, classroom = RunConfig(), ViewOptions(), Classroom()
    if setting.in_link == "point sets":  # written for point sets only
        config = RunConfig(problem="set:circle", test_fraction=0.5)
    if setting.group == "view":
        view = view.replace(**{name: CHANGED[name]})
    elif setting.group == "classroom":
        classroom = classroom.replace(**{name: CHANGED[name]})
    else:
        config = config.replace(**{name: CHANGED[name]})
    query = to_query(config, view, classroom)
    assert setting.query in query or (name == "problem" and "data" in query)
    link = parse_query(query)
    assert (link.config, link.view, link.classroom, link.warnings) == (config, view, classroom, ())


def test_every_setting_at_once_round_trips_through_the_link_and_a_saved_run():
    config, view, classroom = changed()
    link = parse_query(to_query(config, view, classroom))
    assert (link.config, link.view, link.classroom, link.warnings) == (config, view, classroom, ())
    loaded = runfile.load_run(runfile.save(config, view, config.trainer()))
    assert (loaded.config, loaded.view) == (config, view)


def test_every_setting_at_once_reaches_the_sidebars_controls_and_comes_back():
    """The page opened on the link sets each control (keyed by the setting's name) to the
    setting's value, and the controls describe the same run back."""
    config, view, classroom = changed()
    at = new_app(to_query(config, view, classroom))
    assert not at.exception
    assert (playground(at).config, playground(at).view) == (config, view)
    control = {**dataclasses.asdict(config), **dataclasses.asdict(view)}
    control.update(features=list(config.features), batch_size=config.batch_size or 0)
    for setting in (*RUN_SETTINGS, *VIEW_SETTINGS):
        if setting.name != "hidden":  # one control per layer
            assert at.session_state[setting.name] == control[setting.name], setting.name
    assert [at.session_state[f"hidden_{k}"] for k in range(at.session_state["n_hidden"])] == [3, 2]
    at.run()  # a rerun reads the controls back into the run
    assert (playground(at).config, playground(at).view) == (config, view)


def test_the_readme_table_of_link_parameters_is_made_from_the_settings_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- parameters:[^\n]*-->\n(.*?)\n<!-- /parameters -->", readme, re.DOTALL)
    assert shown is not None, "README.md lost its parameters table's markers"
    assert shown.group(1) == parameters_table(), (
        "the settings changed: paste the output of python3 -c \"from nnplay.app.link import "
        "parameters_table; print(parameters_table())\" between the markers")
    for setting in SETTINGS.values():
        assert f"| `{setting.query}` |" in shown.group(1)


def test_a_data_or_network_setting_restarts_the_network_and_a_training_one_does_not():
    config, _, _ = changed()
    for setting in RUN_SETTINGS:
        other = config.replace(**{setting.name: getattr(RunConfig(), setting.name)}) if (
            setting.name not in ("problem", "features", "test_fraction")) else None
        if other is None:  # the defaults of these do not fit the point set's other values
            continue
        assert (other.architecture() != config.architecture()) == setting.restarts, setting.name


def test_adams_betas_added_as_rows_reach_the_sidebar_the_trainer_and_the_link():
    """beta1 and beta2 were added as two rows of the table (and a line of the exported code):
    the sidebar shows them for Adam only, a change keeps the network, the link carries it."""
    at = new_app({"opt": "adam"})
    labels = [n.label for n in at.number_input]
    assert "Adam's β1" in labels and "Adam's β2" in labels and "Momentum" not in labels
    click(at, "Step 10")
    at.number_input(key="beta1").set_value(0.5).run()
    assert not at.exception and iteration(at) == 10
    p = playground(at)
    assert p.trainer.settings.beta1 == 0.5 and p.config.beta1 == 0.5
    assert to_query(p.config, p.view)["b1"] == "0.5"
    assert "Adam's β1" not in [n.label for n in new_app({"opt": "sgd"}).number_input]
