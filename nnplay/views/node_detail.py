"""One node's numbers for the live area's node panel, and one iteration for slow motion.

``build(trainer, shape_labels, node, example)`` opens up one node of the
diagram: its forward numbers (each input times its weight, plus the bias, is
``x_J``; ``f(x_J)`` is ``O_J``) and its backward numbers (``δ``, then each
incoming weight's gradient and its value after the next Step). The numbers
are the explainer's (``backprop_tables.next_step`` computes them for both,
and its ``table`` writes them, 4 significant digits), so the panel and the
tab "Back propagation, step by step" say the same; the new weights also come
at full precision, bit for bit what Step gives when the explainer says so.

``slow_motion(trainer)`` is what the slow-motion player animates: the same
quantities for the Step the caller then performs, for one example.
Nothing here imports streamlit; the component draws plain lists and strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnplay.explain import BackpropStep, LayerStep
from nnplay.losses import LOSSES
from nnplay.training import Trainer
from nnplay.views import backprop_tables as bt
from nnplay.views.figures import node_labels

EXPLAINER_LINK = "Every layer's numbers: open the tab “Back propagation, step by step”"
PLAYING_NOTE = ("Playing: the numbers here are exact for one moment only. Pause (or Step) and "
                "the panel shows this node's numbers for the next Step, exactly.")


def find(labels: Sequence[Sequence[str]], node: object) -> tuple[int, int] | None:
    """``(layer, index)`` of the node labelled ``node`` (layer 0 the inputs), or None."""
    for layer, names in enumerate(labels):
        if node in names:
            return layer, list(names).index(node)
    return None


def build(trainer: Trainer, node: str, example: int | None = None,
          input_labels: Sequence[str] | None = None) -> dict | None:
    """The panel for the node labelled ``node`` (as the diagram names it), for the whole
    batch (``example`` None) or the row ``example`` of the training inputs; None for a
    label the network does not have."""
    shape = trainer.network.shape
    labels = node_labels(shape, input_labels)
    where = find(labels, node)
    if where is None:
        return None
    if example is not None and not 0 <= example < len(trainer.X):
        example = None
    layer, i = where
    X = trainer.X if example is None else trainer.X[example:example + 1]
    examples = bt.example_names(X)
    out = {"node": node, "layer": layer, "example": example, "iteration": trainer.iteration,
           "examples": bt.example_options(trainer.X), "notes": [], "explainer": EXPLAINER_LINK}
    if layer == 0:
        values = X[:, i][None, :]
        return {**out, "kind": "input",
                "title": f"{node}: an input node",
                "words": ("An input sends its value on unchanged, to every node of the first "
                          "layer: it has no weights, no x_J and no δ of its own."),
                "tables": [_table(node, "its value for each example", values, [node], examples)]}
    step = bt.next_step(trainer, example)
    with np.errstate(all="ignore"):  # a network about to diverge: "inf" shown as it is
        return {**out, **_inside(trainer, step, labels, layer, i, example, examples)}


def _inside(trainer: Trainer, step: BackpropStep, labels: list[list[str]], layer: int, i: int,
            example: int | None, examples: list[str]) -> dict:
    """The panel of a hidden or output node ``i`` of ``layer`` (1 the first hidden layer)."""
    s = step.layers[layer - 1]
    output = layer == len(labels) - 1
    node, sources = labels[layer][i], [*labels[layer - 1], bt.BIAS]
    network = trainer.network
    f = network.output_activation if output else network.hidden_activations[layer - 1]
    J = bt.letters(network.shape)[layer]
    products = s.W[i][:, None] * s.O_I  # each input (the bias node's 1 last) times its weight
    forward_rows = [(f"x{_sub(J)} = sum", s.x_J[i])]
    switched_off = not output and (layer - 1, i) in network.off
    if s.mask is not None:
        why = "switched off" if switched_off else "dropout" if trainer.settings.dropout > 0 else "mask"
        forward_rows.append((f"m{_sub(J)} ({why})", s.mask[i]))
    forward_rows.append((f"O{_sub(J)} = f(x{_sub(J)})", s.O_J[i]))
    if output:
        miss = s.O_J[i] - step.targets[i]
        backward_rows = [(f"T{_sub(J)} (target)", step.targets[i]), (f"O{_sub(J)} − T{_sub(J)}", miss)]
        if trainer.settings.loss != "cross_entropy":
            backward_rows.append((f"f'(x{_sub(J)})", bt.output_slope(f, s)[i]))
    else:
        above = step.layers[layer]
        backward_rows = [("W<sup>T</sup> δ from above", bt.pulled_back(above)[i]),
                         (f"{'m · ' if s.mask is not None else ''}f'(x{_sub(J)})",
                          bt.hidden_slope(f, s)[i])]
    backward_rows.append((f"δ{_sub(J)}", s.delta_J[i]))
    weights = np.column_stack([s.W[i], s.gradient[i], s.change[i], s.new_W[i]])
    claim = bt.claim(trainer, example, step)
    kind = ("the output node" if len(labels[layer]) == 1 else "an output node") if output else (
        "a hidden node")
    out = {
        "kind": "output" if output else "hidden",
        "title": f"{node}: {kind} (layer {J}, "
                 f"f = {f}), iteration {trainer.iteration:,}",
        "words": (f"Forward: each input times its weight, plus the bias weight, adds up to "
                  f"x{_sub(J)}; the transfer function f turns it into the output O{_sub(J)}. "
                  f"Backward: δ{_sub(J)} says which way x{_sub(J)} should move to make the "
                  f"error smaller; each incoming weight's gradient is δ{_sub(J)} times the "
                  f"input it multiplies{'' if len(examples) == 1 else ', added up over the examples'}."),
        "tables": [
            _table("input × weight", "each input times its weight (the bias node sends 1)",
                   products, sources, examples),
            _table(f"x{_sub(J)}, O{_sub(J)}", "forward", [v for _, v in forward_rows],
                   [name for name, _ in forward_rows], examples),
            _table(f"δ{_sub(J)}", "backward", [v for _, v in backward_rows],
                   [name for name, _ in backward_rows], examples),
            _table("incoming weights", f"now, their gradient ΔW, the change −η ΔW (η = "
                   f"{step.learning_rate:g}) and the value after this step", weights, sources,
                   ["W", "ΔW", "−η ΔW", "new W"]),
        ],
        "new_weights": [bt._literal(v) for v in s.new_W[i]],
        "claim": [claim.kind, claim.message],
        "error": bt.number(step.error),
        "notes": [],
    }
    loss_note = bt.loss_note(trainer.settings.loss, J)
    if output and loss_note:
        out["notes"].append(loss_note)
    if switched_off:
        out["notes"].append("Switched off by hand: its mask is 0 for every example, so its output is "
                            "held at 0, it passes nothing on and its δ is 0 (the error teaches its "
                            "incoming weights nothing). Switch it on in an edge's panel.")
    note = dropout_note(trainer, s, i, examples, output)
    if note:
        out["notes"].append(note)
    return out


def dropout_note(trainer: Trainer, layer: LayerStep, i: int, examples: list[str],
                 output: bool) -> str | None:
    """What dropout does to this node in this step (the explainer's masks, which Step draws),
    or None without dropout."""
    rate = trainer.settings.dropout
    if rate <= 0 or len(trainer.network.shape) <= 2:
        return None
    if output:
        return (f"Dropout {rate:g} is on in the hidden layers: this step's masks (the ones Step "
                "draws) switch some hidden nodes off, and those send this node 0.")
    dropped = [name for name, m in zip(examples, layer.mask[i], strict=True) if m == 0]
    listed = ", ".join(dropped[:12]) + (f" and {len(dropped) - 12} more" if len(dropped) > 12 else "")
    return (f"Dropout {rate:g}: this step's mask m (the one Step draws, as in the explainer) "
            f"switches this node off for {listed or 'no example'}; there it sends 0 and its δ "
            f"is 0, so its weights learn nothing from that example. Where it is kept, its "
            f"output is multiplied by 1 / (1 − {rate:g}) = {1 / (1 - rate):.4g}.")


def _sub(letter: str) -> str:
    return f"<sub>{letter}</sub>"


def _table(name: str, words: str, values, rows: Sequence[str], columns: Sequence[str]) -> dict:
    """A table of the explainer's kind (4 significant digits, at most ``MAX_NODES_SHOWN``
    rows and columns shown, the bias kept), as plain data for the component."""
    t = bt.table(name, words, np.atleast_2d(np.asarray(values, dtype=float)), list(rows),
                 list(columns))
    return {"name": t.name, "words": t.words, "rows": list(t.rows), "columns": list(t.columns),
            "cells": [list(r) for r in t.cells], "note": t.note}


def slow_motion(trainer: Trainer, input_labels: Sequence[str] | None = None,
                example: int | None = None) -> dict:
    """One iteration for the slow-motion player, taken before the caller's Step (on the
    whole batch, as Step): each layer's ``O_J`` and ``δ_J`` for the example followed, as
    the explainer writes them, the batch's error, and the weights before at full precision
    (the weights after are the caller's, from its Step).

    ``example``: the row of the training inputs to follow; None picks the first whose
    inputs are not all zero (an input of 0 shows little)."""
    if example is None or not 0 <= example < len(trainer.X):
        lively = np.flatnonzero(np.any(trainer.X != 0, axis=1))
        example = int(lively[0]) if lively.size else 0
    step = bt.next_step(trainer)
    shape = trainer.network.shape
    e = [example]
    with np.errstate(all="ignore"):
        layers = [{"o": _texts(s.O_J[:, e]), "delta": _texts(s.delta_J[:, e]),
                   "dropped": None if s.mask is None else (s.mask[:, e] == 0).tolist()}
                  for s in step.layers]
    claim = bt.claim(trainer, None, step)
    return {
        "iteration": trainer.iteration,
        "labels": node_labels(shape, input_labels),
        "example": bt.example_names(trainer.X[e])[0],
        "example_index": example,
        "n_examples": len(trainer.X),
        "inputs": _texts(trainer.X[e].T),
        "targets": _texts(step.targets[:, e]),
        "error": bt.number(step.error),
        "loss": LOSSES[trainer.settings.loss].label,
        "eta": step.learning_rate,
        "layers": layers,
        "before": [w.tolist() for w in trainer.network.weights],
        "exact": claim.exact,
        "claim": claim.message,
    }


def _texts(values: np.ndarray) -> list[list[str]]:
    return [[bt.number(v) for v in row] for row in np.asarray(values, dtype=float)]
