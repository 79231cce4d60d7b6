"""The tutorial's ``backPropNN``, kept as it was written: the oracle nnplay is checked against.

This is the seed tutorial's code with only the indexing its text lost when
it was copied put back (``input.shape[0]``, ``self.weights[0]``), and with
the weights handed in instead of drawn from the global ``np.random`` into a
class-level list (which every instance shared). Everything else, the 3-D
broadcast weight update included, is the tutorial's, so the tests can
compare nnplay with it update by update and the benchmark can time both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def sigmoid(x, Derivative=False):
    if not Derivative:
        return 1 / (1 + np.exp(-x))
    else:
        out = sigmoid(x)
        return out * (1 - out)


class backPropNN:  # noqa: N801 - the tutorial's name
    """Class defining a NN using Back Propagation"""

    def __init__(self, numNodes: Sequence[int], weights: Sequence[np.ndarray]):
        """Initialise the NN - setup the layers and initial weights"""
        # Layer information
        self.numLayers = len(numNodes) - 1
        self.shape = numNodes
        # Instance-level, copied: the tutorial's class-level list was shared.
        self.weights = [np.array(w, dtype=np.float64) for w in weights]
        self._layerInput = []
        self._layerOutput = []

    def FP(self, input):
        """Get the input data and run it through the NN"""
        numExamples = input.shape[0]
        # Clean away the values from the previous layer
        self._layerInput = []
        self._layerOutput = []
        for index in range(self.numLayers):
            # Get input to the layer
            if index == 0:
                layerInput = self.weights[0].dot(np.vstack([input.T, np.ones([1, numExamples])]))
            else:
                layerInput = self.weights[index].dot(
                    np.vstack([self._layerOutput[-1], np.ones([1, numExamples])]))
            self._layerInput.append(layerInput)
            self._layerOutput.append(sigmoid(layerInput))
        return self._layerOutput[-1].T

    def backProp(self, input, target, trainingRate=0.2):
        """Get the error, deltas and back propagate to update the weights"""
        delta = []
        numExamples = input.shape[0]
        # Do the forward pass
        self.FP(input)
        # Calculate the deltas
        for index in reversed(range(self.numLayers)):
            if index == self.numLayers - 1:
                # If the output layer, then compare to the target values
                output_delta = self._layerOutput[index] - target.T
                error = np.sum(output_delta**2)
                delta.append(output_delta * sigmoid(self._layerInput[index], True))
            else:
                # If a hidden layer. compare to the following layer's delta
                delta_pullback = self.weights[index + 1].T.dot(delta[-1])
                delta.append(delta_pullback[:-1, :] * sigmoid(self._layerInput[index], True))
        # Compute weight deltas
        for index in range(self.numLayers):
            delta_index = self.numLayers - 1 - index
            if index == 0:
                layerOutput = np.vstack([input.T, np.ones([1, numExamples])])
            else:
                layerOutput = np.vstack(
                    [self._layerOutput[index - 1],
                     np.ones([1, self._layerOutput[index - 1].shape[1]])])
            thisWeightDelta = np.sum(
                layerOutput[None, :, :].transpose(2, 0, 1)
                * delta[delta_index][None, :, :].transpose(2, 1, 0),
                axis=0)
            weightDelta = trainingRate * thisWeightDelta
            self.weights[index] -= weightDelta
        return error
