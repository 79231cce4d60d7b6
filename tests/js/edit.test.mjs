// The weight panel's pure helpers (static/live/edit.js), under node's built-in test runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../static/live/edit.js", import.meta.url), "utf8");
const edit = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);

test("the panel's numbers: eight significant digits, no trailing zeros, a true minus", () => {
  assert.equal(edit.panelNumber(0.5), "0.5");
  assert.equal(edit.panelNumber(-0.123456789123), "−0.12345679");
  assert.equal(edit.panelNumber(1.5e-9), "1.5e−9");
  assert.equal(edit.panelNumber(null), "–");
});

test("arrow keys move within the matrix and stop at its edges", () => {
  assert.deepEqual(edit.moveCell([0, 0], "ArrowDown", 3, 4), [1, 0]);
  assert.deepEqual(edit.moveCell([0, 0], "ArrowUp", 3, 4), [0, 0]);
  assert.deepEqual(edit.moveCell([2, 3], "ArrowRight", 3, 4), [2, 3]);
  assert.deepEqual(edit.moveCell([1, 1], "End", 3, 4), [1, 3]);
  assert.deepEqual(edit.moveCell([1, 2], "Home", 3, 4), [1, 0]);
  assert.deepEqual(edit.moveCell([1, 2], "x", 3, 4), [1, 2]);
});

test("an edge is greyed when either end is off", () => {
  assert.ok(edit.edgeIsOff("x1->h2", ["h2"]));
  assert.ok(edit.edgeIsOff("h1.2->h2.1", ["h1.2"]));
  assert.ok(!edit.edgeIsOff("h1->out", ["h2"]));
  assert.ok(!edit.edgeIsOff("h1->out", ["h12"])); // a whole name, not a prefix
});
