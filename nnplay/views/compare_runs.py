"""Compare runs: pinned runs kept as plain records, their error curves overlaid, a table.

A ``PinnedRun`` is what a student keeps when they pin a run: its settings,
its error curve and where it had got to. ``pin`` makes one from a
``Playground``; ``overlay_figure`` draws every pinned curve with the live
one; ``comparison_table`` lists them side by side. ``RunLog`` remembers the
training settings a run went through (a student may change the learning
rate half-way), so a record, and a script written for the run, can say so.
Nothing here calls streamlit: the page keeps the records in its session.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from nnplay.config import DEFAULT_FEATURES, RunConfig
from nnplay.features import feature_labels
from nnplay.problems import problem_name
from nnplay.settings import RUN_SETTINGS, SETTINGS
from nnplay.views.colors import BLUE, NEUTRAL
from nnplay.views.figures import _base_layout, _float32

if TYPE_CHECKING:  # the page's state is drawn here, never imported
    from nnplay.app.playground import Playground

MAX_PINS = 8
LIVE_LABEL = "Now"

# Pinned runs: colours that stay apart for colour-blind eyes (Okabe-Ito, less the
# blues of the live run), each with its own dash so that shape tells them apart too.
PIN_COLORS = ["#e8710a", "#009e73", "#cc79a7", "#5c5c5c", "#b58900", "#56b4e9", "#8c2d04",
              "#000000"]
PIN_DASHES = ["dash", "dot", "dashdot", "longdash", "longdashdot", "5px,3px,1px,3px"]


@dataclass(frozen=True, eq=False)
class PinnedRun:
    """One run as it was when pinned: settings, error curve, iteration, error, outcome."""

    label: str
    config: RunConfig
    shape: tuple[int, ...]
    """The network's shape, the tutorial's ``numNodes``."""
    iterations: np.ndarray
    """The error curve's x: the first iteration of each bucket, ``(n,)``."""
    low: np.ndarray
    """Each bucket's smallest error, ``(n,)``."""
    high: np.ndarray
    """Each bucket's largest error, ``(n,)`` (the line drawn)."""
    iteration: int
    final_error: float
    """The page's Error metric when pinned."""
    rows_right: int
    """Training examples whose every output is within 0.5 of its target."""
    rows: int
    kind: str = "binary"
    """The data's kind: ``binary``, ``multiclass`` or ``regression`` (which has no "right")."""
    test_error: float | None = None
    stop_reason: str | None = None
    changes: str = ""
    """How the training settings changed during the run (``RunLog.describe``), if they did."""

    @property
    def solved(self) -> bool:
        """Every training example right (for a gate: every row of its truth table)."""
        return (self.kind != "regression" and self.rows_right == self.rows
                and self.stop_reason != "diverged")

    def same_run(self, other: PinnedRun) -> bool:
        """The same settings at the same iteration with the same error: pinning it again adds nothing."""
        return (self.config == other.config and self.iteration == other.iteration
                and self.final_error == other.final_error)


def pin(p: Playground, label: str = LIVE_LABEL, log: RunLog | None = None) -> PinnedRun:
    """The record of ``p``'s run as it is now (copies: later training does not change it).

    ``log``, the run's ``RunLog``, tells whether its settings changed along the way.
    """
    trainer = p.trainer
    iterations, low, high = p.error_curve()
    error = trainer.last_error if trainer.last_error is not None else trainer.error()
    return PinnedRun(
        label=label, config=p.config, shape=tuple(p.shape), iterations=np.array(iterations),
        low=np.array(low), high=np.array(high), iteration=int(trainer.iteration),
        final_error=float(error), rows_right=p.solved_rows(), rows=len(trainer.X),
        kind=p.train.kind, test_error=p.test_error(), stop_reason=p.stop_reason,
        changes=log.describe() if log is not None and log.trainer() is trainer else "",
    )


def next_label(pinned: Sequence[PinnedRun]) -> str:
    """``Run 1``, ``Run 2``, ...: one more than the highest number pinned."""
    numbers = [int(run.label.split()[-1]) for run in pinned if run.label.split()[-1].isdigit()]
    return f"Run {max(numbers, default=0) + 1}"


# -- settings as a student reads them ---------------------------------------------------------

def _penalty(config: RunConfig) -> str:
    if config.regularization == "none" or config.regularization_rate == 0.0:
        return "none"
    return f"{config.regularization.upper()} {config.regularization_rate:g}"


def differences(runs: Sequence[PinnedRun]) -> list[str]:
    """For each run, the settings in which the runs differ (``""`` where none do), among those
    that mean something for it (momentum only for the momentum rule, say)."""
    configs = [run.config for run in runs]
    described = []
    for run in runs:
        parts = [str(run.shape)] if len({r.shape for r in runs}) > 1 else []
        for s in RUN_SETTINGS:
            if s.kind == "sizes":  # the shape says it
                continue
            meant = [c for c in configs if s.means_something(c)]
            seen = {s.describe(getattr(c, s.name)) for c in meant}
            value = getattr(run.config, s.name)
            # A value of its own also where the setting means nothing for another run: a
            # penalty's rate of 0.01 against no penalty, 40 points against a gate.
            if s.means_something(run.config) and (len(seen) > 1 or (
                    len(meant) < len(configs) and value != s.default)):
                parts.append(s.describe(value))
        described.append(", ".join(parts))
    return described


def legend_names(runs: Sequence[PinnedRun]) -> list[str]:
    """``Run 1 (η 2)``: each run's label and what sets it apart from the others shown."""
    return [f"{run.label} ({diff})" if diff else run.label
            for run, diff in zip(runs, differences(runs))]


# -- the settings a run went through ----------------------------------------------------------

@dataclass
class RunLog:
    """The training settings one trainer ran with, and from which iteration.

    ``observe`` it after every change the page makes; a new trainer (Reset,
    a new network, a loaded file) starts a new log.
    """

    trainer: weakref.ref
    configs: list[tuple[int, RunConfig]] = field(default_factory=list)
    """``(iteration, config)``: the config in force from that iteration on."""
    loaded_at: int | None = None
    """The iteration the trainer was at when first seen, if not 0 (loaded from a file)."""

    @classmethod
    def observe(cls, log: RunLog | None, p: Playground) -> RunLog:
        """``log`` brought up to date with ``p`` (a fresh log if ``p`` has a new trainer)."""
        trainer = p.trainer
        if log is None or log.trainer() is not trainer:
            # A trainer met part-way through is a run loaded from a file (the page meets each
            # new trainer at iteration 0), except on the very first look.
            loaded = trainer.iteration if trainer.iteration > 0 and log is not None else None
            return cls(weakref.ref(trainer), [(loaded or 0, p.config)], loaded)
        while len(log.configs) > 1 and log.configs[-1][0] > trainer.iteration:
            log.configs.pop()  # rewound to before a change: that change never happened
        since, config = log.configs[-1]
        if _effective(config) != _effective(p.config):
            if trainer.iteration == since:  # nothing trained with the previous settings
                log.configs.pop()
                if not log.configs or _effective(log.configs[-1][1]) != _effective(p.config):
                    log.configs.append((since, p.config))
            else:
                log.configs.append((trainer.iteration, p.config))
        return log

    @property
    def replayable(self) -> bool:
        """True if training the current settings from iteration 0 repeats this run."""
        return self.loaded_at is None and len(self.configs) == 1

    def describe(self) -> str:
        """``η 2 → 0.5 at iteration 10``, one clause per change; ``""`` if none."""
        clauses = [] if self.loaded_at is None else [f"loaded at iteration {self.loaded_at:,}"]
        for (_, old), (since, new) in zip(self.configs, self.configs[1:]):
            before, after = _effective(old), _effective(new)
            changed = [f"{SETTINGS[name].short} {_value(before[name])} → {_value(after[name])}"
                       for name in before if name in after and before[name] != after[name]]
            clauses.append(f"{', '.join(changed)} at iteration {since:,}")
        return "; ".join(clauses)


def _effective(config: RunConfig) -> dict[str, object]:
    """The training settings that change what training does (momentum only for its rule,
    a penalty's rate only with a penalty)."""
    return {name: value for name, value in config.training_settings().items()
            if SETTINGS[name].means_something(config)}


def _value(value: object) -> str:
    if value is None:
        return "full"
    return f"{value:g}" if isinstance(value, float) else str(value)


# -- the figure and the table -----------------------------------------------------------

def overlay_figure(
    pinned: Sequence[PinnedRun],
    live: PinnedRun | None = None,
    *,
    log_scale: bool = False,
    height: int = 320,
) -> go.Figure:
    """One error curve per pinned run, dashed, and the live run's as a thick blue line under them.

    Each curve is its run's largest error per bucket (the top of the band the
    live chart draws). The x axis spans the longest run.
    """
    runs = [*pinned, *([live] if live is not None else [])]
    names = legend_names(runs)
    fig = go.Figure()
    # The live run first, so that the pinned runs' dashes stay visible on top of it;
    # legendrank puts it last in the legend all the same.
    order = [len(runs) - 1, *range(len(runs) - 1)] if live is not None else range(len(runs))
    for k in order:
        run, name = runs[k], names[k]
        is_live = live is not None and k == len(runs) - 1
        line = (dict(color=BLUE, width=4) if is_live else
                dict(color=PIN_COLORS[k % len(PIN_COLORS)], width=2,
                     dash=PIN_DASHES[k % len(PIN_DASHES)]))
        fig.add_trace(go.Scatter(
            x=np.asarray(run.iterations, np.float64), y=_float32(run.high), mode="lines",
            line=line, name=name, opacity=0.75 if is_live else 1.0, legendrank=k + 1,
            hovertemplate=f"{name}<br>iteration %{{x}}: %{{y:.6f}}<extra></extra>",
        ))
    longest = max((run.iteration for run in runs), default=0)
    fig.update_xaxes(range=[0, max(10, longest)], title_text="iteration", showgrid=True,
                     gridcolor="#e6e6e6", zeroline=False)
    fig.update_yaxes(type="log" if log_scale else "linear", title_text="error", showgrid=True,
                     gridcolor="#e6e6e6", rangemode="tozero", exponentformat="e",
                     # On a log axis, one labelled tick per power of ten (1, 0.1, 0.01, ...):
                     # Plotly's default labels the 2s and 5s between them too, unlabelled by decade.
                     dtick=1 if log_scale else None)
    fig.update_layout(**_base_layout(
        height, plot_bgcolor=NEUTRAL, showlegend=True, margin=dict(l=8, r=8, t=8, b=8),
        legend=dict(orientation="v", x=1.01, y=1, xanchor="left", yanchor="top",
                    bgcolor="rgba(255,255,255,0.6)", font=dict(size=12))))
    return fig


TABLE_COLUMNS = ["Run", "Problem", "Shape", "Activations", "Init", "Seed", "Loss", "Optimiser",
                 "η", "Iterations", "Final error", "Rows right", "Solved?"]
OPTIONAL_COLUMNS = {
    "Features": lambda run: ", ".join(feature_labels(run.config.features)),
    "Batch": lambda run: "full" if run.config.batch_size is None else str(run.config.batch_size),
    "Penalty": lambda run: _penalty(run.config),
    "Test error": lambda run: run.test_error,
}
"""Shown only when some run uses them (features, mini-batches, a penalty, a test set)."""
CHANGES = "Changed on the way"
"""A column shown only when some run's training settings changed while it ran."""


def _uses(column: str, run: PinnedRun) -> bool:
    c = run.config
    return {"Features": c.features != DEFAULT_FEATURES, "Batch": c.batch_size is not None,
            "Penalty": _penalty(c) != "none", "Test error": run.test_error is not None,
            CHANGES: bool(run.changes)}[column]


def comparison_table(pinned: Sequence[PinnedRun], live: PinnedRun | None = None) -> pd.DataFrame:
    """A row per run (pinned first, then the live one): settings, iterations, error, outcome.

    Columns for features, mini-batches, a penalty, a test error and changes of
    settings part-way appear only when some run has them.
    """
    runs = [*pinned, *([live] if live is not None else [])]
    optional = [name for name in [*OPTIONAL_COLUMNS, CHANGES] if any(_uses(name, r) for r in runs)]
    rows = []
    for run in runs:
        c = run.config
        row = {
            "Run": run.label, "Problem": problem_name(c.problem), "Shape": str(run.shape),
            "Activations": (f"{SETTINGS['activation'].write(c.activation)} → {c.output_activation}"
                            if c.hidden
                            else c.output_activation),
            "Init": c.init, "Seed": c.seed, "Loss": c.loss,
            "Optimiser": (f"{c.optimizer} {c.momentum:g}" if SETTINGS["momentum"].means_something(c)
                          else c.optimizer),
            "η": c.learning_rate, "Iterations": run.iteration, "Final error": run.final_error,
            "Rows right": f"{run.rows_right} / {run.rows}", "Solved?": _outcome(run),
        }
        for name in optional:
            row[name] = run.changes or "–" if name == CHANGES else OPTIONAL_COLUMNS[name](run)
        rows.append(row)
    return pd.DataFrame(rows, columns=TABLE_COLUMNS + optional)


RESULT_COLUMNS = ("Iterations", "Final error", "Test error", "Rows right", "Solved?", CHANGES)


def shown_columns(table: pd.DataFrame) -> tuple[list[str], dict[str, object]]:
    """What to show of ``comparison_table``'s table: the run, the settings in which the runs
    differ and the results; and ``{column: value}`` of the settings every run shares (told once,
    not repeated on every row)."""
    settings = [name for name in table.columns if name != "Run" and name not in RESULT_COLUMNS]
    shared = {name: table[name].iloc[0] for name in settings
              if len(table) and table[name].astype(str).nunique() == 1}
    shown = ["Run", *(n for n in settings if n not in shared),
             *(n for n in table.columns if n in RESULT_COLUMNS)]
    return shown, shared


def _outcome(run: PinnedRun) -> str:
    if run.stop_reason == "diverged":
        return "✗ diverged"
    if run.kind == "regression":
        return "–"
    return "✓ yes" if run.solved else "✗ no"
