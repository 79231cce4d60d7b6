"""What the back-propagation panel shows: one iteration opened up, equations beside numbers.

``build(trainer, example)`` runs ``nnplay.explain.explain_step`` on the
trainer's current weights and turns its arrays into what a student reads:

- the forward pass, first layer first: ``x_J = W_IJ O_I`` and ``O_J = f(x_J)``;
- the error;
- back propagation, output layer first: ``δ``, ``ΔW = δ_J O_I^T``, ``-η ΔW`` and
  the new weights;
- whether pressing Step will give exactly those new weights, and if not, why.

Layers are named with the tutorial's letters (``I`` the inputs, then ``J``,
``K``, ...), nodes with the page's names (``x1``, ``h1``, ``out``, ``bias``)
and examples by their input (``0 1``). Tables hold text with 4 significant
digits; the new weights also come at full precision (``code``), to check
against Step or paste into the tutorial's code. Nothing here imports
streamlit: ``ui/lab_backprop.py`` only places these on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nnplay.activations import ACTIVATIONS
from nnplay.explain import BackpropStep, LayerStep, explain_step
from nnplay.losses import LOSSES
from nnplay.optimizers import OPTIMIZERS
from nnplay.regularizers import REGULARIZERS
from nnplay.settings import SETTINGS
from nnplay.training import Trainer
from nnplay.views.colors import diverging_hex
from nnplay.views.figures import layer_titles, node_labels

LETTERS = "IJKLMNPQ"
"""The tutorial's layer names I, J, K, ... (O is skipped: it is the symbol of an output)."""
MAX_NODES_SHOWN = 8
"""A table shows at most this many nodes a side (the bias kept); the rest becomes ``⋯``."""
ALL_EXAMPLES = "All examples (the tutorial's batch)"
MORE = "⋯"
BIAS = "bias"
DROPPED = "(dropped)"
_DROPPED = ' class="nnx-dropped"'
PALE = "#ffffff"
CSS = """<style>
.nnx-row {display: flex; flex-wrap: wrap; gap: 0.4rem 1.6rem; align-items: flex-start;
          margin-bottom: 0.8rem;}
.nnx-row figure {margin: 0;}
.nnx-row figcaption {font-size: 0.9rem; margin-bottom: 0.15rem;}
.nnx-row table {border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums;}
.nnx-row th, .nnx-row td {border: 1px solid #dde1e7; padding: 0.1rem 0.45rem; white-space: nowrap;}
.nnx-row td {text-align: right; color: #1f2430;}
.nnx-row th {font-weight: 600; background: #f1f3f6; text-align: center;}
.nnx-row th.nnx-dropped {text-decoration: line-through; color: #8a8f98;}
.nnx-note {font-size: 0.8rem; color: #6b7280;}
</style>"""
"""The style of the panel's tables: put on the page once."""
_HALF = 50
_PALETTE = diverging_hex(np.linspace(-1.0, 1.0, 2 * _HALF + 1), 1.0)
"""101 tints from most negative to most positive: a lookup is far quicker than a colour per cell."""


@dataclass(frozen=True)
class Table:
    """One matrix as a student reads it: its name, a few words, labelled numbers, tinted cells."""

    name: str
    """HTML, e.g. ``x<sub>J</sub>``."""
    words: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    """The numbers as text, 4 significant digits; ``⋯`` where a large matrix leaves some out."""
    tints: tuple[tuple[str, ...], ...]
    """Each cell's background: orange negative, blue positive, paler nearer 0."""
    hidden_rows: int = 0
    """Rows left out (shown as one ``⋯`` row) because the matrix is large."""
    hidden_columns: int = 0

    @property
    def note(self) -> str | None:
        """Says what a large matrix leaves out, or None when every value is shown."""
        parts = [f"{n} {what}" for n, what in ((self.hidden_rows, "rows"),
                                               (self.hidden_columns, "columns")) if n]
        return f"{' and '.join(parts)} not shown (⋯)" if parts else None

    @property
    def frame(self) -> pd.DataFrame:
        """The table as text in a DataFrame, labelled like the page shows it."""
        return pd.DataFrame(list(self.cells), index=list(self.rows), columns=list(self.columns),
                            dtype=object)

    def html(self) -> str:
        """A small HTML table (styled by ``CSS``), caption and note included."""
        head = "".join(f"<th>{c}</th>" for c in self.columns)
        body = "".join(
            f"<tr><th{_DROPPED if r.endswith(DROPPED) else ''}>{r}</th>"
            + "".join(f'<td style="background:{t}">{c}</td>' for c, t in zip(cells, tints))
            + "</tr>"
            for r, cells, tints in zip(self.rows, self.cells, self.tints))
        note = f'<div class="nnx-note">{self.note}</div>' if self.note else ""
        return (f'<figure><figcaption><b>{self.name}</b> · {self.words}</figcaption>'
                f"<table><tr><th></th>{head}</tr>{body}</table>{note}</figure>")


@dataclass(frozen=True)
class Equation:
    """One step of the calculation: the equation, what it means, and its matrices side by side."""

    latex: str
    text: str
    """A sentence saying what it means: Markdown with inline LaTeX (``$x_J$``)."""
    tables: tuple[Table, ...]

    def html(self) -> str:
        """The equation's tables side by side (they wrap on a narrow screen)."""
        return '<div class="nnx-row">' + "".join(t.html() for t in self.tables) + "</div>"


@dataclass(frozen=True)
class Section:
    """The equations of one weight matrix ``W_IJ`` in one pass (forward or backward)."""

    title: str
    """Markdown with inline LaTeX, e.g. ``W1: x → h · weights $W_{IJ}$, ...``."""
    equations: tuple[Equation, ...]
    expanded: bool
    """Whether the section starts open."""


@dataclass(frozen=True)
class Claim:
    """What Step will do compared with the new weights shown (``kind`` as in ``st.<kind>``)."""

    kind: str
    message: str
    exact: bool
    """True when Step gives exactly the new weights shown, bit for bit."""


@dataclass(frozen=True)
class Explanation:
    """Everything the panel shows for one iteration."""

    step: BackpropStep
    forward: tuple[Section, ...]
    """First layer first."""
    error: Equation
    backward: tuple[Section, ...]
    """Output layer first: back propagation goes backwards."""
    claim: Claim
    loss_note: str | None
    """What the loss changes compared with the tutorial's, or None for the tutorial's loss."""
    code: str
    """The new weights at full precision, as Python (every float round-trips exactly)."""
    dropout_note: str | None = None
    """Which nodes this step's dropout masks drop, or None without dropout."""

    @property
    def new_weights(self) -> list[np.ndarray]:
        return [layer.new_W for layer in self.step.layers]

    @property
    def truncated(self) -> bool:
        """True when some table leaves values out."""
        sections = self.forward + self.backward
        tables = [t for s in sections for e in s.equations for t in e.tables] + list(self.error.tables)
        return any(t.note for t in tables)


# -- the examples --------------------------------------------------------------------

def example_names(X: np.ndarray) -> list[str]:
    """Each example named by its input, as in the truth table: ``0 1``."""
    return [" ".join(f"{v:g}" for v in row) for row in X]


def example_options(X: np.ndarray) -> list[str]:
    """The panel's choices: the whole batch, then one entry per truth-table row."""
    return [ALL_EXAMPLES] + [f"Input {name}" for name in example_names(X)]


def example_index(choice: str, X: np.ndarray) -> int | None:
    """The row of ``X`` that ``choice`` names, or None for the whole batch (or an unknown choice)."""
    options = example_options(X)
    return options.index(choice) - 1 if choice in options[1:] else None


# -- numbers as text -----------------------------------------------------------------

def number(value: float) -> str:
    """4 significant digits; ``-0`` shown as ``0`` (a ReLU's slope times a negative number)."""
    return f"{float(value) + 0.0:.4g}"


def _kept(count: int, limit: int | None, keep_last: bool) -> tuple[list[int | None], int]:
    """Indices to show (None marks the ``⋯`` gap) and how many are left out.

    A bias row or column (``keep_last``) is always kept: it is the tutorial's point.
    """
    if limit is None or count <= limit + keep_last:
        return list(range(count)), 0
    head = list(range(limit))
    tail = [count - 1] if keep_last else []
    return head + [None] + tail, count - limit - keep_last


def table(
    name: str,
    words: str,
    values: np.ndarray,
    rows: Sequence[str],
    columns: Sequence[str],
    limit: int | None = MAX_NODES_SHOWN,
) -> Table:
    """``values`` ``(len(rows), len(columns))`` as a labelled table of text.

    With ``limit``, at most ``limit`` node rows and columns are shown (a last
    ``bias`` row or column is kept) and one ``⋯`` row or column marks the rest.
    Cells are tinted on a scale twice the largest value, so the text stays readable.
    """
    values = np.asarray(values, dtype=float)
    row_keep, hidden_rows = _kept(len(rows), limit, rows[-1].startswith(BIAS))
    col_keep, hidden_columns = _kept(len(columns), limit, columns[-1].startswith(BIAS))
    finite = np.abs(values[np.isfinite(values)])
    bound = 2.0 * float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    shown = values[np.ix_([i for i in row_keep if i is not None],
                          [j for j in col_keep if j is not None])]
    steps = np.rint((np.clip(np.nan_to_num(shown) / bound, -1.0, 1.0) + 1.0) * _HALF).astype(int)
    hexes = iter([_PALETTE[s] for s in steps.ravel().tolist()])
    cells = tuple(tuple(MORE if i is None or j is None else number(values[i, j]) for j in col_keep)
                  for i in row_keep)
    # The tints of the shown cells, row by row: in the order they are read here.
    shown_tints = tuple(tuple(PALE if i is None or j is None else next(hexes) for j in col_keep)
                        for i in row_keep)
    return Table(name, words, tuple(MORE if i is None else rows[i] for i in row_keep),
                 tuple(MORE if j is None else columns[j] for j in col_keep), cells, shown_tints,
                 hidden_rows, hidden_columns)


# -- the panel's content -------------------------------------------------------------

def letters(shape: Sequence[int]) -> list[str]:
    """The tutorial's name of each layer, inputs first: ``I, J, K`` for ``(2, 4, 1)``."""
    return list(LETTERS[:len(shape)])


def build(trainer: Trainer, example: int | None = None, limit: int | None = MAX_NODES_SHOWN) -> Explanation:
    """One iteration of back propagation on ``trainer``'s current weights, ready to show.

    ``example`` is a row of ``trainer.X`` to follow alone, or None for the
    whole batch (what Step trains on). ``limit`` caps the nodes a table shows.
    The trainer and its network are not changed.
    """
    settings = trainer.settings
    shape = trainer.network.shape
    step = next_step(trainer, example)
    X = trainer.X if example is None else trainer.X[example:example + 1]
    ctx = _Context(shape, example_names(X), letters(shape), trainer.network.hidden_activations,
                   trainer.network.output_activation, settings.loss, limit, node_labels(shape))
    # A network about to diverge has huge numbers: shown as they are ("inf"), not warned about.
    with np.errstate(all="ignore"):
        forward = tuple(Section(ctx.title(k), (_forward(ctx, layer),), _open(step, k))
                        for k, layer in enumerate(step.layers))
        backward = tuple(Section(ctx.title(k), (_delta_equation(ctx, step, k),
                                                _update(ctx, step.layers[k], step.learning_rate)),
                                 _open(step, k, backward=True))
                         for k in reversed(range(len(step.layers))))
        error = _error(ctx, step)
    return Explanation(step, forward, error, backward, claim(trainer, example, step),
                       loss_note(settings.loss, ctx.letters[-1]),
                       weights_code([layer.new_W for layer in step.layers], layer_titles(shape)),
                       dropout_note(ctx, step, trainer))


def next_step(trainer: Trainer, example: int | None = None) -> BackpropStep:
    """The quantities of ``trainer``'s next iteration on its current weights (what ``build``
    shows, and the live node panel and slow motion too): the whole batch, or the row
    ``example`` of ``trainer.X`` alone; with dropout, the masks Step will draw."""
    rows = slice(None) if example is None else slice(example, example + 1)
    settings = trainer.settings
    masks = trainer.masks_at(trainer.iteration)  # this step's, as Step will draw them
    if masks is not None:  # dropout's and the nodes switched off, a column per example
        n = trainer.X.shape[0]
        masks = [np.broadcast_to(m, (m.shape[0], n))[:, rows] for m in masks]
    return explain_step(trainer.network, trainer.X[rows], trainer.y[rows], loss=settings.loss,
                        learning_rate=settings.learning_rate_at(trainer.iteration), masks=masks)


def output_slope(activation: str, layer: LayerStep) -> np.ndarray:
    """``f'(x_K)`` of the output layer, ``(n_K, n)``."""
    return ACTIVATIONS[activation].derivative(layer.x_J, layer.O_J)


def hidden_slope(activation: str, layer: LayerStep) -> np.ndarray:
    """``f'(x_J)`` of a hidden layer, times this step's dropout mask when there is one (the
    layer's ``O_J`` holds the mask too, so f is applied again here)."""
    f = ACTIVATIONS[activation]
    slope = f.derivative(layer.x_J, f.apply(layer.x_J, np.empty_like(layer.x_J)))
    return slope if layer.mask is None else layer.mask * slope


def pulled_back(above: LayerStep) -> np.ndarray:
    """``W_JK^T δ_K``: the blame the layer above sends back, the bias row last ``(n_J + 1, n)``."""
    return above.W.T @ above.delta_J


def _open(step: BackpropStep, k: int, backward: bool = False) -> bool:
    """Whether weight matrix ``k``'s section starts open: all of a small network, else where
    each pass starts (the first layer forward, the output layer backward)."""
    last = len(step.layers) - 1
    return last <= 1 or k == (last if backward else 0)


def _delta_equation(ctx: _Context, step: BackpropStep, k: int) -> Equation:
    layers = step.layers
    if k == len(layers) - 1:
        return _output_delta(ctx, layers[k], step.targets)
    return _hidden_delta(ctx, layers[k], layers[k + 1])


@dataclass(frozen=True)
class _Context:
    """What every table and equation of one explanation shares."""

    shape: tuple[int, ...]
    examples: list[str]
    letters: list[str]
    activations: tuple[str, ...]
    """Each hidden layer's transfer function, first layer first."""
    output_activation: str
    loss: str
    limit: int | None
    names: list[list[str]]
    """``node_labels(shape)``: the page's name of every node, layer by layer."""

    def nodes(self, k: int, bias: bool = False) -> list[str]:
        names = self.names[k]
        return names + [BIAS] if bias else list(names)

    def f(self, k: int) -> str:
        """The transfer function of layer ``k`` (1 for the first hidden layer)."""
        return self.output_activation if k == len(self.shape) - 1 else self.activations[k - 1]

    def pair(self, k: int) -> tuple[str, str]:
        """``(I, J)``: the letters of the layers weight matrix ``k`` joins."""
        return self.letters[k], self.letters[k + 1]

    def title(self, k: int) -> str:
        I, J = self.pair(k)
        kind = "the output layer" if k + 2 == len(self.shape) else "a hidden layer"
        return f"{layer_titles(self.shape)[k]} · weights $W_{{{I}{J}}}$, layer ${J}$ is {kind}"

    def table(self, name: str, words: str, values: np.ndarray, rows: list[str],
              columns: list[str] | None = None) -> Table:
        return table(name, words, values, rows, self.examples if columns is None else columns,
                     self.limit)


# The tutorial's symbols, in LaTeX for the equations and in HTML for the tables' captions.


def _O(letter: str) -> str:
    return rf"\vec{{\mathcal{{O}}}}_{{{letter}}}"


def _x(letter: str) -> str:
    return rf"\mathbf{{x_{{{letter}}}}}"


def _W(I: str, J: str) -> str:
    return rf"\mathbf{{W_{{{I}{J}}}}}"


def _m(letter: str) -> str:
    return rf"m_{{{letter}}}"


def _delta(letter: str) -> str:
    return rf"\vec{{\delta}}_{{{letter}}}"


def _T(letter: str) -> str:
    return rf"\mathbf{{T_{{{letter}}}}}"


def _sub(symbol: str, letters: str) -> str:
    return f"{symbol}<sub>{letters}</sub>"


def _forward(ctx: _Context, layer: LayerStep) -> Equation:
    k = layer.layer - 1
    I, J = ctx.pair(k)
    f = ACTIVATIONS[ctx.f(k + 1)]
    masked = layer.mask is not None
    output = rf"{_m(J)} * f({_x(J)})" if masked else rf"f({_x(J)})"
    latex = (rf"{_x(J)} = {_W(I, J)}\,{_O(I)}, \qquad {_O(J)} = {output}, "
             rf"\quad f(x) = {f.latex}")
    source = "inputs" if k == 0 else "outputs"
    text = (f"Each node of layer ${J}$ adds up the {source} of layer ${I}$, each times its "
            f"weight, plus its bias weight (the bias node always sends 1): that is its input "
            f"$x_{J}$. The transfer function $f$ ({f.label}) turns it into the node's output $O_{J}$.")
    if masked:
        text += (f" The mask $m_{J}$ sets the output of a node dropped in this step (dropout) or "
                 "switched off by hand to 0; dropout scales the kept ones up, so that on average "
                 "the layer sends what it would send whole.")
    tables = (
        ctx.table(_sub("W", I + J), "weights", layer.W, ctx.nodes(k + 1), ctx.nodes(k, bias=True)),
        ctx.table(_sub("O", I), f"{source} of {I}, with the bias row of ones", layer.O_I,
                  ctx.nodes(k, bias=True)),
        ctx.table(_sub("x", J), "layer input", layer.x_J, ctx.nodes(k + 1)),
        *((ctx.table(_sub("m", J), "dropout mask", layer.mask, ctx.nodes(k + 1)),) if masked else ()),
        ctx.table(_sub("O", J), "layer output", layer.O_J, ctx.nodes(k + 1)),
    )
    return Equation(latex, text, tables)


def _error(ctx: _Context, step: BackpropStep) -> Equation:
    K = ctx.letters[-1]
    output = step.layers[-1]
    difference = rf"({_O(K)} - {_T(K)})"
    formula = {
        "sse": rf"E = \sum {difference}^2",
        "mse": rf"E = \frac{{1}}{{N}} \sum {difference}^2",
        "cross_entropy": rf"E = -\frac{{1}}{{n}} \sum {_T(K)} \log {_O(K)}",
    }.get(ctx.loss, LOSSES[ctx.loss].latex)
    latex = rf"{formula} = {number(step.error)}"
    n = len(ctx.examples)
    examples = "the example" if n == 1 else f"these {n} examples"
    text = (f"How wrong the network is on {examples} ({LOSSES[ctx.loss].label}): the outputs "
            f"$O_{K}$ against the targets $T_{K}$. Back propagation finds how each weight should "
            "move to make it smaller.")
    tables = (ctx.table(_sub("O", K), "output", output.O_J, ctx.nodes(-1)),
              ctx.table(_sub("T", K), "target", step.targets, ctx.nodes(-1)))
    return Equation(latex, text, tables)


def _output_delta(ctx: _Context, layer: LayerStep, targets: np.ndarray) -> Equation:
    k = layer.layer - 1
    K = ctx.letters[k + 1]
    n = len(ctx.examples)
    miss = layer.O_J - targets
    nodes = ctx.nodes(k + 1)
    miss_table = ctx.table(f"{_sub('O', K)} − {_sub('T', K)}", "the miss", miss, nodes)
    delta_table = ctx.table(_sub("δ", K), "output delta", layer.delta_J, nodes)
    if ctx.loss == "cross_entropy":
        latex = rf"{_delta(K)} = \frac{{1}}{{n}} ({_O(K)} - {_T(K)}), \quad n = {n}"
        text = (f"$\\delta_{K}$ says how much, and which way, each output node's input $x_{K}$ "
                f"should move to make the error smaller. With cross-entropy the slope "
                f"$f'(x_{K})$ cancels out, so it is the miss $O_{K} - T_{K}$ divided by the "
                "number of examples.")
        return Equation(latex, text, (miss_table, delta_table))
    slope = output_slope(ctx.f(k + 1), layer)
    latex = rf"{_delta(K)} = f'({_x(K)}) * ({_O(K)} - {_T(K)})"
    if ctx.loss == "mse":  # the mean's gradient: 2/N, N the outputs times the examples
        latex = rf"{_delta(K)} = \frac{{2}}{{N}}\,f'({_x(K)}) * ({_O(K)} - {_T(K)}), \quad N = {miss.size}"
    text = (f"$\\delta_{K}$ says how much, and which way, each output node's input $x_{K}$ "
            f"should move to make the error smaller: the miss $O_{K} - T_{K}$ times the slope "
            f"$f'(x_{K})$ of the transfer function there ($*$ multiplies entry by entry).")
    tables = (miss_table, ctx.table(f"f'({_sub('x', K)})", "slope", slope, nodes), delta_table)
    return Equation(latex, text, tables)


def _hidden_delta(ctx: _Context, layer: LayerStep, above: LayerStep) -> Equation:
    k = layer.layer - 1
    J, K = ctx.pair(k + 1)
    blame = pulled_back(above)  # the bias row too, to show it being dropped
    slope = hidden_slope(ctx.f(k + 1), layer)
    nodes = ctx.nodes(k + 1)
    masked = layer.mask is not None
    mask = _m(J) + " * " if masked else ""
    latex = rf"{_delta(J)} = {mask}f'({_x(J)}) * {_W(J, K)}^{{\intercal}} {_delta(K)}"
    text = (f"Each node of layer ${J}$ takes its share of the blame: the $\\delta_{K}$ of the "
            f"nodes it feeds, each times the weight joining them ($W_{{{J}{K}}}^T \\delta_{K}$), "
            f"times its own slope $f'(x_{J})$. The bias row is dropped, as in the tutorial: the "
            "bias node has no input to adjust.")
    if masked:
        text += " A node with mask 0 (dropped or switched off) takes no blame, and learns nothing."
    tables = (
        ctx.table(f"{_sub('W', J + K)}<sup>T</sup> {_sub('δ', K)}", "pulled back", blame,
                  nodes + [f"{BIAS} {DROPPED}"]),
        ctx.table(f"{_sub('m', J) + ' * ' if masked else ''}f'({_sub('x', J)})", "slope", slope,
                  nodes),
        ctx.table(_sub("δ", J), "hidden delta", layer.delta_J, nodes),
    )
    return Equation(latex, text, tables)


def _update(ctx: _Context, layer: LayerStep, eta: float) -> Equation:
    k = layer.layer - 1
    I, J = ctx.pair(k)
    W = _W(I, J)
    latex = (rf"\Delta {W} = {_delta(J)}\,{_O(I)}^{{\intercal}}, \qquad "
             rf"{W} - \eta\,\Delta {W} \rightarrow {W}, \quad \eta = {eta:g}")
    summed = "" if len(ctx.examples) == 1 else ", added up over the examples"
    text = (f"$\\Delta W_{{{I}{J}}}$: for each weight, the $\\delta$ of the node it feeds times "
            f"the output of the node it comes from{summed}. Gradient descent moves every weight "
            f"by $-\\eta\\,\\Delta W$, downhill on the error.")
    rows, columns, name = ctx.nodes(k + 1), ctx.nodes(k, bias=True), _sub("W", I + J)
    tables = (
        ctx.table(f"Δ{name}", "gradient", layer.gradient, rows, columns),
        ctx.table(f"−η Δ{name}", "change", layer.change, rows, columns),
        ctx.table(f"new {name}", "new weights", layer.new_W, rows, columns),
    )
    return Equation(latex, text, tables)


# -- what differs from the tutorial ----------------------------------------------------

def dropout_note(ctx: _Context, step: BackpropStep, trainer: Trainer, shown: int = 12) -> str | None:
    """Which nodes this step's dropout masks drop, for which examples; None without dropout."""
    masked = [layer for layer in step.layers if layer.mask is not None]
    if not masked:
        return None
    off = ", ".join(ctx.names[k + 1][node] for k, node in sorted(trainer.network.off))
    off = f"Switched off by hand (mask 0 for every example): {off}. " if off else ""
    rate = trainer.settings.dropout
    if not rate:
        return off + ("Their outputs are held at 0; the test error, the surface and the node "
                      "maps leave them off too.")
    dropped = [f"{ctx.names[layer.layer][node]} for {ctx.examples[example]}"
               for layer in masked for node, example in zip(*np.nonzero(layer.mask == 0))]
    listed = ", ".join(dropped[:shown]) + (f" and {len(dropped) - shown} more"
                                           if len(dropped) > shown else "")
    return off + (f"Dropout {rate:g}: this step applies its own masks (drawn from the seed and "
            f"iteration {trainer.iteration:,}, the same that Step draws), shown as m in the "
            f"tables. Dropped this step: {listed or 'no node'}. The kept nodes' outputs are "
            f"multiplied by 1 / (1 − {rate:g}) = {1 / (1 - rate):.4g}. The Error above is this "
            "pass's, with those nodes off; the test error, the surface and the node maps use "
            "every node.")


def loss_note(loss: str, K: str = "K") -> str | None:
    """What the loss changes in the calculation, or None for the tutorial's own loss."""
    if loss == "sse":
        return None
    label = LOSSES[loss].label
    change = {
        "mse": ("it averages the N squared errors (outputs times examples), so the output delta "
                "gains a factor 2/N"),
        "cross_entropy": (f"with a sigmoid output the slope $f'(x_{K})$ cancels, so the output "
                          f"delta is $O_{K} - T_{K}$ divided by the number of examples"),
    }.get(loss, "the output delta is its gradient")
    return (f"The loss is {label}, not the tutorial's sum of squared errors: {change}. "
            f"Everything after the output delta is the tutorial's back propagation.")


def claim(trainer: Trainer, example: int | None, step: BackpropStep) -> Claim:
    """Whether pressing Step gives exactly the new weights shown, and if not, what differs.

    Step is exactly this calculation when the batch is shown, Step trains on
    the whole batch without a penalty, and its update is the plain
    ``W - η ΔW`` (gradient descent, or momentum while its velocity is zero).
    """
    settings = trainer.settings
    n = len(trainer.X)
    if trainer.divergence is not None:
        return Claim("warning", "Training diverged and stopped: Step does nothing until you change "
                     "a setting (a smaller η, say). The numbers below are for the last finite "
                     "weights.", False)
    rule = _rule_difference(trainer)
    gradient = []  # what makes Step's ΔW differ from the full-batch ΔW shown
    if settings.batch_size is not None and settings.batch_size < n:
        gradient.append(f"Step trains on a mini-batch of {settings.batch_size} examples, not "
                        f"all {n}.")
    if settings.regularization != "none" and settings.regularization_rate > 0:
        label = REGULARIZERS[settings.regularization].label
        gradient.append(f"Step also adds the {label} penalty's gradient to ΔW.")
    if example is not None:
        name = example_names(trainer.X[example:example + 1])[0]
        return Claim("info", " ".join([
            f"This is one step on the example {name} alone, as if it were the only training "
            f"example. Step trains on all {n} examples at once (the tutorial's batch): its ΔW is "
            f"the sum of the {n} examples' ΔW, so it gives other weights. Choose "
            f"'{ALL_EXAMPLES}' to follow what Step does.", *([rule] if rule else []), *gradient]),
            False)
    if gradient:
        return Claim("warning", " ".join([*([rule] if rule else []), *gradient,
                                          "The numbers below are the tutorial's full-batch "
                                          "gradient-descent step, so Step gives other weights."]),
                     False)
    if rule:
        return Claim("warning", f"{rule} The error, the deltas and the gradient ΔW below are "
                     "exactly what Step computes, but the new weights shown are the tutorial's "
                     "plain step W − η ΔW, so Step gives other weights."
                     + (" " + schedule_note(trainer) if settings.scheduled else ""), False)
    if not all(np.isfinite(layer.new_W).all() for layer in step.layers):
        return Claim("warning", "This step would make some weights infinite or not a number: Step "
                     "will see the divergence, keep the current weights and stop. Try a smaller "
                     "η.", False)
    message = ("Press Step and the weights become exactly the new weights below, bit for bit: "
               "Step runs this same calculation.")
    if settings.optimizer == "momentum":
        message += (" (The optimiser is momentum, but its velocity is still zero, so this step "
                    "is the plain W − η ΔW; later steps add the velocity.)")
    if settings.scheduled:
        message += " " + schedule_note(trainer)
    return Claim("success", message, True)


def schedule_note(trainer: Trainer) -> str:
    """Which η this step uses, where η follows a schedule."""
    settings = trainer.settings
    eta = settings.learning_rate_at(trainer.iteration)
    return (f"η follows the {SETTINGS['schedule'].choice_labels[settings.schedule]} schedule"
            f"{f' after a warm-up of {settings.warmup:,} iterations' if settings.warmup else ''}:"
            f" this step, iteration {trainer.iteration:,}, uses η = {eta:.6g} (set: "
            f"{settings.learning_rate:g}).")


def _rule_difference(trainer: Trainer) -> str | None:
    """Why Step's update is not the plain ``W - η ΔW``, or None when it is (bit for bit)."""
    settings = trainer.settings
    if settings.optimizer == "sgd":
        return None
    if settings.optimizer == "momentum":
        velocity = trainer.optimizer_state["velocity"]
        # A zero velocity (a fresh start) or momentum 0: v = 0·μ - ηΔW, W + v = W - ηΔW exactly.
        if settings.momentum == 0 or not np.any(velocity):
            return None
        how = (f"it also adds {settings.momentum:g} times the previous change (its velocity)")
    elif settings.optimizer == "nesterov":
        how = (f"it keeps {settings.momentum:g} of the previous change (its velocity) and "
               "steps to where that velocity is about to carry the weights")
    elif settings.optimizer in ("adam", "rmsprop"):
        how = "it divides each weight's step by a running average of the size of its gradient"
    elif settings.optimizer == "adagrad":
        how = "it divides each weight's step by the root of the sum of its squared gradients"
    else:
        how = "it turns the gradient into a change its own way"
    label = OPTIMIZERS[settings.optimizer].label
    return f"The optimiser is {label}, not the tutorial's plain gradient descent: {how}."


# -- full precision ------------------------------------------------------------------

def weights_code(weights: Sequence[np.ndarray], titles: Sequence[str]) -> str:
    """The weights as a Python list of nested lists, every float written to round-trip exactly.

    ``ast.literal_eval`` of the list (or pasting it into the tutorial's code)
    gives the very same float64 numbers.
    """
    lines = ["new_weights = ["]
    for W, title in zip(weights, titles):
        lines.append(f"    # {title}, shape {W.shape[0]} x {W.shape[1]} (last column: bias)")
        lines.append("    [")
        lines += [f"        [{', '.join(_literal(v) for v in row)}]," for row in W]
        lines.append("    ],")
    lines.append("]")
    return "\n".join(lines)


def _literal(value: float) -> str:
    """``repr`` round-trips a finite float exactly; inf and NaN need spelling out for Python."""
    value = float(value)
    return repr(value) if np.isfinite(value) else f'float("{value}")'
