"""One student's playground: the run, the transport, and what each frame shows.

``Playground`` is the page's logic without the page: it holds the
configuration and the trainer, decides what a change of settings means
(a new learning rate keeps the network, a new architecture starts again),
plays frame by frame, stops by itself and says why. The page keeps one in
``st.session_state`` per user and only draws what it reports.
"""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass

import numpy as np

from nnplay.app import drawing, edits, fairshare, pointcode
from nnplay.app.link import SPEEDS, ViewOptions
from nnplay.config import RunConfig
from nnplay.datasets import Dataset
from nnplay.losses import LOSSES
from nnplay.network import Network
from nnplay.training import Checkpoint, Trainer
from nnplay.views.colors import nice_bound
from nnplay.views.figures import grid_points, surface_grid
from nnplay.views.scores import Scores, score

FRAME_BUDGET = fairshare.FRAME_BUDGET
"""Seconds of training per frame at the speed "max", alone on the server; less when many play
(``nnplay.app.fairshare``)."""
FRAME_INTERVAL = 0.1
"""Seconds between the frames a playing page shows."""
SURFACE_RESOLUTION = 41
POINTS_RESOLUTION = 100
"""Point sets spread over a larger square: a finer decision surface."""
MAP_RESOLUTION = 16
REPLAY_SECONDS = 5.0
"""The longest a link's ``at=`` may take to replay when the page opens (``Playground.replay_to``)."""
MAX_TEST_POINTS = 200
"""The test-error curve keeps at most this many points (every other one goes when full):
reached within half a minute of play, so a session's memory stays flat after its first minute."""
OUTPUT_RANGES = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}


@dataclass(frozen=True)
class TruthRows:
    """The tutorial's printout as text, a row per example: its input, the network's output,
    the target, and whether the output is right (every value within 0.5 of its target)."""

    inputs: list[str]
    outputs: list[str]
    targets: list[str]
    right: list[bool]

    def marks(self) -> list[str]:
        return ["✓ right" if ok else "✗ wrong" for ok in self.right]


@dataclass(frozen=True)
class Status:
    kind: str
    """``info``, ``success``, ``warning`` or ``error``: how the page should show it."""
    message: str


def _locked(method):
    """A ``Playground`` method that changes the run: it holds the playground's lock."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)
    return locked


@dataclass(frozen=True)
class Moment:
    """One moment of a run, as ``Playground.moment`` copies it."""

    trainer: Checkpoint
    test_curve: tuple[list[int], list[float]]
    bound: float
    stop_reason: str | None
    playing: bool
    log: edits.Log = ()


class Playground:
    """The state of one student's run and the rules of the transport."""

    def __init__(self, config: RunConfig | None = None, view: ViewOptions | None = None,
                 uploaded: Dataset | None = None) -> None:
        self.config = config or RunConfig()
        self.view = view or ViewOptions()
        self.uploaded = uploaded
        """Points a student uploaded (the problem ``csv``), kept beside the configuration."""
        self._share_key = object()  # this page in the server's fair shares (nnplay.app.fairshare)
        self.playing = False
        self.notice: str | None = None
        self.lock = threading.RLock()
        """Held by whatever changes the run (every method marked ``_locked``, and a batch of
        frames in ``nnplay.app.stream``): Streamlit can start a session's next script run on
        a new thread while the last one still trains, and that run then waits for the batch
        instead of changing the run under it."""
        self.third_input = 0.0
        """With three inputs, the views show the slice where x3 has this value (0 or 1)."""
        self._start(self.config.trainer(uploaded))

    def _start(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self.log: edits.Log = ()
        """The hand edits (``nnplay.app.edits``): those up to the current iteration are in the
        network; later ones (a link's, not reached yet) apply when training reaches them."""
        self.replayable = True
        """Whether training the configuration from iteration 0 gives this run: not for a run
        loaded from a file or training settings changed along the way."""
        self.train, self.test = self.config.split(self.uploaded)
        self.stop_reason: str | None = None
        self.bound = nice_bound(float(np.abs(trainer.network.parameters).max()))
        self._grids: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.test_curve: tuple[list[int], list[float]] = ([], [])
        self._record_test()
        self._check_stop()

    # -- settings ----------------------------------------------------------------------

    @_locked
    def apply(self, config: RunConfig, view: ViewOptions | None = None) -> None:
        """Take new settings: a new architecture starts again, anything else keeps the network."""
        if view is not None:
            self.view = view
        if config == self.config:
            return
        if config.architecture() != self.config.architecture():
            self.config = config
            self.playing = False
            self._start(config.trainer(self.uploaded))
            self.notice = (f"You changed the network or the problem, so it starts again: "
                           f"{config.shape(self.uploaded)} from seed {config.seed}, iteration 0.")
            return
        old = self.config
        self.config = config
        n_train = self.train.n_examples
        if config.training_settings(n_train) != old.training_settings(n_train):
            self.trainer.configure(**config.training_settings(n_train))
            self.replayable = self.replayable and self.trainer.iteration == 0
            self.notice = "New training settings: the network keeps its weights and carries on."
        self.stop_reason = None
        self._check_stop()
        if self.stop_reason is not None:  # e.g. a maximum lowered below the iteration while playing
            self.playing = False

    @_locked
    def use_points(self, uploaded: Dataset, config: RunConfig, notice: str | None = None) -> None:
        """Learn points a student uploaded or drew: the problem ``csv`` from iteration 0."""
        self.uploaded = uploaded
        self.config = config
        self.playing = False
        self._start(config.trainer(uploaded))
        self.notice = notice or (f"Loaded {uploaded.n_examples} points ({uploaded.kind}): the "
                                 f"network {config.shape(uploaded)} starts from iteration 0.")

    def shortfall(self) -> str | None:
        """Why a drawing cannot train yet (too few points, a class missing), or None."""
        return drawing.shortfall(self.train) if self.uploaded is not None else None

    @_locked
    def load(self, config: RunConfig, trainer: Trainer, view: ViewOptions | None = None,
             uploaded: Dataset | None = None, log: edits.Log = ()) -> None:
        """Continue a run loaded from a file (with its hand edits)."""
        self.config = config
        self.uploaded = uploaded
        self.view = view or self.view
        self.playing = False
        self._start(trainer)
        self.use_log(log)
        self.replayable = False
        self.notice = f"Loaded a run at iteration {trainer.iteration}: press Play to continue it."

    # -- transport ---------------------------------------------------------------------

    @_locked
    def play(self) -> None:
        if self.shortfall():
            self.playing = False
            return
        self._check_stop()
        if self.stop_reason is None:  # from now on this page counts in the server's fair shares
            fairshare.SHARES.playing(self._share_key)
        self.playing = self.stop_reason is None
        self.notice = None

    @_locked
    def pause(self) -> None:
        self.playing = False
        fairshare.SHARES.stopped(self._share_key)

    @_locked
    def step(self, n: int = 1) -> None:
        """Run exactly ``n`` iterations (even past the stopping rules), paused."""
        self.playing = False
        if self.shortfall():
            return
        self.notice = None
        if self.trainer.early_stop is not None:  # training from 0 would stop there again
            self.replayable = False
        self.trainer.early_stop = None  # Step goes on past it, as past the other rules
        self._train(n)
        self._after_training()

    @_locked
    def reset(self) -> None:
        """The same configuration and seed from iteration 0."""
        self.playing = False
        self.notice = None
        self._start(self.config.trainer(self.uploaded))

    @_locked
    def frame(self) -> int:
        """One frame of play: train a chunk, stop by the rules; return iterations run."""
        if not self.playing:
            fairshare.SHARES.stopped(self._share_key)
            return 0
        fairshare.SHARES.playing(self._share_key)
        remaining = self.config.max_iterations - self.trainer.iteration
        per_frame = SPEEDS[self.view.speed]
        if per_frame is not None:
            done = self._train(min(per_frame, remaining), self.config.min_error)
        else:
            done = self._fill_budget(remaining)
        self._after_training()
        if not self.playing:
            fairshare.SHARES.stopped(self._share_key)
        return done

    def _fill_budget(self, remaining: int) -> int:
        """Train in growing chunks until the frame's time budget (this page's fair share of
        the server, ``nnplay.app.fairshare``) is spent."""
        budget = fairshare.SHARES.budget()
        start, done, chunk = time.perf_counter(), 0, 16
        while done < remaining:
            ran = self._train(min(chunk, remaining - done), self.config.min_error)
            done += ran
            if ran < chunk or self.trainer.divergence or self._reached_min_error():
                break
            elapsed = time.perf_counter() - start
            if elapsed >= budget:
                break
            chunk = max(16, int(done * (budget - elapsed) / elapsed)) if elapsed > 0 else chunk * 2
        return done

    def _train(self, n: int, min_error: float | None = None) -> int:
        """Train up to ``n`` iterations (stopping at ``min_error`` if given, as ``Trainer.run``;
        else as ``Trainer.step``), applying each hand edit of the log when training reaches its
        iteration; return the iterations run. Chunks give the bits one call gives."""
        trainer, start = self.trainer, self.trainer.iteration
        end = start + n
        while trainer.iteration < end:
            before = trainer.iteration
            upcoming = edits.next_after(self.log, before)
            stop = end if upcoming is None else min(end, upcoming)
            if min_error is None:
                trainer.step(stop - before)
            else:
                trainer.run(stop - before, min_error)
            if trainer.iteration < before:  # went back (early stopping): later edits go
                self.log = edits.until(self.log, trainer.iteration)
            self._settle()
            if trainer.iteration != stop:  # stopped by a rule
                break
        return trainer.iteration - start

    def _settle(self) -> None:
        """The network as the log makes it at the current iteration (the weights set there,
        the nodes off); nothing to do without edits."""
        network = self.trainer.network
        if self.log or network.node_masks is not None:
            edits.apply(network, self.log, self.trainer.iteration)

    def _reached_min_error(self) -> bool:
        """Whether the last iteration's error reached the stop error, and no weight or neuron
        has been changed by hand since it was measured."""
        error, iteration = self.trainer.last_error, self.trainer.iteration
        return error is not None and error <= self.config.min_error and not any(
            e.iteration == iteration > 0 for e in self.log)

    def _after_training(self) -> None:
        self.bound = nice_bound(float(np.abs(self.trainer.network.parameters).max()), self.bound)
        self._record_test()
        self._check_stop()
        if self.stop_reason is not None:
            self.playing = False

    def _check_stop(self) -> None:
        if self.trainer.divergence is not None:
            self.stop_reason = "diverged"
        elif self.trainer.early_stop is not None:
            self.stop_reason = "early"
        elif self._reached_min_error():
            self.stop_reason = "solved"
        elif self.trainer.iteration >= self.config.max_iterations:
            self.stop_reason = "max_iterations"
        else:
            self.stop_reason = None

    def status(self) -> Status | None:
        """What the page should say about the run now, if anything."""
        trainer = self.trainer
        short = self.shortfall()
        if short:  # what was just done (or refused), then what training waits for
            return Status("warning", " ".join(filter(None, (self.notice, short))))
        if self.stop_reason == "diverged":
            return Status("error", trainer.divergence.message)
        if self.stop_reason == "early":
            return Status("success", trainer.early_stop.message)
        if self.stop_reason == "solved":
            return Status("success", f"Stopped at iteration {trainer.iteration}: the error "
                          f"{trainer.last_error:.6g} reached the minimum error "
                          f"{self.config.min_error:g}.")
        if self.stop_reason == "max_iterations":
            return Status("warning", f"Stopped at the maximum of {self.config.max_iterations:,} "
                          f"iterations; the error is {trainer.last_error:.6g}. Raise the maximum "
                          "to go on, or try another seed.")
        if self.playing and self.view.speed == "max" and fairshare.SHARES.busy():
            return Status("info", self.share_note())
        if self.notice:
            return Status("info", self.notice)
        return None

    # -- going back to a frame shown -----------------------------------------------------

    def moment(self) -> Moment:
        """Everything the run has come to now, copied (see ``go_to``)."""
        return Moment(self.trainer.checkpoint(), (list(self.test_curve[0]), list(self.test_curve[1])),
                      self.bound, self.stop_reason, self.playing, self.log)

    @_locked
    def replay_frame(self, iteration: int) -> None:
        """Train on to ``iteration`` as the frame that reached it did (the same iterations run
        the same bits in one call as in the chunks a frame took), then stop by the rules."""
        self._train(iteration - self.trainer.iteration, self.config.min_error)
        self._after_training()

    @_locked
    def go_to(self, moment: Moment) -> None:
        """Return to ``moment`` (taken by ``moment`` in this run), bit for bit: the weights,
        the optimiser's state, the error history, the test curve, the snapshots, the stop."""
        self.trainer.resume(moment.trainer)
        self.log = moment.log
        self._settle()
        self.test_curve = (list(moment.test_curve[0]), list(moment.test_curve[1]))
        self.bound, self.stop_reason, self.playing = moment.bound, moment.stop_reason, moment.playing

    # -- the test set --------------------------------------------------------------------

    def test_error(self) -> float | None:
        """The loss on the held-out examples (None without a test set)."""
        if self.test.n_examples == 0:
            return None
        # A frame asks twice (the test curve, then the metric): the second time the same
        # weights, nodes switched off, test set and settings give the same number, kept.
        network = self.trainer.network
        key = (self.test, self.config, network.off, network.parameters.tobytes())
        known = getattr(self, "_test_error", None)
        if known is not None and known[0][0] is key[0] and known[0][1:] == key[1:]:
            return known[1]
        # One forward pass gives both what the loss needs: the output layer's input x_K
        # (cross-entropy is computed from it, see nnplay.losses) and its output O_K.
        with np.errstate(all="ignore"):
            ws = network.forward_pass(self.config.inputs(self.test.X))
        loss = LOSSES[self.config.loss]
        error = float(loss.evaluate(ws.layer_inputs[-1], ws.activations[-1], self.test.y.T,
                                    _activation(network.output_activation))[0])
        self._test_error = (key, error)
        return error

    def _record_test(self) -> None:
        error = self.test_error()
        if error is None or not np.isfinite(error):
            return
        iterations, errors = self.test_curve
        while iterations and iterations[-1] > self.trainer.iteration:  # gone back (Rewind, early stop)
            iterations.pop()
            errors.pop()
        if iterations and iterations[-1] == self.trainer.iteration:
            errors[-1] = error
            return
        iterations.append(self.trainer.iteration)
        errors.append(error)
        if len(iterations) > MAX_TEST_POINTS:  # keep the shape, halve the points
            del iterations[1::2], errors[1::2]

    def scores(self, network: Network | None = None) -> tuple[Scores, Scores]:
        """Accuracy (or RMSE and R²) on the training and the test examples."""
        network = network or self.trainer.network
        kind = self.train.kind
        results = []
        for part in (self.train, self.test):
            outputs = network.predict(self.config.inputs(part.X)) if part.n_examples else (
                np.zeros((0, part.y.shape[1])))
            results.append(score(outputs, part.y, kind))
        return results[0], results[1]

    # -- rewinding ----------------------------------------------------------------------

    def network_at(self, iteration: int) -> Network:
        """A copy of the network as it was at the latest snapshot at or before ``iteration``."""
        snapshot = self.trainer.snapshots.at(iteration)
        network = self.trainer.network.copy()
        network.parameters[...] = snapshot.parameters
        edits.apply(network, self.log, snapshot.iteration)
        return network

    @_locked
    def rewind(self, iteration: int) -> None:
        """Go back to the snapshot at or before ``iteration`` and carry on from there."""
        self.playing = False
        kept = self.trainer.restore(iteration)
        dropped = len(self.log) - len(edits.until(self.log, kept))
        self.log = edits.until(self.log, kept)  # the hand edits made after it go too
        self._settle()
        self.bound = nice_bound(float(np.abs(self.trainer.network.parameters).max()))
        self._record_test()
        self._check_stop()
        self.notice = (f"Went back to iteration {kept}: the weights are exactly as they were "
                       "then. Play or Step to carry on from there.")
        if dropped:
            self.notice += (f" The {dropped} hand edits made after it are dropped." if dropped > 1
                            else " The hand edit made after it is dropped.")

    def share_note(self) -> str:
        """The sentence for a page slowed down because many students play on this server."""
        players = fairshare.SHARES.players()
        return (f"The server is busy: {players} students are playing here, so each frame "
                f"trains for {fairshare.SHARES.budget(players) * 1000:.0f} ms instead of "
                f"{FRAME_BUDGET * 1000:.0f} ms. Everyone's run goes on, a little more slowly.")

    # -- a link that holds the iteration (at=) ----------------------------------------------

    def position(self) -> int:
        """The iteration a link should hold so that opening it returns here (``at=``), or 0:
        while paused, for a run that training from iteration 0 reproduces (with points only
        if the link carries them, ``pointcode``)."""
        if self.playing or not self.replayable or (
                self.uploaded is not None and pointcode.why_not(self.uploaded) is not None):
            return 0
        return self.trainer.iteration

    @_locked
    def replay_to(self, iteration: int, seconds: float = REPLAY_SECONDS, clock=time.perf_counter) -> int:
        """Train from here up to ``iteration`` by stepping, as Play and Step did (the same
        weights, bit for bit), paused; stop early after ``seconds`` or at a divergence, and
        say so. Return the iteration reached."""
        self.playing = False
        start, chunk = clock(), 64
        trainer = self.trainer
        while trainer.iteration < iteration and trainer.divergence is None and (
                trainer.early_stop is None):
            before = trainer.iteration
            self._train(min(chunk, iteration - trainer.iteration))
            if trainer.iteration <= before or clock() - start > seconds:
                break
            chunk = min(2 * chunk, 8192)
        self._after_training()
        self.playing = False
        reached = self.trainer.iteration
        if reached == iteration:
            self.notice = (f"The link's run, trained again to iteration {reached:,}: the same "
                           "weights as when it was shared. Press Play to go on.")
        elif trainer.divergence is None and trainer.early_stop is None:
            self.notice = (f"The link asks for iteration {iteration:,}; training there again would "
                           f"take this server more than {seconds:g} s, so the run stopped at "
                           f"iteration {reached:,}. Press Play to go on from there.")
        return reached

    # -- hand edits ----------------------------------------------------------------------------

    @_locked
    def use_log(self, log: edits.Log) -> None:
        """Take a log of hand edits (a link's or a saved run's) for this run: the entries up to
        the current iteration are applied, later ones when training reaches them."""
        self.log = log
        self._settle()

    @_locked
    def edit_weight(self, layer: int, row: int, col: int, text: object) -> None:
        """Set ``W{layer}[row, col]`` to the number ``text`` by hand, paused, and log it at the
        current iteration; training goes on from it. ValueError with a sentence if refused."""
        edits.check_weight(self.shape, layer, row, col)
        value = edits.parse_value(text)
        self.playing = False
        iteration = self.trainer.iteration
        entry = edits.WeightEdit(iteration, layer, row, col, value)
        before = self.trainer.network.weights[layer - 1][row, col]
        self.log = edits.add(self.log, entry)
        self._settle()
        self.bound = nice_bound(float(np.abs(self.trainer.network.parameters).max()), self.bound)
        self._record_test()
        self._check_stop()
        self.notice = (f"{entry.name} set by hand to {value:g} at iteration {iteration:,} (it was "
                       f"{before:.6g}). Step or Play to train on from it; the link carries it.")

    @_locked
    def switch(self, name: str) -> None:
        """Switch hidden node ``name`` (``h1``, ``h2.3``) off, or on again, paused, logged at the
        current iteration. ValueError with a sentence if there is no such node."""
        node = edits.hidden_names(self.shape).get(name)
        if node is None:
            raise ValueError(f"The network {self.shape} has no hidden neuron {name}.")
        self.playing = False
        iteration = self.trainer.iteration
        off = node not in self.trainer.network.off
        self.log = edits.add(self.log, edits.Switch(iteration, *node, off))
        self._settle()
        self._record_test()
        self._check_stop()
        self.notice = (f"{name} switched off at iteration {iteration:,}: its output is held at 0 "
                       "(greyed in the diagram) and training goes on around it." if off else
                       f"{name} switched on again at iteration {iteration:,}.")

    def off_names(self, network: Network | None = None) -> list[str]:
        """The names of the hidden nodes switched off (in ``network``, the current by default)."""
        network = network or self.trainer.network
        return [edits.node_name(self.shape, *node) for node in sorted(network.off)]

    @_locked
    def weight_detail(self, layer: int, row: int, col: int) -> dict:
        """``W{layer}[row, col]`` now, the gradient the next Step's update uses (∂E/∂w, its
        penalty included) and the weight after that Step: the Step run and taken back, so the
        same bits as Step (None for a Step that cannot run, after a divergence)."""
        edits.check_weight(self.shape, layer, row, col)
        index = edits.flat_index(self.shape, layer, row, col)
        trainer, moment = self.trainer, self.moment()
        value = float(trainer.network.parameters[index])
        trainer.early_stop = None  # as Step does
        trainer.step_gradients, trainer.keep_gradients = None, True
        try:
            self._train(1)
        finally:
            trainer.keep_gradients = False
        ran = trainer.iteration == moment.trainer.iteration + 1
        gradient = float(trainer.step_gradients[index]) if ran else None
        after = float(trainer.network.parameters[index]) if ran else None
        trainer.step_gradients = None
        self.go_to(moment)
        return {"weight": [layer, row, col], "name": f"W{layer}[{row}, {col}]",
                "iteration": trainer.iteration, "value": value, "gradient": gradient,
                "next": after}

    # -- what the views show ---------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.trainer.network.shape

    @property
    def input_labels(self) -> tuple[str, ...]:
        """The input nodes' names: the features (x1, sin(x1), ...) or x1, x2, x3."""
        return self.config.input_labels(self.uploaded)

    @property
    def class_names(self) -> tuple[str, ...]:
        names = getattr(self.train, "class_names", ())
        if names:
            return tuple(names)
        return tuple(str(k) for k in range(max(2, self.train.y.shape[1])))

    def output_range(self) -> tuple[float, float]:
        if self.train.kind == "regression" or self.config.output_activation not in OUTPUT_RANGES:
            low, high = float(self.train.y.min()), float(self.train.y.max())
            return (low, high) if high > low else (low - 1.0, high + 1.0)
        return OUTPUT_RANGES[self.config.output_activation]

    def grid(self, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(xs, ys, points)`` over the input square of x1 and x2 (cached).

        With three inputs the points carry x3 = ``third_input``: a slice.
        """
        key = (resolution, self.third_input)
        if key not in self._grids:
            xs, ys = surface_grid(self.train.domain, resolution)
            points = grid_points(xs, ys)
            if self.train.n_inputs == 3:
                points = np.column_stack([points, np.full(len(points), self.third_input)])
            self._grids[key] = (xs, ys, self.config.inputs(points))
        return self._grids[key]

    @property
    def surface_resolution(self) -> int:
        return POINTS_RESOLUTION if self.config.is_point_set else SURFACE_RESOLUTION

    def surface_points(self, part: Dataset | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The examples in the shown slice: ``(x1 x2 of each, its target)`` (training set by
        default; a multi-class target is its class number)."""
        part = self.train if part is None else part
        X = part.X
        y = part.y.argmax(axis=1).astype(float) if part.kind == "multiclass" else part.y[:, 0]
        rows = X[:, 2] == self.third_input if X.shape[1] == 3 else np.ones(len(X), dtype=bool)
        return X[rows, :2], y[rows]

    def error_curve(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(iterations, low, high)`` for the error chart; before the first iteration, the
        starting error alone, so the chart is never empty."""
        iterations, low, high = self.trainer.history.curve()
        if len(iterations):
            return iterations, low, high
        start = np.array([self.trainer.error()])
        return np.array([0]), start, start.copy()

    def surface(self, network: Network | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(xs, ys, Z)``: the output over the input square, ``Z`` ``(len(ys), len(xs))``."""
        xs, ys, points = self.grid(self.surface_resolution)
        Z = (network or self.trainer.network).predict(points)[:, 0]
        return xs, ys, Z.reshape(len(ys), len(xs))

    def class_surface(self, network: Network | None = None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(xs, ys, outputs)`` with every output, ``(len(ys), len(xs), n_outputs)``."""
        xs, ys, points = self.grid(self.surface_resolution)
        outputs = (network or self.trainer.network).predict(points)
        return xs, ys, outputs.reshape(len(ys), len(xs), -1)

    def node_maps(self, network: Network | None = None
                  ) -> tuple[list[np.ndarray], list[tuple[float, float]]]:
        """Every node's output over the input square (inputs first) and each layer's value range."""
        xs, ys, points = self.grid(MAP_RESOLUTION)
        n = len(xs)
        outputs = [points] + (network or self.trainer.network).layer_outputs(points)
        maps = [layer.T.reshape(layer.shape[1], n, n) for layer in outputs]
        if self.config.is_point_set or self.config.features != ("x1", "x2"):
            ranges = [_symmetric(maps[0])]
        else:
            domain = self.train.domain
            ranges = [(float(min(lo for lo, _ in domain)), float(max(hi for _, hi in domain)))]
        for name, layer in zip(self.trainer.network.hidden_activations, maps[1:-1]):
            ranges.append(OUTPUT_RANGES.get(name) or _symmetric(layer))
        ranges.append(self.output_range())
        return maps, ranges

    def rate_curve(self, points: int = 120) -> tuple[np.ndarray, np.ndarray] | None:
        """``(iterations, η)`` over the error curve's span, where a schedule changes η."""
        settings = self.trainer.settings
        if not settings.scheduled:
            return None
        end = max(10, int(self.trainer.iteration * 1.1))
        iterations = np.unique(np.linspace(0, end, points).astype(int))
        return iterations, np.array([settings.learning_rate_at(int(t)) for t in iterations])

    def truth_rows(self, network: Network | None = None) -> TruthRows:
        """The tutorial's printout for ``network`` (the current one by default), as text.

        Every frame shows it, so it is built without pandas (a DataFrame costs
        the server about half a millisecond per frame here)."""
        X, y = self.trainer.X, self.trainer.y
        outputs = (network or self.trainer.network).predict(X)
        return TruthRows(
            inputs=[" ".join(f"{v:g}" for v in row) for row in X.tolist()],
            outputs=[", ".join(map(_output_text, row)) for row in outputs.tolist()],
            targets=[", ".join(f"{v:g}" for v in row) for row in y.tolist()],
            right=np.all(np.abs(outputs - y) < 0.5, axis=1).tolist())

    def solved_rows(self) -> int:
        outputs = self.trainer.network.predict(self.trainer.X)
        return int(np.all(np.abs(outputs - self.trainer.y) < 0.5, axis=1).sum())


def _output_text(value: float) -> str:
    """An output as the tutorial prints it, four decimals; past a million (a run that
    diverges) three figures and a power of ten, so the table keeps its shape."""
    return f"{value:.4f}" if abs(value) < 1e6 else f"{value:.3e}"


def _symmetric(values: np.ndarray) -> tuple[float, float]:
    largest = float(np.abs(values).max()) or 1.0
    return (-largest, largest)


def _activation(name: str):
    from nnplay.activations import ACTIVATIONS

    return ACTIVATIONS[name]
