"""Saved page runs: an exact round trip, and every broken upload refused with one clear sentence."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnplay.app import runfile
from nnplay.app.link import SPEEDS, ViewOptions
from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.serialization import RunFileError
from nnplay.training import Trainer, TrainerSettings
from nnplay.views import frames

FAST = RunConfig()
MOMENTUM = RunConfig(hidden=(3, 2), optimizer="momentum", learning_rate=0.5, seed=11)
ADAM = RunConfig(problem="nand", hidden=(5,), activation="relu", optimizer="adam",
                 learning_rate=0.05, loss="cross_entropy", seed=4)
VIEW = ViewOptions(speed="max", log_scale=True, discrete=True)


def bits(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64).view(np.uint64)


def trained(config: RunConfig, iterations: int) -> Trainer:
    trainer = config.trainer()
    if iterations:
        trainer.step(iterations)
    return trainer


def errors_one_by_one(trainer: Trainer, n: int) -> list[float]:
    return [trainer.step(1) for _ in range(n)]


# -- round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("config, iterations", [(FAST, 0), (FAST, 37), (MOMENTUM, 60),
                                                (ADAM, 25)])
def test_save_then_load_gives_the_same_run(config, iterations):
    trainer = trained(config, iterations)
    loaded_config, loaded_view, loaded = runfile.load(runfile.save(config, VIEW, trainer))
    assert loaded_config == config
    assert loaded_view == VIEW
    assert loaded.iteration == trainer.iteration == iterations
    assert loaded.last_error == trainer.last_error
    np.testing.assert_array_equal(bits(loaded.network.parameters), bits(trainer.network.parameters))
    assert set(loaded.optimizer_state) == set(trainer.optimizer_state)
    for key, value in trainer.optimizer_state.items():
        np.testing.assert_array_equal(bits(loaded.optimizer_state[key]), bits(value))
    for ours, theirs in zip(loaded.history.curve(), trainer.history.curve()):
        np.testing.assert_array_equal(bits(ours), bits(theirs))
    assert loaded.settings == trainer.settings


@pytest.mark.parametrize("config", [FAST, MOMENTUM, ADAM])
def test_a_loaded_run_continues_exactly_as_the_original(config):
    original = trained(config, 30)
    _, _, loaded = runfile.load(runfile.save(config, ViewOptions(), original).encode("utf-8"))
    assert loaded is not original
    theirs = errors_one_by_one(original, 40)
    ours = errors_one_by_one(loaded, 40)
    assert ours == theirs  # floats compared exactly
    np.testing.assert_array_equal(bits(loaded.network.parameters), bits(original.network.parameters))


def test_a_long_run_with_a_folded_history_round_trips():
    config = RunConfig(problem="xor", hidden=(2,), activation="sigmoid", init="tutorial",
                       learning_rate=0.2, seed=0, min_error=0.0, max_iterations=100_000)
    trainer = trained(config, 5000)
    assert trainer.history.stride > 1  # the curve is kept in buckets by now
    _, _, loaded = runfile.load(runfile.save(config, ViewOptions(), trainer))
    for ours, theirs in zip(loaded.history.curve(), trainer.history.curve()):
        np.testing.assert_array_equal(ours, theirs)
    assert errors_one_by_one(loaded, 5) == errors_one_by_one(trainer, 5)


def test_a_diverged_run_round_trips_and_stays_stopped():
    config = RunConfig(activation="linear", output_activation="linear", learning_rate=100.0,
                       min_error=0.0)
    trainer = config.trainer()
    trainer.run(100)
    assert trainer.divergence is not None
    loaded_config, view, loaded = runfile.load(runfile.save(config, ViewOptions(), trainer))
    assert loaded.divergence == trainer.divergence
    p = Playground()
    p.load(loaded_config, loaded, view)
    assert p.stop_reason == "diverged" and p.status().kind == "error"


def test_a_loaded_run_plays_on_in_a_playground():
    p = Playground(MOMENTUM, ViewOptions(speed="5"))
    p.step(12)
    text = runfile.save(p.config, p.view, p.trainer)
    other = Playground()
    config, view, trainer = runfile.load(text)
    other.load(config, trainer, view)
    assert other.config == MOMENTUM and other.view == p.view and other.trainer.iteration == 12
    other.play()
    p.play()
    assert other.frame() == p.frame() == 5
    np.testing.assert_array_equal(bits(other.trainer.network.parameters),
                                  bits(p.trainer.network.parameters))


def test_the_saved_document_is_plain_json():
    text = runfile.save(FAST, VIEW, trained(FAST, 3))

    def refuse(constant):
        raise AssertionError(f"saved file holds {constant}")

    document = json.loads(text, parse_constant=refuse)
    assert set(document) >= {"format", "version", "config", "view", "run"}


# -- the upload fuzz corpus ------------------------------------------------------------------


def saved(config: RunConfig = FAST, iterations: int = 10) -> dict:
    return json.loads(runfile.save(config, ViewOptions(), trained(config, iterations)))


def edited(change: Callable[[dict], object], config: RunConfig = FAST) -> str:
    document = saved(config)
    change(document)
    return json.dumps(document)  # writes NaN and Infinity as the bare JS literals


def nested(depth: int, leaf: object = 0.5) -> object:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def set_path(path: str, value: object) -> Callable[[dict], None]:
    """Set ``document[a][b][0]...`` for ``path`` "a.b.0"."""
    *head, last = [int(p) if p.isdigit() else p for p in path.split(".")]

    def change(document: dict) -> None:
        node = document
        for key in head:
            node = node[key]
        node[last] = value
    return change


def delete(path: str) -> Callable[[dict], None]:
    *head, last = path.split(".")

    def change(document: dict) -> None:
        node = document
        for key in head:
            node = node[key]
        del node[last]
    return change


def valid_text() -> str:
    return json.dumps(saved())


HUGE = runfile.MAX_RUN_FILE_BYTES + 1_000_000

CORPUS: dict[str, tuple[Callable[[], bytes | str], str]] = {
    # name: (the upload, a pattern its message must match)
    "empty bytes": (lambda: b"", r"not json"),
    "empty text": (lambda: "", r"not json"),
    "whitespace": (lambda: b"  \n", r"not json"),
    "truncated json": (lambda: valid_text()[: len(valid_text()) // 2], r"not json"),
    "one byte short": (lambda: valid_text()[:-1], r"not json"),
    "invalid utf-8": (lambda: b'{"format": "\xff\xfe"}', r"not json"),
    "binary junk": (lambda: bytes(range(256)) * 4, r"not json"),
    "a json list": (lambda: b"[]", r"not an nnplay run"),
    "a json number": (lambda: b"42", r"not an nnplay run"),
    "a json string": (lambda: b'"run"', r"not an nnplay run"),
    "json null": (lambda: b"null", r"not an nnplay run"),
    "an empty object": (lambda: b"{}", r"not an nnplay run"),
    "the engine's format": (lambda: edited(set_path("format", "nnplay-run")), r"not an nnplay run"),
    "no format": (lambda: edited(delete("format")), r"not an nnplay run"),
    "a newer version": (lambda: edited(set_path("version", 2)), r"version"),
    "version as text": (lambda: edited(set_path("version", "1")), r"version"),
    "inner version": (lambda: edited(set_path("run.version", 99)), r"version"),
    "no configuration": (lambda: edited(delete("config")), r"configuration"),
    "configuration a list": (lambda: edited(set_path("config", [])), r"configuration"),
    "no run": (lambda: edited(delete("run")), r"not a valid"),
    "weights of the wrong shape": (lambda: edited(set_path("run.weights.0", [[0.1, 0.2]] * 4)),
                                   r"shape"),
    "weights transposed": (lambda: edited(set_path("run.weights.1", [[0.1]] * 5)), r"shape"),
    "a weight matrix too many": (lambda: edited(lambda d: d["run"]["weights"].append([[0.0]])),
                                 r"weight matrices|layers"),
    "a ragged weight matrix": (lambda: edited(set_path("run.weights.0.1", [0.1])), r"not a valid"),
    "weights not a list": (lambda: edited(set_path("run.weights.0", 0.5)), r"list of numbers"),
    "NaN weight": (lambda: edited(set_path("run.weights.0.0.0", float("nan"))), r"nan"),
    "infinite weight": (lambda: edited(set_path("run.weights.1.0.2", float("inf"))), r"infinity"),
    "-infinite weight": (lambda: edited(set_path("run.weights.1.0.2", -float("inf"))), r"infinity"),
    "overflowing weight literal": (lambda: valid_text().replace('"weights": [[[',
                                                                '"weights": [[[1e999, ', 1),
                                   r"nan or infinity|shape|rectangular"),
    "NaN in the history": (lambda: edited(set_path("run.history.low.3", float("nan"))), r"nan"),
    "NaN last error": (lambda: edited(set_path("run.last_error", float("nan"))), r"finite"),
    "NaN in the view": (lambda: edited(set_path("view.speed", float("nan"))), r"view"),
    "config seed edited": (lambda: edited(set_path("config.seed", 2)), r"does not match"),
    "network seed edited": (lambda: edited(set_path("run.network.seed", 2)), r"does not match"),
    "network shape edited": (lambda: edited(set_path("run.network.shape", [2, 3, 1])),
                             r"shape|does not match"),
    "activation edited": (lambda: edited(set_path("run.network.activation", "relu")),
                          r"does not match"),
    "training data edited": (lambda: edited(set_path("run.data.y", [[1.0], [1.0], [0.0], [0.0]])),
                             r"training data"),
    "learning rate edited": (lambda: edited(set_path("run.settings.learning_rate", 0.5)),
                             r"training settings"),
    "a batch size slipped in": (lambda: edited(set_path("run.settings.batch_size", 2)),
                                r"training settings"),
    "a penalty slipped in": (lambda: edited(lambda d: d["run"]["settings"].update(
        regularization="l2", regularization_rate=0.1)), r"training settings"),
    "a file too big": (lambda: b" " * HUGE, r"\d+\.\d MB.*at most"),
    "a huge array past the limit": (
        lambda: edited(set_path("run.weights.0", [[0.123456789] * 3] * 200_000)), r"MB"),
    "a big array under the limit": (
        lambda: edited(set_path("run.weights.0", [[0.5] * 3] * 100_000)), r"shape"),
    "deeply nested lists": (lambda: "[" * 100_000, r"nested"),
    "deeply nested objects": (lambda: '{"a":' * 100_000, r"nested"),
    "nested weights": (lambda: edited(set_path("run.weights.0", nested(500))), r"not a valid"),
    "nested in the config": (lambda: edited(set_path("config.hidden", nested(200, 4))),
                             r"configuration"),
    "a number too long": (lambda: valid_text().replace('"seed": 1', '"seed": 1' + "0" * 5000, 1),
                          r"number too long"),
    "unknown config key": (lambda: edited(set_path("config.colour", "red")), r"unknown"),
    "unknown training setting": (lambda: edited(set_path("run.settings.warp", 9)), r"unknown"),
    "learning rate as text": (lambda: edited(set_path("config.learning_rate", "2")),
                              r"learning_rate"),
    "seed as text": (lambda: edited(set_path("config.seed", "1")), r"seed"),
    "seed as a bool": (lambda: edited(set_path("config.seed", True)), r"seed"),
    "hidden as text": (lambda: edited(set_path("config.hidden", "4")), r"hidden"),
    "a hidden size as text": (lambda: edited(set_path("config.hidden", ["4"])), r"hidden"),
    "max iterations as text": (lambda: edited(set_path("config.max_iterations", "5000")),
                               r"max_iterations"),
    "iteration as text": (lambda: edited(set_path("run.iteration", "10")), r"iteration"),
    "iteration as a float": (lambda: edited(set_path("run.iteration", 10.0)), r"iteration"),
    "history capacity as text": (lambda: edited(set_path("run.history.capacity", "2048")),
                                 r"capacity"),
    "log scale as text": (lambda: edited(set_path("view.log_scale", "true")), r"view"),
    "speed as a list": (lambda: edited(set_path("view.speed", [])), r"view"),
    "speed unknown": (lambda: edited(set_path("view.speed", "7")), r"view"),
    "view a string": (lambda: edited(set_path("view", "fast")), r"view"),
    "an unknown view key": (lambda: edited(set_path("view.zoom", 2)), r"view"),
    "a negative iteration": (lambda: edited(set_path("run.iteration", -1)), r"negative"),
    "iteration past the history": (lambda: edited(set_path("run.iteration", 11)),
                                   r"history covers"),
    "iteration without an error": (lambda: edited(set_path("run.last_error", None)),
                                   r"no last error"),
    "a history longer than its capacity": (
        lambda: edited(lambda d: d["run"]["history"].update(capacity=4, low=[1.0] * 9,
                                                              high=[1.0] * 9)),
        r"longer than its capacity"),
    "a huge history capacity": (lambda: edited(set_path("run.history.capacity", 10**9)),
                                r"capacity"),
    "an impossible stride": (lambda: edited(set_path("run.history.stride", 3)), r"stride"),
    "a history length mismatch": (lambda: edited(set_path("run.history.filled", 5)),
                                  r"history"),
    "config invalid together": (lambda: edited(lambda d: d["config"].update(
        loss="cross_entropy", output_activation="tanh")), r"configuration"),
    "seven hidden layers": (lambda: edited(set_path("config.hidden", [1] * 7)), r"hidden"),
    "infinite learning rate": (lambda: edited(set_path("config.learning_rate", float("inf"))),
                               r"learning_rate"),
    "optimizer slots missing": (
        lambda: edited(set_path("run.optimizer_state", {}), MOMENTUM), r"update rule|does not"),
    "NaN optimizer slot": (
        lambda: edited(set_path("run.optimizer_state.velocity.0", float("nan")), MOMENTUM),
        r"nan"),
    "divergence of the wrong type": (lambda: edited(set_path("run.divergence", [1])),
                                     r"divergence"),
}


@pytest.mark.parametrize("name", list(CORPUS))
def test_a_broken_upload_is_refused_with_a_sentence_that_says_why(name):
    make, pattern = CORPUS[name]
    data = make()
    with pytest.raises(RunFileError) as caught:
        runfile.load(data)
    message = str(caught.value)
    assert type(caught.value) is RunFileError
    assert re.search(pattern, message, re.IGNORECASE), message
    assert len(message) < 600
    assert message.rstrip().endswith(".")


def test_the_size_message_gives_the_size_and_the_limit():
    with pytest.raises(RunFileError) as caught:
        runfile.load(b"x" * (runfile.MAX_RUN_FILE_BYTES + 2_500_000))
    message = str(caught.value)
    assert f"{(runfile.MAX_RUN_FILE_BYTES + 2_500_000) / 1e6:.1f} MB" in message
    assert f"{runfile.MAX_RUN_FILE_BYTES / 1e6:.0f} MB" in message


def test_weights_written_as_text_are_refused():
    with pytest.raises(RunFileError):
        runfile.load(edited(set_path("run.weights.0.0.0", "0.5")))


# -- never a partially valid object ------------------------------------------------------------


def assert_whole(config: RunConfig, view: ViewOptions, trainer: Trainer) -> None:
    """A loaded run that the page can use in every way, with nothing out of step."""
    dataclasses.replace(config)  # every RunConfig check passes again
    assert isinstance(view.speed, str) and view.speed in SPEEDS
    assert isinstance(view.log_scale, bool) and isinstance(view.discrete, bool)
    net = trainer.network
    assert (net.shape, net.activation, net.output_activation, net.init, net.seed) == (
        config.shape(), config.activation, config.output_activation, config.init, config.seed)
    assert trainer.settings == TrainerSettings(**config.training_settings())
    assert np.isfinite(net.parameters).all()
    assert all(np.isfinite(v).all() for v in trainer.optimizer_state.values())
    assert len(trainer.history) == trainer.iteration >= 0
    if trainer.iteration:
        assert trainer.last_error is not None and np.isfinite(trainer.last_error)
    p = Playground()
    p.load(config, trainer, view)
    p.status()
    p.truth_rows()
    p.surface()
    p.node_maps()
    json.dumps([frames.scene(p), frames.frame(p, frames.Curves())], allow_nan=False)
    p.play()
    p.frame()
    p.step(1)


BASE = saved(MOMENTUM, 9)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


PATHS = [p for p in paths(BASE) if p]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 2**70) | st.floats() | st.text(max_size=6)
    | st.sampled_from(["sgd", "xor", "tanh", "max", "nnplay-run", "nnplay-page-run"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=8,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.one_of(st.just("delete"), json_values)),
                min_size=1, max_size=3))
def test_a_mutated_file_loads_whole_or_not_at_all(mutations):
    document = copy.deepcopy(BASE)
    for path, value in mutations:
        node = document
        try:
            for key in path[:-1]:
                node = node[key]
            if value == "delete":
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    try:
        loaded = runfile.load(json.dumps(document))
    except RunFileError as problem:
        assert str(problem).strip()
        return
    assert_whole(*loaded)


def test_the_unmutated_base_is_whole():
    assert_whole(*runfile.load(json.dumps(BASE)))


def test_a_refused_upload_leaves_the_playground_as_it_was():
    p = Playground(FAST)
    p.step(8)
    before = p.trainer.network.parameters.copy()
    for name in ("config seed edited", "NaN weight", "a history longer than its capacity"):
        make, _ = CORPUS[name]
        with pytest.raises(RunFileError):
            p.load(*_reordered(runfile.load(make())))
    assert p.trainer.iteration == 8 and p.config == FAST
    np.testing.assert_array_equal(p.trainer.network.parameters, before)


def _reordered(loaded):
    config, view, trainer = loaded
    return config, trainer, view
