// The live component's own logic (static/live/live.js), under node's built-in test runner:
//     node --test tests/js/
// The module is loaded as the browser loads it, as an ES module from its source.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../static/live/live.js", import.meta.url), "utf8");
const live = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);

const frame = (gen, seq, playing = true, stream = "s1") => ({ gen, seq, playing, stream });

test("a grid string reads back as its levels", () => {
  assert.deepEqual([...live.decodeGrid("AB_9-")], [0, 1, 63, 61, 62]);
  assert.equal(live.decodeGrid("?")[0], 32); // not of the alphabet: the middle
  assert.equal(live.ALPHABET.length, 64);
});

test("a grid samples down to the node maps' size", () => {
  const n = 5, grid = Array.from({ length: n * n }, (_, k) => live.ALPHABET[k]).join("");
  assert.equal(live.sampleGrid(grid, n, 3), "ACEKMOUWY"); // corners, middles, centre
});

test("colours: the scale's ends and middle, and a class map's shades", () => {
  const stops = ["#a34a00", "#f5a45d", "#f4f4f4", "#7fb5e6", "#0d4a8f"];
  assert.deepEqual(live.scaleRgb(0, stops), [0xa3, 0x4a, 0x00]);
  assert.deepEqual(live.scaleRgb(0.5, stops), [0xf4, 0xf4, 0xf4]);
  assert.deepEqual(live.scaleRgb(1, stops), [0x0d, 0x4a, 0x8f]);
  assert.deepEqual(live.scaleRgb(NaN, stops), [0xf4, 0xf4, 0xf4]);
  assert.deepEqual(live.scaleRgb(7, stops), [0x0d, 0x4a, 0x8f]); // clipped
  assert.deepEqual(live.classRgb(0), [255, 255, 255]); // class 0, not sure at all: white
  const sure = live.classRgb(live.CLASS_SHADES - 1); // class 0, sure: 70% of its orange
  assert.deepEqual(sure, [0xe8, 0x71, 0x0a].map((v) => Math.round(255 + 0.7 * (v - 255))));
  assert.deepEqual(live.classRgb(2 * live.CLASS_SHADES + live.CLASS_SHADES - 1),
    [0x00, 0x9e, 0x73].map((v) => Math.round(255 + 0.7 * (v - 255)))); // class 2
});

test("ticks are round and labels short", () => {
  assert.deepEqual(live.niceTicks(-0.5, 1.5), [-0.5, 0, 0.5, 1, 1.5]);
  assert.deepEqual(live.niceTicks(0, 110, 4), [0, 50, 100]);
  assert.deepEqual(live.niceTicks(3, 3), [3]);
  assert.deepEqual([0, 0.5, 20, 20000, 1.5e6, 1e-4, 3e12].map(live.tickText),
    ["0", "0.5", "20", "20k", "1.5M", "1e-4", "3e12"]);
  assert.equal(live.cellText(-0.634), "-0.63");
  assert.equal(live.cellText(1234.4), "1234");
  assert.equal(live.cellText(-3.2e12), "-3e12");
  for (const v of [1e300, -1e-300, 123456789, 99.996]) assert.ok(live.cellText(v).length <= 6, v);
});

test("the error curve: fresh, replaced from its first new point, thinned keeping its range", () => {
  let curve = live.mergeCurve([], { fresh: true, points: [[0, 1, 1], [1, 0.9, 0.9]] });
  curve = live.mergeCurve(curve, { fresh: false, points: [[1, 0.8, 0.95], [2, 0.7, 0.7]] });
  assert.deepEqual(curve, [[0, 1, 1], [1, 0.8, 0.95], [2, 0.7, 0.7]]);
  assert.equal(live.mergeCurve(curve, undefined), curve);
  const long = Array.from({ length: 101 }, (_, i) => [i, -i, i]);
  const thin = live.mergeCurve([], { fresh: true, points: long }, 40);
  assert.ok(thin.length <= 40);
  assert.equal(Math.min(...thin.map((p) => p[1])), -100);
  assert.equal(Math.max(...thin.map((p) => p[2])), 100);
  assert.equal(thin[0][0], 0);
  const test = live.mergeCurve([[0, 1], [5, 0.5]], { fresh: false, points: [[5, 0.4], [9, 0.3]] });
  assert.deepEqual(test, [[0, 1], [5, 0.4], [9, 0.3]]); // two-number points (the test error)
});

test("the player shows frames in order, once, and asks for more when few are left", () => {
  const p = new live.Player();
  assert.equal(p.receive([frame(1, 1), frame(1, 2)]), true); // a new generation
  assert.equal(p.next().seq, 1);
  assert.deepEqual(p.request(0), { gen: 1, after: 2, seq: 1 }); // one left: ask, naming the one shown
  assert.equal(p.request(10), null); // asked already, no answer yet
  assert.deepEqual(p.request(5000), { gen: 1, after: 2, seq: 1 }); // no answer for long: ask again
  const last = live.LOW_WATER + 4;
  const more = Array.from({ length: last - 1 }, (_, k) => frame(1, k + 2)); // 2 again, 3..last
  assert.equal(p.receive(more), false);
  assert.deepEqual([p.next(), p.next()].map((f) => f.seq), [2, 3]); // 2 once only
  assert.equal(p.request(6000), null); // LOW_WATER + 1 left: not yet
  p.next();
  assert.deepEqual(p.request(6001), { gen: 1, after: last, seq: 4 }); // LOW_WATER left: ask
  assert.ok(p.playing);
});

test("a new generation drops what was buffered; a stopped run asks for nothing", () => {
  const p = new live.Player();
  p.receive([frame(1, 1), frame(1, 2), frame(1, 3)]);
  p.next();
  assert.equal(p.receive([frame(2, 9, false)]), true);
  assert.equal(p.next().seq, 9);
  assert.equal(p.next(), null);
  assert.equal(p.request(0), null);
  assert.equal(p.playing, false);
});

test("an ask names the frame on screen only when it is of the generation asked for", () => {
  const p = new live.Player();
  p.receive([frame(1, 1), frame(1, 2)]);
  p.next();
  p.receive([frame(2, 5)]); // a new generation, not shown yet
  assert.deepEqual(p.request(0), { gen: 2, after: 5, seq: -1 });
  p.next();
  assert.deepEqual(p.request(5000), { gen: 2, after: 5, seq: 5 });
});

test("Pause holds the frame on screen and names it; nothing plays until the answer", () => {
  const p = new live.Player();
  p.receive([frame(3, 10), frame(3, 11), frame(3, 12)]);
  p.next();
  assert.deepEqual(p.hold(), { gen: 3, seq: 10 });
  assert.equal(p.playing, false);
  assert.equal(p.next(), null);
  assert.equal(p.request(0), null);
  p.receive([frame(3, 13)]); // a late answer to an earlier ask: not shown
  assert.equal(p.next(), null);
  assert.equal(p.receive([frame(4, 14, false)]), true); // the server's answer to Pause
  assert.equal(p.next().seq, 14);
});

test("a late answer of an older generation is dropped; a new stream (session) starts afresh", () => {
  const p = new live.Player();
  p.receive([frame(5, 40), frame(5, 41)]);
  p.next();
  assert.equal(p.receive([frame(4, 39)]), false); // older: ignored
  assert.equal(p.next().seq, 41);
  assert.equal(p.receive([frame(1, 1, false, "s2")]), true); // a new session's stream
  assert.equal(p.next().seq, 1);
});

test("a tooltip stays within the area, and above a finger", () => {
  assert.deepEqual(live.tipPlace(100, 200, 80, 20, 360), [112, 212]); // a mouse: below right
  assert.deepEqual(live.tipPlace(330, 200, 180, 20, 360), [180, 212]); // no room right: moved in
  assert.deepEqual(live.tipPlace(10, 200, 400, 20, 360), [0, 212]); // wider than the area: at 0
  assert.deepEqual(live.tipPlace(100, 200, 80, 20, 360, true), [112, 164]); // a finger: above
  assert.deepEqual(live.tipPlace(100, 5, 80, 20, 360, true), [112, 0]);
});

test("the error curve's tooltip: the nearest point, a merged stretch as a range, the test error", () => {
  const curve = [[0, 1, 1], [10, 0.5, 0.5], [20, 0.2, 0.3]];
  assert.deepEqual(live.nearest(curve, 4), [0, 1, 1]);
  assert.deepEqual(live.nearest(curve, 6), [10, 0.5, 0.5]);
  assert.deepEqual(live.nearest(curve, 99), [20, 0.2, 0.3]);
  assert.deepEqual(live.nearest(curve, -5), [0, 1, 1]);
  assert.equal(live.nearest([], 3), null);
  assert.equal(live.curveText([], [], 3), null);
  assert.equal(live.curveText(curve, [], 9), "iteration 10: error 0.5");
  assert.equal(live.curveText(curve, [], 1e6), "iterations near 20: error 0.2 to 0.3");
  assert.equal(live.curveText([[1500, 0.123456, 0.123456]], [[1400, 0.25]], 1500),
    "iteration 1,500: error 0.1235; test error 0.25 (iteration 1,400)");
});

test("the test curve is joined only between measurements close together", () => {
  const test = [[0, 0.7], [2, 0.6], [4, 0.5], [600, 0.1], [602, 0.1], [900, 0]];
  assert.deepEqual(live.testRuns(test, 50), [test.slice(0, 3), test.slice(3, 5), [[900, 0]]]);
  assert.deepEqual(live.testRuns(test, 1000), [test]);
  assert.deepEqual(live.testRuns([], 10), []);
});

test("the player is idle only with nothing to show and nothing to ask for", () => {
  const p = new live.Player();
  assert.equal(p.idle, true); // nothing yet
  p.receive([frame(1, 1), frame(1, 2)]);
  assert.equal(p.idle, false);
  p.next();
  p.next();
  assert.equal(p.idle, false); // the server plays on: frames to ask for
  p.hold();
  assert.equal(p.idle, false); // Pause pressed: the server's answer is still to come
  p.receive([frame(2, 3, false)]);
  assert.equal(p.idle, false); // the paused frame, not yet shown
  p.next();
  assert.equal(p.idle, true);
});

test("while playing, a view out of sight waits and is drawn when it comes back into sight", () => {
  const views = ["diagram", "surface", "weights"], sight = new live.Sight();
  assert.deepEqual(sight.toDraw(views, true), views); // nothing known yet: all of them
  sight.seen("weights", false);
  sight.seen("surface", false);
  assert.deepEqual(sight.toDraw(views, true), ["diagram"]);
  assert.equal(sight.seen("surface", true), true); // behind: draw it now
  assert.equal(sight.seen("surface", true), false); // told twice: drawn already
  assert.deepEqual(sight.toDraw(views, true), ["diagram", "surface"]);
  assert.equal(sight.seen("weights", false), false); // still out of sight
});

test("a frame that does not play draws every view, and none is behind after it", () => {
  const views = ["diagram", "weights"], sight = new live.Sight();
  sight.seen("weights", false);
  assert.deepEqual(sight.toDraw(views, true), ["diagram"]);
  assert.deepEqual(sight.toDraw(views, false), views); // paused: the server's state, everywhere
  assert.equal(sight.seen("weights", true), false); // nothing to catch up on
  sight.seen("weights", false);
  assert.equal(sight.seen("weights", true), false); // out and back in without a frame between
});
