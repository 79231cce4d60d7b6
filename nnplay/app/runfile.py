"""The page's saved runs: the configuration, the view and the whole trained run, as JSON.

``save`` writes what ``load`` reads back to continue exactly where the
student was. ``load`` takes untrusted bytes: it limits their size, reads
JSON as data only, checks every field and answers a wrong file with one
sentence that says what was wrong and what to do; the run on the page is
untouched until a file has passed every check.
"""

from __future__ import annotations

import dataclasses
import json
from typing import NamedTuple

from nnplay.app import edits
from nnplay.app.csvdata import CsvDataset
from nnplay.app.link import ViewOptions
from nnplay.config import RunConfig
from nnplay.datasets import MAX_POINTS, Dataset
from nnplay.problems import UPLOADED
from nnplay.serialization import RunFileError, run_from_dict, run_to_dict
from nnplay.training import Trainer, TrainerSettings

FORMAT = "nnplay-page-run"
VERSION = 1
MAX_RUN_FILE_BYTES = 5_000_000


class LoadedRun(NamedTuple):
    config: RunConfig
    view: ViewOptions
    trainer: Trainer
    points: Dataset | None
    """The uploaded points of a run on the problem ``csv`` (None otherwise)."""


def save(config: RunConfig, view: ViewOptions, trainer: Trainer,
         points: Dataset | None = None, log: edits.Log = ()) -> str:
    """The run as a JSON document (text); uploaded ``points`` and the hand edits ``log``
    travel with it."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "config": config.to_dict(),
        "view": dataclasses.asdict(view),
        "run": run_to_dict(trainer),
    }
    if log:
        document["edits"] = edits.to_list(log)
    if config.problem == UPLOADED and points is not None:
        document["points"] = {"X": points.X.tolist(), "y": points.y.tolist(),
                              "kind": points.kind, "domain": [list(d) for d in points.domain],
                              "class_names": list(getattr(points, "class_names", ()))}
    return json.dumps(document)


def load(data: bytes | str) -> tuple[RunConfig, ViewOptions, Trainer]:
    """Read a saved run; raise ``RunFileError`` with a student-readable sentence if it is not one."""
    return load_run(data)[:3]


def load_run(data: bytes | str) -> LoadedRun:
    """``load``, with the uploaded points of a run on the problem ``csv``."""
    return load_with_edits(data)[0]


def load_with_edits(data: bytes | str) -> tuple[LoadedRun, edits.Log]:
    """``load_run``, and the run's hand edits (``nnplay.app.edits``)."""
    if len(data) > MAX_RUN_FILE_BYTES:
        raise RunFileError(f"This file is {len(data) / 1e6:.1f} MB; a saved run is at most "
                           f"{MAX_RUN_FILE_BYTES / 1e6:.0f} MB. Choose a file saved with 'Download run'.")
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise RunFileError(f"This file is not JSON ({problem.__class__.__name__}: {problem}). "
                           "Choose a file saved with 'Download run'.") from None
    except RecursionError:
        raise RunFileError("This file is nested too deeply to be a saved run.") from None
    except ValueError:  # a number with more digits than Python reads (sys.get_int_max_str_digits)
        raise RunFileError("This file holds a number too long to read; it is not a saved run. "
                           "Choose a file saved with 'Download run'.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RunFileError("This file is JSON but not an nnplay run. Choose a file saved with "
                           "'Download run'.")
    if document.get("version") != VERSION:
        raise RunFileError(f"This run was saved by another version of nnplay "
                           f"(version {document.get('version')!r}); this page reads version {VERSION}.")
    config = _config(document.get("config"))
    view = _view(document.get("view"))
    points = _points(document.get("points")) if config.problem == UPLOADED else None
    trainer = run_from_dict(document.get("run"))
    _check_agree(config, trainer, points)
    try:
        log = edits.from_list(document.get("edits", []), trainer.network.shape)
    except ValueError as problem:
        raise RunFileError(f"This file's hand edits are not valid ({problem}); it may have "
                           "been edited.") from None
    test = config.split(points)[1]
    if test.n_examples:
        trainer.watch(config.inputs(test.X), test.y)
    return LoadedRun(config, view, trainer, points), log


def _points(values: object) -> Dataset:
    """The uploaded points a saved run carries, checked like any other upload."""
    if not isinstance(values, dict):
        raise RunFileError("This run learned uploaded points, but the file does not carry them; "
                           "it may have been edited.")
    try:
        X, y = values["X"], values["y"]
        if not isinstance(X, list) or not isinstance(y, list) or len(X) > MAX_POINTS:
            raise ValueError(f"at most {MAX_POINTS} points")
        names = tuple(str(n) for n in values.get("class_names", ()))
        return CsvDataset("your data", X, y, values["kind"],
                          tuple(tuple(d) for d in values["domain"]), ("x1", "x2"),
                          class_names=names)
    except (KeyError, TypeError, ValueError) as problem:
        raise RunFileError(f"This file's uploaded points are not valid ({problem}); it may have "
                           "been edited.") from None


def _config(values: object) -> RunConfig:
    if not isinstance(values, dict):
        raise RunFileError("This file is not a valid nnplay run: it has no configuration.")
    known = {f.name for f in dataclasses.fields(RunConfig)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise RunFileError(f"This file is not a valid nnplay run: unknown setting(s) {unknown}.")
    values = dict(values)
    for key in ("hidden", "features"):
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    try:
        return RunConfig(**values)
    except (TypeError, ValueError) as problem:
        raise RunFileError(f"This file's configuration is not valid: {problem}") from None


def _view(values: object) -> ViewOptions:
    if values is None:
        return ViewOptions()
    try:
        return ViewOptions(**values)
    except (TypeError, ValueError):
        raise RunFileError("This file's view settings are not valid.") from None


def _check_agree(config: RunConfig, trainer: Trainer, points: Dataset | None = None) -> None:
    network = trainer.network
    expected = (config.shape(points), config.activation, config.output_activation, config.init,
                config.seed)
    found = (network.shape, network.activation, network.output_activation, network.init, network.seed)
    if expected != found:
        raise RunFileError("This file's network does not match its configuration; it may have "
                           "been edited. Download the run again from the page.")
    train = config.split(points)[0]
    X = config.inputs(train.X)
    if trainer.X.shape != X.shape or (trainer.X != X).any() or (trainer.y != train.y).any():
        raise RunFileError("This file's training data is not the configuration's "
                           f"'{config.problem}' data; it may have been edited.")
    # Every setting, not just the configuration's four: the page cannot show or reset a
    # batch size or a penalty that an edited file slipped in.
    if trainer.settings != TrainerSettings(**config.training_settings(train.n_examples)):
        raise RunFileError("This file's training settings do not match its configuration; it "
                           "may have been edited.")
    if trainer.iteration > 0 and trainer.last_error is None:
        raise RunFileError("This file's run has iterations but no last error; it may have been "
                           "edited.")
