// Drawing your own points (static/live/draw.js): where a click falls and what it asks for.
//     node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../static/live/draw.js", import.meta.url), "utf8");
const draw = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);

// The surface as live.js lays it out: a 212-unit square 40 from the left and 10 from the top
// of a 260-unit-wide viewBox, showing x1 and x2 from -6 to 6.
const axes = { m: { left: 40, top: 10 }, side: 212, x0: -6, x1: 6, y0: -6, y1: 6 };

test("a click maps to the data coordinates under it, x2 growing upwards", () => {
  const rect = { left: 100, top: 50, width: 520 }; // drawn at twice the viewBox's size
  assert.deepEqual(draw.dataPoint(100 + 2 * 40, 50 + 2 * 10, rect, 260, axes), [-6, 6]);
  assert.deepEqual(draw.dataPoint(100 + 2 * 252, 50 + 2 * 222, rect, 260, axes), [6, -6]);
  assert.deepEqual(draw.dataPoint(100 + 2 * 146, 50 + 2 * 116, rect, 260, axes), [0, 0]);
});

test("a click outside the square (on the axes, the margin) adds nothing", () => {
  const rect = { left: 0, top: 0, width: 260 };
  assert.equal(draw.dataPoint(20, 100, rect, 260, axes), null);
  assert.equal(draw.dataPoint(100, 230, rect, 260, axes), null);
  assert.equal(draw.drawEvent(null, null, 1), null);
});

test("a click on a dot removes that point; elsewhere it adds one of the chosen class", () => {
  assert.deepEqual(draw.drawEvent("1.25,-0.5", [3, 3], 0), { type: "unpoint", x: 1.25, y: -0.5 });
  assert.deepEqual(draw.drawEvent(null, [3, -2], 2), { type: "point", x: 3, y: -2, cls: 2 });
});

test("the class buttons take the points' colours", () => {
  const scene = { kind: "binary", colors: { negative: "#e8710a", positive: "#1a73c8" } };
  assert.equal(draw.classColour(scene, 0, []), "#e8710a");
  assert.equal(draw.classColour(scene, 1, []), "#1a73c8");
  assert.equal(draw.classColour({ kind: "multiclass" }, 4, ["a", "b", "c"]), "b");
});

test("the keyboard's cross moves a 24th of the square (Shift: a 96th) and stays inside it", () => {
  assert.deepEqual(draw.moveCross([0, 0], "ArrowRight", axes), [0.5, 0]);
  assert.deepEqual(draw.moveCross([0, 0], "ArrowUp", axes, true), [0, 0.125]);
  assert.deepEqual(draw.moveCross([0, -5.8], "ArrowDown", axes), [0, -6]);
  assert.deepEqual(draw.moveCross([-6, 0], "ArrowLeft", axes), [-6, 0]);
  assert.equal(draw.moveCross([0, 0], "a", axes), null);
});

test("Delete finds the point nearest the cross, and none beyond a 24th of the square", () => {
  const dots = ["1,1", "0.2,0.1", "-3,2"];
  assert.equal(draw.nearestPoint(dots, [0, 0], axes), "0.2,0.1");
  assert.equal(draw.nearestPoint(dots, [-3.4, 2], axes), "-3,2");
  assert.equal(draw.nearestPoint(dots, [4, -4], axes), null);
});
