"""A run's hand edits: weights set by hand and hidden nodes switched off or on, each stamped with
the iteration it was made at.

The log is a tuple of entries in the order of their iterations. Training from iteration 0 and
applying each entry when the run reaches its iteration gives the same run again, bit for bit,
so a link and a saved run carry the log, not the weights (``Playground`` applies it):

* ``edit=1.0.2@120:0.5,2.0.4@300:-1.25``: at iteration 120, ``W1[0, 2]`` set to 0.5 (layer
  from 1 as in ``W1``, then row and column from 0, the bias being the last column); the value
  is written with the fewest digits that read back as the same float.
* ``off=h1@120-300,h2.3``: node ``h1`` switched off at iteration 120 and on again at 300, node
  ``h2.3`` off from iteration 0 on (the node names of the diagram).

A link carries at most ``MAX_EDITS`` entries (an ``off`` interval counts one for each end); the
page refuses an edit past that with a sentence. A weight set by hand lies within
``MAX_HAND_WEIGHT`` of 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nnplay.network import Network
from nnplay.views.figures import node_labels

MAX_EDITS = 20
"""The most hand edits (weights set, nodes switched off or on) a run and its link hold."""
MAX_HAND_WEIGHT = 100.0
"""A weight set by hand lies in [-MAX_HAND_WEIGHT, MAX_HAND_WEIGHT]."""
MAX_ITERATION = 10_000_000
"""The latest iteration a link's edit may name (as ``at=``)."""
MAX_TEXT = 2000
"""The longest ``edit=`` or ``off=`` value a link may hold."""
FULL = (f"This run already holds {MAX_EDITS} hand edits (weights set and neurons switched), "
        "as many as its link can carry. Reset to start over, or rewind to before one of them.")


@dataclass(frozen=True)
class WeightEdit:
    """At ``iteration``, weight ``W{layer}[row, col]`` set to ``value`` by hand."""

    iteration: int
    layer: int
    """From 1, as in ``W1``."""
    row: int
    col: int
    """From 0; the bias weight is the last column."""
    value: float

    @property
    def name(self) -> str:
        return f"W{self.layer}[{self.row}, {self.col}]"


@dataclass(frozen=True)
class Switch:
    """At ``iteration``, hidden node ``node`` of hidden layer ``layer`` switched off (or on)."""

    iteration: int
    layer: int
    """Hidden layers counted from 0."""
    node: int
    off: bool


Entry = WeightEdit | Switch
Log = tuple[Entry, ...]


# -- checks -------------------------------------------------------------------------------

def parse_value(text: object) -> float:
    """A weight typed by hand, or ValueError with a sentence saying what to type."""
    try:
        value = float(str(text).strip().replace("−", "-"))
    except ValueError:
        raise ValueError(f"'{str(text)[:20]}' is not a number: type a weight such as 0.5 or "
                         "-1.25.") from None
    if not math.isfinite(value) or abs(value) > MAX_HAND_WEIGHT:
        raise ValueError(f"A weight set by hand must be a number from -{MAX_HAND_WEIGHT:g} to "
                         f"{MAX_HAND_WEIGHT:g}; '{str(text)[:20]}' is not.")
    return value + 0.0  # -0.0 is 0


def check_weight(shape: Sequence[int], layer: object, row: object, col: object) -> None:
    """Raise ValueError unless ``W{layer}[row, col]`` is a weight of a network of ``shape``."""
    numbers = (layer, row, col)
    if any(not isinstance(n, int) or isinstance(n, bool) for n in numbers) or not (
            1 <= layer < len(shape) and 0 <= row < shape[layer] and 0 <= col <= shape[layer - 1]):
        raise ValueError(f"The network {tuple(shape)} has no weight W{layer}[{row}, {col}].")


def flat_index(shape: Sequence[int], layer: int, row: int, col: int) -> int:
    """Where ``W{layer}[row, col]`` sits in a network's flat ``parameters``."""
    return sum(n_J * (n_I + 1) for n_I, n_J in zip(shape[:layer - 1], shape[1:layer])) + (
        row * (shape[layer - 1] + 1) + col)


def hidden_names(shape: Sequence[int]) -> dict[str, tuple[int, int]]:
    """Every hidden node's name on the page (``h1``, ``h2.3``) and its ``(layer, node)``."""
    return {name: (k, i) for k, names in enumerate(node_labels(shape)[1:-1])
            for i, name in enumerate(names)}


def node_name(shape: Sequence[int], layer: int, node: int) -> str:
    return node_labels(shape)[layer + 1][node]


# -- the log ------------------------------------------------------------------------------

def add(log: Log, entry: Entry) -> Log:
    """``log`` with ``entry`` (made at the latest iteration in the log or later). A weight set
    twice in one iteration keeps its last value; a node switched back in the iteration it was
    switched cancels out. Raise ValueError past ``MAX_EDITS``."""
    if isinstance(entry, WeightEdit):
        kept = tuple(e for e in log if not (
            isinstance(e, WeightEdit) and e.iteration == entry.iteration
            and (e.layer, e.row, e.col) == (entry.layer, entry.row, entry.col)))
        grown = kept + (entry,)
    else:
        last = next((e for e in reversed(log) if isinstance(e, Switch)
                     and (e.layer, e.node) == (entry.layer, entry.node)), None)
        if last is not None and last.iteration == entry.iteration and last.off != entry.off:
            return tuple(e for e in log if e is not last)
        grown = log + (entry,)
    if len(grown) > MAX_EDITS:
        raise ValueError(FULL)
    return tuple(sorted(grown, key=lambda e: e.iteration))  # stable: order kept within one


def until(log: Log, iteration: int) -> Log:
    """The entries made at ``iteration`` or before (rewinding there drops the others)."""
    return tuple(e for e in log if e.iteration <= iteration)


def next_after(log: Log, iteration: int) -> int | None:
    """The first iteration after ``iteration`` with an entry, or None."""
    return next((e.iteration for e in log if e.iteration > iteration), None)


def off_at(log: Log, iteration: int) -> frozenset[tuple[int, int]]:
    """The hidden nodes off once the entries up to ``iteration`` are applied."""
    off: set[tuple[int, int]] = set()
    for e in until(log, iteration):
        if isinstance(e, Switch):
            (off.add if e.off else off.discard)((e.layer, e.node))
    return frozenset(off)


def apply(network: Network, log: Log, iteration: int) -> None:
    """Bring ``network``, trained to ``iteration``, to what the log makes of it there: the weights
    set at ``iteration`` (setting one again changes nothing) and the nodes off."""
    for e in log:
        if isinstance(e, WeightEdit) and e.iteration == iteration:
            network.parameters[flat_index(network.shape, e.layer, e.row, e.col)] = e.value
    if network.node_masks is not None or any(isinstance(e, Switch) for e in log):
        network.switch_off(off_at(log, iteration))


# -- in a link ------------------------------------------------------------------------------

def to_query(log: Log, shape: Sequence[int]) -> dict[str, str]:
    """The link parameters ``edit`` and ``off`` that carry ``log`` (none when it is empty)."""
    query = {}
    weights = [e for e in log if isinstance(e, WeightEdit)]
    if weights:
        query["edit"] = ",".join(f"{e.layer}.{e.row}.{e.col}@{e.iteration}:{e.value!r}"
                                 for e in weights)
    intervals = []
    started: dict[tuple[int, int], int] = {}
    for e in log:
        if isinstance(e, Switch) and e.off:
            started[(e.layer, e.node)] = len(intervals)
            intervals.append([node_name(shape, e.layer, e.node), e.iteration, None])
        elif isinstance(e, Switch) and (e.layer, e.node) in started:
            intervals[started.pop((e.layer, e.node))][2] = e.iteration
    if intervals:
        query["off"] = ",".join(name + (f"@{start}" if start or end is not None else "")
                                + (f"-{end}" if end is not None else "")
                                for name, start, end in intervals)
    return query


EDIT_ITEM = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:@(\d+))?:(\S+)")
OFF_ITEM = re.compile(r"(h[\d.]+)(?:@(\d+)(?:-(\d+))?)?")


def parse_query(params: Mapping[str, object], shape: Sequence[int]) -> tuple[Log, list[str]]:
    """The log a link's ``edit`` and ``off`` carry for a network of ``shape``, and a warning for
    each item left out (a bad one, or one past ``MAX_EDITS``). Never raises."""
    warnings: list[str] = []
    entries: list[Entry] = []
    for name, read in (("edit", _weight_items), ("off", _off_items)):
        raw = params.get(name)
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        if raw is None or raw == "":
            continue
        if len(str(raw)) > MAX_TEXT:
            warnings.append(f"The link's '{name}' value is longer than {MAX_TEXT} characters; "
                            "the run starts without it.")
            continue
        entries += read(str(raw).split(","), shape, warnings)
    entries.sort(key=lambda e: e.iteration)
    if len(entries) > MAX_EDITS:
        warnings.append(f"The link carries {len(entries)} hand edits; a link holds at most "
                        f"{MAX_EDITS}, so the run replays the first {MAX_EDITS} only.")
        entries = entries[:MAX_EDITS]
    return tuple(entries), warnings


def _weight_items(items: Iterable[str], shape: Sequence[int], warnings: list[str]) -> list[Entry]:
    entries: list[Entry] = []
    seen = set()
    for item in items:
        match = EDIT_ITEM.fullmatch(item.strip())
        try:
            if match is None:
                raise ValueError("is not of the form LAYER.ROW.COL@ITERATION:VALUE "
                                 "(e.g. 1.0.2@120:0.5)")
            layer, row, col, at = (int(g or 0) for g in match.groups()[:4])
            check_weight(shape, layer, row, col)
            if at > MAX_ITERATION:
                raise ValueError(f"names an iteration past {MAX_ITERATION:,}")
            if (at, layer, row, col) in seen:
                raise ValueError("sets that weight twice in one iteration")
            entries.append(WeightEdit(at, layer, row, col, parse_value(match.group(5))))
            seen.add((at, layer, row, col))
        except ValueError as reason:
            warnings.append(f"The link's hand edit '{item[:40]}' is left out: {_clause(reason)}")
    return entries


def _off_items(items: Iterable[str], shape: Sequence[int], warnings: list[str]) -> list[Entry]:
    names = hidden_names(shape)
    spans: dict[tuple[int, int], list[tuple[int, int | None]]] = {}
    for item in items:
        match = OFF_ITEM.fullmatch(item.strip())
        try:
            if match is None or match.group(1) not in names:
                raise ValueError(f"names no hidden neuron of the network {tuple(shape)} (use "
                                 "the diagram's names, e.g. h1@120-300)")
            start = int(match.group(2) or 0)
            end = None if match.group(3) is None else int(match.group(3))
            if max(start, end or 0) > MAX_ITERATION or (end is not None and end <= start):
                raise ValueError("needs an iteration to switch off and, if any, a later one "
                                 "to switch on")
            node = names[match.group(1)]
            if any(s <= (end if end is not None else math.inf) and start <= (e if e is not None
                   else math.inf) for s, e in spans.get(node, [])):
                raise ValueError("overlaps or touches another interval of the same neuron")
            spans.setdefault(node, []).append((start, end))
        except ValueError as reason:
            warnings.append(f"The link's 'off' item '{item[:40]}' is left out: {_clause(reason)}")
    entries: list[Entry] = []
    for (layer, node), pairs in spans.items():
        for start, end in pairs:
            entries.append(Switch(start, layer, node, True))
            if end is not None:
                entries.append(Switch(end, layer, node, False))
    return entries


def _clause(reason: Exception) -> str:
    text = str(reason)
    return text if text.endswith(".") else text + "."


# -- in a saved run ------------------------------------------------------------------------

def to_list(log: Log) -> list[dict]:
    """The log as JSON data (each value exactly: JSON writes a float's shortest digits)."""
    return [{"at": e.iteration, "weight": [e.layer, e.row, e.col], "value": e.value}
            if isinstance(e, WeightEdit) else
            {"at": e.iteration, "node": [e.layer, e.node], "off": e.off} for e in log]


def from_list(values: object, shape: Sequence[int]) -> Log:
    """The log ``to_list`` wrote, checked; ValueError with a sentence if it is not one."""
    if not isinstance(values, list) or len(values) > MAX_EDITS:
        raise ValueError(f"its hand edits are not a list of at most {MAX_EDITS}")
    names = hidden_names(shape)
    log: Log = ()
    for item in values:
        if not isinstance(item, dict) or not isinstance(item.get("at"), int) or not (
                0 <= item["at"] <= MAX_ITERATION) or (log and item["at"] < log[-1].iteration):
            raise ValueError("a hand edit has no iteration, or they are out of order")
        if "weight" in item and isinstance(item["weight"], list) and len(item["weight"]) == 3:
            check_weight(shape, *item["weight"])
            if isinstance(item.get("value"), bool) or not isinstance(item.get("value"), (int, float)):
                raise ValueError("a weight set by hand has no value")
            log = add(log, WeightEdit(item["at"], *item["weight"], parse_value(item["value"])))
        elif isinstance(item.get("node"), list) and tuple(item["node"]) in set(
                names.values()) and isinstance(item.get("off"), bool):
            log = add(log, Switch(item["at"], *item["node"], item["off"]))
        else:
            raise ValueError("a hand edit is neither a weight set nor a neuron switched")
    return log
