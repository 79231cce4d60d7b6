"""Save a whole run to plain JSON-safe data and load it back, exactly.

A saved run holds the network's configuration and weights, the training
settings, the update rule's slots, the iteration, the error history and
the training data, so that a loaded run continues on the identical
trajectory. Floats are written as Python writes them (the shortest text that
reads back to the same float64), so every bit survives a JSON round trip.

Loading reads data only (no pickle, nothing executed) and checks every field,
its type, its size and its shape, so a wrong or hostile file ends in one
``RunFileError`` sentence that says what was wrong.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nnplay.history import ErrorHistory
from nnplay.network import Network
from nnplay.optimizers import OPTIMIZERS
from nnplay.training import Divergence, Trainer, TrainerSettings

FORMAT = "nnplay-run"
VERSION = 1
MAX_HISTORY_CAPACITY = 1 << 16


class RunFileError(ValueError):
    """A saved run that cannot be loaded; the message says why, in one sentence."""


def run_to_dict(trainer: Trainer) -> dict[str, Any]:
    """Everything needed to continue ``trainer``'s run, as JSON-safe data."""
    network = trainer.network
    divergence = trainer.divergence
    return {
        "format": FORMAT,
        "version": VERSION,
        "network": network.config(),
        "weights": [w.tolist() for w in network.weights],
        "settings": trainer.settings.to_dict(),
        "iteration": trainer.iteration,
        "last_error": trainer.last_error,
        "optimizer_state": {k: v.tolist() for k, v in trainer.optimizer_state.items()},
        "history": trainer.history.to_dict(),
        "data": {"X": trainer.X.tolist(), "y": trainer.y.tolist()},
        "divergence": None if divergence is None else {
            "iteration": divergence.iteration,
            "kept_iteration": divergence.kept_iteration,
            "message": divergence.message,
        },
    }


def run_from_dict(data: object) -> Trainer:
    """Rebuild the trainer saved by ``run_to_dict``; raise ``RunFileError`` if it is not one."""
    try:
        return _load(data)
    except RunFileError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError) as problem:
        raise RunFileError(f"This file is not a valid nnplay run: {_sentence(problem)}") from None


def _sentence(problem: Exception) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text if text.endswith(".") else text + "."


def _field(data: dict, key: str, kind: type | tuple[type, ...], where: str = "run") -> Any:
    if key not in data:
        raise RunFileError(f"This file is not a valid nnplay run: its {where} has no '{key}'.")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and bool not in _as_tuple(kind):
        raise RunFileError(f"This file is not a valid nnplay run: '{key}' in its {where} "
                           f"has the wrong type ({type(value).__name__}).")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _array(value: object, shape: tuple[int, ...], name: str) -> np.ndarray:
    """A float64 array of exactly ``shape`` from nested lists of finite numbers."""
    if not isinstance(value, list):
        raise RunFileError(f"This file is not a valid nnplay run: '{name}' must be a list of numbers.")
    try:
        raw = np.asarray(value)
    except ValueError:  # ragged nesting
        raise RunFileError(f"This file is not a valid nnplay run: '{name}' is not a rectangular "
                           "array of numbers.") from None
    if raw.dtype.kind not in "iuf":  # numbers only: no text, no true/false, no null
        raise RunFileError(f"This file is not a valid nnplay run: '{name}' must hold numbers only.")
    array = raw.astype(np.float64)
    if array.shape != shape:
        raise RunFileError(f"This file is not a valid nnplay run: '{name}' has shape {array.shape}, "
                           f"but the network needs {shape}.")
    if not np.isfinite(array).all():
        raise RunFileError(f"This file is not a valid nnplay run: '{name}' holds NaN or infinity.")
    return array


def _load(data: object) -> Trainer:
    if not isinstance(data, dict):
        raise RunFileError("This file is not a valid nnplay run: it should hold a JSON object "
                           f"at the top, not a {type(data).__name__}.")
    if data.get("format") != FORMAT:
        raise RunFileError("This file is not an nnplay run (its 'format' is not 'nnplay-run'). "
                           "Load a file saved with 'Download run'.")
    if data.get("version") != VERSION:
        raise RunFileError(f"This run was saved by another version of nnplay (version "
                           f"{data.get('version')!r}); this one reads version {VERSION}.")
    config = _field(data, "network", dict)
    network = Network(
        _field(config, "shape", list, "network"),
        activation=_field(config, "activation", (str, list), "network"),
        output_activation=_field(config, "output_activation", str, "network"),
        init=_field(config, "init", str, "network"),
        seed=_field(config, "seed", int, "network"),
    )
    weights = _field(data, "weights", list)
    if len(weights) != len(network.layout.layer_shapes):
        raise RunFileError(f"This file is not a valid nnplay run: it has {len(weights)} weight "
                           f"matrices for a network of {len(network.layout.layer_shapes)} layers.")
    network.set_weights([_array(w, s, f"weights[{k}]") for k, (w, s) in
                         enumerate(zip(weights, network.layout.layer_shapes))])
    settings = _settings(_field(data, "settings", dict))
    samples = _field(data, "data", dict)
    X = _field(samples, "X", list, "data")
    y = _field(samples, "y", list, "data")
    trainer = Trainer(network, X, y, **settings.to_dict())
    _restore_progress(trainer, data)
    return trainer


def _settings(values: dict) -> TrainerSettings:
    known = TrainerSettings.__dataclass_fields__
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise RunFileError(f"This file is not a valid nnplay run: unknown setting(s) "
                           f"{', '.join(map(repr, unknown))}.")
    return TrainerSettings(**values)


def _restore_progress(trainer: Trainer, data: dict) -> None:
    iteration = _field(data, "iteration", int)
    if iteration < 0:
        raise RunFileError("This file is not a valid nnplay run: 'iteration' is negative.")
    last_error = _field(data, "last_error", (float, int, type(None)))
    if last_error is not None and not math.isfinite(last_error):
        raise RunFileError("This file is not a valid nnplay run: 'last_error' is not finite.")
    state = _field(data, "optimizer_state", dict)
    slots = set(OPTIMIZERS[trainer.settings.optimizer].slots)
    if set(state) != slots:
        raise RunFileError(f"This file is not a valid nnplay run: the '{trainer.settings.optimizer}' "
                           f"update rule keeps {sorted(slots)}, the file has {sorted(state)}.")
    for key, current in trainer.optimizer_state.items():
        current[...] = _array(state[key], current.shape, f"optimizer_state.{key}")
    trainer.history = _history(_field(data, "history", dict), iteration)
    trainer.iteration = iteration
    trainer.last_error = None if last_error is None else float(last_error)
    trainer.snapshots.items.clear()
    trainer.snapshots.offer(iteration, trainer.network.parameters, trainer.optimizer_state)
    divergence = _field(data, "divergence", (dict, type(None)))
    if divergence is not None:
        trainer.divergence = Divergence(
            _field(divergence, "iteration", int, "divergence"),
            _field(divergence, "kept_iteration", int, "divergence"),
            _field(divergence, "message", str, "divergence")[:500],
        )


def _history(values: dict, iteration: int) -> ErrorHistory:
    capacity = _field(values, "capacity", int, "history")
    if not 2 <= capacity <= MAX_HISTORY_CAPACITY:
        raise RunFileError("This file is not a valid nnplay run: its history capacity is out of range.")
    stride = _field(values, "stride", int, "history")
    if stride < 1 or stride & (stride - 1) or _field(values, "filled", int, "history") < 0:
        raise RunFileError("This file is not a valid nnplay run: its history's stride or length "
                           "is impossible.")
    for key in ("low", "high"):
        if len(_field(values, key, list, "history")) > capacity:
            raise RunFileError("This file is not a valid nnplay run: its history is longer than "
                               "its capacity.")
    _field(values, "pending", (float, int, type(None)), "history")
    history = ErrorHistory.from_dict(values)
    if len(history) != iteration:
        raise RunFileError(f"This file is not a valid nnplay run: its history covers {len(history)} "
                           f"iterations but the run is at iteration {iteration}.")
    low, high = history.curve()[1:]
    if not (np.isfinite(low).all() and np.isfinite(high).all()):
        raise RunFileError("This file is not a valid nnplay run: its history holds NaN or infinity.")
    return history
