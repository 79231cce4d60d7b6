"""Every setting of a run, once: the one table the configuration, the link, the checks,
the sidebar and the README's list of link parameters all read.

A row says what a setting is called in the code (``name``, the field of ``RunConfig``
or ``ViewOptions`` and the sidebar's widget key) and in the link (``query``), what
values it takes and its default, how the page labels and explains it, and its group:
``data``, ``network``, ``training`` or ``view`` (plus ``classroom`` for the link's
classroom mode). Changing a ``data`` or ``network`` setting starts the network again
from iteration 0; the others keep it. Adding a setting is one row here plus its use.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from nnplay import _checks, datasets
from nnplay.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnplay.features import DEFAULT_FEATURES, FEATURES
from nnplay.initializers import INITIALIZERS
from nnplay.losses import LOSSES
from nnplay.network import check_hidden_activation
from nnplay.optimizers import OPTIMIZERS
from nnplay.problems import SET_PREFIX, check_problem, problem_name
from nnplay.regularizers import REGULARIZERS
from nnplay.schedules import SCHEDULES

MAX_PAGE_SEED = 2**31 - 1
"""Seeds a student can type or a link can carry (the engine takes any 64-bit seed)."""
SPEEDS = ("1", "2", "5", "20", "100", "1000", "max")
"""Iterations per frame while playing; ``max`` fills a time budget each frame instead."""
CLASSROOM_PARTS = ("presets", "network", "training", "view", "keep", "share", "lab")
"""Parts of the page a teacher can hide with ``hide=``; ``network`` hides the data too."""
MAX_HIDDEN_NODES = 16
"""Neurons a hidden layer can have on the page."""


@dataclass(frozen=True)
class Setting:
    """One setting: its names, its values, and how the page shows it."""

    name: str
    query: str
    group: str
    kind: str
    """``choice``, ``whole``, ``number``, ``flag``, ``sizes`` (hidden layers), ``names``
    (a set of choices), ``activations`` (a choice, or one per hidden layer), ``batch`` (a
    whole number or None for all) or ``problem``."""
    default: object
    label: str
    help: str = ""
    choices: tuple[str, ...] = ()
    low: float = 0
    high: float = math.inf
    low_open: bool = False
    in_link: str = "always"
    """When the page's links write it: ``always``, for ``point sets`` only, or when
    ``changed`` from its default."""
    short: str = ""
    """The word a student reads before its value (``η``, ``seed``); ``{}`` marks where the
    value goes when it does not follow (``{} points``, ``test {:.0%}``)."""
    applies: Callable[[object], bool] | None = None
    """Whether the setting means anything for a configuration (momentum only for the
    momentum rule); None: always."""
    choice_labels: Mapping[str, str] | None = None
    """How the page names each choice, where not by the choice itself."""

    def means_something(self, record: object) -> bool:
        return self.applies is None or self.applies(record)

    def describe(self, value: object) -> str:
        """The value as a student reads it in a sentence: ``η 0.2``, ``120 points``."""
        if self.kind == "problem":
            value = problem_name(value)
        elif value is None:
            value = "full"
        elif isinstance(value, tuple):
            labels = self.choice_labels or {}
            value = ", ".join(labels.get(v, str(v)) for v in value)
        if "{" in self.short:
            return self.short.format(value)
        return f"{self.short} {value:g}" if isinstance(value, float) else f"{self.short} {value}"

    @property
    def restarts(self) -> bool:
        """Whether changing it starts the network again from iteration 0."""
        return self.group in ("data", "network")

    def check(self, value: object) -> object:
        """``value`` if this setting can take it (tuples for sequences), else raise with the
        project's one message shape."""
        name, kind = self.name, self.kind
        if kind == "problem":
            return check_problem(value)
        if kind == "choice":
            return _checks.choice(name, value, self.choices)
        if kind == "activations":
            return check_hidden_activation(value)
        if kind == "flag":
            if not isinstance(value, bool):
                _checks.fail(name, "True or False", value, TypeError)
            return value
        if kind == "number":
            return _checks.number(name, value, low=self.low, high=self.high, low_open=self.low_open)
        if kind == "whole" or (kind == "batch" and value is not None):
            return _checks.integer(name, value, int(self.low), int(self.high))
        if kind == "batch":
            return None
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            _checks.fail(name, f"a sequence such as {self.default!r}", value, TypeError)
        value = tuple(value)
        if kind == "sizes":
            if len(value) > self.high:
                _checks.fail(name, f"at most {self.high:g} hidden layers", value)
            return tuple(_checks.integer(name, size, 1, MAX_HIDDEN_NODES) for size in value)
        # names: distinct choices (one at least, unless none is the default)
        if (not value and self.default) or len(set(value)) != len(value) or any(
                v not in self.choices for v in value):
            _checks.fail(name, "distinct names among " + ", ".join(self.choices), value)
        return value

    def parse(self, text: str) -> object:
        """The value a link's ``text`` asks for; raise ``ValueError`` with the end of a
        sentence that starts "The link's 'lr' value '-1' ..."."""
        text = text.strip()
        kind = self.kind
        if kind == "problem":
            try:
                return check_problem(text.lower())
            except ValueError:
                raise ValueError("is not a gate, parity3, majority3 or custom:<4 or 8 digits "
                                 "0/1>") from None
        if kind == "activations":
            names = tuple(p.strip().lower() for p in text.split(","))
            if not all(n in self.choices for n in names):
                raise ValueError("is not one of " + ", ".join(self.choices) + ", or one of them "
                                 "per hidden layer separated by commas, like tanh,relu")
            return check_hidden_activation(names)
        if kind in ("choice", "names"):
            names = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
            unknown = [n for n in names if n not in self.choices]
            if kind == "choice" and (len(names) != 1 or unknown):
                raise ValueError("is not one of " + ", ".join(self.choices))
            if unknown or (not names and self.default):
                raise ValueError(f"names {', '.join(map(repr, unknown)) or 'none'}; the choices "
                                 f"are {', '.join(self.choices)}")
            return names[0] if kind == "choice" else names
        if kind == "flag":
            if text.lower() not in ("0", "1", "true", "false"):
                raise ValueError("should be 0 or 1")
            return text.lower() in ("1", "true")
        if kind == "number":
            try:
                value = float(text)
            except ValueError:
                raise ValueError("is not a number") from None
            if not math.isfinite(value) or value < self.low or value > self.high or (
                    self.low_open and value == self.low):
                raise ValueError(f"is outside {'(' if self.low_open else '['}{self.low:g}, "
                                 f"{self.high:g}]")
            return value
        if kind == "batch" and text.lower() in ("", "all", "full"):
            return None
        if kind == "sizes":
            parts = [p.strip() for p in text.split(",")] if text else []
            if len(parts) > self.high:
                raise ValueError(f"has more than {self.high:g} hidden layers")
            if not all(_is_whole(p) and 1 <= int(p) <= MAX_HIDDEN_NODES for p in parts):
                raise ValueError(f"should be layer sizes from 1 to {MAX_HIDDEN_NODES} separated "
                                 "by commas, like 4 or 4,2")
            return tuple(int(p) for p in parts)
        if not _is_whole(text):  # whole, batch
            raise ValueError("is not a whole number")
        if not self.low <= int(text) <= self.high:
            raise ValueError(f"is outside {self.low:g}..{self.high:g}")
        return int(text)

    def write(self, value: object) -> str:
        """The link's text for ``value``: what ``parse`` reads back as the same value."""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, tuple):
            return ",".join(str(v) for v in value)
        if isinstance(value, float):
            return exact(value)
        return "" if value is None else str(value)

    def values_text(self) -> str:
        """The values it takes, for the README's table."""
        kind = self.kind
        if kind in ("choice", "names", "activations"):
            text = ("any of, comma-separated: " if kind == "names" else "one of ") + ", ".join(
                f"`{c}`" for c in self.choices)
            return text + ("; or one per hidden layer, comma-separated (`tanh,relu`)"
                           if kind == "activations" else "")
        if kind == "flag":
            return "`0` or `1`"
        if kind == "sizes":
            return (f"up to {self.high:g} sizes from 1 to {MAX_HIDDEN_NODES}, comma-separated; "
                    "empty for none")
        if kind == "batch":
            return f"{exact(self.low)} to {exact(self.high)}; empty for all the training examples"
        if kind == "problem":
            return ("a gate (" + ", ".join(f"`{g}`" for g in datasets.GATES) + "), `parity3`, "
                    "`majority3`, or `custom:` and the targets in binary counting order")
        bound = "(" if self.low_open else "["
        if kind == "number":
            return f"{bound}{exact(self.low)}, {exact(self.high)}]"
        return f"{exact(self.low)} to {exact(self.high)}"


def _is_whole(text: str) -> bool:
    return text.isascii() and text.isdigit()  # str.isdigit() also passes '²'


def exact(value: float) -> str:
    """The shortest text that reads back as the same float: ``2``, ``0.2``, ``1e-05``."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _point_set(config: object) -> bool:
    return config.problem.startswith(SET_PREFIX)


ACTIVATION_LABELS = {name: a.label for name, a in ACTIVATIONS.items()}

SETTINGS: dict[str, Setting] = {s.name: s for s in (
    # name, query, group, kind, default, label
    # -- data ---------------------------------------------------------------------------------
    Setting("problem", "gate", "data", "problem", "xor", "Problem", short="{}",
            help="A logic gate, a 3-input function, your own truth table or a 2-D point set "
                 "(the link's `data=`)."),
    Setting("n_points", "points", "data", "whole", 200, "Points", short="{} points",
            help="Points drawn for a point set.", low=10, high=1000, in_link="point sets",
            applies=_point_set),
    Setting("noise", "noise", "data", "number", 0.0, "Noise", short="noise",
            help="How far the points stray from the pattern.", high=datasets.MAX_NOISE,
            in_link="point sets", applies=_point_set),
    Setting("test_fraction", "split", "data", "number", 0.0, "Test share", short="test {:.0%}",
            help="The share of the points held out to test the network on data it never "
                 "trained on.", high=datasets.MAX_TEST_FRACTION, in_link="point sets"),
    Setting("data_seed", "dseed", "data", "whole", 0, "Data seed", short="data seed",
            help="Draws the points and the train/test split.", high=MAX_PAGE_SEED,
            in_link="point sets", applies=_point_set),
    Setting("features", "feat", "data", "names", DEFAULT_FEATURES, "Input features",
            short="features", help="What the network sees of x1 and x2; each feature is an "
                                   "input node.", choices=tuple(FEATURES), in_link="changed",
            choice_labels={name: label for name, (label, _) in FEATURES.items()}),
    # -- network ------------------------------------------------------------------------------
    Setting("hidden", "hidden", "network", "sizes", (4,), "Hidden layers", short="hidden layers",
            help="Neurons in each hidden layer.", high=6),
    Setting("activation", "act", "network", "activations", "tanh", "Hidden activation",
            short="hidden", help="One for every hidden layer, or one per layer (the link's "
            "`act=tanh,relu`).", choices=HIDDEN_ACTIVATIONS, choice_labels=ACTIVATION_LABELS),
    Setting("output_activation", "out", "network", "choice", "sigmoid", "Output activation",
            short="output", help="softmax: one output per class, for three or more classes",
            choices=tuple(ACTIVATIONS), choice_labels=ACTIVATION_LABELS),
    Setting("init", "init", "network", "choice", "xavier", "Initial weights", short="init",
            help="tutorial: normal(scale 0.1); xavier, he: scaled normal; uniform: ±0.5",
            choices=tuple(INITIALIZERS)),
    Setting("seed", "seed", "network", "whole", 1, "Seed", short="seed",
            help="Same seed, same run.", high=MAX_PAGE_SEED),
    # -- training -----------------------------------------------------------------------------
    Setting("loss", "loss", "training", "choice", "sse", "Loss", short="loss",
            choices=tuple(LOSSES), choice_labels={name: f.label for name, f in LOSSES.items()}),
    Setting("optimizer", "opt", "training", "choice", "sgd", "Optimiser", short="optimiser",
            choices=tuple(OPTIMIZERS),
            choice_labels={name: rule.label for name, rule in OPTIMIZERS.items()}),
    Setting("learning_rate", "lr", "training", "number", 2.0, "Learning rate η", short="η",
            help="How far each update moves the weights along the gradient.", high=1e6,
            low_open=True),
    Setting("momentum", "mom", "training", "number", 0.9, "Momentum", short="momentum",
            help="The share of the last update that the next one keeps (momentum and "
                 "Nesterov).", high=0.999, applies=lambda c: c.optimizer in ("momentum", "nesterov")),
    Setting("beta1", "b1", "training", "number", 0.9, "Adam's β1", short="β1",
            help="The share of its running mean of the gradient that Adam keeps each step.",
            high=0.999, in_link="changed", applies=lambda c: c.optimizer == "adam"),
    Setting("beta2", "b2", "training", "number", 0.999, "Adam's β2", short="β2",
            help="The share of its running mean of the squared gradient that Adam keeps each "
                 "step.", high=0.999999, in_link="changed",
            applies=lambda c: c.optimizer == "adam"),
    Setting("schedule", "sched", "training", "choice", "constant", "η schedule",
            short="schedule", help="How η changes over the iterations: constant (the "
            "tutorial's), step decay, exponential decay or cosine decay to a floor.",
            choices=tuple(SCHEDULES), in_link="changed",
            choice_labels={"constant": "constant", "step": "step decay",
                           "exponential": "exponential decay", "cosine": "cosine decay"}),
    Setting("decay_steps", "every", "training", "whole", 1000, "Decay iterations N",
            short="decay over", help="step: η times the rate every N iterations; exponential: "
            "η times the rate per N iterations, smoothly; cosine: down to the floor over N.",
            low=1, high=10_000_000, in_link="changed",
            applies=lambda c: c.schedule != "constant"),
    Setting("decay_rate", "drate", "training", "number", 0.5, "Decay rate",
            short="decay rate", help="What η is multiplied by over N iterations.", high=1.0,
            low_open=True, in_link="changed",
            applies=lambda c: c.schedule in ("step", "exponential")),
    Setting("decay_floor", "floor", "training", "number", 0.0, "Floor (share of η)",
            short="floor", help="Where the cosine ends, as a share of η.", high=1.0,
            in_link="changed", applies=lambda c: c.schedule == "cosine"),
    Setting("warmup", "warm", "training", "whole", 0, "Warm-up iterations",
            short="warm-up", help="η climbs from 0 over these first iterations, then the "
            "schedule starts.", high=10_000_000, in_link="changed"),
    Setting("patience", "pat", "training", "whole", 0, "Early stop: patience",
            short="patience", help="Stop when the test error has not improved for this many "
            "iterations, and go back to the weights with the best test error (0: never).",
            high=10_000_000, in_link="changed", applies=lambda c: c.test_fraction > 0),
    Setting("dropout", "drop", "training", "number", 0.0, "Dropout", short="dropout",
            help="The share of every hidden layer's nodes switched off in each training pass, "
            "drawn afresh each iteration (the Error shown is that pass's; the test error, the "
            "surface and the node maps use every node).", high=0.9, in_link="changed"),
    Setting("min_error", "min", "training", "number", 0.01, "Stop at error", short="stop at",
            help="minError: training stops when the error is at or below it", high=1e6),
    Setting("max_iterations", "max", "training", "whole", 5000, "Max iterations",
            short="max {:,}", help="maxIterations: training stops after this many.", low=1,
            high=10_000_000),
    Setting("batch_size", "batch", "training", "batch", None, "Batch size", short="batch",
            help="Examples per iteration; the tutorial uses them all.", low=1,
            high=datasets.MAX_POINTS, in_link="changed"),
    Setting("regularization", "reg", "training", "choice", "none", "Penalty", short="penalty",
            help="L1 drives weights to exactly 0 (drawn as dashed, dead edges); L2 shrinks them",
            choices=tuple(REGULARIZERS), in_link="changed",
            choice_labels={"none": "none", "l1": "L1", "l2": "L2"}),
    Setting("regularization_rate", "rate", "training", "number", 0.0, "Penalty rate",
            short="penalty rate", help="How strongly the penalty pulls the weights towards 0.",
            high=10.0, in_link="changed", applies=lambda c: c.regularization != "none"),
    # -- view ---------------------------------------------------------------------------------
    Setting("speed", "speed", "view", "choice", "2", "Speed", short="speed", choices=SPEEDS,
            help="Iterations per frame, or as many as fit in a frame's time budget."),
    Setting("log_scale", "log", "view", "flag", False, "Log-scale error", short="log scale"),
    Setting("discrete", "cut", "view", "flag", False, "Cut the surface at 0.5",
            short="cut at 0.5", help="Show the decision the network makes: above or below 0.5."),
    Setting("show_test", "test", "view", "flag", True, "Show the test points",
            short="test points", help="Held-out points, drawn with a white outline.",
            in_link="point sets"),
    # -- classroom (the link only) ------------------------------------------------------------
    Setting("hide", "hide", "classroom", "names", (), "Hide", short="hiding",
            help="Classroom mode: parts of the page to hide; their settings stay as the link "
                 "sets them.", choices=CLASSROOM_PARTS, in_link="changed"),
    Setting("big", "big", "classroom", "flag", False, "Larger text", short="big",
            help="Classroom mode: larger text, diagram and charts for a projector.",
            in_link="changed"),
)}


def in_group(*groups: str) -> tuple[Setting, ...]:
    """The rows of the given groups, in the table's order."""
    return tuple(s for s in SETTINGS.values() if s.group in groups)


RUN_SETTINGS = in_group("data", "network", "training")
"""The fields of ``RunConfig``."""
VIEW_SETTINGS = in_group("view")
"""The fields of ``ViewOptions``: how a run is shown, not what it is."""
CLASSROOM_SETTINGS = in_group("classroom")


class Record:
    """A frozen record of settings (``RunConfig``, ``ViewOptions``, ``Classroom``): a field
    per row of ``ROWS``, each value checked by its row on the way in."""

    ROWS: tuple[Setting, ...] = ()

    def __post_init__(self) -> None:
        for setting in self.ROWS:
            object.__setattr__(self, setting.name, setting.check(getattr(self, setting.name)))

    def replace(self, **changes: object):
        """A copy with ``changes`` (checked)."""
        return dataclasses.replace(self, **changes)


def record(name: str, rows: tuple[Setting, ...], module: str, doc: str,
           base: type[Record] = Record) -> type:
    """The frozen dataclass ``name`` whose fields are ``rows`` (defaults theirs)."""
    cls = dataclasses.make_dataclass(name, [(s.name, object, s.default) for s in rows],
                                     bases=(base,), frozen=True,
                                     namespace={"ROWS": rows, "__doc__": doc})
    cls.__module__ = module
    return cls
