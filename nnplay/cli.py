"""``python -m nnplay``: train from the command line and print the tutorial's log and table."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence

import numpy as np

from nnplay import datasets
from nnplay.activations import HIDDEN_ACTIVATIONS
from nnplay.config import RunConfig
from nnplay.presets import PRESETS
from nnplay.settings import SETTINGS, in_group
from nnplay.training import Trainer


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"4,2"`` -> ``(4, 2)``; ``""`` -> ``()`` (no hidden layer)."""
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"hidden layer sizes are whole numbers separated by commas, like 4,2; got {text!r}"
        ) from None


def parse_activation(text: str) -> str | tuple[str, ...]:
    """``--activation tanh`` for every hidden layer, ``--activation tanh,relu`` one per layer."""
    try:
        return SETTINGS["activation"].parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid choice: {text!r} (choose from {', '.join(HIDDEN_ACTIVATIONS)}, or one per "
            "hidden layer separated by commas, like tanh,relu)") from None


FLAGS = in_group("network", "training")
"""The settings a flag can set: ``--learning-rate`` for ``learning_rate`` and so on."""
TYPES = {"number": float, "whole": int, "sizes": parse_hidden, "choice": str, "batch": int,
         "activations": parse_activation}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nnplay",
        description="Train a network on a logic gate and print the tutorial's log and table.",
    )
    parser.add_argument("--preset", choices=PRESETS, help="start from a preset (flags override it)")
    parser.add_argument("--gate", choices=sorted(datasets.GATES), help="the logic gate to learn")
    for s in FLAGS:
        names = ["--" + s.name.replace("_", "-")] + (["--iterations"] if s.name == "max_iterations"
                                                     else [])
        choices = s.choices if s.kind == "choice" else None
        parser.add_argument(*names, dest=s.name, type=TYPES[s.kind], choices=choices,
                            help=f"{s.label}: {s.help}" if s.help else s.label)
    parser.add_argument("--every", type=int, default=2500, help="print every N iterations")
    return parser


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The preset (or the defaults) with the given flags on top."""
    config = PRESETS[args.preset].config if args.preset else RunConfig()
    flags = {s.name: getattr(args, s.name) for s in FLAGS}
    flags["problem"] = args.gate
    return dataclasses.replace(config, **{k: v for k, v in flags.items() if v is not None})


def train_and_log(config: RunConfig, every: int, out=None) -> Trainer:
    """The tutorial's loop: ``for i in range(maxIterations + 1)``, printing every ``every``.

    ``i`` counts calls of ``backProp`` from 0, so iteration ``i`` is done when
    the trainer has run ``i + 1`` iterations. ``out`` defaults to the current ``sys.stdout``.
    """
    out = sys.stdout if out is None else out  # looked up now, so redirect_stdout works
    trainer = config.trainer()
    next_print = 0
    while trainer.iteration <= config.max_iterations:
        # One call to the next line to print: the trainer itself stops at min_error.
        goal = min(next_print, config.max_iterations) + 1
        trainer.run(goal - trainer.iteration, config.min_error)
        if trainer.divergence:
            print(trainer.divergence.message, file=out)
            break
        i, error = trainer.iteration - 1, trainer.last_error
        if i == next_print:
            print(f"Iteration {i}\tError: {error:0.6f}", file=out)
            next_print += every
        if error <= config.min_error:
            print(f"Minimum error reached at iteration {i}", file=out)
            break
    return trainer


def print_table(trainer: Trainer, out=None) -> None:
    """The tutorial's closing printout: Input, Output, Target."""
    out = sys.stdout if out is None else out
    outputs = trainer.network.predict(trainer.X)
    inputs = trainer.X.astype(int) if np.all(trainer.X == trainer.X.astype(int)) else trainer.X
    print("Input \tOutput \t\tTarget", file=out)
    for x, o, t in zip(inputs, outputs, trainer.y):
        print(f"{x}\t {o} \t{t}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.every < 1:
        parser.error("--every must be at least 1")
    try:
        config = config_from_args(args)
    except (ValueError, TypeError) as problem:
        parser.error(str(problem))
    print(f"Network {config.shape()} on {config.problem.upper()}, seed {config.seed}", file=sys.stdout)
    trainer = train_and_log(config, args.every)
    print_table(trainer)
    return 0
