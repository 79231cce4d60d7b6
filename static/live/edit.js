// The weight panel of nnplay's live area (loaded by live.js with sibling("edit.js")).
//
// Click an edge of the diagram or a cell of a weight matrix (on a touch screen tap it twice: the
// first tap shows its value; or Tab to a matrix, move with the arrow keys, press Enter): the run pauses on the frame shown and the panel shows that weight,
// the gradient the next Step's update uses and the weight after that Step, all computed by the
// server (ui/live.py, Playground.weight_detail). Type a number to set the weight by hand; the
// buttons switch the hidden neurons at the edge's ends off (held at 0, drawn greyed) or on.
// The server checks everything again: the browser only asks.

/** A number as the panel shows it: up to 8 significant digits, no trailing zeros. */
export function panelNumber(value) {
  if (value === null || value === undefined) return "–";
  return String(+Number(value).toPrecision(8)).replace("-", "−");
}

/** The cell the arrow key ``key`` moves to from ``[row, col]`` in a ``rows`` x ``cols`` matrix. */
export function moveCell([row, col], key, rows, cols) {
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
    Home: [0, -cols], End: [0, cols] };
  const [dr, dc] = moves[key] || [0, 0];
  return [Math.min(rows - 1, Math.max(0, row + dr)), Math.min(cols - 1, Math.max(0, col + dc))];
}

/** Whether an edge ``"FROM->TO"`` touches one of the neurons ``off``. */
export function edgeIsOff(edge, off) {
  const [from, to] = edge.split("->");
  return off.includes(from) || off.includes(to);
}

function make(tag, attrs, parent, textContent) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (textContent !== undefined) node.textContent = textContent;
  if (parent) parent.appendChild(node);
  return node;
}

export class WeightEditor {
  constructor(area) {
    this.area = area;
    this.shownKey = null;
    this.panel = make("div", { class: "nn-edit", "data-view": "weight-edit", role: "region",
      "aria-label": "Weight set by hand", hidden: "" });
    area.root.insertBefore(this.panel, area.body);
    // A mouse click opens the panel; a finger's first tap shows the value (live.js's tip), a
    // second tap on the same weight opens the panel.
    area.root.addEventListener("pointerdown", (e) => { this.pointer = e.pointerType; });
    area.root.addEventListener("click", (e) => this.onClick(e));
    area.root.addEventListener("keydown", (e) => this.onKey(e));
  }

  /** The views were (re)built: each weight matrix is one Tab stop, its cells reached by arrows. */
  build() {
    this.offShown = null; // new nodes and edges: grey them afresh
    for (const svgRoot of this.area.root.querySelectorAll('svg[data-view="weights"]')) {
      svgRoot.querySelectorAll("rect[data-weight]").forEach((rect, k) => {
        rect.setAttribute("tabindex", k === 0 ? "0" : "-1");
        rect.setAttribute("role", "button");
        rect.setAttribute("aria-label", this.cellLabel(rect.dataset.weight));
      });
    }
  }

  cellLabel(weight) {
    const [k, i, j] = weight.split(":").map(Number), s = this.area.scene;
    const from = j < s.shape[k - 1] ? s.labels[k - 1][j] : "bias";
    return `W${k}[${i}, ${j}], from ${from} to ${s.labels[k][i]}: press Enter to see or set it`;
  }

  onClick(e) {
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    if (!target.closest || target.closest(".nn-edit")) return;
    const weight = target.closest("[data-weight]");
    const tapped = this.tapped;
    this.tapped = null;
    if (!weight) return;
    if (this.pointer === "touch" && tapped !== weight.dataset.weight) {
      this.tapped = weight.dataset.weight;
      return;
    }
    this.choose(weight.dataset.weight);
  }

  onKey(e) {
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    const rect = target.closest && target.closest('svg[data-view="weights"] rect[data-weight]');
    if (!rect) return;
    const [k, i, j] = rect.dataset.weight.split(":").map(Number), s = this.area.scene;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      this.choose(rect.dataset.weight);
      return;
    }
    const [row, col] = moveCell([i, j], e.key, s.shape[k], s.shape[k - 1] + 1);
    if (row === i && col === j) return;
    e.preventDefault();
    const next = rect.ownerSVGElement.querySelector(`rect[data-weight="${k}:${row}:${col}"]`);
    rect.setAttribute("tabindex", "-1");
    next.setAttribute("tabindex", "0");
    next.focus();
  }

  /** Ask the server for weight ``"LAYER:ROW:COL"``: the run pauses on the frame shown. */
  choose(weight) {
    const [layer, row, col] = weight.split(":").map(Number);
    this.asked = weight; // bring the panel into view when its numbers come (a phone's cells are far below it)
    this.send({ type: "weight", layer, row, col });
  }

  send(event) {
    this.area.send({ ...event, ...this.area.player.hold() });
    this.area.playButton.textContent = "Play";
  }

  /** Each frame: the neurons off greyed (when they change), and the panel (paused, a weight
   * chosen) or nothing. */
  draw(f) {
    const off = f.off || [], key = off.join("|");
    if (key !== this.offShown) {
      this.offShown = key;
      for (const node of this.area.root.querySelectorAll("[data-node]")) {
        node.classList.toggle("nn-off", off.includes(node.dataset.node));
      }
      for (const [line] of this.area.edges || []) {
        line.classList.toggle("nn-off", edgeIsOff(line.dataset.edge, off));
      }
    }
    this.show(f.edit, f.i);
  }

  show(detail, iteration) {
    if (!detail) {
      this.panel.hidden = true;
      this.shownKey = null;
      return;
    }
    const key = JSON.stringify([detail, iteration]);
    if (key === this.shownKey) return; // the same numbers: keep what the student is typing
    const focused = this.panel.contains(this.area.root.getRootNode().activeElement);
    this.shownKey = key;
    this.panel.hidden = false;
    const s = this.area.scene, [k, i, j] = detail.weight;
    const from = j < s.shape[k - 1] ? s.labels[k - 1][j] : "bias";
    const p = this.panel;
    p.replaceChildren();
    const head = make("div", { class: "nn-edit-head" }, p);
    make("strong", {}, head, `${detail.name}: from ${from} to ${s.labels[k][i]}`);
    make("span", { class: "muted" }, head, ` at iteration ${detail.iteration.toLocaleString("en")}`);
    const close = make("button", { type: "button", class: "nn-edit-close", "aria-label": "Close the weight panel" }, head, "×");
    close.onclick = () => this.area.send({ type: "close_weight" });
    const numbers = make("dl", { class: "nn-edit-numbers" }, p);
    for (const [name, label, help] of [
      ["value", "weight", "now"],
      ["gradient", "gradient ∂E/∂w", "what the next Step's update uses (a penalty included)"],
      ["next", "after the next Step", "computed by the server: Step gives exactly this"]]) {
      make("dt", { title: help }, numbers, label);
      make("dd", { "data-value": name, "data-exact": detail[name] ?? "" }, numbers, panelNumber(detail[name]));
    }
    const form = make("form", { class: "nn-edit-form" }, p);
    // A full keyboard (no inputmode="decimal"): iOS's decimal pad has no minus sign.
    const input = make("input", { type: "text", class: "nn-edit-value",
      "aria-label": `New value of ${detail.name}`, placeholder: panelNumber(detail.value), autocomplete: "off" }, form);
    make("button", { type: "submit", class: "primary" }, form, "Set");
    form.onsubmit = (e) => {
      e.preventDefault();
      this.send({ type: "set_weight", layer: k, row: i, col: j, value: input.value });
    };
    make("div", { class: "nn-edit-help muted" }, p,
      `Type a number from ${detail.low} to ${detail.high}: training goes on from it, and the link ` +
      `and a saved run carry it (${detail.edits} of at most ${detail.most} hand edits used).`);
    if (detail.error) make("div", { class: "nn-edit-error", role: "alert" }, p, detail.error);
    if (detail.neurons.length) {
      const row = make("div", { class: "nn-edit-neurons" }, p);
      for (const [name, isOff] of detail.neurons) {
        const b = make("button", { type: "button", "data-neuron": name }, row,
          `Switch ${name} ${isOff ? "on" : "off"}`);
        b.title = isOff ? `${name} is off: its output is held at 0` : `Hold ${name}'s output at 0; training goes on around it`;
        b.onclick = () => this.send({ type: "switch", value: name });
      }
    }
    if (focused) input.focus();
    if (this.asked === detail.weight.join(":")) {
      this.asked = null;
      this.panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }
}
