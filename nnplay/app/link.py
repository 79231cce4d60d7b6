"""The run's configuration in the link: parse a query string, write one back.

A teacher shares a link; the page must open exactly that run. Every value is
read on its own: a bad one falls back to its default and adds a warning that
names the parameter, so a broken link still opens a working page.

Each parameter is a row of ``nnplay.settings`` (its ``query`` name); ``data=spiral``
is the problem ``set:spiral`` written without its prefix. Drawn or uploaded points travel
in ``pts=`` (``nnplay.app.pointcode``), the problem ``csv``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from nnplay import datasets
from nnplay.app import edits, pointcode
from nnplay.config import RunConfig
from nnplay.losses import compatibility_problem
from nnplay.problems import POINTS_LEARNING_RATE, POINTS_TEST_FRACTION, SET_PREFIX, UPLOADED
from nnplay.settings import (
    CLASSROOM_SETTINGS,
    RUN_SETTINGS,
    SETTINGS,
    VIEW_SETTINGS,
    Setting,
    record,
)

SPEEDS: dict[str, int | None] = {s: None if s == "max" else int(s)
                                  for s in SETTINGS["speed"].choices}
"""Iterations per frame; ``max`` fills a time budget each frame instead."""
MAX_VALUE_LENGTH = 64
"""The longest value a link may give a parameter (longer ones fall back to the default)."""

ViewOptions = record("ViewOptions", VIEW_SETTINGS, __name__, """How the run is shown (not what it
is), also part of a shared link: a field per row of ``nnplay.settings.VIEW_SETTINGS``.""")
Classroom = record("Classroom", CLASSROOM_SETTINGS, __name__, """Classroom mode, like TensorFlow
Playground's: chosen parts of the page hidden (``hide``), larger text (``big``).""")


@dataclass(frozen=True)
class Link:
    config: RunConfig
    view: ViewOptions
    warnings: tuple[str, ...]
    classroom: Classroom = Classroom()
    at: int = 0
    """The iteration the run had reached (``at=``): the page replays it on open."""
    points: datasets.Dataset | None = None
    """The points of the problem ``csv`` (``pts=``), drawn or uploaded."""


POINT_SET = Setting("problem", "data", "data", "choice", None, "Point set",
                    "A 2-D point set instead of a truth table.", choices=tuple(datasets.POINT_SETS))
"""``data=spiral``: the problem ``set:spiral``, written in the link without its prefix."""
AT = Setting("at", "at", "run", "whole", 0, "Iteration reached",
             "A paused run's iteration: the page trains the run from iteration 0 to it again, "
             "so the weights are the same, bit for bit.", high=10_000_000, in_link="changed")
"""``at=``: where a paused run was. The page writes it while paused and drops it while
playing, so a reload, a new session or another server returns to the same weights."""
PARAMETERS = {s.query: s for s in (*SETTINGS.values(), POINT_SET, AT)}
"""Every parameter a link may carry, by its name in the link (and ``pts``, below)."""
POINTS = "pts"
"""Drawn or uploaded points (``nnplay.app.pointcode``); with them the problem is ``csv``."""


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _default_text(setting: Setting, default: object) -> str:
    if setting is POINT_SET:
        return f"the {default} gate"
    if default is None:
        return "the whole training set"
    return setting.write(default) or "none"


def parse_query(params: Mapping[str, object], base: RunConfig | None = None) -> Link:
    """The configuration a link asks for, every bad value replaced by its default.

    ``params`` maps names to strings (or lists of strings: the last counts).
    Unknown names are ignored. Never raises.
    """
    config = _defaults_for(params, base or RunConfig())
    values: dict[str, object] = {}
    warnings: list[str] = []
    points = _points(params, warnings)
    if points is not None:
        values[SETTINGS["problem"].name] = UPLOADED
    for name, setting in PARAMETERS.items():
        if name not in params:
            continue
        raw = params[name]
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        text = str(raw)
        if points is not None and setting.kind == "problem":
            continue  # the points are the problem
        try:
            if len(text) > MAX_VALUE_LENGTH:
                raise ValueError("is too long")
            value = setting.parse(text)
            if setting.kind == "problem" and value == UPLOADED:
                raise ValueError("names points the link does not carry (no 'pts' value; choose "
                                 "'Points: your own (drawn or CSV)' and draw or upload them again)")
        except ValueError as reason:
            default = getattr(config, setting.name, setting.default)
            warnings.append(f"The link's '{name}' value '{_shown(text)}' {reason}; using the "
                            f"default, {_default_text(setting, default)}.")
            continue
        values[setting.name] = SET_PREFIX + value if setting is POINT_SET else value
    fields = {s.name: values[s.name] for s in RUN_SETTINGS if s.name in values}
    problem = compatibility_problem(fields.get("loss", config.loss),
                                    fields.get("output_activation", config.output_activation))
    if problem:
        warnings.append(f"The link's 'loss' and 'out' do not fit together ({problem}) Using the "
                        f"defaults, {config.loss} and {config.output_activation}.")
        fields.pop("loss", None)
        fields.pop("output_activation", None)
    view = ViewOptions(**{s.name: values[s.name] for s in VIEW_SETTINGS if s.name in values})
    classroom = Classroom(**{s.name: values[s.name] for s in CLASSROOM_SETTINGS
                             if s.name in values})
    return Link(_fitting(config, fields, warnings), view, tuple(warnings), classroom,
                values.get(AT.name, 0), points)


def _points(params: Mapping[str, object], warnings: list[str]) -> datasets.Dataset | None:
    """The link's ``pts=`` points, or None (with a warning if the value is not a list of points)."""
    raw = params.get(POINTS)
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else ""
    if raw is None:
        return None
    try:
        return pointcode.decode(str(raw))
    except pointcode.PointCodeError as reason:
        warnings.append(f"The link's '{POINTS}' value '{_shown(raw)}' {reason}; the page opens "
                        "without its points.")
        return None


FALLBACKS = ((("activation",), "hidden activation"),
             (("loss", "output_activation"), "output activation and loss"),
             (("features",), "output activation, loss and input features"),
             (tuple(f.name for f in dataclasses.fields(RunConfig)), "settings"))
"""What a link's settings that do not fit together lose, in turn, until they fit."""


def _fitting(config: RunConfig, fields: dict[str, object], warnings: list[str]) -> RunConfig:
    """``config`` with ``fields``, less what does not fit together (with a warning)."""
    try:
        return config.replace(**fields)
    except ValueError as reason:
        problem = reason
    for dropped, words in FALLBACKS:
        fields = {k: v for k, v in fields.items() if k not in dropped}
        try:
            fitted = config.replace(**fields)
        except ValueError:
            continue
        warnings.append(f"The link's settings do not fit together ({problem}) Using the "
                        f"default {words}.")
        return fitted
    return config


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
        POINT_SET.parse(str(raw))
    except ValueError:
        return config
    return dataclasses.replace(config, learning_rate=POINTS_LEARNING_RATE,
                               test_fraction=POINTS_TEST_FRACTION)


def to_query(config: RunConfig, view: ViewOptions, classroom: Classroom | None = None,
             at: int = 0, points: datasets.Dataset | None = None) -> dict[str, str]:
    """The query parameters that reproduce ``config``, ``view`` and ``classroom`` (and the
    iteration ``at``, if not 0, and the problem ``csv``'s ``points`` if a link can carry
    them, see ``pointcode.why_not``): every setting the table marks ``always``, a point set's
    whenever the run has a test set or points, and the rest when they differ from their
    defaults."""
    point_set = config.is_point_set or config.test_fraction
    classroom = classroom or Classroom()
    values = {}
    for source, settings in ((config, RUN_SETTINGS), (view, VIEW_SETTINGS),
                             (classroom, CLASSROOM_SETTINGS)):
        for s in settings:
            value = getattr(source, s.name)
            if s.in_link == "always" or (s.in_link == "point sets" and point_set) or (
                    s.in_link == "changed" and value != s.default):
                values[s.query] = s.write(value)
    if config.problem.startswith(SET_PREFIX):
        values[POINT_SET.query] = values.pop("gate")[len(SET_PREFIX):]
    if config.problem == UPLOADED and points is not None and pointcode.why_not(points) is None:
        values[POINTS] = pointcode.encode(points)
    if at:
        values[AT.query] = AT.write(at)
    return values


def parameters_table() -> str:
    """The README's table of link parameters, a row per setting, made from the settings table."""
    lines = ["| parameter | setting | values | default |", "|---|---|---|---|"]
    for s in PARAMETERS.values():
        default = "none" if s is POINT_SET else _default_text(s, s.default)
        lines.append(f"| `{s.query}` | {s.label} ({s.group}) | {s.values_text()} | `{default}` |")
    lines += EDIT_ROWS
    return "\n".join(lines)


EDIT_ROWS = [
    f"| `edit` | Weights set by hand (run) | up to {edits.MAX_EDITS} of `LAYER.ROW.COL@ITERATION:VALUE`, "
    f"comma-separated, the value within ±{edits.MAX_HAND_WEIGHT:g} (`1.0.2@120:0.5`: W1[0, 2] set "
    "to 0.5 at iteration 120) | none |",
    "| `off` | Neurons switched off (run) | hidden neurons by their diagram names, each with the "
    "iteration it went off and, if it came on again, when (`h1@120-300,h2.3`: h2.3 off from "
    "iteration 0) | none |",
]
"""The hand edits' rows of the parameters table (``nnplay.app.edits`` reads and writes them)."""
