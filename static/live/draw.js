// Draw your own points on the decision surface (loaded by live.js with sibling("draw.js")).
//
// Under the surface, a "Draw points" toggle and, while it is on, a button per class. In
// draw mode a click (or a tap) on the surface sends {type: "point", x, y, cls} and a click
// on a point's dot sends {type: "unpoint", x, y}; ui/draw.py checks both and changes the
// points (the run starts again from its seed). Out of draw mode a tap on a phone still
// shows a value, as everywhere in the live area. By keyboard: the buttons, then Tab to the
// surface, where the arrow keys move a cross (Shift: finer), Enter adds a point there and
// Delete removes the point nearest to it.

const STYLE = `
.nn-draw {display: flex; flex-wrap: wrap; gap: 0.3em; align-items: center; margin: 0.4em 0 0.2em;}
.nn-draw button {font: inherit; font-size: 0.85em; min-height: 2.4em; border-radius: 0.5em;
  border: 1px solid rgba(49, 51, 63, 0.25); background: #fff; color: inherit; padding: 0 0.55em;
  cursor: pointer; display: inline-flex; align-items: center; gap: 0.35em;}
.nn-draw button:focus-visible {outline: 2px solid #1a73c8; outline-offset: 1px;}
.nn-draw button[aria-pressed="true"] {border-color: #1a73c8; background: rgba(26, 115, 200, 0.12);
  font-weight: 600;}
.nn-draw .swatch {width: 0.8em; height: 0.8em; border-radius: 50%; border: 1px solid #202020;}
.nn-draw-hint {font-size: 0.82em; color: #555; margin: 0.2em 0 0.3em; max-width: 330px;}
.nn-draw-hint:empty {display: none;}
.nn-live.big .nn-draw-hint {max-width: 416px;}
svg.drawing {cursor: crosshair;}
svg.drawing [data-point] {cursor: pointer;}
svg.drawing:focus {outline: none;}
svg.drawing:focus-visible {outline: 2px solid #1a73c8; outline-offset: 2px;}
svg .nn-draw-cross {display: none; pointer-events: none;}
svg.drawing:focus-visible .nn-draw-cross {display: inline;}
.nn-draw-where {font-size: 0.82em; margin: 0; min-height: 1.2em;}
@media (pointer: coarse) {.nn-draw button {min-height: 44px;}}
`;

/** The data coordinates (x1, x2) of a click at (clientX, clientY) on the surface's svg, whose
 * box on screen is ``rect`` and whose viewBox is ``viewWidth`` wide, drawn with ``axes``
 * (LiveArea.surfaceAxes: the square's margin ``m``, ``side`` and data range); null outside
 * the square. */
export function dataPoint(clientX, clientY, rect, viewWidth, axes) {
  const scale = rect.width / viewWidth || 1;
  const sx = (clientX - rect.left) / scale - axes.m.left;
  const sy = (clientY - rect.top) / scale - axes.m.top;
  if (!(sx >= 0 && sx <= axes.side && sy >= 0 && sy <= axes.side)) return null;
  return [axes.x0 + (sx / axes.side) * (axes.x1 - axes.x0),
    axes.y1 - (sy / axes.side) * (axes.y1 - axes.y0)];
}

/** What a click in draw mode asks for: remove the dot clicked (its ``data-point`` "x1,x2"),
 * else add a point of class ``label`` where the click fell (null: outside the square). */
export function drawEvent(dotPoint, where, label) {
  if (dotPoint) {
    const [x, y] = dotPoint.split(",").map(Number);
    return { type: "unpoint", x, y };
  }
  return where ? { type: "point", x: where[0], y: where[1], cls: label } : null;
}

/** Where the keyboard's cross goes on ``key`` (an arrow; null for another key): a 24th of the
 * square per press, a 96th with Shift, kept inside the square. */
export function moveCross([x, y], key, axes, fine = false) {
  const step = (fine ? 1 / 96 : 1 / 24);
  const dx = (axes.x1 - axes.x0) * step, dy = (axes.y1 - axes.y0) * step;
  const moved = { ArrowLeft: [x - dx, y], ArrowRight: [x + dx, y],
    ArrowUp: [x, y + dy], ArrowDown: [x, y - dy] }[key];
  if (!moved) return null;
  const keep = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [keep(moved[0], axes.x0, axes.x1), keep(moved[1], axes.y0, axes.y1)];
}

/** The ``data-point`` ("x1,x2") of the point nearest ``[x, y]`` within a 24th of the square,
 * measured in the square's own proportions; null when none is that near. */
export function nearestPoint(dataPoints, [x, y], axes) {
  let best = null, bestDistance = 1 / 24;
  for (const text of dataPoints) {
    const [px, py] = text.split(",").map(Number);
    const d = Math.hypot((px - x) / (axes.x1 - axes.x0), (py - y) / (axes.y1 - axes.y0));
    if (d <= bestDistance) [best, bestDistance] = [text, d];
  }
  return best;
}

/** The swatch colour of class ``k`` as the surface draws its points. */
export function classColour(scene, k, classColours) {
  if (scene.kind === "multiclass") return classColours[k % classColours.length];
  return k ? scene.colors.positive : scene.colors.negative;
}

export class DrawMode {
  constructor(area, classColours) {
    this.area = area;
    this.classColours = classColours;
    this.on = false;
    this.label = 1;
    const style = document.createElement("style");
    style.textContent = STYLE;
    area.root.getRootNode().appendChild(style);
  }

  /** Put the toolbar under the surface (``figure``) and listen to clicks on its ``svg``;
   * called each time the surface is built (a new scene keeps the mode and the class). */
  attach(figure, svgRoot) {
    const s = this.area.scene, info = s.draw;
    this.svg = svgRoot;
    if (!info || !info.can || this.area.root.classList.contains("still")) return; // not in Rewind
    this.label = Math.min(this.label, info.classes.length - 1);
    const bar = make("div", { class: "nn-draw", role: "group", "aria-label": "Draw your own points" }, figure);
    this.toggle = make("button", { type: "button", class: "nn-draw-toggle", "aria-pressed": "false",
      title: "Click the surface to add points, click a point to remove it" }, bar);
    this.toggle.textContent = "✎ Draw points";
    this.toggle.onclick = () => this.setOn(!this.on);
    this.picker = info.classes.map((name, k) => {
      const b = make("button", { type: "button", class: "nn-draw-class", "data-class": k,
        "aria-pressed": "false", "aria-label": `Draw class ${name}`, title: `Draw points of class ${name}` }, bar);
      make("span", { class: "swatch", "aria-hidden": "true" }, b).style.background = classColour(s, k, this.classColours);
      b.append(name); // the swatch says "class"; short, so the buttons fit under the surface
      b.onclick = () => { this.label = k; this.show(); };
      return b;
    });
    this.hint = make("p", { class: "nn-draw-hint", "aria-live": "polite" }, figure);
    this.where = make("p", { class: "nn-draw-where", "aria-live": "polite" }, figure);
    const a = this.area.surfaceAxes;
    this.at = this.at || [(a.x0 + a.x1) / 2, (a.y0 + a.y1) / 2];
    this.cross = document.createElementNS("http://www.w3.org/2000/svg", "path");
    this.cross.setAttribute("class", "nn-draw-cross");
    Object.entries({ stroke: "#202020", "stroke-width": 1.5, fill: "none" })
      .forEach(([k, v]) => this.cross.setAttribute(k, v));
    svgRoot.appendChild(this.cross);
    svgRoot.addEventListener("click", (e) => this.click(e));
    svgRoot.addEventListener("keydown", (e) => this.key(e));
    svgRoot.addEventListener("focus", () => this.showCross(false));
    this.show();
    if (this.refocus && this.on) svgRoot.focus(); // a point added by keyboard redraws the surface
    this.refocus = false;
  }

  setOn(on) {
    this.on = on;
    if (on) this.area.hideTip();
    this.show();
  }

  show() {
    if (!this.toggle || !this.toggle.isConnected) return;
    const info = this.area.scene.draw;
    this.toggle.setAttribute("aria-pressed", String(this.on));
    this.svg.classList.toggle("drawing", this.on);
    if (this.on) this.svg.setAttribute("tabindex", "0");
    else this.svg.removeAttribute("tabindex");
    this.where.textContent = "";
    this.picker.forEach((b, k) => {
      b.hidden = !this.on;
      b.setAttribute("aria-pressed", String(k === this.label));
    });
    this.hint.textContent = this.on ? info.hint : "";
  }

  /** The keyboard in draw mode: arrows move the cross, Enter (or Space) adds a point of the
   * chosen class there, Delete (or Backspace) removes the point nearest to it. */
  key(e) {
    if (!this.on) return;
    const a = this.area.surfaceAxes;
    const moved = moveCross(this.at, e.key, a, e.shiftKey);
    let event = null;
    if (moved) this.at = moved;
    else if (e.key === "Enter" || e.key === " ") event = { type: "point", x: this.at[0], y: this.at[1], cls: this.label };
    else if (e.key === "Delete" || e.key === "Backspace") {
      const dots = [...this.svg.querySelectorAll("[data-point]")].map((d) => d.dataset.point);
      const near = nearestPoint(dots, this.at, a);
      if (near) event = drawEvent(near, null, this.label);
      else this.where.textContent = "No point near the cross to remove.";
    } else return;
    e.preventDefault();
    if (moved) this.showCross(true);
    if (event) {
      this.refocus = true;
      this.area.player.hold();
      this.area.send(event);
    }
  }

  /** The cross where the keyboard is (shown while the surface has the keyboard's focus), and
   * where it is in words once a key moved it. */
  showCross(say) {
    const a = this.area.surfaceAxes, [x, y] = this.at, sx = a.px(x), sy = a.py(y);
    this.cross.setAttribute("d", `M${sx - 6},${sy}H${sx + 6}M${sx},${sy - 6}V${sy + 6}`);
    if (this.on && say) {
      this.where.textContent = `Cross at x1 = ${x.toFixed(2)}, x2 = ${y.toFixed(2)}: Enter adds a ` +
        "point, Delete removes the nearest.";
    }
  }

  click(e) {
    if (!this.on) return;
    const target = e.composedPath ? e.composedPath()[0] : e.target;
    const dot = target && target.closest ? target.closest("[data-point]") : null;
    const where = dataPoint(e.clientX, e.clientY, this.svg.getBoundingClientRect(),
      this.svg.viewBox.baseVal.width, this.area.surfaceAxes);
    const event = drawEvent(dot ? dot.dataset.point : null, where, this.label);
    if (!event) return;
    this.area.player.hold();
    this.area.send(event);
    setTimeout(() => this.area.hideTip()); // a tap in draw mode draws; it shows no value
  }
}

function make(tag, attrs, parent) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  parent.appendChild(node);
  return node;
}
