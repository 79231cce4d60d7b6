"""nnplay: watch a neural network learn.

A numpy back-propagation engine that grows out of the tutorial's
``backPropNN`` (sigmoid units, a bias column, full-batch back propagation),
and a Streamlit playground that draws it. The engine modules import numpy
and the standard library only.

>>> from nnplay import Network, Trainer, datasets
>>> xor = datasets.gate("xor")
>>> net = Network((2, 2, 1), seed=0)
>>> trainer = Trainer(net, xor.X, xor.y, learning_rate=0.2)
>>> error = trainer.step(100)
"""

from nnplay import datasets
from nnplay.activations import ACTIVATIONS
from nnplay.initializers import INITIALIZERS
from nnplay.losses import LOSSES
from nnplay.network import Network
from nnplay.optimizers import OPTIMIZERS
from nnplay.regularizers import REGULARIZERS
from nnplay.training import Divergence, Trainer, TrainerSettings

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "LOSSES",
    "OPTIMIZERS",
    "REGULARIZERS",
    "Divergence",
    "Network",
    "Trainer",
    "TrainerSettings",
    "datasets",
]
