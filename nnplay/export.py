"""Show me the code: a run written out as a standalone numpy script, in the tutorial's style.

``script_for(config)`` returns the text of a Python script that imports only
numpy and does what nnplay does for ``config``: the tutorial's ``backPropNN``
class (``FP``, ``backProp``, the bias row), the transfer functions, error
and update rule the run uses, the same initial weights
(``np.random.default_rng(seed)``, drawn layer by layer as in
``nnplay.initializers``), the same data and the tutorial's loop. Running it
prints the tutorial's log, the final error and the Input/Output/Target
table: the numbers the page shows, to about nine significant digits (a
matrix product may add in another order, nothing else differs).

Only the pieces the run needs are written (input features, mini-batches, a
weight penalty, a test set appear only when the run has them), so a student
reads no code that does not matter to their run.
"""

from __future__ import annotations

import re
import textwrap

import numpy as np

from nnplay import _checks
from nnplay.activations import ACTIVATIONS, LEAKY_SLOPE
from nnplay.config import DEFAULT_FEATURES, RunConfig
from nnplay.datasets import Dataset
from nnplay.features import feature_labels
from nnplay.losses import LOSSES
from nnplay.network import hidden_activations
from nnplay.optimizers import Hyperparameters
from nnplay.problems import CUSTOM_PREFIX, SET_PREFIX, UPLOADED
from nnplay.regularizers import REGULARIZERS
from nnplay.settings import SETTINGS
from nnplay.training import TrainerSettings

PRINT_EVERY = 2500
"""The tutorial prints a line every 2,500 iterations."""
TABLE_PRECISION = 12
"""Decimals the script prints in its table: enough to compare with nnplay digit by digit."""
FULL_TABLE_ROWS = 16
"""Data with more rows than this print only the first ``SHOWN_ROWS`` of the table."""
SHOWN_ROWS = 10
ADAM = Hyperparameters()
SHUFFLE_SEED = TrainerSettings().shuffle_seed

# -- transfer functions, in the tutorial's sigmoid(x, Derivative=False) form ---------------

TRANSFER_FUNCTIONS = {
    "sigmoid": '''
def sigmoid(x, Derivative=False):
    """The sigmoid 1 / (1 + e^-x), or its derivative sigmoid(x) * (1 - sigmoid(x))"""
    if not Derivative:
        return 1 / (1 + np.exp(-x))
    else:
        out = sigmoid(x)
        return out * (1 - out)
''',
    "tanh": '''
def tanh(x, Derivative=False):
    """The hyperbolic tangent, or its derivative 1 - tanh(x)^2"""
    if not Derivative:
        return np.tanh(x)
    else:
        out = np.tanh(x)
        return 1 - out * out
''',
    "relu": '''
def relu(x, Derivative=False):
    """The rectified linear unit max(0, x), or its derivative: 1 where x > 0, else 0"""
    if not Derivative:
        return np.maximum(x, 0)
    else:
        return (x > 0) * 1.0
''',
    "leaky_relu": f'''
def leaky_relu(x, Derivative=False):
    """The leaky ReLU max({LEAKY_SLOPE}x, x), or its derivative: 1 where x > 0, else {LEAKY_SLOPE}"""
    if not Derivative:
        return np.maximum(x, {LEAKY_SLOPE} * x)
    else:
        return np.where(x > 0, 1.0, {LEAKY_SLOPE})
''',
    "linear": '''
def linear(x, Derivative=False):
    """No transfer at all: f(x) = x, whose derivative is 1"""
    if not Derivative:
        return x
    else:
        return np.ones_like(x)
''',
    "softmax": '''
def softmax(x, Derivative=False):
    """The softmax over each column (one example): e^x / (sum of e^x over the nodes),
    shifted by the column's largest x first so that e^x cannot overflow"""
    if Derivative:
        raise ValueError("Trained with cross-entropy, a softmax output needs no derivative")
    out = np.exp(x - x.max(axis=0, keepdims=True))
    return out / out.sum(axis=0, keepdims=True)
''',
}

# -- initial weights: the same draws as nnplay.initializers --------------------------------

INITIAL_WEIGHTS = {
    "tutorial": """\
# The tutorial's: normal numbers with scale 0.1, the bias weight included.
for (l1, l2) in zip(numNodes[:-1], numNodes[1:]):
    self.weights.append(rng.normal(scale=0.1, size=(l2, l1 + 1)))""",
    "xavier": """\
# Xavier (Glorot): normal numbers with scale sqrt(2 / (l1 + l2)); bias weights 0.
for (l1, l2) in zip(numNodes[:-1], numNodes[1:]):
    weights = rng.normal(scale=np.sqrt(2.0 / (l1 + l2)), size=(l2, l1))
    self.weights.append(np.hstack([weights, np.zeros((l2, 1))]))""",
    "he": """\
# He: normal numbers with scale sqrt(2 / l1); bias weights 0.
for (l1, l2) in zip(numNodes[:-1], numNodes[1:]):
    weights = rng.normal(scale=np.sqrt(2.0 / l1), size=(l2, l1))
    self.weights.append(np.hstack([weights, np.zeros((l2, 1))]))""",
    "uniform": """\
# Uniform: weights between -0.5 and 0.5; bias weights 0.1.
for (l1, l2) in zip(numNodes[:-1], numNodes[1:]):
    weights = rng.uniform(-0.5, 0.5, size=(l2, l1))
    self.weights.append(np.hstack([weights, np.full((l2, 1), 0.1)]))""",
}

# -- the error at the output layer (index), and the output layer's delta ---------------------

ERRORS = {
    "sse": """\
# The tutorial's error: the sum of the squared differences (no factor 2).
output_delta = self._layerOutput[index] - target.T
error = np.sum(output_delta**2)""",
    "mse": """\
# Mean squared error: the squared differences averaged over every output of every example.
output_delta = self._layerOutput[index] - target.T
numValues = output_delta.size
error = np.sum(output_delta**2) / numValues""",
    "cross_entropy": """\
# Cross-entropy, averaged over the examples: -mean(T log(O) + (1 - T) log(1 - O)),
# written with the layer input x so that an output of exactly 0 or 1 (it happens
# in floating point) never takes log(0).
x = self._layerInput[index]
T = target.T
error = np.sum(np.maximum(x, 0) - x * T + np.log1p(np.exp(-np.abs(x)))) / numExamples""",
    "cross_entropy_softmax": """\
# Cross-entropy, averaged over the examples: -mean(sum of T log(O)), written
# with the layer input x: log(O) = x - log(sum of e^x), the sum shifted by its
# largest x.
x = self._layerInput[index]
T = target.T
shift = x.max(axis=0, keepdims=True)
logSum = np.log(np.exp(x - shift).sum(axis=0, keepdims=True)) + shift
error = np.sum(T * (logSum - x)) / numExamples""",
}

OUTPUT_DELTAS = {
    "sse": "delta.append(output_delta * {derivative})",
    "mse": ("# Its gradient carries a factor 2 / numValues\n"
            "delta.append(output_delta * (2.0 / numValues) * {derivative})"),
    "cross_entropy": ("# With a sigmoid or softmax output the transfer function's derivative cancels"
                      "\n# out: the delta is simply (output - target), averaged like the error.\n"
                      "delta.append((self._layerOutput[index] - T) / numExamples)"),
}

# -- update rules: slots made in __init__, then the change of one layer's weights --------

OPTIMIZER_SLOTS = {
    "sgd": "",
    "momentum": """
# Momentum: one velocity per weight, starting at rest.
self.velocity = [np.zeros_like(w) for w in self.weights]
""",
    "nesterov": """
# Nesterov momentum: one velocity per weight, starting at rest.
self.velocity = [np.zeros_like(w) for w in self.weights]
""",
    "rmsprop": """
# RMSprop: a running average of each weight's squared gradient, starting at zero.
self.meanSquare = [np.zeros_like(w) for w in self.weights]
""",
    "adagrad": """
# Adagrad: the sum of each weight's squared gradients, starting at 0.1.
self.sumOfSquares = [np.full_like(w, 0.1) for w in self.weights]
""",
    "adam": """
# Adam: running averages of each weight's gradient (m) and of its square (v),
# both starting at zero, and the number of steps taken.
self.m = [np.zeros_like(w) for w in self.weights]
self.v = [np.zeros_like(w) for w in self.weights]
self.steps = 0
""",
}

UPDATES = {
    "sgd": """\
# Gradient descent: a step of trainingRate against the gradient.
weightDelta = trainingRate * thisWeightDelta
self.weights[index] -= weightDelta""",
    "momentum": """\
# Momentum: the velocity keeps a fraction of its last step and adds this one,
# so the weights keep rolling the way they have been going.
self.velocity[index] *= momentum
self.velocity[index] -= trainingRate * thisWeightDelta
self.weights[index] += self.velocity[index]""",
    "nesterov": """\
# Nesterov momentum: the velocity as for momentum, but the weights take the step
# the velocity is about to make (one step of it ahead) instead of the last one.
self.velocity[index] *= momentum
self.velocity[index] -= trainingRate * thisWeightDelta
self.weights[index] += momentum * self.velocity[index] - trainingRate * thisWeightDelta""",
    "rmsprop": """\
# RMSprop: divide each weight's step by the root of a running average of its
# squared gradient, so that every weight moves about trainingRate per step.
self.meanSquare[index] *= 0.9
self.meanSquare[index] += (1 - 0.9) * thisWeightDelta * thisWeightDelta
self.weights[index] -= trainingRate * thisWeightDelta / np.sqrt(self.meanSquare[index] + 1e-08)""",
    "adagrad": """\
# Adagrad: divide each weight's step by the root of the sum of all its squared
# gradients so far: weights that have moved a lot slow down.
self.sumOfSquares[index] += thisWeightDelta * thisWeightDelta
self.weights[index] -= trainingRate * thisWeightDelta / np.sqrt(self.sumOfSquares[index] + 1e-07)""",
    "adam": """\
# Adam: update the running averages, correct them for starting at zero, and
# give every weight a step of about trainingRate in the gradient's direction.
self.m[index] *= beta1
self.m[index] += (1 - beta1) * thisWeightDelta
self.v[index] *= beta2
self.v[index] += (1 - beta2) * thisWeightDelta * thisWeightDelta
mHat = self.m[index] / (1 - beta1**self.steps)
vHat = self.v[index] / (1 - beta2**self.steps)
self.weights[index] -= trainingRate * mHat / (np.sqrt(vHat) + epsilon)""",
}

PENALTIES = {
    "l2": """\
# L2 penalty: add penaltyRate * w to the gradient of every weight (the bias column is
# left alone), which pulls each weight towards zero in proportion to its size.
thisWeightDelta[:, :-1] += penaltyRate * self.weights[index][:, :-1]""",
    "l1": """\
# L1 penalty: add penaltyRate * sign(w) to the gradient of every weight (the bias
# column is left alone), which pushes each weight towards zero by the same amount.
thisWeightDelta[:, :-1] += penaltyRate * np.sign(self.weights[index][:, :-1])
before = self.weights[index].copy()""",
}
L1_CLIP = """\
# A weight the step carried across zero stops at exactly zero (as in nnplay and
# TensorFlow Playground) instead of wobbling around zero for ever.
crossed = self.weights[index][:, :-1] * before[:, :-1] < 0
self.weights[index][:, :-1][crossed] = 0.0"""

DROPOUT_FORWARD = """\
        # Dropout, in training passes only: a hidden node's output times its mask (0 if it is
        # dropped for that example, 1 / (1 - dropout) if it is kept)
        if masks is not None and index < self.numLayers - 1:
            self._layerOutput[-1] = self._layerOutput[-1] * masks[index]
"""

EARLY_STOP_SETUP = [
    "def learned(NN):",
    '    """Everything the network has learned (its weights, the update rule\'s memory), copied."""',
    "    return {k: [a.copy() for a in v] if isinstance(v, list) else v for k, v in vars(NN).items()}",
    "",
    "bestTestError, bestIteration, best, bestError = np.inf, 0, learned(NN), None",
]
EARLY_STOP_CHECK = [
    "    # Early stopping: the test error before this iteration's step; if it has not improved",
    "    # for patience iterations, go back to the best weights and stop there.",
    "    testError = NN.error(TestInput, TestTarget)",
    "    if testError < bestTestError:",
    "        bestTestError, bestIteration, best, bestError = testError, i, learned(NN), Error if i else None",
    "    elif i - bestIteration >= patience:",
    "        vars(NN).update(best)",
    '        print("Early stop at iteration {0}: back to iteration {1}".format(i, bestIteration))',
    "        i, Error = bestIteration - 1, bestError",
    "        break",
]
"""The exported loop's early stopping, as ``Trainer`` does it (``patience``)."""

SCHEDULE_CODE = {
    "constant": ["return trainingRate"],
    "step": ["return trainingRate * decayRate ** (i // decaySteps)"],
    "exponential": ["return trainingRate * decayRate ** (i / decaySteps)"],
    "cosine": ["done = min(i, decaySteps) / decaySteps",
               "return trainingRate * ((1.0 - decayFloor) * 0.5 * (1.0 + np.cos(np.pi * done))"
               " + decayFloor)"],
}
"""The body of the script's ``trainingRateAt(i)`` after the warm-up, as ``nnplay.schedules``."""

OPTIMIZER_NAMES = {"sgd": "gradient descent (the tutorial's)", "momentum": "momentum",
                   "nesterov": "Nesterov momentum", "rmsprop": "RMSprop", "adagrad": "Adagrad",
                   "adam": "Adam"}

FEATURE_CODE = {
    "x1": "x1", "x2": "x2", "x1_sq": "x1**2", "x2_sq": "x2**2", "x1_x2": "x1 * x2",
    "sin_x1": "np.sin(x1)", "sin_x2": "np.sin(x2)",
}

BATCH_ROWS = f'''
def batchRows(i, numExamples, batchSize):
    """The rows of iteration i's mini-batch. The examples are shuffled once per pass through
    them (an epoch), by a generator seeded with the pass number, exactly as nnplay does."""
    batchesPerPass = -(-numExamples // batchSize)  # numExamples / batchSize, rounded up
    epoch, batch = divmod(i, batchesPerPass)
    order = np.random.default_rng([{SHUFFLE_SEED}, epoch]).permutation(numExamples)
    return order[batch * batchSize:(batch + 1) * batchSize]
'''


DROPOUT_MASKS = '''
GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # 2^64 divided by the golden ratio


def mix(z):
    """SplitMix64's finaliser: 64 bits in, 64 well-mixed bits out (arithmetic modulo 2^64)"""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def dropoutMasks(seed, i, layerSizes, numExamples, dropout):
    """Iteration i's dropout masks, one (nodes, numExamples) array per hidden layer: 0 where a
    node is dropped for an example, 1 / (1 - dropout) where it is kept. Whether node j of hidden
    layer l is dropped for example e depends on a hash of (seed, i, l, j, e) alone, as in nnplay."""
    masks = []
    with np.errstate(over="ignore"):  # the hash's arithmetic wraps around 2^64 on purpose
        for layer, numLayerNodes in enumerate(layerSizes):
            key = np.array([seed], dtype=np.uint64)
            for counter in (i, layer):
                key = mix(key + np.uint64(counter) * GOLDEN + GOLDEN)
            index = np.arange(1, numLayerNodes * numExamples + 1, dtype=np.uint64)
            uniform = (mix(key + index * GOLDEN) >> np.uint64(11)) * 2.0**-53  # in [0, 1)
            uniform = uniform.reshape(numLayerNodes, numExamples)
            masks.append(np.where(uniform < dropout, 0.0, 1.0 / (1.0 - dropout)))
    return masks
'''


def script_name(config: RunConfig, iterations: int | None = None) -> str:
    """A file name for the script, e.g. ``nnplay_xor_seed1.py`` (``..._250it.py`` to an iteration)."""
    problem = re.sub(r"[^a-z0-9]+", "", config.problem.replace(SET_PREFIX, "").lower())
    suffix = "" if iterations is None else f"_{iterations}it"
    return f"nnplay_{problem}_seed{config.seed}{suffix}.py"


def script_for(config: RunConfig, iterations: int | None = None,
               uploaded: Dataset | None = None) -> str:
    """A standalone numpy script that trains ``config`` as nnplay does and prints the
    tutorial's log, ``Iterations: N<TAB>Final error: E`` and its table: the whole run to the
    stop rule (``iterations`` None, as Play) or exactly ``iterations`` (as Step); ``uploaded``
    holds the points of the problem ``csv``."""
    if not isinstance(config, RunConfig):
        _checks.fail("config", "an nnplay RunConfig", type(config).__name__, TypeError)
    if iterations is not None:
        iterations = _checks.integer("iterations", iterations, 1, int(SETTINGS["max_iterations"].high))
    return _Script(config, iterations, uploaded).text()


class _Script:
    """One script being written: what the run needs, then its sections in order."""

    def __init__(self, config: RunConfig, iterations: int | None, uploaded: Dataset | None):
        self.config, self.iterations = config, iterations
        self.train, self.test = config.split(uploaded)
        self.shape = config.shape(uploaded)
        self.layer_functions = [*hidden_activations(config.activation, len(config.hidden)),
                                config.output_activation]
        self.functions = list(dict.fromkeys(self.layer_functions))
        for name in self.functions:
            if name not in TRANSFER_FUNCTIONS:
                raise ValueError(f"nnplay cannot write a script with the {name!r} activation yet.")
        self.featured = self.train.n_inputs == 2 and config.features != DEFAULT_FEATURES
        batch = config.training_settings(self.train.n_examples)["batch_size"]
        self.batch_size: int | None = batch
        self.penalty = (config.regularization if config.regularization != "none"
                        and config.regularization_rate > 0.0 else None)
        self.has_test = self.test.n_examples > 0
        self.dropout = config.dropout if config.hidden and config.dropout > 0 else None
        self.needs_error = self.batch_size is not None or self.has_test

    def text(self) -> str:
        parts = [self.header(), "import numpy as np\n", self.functions_section(),
                 self.network_section(), self.data_section(), self.train_section(),
                 self.printout_section()]
        return "\n".join(parts)

    # -- the header -------------------------------------------------------------------------

    def header(self) -> str:
        c, n = self.config, self.iterations
        extent = "to the stop rule" if n is None else f"to iteration {n:,}"
        when = ("when Play stops by itself (from iteration 0, after a Reset)" if n is None
                else f"at iteration {n:,} (its Iteration and Error metrics)")
        name = script_name(c, n)
        return (f'"""nnplay\'s run as a standalone numpy script, {extent}.\n\n'
                "Written by nnplay in the style of the tutorial \"A Simple Neural Network - With\n"
                "Numpy in Python\": its backPropNN class with the forward pass FP and the back\n"
                "propagation backProp, set up as this run is:\n\n"
                f"{self.settings()}\n\n"
                f"Run it with:  python {name}    (it needs only numpy:  pip install numpy)\n\n"
                "It prints the tutorial's log, then the number of iterations, the final error and\n"
                "the Input / Output / Target table: what nnplay's page shows\n"
                f'{when}.\n"""\n')

    def settings(self) -> str:
        c, shape = self.config, self.shape
        hidden = (f"hidden layers of {', '.join(map(str, c.hidden))}" if c.hidden
                  else "no hidden layer")
        rows = [("data", _data_description(c, self.train, self.test)),
                ("network (numNodes)", f"{shape}: {shape[0]} inputs, {hidden}, "
                 f"{shape[-1]} output{'s' if shape[-1] > 1 else ''}")]
        if self.featured:
            rows.append(("input features", ", ".join(feature_labels(c.features))))
        if c.hidden:
            rows.append(("hidden layers", ", ".join(ACTIVATIONS[name].label
                                                    for name in self.layer_functions[:-1])))
        if self.dropout:
            rows.append(("dropout", f"{self.dropout:g} of every hidden layer's nodes, in each "
                         "training pass"))
        rows += [
            ("output layer", ACTIVATIONS[c.output_activation].label),
            ("initial weights", f"{c.init}, seed {c.seed}"),
            ("error", LOSSES[c.loss].label),
            ("update rule", f"{OPTIMIZER_NAMES[c.optimizer]}, trainingRate {c.learning_rate:g}"
             + (f", momentum {c.momentum:g}" if SETTINGS["momentum"].means_something(c) else "")
             + (f", β1 {c.beta1:g}, β2 {c.beta2:g}" if c.optimizer == "adam" else "")),
        ]
        if self.batch_size is not None:
            rows.append(("mini-batches", f"{self.batch_size} examples per iteration"))
        if self.penalty:
            rows.append(("weight penalty", f"{REGULARIZERS[self.penalty].label}, rate "
                         f"{c.regularization_rate:g}"))
        if self.iterations is None:
            rows.append(("stops", f"after {c.max_iterations:,} iterations or once the error "
                         f"is <= {c.min_error:g}"))
        else:
            rows.append(("stops", f"after exactly {self.iterations:,} iterations"))
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"    {name:<{width}}  {value}" for name, value in rows)

    # -- functions -----------------------------------------------------------------------------

    def functions_section(self) -> str:
        parts = [_rule("Transfer functions: f(x), or its derivative f'(x) with Derivative=True")
                 + "\n"]
        parts += [TRANSFER_FUNCTIONS[name] for name in self.functions]
        if self.featured:
            parts.append(self.features_function())
        if self.batch_size is not None:
            parts.append(BATCH_ROWS)
        if self.dropout:
            parts.append(DROPOUT_MASKS)
        return "\n".join(parts)

    def features_function(self) -> str:
        labels = ", ".join(feature_labels(self.config.features))
        columns = ", ".join(FEATURE_CODE[name] for name in self.config.features)
        return (f'\ndef features(X):\n'
                f'    """What the network sees of each point (x1, x2): {labels}"""\n'
                f"    x1, x2 = X[:, 0], X[:, 1]\n"
                f"    return np.column_stack([{columns}])\n")

    # -- the class -------------------------------------------------------------------------------

    def network_section(self) -> str:
        methods = [self.init_method()]
        if len(self.functions) > 1:
            methods.append(self.transfer_method())
        methods += [self.forward_method(), self.backprop_method()]
        if self.needs_error:
            methods.append(self.error_method())
        body = "\n".join(textwrap.indent(m, "    ") for m in methods)
        return ("\n" + _rule("The network") + "\n\n"
                "class backPropNN:\n"
                '    """Class defining a NN using Back Propagation"""\n\n' + body)

    def init_method(self) -> str:
        return ('def __init__(self, numNodes, seed):\n'
                '    """Initialise the NN - setup the layers and initial weights"""\n'
                "    # Layer information: the input layer is not counted as a layer\n"
                "    self.numLayers = len(numNodes) - 1\n"
                "    self.shape = numNodes\n\n"
                "    # Initialise the weight arrays: for each pair of layers (l1 nodes -> l2 nodes), a\n"
                "    # (l2, l1 + 1) matrix whose last column is the weight of the bias node (always 1).\n"
                "    # The numbers come from a generator seeded with `seed`, layer by layer, exactly\n"
                "    # as nnplay draws them, so the same seed gives the same network.\n"
                "    # (self.weights belongs to this network: the tutorial's class-level list was\n"
                "    # shared by every network made from the class.)\n"
                "    rng = np.random.default_rng(seed)\n"
                "    self.weights = []\n"
                + textwrap.indent(INITIAL_WEIGHTS[self.config.init], "    ") + "\n"
                + textwrap.indent(OPTIMIZER_SLOTS[self.config.optimizer], "    ")
                + "\n    # Placeholders for the input x_J and output O_J of each layer\n"
                "    self._layerInput = []\n"
                "    self._layerOutput = []\n")

    def transfer_method(self) -> str:
        c = self.config
        if isinstance(c.activation, tuple):  # one per hidden layer
            names = ", ".join(self.layer_functions)
            return ("def transfer(self, index, x, Derivative=False):\n"
                    f'    """The transfer function of layer `index`: {", ".join(c.activation)} '
                    f'(the hidden layers) then {c.output_activation} (output)"""\n'
                    f"    return [{names}][index](x, Derivative)\n")
        return ("def transfer(self, index, x, Derivative=False):\n"
                f'    """The transfer function of layer `index`: {c.activation} (hidden) or '
                f'{c.output_activation} (output)"""\n'
                "    if index == self.numLayers - 1:\n"
                f"        return {c.output_activation}(x, Derivative)\n"
                f"    return {c.activation}(x, Derivative)\n")

    def _transfer(self, x: str, derivative: bool = False) -> str:
        """The call of layer ``index``'s transfer function on ``x`` (its derivative if asked)."""
        tail = ", True" if derivative else ""
        if len(self.functions) == 1:
            return f"{self.functions[0]}({x}{tail})"
        return f"self.transfer(index, {x}{tail})"

    def forward_method(self) -> str:
        return ("# Forward Pass method\n"
                f"def FP(self, input{', masks=None' if self.dropout else ''}):\n"
                '    """Get the input data and run it through the NN"""\n'
                "    numExamples = input.shape[0]\n\n"
                "    # Clean away the values from the previous layer\n"
                "    self._layerInput = []\n"
                "    self._layerOutput = []\n\n"
                "    for index in range(self.numLayers):\n"
                "        # Get input to the layer: its weights times the previous layer's output,\n"
                "        # with a row of ones (the bias node) added at the bottom\n"
                "        if index == 0:\n"
                "            layerInput = self.weights[0].dot("
                "np.vstack([input.T, np.ones([1, numExamples])]))\n"
                "        else:\n"
                "            layerInput = self.weights[index].dot(\n"
                "                np.vstack([self._layerOutput[-1], np.ones([1, numExamples])]))\n\n"
                "        self._layerInput.append(layerInput)\n"
                f"        self._layerOutput.append({self._transfer('layerInput')})\n"
                + (DROPOUT_FORWARD if self.dropout else "") + "\n"
                "    return self._layerOutput[-1].T\n")

    def _error_key(self) -> str:
        c = self.config
        if c.loss == "cross_entropy" and c.output_activation == "softmax":
            return "cross_entropy_softmax"
        return c.loss

    def backprop_method(self) -> str:
        c = self.config
        signature = "def backProp(self, input, target, trainingRate=0.2"
        if SETTINGS["momentum"].means_something(c):
            signature += ", momentum=0.9"
        if c.optimizer == "adam":
            signature += (f", beta1=0.9, beta2=0.999,\n"
                          f"             epsilon={ADAM.epsilon!r}")
        if self.penalty:
            signature += ", penaltyRate=0.0"
        if self.dropout:
            signature += ", masks=None"
        signature += "):"
        output_delta = OUTPUT_DELTAS[c.loss].format(
            derivative=self._transfer("self._layerInput[index]", derivative=True))
        output_block = ("# If the output layer, then compare to the target values.\n"
                        + ERRORS[self._error_key()] + "\n" + output_delta)
        hidden_derivative = self._transfer("self._layerInput[index]", derivative=True)
        pulled_back = f"delta_pullback[:-1, :] * {hidden_derivative}"
        if len(pulled_back) > 70:
            pulled_back = f"delta_pullback[:-1, :]\n{' ' * 13}* {hidden_derivative}"
        hidden_delta = f"delta.append({pulled_back})"
        if self.dropout:
            hidden_delta += ("\n# A node dropped in this pass takes no blame\n"
                             "if masks is not None:\n"
                             "    delta[-1] = delta[-1] * masks[index]")
        update = UPDATES[c.optimizer]
        if self.penalty:
            update = PENALTIES[self.penalty] + "\n\n" + update
            if self.penalty == "l1":
                update += "\n\n" + L1_CLIP
        steps = ("\n    # One more step for Adam's correction of its averages\n"
                 "    self.steps += 1\n" if c.optimizer == "adam" else "")
        return (f"# Back propagation method: one iteration over the examples given\n"
                f"{signature}\n"
                '    """Get the error, deltas and back propagate to update the weights"""\n'
                "    delta = []\n"
                "    numExamples = input.shape[0]\n\n"
                "    # Do the forward pass\n"
                f"    self.FP(input{', masks' if self.dropout else ''})\n\n"
                "    # Calculate the deltas, from the last layer back to the first\n"
                "    for index in reversed(range(self.numLayers)):\n"
                "        if index == self.numLayers - 1:\n"
                + textwrap.indent(output_block, " " * 12) + "\n"
                "        else:\n"
                "            # If a hidden layer, pull back the following layer's delta through its\n"
                "            # weights (dropping the bias row: the bias node has no input to adjust)\n"
                "            delta_pullback = self.weights[index + 1].T.dot(delta[-1])\n"
                + textwrap.indent(hidden_delta, " " * 12) + "\n"
                f"{steps}\n"
                "    # Compute the weight deltas and update the weights\n"
                "    for index in range(self.numLayers):\n"
                "        delta_index = self.numLayers - 1 - index\n\n"
                "        # The output of the previous layer, with its bias row of ones\n"
                "        if index == 0:\n"
                "            layerOutput = np.vstack([input.T, np.ones([1, numExamples])])\n"
                "        else:\n"
                "            layerOutput = np.vstack([self._layerOutput[index - 1], "
                "np.ones([1, numExamples])])\n\n"
                "        # delta times the previous layer's output, summed over the examples. The\n"
                "        # tutorial wrote it as np.sum(layerOutput[None,:,:].transpose(2,0,1) *\n"
                "        # delta[delta_index][None,:,:].transpose(2,1,0), axis=0): one matrix product.\n"
                "        thisWeightDelta = delta[delta_index].dot(layerOutput.T)\n\n"
                + textwrap.indent(update, " " * 8) + "\n\n"
                "    return error\n")

    def error_method(self) -> str:
        masks = ", masks" if self.dropout else ""
        return (f"def error(self, input, target{masks and ', masks=None'}):\n"
                '    """The error over the given examples, leaving the weights as they are"""\n'
                "    numExamples = input.shape[0]\n"
                f"    self.FP(input{masks})\n"
                "    index = self.numLayers - 1\n"
                + textwrap.indent(ERRORS[self._error_key()], "    ") + "\n"
                "    return error\n")

    # -- the data ------------------------------------------------------------------------------

    def data_section(self) -> str:
        c, train = self.config, self.train
        raw = "RawInput" if self.featured else "Input"
        lines = ["\n" + _rule("The data: " + _data_heading(c, train)), ""]
        lines.append(f"{raw} = np.array({_matrix(train.X)})")
        lines.append(f"Target = np.array({_matrix(train.y, whole_numbers=False)})")
        if self.has_test:
            test_raw = "RawTestInput" if self.featured else "TestInput"
            lines += ["", f"# The {self.test.n_examples} examples held out for testing: never "
                      "trained on, only measured",
                      f"{test_raw} = np.array({_matrix(self.test.X)})",
                      f"TestTarget = np.array({_matrix(self.test.y, whole_numbers=False)})"]
        if self.featured:
            lines += ["", "# What the network sees: the features of each point",
                      "Input = features(RawInput)"]
            if self.has_test:
                lines.append("TestInput = features(RawTestInput)")
        return "\n".join(lines) + "\n"

    # -- training --------------------------------------------------------------------------------

    def train_section(self) -> str:
        c = self.config
        if self.iterations is None:
            count, min_error = c.max_iterations, c.min_error
            min_comment = "stop as soon as the error is at or below this"
        else:
            count, min_error = self.iterations, 0.0
            min_comment = f"0: never stop early, run all {count:,} iterations as the page did"
        lines = [_rule("Train"), "",
                 f"NN = backPropNN({self.shape!r}, seed={c.seed})", "",
                 f"trainingRate = {c.learning_rate!r}  # the learning rate η"]
        keywords = ""
        if SETTINGS["momentum"].means_something(c):
            lines.append(f"momentum = {c.momentum!r}  # the share of the last step kept")
            keywords += ", momentum=momentum"
        if c.optimizer == "adam":
            lines.append(f"beta1, beta2 = {c.beta1!r}, {c.beta2!r}  # the shares of Adam's "
                         "running means kept each step")
            keywords += ", beta1=beta1, beta2=beta2"
        if self.penalty:
            lines.append(f"penaltyRate = {c.regularization_rate!r}  # the weight penalty's rate λ")
            keywords += ", penaltyRate=penaltyRate"
        if self.batch_size is not None:
            lines.append(f"batchSize = {self.batch_size}  # examples per iteration, of the "
                         f"{self.train.n_examples} training examples")
        if self.dropout:
            lines.append(f"dropout = {self.dropout!r}  # the share of hidden nodes dropped in "
                         "each training pass")
            keywords += ", masks=masks"
        rate = "trainingRate"
        if c.schedule != "constant" or c.warmup:
            lines += ["", *self._schedule_lines()]
            rate = "trainingRateAt(i)"
        early = bool(c.patience and self.has_test)
        if early:
            lines += ["", f"patience = {c.patience}  # iterations without a better test error "
                      "before stopping", "", *EARLY_STOP_SETUP]
        lines += [f"maxIterations = {count - 1}  # i runs 0, 1, ..., {count - 1}: at most "
                  f"{count:,} iterations, as on the page",
                  f"minError = {float(min_error)!r}  # {min_comment}", "",
                  "for i in range(maxIterations + 1):"]
        if early:
            lines += EARLY_STOP_CHECK
        if self.dropout:
            lines += ["    # This iteration's dropout masks, drawn from the seed and i",
                      f"    masks = dropoutMasks({c.seed}, i, {list(c.hidden)!r}, len(Input), "
                      "dropout)"]
        if self.batch_size is None:
            lines.append(f"    Error = NN.backProp(Input, Target, {rate}{keywords})")
        else:
            lines += ["    # The error on all the training examples before this iteration's step "
                      "(the page's Error),",
                      "    # then a step on this iteration's mini-batch",
                      f"    Error = NN.error(Input, Target{', masks' if self.dropout else ''})",
                      "    rows = batchRows(i, len(Input), batchSize)",
                      f"    NN.backProp(Input[rows], Target[rows], {rate}"
                      + keywords.replace("masks=masks", "masks=[m[:, rows] for m in masks]") + ")"]
        lines += ["    if not np.isfinite(Error):  # the weights overflowed: the page stops here too",
                  '        print("Iteration {0}: the error is {1}, so the learning rate is too large '
                  'for this network. Stopped.".format(i, Error))',
                  "        break",
                  f"    if i % {PRINT_EVERY} == 0:",
                  '        print("Iteration {0}\\tError: {1:0.6f}".format(i, Error))',
                  "    if Error <= minError:",
                  '        print("Minimum error reached at iteration {0}".format(i))',
                  "        break", "",
                  "# i + 1 iterations have run (the page's Iteration metric) and Error is the error",
                  "# measured before the last step (the page's Error metric).",
                  'print("Iterations: {0}\\tFinal error: {1:.15g}".format(i + 1, Error))']
        if self.has_test:
            lines.append('print("Test error: {0:.15g}".format(NN.error(TestInput, TestTarget)))')
        return "\n".join(lines) + "\n"

    def _schedule_lines(self) -> list[str]:
        """``trainingRateAt(i)``: the η of iteration i, as ``nnplay.schedules`` computes it."""
        c = self.config
        lines = [f"decaySteps, decayRate, decayFloor = {c.decay_steps}, {c.decay_rate!r}, "
                 f"{c.decay_floor!r}",
                 f"warmup = {c.warmup}  # iterations in which η climbs from 0", "",
                 "def trainingRateAt(i):",
                 f'    """The learning rate of iteration i: {SETTINGS["schedule"].choice_labels[c.schedule]}'
                 f'{" after a warm-up" if c.warmup else ""}."""',
                 "    if i < warmup:",
                 "        return trainingRate * i / warmup",
                 "    i -= warmup"]
        lines += ["    " + line for line in SCHEDULE_CODE[c.schedule]]
        return lines + [""]

    def printout_section(self) -> str:
        raw = "RawInput" if self.featured else "Input"
        n = self.train.n_examples
        lines = [_rule("The tutorial's printout"), "",
                 "Output = NN.FP(Input)",
                 f"np.set_printoptions(precision={TABLE_PRECISION})  # enough digits to compare "
                 "with nnplay",
                 "print('Input \\tOutput \\t\\tTarget')"]
        if n <= FULL_TABLE_ROWS:
            lines += [f"for i in range({raw}.shape[0]):",
                      f"    print('{{0}}\\t {{1}} \\t{{2}}'.format({raw}[i], Output[i], Target[i]))"]
        else:
            lines += [f"for i in range({SHOWN_ROWS}):  # the first {SHOWN_ROWS} of {n} rows",
                      f"    print('{{0}}\\t {{1}} \\t{{2}}'.format({raw}[i], Output[i], Target[i]))",
                      f"print('... and {{0}} more rows'.format({raw}.shape[0] - {SHOWN_ROWS}))"]
        kind = self.train.kind
        if self.config.is_point_set and kind in ("binary", "multiclass"):
            rule = ("(output >= 0.5)" if kind == "binary" else "(its largest output)")
            test = ("(Output[:, 0] >= 0.5) == (Target[:, 0] >= 0.5)" if kind == "binary"
                    else "Output.argmax(axis=1) == Target.argmax(axis=1)")
            lines += ["", "",
                      "def accuracy(Output, Target):",
                      f'    """The share of points whose predicted class {rule} is their class"""',
                      f"    return np.mean({test})", "", "",
                      'print("Training accuracy: {0:.1%}".format(accuracy(Output, Target)))']
            if self.has_test:
                lines.append('print("Test accuracy: {0:.1%}".format('
                             'accuracy(NN.FP(TestInput), TestTarget)))')
        return "\n".join(lines) + "\n"


def _rule(title: str) -> str:
    """``# -- title ------``: a section heading, 92 characters wide."""
    heading = f"# -- {title} "
    return heading + "-" * max(4, 92 - len(heading))


# -- describing the data ---------------------------------------------------------------------

def _problem_title(config: RunConfig) -> str:
    problem = config.problem
    if problem.startswith(SET_PREFIX):
        return f"The {problem[len(SET_PREFIX):]} point set"
    if problem == UPLOADED:
        return "Your uploaded points"
    if problem.startswith(CUSTOM_PREFIX):
        return f"Your truth table {problem[len(CUSTOM_PREFIX):]}"
    return problem.upper() if len(problem) <= 4 else problem


def _data_description(config: RunConfig, train: Dataset, test: Dataset) -> str:
    if not config.is_point_set:
        return f"the {_problem_title(config)} truth table ({train.n_examples} rows)"
    held = f", {test.n_examples} held out for testing" if test.n_examples else ""
    if config.problem == UPLOADED:
        return f"your {train.n_examples + test.n_examples} uploaded points{held}"
    return (f"{config.n_points} points of the {config.problem[len(SET_PREFIX):]} set, noise "
            f"{config.noise:g}, data seed {config.data_seed}{held}")


def _data_heading(config: RunConfig, train: Dataset) -> str:
    if not config.is_point_set:
        order = ", in the tutorial's row order" if config.problem in ("xor", "and", "or", "nand",
                                                                      "nor", "xnor") else ""
        return f"the {_problem_title(config)} truth table{order}"
    return f"the {train.n_examples} training examples, as nnplay drew them"


def _matrix(array: np.ndarray, whole_numbers: bool = True) -> str:
    """A matrix as a Python literal, a row a line when there are many rows. Whole numbers are
    written as ints if ``whole_numbers`` (inputs such as [0, 1]); the rest exactly (repr)."""
    as_int = whole_numbers and bool(np.all(array == np.round(array))) and bool(
        np.all(np.abs(array) < 2**53))
    rows = [[int(v) for v in row] if as_int else [float(v) for v in row] for row in array]
    if len(rows) <= FULL_TABLE_ROWS:
        return repr(rows)
    return "[\n" + "".join(f"    {row!r},\n" for row in rows) + "]"
