// The live area's inspection tools (issue #15): click a node for its numbers, play one
// iteration in slow motion, and show what the last update changed (ΔW).
//
// live.js loads this module beside itself (sibling("inspect.js")) and calls an Inspector at
// four points: build (the views were built), update (data from Python), hold (a frame is
// about to be drawn: slow motion keeps it until it ends) and drew (a frame was drawn).
// Python computes every number (nnplay/views/node_detail.py, the explainer's step); this
// module only shows them. Pure helpers are exported for node's test runner.

const SVG = "http://www.w3.org/2000/svg";
export const SPEEDS = [["slow", "slowly (3 s a stage)", 3000], ["medium", "steadily (1.5 s a stage)", 1500],
  ["fast", "quickly (0.6 s a stage)", 600]];
const UPDATE_FRAMES = 24; // the update stage: weights drawn this many times from before to after

// -- pure helpers (tested with node --test) ---------------------------------------------------

/** ``[layer, index]`` of the node named ``name`` in the scene's labels, or null. */
export function nodeOf(labels, name) {
  for (let k = 0; k < labels.length; k++) {
    const i = labels[k].indexOf(name);
    if (i >= 0) return [k, i];
  }
  return null;
}

/** Text with the server's <sub> and <sup> marks as ``[[tag or null, text], ...]``: nothing
 * else of it is ever read as HTML. */
export function richParts(text) {
  const parts = [];
  let tag = null;
  for (const piece of String(text).split(/(<\/?(?:sub|sup)>)/)) {
    const mark = piece.match(/^<(\/?)(sub|sup)>$/);
    if (mark) tag = mark[1] ? null : mark[2];
    else if (piece) parts.push([tag, piece]);
  }
  return parts;
}

/** Weight matrices ``t`` of the way from ``before`` to ``after`` (``after`` itself at 1). */
export function lerpWeights(before, after, t) {
  if (t >= 1) return after;
  return before.map((m, k) => m.map((row, i) => row.map((w, j) => w + (after[k][i][j] - w) * t)));
}

/** ``after - before``, matrix by matrix; null when the shapes differ (a new network). */
export function weightChange(before, after) {
  if (!before || !after || before.length !== after.length) return null;
  const same = before.every((m, k) => m.length === after[k].length && m[0].length === after[k][0].length);
  return same ? after.map((m, k) => m.map((row, i) => row.map((w, j) => w - before[k][i][j]))) : null;
}

/** The largest |ΔW| of a change (0 when nothing moved). */
export function largest(change) {
  let most = 0;
  for (const m of change) for (const row of m) for (const v of row) most = Math.max(most, Math.abs(v));
  return most;
}

/** A change in a heatmap cell, at most six characters: +0.012, -0.35, +3e-4, 0. */
export function changeText(value) {
  if (value === 0) return "0";
  const m = Math.abs(value), sign = value > 0 ? "+" : "-";
  if (m < 1e-99) return `${sign}~0`; // its power of ten would not fit
  if (m >= 9.995 && m < 9999.5) return `${sign}${m.toFixed(0)}`;
  if (m >= 0.0095 && m < 9.995) return `${sign}${m.toFixed(m >= 0.995 ? 2 : 3)}`.replace(/^([+-])0\./, "$1.");
  const [mantissa, exponent] = m.toExponential(0).split("e");
  return `${sign}${mantissa}e${parseInt(exponent, 10)}`;
}

/** The stages of one iteration in slow motion: the inputs, each layer forward, the error,
 * each layer's δ from the output back, the update. */
export function slowStages(slow) {
  const n = slow.layers.length, stages = [{ kind: "inputs" }];
  for (let k = 1; k <= n; k++) stages.push({ kind: "forward", layer: k });
  stages.push({ kind: "error" });
  for (let k = n; k >= 1; k--) stages.push({ kind: "delta", layer: k });
  stages.push({ kind: "update" });
  return stages;
}

/** What each node shows at a stage, for the example in column ``e``: ``{label: [symbol, text]}``. Forward,
 * every layer reached shows its output O; at the error the outputs show O and the target;
 * backward, the layers reached show δ. The texts are the explainer's (4 significant digits). */
export function stageValues(slow, stage, e) {
  const out = {}, L = slow.layers.length, labels = slow.labels;
  const reached = stage.kind === "inputs" ? 0 : stage.kind === "forward" ? stage.layer : L;
  labels[0].forEach((name, i) => { out[name] = ["", slow.inputs[i][e]]; });
  for (let k = 1; k <= reached; k++) {
    const layer = slow.layers[k - 1];
    labels[k].forEach((name, i) => {
      const dropped = layer.dropped && layer.dropped[i][e];
      out[name] = ["O", dropped ? "0 (off)" : layer.o[i][e]];
    });
  }
  if (stage.kind === "error") {
    labels[L].forEach((name, i) => { out[name] = ["O", `${slow.layers[L - 1].o[i][e]}, T ${slow.targets[i][e]}`]; });
  }
  if (stage.kind === "delta" || stage.kind === "update") {
    const from = stage.kind === "delta" ? stage.layer : 1;
    for (let k = L; k >= from; k--) {
      labels[k].forEach((name, i) => { out[name] = ["δ", slow.layers[k - 1].delta[i][e]]; });
    }
  }
  return out;
}

/** The sentence under the diagram at a stage (its subscripts marked <sub>). */
export function stageText(slow, stage, e) {
  const letters = "IJKLMNPQ", example = slow.example, n = slow.n_examples;
  const J = stage.layer ? letters[stage.layer] : "";
  const whose = `Iteration ${slow.iteration + 1}${n > 1 ? `, numbers for the example ${example}` : ""} · `;
  return whose + stageSentence(slow, stage, J, n);
}

function stageSentence(slow, stage, J, n) {
  switch (stage.kind) {
    case "inputs":
      return `The inputs enter the network${n > 1 ? ` (the step learns from all ${n} examples; pick the one to follow in a node's panel)` : ""}.`;
    case "forward":
      return `Forward, layer ${J}: each node adds up its inputs times their weights, plus its bias (x<sub>${J}</sub>); its transfer function turns that into its output O<sub>${J}</sub>.`;
    case "error":
      return `The error: the output O against the target T. Over all examples, E = ${slow.error} (${slow.loss}).`;
    case "delta":
      return `Back propagation, layer ${J}: δ<sub>${J}</sub> says how much, and which way, each node's input should move to make the error smaller.`;
    default:
      return slow.exact
        ? `The update: every weight moves by −η ΔW (η = ${slow.eta}), ΔW summed over the examples.`
        : `The update: ${slow.claim}`;
  }
}

// -- drawing ----------------------------------------------------------------------------------

function el(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function rich(parent, text) {
  for (const [tag, piece] of richParts(text)) parent.append(tag ? Object.assign(el(tag), { textContent: piece }) : piece);
  return parent;
}

export class Inspector {
  constructor(area) {
    this.area = area;
    this.node = null; // the node chosen (its label), as far as this browser knows
    this.example = -1; // -1: the whole batch
    this.detail = null;
    this.showChange = false;
    this.before = null; // the weights of the frame drawn before the last
    this.shownFrame = null;
    this.slow = null; // slow motion on the way: {data, stages, at, paused, timer, pending, base}
    this.speed = "medium";
  }

  // -- building -------------------------------------------------------------------------------
  build() {
    const area = this.area;
    if (area.root.classList.contains("still")) return; // the rewind panel's picture: no tools
    this.stopSlow(false);
    this.before = this.shownFrame = null;
    const cell = area.body.querySelector(".nn-diagram-cell");
    this.panel = el("aside", { class: "nn-cell nn-node-cell", "data-view": "node-detail", "aria-live": "polite", hidden: "" });
    cell.after(this.panel);
    const bar = el("div", { class: "nn-inspect", role: "group", "aria-label": "Inspect the network" }, cell);
    this.slowButton = el("button", { type: "button", class: "nn-slow-step", title: "One Step, played stage by stage" }, bar);
    this.slowButton.textContent = "Slow motion"; // (a name without "Step" or "Speed": the transport has those)
    this.slowButton.onclick = () => this.askSlow();
    this.speedSelect = el("select", { class: "nn-slow-speed", "aria-label": "Slow-motion pace" }, bar);
    for (const [value, label] of SPEEDS) el("option", { value }, this.speedSelect).textContent = label;
    this.speedSelect.value = this.speed;
    this.speedSelect.onchange = () => { this.speed = this.speedSelect.value; };
    this.pauseButton = el("button", { type: "button", class: "nn-slow-pause", hidden: "" }, bar);
    this.pauseButton.onclick = () => this.togglePause();
    this.skipButton = el("button", { type: "button", class: "nn-slow-skip", hidden: "" }, bar);
    this.skipButton.textContent = "Skip to the end";
    this.skipButton.onclick = () => this.stopSlow(true);
    const toggle = el("label", { class: "nn-show-change" }, bar);
    this.changeBox = el("input", { type: "checkbox" }, toggle);
    this.changeBox.checked = this.showChange;
    toggle.append(" Show ΔW of the last update");
    this.changeBox.onchange = () => { this.showChange = this.changeBox.checked; this.redraw(); };
    this.say = el("p", { class: "nn-inspect-say", role: "status", "data-view": "inspect-say" }, cell);
    this.hint();
    const diagram = area.body.querySelector('svg[data-view="diagram"]');
    diagram.setAttribute("role", "group"); // its nodes are buttons now, which an image would hide
    this.overlay = el("g", { class: "nn-slow-values" }, diagram, SVG);
    for (const g of area.body.querySelectorAll("svg[data-view='diagram'] [data-node]")) {
      const name = g.dataset.node;
      Object.assign(g.dataset, { inspect: "" });
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", `${name}: show its numbers`);
      g.addEventListener("click", (e) => {
        const target = e.composedPath()[0];
        if (!(target.closest && target.closest("[data-weight]"))) this.choose(name); // a bias square is a weight's
      });
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); this.choose(name); }
      });
    }
    if (this.node && !nodeOf(area.scene.labels, this.node)) this.node = null;
    this.showDetail(this.detail);
  }

  hint() {
    this.say.textContent = "Click or tap a node (or Tab to it and press Enter) for its numbers: "
      + "paused, exactly the next Step's. “Slow motion” makes one Step and plays it stage by stage.";
  }

  // -- data from Python -----------------------------------------------------------------------
  update(data) {
    if (!this.panel) return;
    if (data.slow) this.startSlow(data.slow);
    if ("change" in data) this.exact = data.change;
    if (!("node" in data)) return;
    if (this.slow) this.slow.detail = data.node; // the panel moves on when slow motion ends
    else this.showDetail(data.node);
  }

  /** A frame is about to be drawn: slow motion keeps it for its end (a frame that plays ends
   * slow motion at once). */
  hold(f) {
    if (!this.slow || this.ownDraw) return false;
    if (f.playing) {
      this.stopSlow(false);
      return false;
    }
    this.slow.pending = f;
    return true;
  }

  /** A frame was drawn: ΔW is its weights less the frame's before it. */
  drew(f) {
    if (this.ownDraw) return;
    // A frame of another iteration: the one before it is what ΔW starts from (the same
    // iteration sent again, after a page run, keeps it).
    if (this.shownFrame && f.i !== this.shownFrame.i) {
      this.before = { w: this.shownFrame.w, i: this.shownFrame.i };
    }
    this.shownFrame = f;
    if (this.showChange) this.paintChange(f);
  }

  /** Draw a frame of slow motion's own (weights on their way): not a frame of the run. */
  drawOwn(f) {
    this.ownDraw = true;
    try {
      this.area.draw(f);
    } finally {
      this.ownDraw = false;
    }
  }

  redraw() {
    if (this.slow) return;
    if (!this.showChange) this.clearTips();
    if (this.area.frame) this.area.draw(this.area.frame);
    if (!this.showChange && !this.slow) this.hint();
  }

  // -- the node panel -------------------------------------------------------------------------
  choose(name) {
    if (this.slow) return;
    const closing = this.node === name;
    this.node = closing ? null : name;
    this.area.send({ type: "node", node: this.node || "", example: this.example });
    if (!closing) this.showDetail({ node: name, loading: true, example: this.example >= 0 ? this.example : null });
    else this.showDetail(null);
  }

  showDetail(detail) {
    this.detail = detail;
    if (!this.panel) return;
    for (const g of this.area.body.querySelectorAll("[data-node]")) {
      g.classList.toggle("nn-chosen", !!detail && g.dataset.node === detail.node);
    }
    const p = this.panel;
    p.replaceChildren();
    if (!detail) {
      p.hidden = true;
      this.node = null;
      return;
    }
    p.hidden = false;
    this.node = detail.node;
    this.example = detail.example ?? -1;
    const head = el("div", { class: "nn-node-head" }, p);
    rich(el("b", {}, head), detail.title || detail.node);
    const close = el("button", { type: "button", class: "nn-node-close", "aria-label": "Close the node panel" }, head);
    close.textContent = "×";
    close.onclick = () => this.choose(detail.node);
    if (detail.loading) {
      el("p", { class: "nn-node-words" }, p).textContent = "Working it out…";
      return;
    }
    if (detail.playing) {
      el("p", { class: "nn-node-words" }, p).textContent = detail.words;
      return;
    }
    const pick = el("label", { class: "nn-node-example" }, p);
    pick.append("Example ");
    const select = el("select", { "aria-label": "Example" }, pick);
    detail.examples.forEach((name, k) => { el("option", { value: k - 1 }, select).textContent = name; });
    select.value = String(this.example);
    select.onchange = () => {
      this.example = Number(select.value);
      this.area.send({ type: "node", node: detail.node, example: this.example });
    };
    rich(el("p", { class: "nn-node-words" }, p), detail.words);
    if (detail.claim) el("p", { class: `nn-node-claim ${detail.claim[0]}` }, p).textContent = detail.claim[1];
    for (const t of detail.tables) this.table(p, t, t.columns[t.columns.length - 1] === "new W" ? detail.new_weights : null);
    for (const note of detail.notes) rich(el("p", { class: "nn-node-note" }, p), note);
    if (detail.explainer) {
      const link = el("button", { type: "button", class: "nn-node-explain" }, p);
      link.textContent = "Open in the tab “Back propagation, step by step” ↓";
      link.title = detail.explainer || "";
      link.onclick = () => this.area.send({ type: "explain", example: this.example });
    }
  }

  table(parent, t, exact) {
    const fig = el("figure", { class: "nn-node-table" }, parent);
    const cap = el("figcaption", {}, fig);
    rich(el("b", {}, cap), t.name);
    cap.append(` · ${t.words}`);
    const table = el("table", {}, fig);
    const head = el("tr", {}, el("thead", {}, table));
    el("th", {}, head);
    for (const c of t.columns) el("th", {}, head).textContent = c;
    const body = el("tbody", {}, table);
    t.rows.forEach((row, r) => {
      const tr = el("tr", {}, body);
      rich(el("th", {}, tr), row);
      t.cells[r].forEach((v, c) => {
        const td = el("td", {}, tr);
        td.textContent = v;
        if (exact && c === t.cells[r].length - 1 && exact[r] !== undefined && row !== "⋯") {
          td.dataset.exact = exact[r]; // every digit: what Step gives, bit for bit
          td.title = `new weight, every digit: ${exact[r]}`;
        }
      });
    });
    if (t.note) el("p", { class: "nn-node-note" }, fig).textContent = t.note;
  }

  // -- ΔW ---------------------------------------------------------------------------------------
  paintChange(f) {
    const area = this.area, s = area.scene;
    // The last Step's own change, exact, when the server sent it for this frame; else the
    // frames' weights (five decimals) less the frame's before.
    const exact = this.exact && this.exact.to === f.i ? this.exact : null;
    const from = exact ? exact.from : this.before && this.before.i;
    const change = exact ? exact.w : from !== null && from !== undefined && f.i !== null && f.i > from
      ? weightChange(this.before.w, f.w) : null;
    // A view out of sight while the run plays waits, ΔW too: it is painted as the view comes
    // into sight (LiveArea.watchSight draws it, then calls drew again).
    const behind = area.sight.behind;
    if (!behind.has("weights")) this.clearTips();
    if (!change) {
      this.say.textContent = "ΔW: no update to show yet (Step, or Play, and it shows how much each weight moved).";
      return;
    }
    const most = largest(change) || 1, iterations = f.i - from;
    const colour = (v) => (v === 0 ? "#9a9a9a" : v > 0 ? s.colors.positive : s.colors.negative);
    if (!behind.has("diagram")) {
      for (const [line, k, i, j] of area.edges) {
        const v = change[k][i][j];
        line.setAttribute("stroke", colour(v));
        line.removeAttribute("stroke-dasharray");
        line.setAttribute("stroke-width", (0.4 + area.edgeWidth * Math.abs(v) / most).toFixed(2));
        line.setAttribute("stroke-opacity", (0.25 + 0.75 * Math.abs(v) / most).toFixed(2));
      }
    }
    if (!behind.has("weights")) {
      for (const [rect, label, k, i, j] of area.cells) {
        const v = change[k][i][j], t = (v / most + 1) / 2;
        rect.setAttribute("fill", scaleColour(t, s.colors.scale));
        rect.dataset.tip = `ΔW${k + 1}[${i}, ${j}] = ${v}`; // the hover shows every digit
        label.textContent = changeText(v);
        label.setAttribute("fill", Math.abs(v) > 0.6 * most ? "#ffffff" : "#31333f");
      }
      const [low, zero, high] = area.scaleLabels; // the colour scale: of ΔW now
      low.textContent = `-${+most.toPrecision(2)}`;
      zero.textContent = "0";
      high.textContent = `+${+most.toPrecision(2)}`;
    }
    const span = iterations === 1 ? `the last iteration (${from} to ${f.i})`
      : `the last ${iterations.toLocaleString("en")} iterations (${from.toLocaleString("en")} to ${f.i.toLocaleString("en")})`;
    this.say.textContent = `Showing ΔW, how much each weight moved in ${span}: blue went up, orange down, `
      + `thicker and darker moved more; the largest move is ${+most.toPrecision(3)}`
      + `${exact ? " (exact; hover a cell for every digit)" : " (from the weights as drawn, to five decimals)"}.`
      + " Untick to see the weights again.";
  }

  /** The heatmap cells' ΔW tooltips off: they show their weight again. */
  clearTips() {
    for (const [rect] of this.area.cells || []) delete rect.dataset.tip;
  }

  // -- slow motion --------------------------------------------------------------------------------
  askSlow() {
    if (this.slow) return;
    this.area.send({ type: "slow", example: this.example, ...this.area.player.hold() });
    this.area.playButton.textContent = "Play";
  }

  startSlow(data) {
    this.stopSlow(false);
    const area = this.area;
    // e: the column of the example followed (the server sends that example alone)
    this.slow = { data, e: 0, stages: slowStages(data), at: -1, paused: false, timer: null, pending: null,
      base: area.frame, detail: undefined };
    this.pauseButton.hidden = this.skipButton.hidden = false;
    this.pauseButton.textContent = "Pause";
    this.slowButton.disabled = true;
    this.nextStage();
  }

  nextStage() {
    const slow = this.slow;
    if (!slow) return;
    slow.at += 1;
    if (slow.at >= slow.stages.length) {
      this.stopSlow(true);
      return;
    }
    const stage = slow.stages[slow.at], ms = SPEEDS.find((s) => s[0] === this.speed)[2];
    this.showValues(stageValues(slow.data, stage, slow.e));
    this.flow(stage);
    this.say.replaceChildren();
    rich(this.say, stageText(slow.data, stage, slow.e));
    if (stage.kind === "update") {
      let frame = 0;
      const tick = () => {
        if (!this.slow) return;
        if (!this.slow.paused) {
          frame += 1;
          const w = lerpWeights(slow.data.before, slow.data.after, frame / UPDATE_FRAMES);
          if (slow.base) this.drawOwn({ ...slow.base, w, curve: null, test: null, rate: null });
        }
        slow.timer = setTimeout(frame >= UPDATE_FRAMES ? () => this.nextStage() : tick, ms / UPDATE_FRAMES);
      };
      tick();
      return;
    }
    slow.timer = setTimeout(() => this.waitPaused(), ms);
  }

  waitPaused() {
    if (!this.slow) return;
    if (this.slow.paused) this.slow.timer = setTimeout(() => this.waitPaused(), 150);
    else this.nextStage();
  }

  togglePause() {
    if (!this.slow) return;
    this.slow.paused = !this.slow.paused;
    this.pauseButton.textContent = this.slow.paused ? "Go on" : "Pause";
  }

  /** End slow motion; ``finish``: show the frame Step gave (the one held). */
  stopSlow(finish) {
    const slow = this.slow;
    if (!slow) return;
    clearTimeout(slow.timer);
    this.slow = null;
    this.overlay.replaceChildren();
    for (const [line] of this.area.edges || []) line.classList.remove("nn-flow", "back");
    this.pauseButton.hidden = this.skipButton.hidden = true;
    this.slowButton.disabled = false;
    if (slow.detail !== undefined) this.showDetail(slow.detail);
    if (finish) {
      const shown = slow.pending || this.area.frame;
      if (shown) this.area.draw(shown);
      this.say.textContent = `Done: the network is now exactly as Step leaves it, at iteration ${slow.data.iteration + 1}.`
        + (slow.data.exact ? " Its numbers were the explainer's." : ` ${slow.data.claim}`);
    }
  }

  showValues(values) {
    this.overlay.replaceChildren();
    const labels = this.area.scene.labels, last = labels[labels.length - 1];
    for (const g of this.area.body.querySelectorAll("svg[data-view='diagram'] [data-node]")) {
      const box = g.querySelector("rect"), shown = values[g.dataset.node];
      if (!shown) continue;
      const [x0, y0] = ["x", "y"].map((a) => Number(box.getAttribute(a))), side = Number(box.getAttribute("width"));
      // Beside the node, where its outgoing edges start; the outputs' below (nothing is beside them).
      const below = last.includes(g.dataset.node);
      const [x, y, anchor] = below ? [x0 + side / 2, y0 + side + 13, "middle"] : [x0 + side + 3, y0 + side / 2 + 4, "start"];
      const t = el("text", { x, y, "text-anchor": anchor, "font-size": 11, class: "nn-slow-value",
        "data-node": g.dataset.node, "data-symbol": shown[0] }, this.overlay, SVG);
      t.textContent = shown[0] ? `${shown[0]} ${shown[1]}` : shown[1];
    }
  }

  /** The edges a stage works along: into the layer forward, out of it backward, all at the update. */
  flow(stage) {
    for (const [line, k] of this.area.edges) {
      const on = stage.kind === "update" || (stage.kind === "forward" && k + 1 === stage.layer)
        || (stage.kind === "delta" && k === stage.layer);
      line.classList.toggle("nn-flow", on);
      line.classList.toggle("back", stage.kind === "delta");
    }
  }
}

function scaleColour(t, stops) {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1), k = Math.min(stops.length - 2, Math.floor(x));
  const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const a = hex(stops[k]), b = hex(stops[k + 1]), f = x - k;
  return `rgb(${a.map((v, c) => Math.round(v + (b[c] - v) * f)).join(",")})`;
}
