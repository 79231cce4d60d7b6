"""What the live views show, as compact data for the browser component that draws them.

Pure builders over a ``Playground``: ``scene`` is what stays put while a run
plays (the network's shape and names, the axes, the data points, the
captions), ``frame`` one moment of the run (the numbers, the weights, the
surface and every node's output as small grids of characters, the error
points added since the last frame, the table). The component
(``static/live/live.js``) keeps its DOM and draws them; nothing here calls
streamlit, and everything is plain lists, strings and numbers that JSON
carries as they are.

A grid is a string of one character per cell, row by row from the bottom
(x2 smallest) and x1 varying fastest: ``LEVELS`` levels between the low and
the high end of its range, written with the characters of ``ALPHABET`` (the
64 of base64url, so level 0 is "A" and level 63 is "_").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from nnplay.losses import LOSSES
from nnplay.network import Network
from nnplay.views import scores
from nnplay.views.colors import BLUE, DIVERGING, NEUTRAL, ORANGE
from nnplay.views.figures import layer_titles, node_labels
from nnplay.views.scores import fit_text

if TYPE_CHECKING:  # the page's state is drawn here, never imported
    from nnplay.app.playground import Playground

ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
LEVELS = len(ALPHABET)
_TABLE = np.frombuffer(ALPHABET, dtype=np.uint8)
CLASS_SHADES = LEVELS // 8
"""A class map cell: its class times ``CLASS_SHADES`` plus how sure the network is (0 to 7);
up to 8 classes (csvdata.MAX_CLASSES is 6)."""
CURVE_POINTS = 24
"""A frame carries at most this many new points of the error curve (each the lowest and the
highest error of the iterations it stands for)."""
FULL_CURVE_POINTS = 600
"""The whole curve, sent when the browser starts one afresh, in at most this many points."""
RATE_POINTS = 120

DIAGRAM_CAPTION = ("The network: blue weights are positive, orange negative, thicker is larger; "
                   "each node shows its own output over the inputs. Hover or tap for values; "
                   "click an edge (tap it twice) to set its weight by hand or switch its neuron "
                   "off (greyed).")
WEIGHTS_CAPTION = ("Weights in the tutorial's layout: a row per node of the next layer, a column "
                   "per node of the previous layer, then the bias. Hover or tap for values; "
                   "click a cell (tap it twice; or Tab to a matrix, arrow keys, Enter) to see its "
                   "gradient and set it by hand.")
TRUTH_CAPTION = ("The tutorial's printout; a row is right when its output is within 0.5 of the "
                 "target.")
ERROR_HELP = ("On the training examples, as the tutorial prints it: measured in the last "
              "iteration, before its update")


# -- grids --------------------------------------------------------------------------------

def grid_text(values: np.ndarray, low: float, high: float) -> str:
    """``values`` as one character per cell: ``LEVELS`` levels from ``low`` to ``high``
    (clipped; NaN drawn at the middle)."""
    return grid_texts(np.asarray(values)[np.newaxis], low, high)[0]


def grid_texts(stack: np.ndarray, low: float, high: float) -> list[str]:
    """``grid_text`` of each grid along the first axis of ``stack`` (a layer's node maps,
    which share a range), computed in one pass: a frame of the spiral has 16 of them."""
    stack = np.asarray(stack, dtype=np.float64)
    span = high - low if high > low else 1.0
    scaled = np.subtract(stack.reshape(len(stack), -1), low)
    scaled /= span
    np.clip(scaled, 0.0, 1.0, out=scaled)
    scaled[np.isnan(scaled)] = 0.5
    scaled *= LEVELS - 1
    text = _TABLE[np.rint(scaled).astype(np.intp)].tobytes().decode("ascii")
    size = scaled.shape[1]
    return [text[k * size:(k + 1) * size] for k in range(len(stack))]


def class_grid_text(outputs: np.ndarray) -> str:
    """A class map: per cell the class the network picks (as the accuracy counts it) and how
    sure it is (its probability above an even split, in ``CLASS_SHADES`` steps), one
    character each."""
    rows = np.asarray(outputs, dtype=np.float64).reshape(-1, outputs.shape[-1])
    picked = scores.predicted_classes(rows, "multiclass")
    probabilities = np.clip(np.nan_to_num(rows), 0.0, 1.0)
    chance = 1.0 / rows.shape[1]
    sure = np.clip((probabilities.max(axis=1) - chance) / (1.0 - chance), 0.0, 1.0)
    levels = picked * CLASS_SHADES + np.rint(sure * (CLASS_SHADES - 1)).astype(np.intp)
    return _TABLE[levels].tobytes().decode("ascii")


def decode_grid(text: str) -> np.ndarray:
    """The levels of a grid string (what the component reads), for tests and tools."""
    lookup = np.full(256, -1, dtype=np.int64)
    lookup[_TABLE] = np.arange(LEVELS)
    return lookup[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]


# -- what stays put -----------------------------------------------------------------------

def scene(p: Playground, *, big: bool = False) -> dict:
    """What the views need that does not change while the run plays."""
    shape = list(p.shape)
    labels = node_labels(shape, p.input_labels)
    xs, ys, _ = p.grid(p.surface_resolution)
    points, targets = p.surface_points()
    test = p.surface_points(p.test) if p.view.show_test and p.test.n_examples else None
    maps, ranges = p.node_maps()
    loss = LOSSES[p.config.loss].label
    rate = p.trainer.settings.scheduled
    return {
        "shape": shape,
        "labels": labels,
        "titles": layer_titles(shape),
        "kind": "gate" if not p.config.is_point_set else p.train.kind,
        "domain": [[float(xs[0]), float(xs[-1])], [float(ys[0]), float(ys[-1])]],
        "surface_n": len(xs),
        "map_n": int(maps[0].shape[-1]),
        "inputs": grid_texts(maps[0], *ranges[0]),
        "value_range": list(p.output_range()),
        "smooth": not (p.view.discrete and p.train.kind != "regression"),
        "points": _points(points, targets),
        "test_points": None if test is None else _points(*test),
        "classes": list(p.class_names) if p.train.kind == "multiclass" else [],
        "min_error": p.config.min_error,
        "log_scale": p.view.log_scale,
        "big": big,
        "colors": {"negative": ORANGE, "positive": BLUE, "neutral": NEUTRAL,
                   "scale": [c for _, c in DIVERGING]},
        "captions": {
            "diagram": DIAGRAM_CAPTION,
            "surface": surface_caption(p),
            "curve": f"Error ({loss}) falling over the iterations."
                     + (" Orange: the error on the test points, measured once a frame (dots"
                        " where it was measured seldom)." if p.test.n_examples else "")
                     + (" Grey dashes: η on its schedule." if rate else ""),
            "weights": WEIGHTS_CAPTION,
            "table": TRUTH_CAPTION,
        },
        "helps": {"Error": ERROR_HELP},
    }


def _points(points: np.ndarray, targets: np.ndarray) -> list[list[float]]:
    """``[x1, x2, target]`` per point, rounded for the wire (the page shows 3 figures)."""
    return np.round(np.column_stack([points, targets]), 5).tolist()


def surface_caption(p: Playground) -> str:
    """What the decision surface shows, in a sentence for the student."""
    if not p.config.is_point_set:
        return ("Decision surface: the output for every input; dots are the truth table "
                "(blue: target 1, orange: 0).")
    test = " Test points have a white outline." if p.test.n_examples and p.view.show_test else ""
    if p.train.kind == "multiclass":
        return f"The class the network picks at every point (paler where it is unsure).{test}"
    if p.train.kind == "regression":
        return f"The output at every point; dots are coloured by their target value.{test}"
    return f"The output at every point; dots are the training points (blue: 1, orange: 0).{test}"


# -- one moment ---------------------------------------------------------------------------

def frame(p: Playground, since: Curves | None = None, network: Network | None = None) -> dict:
    """The run now (or ``network``, an earlier one, for the rewind panel): numbers, weights,
    grids, the table, and the curve's points after ``since`` (all of it when None)."""
    network = network or p.trainer.network
    truth = None if p.config.is_point_set else p.truth_rows(network)
    scores = p.scores(network) if p.config.is_point_set else None
    maps, ranges = p.node_maps(network)
    multiclass = p.train.kind == "multiclass"
    xs, ys, outputs = p.class_surface(network)
    low, high = p.output_range()
    data = {
        "i": p.trainer.iteration if network is p.trainer.network else None,
        "metrics": metrics(p, truth, scores),
        "bound": p.bound,
        "w": [_weights(w) for w in network.weights],
        "maps": [grid_texts(layer, *ranges[k + 1]) for k, layer in enumerate(
            maps[1:] if multiclass else maps[1:-1])],  # one output: its map is the surface's
        "map_ranges": ranges[1:],
        "surface": class_grid_text(outputs) if multiclass else grid_text(outputs[..., 0], low, high),
        "table": table(p, truth, scores),
        "off": p.off_names(network),  # hidden neurons switched off: drawn greyed
    }
    if since is not None:
        data.update(since.after(p))
    return data


def _weights(w: np.ndarray) -> list:
    """A weight matrix for the wire: five decimals (the page shows four), a weight too small
    for them as it is (only an exact zero is drawn as a dead edge)."""
    rounded = np.round(w, 5)
    return np.where((rounded == 0) & (w != 0), w, rounded).tolist()


def metrics(p: Playground, truth, scores) -> list[list]:
    """The numbers above the views: ``[label, value as text, help or None]`` each (the
    scene's ``helps`` hold the ones that never change)."""
    trainer = p.trainer
    error = trainer.last_error if trainer.last_error is not None else trainer.error()
    dropout = trainer.settings.dropout if p.config.hidden else 0.0
    error_help = f"{ERROR_HELP}, with dropout {dropout:g} on (that pass's nodes off)" if (
        dropout) else None  # None: the scene's
    shown = [["Iteration", f"{trainer.iteration:,}", None], ["Error", number(error), error_help]]
    if truth is not None:
        return [*shown, ["Rows right", f"{sum(truth.right)} / {len(truth.right)}", None],
                rate_metric(p)]
    train, test = scores
    test_error = p.test_error()
    shown.append(["Test error", "–" if test_error is None else number(test_error),
                  "The same error on the held-out test examples"])
    which, on = ("Test", test) if test.n_examples else ("Training", train)
    if train.kind == "regression":
        shown.append([f"{which} R²", fit_text(on.r_squared),
                      f"RMSE {fit_text(on.rmse)}; 1 is a perfect fit"])
    else:
        shown.append([f"{which} accuracy", f"{on.accuracy:.1%}",
                      f"Training accuracy {train.accuracy:.1%}"])
    return shown


def number(value: float) -> str:
    """Six decimals while the error falls; under 1e-4, or past a million (a run that
    diverges), three figures and a power of ten, so the number stays short."""
    return f"{value:.6f}" if 1e-4 <= abs(value) < 1e6 else f"{value:.3e}"


def rate_metric(p: Playground) -> list:
    """η: the next iteration's, where a schedule changes it."""
    settings = p.trainer.settings
    if not settings.scheduled:
        return ["Learning rate η", f"{settings.learning_rate:g}", None]
    return ["Learning rate η", f"{settings.learning_rate_at(p.trainer.iteration):.4g}",
            f"The next iteration's, on the schedule from {settings.learning_rate:g}"]


def table(p: Playground, truth, scores) -> dict:
    """The truth table (gates) or, for point sets, the confusion matrix or the fit: a head,
    rows of text (the first cell a row label), each row's tint, and a caption (the truth
    table's is the scene's)."""
    if truth is not None:
        rows = [list(r) for r in zip(truth.inputs, truth.outputs, truth.targets, truth.marks(),
                                     strict=True)]
        return {"head": ["Input", "Output", "Target", "Right?"], "rows": rows,
                "tints": ["right" if ok else "wrong" for ok in truth.right]}
    train, test = scores
    shown, where = (test, "test") if test.n_examples else (train, "training")
    if shown.kind == "regression":
        rows = [["training", fit_text(train.rmse), fit_text(train.r_squared)],
                ["test", fit_text(test.rmse) if test.n_examples else "–",
                 fit_text(test.r_squared) if test.n_examples else "–"]]
        return {"head": ["", "RMSE", "R²"], "rows": rows, "tints": None,
                "caption": "How far the outputs are from the targets: RMSE in the targets' "
                           "units, R² = 1 for a perfect fit."}
    names = p.class_names
    rows = [[f"is {name}", *map(str, row)] for name, row in zip(names, shown.confusion.tolist(),
                                                                strict=True)]
    return {"head": ["", *(f"says {n}" for n in names)], "rows": rows, "tints": None,
            "caption": f"Confusion matrix on the {shown.n_examples} {where} points: rows are the "
                       f"true class, columns the network's answer; {shown.accuracy:.1%} right."}


# -- the curves, a few points at a time ---------------------------------------------------

class Curves:
    """Where the browser's error curve, test curve and η curve have got to: each frame
    carries only what was added since (``after``); a fresh one sends them whole."""

    def __init__(self) -> None:
        self.error_from: int | None = None  # the first iteration of the last bucket sent
        self.test_from: int | None = None
        self.rate_span = 0

    def after(self, p: Playground) -> dict:
        iterations, low, high = p.error_curve()
        fresh = self.error_from is None
        start = 0 if fresh else int(np.searchsorted(iterations, self.error_from))
        points = _thin(iterations[start:], low[start:], high[start:],
                       FULL_CURVE_POINTS if fresh else CURVE_POINTS)
        self.error_from = int(iterations[-1])
        out = {"curve": {"fresh": fresh, "points": points}}
        test_iterations, test_errors = p.test_curve
        if test_iterations:
            first = 0 if self.test_from is None else int(np.searchsorted(test_iterations,
                                                                          self.test_from))
            out["test"] = {"fresh": self.test_from is None,
                           "points": [[t, e] for t, e in zip(test_iterations[first:],
                                                             test_errors[first:], strict=True)]}
            self.test_from = test_iterations[-1]
        rate = p.rate_curve(RATE_POINTS)
        span = max(10, int(p.trainer.iteration * 1.1))
        if rate is not None and (fresh or span > self.rate_span * 1.1):
            out["rate"] = [[int(t), float(r)] for t, r in zip(*rate, strict=True)]
            self.rate_span = span
        return out


def _thin(iterations: np.ndarray, low: np.ndarray, high: np.ndarray, most: int) -> list[list]:
    """``[iteration, lowest, highest]`` points, at most ``most``: neighbours merged, each
    keeping the first iteration and the range of the errors it stands for."""
    n = len(iterations)
    if n > most:
        edges = np.linspace(0, n, most + 1).astype(int)[:-1]
        iterations = iterations[edges]
        low, high = np.minimum.reduceat(low, edges), np.maximum.reduceat(high, edges)
    low, high = _finite(low), _finite(high)
    return [[int(i), a, b] for i, a, b in zip(iterations.tolist(), low, high, strict=True)]


def _finite(values: Sequence[float]) -> list[float]:
    """Errors for JSON: never inf or NaN (the trainer stops before them; this is the last guard)."""
    return np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=1e300,
                         neginf=-1e300).tolist()
