"""The pictures of one student's run, as SVG: its decision surface and its weights.

Pure builders over a ``Playground`` (``nnplay.views.charts`` draws): the page
draws them for the current network on every frame, and the rewind panel draws
the same pictures of an earlier one, so that the past and the present look
alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nnplay.network import Network
from nnplay.views import charts, live_html

if TYPE_CHECKING:  # the page's state is drawn here, never imported
    from nnplay.app.playground import Playground, TruthRows

WEIGHTS_CAPTION = ("Weights in the tutorial's layout: a row per node of the next layer, a column "
                   "per node of the previous layer, then the bias. Hover for values.")


def surface_svg(p: Playground, network: Network | None = None) -> str:
    """The decision surface of ``network`` (the current one by default): the output, or for
    classes the predicted class, over the inputs, with the training (and test) points."""
    test_points, test_targets = (p.surface_points(p.test) if p.view.show_test and p.test.n_examples
                                 else (None, None))
    points, targets = p.surface_points()
    if p.train.kind == "multiclass":
        xs, ys, outputs = p.class_surface(network)
        return charts.class_surface_svg(
            xs, ys, outputs, points, targets.astype(int), p.class_names, test_points=test_points,
            test_classes=None if test_targets is None else test_targets.astype(int))
    xs, ys, Z = p.surface(network)
    regression = p.train.kind == "regression"
    return charts.surface_svg(xs, ys, Z, points, targets, value_range=p.output_range(),
                              discrete=p.view.discrete and not regression, continuous=regression,
                              test_points=test_points, test_targets=test_targets)


def surface_caption(p: Playground) -> str:
    """What the decision surface shows, in a sentence for the student."""
    if not p.config.is_point_set:
        return ("Decision surface: the output for every input; dots are the truth table "
                "(blue: target 1, orange: 0).")
    test = " Test points have a white outline." if p.test.n_examples and p.view.show_test else ""
    if p.train.kind == "multiclass":
        return f"The class the network picks at every point (paler where it is unsure).{test}"
    if p.train.kind == "regression":
        return f"The output at every point; dots are coloured by their target value.{test}"
    return f"The output at every point; dots are the training points (blue: 1, orange: 0).{test}"


def weights_svg(p: Playground, network: Network | None = None) -> str:
    """The weight matrices of ``network`` (the current one by default) as heatmaps."""
    weights = (network or p.trainer.network).weights
    return charts.weights_svg(weights, p.shape, p.bound, input_labels=p.input_labels)


def truth_html(rows: TruthRows) -> str:
    """The truth table as the tutorial prints it, each row tinted right (blue) or wrong
    (orange)."""
    return live_html.rows_table(
        ["Input", "Output", "Target", "Right?"],
        list(zip(rows.inputs, rows.outputs, rows.targets, rows.marks(), strict=True)),
        row_classes=["right" if ok else "wrong" for ok in rows.right])
