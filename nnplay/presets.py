"""Named starting points: the tutorial's run, a fast XOR, and two lessons."""

from __future__ import annotations

from dataclasses import dataclass

from nnplay.config import RunConfig


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    description: str
    config: RunConfig


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "tutorial", "Tutorial",
            "The tutorial's run: (2, 2, 1), sigmoid everywhere, normal(0.1) weights, sum of "
            "squared errors, gradient descent at 0.2, up to 100,000 iterations. Seed 15 ends "
            "at the tutorial's error of 0.000291.",
            RunConfig(problem="xor", hidden=(2,), activation="sigmoid", output_activation="sigmoid",
                      init="tutorial", loss="sse", optimizer="sgd", learning_rate=0.2, seed=15,
                      min_error=1e-5, max_iterations=100_000),
        ),
        Preset(
            "fast", "Fast XOR",
            "The tutorial's algorithm with four tanh hidden units, Xavier weights and a learning "
            "rate of 2: solves XOR (error below 0.01) from every one of 200 seeds tried, in about "
            "110 iterations.",
            RunConfig(),
        ),
        Preset(
            "stuck", "Stuck XOR",
            "The tutorial's network from seed 0: it settles in a local minimum (error 1.0, every "
            "output 0.5 or so) and never solves XOR. About 1 seed in 7 does this.",
            RunConfig(problem="xor", hidden=(2,), activation="sigmoid", output_activation="sigmoid",
                      init="tutorial", loss="sse", optimizer="sgd", learning_rate=0.2, seed=0,
                      min_error=1e-5, max_iterations=100_000),
        ),
        Preset(
            "and", "AND, no hidden layer",
            "AND is linearly separable: one sigmoid unit with no hidden layer learns it.",
            RunConfig(problem="and", hidden=(), activation="sigmoid", output_activation="sigmoid",
                      init="tutorial", loss="sse", optimizer="sgd", learning_rate=2.0, seed=1,
                      min_error=0.01, max_iterations=5000),
        ),
    )
}
