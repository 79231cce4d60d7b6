"""The run's configuration in the link: parse a query string, write one back.

A teacher shares a link; the page must open exactly that run. Every value is
read on its own: a bad one falls back to its default and adds a warning that
names the parameter, so a broken link still opens a working page.

Names (as in the design notes): ``gate``, ``hidden`` (``4`` or ``4,2``, empty
for none), ``act``, ``out``, ``loss``, ``opt``, ``lr``, ``mom``, ``seed``,
``init``, ``min`` (minimum error), ``max`` (maximum iterations), and for the
view ``speed``, ``log`` and ``cut`` (the surface cut at 0.5).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from nnplay import datasets
from nnplay.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnplay.config import (
    MAX_HIDDEN_LAYERS,
    MAX_HIDDEN_NODES,
    MAX_ITERATIONS,
    POINTS_LEARNING_RATE,
    POINTS_TEST_FRACTION,
    SET_PREFIX,
    RunConfig,
    check_problem,
)
from nnplay.features import DEFAULT_FEATURES, FEATURES
from nnplay.initializers import INITIALIZERS
from nnplay.losses import LOSSES, compatibility_problem
from nnplay.optimizers import OPTIMIZERS
from nnplay.regularizers import REGULARIZERS

SPEEDS: dict[str, int | None] = {"1": 1, "2": 2, "5": 5, "20": 20, "100": 100, "1000": 1000,
                                  "max": None}
"""Iterations per frame; ``max`` fills a time budget each frame instead."""
MAX_LEARNING_RATE = 100.0
MAX_VALUE_LENGTH = 64


@dataclass(frozen=True)
class ViewOptions:
    """How the run is shown (not what it is): also part of a shared link."""

    speed: str = "2"
    log_scale: bool = False
    discrete: bool = False
    show_test: bool = True
    """Draw the held-out test points on the decision surface."""


CLASSROOM_PARTS = ("presets", "network", "training", "view", "keep", "share", "lab")
"""Parts of the page a teacher can hide with ``hide=`` (comma-separated)."""


@dataclass(frozen=True)
class Classroom:
    """Classroom mode, like TensorFlow Playground's: chosen controls hidden, larger text."""

    hide: tuple[str, ...] = ()
    big: bool = False


@dataclass(frozen=True)
class Link:
    config: RunConfig
    view: ViewOptions
    warnings: tuple[str, ...]
    classroom: Classroom = Classroom()


# field in RunConfig -> query name
CONFIG_NAMES = {
    "problem": "gate", "hidden": "hidden", "activation": "act", "output_activation": "out",
    "loss": "loss", "optimizer": "opt", "learning_rate": "lr", "momentum": "mom", "seed": "seed",
    "init": "init", "min_error": "min", "max_iterations": "max", "n_points": "points",
    "noise": "noise", "test_fraction": "split", "data_seed": "dseed", "features": "feat",
    "batch_size": "batch", "regularization": "reg", "regularization_rate": "rate",
}


def _choice(choices) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise ValueError("is not one of " + ", ".join(choices))
        return value
    return parse


def _problem(text: str) -> str:
    try:
        return check_problem(text.strip().lower())
    except ValueError:
        raise ValueError("is not a gate, parity3, majority3 or custom:<4 or 8 digits 0/1>") from None


def _point_set(text: str) -> str:
    name = text.strip().lower()
    if name not in datasets.POINT_SETS:
        raise ValueError("is not one of " + ", ".join(datasets.POINT_SETS))
    return SET_PREFIX + name


def _features(text: str) -> tuple[str, ...]:
    names = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    if not names or len(set(names)) != len(names) or any(n not in FEATURES for n in names):
        raise ValueError("should be distinct names among " + ", ".join(FEATURES))
    return names


def _batch(text: str) -> int | None:
    if text.strip() in ("", "all", "full"):
        return None
    return _whole(1, datasets.MAX_POINTS)(text)


def _hidden(text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(",")] if text.strip() else []
    if len(parts) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"has more than {MAX_HIDDEN_LAYERS} hidden layers")
    sizes = []
    for part in parts:
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= MAX_HIDDEN_NODES:
            raise ValueError(f"should be layer sizes from 1 to {MAX_HIDDEN_NODES} separated by "
                             "commas, like 4 or 4,2")
        sizes.append(int(part))
    return tuple(sizes)


def _number(low: float, high: float, low_open: bool = False) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError("is not a number") from None
        if not math.isfinite(value) or value < low or (low_open and value == low) or value > high:
            raise ValueError(f"is outside {'(' if low_open else '['}{low:g}, {high:g}]")
        return value
    return parse


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        text = text.strip()
        if not (text.isascii() and text.isdigit()):  # str.isdigit() also passes '²', which int() rejects
            raise ValueError("is not a whole number")
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"is outside {low}..{high}")
        return value
    return parse


def _parts(text: str) -> tuple[str, ...]:
    parts = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    unknown = [p for p in parts if p not in CLASSROOM_PARTS]
    if unknown:
        raise ValueError(f"names {', '.join(map(repr, unknown))}; the parts that can be hidden "
                         f"are {', '.join(CLASSROOM_PARTS)}")
    return parts


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("0", "1", "true", "false"):
        raise ValueError("should be 0 or 1")
    return value in ("1", "true")


PARSERS: dict[str, Callable[[str], object]] = {
    "gate": _problem,
    "hidden": _hidden,
    "act": _choice(HIDDEN_ACTIVATIONS),
    "out": _choice(list(ACTIVATIONS)),
    "loss": _choice(list(LOSSES)),
    "opt": _choice(list(OPTIMIZERS)),
    "lr": _number(0.0, MAX_LEARNING_RATE, low_open=True),
    "mom": _number(0.0, 0.999),
    "seed": _whole(0, 2**31 - 1),
    "init": _choice(list(INITIALIZERS)),
    "min": _number(0.0, 1e6),
    "max": _whole(1, MAX_ITERATIONS),
    "data": _point_set,
    "points": _whole(datasets.MIN_POINTS, datasets.MAX_POINTS),
    "noise": _number(0.0, datasets.MAX_NOISE),
    "split": _number(0.0, datasets.MAX_TEST_FRACTION),
    "dseed": _whole(0, 2**31 - 1),
    "feat": _features,
    "batch": _batch,
    "reg": _choice(list(REGULARIZERS)),
    "rate": _number(0.0, 10.0),
    "speed": _choice(list(SPEEDS)),
    "log": _flag,
    "cut": _flag,
    "hide": _parts,
    "big": _flag,
    "test": _flag,
}
VIEW_NAMES = {"speed": "speed", "log": "log_scale", "cut": "discrete", "test": "show_test"}
CLASSROOM_NAMES = {"hide": "hide", "big": "big"}


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _default_text(name: str, config: RunConfig, view: ViewOptions) -> str:
    if name in CLASSROOM_NAMES:
        return "nothing hidden" if name == "hide" else "0"
    if name == "data":
        return f"the {config.problem} gate"
    written = to_query(config, view)
    if name in written:
        return written[name] or "none"
    value = getattr(config, _field_of(name))
    if value is None:
        return "the whole training set"
    return ",".join(value) if isinstance(value, tuple) else _exact(value) if isinstance(
        value, float) else str(value)


def parse_query(params: Mapping[str, object], base: RunConfig | None = None) -> Link:
    """The configuration a link asks for, every bad value replaced by its default.

    ``params`` maps names to strings (or lists of strings: the last counts).
    Unknown names are ignored. Never raises.
    """
    config = _defaults_for(params, base or RunConfig())
    view = ViewOptions()
    defaults = (config, view)
    fields: dict[str, object] = {}
    view_fields: dict[str, object] = {}
    classroom_fields: dict[str, object] = {}
    warnings = []
    for name, parse in PARSERS.items():
        if name not in params:
            continue
        raw = params[name]
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        text = str(raw)
        try:
            if len(text) > MAX_VALUE_LENGTH:
                raise ValueError("is too long")
            value = parse(text)
        except ValueError as reason:
            warnings.append(f"The link's '{name}' value '{_shown(text)}' {reason}; using the "
                            f"default, {_default_text(name, *defaults)}.")
            continue
        if name in VIEW_NAMES:
            view_fields[VIEW_NAMES[name]] = value
        elif name in CLASSROOM_NAMES:
            classroom_fields[CLASSROOM_NAMES[name]] = value
        elif name == "data":  # a point set instead of a truth table
            fields["problem"] = value
        else:
            fields[_field_of(name)] = value
    problem = compatibility_problem(fields.get("loss", config.loss),
                                    fields.get("output_activation", config.output_activation))
    if problem:
        warnings.append(f"The link's 'loss' and 'out' do not fit together ({problem}) Using the "
                        f"defaults, {config.loss} and {config.output_activation}.")
        fields.pop("loss", None)
        fields.pop("output_activation", None)
    try:
        linked = dataclasses.replace(config, **fields)
    except ValueError as reason:
        warnings.append(f"The link's settings do not fit together ({reason}) Using the default "
                        f"output activation and loss.")
        fields.pop("loss", None)
        fields.pop("output_activation", None)
        linked = dataclasses.replace(config, **fields)
    return Link(linked, dataclasses.replace(view, **view_fields), tuple(warnings),
                Classroom(**classroom_fields))


def _defaults_for(params: Mapping[str, object], config: RunConfig) -> RunConfig:
    """What a link's missing (or bad) values default to: ``config``, except that a link to a
    point set from a gate starts with a point set's learning rate and test split, as choosing
    one on the page does. (The page's own links write both out; this is for links written by
    hand, such as ``?data=spiral``.)"""
    raw = params.get("data")
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    if raw is None or config.is_point_set or len(str(raw)) > MAX_VALUE_LENGTH:
        return config
    try:
        _point_set(str(raw))
    except ValueError:
        return config
    return dataclasses.replace(config, learning_rate=POINTS_LEARNING_RATE,
                               test_fraction=POINTS_TEST_FRACTION)


def _field_of(name: str) -> str:
    return next(field for field, query in CONFIG_NAMES.items() if query == name)


def to_query(config: RunConfig, view: ViewOptions,
             classroom: Classroom = Classroom()) -> dict[str, str]:
    """The query parameters that reproduce ``config`` and ``view`` (every one written out),
    and classroom mode when it is on."""
    values = {
        "gate": config.problem,
        "hidden": ",".join(str(n) for n in config.hidden),
        "act": config.activation,
        "out": config.output_activation,
        "loss": config.loss,
        "opt": config.optimizer,
        "lr": _exact(config.learning_rate),
        "mom": _exact(config.momentum),
        "seed": str(config.seed),
        "init": config.init,
        "min": _exact(config.min_error),
        "max": str(config.max_iterations),
        "speed": view.speed,
        "log": "1" if view.log_scale else "0",
        "cut": "1" if view.discrete else "0",
    }
    if config.problem.startswith(SET_PREFIX):
        del values["gate"]
        values["data"] = config.problem[len(SET_PREFIX):]
    if config.is_point_set or config.test_fraction:
        values.update(points=str(config.n_points), noise=_exact(config.noise),
                      split=_exact(config.test_fraction), dseed=str(config.data_seed),
                      test="1" if view.show_test else "0")
    if config.features != DEFAULT_FEATURES:
        values["feat"] = ",".join(config.features)
    if config.batch_size is not None:
        values["batch"] = str(config.batch_size)
    if config.regularization != "none" or config.regularization_rate:
        values.update(reg=config.regularization, rate=_exact(config.regularization_rate))
    if classroom.hide:
        values["hide"] = ",".join(classroom.hide)
    if classroom.big:
        values["big"] = "1"
    return values


def _exact(value: float) -> str:
    """The shortest text that reads back as the same float: ``2``, ``0.2``, ``1e-05``."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
