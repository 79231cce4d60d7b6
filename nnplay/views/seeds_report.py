"""The seeds lab: one configuration trained from many seeds at once, and what became of each.

A single run shows one seed's luck. The lab trains the page's configuration
from seeds ``first .. first + n - 1`` side by side (``nnplay.batched``: each
seed's run is exactly the run the main view would make from that seed) and
sorts every seed into one of four outcomes:

``solved``
    its error reached the page's "stop at error" (``min_error``);
``learned``
    every row of the truth table is right (each output within 0.5 of its
    target, the page's "Rows right") but the error is still above the stop;
``stuck``
    some row is still wrong, often on the plateau where the network gives
    about the same output for every input (0.5 for XOR: error 1.0);
``diverged``
    the error overflowed and training stopped.

Nothing here imports streamlit: ``run_lab`` returns a ``SeedsLab``, the
figure builders read it, the page only places them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from nnplay import _checks
from nnplay.batched import SeedsResult, train_seeds
from nnplay.config import RunConfig
from nnplay.datasets import Dataset
from nnplay.problems import problem_name
from nnplay.settings import MAX_PAGE_SEED
from nnplay.views.colors import BLUE, NEUTRAL, ORANGE
from nnplay.views.figures import FONT

MAX_LAB_SEEDS = 500
MAX_LAB_ITERATIONS = 100_000
TIME_BUDGET = 20.0
"""Seconds the lab may take: longer runs get fewer iterations (and the page says so)."""
PLATEAU_SPREAD = 0.1
"""A stuck seed is on the plateau when its outputs differ by less than this across the rows."""
OUTCOMES = ("stuck", "diverged", "learned", "solved")
"""Every seed's outcome; the table lists them in this order (what needs explaining first)."""
OUTCOME_COLORS = {"solved": BLUE, "learned": "#7fb5e6", "stuck": ORANGE, "diverged": "#5f5f5f"}
CURVE_SEEDS = 100
CURVE_POINTS = 200
"""Error samples kept per seed (the curves figure draws at most ``SHOWN_POINTS`` of them)."""
SHOWN_POINTS = 100


@dataclass(frozen=True)
class SeedsLab:
    """One lab run: the configuration, the seeds' results and their final outputs."""

    config: RunConfig
    """The page's configuration it was made for (its seed and maximum are not used)."""
    max_iterations: int
    result: SeedsResult
    outputs: np.ndarray
    """``(R, n_examples, n_outputs)``: each seed's final outputs on the truth table."""
    seconds: float
    """Wall-clock time of the training."""
    outputs_targets: np.ndarray
    """``(n_examples, n_outputs)``: the targets ``outputs`` are compared with."""

    @property
    def seeds(self) -> np.ndarray:
        return self.result.seeds

    @property
    def n_seeds(self) -> int:
        return len(self.result.seeds)

    @cached_property
    def rows_right(self) -> np.ndarray:
        """``(R,)``: training examples each seed gets right (every output within 0.5)."""
        targets = self.outputs_targets
        return np.all(np.abs(self.outputs - targets) < 0.5, axis=2).sum(axis=1)

    @cached_property
    def outcome(self) -> np.ndarray:
        """``(R,)`` of strings from ``OUTCOMES``."""
        n_rows = self.outputs.shape[1]
        return np.select(
            [self.result.solved, self.result.diverged, self.rows_right == n_rows],
            ["solved", "diverged", "learned"], default="stuck")

    def count(self, outcome: str) -> int:
        return int((self.outcome == outcome).sum())

    @property
    def on_plateau(self) -> np.ndarray:
        """``(R,)``: stuck seeds whose outputs are about the same for every row."""
        spread = np.ptp(self.outputs, axis=1).max(axis=1)
        return (self.outcome == "stuck") & (spread < PLATEAU_SPREAD)

    @property
    def solved_fraction(self) -> float:
        return self.result.solved_fraction

    def best_error(self) -> float | None:
        """The lowest final error of a seed that did not diverge (``None`` if there is none)."""
        errors = self.result.final_error[self.outcome != "diverged"]
        errors = errors[np.isfinite(errors)]
        return float(errors.min()) if len(errors) else None

    def solve_iterations(self) -> np.ndarray:
        """Iterations each solved seed needed to reach the stop error."""
        return self.result.iterations[self.result.solved]

    def solve_percentile(self, q: float) -> float | None:
        """The ``q``-th percentile of iterations to solve (``None`` if no seed solved)."""
        iterations = self.solve_iterations()
        return float(np.percentile(iterations, q)) if len(iterations) else None


# -- running ----------------------------------------------------------------------------

def lab_seeds(first: int, n_seeds: int) -> range:
    """Seeds ``first .. first + n_seeds - 1``, checked."""
    first = _checks.integer("first", first, 0, MAX_PAGE_SEED - MAX_LAB_SEEDS)
    n_seeds = _checks.integer("n_seeds", n_seeds, 1, MAX_LAB_SEEDS)
    return range(first, first + n_seeds)


def run_lab(
    config: RunConfig,
    seeds: range,
    max_iterations: int,
    progress: Callable[[int, int], None] | None = None,
    uploaded: Dataset | None = None,
) -> SeedsLab:
    """Train ``config`` from every seed in ``seeds`` for at most ``max_iterations``.

    Each seed stops where ``config.replace(seed=s).trainer().run(max_iterations,
    config.min_error)`` would stop. ``progress(done, total)`` is called about
    100 times with iterations done.
    """
    max_iterations = _checks.integer("max_iterations", max_iterations, 1, MAX_LAB_ITERATIONS)
    X, y, settings = training_data(config, uploaded)
    start = time.perf_counter()
    result = train_seeds(config.shape(uploaded), seeds, X, y, activation=config.activation,
                         output_activation=config.output_activation, init=config.init,
                         max_iterations=max_iterations, min_error=config.min_error,
                         curve_points=CURVE_POINTS, progress=progress, **settings)
    seconds = time.perf_counter() - start
    return SeedsLab(config, max_iterations, result,
                    final_outputs(config, result.parameters, uploaded), seconds, y)


def training_data(config: RunConfig, uploaded: Dataset | None = None
                  ) -> tuple[np.ndarray, np.ndarray, dict[str, object]]:
    """What the main view trains on: the training examples (as features) and the settings."""
    train = config.split(uploaded)[0]
    settings = config.training_settings(train.n_examples)
    return config.inputs(train.X), train.y, settings


def final_outputs(config: RunConfig, parameters: np.ndarray,
                  uploaded: Dataset | None = None) -> np.ndarray:
    """``(R, n_examples, n_outputs)``: the training outputs of each row of ``parameters``."""
    network, X = config.network(uploaded), training_data(config, uploaded)[0]
    outputs = []
    for flat in parameters:
        network.parameters[...] = flat
        outputs.append(network.predict(X))
    return np.stack(outputs)


def seconds_per_iteration(config: RunConfig, n_seeds: int, probe: int = 100,
                          uploaded: Dataset | None = None) -> float:
    """Measure one iteration of ``n_seeds`` networks of ``config`` (setting up excluded).

    A short trial run, timed between its first and last progress reports so
    that drawing the initial weights does not count.
    """
    marks: list[float] = []
    X, y, settings = training_data(config, uploaded)
    train_seeds(config.shape(uploaded), range(n_seeds), X, y, activation=config.activation,
                output_activation=config.output_activation, init=config.init,
                max_iterations=probe, min_error=0.0, curve_points=1,
                progress=lambda done, total: marks.append(time.perf_counter()), **settings)
    reports = marks[:-1]  # one per iteration here; the last is repeated after the loop
    return max((reports[-1] - reports[4]) / (len(reports) - 5), 1e-9)


def affordable_iterations(requested: int, per_iteration: float, budget: float = TIME_BUDGET) -> int:
    """``requested``, or fewer (a round number) if it would take longer than ``budget`` seconds."""
    if requested * per_iteration <= budget:
        return requested
    allowed = max(10, int(budget / per_iteration))
    digits = len(str(allowed)) - 2
    return max(10, allowed // 10**digits * 10**digits) if digits > 0 else allowed


def same_experiment(a: RunConfig, b: RunConfig) -> bool:
    """Whether a lab made for ``a`` also describes ``b`` (seed and maximum do not matter)."""
    return changed_settings(a, b) == []


def changed_settings(a: RunConfig, b: RunConfig) -> list[str]:
    """The names of the settings (other than seed and maximum) in which ``b`` differs from ``a``."""
    ignored = {"seed", "max_iterations"}
    first, second = a.to_dict(), b.to_dict()
    return [name for name in first if name not in ignored and first[name] != second[name]]


# -- words ------------------------------------------------------------------------------

def summary(lab: SeedsLab) -> str:
    """One or two sentences a student can read under the numbers."""
    n, solved = lab.n_seeds, int(lab.result.solved.sum())
    words = (f"{solved:,} of {n:,} seeds ({percent(solved / n)}) reached error {lab.config.min_error:g} "
             f"within {lab.max_iterations:,} iterations")
    if solved:
        words += f" (median {lab.solve_percentile(50):,.0f} iterations)"
    parts = []
    learned = lab.count("learned")
    if learned:
        parts.append(f"{learned:,} learned {problem_name(lab.config.problem)} (every row right) "
                     "but are still above that error")
    stuck = lab.count("stuck")
    if stuck:
        plateau = lab.on_plateau
        words_stuck = f"{stuck:,} {'is' if stuck == 1 else 'are'} stuck with a row still wrong"
        if plateau.any():
            level = float(np.mean(lab.outputs[plateau]))
            on = "all" if plateau.sum() == stuck else f"{int(plateau.sum()):,}"
            words_stuck += (f" ({on} on the plateau where every output is about {level:.2g}: "
                            "the network ignores its inputs)")
        parts.append(words_stuck)
    diverged = lab.count("diverged")
    if diverged:
        parts.append(f"{diverged:,} diverged (the error overflowed: try a smaller η)")
    text = words + ("; " + "; ".join(parts) if parts else "") + "."
    if stuck and lab.on_plateau.any() and lab.max_iterations < MAX_LAB_ITERATIONS:
        text += (" A plateau is not always the end: with more iterations some seeds leave it "
                 "(the error curves show when).")
    return text


def percent(fraction: float) -> str:
    """``66%``; one decimal where rounding would say 0% or 100% when it is not."""
    value = 100 * fraction
    if 0 < value < 0.5 or 99.5 <= value < 100:
        return f"{value:.1f}%"
    return f"{value:.0f}%"


def seeds_table(lab: SeedsLab) -> pd.DataFrame:
    """One row per seed, the ones to look at first on top.

    Stuck, then diverged seeds (highest error first), then those that learned
    the rows but not the stop error (highest error first), then solved ones
    (slowest first).
    """
    outcome = lab.outcome
    error = lab.result.final_error
    rank = np.array([OUTCOMES.index(o) for o in outcome])
    worst = np.where(outcome == "solved", -lab.result.iterations.astype(float), -np.nan_to_num(error))
    order = np.lexsort((worst, rank))
    n_rows = lab.outputs.shape[1]
    return pd.DataFrame({
        "Seed": lab.seeds[order],
        "Outcome": outcome[order],
        "Iterations": lab.result.iterations[order],
        "Final error": error[order],
        "Rows right": [f"{r} / {n_rows}" for r in lab.rows_right[order]],
    })


def seed_label(lab: SeedsLab, seed: int) -> str:
    """``seed 7: stuck, 2,000 iterations, error 1.0`` for choosing a seed to open."""
    i = int(np.flatnonzero(lab.seeds == seed)[0])
    return (f"seed {seed}: {lab.outcome[i]}, {lab.result.iterations[i]:,} iterations, "
            f"error {lab.result.final_error[i]:.3g}")


# -- figures ----------------------------------------------------------------------------

def _layout(height: int, title: str, **extra: object) -> dict:
    layout = dict(height=height, margin=dict(l=8, r=8, t=34, b=8), font=FONT,
                  title=dict(text=title, font=dict(size=14), x=0.01, y=0.98),
                  paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor=NEUTRAL, bargap=0.05)
    layout.update(extra)
    return layout


def _nice_width(span: float, bins: int) -> float:
    """A round bin width (1, 2 or 5 times a power of ten) giving at most ``bins`` bins."""
    raw = max(span / bins, 1.0)
    power = 10 ** np.floor(np.log10(raw))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= raw))


def iterations_histogram(lab: SeedsLab, bins: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """``(edges, counts)`` of iterations to solve: round-width bins from 0."""
    iterations = lab.solve_iterations()
    top = int(iterations.max()) if len(iterations) else lab.max_iterations
    width = _nice_width(top, bins)
    edges = np.arange(0.0, top + width + 1, width)
    counts, _ = np.histogram(iterations, bins=edges)
    return edges, counts


def iterations_figure(lab: SeedsLab, height: int = 280) -> go.Figure:
    """A histogram of iterations to reach the stop error, over the solved seeds."""
    edges, counts = iterations_histogram(lab)
    fig = go.Figure(go.Bar(
        x=(edges[:-1] + edges[1:]) / 2, y=counts, width=edges[1] - edges[0],
        customdata=np.column_stack([edges[:-1], edges[1:] - 1]),
        marker=dict(color=BLUE), name="solved",
        hovertemplate="%{customdata[0]:,}–%{customdata[1]:,} iterations: %{y} seeds<extra></extra>"))
    median = lab.solve_percentile(50)
    if median is None:
        fig.add_annotation(text=f"No seed reached error {lab.config.min_error:g}<br>within "
                           f"{lab.max_iterations:,} iterations", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=14))
    else:
        fig.add_vline(x=median, line=dict(color="#202020", dash="dot", width=1),
                      annotation_text=f"median {median:,.0f}", annotation_position="top right",
                      annotation_font=dict(size=11))
    fig.update_xaxes(title_text=f"iterations to reach error ≤ {lab.config.min_error:g}",
                     range=[0, edges[-1]], showgrid=True, gridcolor="#e6e6e6", zeroline=False)
    fig.update_yaxes(title_text="seeds", showgrid=True, gridcolor="#e6e6e6",
                     range=[0, max(1, counts.max()) * 1.15])  # room for the median's label
    fig.update_layout(**_layout(height, "Iterations to solve", showlegend=False))
    return fig


ERROR_FLOOR = 1e-12
"""Errors below this are drawn at it (a log axis has no 0)."""


def error_histogram(lab: SeedsLab, per_decade: int = 4) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(edges, counts by outcome)`` of final errors in log10 bins; diverged seeds left out."""
    shown = lab.outcome != "diverged"
    error = lab.result.final_error
    shown &= np.isfinite(error)
    log_error = np.log10(np.maximum(error[shown], ERROR_FLOOR))
    low = np.floor(log_error.min() * per_decade) / per_decade if shown.any() else -3.0
    high = np.ceil(log_error.max() * per_decade) / per_decade if shown.any() else 0.0
    high = max(high, low + 1.0 / per_decade)
    edges = np.linspace(low, high, int(round((high - low) * per_decade)) + 1)
    outcome = lab.outcome[shown]
    counts = {name: np.histogram(log_error[outcome == name], bins=edges)[0]
              for name in ("solved", "learned", "stuck")}
    return edges, counts


def final_error_figure(lab: SeedsLab, height: int = 280) -> go.Figure:
    """Where the seeds ended: a histogram of final errors on a log scale, stacked by outcome."""
    edges, counts = error_histogram(lab)
    centres = (edges[:-1] + edges[1:]) / 2
    bounds = np.column_stack([10 ** edges[:-1], 10 ** edges[1:]])
    fig = go.Figure()
    for name, count in counts.items():
        fig.add_trace(go.Bar(
            x=centres, y=count, width=edges[1] - edges[0], name=name, customdata=bounds,
            marker=dict(color=OUTCOME_COLORS[name]),
            hovertemplate=f"{name}: %{{y}} seeds, error %{{customdata[0]:.2e}}–"
                          "%{customdata[1]:.2e}<extra></extra>"))
    if lab.config.min_error > 0:
        fig.add_vline(x=float(np.log10(lab.config.min_error)),
                      line=dict(color="#202020", dash="dot", width=1), annotation_text="stop",
                      annotation_position="top left", annotation_font=dict(size=11))
    left, right = edges[0], edges[-1]
    if lab.config.min_error > 0:
        left = min(left, np.log10(lab.config.min_error))
    decades = np.arange(np.ceil(left - 0.1), np.floor(right + 0.1) + 1)
    fig.update_xaxes(title_text="final error (log scale)", tickvals=decades,
                     ticktext=[f"1e{int(d)}" if d else "1" for d in decades],
                     range=[left - 0.1, right + 0.1], showgrid=True, gridcolor="#e6e6e6",
                     zeroline=False)
    most = max(1, int(sum(counts.values()).max()))
    fig.update_yaxes(title_text="seeds", showgrid=True, gridcolor="#e6e6e6", range=[0, most * 1.15])
    fig.update_layout(**_layout(height, "Final errors", barmode="stack",
                                legend=dict(orientation="h", y=-0.3, x=0)))
    return fig


def curves_figure(lab: SeedsLab, height: int = 280, max_seeds: int = CURVE_SEEDS) -> go.Figure:
    """The error of the first ``max_seeds`` seeds over the iterations (log scale), by outcome.

    Each outcome is one trace, its seeds' lines separated by gaps (``None``).
    """
    result = lab.result
    shown = np.arange(min(max_seeds, lab.n_seeds))
    every = -(-len(result.curve_iterations) // SHOWN_POINTS)
    x = result.curve_iterations[::every].tolist()
    fig = go.Figure()
    for name in ("solved", "learned", "stuck", "diverged"):
        xs: list = []
        ys: list = []
        seeds: list = []
        for i in shown[lab.outcome[shown] == name]:
            curve = result.curves[i, ::every]
            keep = np.isfinite(curve) & (curve > 0)
            xs += [x[k] for k in np.flatnonzero(keep)] + [None]
            ys += [float(f"{v:.3g}") for v in curve[keep]] + [None]  # 3 digits: a small payload
            seeds += [int(result.seeds[i])] * int(keep.sum()) + [None]
        if xs:
            fig.add_trace(go.Scatter(
                x=xs, y=ys, customdata=seeds, mode="lines", name=name,
                line=dict(color=OUTCOME_COLORS[name], width=1), opacity=0.7,
                hovertemplate="seed %{customdata}, iteration %{x:,}: error %{y:.3g}<extra></extra>"))
    if lab.config.min_error > 0:
        fig.add_hline(y=lab.config.min_error, line=dict(color="#202020", dash="dot", width=1))
    title = "Error curves" + (f" (first {len(shown)} seeds)" if len(shown) < lab.n_seeds else "")
    fig.update_xaxes(title_text="iteration", range=[0, max(10, int(result.iterations.max()))],
                     showgrid=True, gridcolor="#e6e6e6", zeroline=False)
    fig.update_yaxes(title_text="error", type="log", dtick=1, showgrid=True, gridcolor="#e6e6e6",
                     exponentformat="e")  # dtick=1: one label a decade
    fig.update_layout(**_layout(height, title, showlegend=False))
    return fig
