"""The link: every valid run survives the query string; every bad value falls back with a warning."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnplay import datasets
from nnplay.activations import HIDDEN_ACTIVATIONS
from nnplay.app.link import SPEEDS, Link, ViewOptions, parse_query, to_query
from nnplay.config import RunConfig
from nnplay.initializers import INITIALIZERS
from nnplay.optimizers import OPTIMIZERS
from nnplay.problems import POINTS_LEARNING_RATE, POINTS_TEST_FRACTION

DEFAULT = RunConfig()
DEFAULT_VIEW = ViewOptions()

# The query names of the design notes (and the view's), with the field each one sets.
FIELDS = {
    "gate": "problem", "hidden": "hidden", "act": "activation", "out": "output_activation",
    "loss": "loss", "opt": "optimizer", "lr": "learning_rate", "mom": "momentum", "seed": "seed",
    "init": "init", "min": "min_error", "max": "max_iterations",
}
VIEW_FIELDS = {"speed": "speed", "log": "log_scale", "cut": "discrete"}
NAMES = list(FIELDS) + list(VIEW_FIELDS)


def value_of(link: Link, name: str) -> object:
    if name in FIELDS:
        return getattr(link.config, FIELDS[name])
    return getattr(link.view, VIEW_FIELDS[name])


def default_of(name: str) -> object:
    return getattr(DEFAULT, FIELDS[name]) if name in FIELDS else getattr(DEFAULT_VIEW,
                                                                         VIEW_FIELDS[name])


# -- valid configurations round-trip ---------------------------------------------------------


@st.composite
def run_configs(draw) -> RunConfig:
    output = draw(st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]))
    # cross-entropy needs an output between 0 and 1; of these only the sigmoid has one
    losses = ["sse", "mse"] + (["cross_entropy"] if output == "sigmoid" else [])
    return RunConfig(
        problem=draw(st.sampled_from(list(datasets.GATES))),
        hidden=tuple(draw(st.lists(st.integers(1, 16), max_size=6))),
        activation=draw(st.sampled_from(list(HIDDEN_ACTIVATIONS))),
        output_activation=output,
        init=draw(st.sampled_from(list(INITIALIZERS))),
        loss=draw(st.sampled_from(losses)),
        optimizer=draw(st.sampled_from(list(OPTIMIZERS))),
        # within what the page offers: the link's ranges
        learning_rate=draw(st.floats(0.0, 100.0, exclude_min=True)),
        momentum=draw(st.floats(0.0, 0.999)),
        seed=draw(st.integers(0, 2**31 - 1)),
        min_error=draw(st.floats(0.0, 1e6)),
        max_iterations=draw(st.integers(1, 10_000_000)),
    )


views = st.builds(ViewOptions, speed=st.sampled_from(list(SPEEDS)), log_scale=st.booleans(),
                  discrete=st.booleans())


@settings(max_examples=300, deadline=None)
@given(run_configs(), views)
def test_to_query_then_parse_query_gives_the_same_run(config, view):
    query = to_query(config, view)
    assert all(isinstance(v, str) for v in query.values())
    assert parse_query(query) == Link(config, view, ())


@settings(max_examples=100, deadline=None)
@given(run_configs(), views)
def test_the_run_survives_a_real_url(config, view):
    url_query = urlencode(to_query(config, view))
    params = parse_qs(url_query, keep_blank_values=True)  # values are lists, as a URL may repeat
    assert parse_query(params) == Link(config, view, ())


@settings(max_examples=50, deadline=None)
@given(run_configs(), views)
def test_a_link_does_not_depend_on_the_base_config(config, view):
    base = RunConfig(problem="and", hidden=(), learning_rate=0.5, seed=99)
    assert parse_query(to_query(config, view), base=base).config == config


def test_the_link_writes_every_name_of_the_design_notes():
    query = to_query(DEFAULT, DEFAULT_VIEW)
    assert {"gate", "hidden", "act", "out", "loss", "opt", "lr", "seed", "init"} <= set(query)


def test_hidden_is_written_as_comma_separated_sizes():
    assert to_query(RunConfig(hidden=(4, 2)), DEFAULT_VIEW)["hidden"] == "4,2"
    assert to_query(RunConfig(hidden=(4,)), DEFAULT_VIEW)["hidden"] == "4"
    assert to_query(RunConfig(hidden=()), DEFAULT_VIEW)["hidden"] == ""


def test_an_empty_link_is_the_default_run():
    assert parse_query({}) == Link(DEFAULT, DEFAULT_VIEW, ())


def test_a_partial_link_keeps_the_rest_of_the_base():
    base = RunConfig(problem="and", learning_rate=0.5)
    link = parse_query({"seed": "7", "hidden": "3,2"}, base=base)
    assert link.config == base.replace(seed=7, hidden=(3, 2))
    assert link.warnings == ()


@pytest.mark.parametrize("params, field, expected", [
    ({"hidden": ""}, "hidden", ()),
    ({"hidden": "16"}, "hidden", (16,)),
    ({"hidden": "1,1,1,1,1,1"}, "hidden", (1, 1, 1, 1, 1, 1)),
    ({"hidden": " 4 , 2 "}, "hidden", (4, 2)),
    ({"lr": "100"}, "learning_rate", 100.0),
    ({"lr": "1e-06"}, "learning_rate", 1e-6),
    ({"seed": "0"}, "seed", 0),
    ({"seed": "2147483647"}, "seed", 2**31 - 1),
    ({"max": "1"}, "max_iterations", 1),
    ({"min": "0"}, "min_error", 0.0),
    ({"gate": "nand"}, "problem", "nand"),
])
def test_boundary_values_are_accepted(params, field, expected):
    link = parse_query(params)
    assert getattr(link.config, field) == expected
    assert link.warnings == ()


def test_a_hand_written_point_set_link_starts_with_a_point_sets_rate_and_split():
    link = parse_query({"data": "circle"})
    assert link.config.problem == "set:circle" and link.warnings == ()
    assert (link.config.learning_rate, link.config.test_fraction) == (
        POINTS_LEARNING_RATE, POINTS_TEST_FRACTION)
    # what the link says wins, and a bad value falls back to the point set's default
    link = parse_query({"data": "circle", "lr": "0.3", "split": "0"})
    assert (link.config.learning_rate, link.config.test_fraction) == (0.3, 0.0)
    link = parse_query({"data": "circle", "lr": "fast"})
    assert link.config.learning_rate == POINTS_LEARNING_RATE
    assert f"default, {POINTS_LEARNING_RATE:g}" in link.warnings[0]
    # a gate's link, a bad point set and a base that is already a point set are unchanged
    assert parse_query({"gate": "and"}).config.learning_rate == DEFAULT.learning_rate
    assert parse_query({"data": "nowhere"}).config.learning_rate == DEFAULT.learning_rate
    base = RunConfig(problem="set:moons", learning_rate=0.2, test_fraction=0.3)
    assert parse_query({"data": "circle"}, base=base).config == base.replace(problem="set:circle")


def test_a_repeated_name_takes_the_last_value():
    link = parse_query({"hidden": ["4", "2"], "lr": ["abc", "0.5"]})
    assert link.config.hidden == (2,) and link.config.learning_rate == 0.5
    assert link.warnings == ()


def test_unknown_names_are_ignored():
    assert parse_query({"utm_source": "mail", "gates": "and", "": "x"}) == Link(DEFAULT,
                                                                                 DEFAULT_VIEW, ())


# -- bad values fall back, each with a warning that names it ------------------------------------

BAD = {
    "gate": ["xorr", "", "and;drop", "ⅹor", "[]", "x" * 1_000_000],
    "hidden": ["0", "17", "4,0", "4,17", "1,1,1,1,1,1,1", "2,2,2,2,2,2,2,2,2,2", "a", "4,,2",
               "-4", "4.5", "²", "４", "٣", " , ", "4 2", "4" * 100_000, "1e1", "0x4"],
    "act": ["softmax", "sigmoidd", "", "\x00"],
    "out": ["", "relu6", "None"],
    "loss": ["hinge", "", "ssex"],
    "opt": ["adadelta", "SGD!"],
    "lr": ["abc", "0", "-1", "1000000.5", "1e7", "nan", "inf", "-inf", "1e309", "", "0x10", "1,5",
           "1" * 500, "🙂"],
    "mom": ["1", "-0.1", "0.9999", "x", "nan"],
    "seed": ["-1", "1.5", "2147483648", "1e3", "", "٣", "²", "+5", "9" * 5000],
    "init": ["zeros", ""],
    "min": ["-0.1", "nan", "1e7", "x", "inf"],
    "max": ["0", "10000001", "1.5", "-5", "", "1e3", "9" * 100],
    "speed": ["3", "fast", "", "MAXX"],
    "log": ["yes", "2", "", "-1"],
    "cut": ["maybe", "10"],
}
BAD_CASES = [(name, value) for name, values in BAD.items() for value in values]


@pytest.mark.parametrize("name, value", BAD_CASES,
                         ids=[f"{n}={v[:12]!r}" for n, v in BAD_CASES])
def test_a_bad_value_falls_back_to_its_default_with_a_warning_naming_it(name, value):
    link = parse_query({name: value})
    assert value_of(link, name) == default_of(name)
    assert len(link.warnings) == 1
    warning = link.warnings[0]
    assert f"'{name}'" in warning
    assert "default" in warning
    assert len(warning) < 400  # a huge value is not echoed back whole
    assert "literal" not in warning  # says what is wrong in the student's terms, not Python's


@pytest.mark.parametrize("name, value", BAD_CASES[::5])
def test_a_bad_value_leaves_the_good_ones_alone(name, value):
    good = {"gate": "and", "hidden": "3", "seed": "42", "speed": "20"}
    good.pop(name, None)
    link = parse_query({**good, name: value})
    assert len(link.warnings) == 1 and f"'{name}'" in link.warnings[0]
    for other, text in good.items():
        assert str(value_of(link, other)).strip("(),") == text


def test_a_bad_value_falls_back_to_the_base_not_the_global_default():
    base = RunConfig(learning_rate=0.5, hidden=(3,))
    link = parse_query({"lr": "fast", "hidden": "99"}, base=base)
    assert link.config == base
    assert len(link.warnings) == 2
    lr_warning = next(w for w in link.warnings if "'lr'" in w)
    assert "0.5" in lr_warning


@pytest.mark.parametrize("params", [
    {"lr": []}, {"lr": [""]}, {"lr": ["0.5", "abc"]}, {"hidden": [["4"]]}, {"seed": [None]},
    {"gate": ("and", "nope")},
])
def test_lists_whose_last_value_is_bad_fall_back_with_a_warning(params):
    (name,) = params
    link = parse_query(params)
    assert value_of(link, name) == default_of(name)
    assert len(link.warnings) == 1 and f"'{name}'" in link.warnings[0]


def test_every_bad_value_at_once_gives_the_default_run_and_a_warning_each():
    params = {name: values[0] for name, values in BAD.items()}
    link = parse_query(params)
    assert link.config == DEFAULT and link.view == DEFAULT_VIEW
    assert len(link.warnings) == len(params)
    for name in params:
        assert sum(f"'{name}'" in w for w in link.warnings) == 1


# -- settings that do not fit together -----------------------------------------------------------


def test_cross_entropy_with_a_tanh_output_falls_back_with_a_warning():
    link = parse_query({"loss": "cross_entropy", "out": "tanh"})
    assert (link.config.loss, link.config.output_activation) == (DEFAULT.loss,
                                                                 DEFAULT.output_activation)
    assert len(link.warnings) == 1
    assert "'loss'" in link.warnings[0] and "'out'" in link.warnings[0]


def test_cross_entropy_against_the_bases_tanh_output_falls_back():
    base = RunConfig(output_activation="tanh")
    link = parse_query({"loss": "cross_entropy"}, base=base)
    assert link.config == base
    assert len(link.warnings) == 1 and "'loss'" in link.warnings[0]


@pytest.mark.parametrize("params", [{"out": "softmax", "loss": "cross_entropy"},
                                    {"out": "softmax"}, {"out": "softmax", "loss": "mse"}])
def test_softmax_on_a_gate_falls_back_with_a_warning(params):
    link = parse_query({**params, "seed": "5"})
    assert link.config == DEFAULT.replace(seed=5)
    assert len(link.warnings) == 1
    assert "softmax" in link.warnings[0].lower()


@pytest.mark.parametrize("params", [{"loss": "cross_entropy", "out": "sigmoid"},
                                    {"loss": "cross_entropy"}, {"out": "tanh"},
                                    {"out": "linear", "loss": "mse"}])
def test_settings_that_fit_together_are_taken(params):
    link = parse_query(params)
    assert link.warnings == ()
    if "loss" in params:
        assert link.config.loss == params["loss"]
    if "out" in params:
        assert link.config.output_activation == params["out"]


# -- anything at all ------------------------------------------------------------------------


def assert_valid(link: Link) -> None:
    assert isinstance(link.config, RunConfig)
    dataclasses.replace(link.config)  # re-runs every check of RunConfig
    assert link.view.speed in SPEEDS
    assert isinstance(link.view.log_scale, bool) and isinstance(link.view.discrete, bool)
    for warning in link.warnings:
        assert isinstance(warning, str)
        assert any(f"'{name}'" in warning for name in NAMES) or "softmax" in warning.lower()


JUNK_NAMES = ["", "x", "hidden ", "LR", "gate[]", "__class__", "🙂"]


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES + JUNK_NAMES), st.text()))
def test_any_text_never_raises_and_gives_a_valid_run(params):
    link = parse_query(params)
    assert_valid(link)
    assert len(link.warnings) <= sum(name in params for name in NAMES) + 1


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(
    st.sampled_from(NAMES + JUNK_NAMES),
    st.one_of(st.text(), st.lists(st.text(max_size=8), max_size=3), st.integers(), st.none(),
              st.floats(), st.booleans(), st.binary(max_size=8)),
))
def test_any_value_of_any_type_never_raises(params):
    assert_valid(parse_query(params))


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    "hidden": st.from_regex(r"\A[0-9]{1,2}(,[0-9]{1,2}){0,7}\Z"),
    "lr": st.from_regex(r"\A-?[0-9]{0,4}(\.[0-9]{0,4})?(e-?[0-9]{1,3})?\Z"),
    "seed": st.from_regex(r"\A[0-9]{1,12}\Z"),
    "max": st.from_regex(r"\A[0-9]{1,9}\Z"),
}))
def test_near_miss_numbers_are_taken_or_refused_correctly(params):
    link = parse_query(params)
    assert_valid(link)
    if "hidden" in params:
        sizes = [int(p) for p in params["hidden"].split(",")]
        ok = len(sizes) <= 6 and all(1 <= s <= 16 for s in sizes)
        assert (link.config.hidden == tuple(sizes)) if ok else (link.config.hidden == DEFAULT.hidden)
        assert ok != any("'hidden'" in w for w in link.warnings)
    if "seed" in params:
        ok = int(params["seed"]) < 2**31
        assert link.config.seed == (int(params["seed"]) if ok else DEFAULT.seed)
        assert ok != any("'seed'" in w for w in link.warnings)
    if "max" in params:
        ok = 1 <= int(params["max"]) <= 10_000_000
        assert link.config.max_iterations == (int(params["max"]) if ok else DEFAULT.max_iterations)
    if "lr" in params:
        try:
            ok = 0 < float(params["lr"]) <= 1e6  # the table's learning_rate range
        except ValueError:
            ok = False
        assert link.config.learning_rate == (float(params["lr"]) if ok else DEFAULT.learning_rate)
        assert ok != any("'lr'" in w for w in link.warnings)


def test_settings_that_do_not_fit_together_fall_back_with_one_warning():
    """Features need two raw inputs: on a 3-input problem the link's features give way."""
    link = parse_query({"gate": "parity3", "feat": "x1,x2,x1_sq", "lr": "0.5"})
    assert link.config.problem == "parity3" and link.config.features == ("x1", "x2")
    assert link.config.learning_rate == 0.5
    assert len(link.warnings) == 1 and "input features" in link.warnings[0]
