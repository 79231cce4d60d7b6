"""The sidebar: every setting of the run, kept in ``st.session_state`` and in the link.

Each control has a key in ``st.session_state``; ``config_from_widgets``
reads them into a ``RunConfig`` and ``set_widgets`` points them at one (a
preset, a link, a loaded run). Callbacks run before the script, so they may
set controls; the page then applies the configuration to the user's
``Playground``.
"""

from __future__ import annotations

import math
import secrets
import urllib.parse

import pandas as pd
import streamlit as st

from nnplay import datasets
from nnplay.app import edits, pointcode, runfile
from nnplay.app.csvdata import CsvError, load_points, sample_csv
from nnplay.app.link import Classroom, ViewOptions, parse_query, to_query
from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.features import DEFAULT_FEATURES
from nnplay.presets import PRESETS
from nnplay.problems import (
    CUSTOM_PREFIX,
    POINTS_LEARNING_RATE,
    POINTS_TEST_FRACTION,
    SET_PREFIX,
    UPLOADED,
    problem_dataset,
)
from nnplay.serialization import RunFileError
from nnplay.settings import (
    MAX_HIDDEN_NODES,
    RUN_SETTINGS,
    SETTINGS,
    VIEW_SETTINGS,
    Setting,
    in_group,
)
from nnplay.views.qr import qr_png

LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0]


PRESET_SPEEDS = {"tutorial": "max", "fast": "2", "stuck": "max", "and": "5"}
GATE_RATE = RunConfig().learning_rate
"""A gate's learning rate; a point set's is ``nnplay.problems.POINTS_LEARNING_RATE``."""


POINT_SET_LABELS = {"circle": "circle", "xor": "xor (quadrants)", "gaussians": "two gaussians",
                    "spiral": "spiral", "moons": "moons", "checkerboard": "checkerboard",
                    "three_gaussians": "three gaussians (3 classes)",
                    "spiral3": "3-arm spiral (3 classes)", "plane": "plane (regression)",
                    "bumps": "gaussian bumps (regression)"}


PROBLEM_CHOICES = [*datasets.GATES, "parity3", "majority3", "custom",
                   *(SET_PREFIX + name for name in datasets.POINT_SETS), UPLOADED]


PROBLEM_LABELS = {"parity3": "3-input parity", "majority3": "3-input majority",
                  "custom": "Your own truth table", UPLOADED: "Points: your own (drawn or CSV)",
                  **{SET_PREFIX + k: f"Points: {v}" for k, v in POINT_SET_LABELS.items()}}


RATES = [0.0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]

# Streamlit's default spacing is made for documents; a playground wants its
# views on the first screen (a 1280x800 projector included).


def playground() -> Playground:
    """This user's playground, made from the link on their first visit."""
    if "playground" not in st.session_state:
        params = st.query_params.to_dict()
        link = parse_query(params)
        st.session_state.playground = Playground(link.config, link.view, link.points)
        log, edit_warnings = edits.parse_query(params, st.session_state.playground.shape)
        st.session_state.playground.use_log(log)  # replayed where each was made (edit=, off=)
        if link.at:  # a paused run's link (a reload, a new session, another server): back there
            st.session_state.playground.replay_to(link.at)
        st.session_state.link_warnings = list(link.warnings) + edit_warnings
        st.session_state.classroom = link.classroom
        set_widgets(link.config, link.view)
    return st.session_state.playground


def set_widgets(config: RunConfig, view: ViewOptions) -> None:
    """Point every control at ``config`` and ``view`` (before the controls are drawn).

    A control's key is its setting's name (``nnplay.settings``); the hidden layers, the
    problem's truth table and the learning rate's slider have controls of their own."""
    state = st.session_state
    for setting in (*RUN_SETTINGS, *VIEW_SETTINGS):
        value = getattr(config if setting.group != "view" else view, setting.name)
        state[setting.name] = list(value) if setting.kind == "names" else value
    custom = config.problem.startswith(CUSTOM_PREFIX)
    if custom:
        state.problem = "custom"
        _set_custom_bits(config.problem[len(CUSTOM_PREFIX):])
    state.n_hidden = len(config.hidden)
    for k, size in enumerate(config.hidden):
        state[f"hidden_{k}"] = size
    if not isinstance(config.activation, str):  # one per layer
        state.activation = PER_LAYER
        for k, name in enumerate(config.activation):
            state[f"activation_{k}"] = name
    state.lr_choice = nearest_rate(config.learning_rate)
    state.batch_size = config.batch_size or 0
    state.regularization_rate = _nearest(RATES, config.regularization_rate)


def _set_custom_bits(bits: str) -> None:
    """Start the truth-table editor afresh on ``bits`` (a new key: a new, unedited editor)."""
    state = st.session_state
    state.custom_bits = bits
    state.custom_base = bits
    state.custom_inputs = 3 if len(bits) == 8 else 2
    state.custom_version = state.get("custom_version", 0) + 1


def _custom_inputs_changed() -> None:
    bits = st.session_state.get("custom_bits", "0110")
    two = bits[:4] if len(bits) == 8 else bits
    _set_custom_bits(two * 2 if st.session_state.custom_inputs == 3 else two)


def _problem() -> str:
    state = st.session_state
    if state.problem != "custom":
        return state.problem
    return CUSTOM_PREFIX + state.get("custom_bits", "0110")


def problem_label(problem: str) -> str:
    if problem.startswith(CUSTOM_PREFIX):
        return f"your truth table ({problem[len(CUSTOM_PREFIX):]})"
    if problem.startswith(SET_PREFIX):
        return f"the {POINT_SET_LABELS[problem[len(SET_PREFIX):]]} points"
    if problem == UPLOADED:
        return "your points"
    return PROBLEM_LABELS.get(problem, problem.upper())


def calm_down() -> None:
    """After a divergence: a learning rate ten times smaller (a callback: before the sidebar)."""
    _set_rate(max(1e-6, float(st.session_state.learning_rate) / 10))


def nearest_rate(rate: float) -> float:
    return _nearest(LEARNING_RATES, rate)


def _nearest(choices: list[float], value: float) -> float:
    return min(choices, key=lambda choice: abs(choice - value))


def config_from_widgets() -> RunConfig:
    """The configuration the controls describe (raises ``ValueError`` if it is not valid)."""
    state = st.session_state
    values = {s.name: state[s.name] for s in RUN_SETTINGS}
    values["problem"] = _problem()
    values["hidden"] = tuple(int(state.get(f"hidden_{k}", 4)) for k in range(state.n_hidden))
    if state.activation == PER_LAYER:
        names = tuple(state.get(f"activation_{k}", "tanh") for k in range(state.n_hidden))
        values["activation"] = names or SETTINGS["activation"].default
    values["features"] = tuple(state.features) or DEFAULT_FEATURES
    values["batch_size"] = int(state.batch_size) or None
    return RunConfig(**values)


def view_from_widgets() -> ViewOptions:
    return ViewOptions(**{s.name: st.session_state[s.name] for s in VIEW_SETTINGS})


def _load_preset(name: str) -> None:
    preset = PRESETS[name]
    set_widgets(preset.config, ViewOptions(speed=PRESET_SPEEDS.get(name, "2")))
    p = playground()
    p.apply(preset.config, view_from_widgets())
    p.reset()
    p.notice = f"Preset '{preset.label}': {preset.description}"
    st.session_state.link_warnings = []


def _rate_chosen() -> None:
    st.session_state.learning_rate = st.session_state.lr_choice


def _rate_typed() -> None:
    """The slider follows an η typed exactly: to the nearest of its rates."""
    _set_rate(st.session_state.learning_rate)


def _new_seed() -> None:
    st.session_state.seed = secrets.randbelow(10_000)


def _upload() -> None:
    upload = st.session_state.get("upload")
    if upload is None:
        return
    try:
        (config, view, trainer, points), log = runfile.load_with_edits(upload.getvalue())
    except RunFileError as problem:
        st.session_state.upload_error = f"{problem} Your current run is unchanged."
        return
    st.session_state.upload_error = None
    set_widgets(config, view)
    playground().load(config, trainer, view, points, log)


def _upload_points() -> None:
    """A CSV of points: checked, then learned from iteration 0 (a bad file changes nothing)."""
    upload = st.session_state.get("points_csv")
    if upload is None:
        return
    try:
        points = pointcode.snapped(load_points(upload.getvalue()))  # as a link carries them
        config = config_from_widgets().replace(problem=UPLOADED, features=("x1", "x2"))
        config = config.replace(**outputs_for(points, config))
        config.shape(points)
    except (CsvError, ValueError) as problem:
        st.session_state.points_error = f"{problem} Your current run is unchanged."
        return
    st.session_state.points_error = None
    set_widgets(config, view_from_widgets())
    playground().use_points(points, config)


def outputs_for(data: datasets.Dataset, config: RunConfig) -> dict[str, str]:
    """A sensible output layer for the data: softmax for classes, linear for regression."""
    if data.kind == "multiclass":
        return {"output_activation": "softmax", "loss": "cross_entropy"}
    if data.kind == "regression" and config.output_activation in ("sigmoid", "softmax"):
        return {"output_activation": "linear", "loss": "mse" if config.loss == "cross_entropy"
                else config.loss}
    if config.output_activation == "softmax":
        return {"output_activation": "sigmoid"}
    return {}


def _problem_chosen() -> None:
    """A new problem: give it an output layer that fits, and a test set for point sets."""
    state = st.session_state
    problem = _problem()
    if problem == UPLOADED:
        return  # waits for a file
    data = problem_dataset(problem, int(state.n_points), float(state.noise), int(state.data_seed))
    fit = outputs_for(data, _config_from_widgets_or_default())
    if "output_activation" in fit:
        state.output_activation = fit["output_activation"]
    if "loss" in fit:
        state.loss = fit["loss"]
    if problem.startswith(SET_PREFIX):
        if not state.test_fraction:
            state.test_fraction = POINTS_TEST_FRACTION
        if data.kind == "regression":
            state.features = ["x1", "x2"]
        if float(state.learning_rate) == GATE_RATE:  # the gates' rate, not one the student chose
            _set_rate(POINTS_LEARNING_RATE)
    else:
        state.test_fraction = 0.0
        if float(state.learning_rate) == POINTS_LEARNING_RATE:
            _set_rate(GATE_RATE)
    if data.n_inputs != 2:
        state.features = ["x1", "x2"]


def _set_rate(rate: float) -> None:
    """η, and the slider at the nearest of its rates."""
    st.session_state.learning_rate = rate
    st.session_state.lr_choice = nearest_rate(rate)


def _config_from_widgets_or_default() -> RunConfig:
    try:
        return config_from_widgets()
    except ValueError:
        return playground().config


def _regenerate() -> None:
    st.session_state.data_seed = secrets.randbelow(10_000)


def presets_ui() -> None:
    st.markdown("**Presets**")
    cols = st.columns(2)
    for k, (name, preset) in enumerate(PRESETS.items()):
        cols[k % 2].button(preset.label, key=f"preset_{name}", on_click=_load_preset,
                           args=(name,), help=preset.description, width="stretch")


def _select(name: str, where=st, **options) -> None:
    """The setting ``name``'s choices as a selectbox."""
    s = SETTINGS[name]
    labels = s.choice_labels or {}
    where.selectbox(s.label, s.choices, key=name, help=s.help or None,
                    format_func=lambda c: labels.get(c, c), **options)


def _number(name: str, where=st, *, label: str | None = None, slider: bool = False,
            **options) -> None:
    """The setting ``name`` as a number box (or a slider) within its range."""
    s = SETTINGS[name]
    whole = s.kind in ("whole", "batch")
    low = int(s.low) if whole else float(s.low)
    high = None if math.isinf(s.high) else int(s.high) if whole else float(s.high)
    widget = where.slider if slider else where.number_input
    widget(label or s.label, low, high, key=name, help=s.help or None, **options)


def _toggle(name: str) -> None:
    s = SETTINGS[name]
    st.toggle(s.label, key=name, help=s.help or None)


def data_ui() -> None:
    st.selectbox("Problem", PROBLEM_CHOICES, key="problem", on_change=_problem_chosen,
                 format_func=lambda n: PROBLEM_LABELS.get(n, n.upper()))
    problem = st.session_state.problem
    if problem == "custom":
        truth_table_editor()
    if problem == UPLOADED:
        points_upload_ui()
    if problem.startswith(SET_PREFIX) or problem == UPLOADED:
        point_set_ui(uploaded=problem == UPLOADED)
    if problem not in ("parity3", "majority3") and not (problem == "custom" and
                                                         st.session_state.custom_inputs == 3):
        s = SETTINGS["features"]
        st.multiselect(s.label, s.choices, key="features", help=s.help,
                       format_func=s.choice_labels.get)


def point_set_ui(uploaded: bool) -> None:
    if not uploaded:
        cols = st.columns(2)
        _number("n_points", cols[0], slider=True, step=10)
        _number("noise", cols[1], slider=True, step=0.05)
    _number("test_fraction", slider=True, step=0.1)
    cols = st.columns([3, 2], vertical_alignment="bottom")
    _number("data_seed", cols[0])
    cols[1].button("Regenerate", on_click=_regenerate, width="stretch")


def points_upload_ui() -> None:
    st.file_uploader("Points (CSV with columns x1, x2, label)", type=["csv", "txt"],
                     key="points_csv", on_change=_upload_points)
    st.download_button("Sample CSV", data=sample_csv(), file_name="points.csv", mime="text/csv",
                       on_click="ignore")
    if st.session_state.get("points_error"):
        st.error(st.session_state.points_error)
    elif playground().uploaded is None:
        st.info("Upload a CSV of points to learn them (download the sample to see the format), "
                "or draw them: ✎ Draw points under the decision surface.")
    st.caption(f"Up to {pointcode.MAX_LINK_POINTS} points of classes ride in the link, each "
               f"coordinate rounded to 1/{pointcode.DIVISIONS} of the square's width (the page "
               "learns them so rounded, so the link opens the same run).")


def network_ui() -> None:
    hidden = SETTINGS["hidden"]
    st.slider(hidden.label, 0, int(hidden.high), key="n_hidden")
    n_hidden = st.session_state.n_hidden
    if n_hidden:
        cols = st.columns(2)
        for k in range(n_hidden):
            st.session_state.setdefault(f"hidden_{k}", 4)
            cols[k % 2].number_input(f"Layer {k + 1}", 1, MAX_HIDDEN_NODES, key=f"hidden_{k}",
                                     help=f"Neurons in hidden layer {k + 1} (1 to {MAX_HIDDEN_NODES})")
    try:
        shape = config_from_widgets().shape(playground().uploaded)
    except ValueError:
        shape = playground().shape
    st.markdown(f"Shape in the tutorial's notation: **`{shape}`**")
    hidden_activation_ui(n_hidden)
    _select("output_activation")
    _select("init")
    cols = st.columns([3, 2])
    _number("seed", cols[0])
    cols[1].button("New seed", on_click=_new_seed, width="stretch")
    st.caption("Changing any of these starts the network again from iteration 0.")


PER_LAYER = "per layer"
"""The hidden activation control's choice that opens one control per hidden layer."""


def hidden_activation_ui(n_hidden: int) -> None:
    """One activation for every hidden layer, or, choosing "one per layer", one for each."""
    s = SETTINGS["activation"]
    labels = {**s.choice_labels, PER_LAYER: "one per layer"}
    st.selectbox(s.label, (*s.choices, PER_LAYER), key="activation", help=s.help,
                 format_func=labels.get)
    if st.session_state.activation == PER_LAYER and n_hidden:
        cols = st.columns(2)
        for k in range(n_hidden):
            st.session_state.setdefault(f"activation_{k}", s.default)
            cols[k % 2].selectbox(f"Layer {k + 1} activation", s.choices, key=f"activation_{k}",
                                  format_func=labels.get)


def truth_table_editor() -> None:
    """Any function of 2 or 3 inputs: tick the rows whose target is 1."""
    state = st.session_state
    if "custom_bits" not in state:
        _set_custom_bits("0110")
    st.radio("Inputs", [2, 3], key="custom_inputs", horizontal=True, on_change=_custom_inputs_changed)
    base = problem_dataset(CUSTOM_PREFIX + state.custom_base)
    table = pd.DataFrame(base.X.astype(int), columns=list(base.input_names))
    table["target"] = base.y[:, 0] > 0.5
    edited = st.data_editor(
        table, key=f"custom_table_{state.custom_version}", hide_index=True, width="stretch",
        disabled=list(base.input_names),
        column_config={"target": st.column_config.CheckboxColumn("target = 1", default=False)})
    state.custom_bits = "".join("1" if t else "0" for t in edited["target"])
    st.caption(f"custom:{state.custom_bits} (the targets in binary counting order)")


def training_ui() -> None:
    """A control per training setting, in the table's order, each only where it means
    something (momentum for the momentum rule); a new row of the table appears here as it is."""
    shown = [s for s in in_group("training") if s.means_something(st.session_state)]
    k = 0
    while k < len(shown):
        pair = shown[k:k + 2]
        if tuple(s.name for s in pair) in SIDE_BY_SIDE:
            for column, setting in zip(st.columns(2, vertical_alignment="bottom"), pair):
                _control(setting, column)
            k += 2
        else:
            _control(shown[k])
            k += 1
    st.caption("These keep the network: change them while it plays.")


SIDE_BY_SIDE = {("min_error", "max_iterations"), ("regularization", "regularization_rate")}
"""Neighbouring controls drawn in one row."""


def _control(s: Setting, where=st) -> None:
    """The control of one setting: a choice box or a number box, or one of its own."""
    if s.name == "learning_rate":
        where.select_slider(s.label, LEARNING_RATES, key="lr_choice", on_change=_rate_chosen,
                            format_func=lambda v: f"{v:g}", help=s.help)
        _number("learning_rate", where, label="η exactly (type any value)", format="%g", step=0.1,
                on_change=_rate_typed)
    elif s.name == "batch_size":
        where.number_input(f"{s.label} (0 = all the training examples)", 0, int(s.high),
                           key="batch_size", help=s.help)
    elif s.name == "regularization_rate":
        where.select_slider(s.label, RATES, key=s.name, help=s.help, format_func=lambda v: f"{v:g}")
    elif s.kind == "choice":
        _select(s.name, where)
    else:
        _number(s.name, where, slider=s.name == "momentum", **NUMBER_STEPS.get(s.name, {}))


NUMBER_STEPS = {"decay_steps": {"step": 100}, "decay_rate": {"format": "%g", "step": 0.05},
                "decay_floor": {"format": "%g", "step": 0.05}, "warmup": {"step": 10},
                "momentum": {"step": 0.01}, "beta1": {"format": "%g", "step": 0.01},
                "beta2": {"format": "%g", "step": 0.0001}, "min_error": {"format": "%g", "step": 0.001},
                "max_iterations": {"step": 1000}, "dropout": {"format": "%g", "step": 0.05}}


def keep_ui(p: Playground) -> None:
    st.download_button(
        "Download run (JSON)", data=lambda: runfile.save(p.config, p.view, p.trainer, p.uploaded,
                                                             p.log),
        file_name="nnplay-run.json", mime="application/json", on_click="ignore",
        width="stretch", help="Configuration, weights, optimiser state and history: load it "
        "back here to continue exactly where you are.")
    st.download_button(
        "Download error history (CSV)", data=lambda: _history_csv(p), file_name="nnplay-error.csv",
        mime="text/csv", on_click="ignore", width="stretch")
    st.file_uploader("Load a run", type=["json"], key="upload", on_change=_upload,
                     help="A file saved with 'Download run'.")
    if st.session_state.get("upload_error"):
        st.error(st.session_state.upload_error)


def _history_csv(p: Playground) -> str:
    iterations, low, high = p.trainer.history.curve()
    lines = ["iteration,error_min,error_max"]
    lines += [f"{i},{lo!r},{hi!r}" for i, lo, hi in zip(iterations, low.tolist(), high.tolist())]
    return "\n".join(lines) + "\n"


def sidebar_ui(p: Playground) -> RunConfig | None:
    """Draw the settings; return the configuration they describe, or None if it is not valid.

    In classroom mode some parts are hidden; their values stay as the link set them.
    """
    hidden = set(classroom().hide)
    _keep_hidden_values()
    with st.sidebar:
        if "presets" not in hidden:
            presets_ui()
        if "network" not in hidden:
            with st.expander("Data", expanded=True):
                data_ui()
            with st.expander("Network", expanded=True):
                network_ui()
        if "training" not in hidden:
            with st.expander("Training", expanded=True):
                training_ui()
        try:
            config = config_from_widgets()
        except ValueError as problem:
            st.error(f"{problem} The run keeps its previous settings until this is fixed.")
            config = None
        if "view" not in hidden:
            with st.expander("View"):
                for setting in VIEW_SETTINGS:
                    if setting.kind == "flag":
                        _toggle(setting.name)
        if "keep" not in hidden:
            with st.expander("Keep your work"):
                keep_ui(p)
        if "share" not in hidden:
            share_ui(p)
    return config


WIDGET_KEYS = (*(s.name for s in (*RUN_SETTINGS, *VIEW_SETTINGS)), "n_hidden",
               *(f"hidden_{k}" for k in range(int(SETTINGS["hidden"].high))),
               *(f"activation_{k}" for k in range(int(SETTINGS["hidden"].high))), "lr_choice",
               "custom_bits", "custom_inputs")
"""Every control's key: a setting's name, or a control of the hidden layers, the learning
rate's slider or the truth table's editor."""


def classroom() -> Classroom:
    return st.session_state.get("classroom", Classroom())


def _keep_hidden_values() -> None:
    """Streamlit forgets the value of a widget that is not drawn (a control that only some
    problems show, or one that classroom mode hides); re-setting it each run keeps it."""
    state = st.session_state
    for key in WIDGET_KEYS:
        if key in state:
            state[key] = state[key]


def share_ui(p: Playground) -> None:
    # Drawn only while open (its contents cost a script run time, and its code box loads
    # a syntax highlighter the rest of the page does not need).
    box = st.expander("Share this run", key="share_open", on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption("This link opens exactly this configuration and seed:")
        link = _link(run_query(p))
        left_out = points_left_out(p)
        if left_out:
            st.warning(left_out)
        st.code(link, language=None, wrap_lines=True)
        st.image(qr_png(link), width="stretch", output_format="PNG",
                 caption="The same link as a QR code: students scan it with their phone's camera.")
        if st.button("Show the QR code large", width="stretch", key="share_qr",
                     help="For a projector: the code across the screen, readable from the back."):
            _qr_dialog(link)
        st.markdown("**Links to hand out** (the classroom versions hide the settings and "
                    "enlarge the text for a projector):")
        lines = []
        for name, preset in PRESETS.items():
            view = ViewOptions(speed=PRESET_SPEEDS.get(name, "2"))
            plain = _link(to_query(preset.config, view))
            for_class = _link(to_query(preset.config, view, CLASSROOM))
            lines.append(f"- [{preset.label}]({plain}) · [classroom]({for_class})")
        st.markdown("\n".join(lines))


def points_left_out(p: Playground) -> str | None:
    """The sentence for a link that cannot carry the run's own points (the run keeps them)."""
    if p.config.problem != UPLOADED or p.uploaded is None:
        return None
    why = pointcode.why_not(p.uploaded)
    return None if why is None else (
        f"This link leaves out your {p.uploaded.n_examples:,} points ({why}); it opens the same "
        "settings without them. Your run and its points stay here as they are.")


def address_ui(p: Playground) -> None:
    """The page's address: the run's link. While paused it holds the iteration (``at=``), so a
    reload, a reconnect to a new session or another server returns to the same weights; while
    playing it is dropped. Called after anything that may move the run in a script run."""
    if p.config != RunConfig() or st.query_params or p.position() or p.log:
        st.query_params.from_dict(run_query(p))


def run_query(p: Playground) -> dict[str, str]:
    """The run's link: its configuration, the iteration it is at (``at=``, paused), its own
    points (``pts=``) and its hand edits (``edit=``, ``off=``)."""
    return {**to_query(p.config, p.view, classroom(), p.position(), p.uploaded),
            **edits.to_query(p.log, p.shape)}


@st.dialog("Scan to open this run", width="small")  # whole on a 1280 x 800 projector
def _qr_dialog(link: str) -> None:
    st.image(qr_png(link, scale=12), width="stretch", output_format="PNG")
    st.caption(link)


CLASSROOM = Classroom(hide=("presets", "network", "training", "keep", "share"), big=True)


def _link(query: dict[str, str]) -> str:
    base = (st.context.url or "").split("?")[0]
    return base + "?" + urllib.parse.urlencode(query)
