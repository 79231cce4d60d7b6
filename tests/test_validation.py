"""Every public entry refuses bad input with a message naming the parameter, the rule and the value."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay import Network, Trainer, TrainerSettings, datasets
from nnplay.batched import train_seeds
from nnplay.config import RunConfig
from nnplay.explain import explain_step

XOR = datasets.gate("xor")
NAN, INF = float("nan"), float("inf")


def net(**kwargs) -> Network:
    return Network((2, 2, 1), seed=0, **kwargs)


def trainer(**kwargs) -> Trainer:
    return Trainer(net(), XOR.X, XOR.y, **kwargs)


def seeds(**kwargs):
    options = {"shape": (2, 2, 1), "seeds": [0, 1], "X": XOR.X, "y": XOR.y, "max_iterations": 5}
    options.update(kwargs)
    return train_seeds(options.pop("shape"), options.pop("seeds"), options.pop("X"),
                       options.pop("y"), **options)


# (call, error type, parameter, what was expected (a phrase of it), what came (its repr))
CASES = {
    # Network
    "shape with a zero": (lambda: Network((2, 0, 1)), ValueError, "shape", "from 1 to 256", "(2, 0, 1)"),
    "shape negative": (lambda: Network((2, -3, 1)), ValueError, "shape", "whole numbers", "(2, -3, 1)"),
    "shape float": (lambda: Network((2, 2.5, 1)), ValueError, "shape", "whole numbers", "(2, 2.5, 1)"),
    "shape one layer": (lambda: Network((2,)), ValueError, "shape", "between 2 and 10", "(2,)"),
    "shape empty": (lambda: Network(()), ValueError, "shape", "between 2 and 10", "()"),
    "shape too wide": (lambda: Network((2, 1000, 1)), ValueError, "shape", "from 1 to 256", "1000"),
    "shape a number": (lambda: Network(3), TypeError, "shape", "sequence of layer sizes", "3"),
    "shape a string": (lambda: Network("2,2,1"), TypeError, "shape", "sequence", "'2,2,1'"),
    "unknown activation": (lambda: net(activation="swish"), ValueError, "activation",
                           "one of 'sigmoid', 'tanh'", "'swish'"),
    "softmax hidden": (lambda: net(activation="softmax"), ValueError, "activation", "'linear'",
                       "'softmax'"),
    "unknown output": (lambda: net(output_activation="step"), ValueError, "output_activation",
                       "'softmax'", "'step'"),
    "unknown init": (lambda: net(init="zeros"), ValueError, "init", "'xavier'", "'zeros'"),
    "negative seed": (lambda: Network((2, 2, 1), seed=-1), ValueError, "seed", "between 0 and", "-1"),
    "float seed": (lambda: Network((2, 2, 1), seed=1.5), TypeError, "seed", "whole number", "1.5"),
    "bool seed": (lambda: Network((2, 2, 1), seed=True), TypeError, "seed", "whole number", "True"),
    # Network methods
    "predict wrong columns": (lambda: net().predict(np.ones((3, 3))), ValueError, "X",
                              "shape (any, 2)", "(3, 3)"),
    "predict 1-d": (lambda: net().predict(np.ones(2)), ValueError, "X", "shape (any, 2)", "(2,)"),
    "set_weights count": (lambda: net().set_weights([np.zeros((2, 3))]), ValueError, "weights",
                          "2 arrays", "'1 arrays'"),
    "set_weights shape": (lambda: net().set_weights([np.zeros((3, 2)), np.zeros((1, 3))]),
                          ValueError, "weights[0]", "shape (2, 3)", "(3, 2)"),
    "set_weights NaN": (lambda: net().set_weights([np.zeros((2, 3)), [[0, NAN, 0]]]), ValueError,
                        "weights[1]", "finite numbers", "NaN"),
    "set_weights words": (lambda: net().set_weights([np.zeros((2, 3)), [["a", "b", "c"]]]),
                          TypeError, "weights[1]", "array of numbers", "'list'"),
    "set_weights None": (lambda: net().set_weights(None), TypeError, "weights", "2 arrays",
                         "'NoneType'"),
    # Trainer
    "trainer network": (lambda: Trainer("net", XOR.X, XOR.y), TypeError, "network",
                        "nnplay.Network", "'str'"),
    "X columns": (lambda: Trainer(Network((3, 2, 1), seed=0), XOR.X, XOR.y), ValueError, "X",
                  "shape (any, 3)", "(4, 2)"),
    "y rows": (lambda: Trainer(net(), XOR.X, XOR.y[:3]), ValueError, "y",
               "one row per example of X (4 rows)", "'3 rows'"),
    "y columns": (lambda: Trainer(net(), XOR.X, np.ones((4, 2))), ValueError, "y",
                  "shape (any, 1)", "(4, 2)"),
    "y 1-d": (lambda: Trainer(net(), XOR.X, np.ones(4)), ValueError, "y", "shape (any, 1)", "(4,)"),
    "X NaN": (lambda: Trainer(net(), [[0, 0], [1, NAN], [0, 1], [1, 0]], XOR.y), ValueError, "X",
              "finite", "NaN"),
    "X text": (lambda: Trainer(net(), "abcd", XOR.y), TypeError, "X", "array of numbers", "'str'"),
    "X empty": (lambda: Trainer(net(), np.ones((0, 2)), np.ones((0, 1))), ValueError, "X",
                "between 1 and 20000 examples", "'0 examples'"),
    "learning rate zero": (lambda: trainer(learning_rate=0), ValueError, "learning_rate",
                           "finite number between 0 and 1e+06", "0.0"),
    "learning rate negative": (lambda: trainer(learning_rate=-0.1), ValueError, "learning_rate",
                               "finite number", "-0.1"),
    "learning rate NaN": (lambda: trainer(learning_rate=NAN), ValueError, "learning_rate",
                          "finite number", "nan"),
    "learning rate inf": (lambda: trainer(learning_rate=INF), ValueError, "learning_rate",
                          "finite number", "inf"),
    "learning rate text": (lambda: trainer(learning_rate="0.2"), TypeError, "learning_rate",
                           "a number", "'0.2'"),
    "unknown loss": (lambda: trainer(loss="hinge"), ValueError, "loss", "'cross_entropy'", "'hinge'"),
    "unknown optimizer": (lambda: trainer(optimizer="adadelta"), ValueError, "optimizer", "'adam'",
                          "'adadelta'"),
    "momentum too big": (lambda: trainer(momentum=1.5), ValueError, "momentum",
                         "between 0 and 0.999", "1.5"),
    "batch larger than data": (lambda: trainer(batch_size=5), ValueError, "batch_size",
                               "at most the number of examples (4)", "5"),
    "batch zero": (lambda: trainer(batch_size=0), ValueError, "batch_size", "at least 1", "0"),
    "batch float": (lambda: trainer(batch_size=2.0), TypeError, "batch_size", "whole number", "2.0"),
    "unknown regularization": (lambda: trainer(regularization="l3"), ValueError, "regularization",
                               "'l2'", "'l3'"),
    "negative regularization rate": (lambda: trainer(regularization_rate=-1), ValueError,
                                     "regularization_rate", "between 0 and 10", "-1.0"),
    "shuffle seed": (lambda: trainer(shuffle_seed=-5), ValueError, "shuffle_seed", "between 0",
                     "-5"),
    "history capacity": (lambda: trainer(history_capacity="big"), TypeError, "history_capacity",
                         "whole number", "'big'"),
    "snapshot capacity": (lambda: trainer(snapshot_capacity=1), ValueError, "snapshot_capacity",
                          "at least 2", "1"),
    # Trainer methods
    "step zero": (lambda: trainer().step(0), ValueError, "n", "at least 1", "0"),
    "step float": (lambda: trainer().step(1.5), TypeError, "n", "whole number", "1.5"),
    "step text": (lambda: trainer().step("2"), TypeError, "n", "whole number", "'2'"),
    "run negative": (lambda: trainer().run(-1), ValueError, "max_iterations", "at least 0", "-1"),
    "run min_error negative": (lambda: trainer().run(5, -1.0), ValueError, "min_error",
                               "at least 0", "-1.0"),
    "run min_error NaN": (lambda: trainer().run(5, NAN), ValueError, "min_error", "finite", "nan"),
    "configure learning rate": (lambda: trainer().configure(learning_rate=-1), ValueError,
                                "learning_rate", "finite number", "-1"),
    "configure batch": (lambda: trainer().configure(batch_size=10), ValueError, "batch_size",
                        "at most the number of examples (4)", "10"),
    "restore negative": (lambda: trainer().restore(-1), ValueError, "iteration", "at least 0", "-1"),
    # TrainerSettings
    "settings learning rate": (lambda: TrainerSettings(learning_rate=2e6), ValueError,
                               "learning_rate", "between 0 and 1e+06", "2000000.0"),
    "settings beta2": (lambda: TrainerSettings(beta2=1.0), ValueError, "beta2", "between 0", "1.0"),
    "settings epsilon": (lambda: TrainerSettings(epsilon=0.0), ValueError, "epsilon", "between 0",
                         "0.0"),
    "settings loss": (lambda: TrainerSettings(loss=None), ValueError, "loss", "'sse'", "None"),
    # RunConfig
    "config problem": (lambda: RunConfig(problem="xand"), ValueError, "problem", "xnor", "'xand'"),
    "config hidden zero": (lambda: RunConfig(hidden=(0,)), ValueError, "hidden",
                           "between 1 and 16", "0"),
    "config hidden number": (lambda: RunConfig(hidden=4), TypeError, "hidden", "sequence", "4"),
    "config hidden too many": (lambda: RunConfig(hidden=(2,) * 7), ValueError, "hidden",
                               "at most 6 hidden layers", "(2, 2, 2, 2, 2, 2, 2)"),
    "config activation": (lambda: RunConfig(activation="gelu"), ValueError, "activation", "'tanh'",
                          "'gelu'"),
    "config learning rate": (lambda: RunConfig(learning_rate=0.0), ValueError, "learning_rate",
                             "finite number", "0.0"),
    "config seed": (lambda: RunConfig(seed=-2), ValueError, "seed", "between 0 and", "-2"),
    "config iterations": (lambda: RunConfig(max_iterations=0), ValueError, "max_iterations",
                          "between 1 and 10000000", "0"),
    "config min_error": (lambda: RunConfig(min_error=INF), ValueError, "min_error", "finite", "inf"),
    # train_seeds
    "seeds empty": (lambda: seeds(seeds=[]), ValueError, "seeds", "between 1 and 2000 seeds", "0"),
    "seeds negative": (lambda: seeds(seeds=[1, -1]), ValueError, "seeds", "between 0 and", "-1"),
    "seeds not a list": (lambda: seeds(seeds=5), TypeError, "seeds", "sequence of whole numbers",
                         "5"),
    "seeds text": (lambda: seeds(seeds=["a"]), TypeError, "seeds", "whole number", "'a'"),
    "seeds shape": (lambda: seeds(shape=(2, 0, 1)), ValueError, "shape", "from 1 to 256", "(2, 0, 1)"),
    "seeds activation": (lambda: seeds(activation="softmax"), ValueError, "activation", "'relu'",
                         "'softmax'"),
    "seeds init": (lambda: seeds(init="ones"), ValueError, "init", "'he'", "'ones'"),
    "seeds X": (lambda: seeds(X=np.ones((4, 3))), ValueError, "X", "shape (any, 2)", "(4, 3)"),
    "seeds y": (lambda: seeds(y=np.ones((5, 1))), ValueError, "y", "one row per example", "'5 rows'"),
    "seeds iterations": (lambda: seeds(max_iterations=-1), ValueError, "max_iterations",
                         "at least 0", "-1"),
    "seeds min_error": (lambda: seeds(min_error=-0.5), ValueError, "min_error", "at least 0", "-0.5"),
    "seeds curve points": (lambda: seeds(curve_points=0), ValueError, "curve_points", "at least 1",
                           "0"),
    "seeds learning rate": (lambda: seeds(learning_rate=NAN), ValueError, "learning_rate",
                            "finite", "nan"),
    "seeds batch larger": (lambda: seeds(batch_size=9), ValueError, "batch_size",
                           "at most the number of examples (4)", "9"),
    # explain_step
    "explain network": (lambda: explain_step(None, XOR.X, XOR.y), TypeError, "network",
                        "nnplay.Network", "'NoneType'"),
    "explain loss": (lambda: explain_step(net(), XOR.X, XOR.y, loss="l1"), ValueError, "loss",
                     "'mse'", "'l1'"),
    # 0 is a warm-up's first η; below it is refused.
    "explain learning rate": (lambda: explain_step(net(), XOR.X, XOR.y, learning_rate=-0.1),
                              ValueError, "learning_rate", "of at least 0", "-0.1"),
    "explain X": (lambda: explain_step(net(), XOR.X[:, :1], XOR.y), ValueError, "X",
                  "shape (any, 2)", "(4, 1)"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_names_the_parameter_the_rule_and_the_value(case):
    call, error, parameter, expected, got = CASES[case]
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    assert f"The '{parameter}' parameter must be" in message
    rule, _, came = message.partition(" Got ")
    assert expected in rule, message
    assert came.endswith(" instead.") and got in came, message


# Rules that involve two settings at once speak in a sentence of their own.
PAIRS = {
    "cross-entropy with tanh": (lambda: Trainer(net(output_activation="tanh"), XOR.X, XOR.y,
                                                loss="cross_entropy"), ["sigmoid or softmax", "'tanh'"]),
    "cross-entropy with linear, configure": (
        lambda: Trainer(net(output_activation="linear"), XOR.X, XOR.y).configure(
            loss="cross_entropy"), ["sigmoid or softmax", "'linear'"]),
    "softmax with sse": (lambda: Trainer(Network((2, 3, 2), output_activation="softmax", seed=0),
                                         XOR.X, np.eye(2)[[0, 0, 1, 1]]), ["softmax", "'sse'"]),
    "config cross-entropy tanh": (lambda: RunConfig(output_activation="tanh", loss="cross_entropy"),
                                  ["sigmoid or softmax", "'tanh'"]),
    "seeds cross-entropy relu": (lambda: seeds(output_activation="relu", loss="cross_entropy"),
                                 ["sigmoid or softmax", "'relu'"]),
    "explain softmax mse": (lambda: explain_step(Network((2, 2), output_activation="softmax", seed=0),
                                                 XOR.X, np.eye(2)[[0, 0, 1, 1]], loss="mse"),
                            ["softmax", "'mse'"]),
}


@pytest.mark.parametrize("case", PAIRS)
def test_incompatible_choices_say_which_and_why(case):
    call, words = PAIRS[case]
    with pytest.raises(ValueError) as caught:
        call()
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("call", [
    lambda: trainer(lr=0.1),
    lambda: trainer().configure(learning_rat=0.1),
    lambda: seeds(epochs=3),
    lambda: TrainerSettings().replace(speed=2),
])
def test_unknown_settings_are_named(call):
    with pytest.raises(TypeError, match=r"Unknown training setting\(s\): (lr|learning_rat|epochs|speed)\."):
        call()


def test_a_refused_configure_changes_nothing():
    t = trainer()
    t.step(3)
    before = t.settings
    with pytest.raises(ValueError):
        t.configure(learning_rate=0.5, loss="cross_entropy", batch_size=99)
    assert t.settings == before
