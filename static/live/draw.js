// Draw your own points on the decision surface (loaded by live.js with sibling("draw.js")).
//
// Under the surface, a "Draw points" toggle and, while it is on, a button per class. In
// draw mode a click (or a tap) on the surface sends {type: "point", x, y, cls} and a click
// on a point's dot sends {type: "unpoint", x, y}; ui/draw.py checks both and changes the
// points (the run starts again from its seed). Out of draw mode a tap on a phone still
// shows a value, as everywhere in the live area. The buttons take the keyboard; adding a
// point needs a pointer (the hint says so).

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
    svgRoot.addEventListener("click", (e) => this.click(e));
    this.show();
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
    this.picker.forEach((b, k) => {
      b.hidden = !this.on;
      b.setAttribute("aria-pressed", String(k === this.label));
    });
    this.hint.textContent = this.on ? info.hint : "";
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
