// The inspection tools' pure logic (static/live/inspect.js), under node's test runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../static/live/inspect.js", import.meta.url), "utf8");
const inspect = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);

const slow = {
  iteration: 4, labels: [["x1", "x2"], ["h1", "h2"], ["out"]], example: "0 1", n_examples: 4,
  inputs: [["0", "0"], ["0", "1"]], targets: [["0", "1"]], error: "0.5", loss: "SSE", eta: 0.2,
  layers: [
    { o: [["0.5", "0.6"], ["0.4", "0.3"]], delta: [["0.01", "0.02"], ["-0.01", "-0.02"]], dropped: [[false, true], [false, false]] },
    { o: [["0.7", "0.8"]], delta: [["0.1", "-0.05"]], dropped: null },
  ],
  exact: true, claim: "",
};

test("a node is found by its label", () => {
  assert.deepEqual(inspect.nodeOf(slow.labels, "h2"), [1, 1]);
  assert.deepEqual(inspect.nodeOf(slow.labels, "out"), [2, 0]);
  assert.equal(inspect.nodeOf(slow.labels, "h9"), null);
});

test("only <sub> and <sup> are read as marks; everything else stays text", () => {
  assert.deepEqual(inspect.richParts("x<sub>J</sub> = sum"), [[null, "x"], ["sub", "J"], [null, " = sum"]]);
  assert.deepEqual(inspect.richParts("<b>h1</b>"), [[null, "<b>h1</b>"]]);
  assert.deepEqual(inspect.richParts("W<sup>T</sup> δ"), [[null, "W"], ["sup", "T"], [null, " δ"]]);
});

test("weights on their way, and the change of an update", () => {
  const before = [[[0, 1]]], after = [[[1, -1]]];
  assert.deepEqual(inspect.lerpWeights(before, after, 0.5), [[[0.5, 0]]]);
  assert.equal(inspect.lerpWeights(before, after, 1), after); // the end is exactly Step's
  assert.deepEqual(inspect.weightChange(before, after), [[[1, -2]]]);
  assert.equal(inspect.weightChange(before, [[[1, 2, 3]]]), null); // another network
  assert.equal(inspect.largest([[[1, -2]], [[0.5]]]), 2);
});

test("a change fits a heatmap cell and keeps its sign", () => {
  const cases = [[0.0123, "+.012"], [-0.35, "-.350"], [0.0003, "+3e-4"], [-2.5, "-2.50"], [0, "0"], [123.4, "+123"]];
  for (const [v, text] of cases) assert.equal(inspect.changeText(v), text, v);
  for (const v of [1e-300, -1e300, 99999]) assert.ok(inspect.changeText(v).length <= 6, v);
});

test("slow motion: forward layer by layer, the error, δ back, the update", () => {
  const stages = inspect.slowStages(slow);
  assert.deepEqual(stages.map((s) => s.kind + (s.layer || "")),
    ["inputs", "forward1", "forward2", "error", "delta2", "delta1", "update"]);
  assert.deepEqual(inspect.stageValues(slow, stages[0], 1), { x1: ["", "0"], x2: ["", "1"] });
  const first = inspect.stageValues(slow, stages[1], 1);
  assert.deepEqual(first.h1, ["O", "0 (off)"]); // dropped in this step for this example
  assert.deepEqual(first.h2, ["O", "0.3"]);
  assert.equal(first.out, undefined); // not reached yet
  assert.deepEqual(inspect.stageValues(slow, stages[3], 0).out, ["O", "0.7, T 0"]);
  const back = inspect.stageValues(slow, stages[4], 1);
  assert.deepEqual(back.out, ["δ", "-0.05"]);
  assert.deepEqual(back.h1, ["O", "0 (off)"]); // δ has not come back to it yet
  assert.deepEqual(inspect.stageValues(slow, stages[5], 0).h2, ["δ", "-0.01"]);
  assert.match(inspect.stageText(slow, stages[0], 1), /^Iteration 5, .*example 0 1 · The inputs .*all 4 examples/);
  assert.match(inspect.stageText(slow, stages[6], 0), /η = 0.2/);
});
