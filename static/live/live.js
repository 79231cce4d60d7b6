// nnplay's live area: a Streamlit components-v2 module (no build step, no network).
//
// Python (ui/live.py, nnplay/views/frames.py) sends a scene (what stays put: the network's
// shape and names, the axes, the points, the captions) and frames (the numbers, the weights,
// grids of one character per cell, the error points added since the last frame, the table).
// This module keeps its DOM between script runs, plays the frames at ten a second, asks for
// more when its buffer runs low, and sends Play, Pause, Step, Reset and the speed back as
// events naming the frame on screen. The pure parts are exported for node's test runner.

const SVG = "http://www.w3.org/2000/svg";
// Other modules of the live area (static/live/*.js) load with this file's version, so that a
// browser never mixes an old file with a new one (app/static sends no Cache-Control header).
const VERSION = new URL(import.meta.url).search;
export function sibling(name) {
  return import(new URL(`./${name}${VERSION}`, import.meta.url));
}
export const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
export const LEVELS = ALPHABET.length;
export const CLASS_SHADES = LEVELS / 8;
const PAGE = "#ffffff"; // the page's background (.streamlit/config.toml's theme)
export const CLASS_COLOURS = ["#e8710a", "#1a73c8", "#009e73", "#cc79a7", "#5f5f5f", "#f0e442"];
const MAX_TINT = 0.7;
export const LOW_WATER = 16; // ask for more when this few frames (1.6 s) are left to show:
// time for a batch of the 500-point spiral (0.65 MB on the wire) on a school's wifi
const RETRY_MS = 2000; // ask again if an answer has not come in this long
const MAX_CURVE = 1200; // the browser's curve merges neighbours beyond this many points
const CURVE_BOX = [270, 260]; // the error curve's units (its svg's viewBox)
const CURVE_MARGIN = { left: 50, right: 12, top: 22, bottom: 40 };
const SPARSE_TEST = 40; // a test curve of this few points marks each (the test error is measured per frame)
const VIEWS = ["diagram", "table", "surface", "curve", "weights"]; // the cells a frame draws

// -- pure helpers (tested with node --test) ---------------------------------------------------

const LOOKUP = new Int16Array(128).fill(-1);
for (let k = 0; k < ALPHABET.length; k++) LOOKUP[ALPHABET.charCodeAt(k)] = k;

/** The levels (0..63) of a grid string; unknown characters read as the middle level. */
export function decodeGrid(text) {
  const out = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) {
    const level = LOOKUP[text.charCodeAt(k) & 127];
    out[k] = level < 0 ? LEVELS >> 1 : level;
  }
  return out;
}

const RGB = new Map(); // "#rrggbb" -> [r, g, b], read once (a frame colours a hundred weights)

/** A colour's red, green and blue (a shared array: not to be changed). */
export function hexRgb(hex) {
  let rgb = RGB.get(hex);
  if (!rgb) RGB.set(hex, rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  return rgb;
}

/** A grid of n x n cells sampled down to m x m (nearest cell). */
export function sampleGrid(grid, n, m) {
  let out = "";
  for (let r = 0; r < m; r++) {
    const row = Math.round(r * (n - 1) / (m - 1));
    for (let c = 0; c < m; c++) out += grid[row * n + Math.round(c * (n - 1) / (m - 1))];
  }
  return out;
}

/** The colour at position t (0..1) of a scale of evenly spaced hex stops. */
export function scaleRgb(t, stops) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  const a = hexRgb(stops[k]), b = hexRgb(stops[k + 1]), f = x - k;
  return a.map((v, c) => Math.round(v + (b[c] - v) * f));
}

export function rgbText([r, g, b]) {
  return `rgb(${r},${g},${b})`;
}

/** The colour of one cell of a class map: its class's colour, paler where less sure. */
export function classRgb(level) {
  const cls = Math.floor(level / CLASS_SHADES), sure = (level % CLASS_SHADES) / (CLASS_SHADES - 1);
  const colour = hexRgb(CLASS_COLOURS[cls % CLASS_COLOURS.length]), tint = MAX_TINT * sure;
  return colour.map((v) => Math.round(255 + tint * (v - 255)));
}

/** Round ticks (steps of 1, 2 or 5 times a power of ten) within [low, high]. */
export function niceTicks(low, high, count = 5) {
  const span = high - low;
  if (!Number.isFinite(span) || span <= 0) return [low];
  const raw = span / Math.max(1, count - 1), power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9));
  const ticks = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + step * 1e-6; v += step) {
    ticks.push(Math.round(v / step) * step + 0);
  }
  return ticks.map((v) => Number(v.toPrecision(12)));
}

/** A tick label: 0.5, 20, 2k, 1.5M, 1e-3; past a billion 1e30. */
export function tickText(value) {
  if (value === 0) return "0";
  const m = Math.abs(value);
  if (m >= 1e9) return powerOfTen(value);
  if (m >= 1e6) return `${+(value / 1e6).toPrecision(6)}M`;
  if (m >= 1e4) return `${+(value / 1e3).toPrecision(6)}k`;
  if (m < 1e-3) return value.toExponential(0).replace("e-0", "e-").replace("e+", "e");
  return `${+value.toPrecision(6)}`;
}

/** A weight in its heatmap cell, at most six characters: -0.63, 12.40, -1234, 3e12. */
export function cellText(value) {
  const m = Math.abs(value);
  if (m < 99.995) return value.toFixed(2);
  if (m < 9999.5) return value.toFixed(0);
  return powerOfTen(value);
}

function powerOfTen(value) {
  const [mantissa, exponent] = value.toExponential(0).split("e");
  return `${mantissa}e${parseInt(exponent, 10)}`;
}

/** The browser's error curve after an update from a frame: ``update.points`` replace the
 * points from their first iteration on (all of them when ``update.fresh``); beyond
 * MAX_CURVE points, neighbours merge, keeping each pair's lowest and highest error. */
export function mergeCurve(points, update, most = MAX_CURVE) {
  if (!update) return points;
  let out = update.fresh ? [] : points;
  if (update.points.length && !update.fresh) {
    const first = update.points[0][0];
    let keep = out.length;
    while (keep > 0 && out[keep - 1][0] >= first) keep--;
    out = out.slice(0, keep);
  }
  out = out.concat(update.points);
  while (out.length > most) {
    const merged = [];
    for (let k = 0; k + 1 < out.length; k += 2) {
      const [a, b] = [out[k], out[k + 1]];
      merged.push(a.length > 2 ? [a[0], Math.min(a[1], b[1]), Math.max(a[2], b[2])] : a);
    }
    if (out.length % 2) merged.push(out[out.length - 1]);
    out = merged;
  }
  return out;
}

/** The point of ``points`` (sorted by iteration, its first entry) nearest ``iteration``. */
export function nearest(points, iteration) {
  if (!points.length) return null;
  let low = 0, high = points.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (points[mid][0] < iteration) low = mid + 1;
    else high = mid;
  }
  const before = points[Math.max(0, low - 1)], after = points[low];
  return iteration - before[0] <= after[0] - iteration ? before : after;
}

/** The test curve's points in runs to draw as lines: a new run wherever the next point is more
 * than ``gap`` iterations on (no line is made up across a stretch nobody measured). */
export function testRuns(points, gap) {
  const runs = [];
  points.forEach((p, n) => {
    if (n && p[0] - points[n - 1][0] <= gap) runs[runs.length - 1].push(p);
    else runs.push([p]);
  });
  return runs;
}

/** The error curve's tooltip at ``iteration``: the training error there (a range where the
 * browser merged neighbours) and the test error nearest it. */
export function curveText(curve, test, iteration) {
  const p = nearest(curve, iteration);
  if (!p) return null;
  const number = (v) => `${+v.toPrecision(4)}`;
  const [low, high] = [p[1], p[p.length - 1]];
  let out = `iteration ${p[0].toLocaleString("en")}: error ${number(high)}`;
  if (low !== high) out = `iterations near ${p[0].toLocaleString("en")}: error ${number(low)} to ${number(high)}`;
  const t = nearest(test, iteration);
  return t ? `${out}; test error ${number(t[1])} (iteration ${t[0].toLocaleString("en")})` : out;
}

/** Where a tooltip of ``width`` x ``height`` goes for a pointer at (x, y) in an area ``areaWidth``
 * wide: beside the pointer, never past the area's edges (a phone has no room to its right), and
 * above a finger, which would hide it below. */
export function tipPlace(x, y, width, height, areaWidth, touch = false) {
  const left = Math.max(0, Math.min(x + 12, areaWidth - width));
  return [left, touch ? Math.max(0, y - height - 16) : y + 12];
}

/** What the page plays: frames in the order they came, one generation at a time.
 * ``receive`` takes a script run's frames; ``next`` gives the frame to show at a tick;
 * ``request`` says whether (and after which frame) to ask the server for more. */
export class Player {
  constructor() {
    this.stream = null;
    this.gen = null;
    this.buffer = [];
    this.lastSeq = -1;
    this.shown = null;
    this.serverPlaying = false;
    this.held = false; // Pause or Step pressed: nothing plays until the server answers
    this.askedAt = null;
  }

  /** Take frames; true when they start a new generation (show the first at once). */
  receive(frames) {
    if (!frames || !frames.length) return false;
    const { gen, stream } = frames[0];
    if (stream === this.stream && gen < this.gen) return false; // a late answer to an old ask
    const fresh = stream !== this.stream || gen !== this.gen;
    if (fresh) {
      this.stream = stream; // a new stream: the server started a new session
      this.gen = gen;
      this.buffer = [];
      this.lastSeq = -1;
      this.held = false;
    }
    let added = false;
    for (const f of frames) {
      if (f.seq > this.lastSeq) {
        this.buffer.push(f);
        this.lastSeq = f.seq;
        added = true;
      }
    }
    if (added) this.askedAt = null;
    this.serverPlaying = frames[frames.length - 1].playing;
    return fresh;
  }

  /** Nothing to show and nothing to ask for: the run stands still until the server sends. */
  get idle() {
    return !this.serverPlaying && this.buffer.length === 0;
  }

  get playing() {
    return !this.held && (this.serverPlaying || this.buffer.length > 0) &&
      !(this.shown && !this.shown.playing && this.buffer.length === 0);
  }

  /** The frame to show now, or null (nothing new). */
  next() {
    if (this.held || !this.buffer.length) return null;
    this.shown = this.buffer.shift();
    return this.shown;
  }

  /** ``{gen, after, seq}`` to ask for the frames after the last one held (``seq``: the frame
   * on screen, the server's play clock for a page run that does not name it), or null. */
  request(now) {
    if (this.held || !this.serverPlaying || this.buffer.length > LOW_WATER) return null;
    if (this.askedAt !== null && now - this.askedAt < RETRY_MS) return null;
    this.askedAt = now;
    return { gen: this.gen, after: this.lastSeq, seq: this.shown?.gen === this.gen ? this.shown.seq : -1 };
  }

  /** Pause or Step pressed: stop showing frames now; the frame on screen is the one named. */
  hold() {
    this.held = true;
    this.buffer = [];
    return this.shown ? { gen: this.shown.gen, seq: this.shown.seq } : { gen: this.gen, seq: -1 };
  }
}

/** Which views a frame draws. While a run plays, a view out of sight waits: it is marked
 * behind and drawn when it comes into sight (a desktop page at its top leaves the weights below
 * the screen, a phone all but one or two views). A frame that does not play (paused, a Step, a
 * run that stopped) draws every view: a page standing still shows the server's state in all. */
export class Sight {
  constructor() {
    this.away = new Set(); // out of sight now
    this.behind = new Set(); // out of sight and not drawn for the frame on screen
  }

  /** The views of ``views`` to draw for a frame; the others fall behind. */
  toDraw(views, playing) {
    return views.filter((view) => {
      if (!playing || !this.away.has(view)) {
        this.behind.delete(view);
        return true;
      }
      this.behind.add(view);
      return false;
    });
  }

  /** A view came into sight or went out; true when it must be drawn now (it is behind). */
  seen(view, inSight) {
    if (!inSight) {
      this.away.add(view);
      return false;
    }
    this.away.delete(view);
    return this.behind.delete(view);
  }
}

// -- drawing ----------------------------------------------------------------------------------

function el(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function svg(tag, attrs = {}, parent = null) {
  return el(tag, attrs, parent, SVG);
}

function text(parent, x, y, content, attrs = {}) {
  const t = svg("text", { x, y, "text-anchor": "middle", "font-size": 11, ...attrs }, parent);
  t.textContent = content;
  return t;
}

/** Set an attribute (null: remove it) only when it changes: every write costs the page a
 * style, layout or paint pass, and most of a frame's values are those of the last. */
function put(node, name, value) {
  if (node.getAttribute(name) === value) return;
  if (value === null) node.removeAttribute(name);
  else node.setAttribute(name, value);
}

/** Set a node's text only when it changes, in its text node when it has one (textContent
 * would replace the node: the spiral's weight cells made a hundred nodes a frame). */
function putText(node, value) {
  const first = node.firstChild;
  if (first && first.nodeType === Node.TEXT_NODE && !first.nextSibling) {
    if (first.data !== value) first.data = value;
  } else if (node.textContent !== value) {
    node.textContent = value;
  }
}

/** A view's cell: its class names the view, which the CSS lays out (and orders on a phone). */
function figure(parent, caption, view) {
  const fig = el("figure", { class: `nn-cell nn-${view}-cell`, "data-cell": view }, parent);
  const cap = el("figcaption", { class: "nn-caption" });
  cap.textContent = caption || "";
  return [fig, cap];
}

const pixels = new WeakMap(); // canvas -> its context and an image of its size, made once

/** A grid drawn into a canvas, one pixel per cell, x2 growing upwards. */
function paintGrid(canvas, levels, n, colourOf) {
  const rows = levels.length / n;
  let held = pixels.get(canvas);
  if (!held || held.image.width !== n || held.image.height !== rows) {
    canvas.width = n;
    canvas.height = rows;
    const ctx = canvas.getContext("2d", { alpha: false }); // every pixel is painted: opaque
    held = { ctx, image: ctx.createImageData(n, rows) };
    pixels.set(canvas, held);
  }
  const { ctx, image } = held;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      const [red, green, blue] = colourOf(levels[r * n + c]);
      const at = ((rows - 1 - r) * n + c) * 4;
      image.data[at] = red;
      image.data[at + 1] = green;
      image.data[at + 2] = blue;
      image.data[at + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

function levelColours(stops) {
  const table = [];
  for (let k = 0; k < LEVELS; k++) table.push(scaleRgb(k / (LEVELS - 1), stops));
  return (level) => table[level];
}

class LiveArea {
  constructor(root, emit) {
    this.root = root;
    this.emit = emit;
    this.player = new Player();
    this.scene = null;
    this.sceneId = null;
    this.curve = [];
    this.test = [];
    this.rate = null;
    this.sight = new Sight();
    this.controls = null;
    this.timer = null;
    this.tip = el("div", { class: "nn-tip", role: "tooltip" }, root);
    this.transport = el("div", { class: "nn-transport", role: "toolbar", "aria-label": "Transport" }, root);
    this.status = el("div", { class: "nn-status", role: "status" }, root);
    this.metrics = el("div", { class: "nn-metrics", "data-view": "metrics" }, root);
    this.body = el("div", { class: "nn-body" }, root);
    this.buildTransport();
    // A mouse (or pen) shows a value where it rests. A finger cannot hover: a tap shows the
    // value and it stays until the next tap, here or anywhere on the page.
    root.addEventListener("pointermove", (e) => { if (e.pointerType !== "touch") this.hover(e); });
    root.addEventListener("pointerleave", (e) => { if (e.pointerType !== "touch") this.hideTip(); });
    root.addEventListener("pointerdown", (e) => { if (e.pointerType === "touch") this.hover(e); });
    this.onTapElsewhere = (e) => { if (!e.composedPath().includes(root)) this.hideTip(); };
    document.addEventListener("pointerdown", this.onTapElsewhere);
    this.onVisible = () => { if (!document.hidden) { this.tick(); this.wake(); } };
    document.addEventListener("visibilitychange", this.onVisible);
    sibling("draw.js").then((m) => { // drawing your own points (draw.js)
      this.drawing = new m.DrawMode(this, CLASS_COLOURS);
      if (this.surfaceSvg) this.drawing.attach(this.surfaceFigure, this.surfaceSvg);
    });
    sibling("edit.js").then((m) => { // the weight panel (edges, cells, neurons switched off)
      this.edit = new m.WeightEditor(this);
      if (this.scene) this.edit.build();
      if (this.frame) this.edit.draw(this.frame);
    });
  }

  destroy() {
    this.stopClock();
    this.watcher?.disconnect();
    document.removeEventListener("visibilitychange", this.onVisible);
    document.removeEventListener("pointerdown", this.onTapElsewhere);
  }

  // -- the transport ----------------------------------------------------------------------
  buildTransport() {
    const t = this.transport;
    this.playButton = el("button", { class: "primary nn-play", type: "button" }, t);
    this.playButton.textContent = "Play";
    this.playButton.onclick = () => this.togglePlay();
    const step = el("button", { class: "nn-step", type: "button", title: "One iteration" }, t);
    step.textContent = "Step";
    step.onclick = () => this.step(1);
    this.stepSize = el("select", { class: "nn-step-size", "aria-label": "Step size" }, t);
    this.stepSize.onchange = () => { this.stepMany.textContent = `Step ${Number(this.stepSize.value).toLocaleString("en")}`; };
    this.stepMany = el("button", { class: "nn-step-many", type: "button" }, t);
    this.stepMany.onclick = () => this.step(Number(this.stepSize.value));
    const reset = el("button", { class: "nn-reset", type: "button", title: "Same seed, iteration 0" }, t);
    reset.textContent = "Reset";
    reset.onclick = () => { this.player.hold(); this.send({ type: "reset" }); };
    this.speed = el("select", { "aria-label": "Speed", class: "nn-speed grow" }, t);
    this.speed.onchange = () => this.send({ type: "speed", value: this.speed.value });
  }

  setControls(controls) {
    if (!controls) return;
    const same = JSON.stringify(controls) === JSON.stringify(this.controls);
    this.controls = controls;
    if (same) return;
    this.stepSize.replaceChildren(...controls.steps.map((n) => {
      const o = el("option", { value: n });
      o.textContent = `${n.toLocaleString("en")} iterations`;
      return o;
    }));
    this.stepMany.textContent = `Step ${Number(this.stepSize.value).toLocaleString("en")}`;
    this.speed.replaceChildren(...controls.speeds.map(([value, label]) => {
      const o = el("option", { value });
      o.textContent = label;
      return o;
    }));
    this.speed.value = controls.speed;
    this.stopClock();
    this.wake();
  }

  /** The clock that shows the next frame. It stops while the player is idle (a paused page
   * does not wake the student's computer ten times a second) or the tab is in the background,
   * and starts when frames come or the tab comes to the front. */
  wake() {
    if (!this.timer && this.controls && !this.player.idle) this.timer = setInterval(() => this.tick(), this.controls.interval);
  }

  stopClock() {
    clearInterval(this.timer);
    this.timer = null;
  }

  send(event) {
    this.emit({ ...event, nonce: Math.random() });
  }

  togglePlay() {
    if (this.player.playing) {
      this.send({ type: "pause", ...this.player.hold() });
    } else {
      const shown = this.player.shown || {};
      this.player.held = true; // until the first frames of the new play arrive
      this.send({ type: "play", gen: shown.gen, seq: shown.seq });
    }
    this.showPlaying();
  }

  step(n) {
    this.send({ type: "step", n, ...this.player.hold() });
    this.showPlaying();
  }

  /** Play or Pause on the button. Written only when it changes: the tick runs ten times a
   * second while playing, and any write costs the page a style and layout pass. */
  showPlaying() {
    const label = this.player.playing ? "Pause" : "Play";
    if (this.playButton.textContent !== label) this.playButton.textContent = label;
  }

  // -- data from Python -----------------------------------------------------------------------
  update(data) {
    this.root.classList.toggle("still", !!data.still);
    this.lastData = data;
    if (data.scene && data.scene_id !== this.sceneId) { // a page run resends it: rebuild on change only
      this.scene = data.scene;
      this.sceneId = data.scene_id;
      this.buildViews();
    }
    this.setControls(data.controls);
    this.inspected("update", data); // before the frames: slow motion holds them
    if (this.player.receive(data.frames)) {
      this.curve = [];
      this.test = [];
      this.tick(true);
    }
    this.wake();
  }

  tick(force = false) {
    if (document.hidden && !force) { // a tab in the background shows and asks nothing, and
      this.stopClock(); // its clock stops until the tab is in front again
      return;
    }
    const frame = this.player.next();
    if (frame) this.draw(frame);
    const ask = this.player.request(performance.now());
    if (ask) this.send({ type: "more", ...ask, have: this.sceneId });
    this.showPlaying();
    if (this.player.idle) this.stopClock();
  }

  // -- the views ------------------------------------------------------------------------------
  /** The views in rows; live.css lays them out by the area's width (a row of three on a
   * desktop, two to a row on a tablet, one under the other on a phone) and for a projector
   * or a large network (.split: the surface and the curve, then the weights, each row). */
  buildViews() {
    const s = this.scene;
    const wide = Math.max(...s.shape) > 8 || s.shape.length > 5;
    this.root.classList.toggle("big", !!s.big);
    this.root.classList.toggle("wide", wide);
    this.root.classList.toggle("split", !!s.big || wide);
    this.body.replaceChildren();
    this.watchSight();
    this.tableShape = this.curveSvg = this.surface = null;
    this.colourOf = levelColours(s.colors.scale);
    const top = el("div", { class: "nn-row" }, this.body);
    const [dFig, dCap] = figure(top, s.captions.diagram, "diagram");
    this.buildDiagram(dFig);
    dFig.appendChild(dCap);
    const [tFig, tCap] = figure(top, "", "table");
    this.tableBox = el("div", { class: "nn-table-box" }, tFig);
    tFig.appendChild(tCap);
    this.tableCaption = tCap;
    const charts = el("div", { class: "nn-row" }, this.body);
    const [sFig, sCap] = figure(charts, s.captions.surface, "surface");
    this.buildSurface(sFig);
    sFig.appendChild(sCap);
    const [cFig, cCap] = figure(charts, s.captions.curve, "curve");
    this.curveBox = el("div", {}, cFig);  // drawCurve fills it
    this.curveBox.style.maxWidth = `${CURVE_BOX[0] * (s.big ? 1.6 : 1.27)}px`;
    cFig.appendChild(cCap);
    const split = s.big || wide || manyWeights(s.shape);
    const [wFig, wCap] = figure(split ? el("div", { class: "nn-row" }, this.body) : charts, s.captions.weights, "weights");
    this.buildWeights(wFig);
    wFig.appendChild(wCap);
    this.inspected("build");
    this.edit?.build();
    this.body.querySelectorAll("[data-cell]").forEach((cell) => this.watcher?.observe(cell));
  }

  /** Views coming into sight and going out of it (Sight). A view counts as in sight 200 px
   * before it scrolls onto the screen, so that it is drawn before it shows. */
  watchSight() {
    this.watcher?.disconnect();
    this.sight = new Sight();
    if (typeof IntersectionObserver !== "function") return; // every view drawn every frame
    const margin = "200px";
    this.watcher = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (this.sight.seen(e.target.dataset.cell, e.isIntersecting) && this.frame) {
          this.drawView(e.target.dataset.cell, this.frame);
          this.inspected("drew", this.frame); // ΔW, when shown, over the weights just drawn
        }
      }
    }, { rootMargin: margin, scrollMargin: margin });
  }

  /** The inspection tools (inspect.js: the node panel, slow motion, ΔW), once loaded. */
  attach(inspect) {
    this.inspect = inspect;
    if (this.scene) this.inspected("build");
    if (this.frame) this.inspected("drew", this.frame);
    if (this.lastData) this.inspected("update", { node: this.lastData.node });
  }

  /** Call the inspection tools; a failure of theirs is logged and never stops the live area. */
  inspected(method, ...args) {
    if (!this.inspect) return undefined;
    try {
      return this.inspect[method](...args);
    } catch (error) {
      console.error("nnplay inspect.js:", error);
      return undefined;
    }
  }

  /** The network: edges, node outlines and labels in an svg; every node's output map painted
   * on one canvas beneath it (a canvas per frame costs far less than an svg image per node,
   * which the browser would encode, fetch and decode as a data URL). */
  buildDiagram(parent) {
    const s = this.scene, shape = s.shape, tallest = Math.max(...shape);
    const node = tallest > 8 ? 30 : 36, gap = tallest > 8 ? 16 : 18, column = 120, margin = 26;
    this.edgeWidth = tallest > 8 ? 2.5 : 5; // many edges: thinner, so that they stay apart
    const width = margin * 2 + (shape.length - 1) * column + node;
    const height = margin * 2 + tallest * (node + gap) - gap;
    const box = el("div", { class: "nn-diagram" }, parent);
    const scale = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    this.maps = el("canvas", { class: "nn-maps", width: Math.round(width * scale),
      height: Math.round(height * scale) }, box);
    // Opaque (the page's white where no map is): the compositor then copies the diagram's
    // pixels instead of blending them over the page's, every frame (benchmarks/README.md).
    this.mapsContext = this.maps.getContext("2d", { alpha: false });
    this.mapsContext.fillStyle = PAGE;
    this.mapsContext.fillRect(0, 0, this.maps.width, this.maps.height);
    this.mapsContext.scale(scale, scale);
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, "data-view": "diagram",
      role: "img", "aria-label": `The network ${JSON.stringify(shape)}: nodes and weighted edges` }, box);
    const at = shape.map((n, k) => Array.from({ length: n }, (_, i) => [
      margin + k * column, margin + (tallest - n) * (node + gap) / 2 + i * (node + gap)]));
    this.edges = [];
    const edgeLayer = svg("g", {}, root);
    for (let k = 0; k + 1 < shape.length; k++) {
      for (let i = 0; i < shape[k + 1]; i++) {
        for (let j = 0; j < shape[k]; j++) {
          const [x1, y1] = at[k][j], [x2, y2] = at[k + 1][i];
          const line = svg("path", { d: `M${x1 + node},${y1 + node / 2} C${(x1 + x2 + node) / 2},${y1 + node / 2} ${(x1 + x2 + node) / 2},${y2 + node / 2} ${x2},${y2 + node / 2}`,
            fill: "none", "data-edge": `${s.labels[k][j]}->${s.labels[k + 1][i]}`, "data-weight": `${k + 1}:${i}:${j}` }, edgeLayer);
          this.edges.push([line, k, i, j]);
        }
      }
    }
    this.nodes = [];
    this.biases = [];
    shape.forEach((n, k) => at[k].forEach(([x, y], i) => {
      const g = svg("g", { "data-node": s.labels[k][i] }, root);
      // its map is on the canvas below; the outline takes the pointer over all of the node
      svg("rect", { x, y, width: node, height: node, fill: "none", stroke: "#777", "stroke-width": 0.6,
        "pointer-events": "all" }, g);
      text(g, x + node / 2, y - 3, s.labels[k][i], { "font-size": 10 });
      if (k > 0) {
        const bias = svg("rect", { x: x - 4, y: y + node - 5, width: 9, height: 9, stroke: "#555",
          "stroke-width": 0.6, "data-weight": `${k}:${i}:${shape[k - 1]}` }, g);
        this.biases.push([bias, k, i]);
      }
      this.nodes.push([[x, y, node], k, i]);
    }));
    this.scratch = document.createElement("canvas");
    this.painted = [];
    s.inputs.forEach((grid, i) => this.paintNode(i, grid, s.map_n));
  }

  /** Node ``index``'s map (a grid string of ``n`` x ``n``) into its square of the canvas;
   * nothing to do when it is the one already there. */
  paintNode(index, grid, n) {
    if (this.painted[index] === grid) return;
    this.painted[index] = grid;
    const [x, y, side] = this.nodes[index][0];
    paintGrid(this.scratch, decodeGrid(grid), n, this.colourOf);
    this.mapsContext.drawImage(this.scratch, x, y, side, side);
    const count = String(this.painted.filter(Boolean).length);
    if (this.maps.dataset.maps !== count) this.maps.dataset.maps = count; // for tests: how many
  }

  buildSurface(parent) {
    const s = this.scene, side = 212, m = { left: 40, right: 8, top: 10, bottom: 40 };
    const w = m.left + side + m.right, h = m.top + side + m.bottom;
    const box = el("div", { class: "nn-plot" }, parent);
    this.raster = el("canvas", { class: `nn-raster${s.smooth ? "" : " cut"}` }, box);
    const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, "data-view": "surface", role: "img",
      "aria-label": s.kind === "multiclass" ? "Decision surface: the class picked at every point"
        : "Decision surface: the output over the inputs" }, box);
    const place = () => {
      const scale = root.getBoundingClientRect().width / w || 1;
      Object.assign(this.raster.style, { left: `${m.left * scale}px`, top: `${m.top * scale}px`,
        width: `${side * scale}px`, height: `${side * scale}px` });
    };
    new ResizeObserver(place).observe(root);
    const [[x0, x1], [y0, y1]] = s.domain;
    const px = (x) => m.left + (x - x0) / (x1 - x0) * side;
    const py = (y) => m.top + side - (y - y0) / (y1 - y0) * side;
    this.surfaceAxes = { px, py, m, side, x0, x1, y0, y1 };
    svg("rect", { x: m.left, y: m.top, width: side, height: side, fill: "none", stroke: "#999", "stroke-width": 0.8 }, root);
    for (const v of niceTicks(x0, x1)) {
      svg("line", { x1: px(v), y1: m.top + side, x2: px(v), y2: m.top + side + 4, stroke: "#999" }, root);
      text(root, px(v), m.top + side + 15, tickText(v), { class: "muted" });
    }
    for (const v of niceTicks(y0, y1)) {
      svg("line", { x1: m.left - 4, y1: py(v), x2: m.left, y2: py(v), stroke: "#999" }, root);
      text(root, m.left - 6, py(v) + 4, tickText(v), { class: "muted", "text-anchor": "end" });
    }
    text(root, m.left + side / 2, m.top + side + 32, "x1", { "font-size": 12 });
    text(root, 12, m.top + side / 2, "x2", { "font-size": 12, transform: `rotate(-90 12 ${m.top + side / 2})` });
    const all = s.points.length + (s.test_points ? s.test_points.length : 0);
    const radius = all <= 16 ? 7 : 3.2;
    const [lo, hi] = s.value_range, middle = (lo + hi) / 2;
    const colour = (t) => {
      if (s.kind === "multiclass") return CLASS_COLOURS[t % CLASS_COLOURS.length];
      if (s.kind === "regression") return rgbText(scaleRgb((t - lo) / ((hi - lo) || 1), s.colors.scale));
      return t > middle ? s.colors.positive : s.colors.negative;
    };
    const name = (t) => (s.kind === "multiclass" ? `class ${s.classes[t] ?? t}` : `target ${+t.toPrecision(3)}`);
    for (const [points, outline, part] of [[s.points, "#202020", "training"], [s.test_points, "#ffffff", "test"]]) {
      if (!points) continue;
      const g = svg("g", { stroke: outline, "stroke-width": radius > 5 && part === "training" ? 2 : 1 }, root);
      for (const [x, y, t] of points) {
        const c = svg("circle", { cx: px(x).toFixed(1), cy: py(y).toFixed(1), r: radius, fill: colour(t) }, g);
        c.dataset.tip = `x1 ${+x.toPrecision(3)}, x2 ${+y.toPrecision(3)}: ${part} point, ${name(t)}`;
        c.dataset.point = `${x},${y}`;
      }
    }
    [this.surfaceFigure, this.surfaceSvg] = [parent, root];
    if (this.drawing) this.drawing.attach(parent, root);
  }

  buildWeights(parent) {
    const s = this.scene, wide = Math.max(...s.shape) > 8 || s.shape.length > 5 || manyWeights(s.shape);
    const box = el("div", { class: wide ? "nn-weights wrap" : "nn-weights" }, parent); // else one line
    this.cells = [];
    const cell = Math.max(...s.shape) > 8 ? 26 : 30;
    s.titles.forEach((title, k) => {
      const rows = s.shape[k + 1], cols = s.shape[k] + 1, left = 34, top = 26;
      const w = left + cols * cell + 4, h = top + rows * cell + 18;
      const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: "100%", "data-view": "weights", "data-layer": k + 1,
        role: "img", "aria-label": `Weight matrix ${title}` }, box);
      root.style.setProperty("--width", `${w}px`); // its natural width (live.css: shrinks to fit)
      text(root, left + cols * cell / 2, 14, title, { "font-size": 12 });
      const columns = [...s.labels[k], "bias"];
      columns.forEach((c, j) => text(root, left + j * cell + cell / 2, top + rows * cell + 12, c, { "font-size": 9, class: "muted" }));
      for (let i = 0; i < rows; i++) {
        text(root, left - 4, top + i * cell + cell / 2 + 4, s.labels[k + 1][i], { "font-size": 9, class: "muted", "text-anchor": "end" });
        for (let j = 0; j < cols; j++) {
          const rect = svg("rect", { x: left + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1,
            "data-weight": `${k + 1}:${i}:${j}` }, root);
          const label = text(root, left + j * cell + cell / 2, top + i * cell + cell / 2 + 3, "", { "font-size": cell > 26 ? 9 : 8 });
          this.cells.push([rect, label, k, i, j]);
        }
      }
    });
    this.buildScale(box);
  }

  /** The weights' colour scale, from -bound (orange) to +bound (blue); its labels follow the
   * bound, which grows only when a weight outgrows it. */
  buildScale(parent) {
    const s = this.scene, h = 120, root = svg("svg", { viewBox: `0 0 46 ${h + 20}`, width: 40,
      "data-view": "scale", role: "img", "aria-label": "Colour scale of the weights" }, parent);
    const gradient = svg("linearGradient", { id: "nn-scale", x1: 0, y1: 1, x2: 0, y2: 0 }, svg("defs", {}, root));
    s.colors.scale.forEach((c, k) => svg("stop", { offset: k / (s.colors.scale.length - 1), "stop-color": c }, gradient));
    svg("rect", { x: 4, y: 10, width: 12, height: h, fill: "url(#nn-scale)" }, root);
    this.scaleLabels = [h, h / 2, 0].map((y) => text(root, 20, 10 + y + 4, "", { "text-anchor": "start", "font-size": 10, class: "muted" }));
  }

  // -- one frame ------------------------------------------------------------------------------
  draw(f) {
    if (this.inspected("hold", f)) return; // slow motion shows it when it ends
    this.frame = f;
    if (!this.scene) return;
    this.drawStatus(f);
    this.drawMetrics(f.metrics);
    this.curve = mergeCurve(this.curve, f.curve);
    this.test = mergeCurve(this.test, f.test);
    if (f.rate) this.rate = f.rate;
    for (const view of this.sight.toDraw(VIEWS, f.playing)) this.drawView(view, f);
    this.inspected("drew", f);
    this.edit?.draw(f);
  }

  drawView(view, f) {
    if (view === "diagram") this.drawDiagram(f);
    else if (view === "table") this.drawTable(f.table);
    else if (view === "surface") this.drawSurface(f.surface);
    else if (view === "curve") this.drawCurve(f);
    else if (view === "weights") this.drawWeights(f);
  }

  weightColour(w, bound) {
    return rgbText(scaleRgb((w / bound + 1) / 2, this.scene.colors.scale));
  }

  drawDiagram(f) {
    const s = this.scene, bound = f.bound;
    for (const [line, k, i, j] of this.edges) {
      const w = f.w[k][i][j], size = Math.min(1, Math.abs(w) / bound);
      put(line, "stroke", w === 0 ? "#9a9a9a" : w > 0 ? s.colors.positive : s.colors.negative);
      put(line, "stroke-dasharray", w === 0 ? "3 3" : null); // a dead weight (L1 killed it)
      // in steps too small to see, so that most edges stay as they are from frame to frame (a
      // new width costs the diagram a layout)
      put(line, "stroke-width", (0.4 + this.edgeWidth * size).toFixed(1));
      put(line, "stroke-opacity", (Math.round((0.35 + 0.65 * size) * 20) / 20).toFixed(2));
    }
    for (const [rect, k, i] of this.biases) put(rect, "fill", this.weightColour(f.w[k - 1][i][s.shape[k - 1]], bound));
    let node = s.shape[0];
    f.maps.forEach((layer) => layer.forEach((grid) => this.paintNode(node++, grid, s.map_n)));
    if (node < this.nodes.length) { // one output: its map is the surface, sampled
      this.paintNode(node, sampleGrid(f.surface, s.surface_n, s.map_n), s.map_n);
    }
  }

  drawWeights(f) {
    const bound = f.bound, [low, zero, high] = this.scaleLabels;
    putText(low, tickText(-bound));
    putText(zero, "0");
    putText(high, tickText(bound));
    for (const [rect, label, k, i, j] of this.cells) {
      const w = f.w[k][i][j];
      put(rect, "fill", this.weightColour(w, bound));
      putText(label, cellText(w));
      put(label, "fill", Math.abs(w) > 0.6 * bound ? "#ffffff" : "#31333f");
    }
  }

  drawSurface(surface) {
    if (surface === this.surface) return; // unchanged while a run stands still
    this.surface = surface;
    const s = this.scene, levels = decodeGrid(surface);
    if (s.kind === "multiclass") {
      paintGrid(this.raster, levels, s.surface_n, classRgb);
    } else if (!s.smooth) {
      const half = LEVELS >> 1;
      paintGrid(this.raster, levels, s.surface_n, (v) => this.colourOf(v >= half ? LEVELS - 1 : 0));
    } else {
      paintGrid(this.raster, levels, s.surface_n, this.colourOf);
    }
  }

  /** The numbers: the cells stay, their texts change (a new set of labels rebuilds them). */
  drawMetrics(metrics) {
    const labels = metrics.map((m) => m[0]).join("|");
    if (labels !== this.metricLabels) {
      this.metricLabels = labels;
      this.metricValues = [];
      this.metrics.replaceChildren(...metrics.map(([label]) => {
        const cell = el("div", { class: "nn-metric" });
        el("div", { class: "nn-metric-label" }, cell).textContent = label;
        this.metricValues.push([cell, el("div", { class: "nn-metric-value" }, cell)]);
        return cell;
      }));
    }
    metrics.forEach(([label, value, help], k) => {
      const [cell, text] = this.metricValues[k];
      help = help || (this.scene.helps || {})[label];
      // a new text node for a new value: a page or a test that watches the numbers for child
      // changes (a MutationObserver) sees every one
      if (text.textContent !== value) text.textContent = value;
      if (help && cell.title !== help) cell.title = help;
    });
  }

  drawStatus(f) {
    const st = this.status, key = JSON.stringify([f.status, f.calm]);
    if (key === this.statusKey) return;
    this.statusKey = key;
    st.className = `nn-status ${f.status ? f.status[0] : ""}`;
    st.replaceChildren();
    if (!f.status) return;
    st.append(f.status[1]);
    if (f.calm) {
      const b = el("button", { type: "button" }, st);
      b.textContent = "Divide η by 10";
      b.onclick = () => this.send({ type: "calm" });
    }
  }

  drawTable(t) {
    const shape = JSON.stringify([t.head, t.rows.map((r) => r.length)]);
    if (shape === this.tableShape) { // the same table: new texts and tints in place
      t.rows.forEach((row, r) => {
        const tr = this.tableRows[r];
        if (t.tints && tr.className !== t.tints[r]) tr.className = t.tints[r];
        row.forEach((v, c) => putText(tr.cells[c], v));
      });
      putText(this.tableCaption, t.caption || this.scene.captions.table);
      return;
    }
    this.tableShape = shape;
    const table = el("table", { class: "nn-table", "data-view": "table" });
    const head = el("tr", {}, el("thead", {}, table));
    for (const h of t.head) el("th", {}, head).textContent = h;
    const body = el("tbody", {}, table);
    t.rows.forEach((row, r) => {
      const tr = el("tr", t.tints ? { class: t.tints[r] } : {}, body);
      row.forEach((v, c) => { el(c ? "td" : "th", {}, tr).textContent = v; });
    });
    this.tableBox.replaceChildren(table);
    this.tableRows = [...body.rows];
    this.tableCaption.textContent = t.caption || this.scene.captions.table;
  }

  /** The error curve: its axes (an svg) are redrawn only when their range changes (the
   * iteration axis grows in round steps); the band, the test curve, the rate and the current
   * point are painted every frame on a canvas over them (an svg polygon of 2,400 vertices cost
   * the page a layout, a paint and a raster of its tiles each frame). */
  drawCurve(f) {
    const s = this.scene, [w, h] = CURVE_BOX, m = CURVE_MARGIN;
    const iw = w - m.left - m.right, ih = h - m.top - m.bottom;
    const last = this.curve[this.curve.length - 1];
    const xMax = niceTop(Math.max(10, (f.i ?? (last ? last[0] : 0)) * 1.1));
    let highest = -Infinity, lowest = Infinity; // the highest error shown, the lowest above 0
    const see = (low, high) => {
      if (Number.isFinite(high) && high > highest) highest = high;
      if (low > 0 && low < lowest) lowest = low;
    };
    for (const p of this.curve) see(p[1], p[2]);
    for (const p of this.test) see(p[1], p[1]);
    let fy, ticks;
    if (s.log_scale && lowest < Infinity) {
      const lo = Math.floor(Math.log10(lowest)), hi = Math.ceil(Math.log10(Math.max(highest, 10 ** (lo + 1))));
      fy = (v) => (Math.log10(Math.max(v, 10 ** lo)) - lo) / ((hi - lo) || 1);
      ticks = []; for (let e = lo; e <= hi; e++) ticks.push(10 ** e);
      if (ticks.length > 6) ticks = ticks.filter((_, k) => k % Math.ceil(ticks.length / 6) === 0);
    } else {
      const top = niceTop(Math.max(highest, 1e-12));
      fy = (v) => v / top;
      ticks = niceTicks(0, top, 3);
    }
    const px = (i) => m.left + i / xMax * iw, py = (v) => m.top + ih - Math.min(1.05, Math.max(0, fy(v))) * ih;
    const key = JSON.stringify([xMax, ticks, this.rate && this.rate.length]);
    if (!this.curveSvg) {
      const box = el("div", { class: "nn-curve" });
      this.curveSvg = svg("svg", { viewBox: `0 0 ${w} ${h}`, "data-view": "curve", role: "img" }, box);
      this.curveAxes = svg("g", {}, this.curveSvg);
      const canvas = this.curveLines = el("canvas", { class: "nn-curve-lines", "aria-hidden": "true" }, box);
      this.curveContext = null;
      this.curveBox.replaceChildren(box);
      this.curveKey = null;
      this.curveWidth = 0;
      // the canvas's pixels follow the width it is shown at (a phone, classroom mode)
      const observer = new ResizeObserver(([entry]) => {
        if (this.curveLines !== canvas) return observer.disconnect(); // the views were rebuilt
        this.curveWidth = entry.contentRect.width;
        this.paintCurve();
      });
      observer.observe(box);
    }
    put(this.curveSvg, "aria-label", `Error over the iterations, up to iteration ${f.i ?? ""}`);
    if (key !== this.curveKey) {
      this.curveKey = key;
      const axes = this.curveAxes;
      axes.replaceChildren();
      for (const v of ticks) {
        svg("line", { x1: m.left, x2: m.left + iw, y1: py(v), y2: py(v), stroke: "#e2e2e2" }, axes);
        text(axes, m.left - 5, py(v) + 4, tickText(v), { "text-anchor": "end", class: "muted" });
      }
      for (const v of niceTicks(0, xMax, 4)) {
        svg("line", { x1: px(v), x2: px(v), y1: m.top, y2: m.top + ih, stroke: "#e2e2e2" }, axes);
        text(axes, px(v), m.top + ih + 14, tickText(v), { class: "muted" });
      }
      text(axes, m.left + iw / 2, h - 6, "iteration", { "font-size": 12 });
      text(axes, 12, m.top + ih / 2, "error", { "font-size": 12, transform: `rotate(-90 12 ${m.top + ih / 2})` });
      if (s.min_error > 0 && fy(s.min_error) >= 0) {
        svg("line", { x1: m.left, x2: m.left + iw, y1: py(s.min_error), y2: py(s.min_error), stroke: "#888", "stroke-dasharray": "2 3" }, axes);
        text(axes, m.left + 4, py(s.min_error) - 3, "stop", { "text-anchor": "start", "font-size": 9, class: "muted" });
      }
      if (this.test.length) text(axes, m.left + iw - 4, m.top + 10, "test", { "text-anchor": "end", fill: "#e8710a", "font-size": 10 });
    }
    this.curveScale = { px, py, xMax };
    this.paintCurve();
  }

  /** The curve's moving parts on its canvas, in the svg's units (CURVE_BOX) scaled to the
   * width shown and the screen's pixels. */
  paintCurve() {
    const canvas = this.curveLines, scale = this.curveScale;
    if (!canvas || !scale || !this.curveWidth) return;
    const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    const k = this.curveWidth / CURVE_BOX[0] * ratio;
    const width = Math.round(CURVE_BOX[0] * k), height = Math.round(CURVE_BOX[1] * k);
    if (canvas.width !== width || canvas.height !== height) { // a write, even of the same size, clears it
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = this.curveContext ??= canvas.getContext("2d"), { px, py, xMax } = scale, m = CURVE_MARGIN;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.setTransform(k, 0, 0, k, 0, 0);
    const line = (points, y) => points.forEach((p, n) => ctx[n ? "lineTo" : "moveTo"](px(p[0]), y(p)));
    if (this.rate && this.rate.length) { // the learning rate's schedule, scaled to the plot's height
      const ih = CURVE_BOX[1] - m.top - m.bottom, top = Math.max(...this.rate.map((p) => p[1])) || 1;
      ctx.beginPath();
      line(this.rate.filter((p) => p[0] <= xMax), (p) => m.top + ih - p[1] / top * ih);
      Object.assign(ctx, { strokeStyle: "#6b7280", lineWidth: 1 });
      ctx.setLineDash([4, 3]);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (this.curve.length) { // the band between each stretch's lowest and highest error
      ctx.beginPath();
      line(this.curve, (p) => py(p[2]));
      for (let n = this.curve.length - 1; n >= 0; n--) ctx.lineTo(px(this.curve[n][0]), py(this.curve[n][1]));
      ctx.closePath();
      Object.assign(ctx, { fillStyle: "#1a73c8", strokeStyle: "#1a73c8", lineWidth: 1.4, lineJoin: "round" });
      ctx.fill();
      ctx.stroke();
    }
    if (this.test.length) { // measured once a frame: a fast speed leaves gaps, not joined up
      const runs = testRuns(this.test, xMax / 20);
      ctx.beginPath();
      for (const run of runs) line(run, (p) => py(p[1]));
      Object.assign(ctx, { strokeStyle: "#e8710a", fillStyle: "#e8710a", lineWidth: 1.6 });
      ctx.stroke();
      const dots = this.test.length <= SPARSE_TEST ? this.test : runs.filter((r) => r.length === 1).flat();
      for (const [i, v] of dots) { // where it was measured, when that is seldom
        ctx.beginPath();
        ctx.arc(px(i), py(v), 2.2, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    const last = this.curve[this.curve.length - 1];
    if (last) { // where the run is now
      ctx.beginPath();
      ctx.arc(px(last[0]), py(last[2]), 4, 0, 2 * Math.PI);
      Object.assign(ctx, { fillStyle: "#e8710a", strokeStyle: "#202020", lineWidth: 1 });
      ctx.fill();
      ctx.stroke();
    }
  }

  // -- hover ----------------------------------------------------------------------------------
  hover(e) {
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    const tip = this.tipText(target, e);
    if (!tip) {
      this.hideTip();
      return;
    }
    const box = this.root.getBoundingClientRect();
    this.tip.textContent = tip;
    this.tip.style.display = "block";
    const [left, top] = tipPlace(e.clientX - box.left, e.clientY - box.top, this.tip.offsetWidth,
      this.tip.offsetHeight, box.width, e.pointerType === "touch");
    Object.assign(this.tip.style, { left: `${left}px`, top: `${top}px` });
  }

  hideTip() {
    this.tip.style.display = "none";
  }

  tipText(target, e) {
    if (!target || !target.closest || !this.frame) return null;
    const own = target.closest("[data-tip]");
    if (own) return own.dataset.tip;
    if (target.closest('svg[data-view="curve"]') && e && this.curveScale) { // the error where the pointer is
      const box = this.curveSvg.getBoundingClientRect(), m = CURVE_MARGIN;
      const x = (e.clientX - box.left) / (box.width || 1) * CURVE_BOX[0];
      const iw = CURVE_BOX[0] - m.left - m.right;
      if (x < m.left - 4 || x > m.left + iw + 4) return null;
      return curveText(this.curve, this.test, Math.max(0, (x - m.left) / iw) * this.curveScale.xMax);
    }
    const weight = target.closest("[data-weight]");
    if (weight) {
      const [k, i, j] = weight.dataset.weight.split(":").map(Number);
      const s = this.scene, from = j < s.shape[k - 1] ? s.labels[k - 1][j] : "bias";
      return `W${k}[${i}, ${j}]: from ${from} to ${s.labels[k][i]}: ${this.frame.w[k - 1][i][j].toFixed(4)}`;
    }
    const node = target.closest("[data-node]");
    if (node) {
      const name = node.dataset.node, s = this.scene;
      const layer = s.labels.findIndex((l) => l.includes(name));
      if (layer === 0) return `${name}: an input, shown over the input square`;
      if ((this.frame.off || []).includes(name)) return `${name}: switched off, its output held at 0`;
      const [lo, hi] = this.frame.map_ranges[layer - 1];
      return `${name}: its output over the inputs, from ${+lo.toPrecision(3)} (orange) to ${+hi.toPrecision(3)} (blue)`;
    }
    return null;
  }
}

/** More weight columns than fit beside the surface and the curve: the weights get a row. */
function manyWeights(shape) {
  return shape.slice(0, -1).reduce((total, n) => total + n + 2, 0) > 16;
}

function niceTop(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= value * (1 - 1e-9));
}

const AREAS = new WeakMap();
let INSPECT = null; // inspect.js, loaded once, when the first area starts

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const host = parentElement.querySelector(".nn-live");
  let area = AREAS.get(host);
  if (!area) {
    area = new LiveArea(host, (event) => setTriggerValue("event", event));
    AREAS.set(host, area);
    INSPECT = INSPECT || sibling("inspect.js");
    const started = area;
    INSPECT.then((m) => started.attach(new m.Inspector(started)));
  } else {
    area.emit = (event) => setTriggerValue("event", event);
  }
  if (data) area.update(data);
  return () => {
    area.destroy();
    AREAS.delete(host);
  };
}
