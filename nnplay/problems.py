"""The problems a run can learn, by name: the gates, two 3-input functions, any truth
table (``custom:0110``), the 2-D point sets (``set:spiral``) and uploaded points (``csv``)."""

from __future__ import annotations

from nnplay import _checks, datasets

NAMED_PROBLEMS = (*datasets.GATES, "parity3", "majority3")
"""Problems by name: the six gates and two 3-input functions; ``custom:<outputs>`` adds any."""
CUSTOM_PREFIX = "custom:"
SET_PREFIX = "set:"
"""``set:spiral`` and so on: the 2-D point sets (``nnplay.datasets.POINT_SETS``)."""
UPLOADED = "csv"
"""The problem name of points a student uploaded (the data travels beside the config)."""
POINTS_LEARNING_RATE = 0.01
"""The learning rate a point set starts with, where a gate starts with ``RunConfig``'s 2.

The tutorial's loss sums over the examples: a rate that suits four rows of a
truth table is fifty times too large for 200 points (at 2 the plane's
regression diverges and the classes barely move); 0.01 learned every point
set here, with the default network, loss and optimiser, in 1,500 iterations."""
POINTS_TEST_FRACTION = 0.5
"""The share of a point set held out for testing unless asked otherwise (TensorFlow
Playground's default split)."""


def problem_name(problem: str) -> str:
    """A problem's short name for a table or a sentence: ``XOR``, ``parity3``, ``spiral``,
    ``custom 0110``, ``your CSV``."""
    if problem.startswith(SET_PREFIX):
        return problem[len(SET_PREFIX):]
    if problem.startswith(CUSTOM_PREFIX):
        return "custom " + problem[len(CUSTOM_PREFIX):]
    if problem == UPLOADED:
        return "your CSV"
    return problem.upper() if len(problem) <= 4 else problem


def check_problem(problem: object) -> str:
    """Return ``problem`` if it names a problem, else raise saying what a problem is."""
    if isinstance(problem, str) and problem in NAMED_PROBLEMS:
        return problem
    if isinstance(problem, str) and problem.startswith(CUSTOM_PREFIX):
        bits = problem[len(CUSTOM_PREFIX):]
        if len(bits) in (4, 8) and set(bits) <= {"0", "1"}:
            return problem
    if isinstance(problem, str) and (problem == UPLOADED or (
            problem.startswith(SET_PREFIX) and problem[len(SET_PREFIX):] in datasets.POINT_SETS)):
        return problem
    _checks.fail("problem", "a gate (" + ", ".join(datasets.GATES) + "), parity3, majority3, "
                 "custom: followed by the output column in binary counting order, 4 digits 0/1 "
                 "for 2 inputs or 8 for 3 (custom:0110 is XOR), set:<point set> ("
                 + ", ".join(datasets.POINT_SETS) + ") or csv", problem)
    raise AssertionError("unreachable")


def problem_dataset(problem: str, n_points: int = 200, noise: float = 0.0,
                    data_seed: int = 0) -> datasets.Dataset:
    """The data of a checked problem name (point sets drawn with the given size, noise and seed)."""
    if problem.startswith(SET_PREFIX):
        return datasets.points(problem[len(SET_PREFIX):], n_points=n_points, noise=noise,
                               seed=data_seed)
    if problem == UPLOADED:
        raise ValueError("Uploaded points travel beside the configuration: pass them as 'uploaded'.")
    if problem in datasets.GATES:
        return datasets.gate(problem)
    if problem == "parity3":
        return datasets.parity(3)
    if problem == "majority3":
        return datasets.majority(3)
    return datasets.truth_table([int(b) for b in problem[len(CUSTOM_PREFIX):]], name=problem)
