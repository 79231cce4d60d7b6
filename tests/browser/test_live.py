"""The live area in Chromium: frames arrive in batches and animate, Pause and Step are exact,
values show on hover, classroom mode scales, a tab in the background asks for nothing, and
the console stays clean."""

from __future__ import annotations

import json
import time
import urllib.parse

import numpy as np
import pytest
from playwright.sync_api import expect

from nnplay.app.link import parse_query
from nnplay.app.playground import Playground
from nnplay.app.stream import BATCH

from .helpers import click_button, error_elements, error_texts, metric_value, track_runs, wait_for_app
from .test_page import error, iteration, open_page

SLOW = {"speed": "1", "max": "100000", "min": "0", "seed": "3"}

# The live area's shadow root, found from the page (document.querySelector does not pierce it).
LIVE = """() => [...document.querySelectorAll('*')].map(e => e.shadowRoot)
    .find(r => r && r.querySelector('.nn-live'))"""


def shown_iteration_js(after_ms: int) -> str:
    """JS: press Pause and read the iteration on screen right then and ``after_ms`` later."""
    return f"""async () => {{
        const root = ({LIVE})();
        const read = () => [...root.querySelectorAll('.nn-metric')]
            .find(m => m.querySelector('.nn-metric-label').textContent === 'Iteration')
            .querySelector('.nn-metric-value').textContent;
        const pause = [...root.querySelectorAll('button')].find(b => b.textContent === 'Pause');
        pause.click();
        const at = read();
        await new Promise(r => setTimeout(r, 100));
        const soon = read();
        await new Promise(r => setTimeout(r, {after_ms}));
        return [at, soon, read()];
    }}"""


def saved_weights(page, tmp_path) -> tuple[int, list[np.ndarray]]:
    """The server's run, as the page's download gives it: its iteration and weights."""
    page.get_by_text("Keep your work").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download run (JSON)").click()
    path = tmp_path / "run.json"
    download.value.save_as(path)
    page.get_by_text("Keep your work").click()
    run = json.loads(path.read_text())["run"]
    return run["iteration"], [np.array(w) for w in run["weights"]]


def reference(query: dict[str, str], iterations: int) -> list[np.ndarray]:
    """The same link stepped in this process: the weights every page must show."""
    p = Playground(parse_query(query).config)
    p.step(iterations)
    return p.trainer.network.weights


def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_frames_come_in_batches_and_animate_at_ten_a_second(new_page, app_url):
    page = open_page(new_page, app_url, SLOW)
    errors = console_errors(page)
    runs = track_runs(page)
    # Every iteration the page draws, recorded as it is drawn (speed 1: one per frame).
    page.evaluate(f"""() => {{
        const root = ({LIVE})();
        window.__drawn = [];
        new MutationObserver(() => {{
            const cell = [...root.querySelectorAll('.nn-metric')]
                .find(m => m.querySelector('.nn-metric-label').textContent === 'Iteration');
            const value = cell && Number(cell.querySelector('.nn-metric-value').textContent);
            const drawn = window.__drawn;
            if (value !== undefined && drawn[drawn.length - 1] !== value) drawn.push(value);
        }}).observe(root.querySelector('.nn-metrics'), {{childList: true, characterData: true,
                                                        subtree: true}});
    }}""")
    click_button(page, "Play", wait=False)
    page.wait_for_timeout(1000)
    started, first = runs.finished, len(page.evaluate("window.__drawn"))
    page.wait_for_timeout(3000)
    drawn = page.evaluate("window.__drawn")
    during = runs.finished - started
    assert len(drawn) - first >= 12, drawn  # about 30 in 3 s; a busy CI machine draws fewer
    assert drawn == list(range(drawn[0], drawn[0] + len(drawn))), drawn  # each once, in order
    assert during <= (len(drawn) - first) / 3 + 2, during  # several frames per script run
    assert errors == []


def test_pause_mid_batch_freezes_at_once_and_the_server_returns_to_the_frame_shown(
        new_page, app_url, tmp_path):
    page = open_page(new_page, app_url, SLOW)
    errors = console_errors(page)
    click_button(page, "Play", wait=False)
    page.wait_for_timeout(1700)  # a few batches in: the server is ahead of the screen
    at, soon, later = page.evaluate(shown_iteration_js(1500))
    assert at == soon == later, (at, soon, later)  # frozen within 100 ms, and it stays
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=10_000)
    paused = int(at.replace(",", ""))
    assert paused > 0
    iteration_saved, weights = saved_weights(page, tmp_path)
    assert iteration_saved == paused  # the server went back to the frame on screen ...
    for got, expected in zip(weights, reference(SLOW, paused), strict=True):
        np.testing.assert_array_equal(got, expected)  # ... bit for bit
    start = time.monotonic()
    click_button(page, "Step")
    took = time.monotonic() - start
    assert iteration(page) == paused + 1
    print(f"\nStep shown {took * 1000:.0f} ms after the click")
    iteration_saved, weights = saved_weights(page, tmp_path)
    assert iteration_saved == paused + 1
    for got, expected in zip(weights, reference(SLOW, paused + 1), strict=True):
        np.testing.assert_array_equal(got, expected)
    assert errors == [] and error_elements(page) == 0, (errors, error_texts(page))


def test_a_new_learning_rate_while_playing_applies_from_the_frame_shown(new_page, app_url):
    page = open_page(new_page, app_url, SLOW)
    click_button(page, "Play", wait=False)
    page.wait_for_timeout(3000)  # a batch in: the server has trained well past the screen
    read = f"""() => {{
        const cell = [...({LIVE})().querySelectorAll('.nn-metric')]
            .find(m => m.querySelector('.nn-metric-label').textContent === 'Iteration');
        return [Number(cell.querySelector('.nn-metric-value').textContent.replace(/,/g, '')),
                performance.now()];
    }}"""
    field = page.get_by_test_id("stSidebar").get_by_role("spinbutton", name="η exactly (type any value)")
    field.fill("0.37")
    before, began = page.evaluate(read)
    field.press("Enter")
    deadline = time.monotonic() + 10
    while metric_value(page, "Learning rate η") != "0.37" and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    after, ended = page.evaluate(read)
    assert metric_value(page, "Learning rate η") == "0.37"
    # Speed 1: an iteration a frame, ten a second. The view goes on from the frame it showed,
    # not from where the server had got to (up to a batch of 80 frames ahead).
    assert before <= after <= before + (ended - began) / 100 + 8, (before, after, ended - began)
    page.wait_for_timeout(600)
    assert iteration(page) > after  # still playing, with the new rate


def test_hover_shows_a_weight_and_a_point(new_page, app_url, tmp_path):
    page = open_page(new_page, app_url, {"seed": "3"})
    first_error = error(page)  # at iteration 0
    click_button(page, "Step 10")
    _, weights = saved_weights(page, tmp_path)
    cell = page.locator('svg[data-view="weights"] rect[data-weight="1:2:1"]')
    cell.hover()
    tip = page.locator(".nn-tip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    assert text.startswith("W1[2, 1]: from x2 to h3: ") and text.endswith(f"{weights[0][2, 1]:.4f}")
    page.locator('svg[data-view="surface"] circle').first.hover()
    assert "training point, target" in tip.inner_text()
    page.locator('svg[data-view="diagram"] [data-edge="h2->out"]').hover(force=True)
    assert tip.inner_text().endswith(f"{weights[1][0, 1]:.4f}")
    # the error curve: the error at the iteration under the pointer. Its left end: iteration 0,
    # the error the page showed before Step; its right end: the error the tenth iteration
    # measured (before its update), drawn at iteration 9
    curve = page.locator('svg[data-view="curve"]')
    box = curve.bounding_box()
    for end, at in ((0.01, 0), (0.99, 9)):
        curve.hover(position={"x": box["width"] * (50 + end * 208) / 270, "y": box["height"] / 2})
        expect(tip).to_contain_text(f"iteration {at}: error ")
    curve.hover(position={"x": box["width"] * 50 / 270, "y": box["height"] / 2})
    expect(tip).to_contain_text("iteration 0: error ")
    assert float(tip.inner_text().split("error ")[1]) == pytest.approx(first_error, rel=1e-3)


@pytest.mark.parametrize("part", ["text", "drawings"])
def test_classroom_mode_enlarges_text_and_drawings_alike(new_page, app_url, part):
    def sizes(query):
        page = open_page(new_page, app_url, query)
        page.locator('svg[data-view="diagram"]').wait_for()
        value = page.locator(".nn-metric-value").first
        return {"text": value.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"),
                "drawings": page.locator('svg[data-view="curve"] text').first.evaluate(
                    "e => e.getBoundingClientRect().height")}[part]

    plain, big = sizes({}), sizes({"big": "1"})
    assert big >= 1.2 * plain, (plain, big)


# Installed before the page's scripts: the component's running clocks (intervals that tick).
CLOCKS = """
window.__clocks = new Set();
const setClock = window.setInterval, clearClock = window.clearInterval;
window.setInterval = function (fn, ...rest) {
  const id = setClock.call(this, fn, ...rest);
  if (String(fn).includes('tick')) window.__clocks.add(id);
  return id;
};
window.clearInterval = function (id) {
  window.__clocks.delete(id);
  return clearClock.call(this, id);
};
"""


def test_a_paused_page_stops_its_clock_and_play_starts_it(new_page, app_url):
    page = new_page()
    page.add_init_script(CLOCKS)
    page.goto(app_url + "/?" + urllib.parse.urlencode(SLOW))
    wait_for_app(page)
    errors = console_errors(page)
    clocks = lambda: page.evaluate("window.__clocks.size")  # noqa: E731
    page.wait_for_timeout(500)
    assert clocks() == 0  # paused from the start: nothing ticks
    click_button(page, "Play", wait=False)
    page.wait_for_timeout(1500)
    assert clocks() == 1 and iteration(page) > 0
    click_button(page, "Pause")
    page.wait_for_timeout(500)
    paused = iteration(page)
    assert clocks() == 0
    click_button(page, "Step")
    assert iteration(page) == paused + 1 and clocks() == 0
    click_button(page, "Play", wait=False)  # and again: it plays on
    page.wait_for_timeout(1500)
    assert clocks() == 1 and iteration(page) > paused + 1
    assert errors == []


def test_a_tab_in_the_background_asks_for_nothing(new_page, app_url):
    page = open_page(new_page, app_url, SLOW)
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.add_init_script(CLOCKS)
    page.reload()  # so that the websocket and the clocks are watched from their start
    clocks = lambda: page.evaluate("window.__clocks.size")  # noqa: E731
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    click_button(page, "Play", wait=False)
    page.wait_for_timeout(1500)
    page.evaluate("""() => {
        Object.defineProperty(document, 'hidden', {value: true, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_timeout(1000)  # what was on its way arrives
    asked, shown = len(sent), iteration(page)
    page.wait_for_timeout(2500)
    assert len(sent) == asked, "a hidden tab asked for frames"
    assert iteration(page) == shown
    assert clocks() == 0  # and nothing ticks
    page.evaluate("""() => {
        Object.defineProperty(document, 'hidden', {value: false, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    for _ in range(BATCH + 30):  # back in front: it plays what it holds, then asks again
        if len(sent) > asked:
            break
        page.wait_for_timeout(100)
    assert len(sent) > asked and iteration(page) > shown and clocks() == 1


# JS: count the changes made to the weight matrices and to the diagram from now on.
WATCH_VIEWS = f"""() => {{
    const root = ({LIVE})();
    window.__changes = {{weights: 0, diagram: 0}};
    for (const view of ['weights', 'diagram']) {{
        new MutationObserver((records) => {{ window.__changes[view] += records.length; }})
            .observe(root.querySelector(`[data-cell="${{view}}"]`),
                     {{subtree: true, attributes: true, characterData: true, childList: true}});
    }}
}}"""
BELOW_SIGHT = f"""() => {{
    const cell = ({LIVE})().querySelector('[data-cell="weights"]');
    return cell.getBoundingClientRect().top - window.innerHeight;
}}"""
WEIGHT_TEXTS = f"""() => [...({LIVE})().querySelectorAll('svg[data-view="weights"] text')]
    .map(t => t.textContent).filter(t => /^-?[0-9.]+$/.test(t))"""
# Installed before the page's scripts: window.__frozen stops the component's clock from showing
# frames (the page holds still on the frame on screen while the test looks).
FREEZE = """
window.__frozen = false;
const setClock = window.setInterval;
window.setInterval = function (fn, ...rest) {
  const held = String(fn).includes('tick') ? () => { if (!window.__frozen) fn(); } : fn;
  return setClock.call(this, held, ...rest);
};
"""


def test_while_playing_a_view_out_of_sight_waits_and_catches_up_in_sight(new_page, app_url):
    query = {**SLOW, "speed": "5"}  # five iterations a frame: the weights move every frame
    page = new_page()
    page.add_init_script(FREEZE)
    page.set_viewport_size({"width": 1280, "height": 360})
    page.goto(app_url + "/?" + urllib.parse.urlencode(query))
    wait_for_app(page)
    errors = console_errors(page)
    at_top = page.locator('[data-view="metrics"]').scroll_into_view_if_needed
    formatted = lambda weights: [f"{v:.2f}" for w in weights for v in w.ravel()]  # noqa: E731
    assert page.evaluate(BELOW_SIGHT) > 200  # the weights are well below the screen
    page.evaluate(WATCH_VIEWS)
    click_button(page, "Play", wait=False)
    page.wait_for_timeout(1500)
    before, changes = iteration(page), page.evaluate("window.__changes")
    page.wait_for_timeout(1000)
    after, later = iteration(page), page.evaluate("window.__changes")
    assert after >= before + 25  # it played on ...
    assert later["diagram"] > changes["diagram"]  # ... the diagram in sight with it ...
    assert later["weights"] == changes["weights"]  # ... the weights out of sight waited
    # Scrolled into sight, they show the frame on screen at once (no new frame comes meanwhile).
    page.evaluate("window.__frozen = true")
    page.wait_for_timeout(200)
    shown = iteration(page)
    page.locator('svg[data-view="weights"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    assert iteration(page) == shown
    assert page.evaluate(WEIGHT_TEXTS) == formatted(reference(query, shown))
    page.evaluate("window.__frozen = false")
    page.wait_for_timeout(300)
    changes = page.evaluate("window.__changes")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__changes")["weights"] > changes["weights"]  # drawn each frame
    # Paused with the weights out of sight again: every view shows the paused frame.
    at_top()
    assert page.evaluate(BELOW_SIGHT) > 200
    click_button(page, "Pause")
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    paused = iteration(page)
    assert page.evaluate(WEIGHT_TEXTS) == formatted(reference(query, paused))
    assert errors == []


# JS: the texts of the weight matrices' cells (weights, or ΔW when it is shown).
CELL_TEXTS = f"""() => [...({LIVE})().querySelectorAll('svg[data-view="weights"] [data-weight] + text')]
    .map(t => t.textContent)"""


def test_with_the_change_shown_a_view_out_of_sight_waits_too(new_page, app_url):
    """"Show ΔW" paints over the weights and the edges each frame: out of sight while the run
    plays, they wait for it as for the weights, and show it as they come into sight."""
    page = new_page()
    page.add_init_script(FREEZE)
    page.set_viewport_size({"width": 1280, "height": 360})
    page.goto(app_url + "/?" + urllib.parse.urlencode({**SLOW, "speed": "5"}))
    wait_for_app(page)
    errors = console_errors(page)
    page.get_by_text("Show ΔW of the last update").click()
    page.locator('[data-view="metrics"]').scroll_into_view_if_needed()  # back to the top
    assert page.evaluate(BELOW_SIGHT) > 200
    page.evaluate(WATCH_VIEWS)
    click_button(page, "Play", wait=False)
    page.wait_for_timeout(1500)
    changes = page.evaluate("window.__changes")
    page.wait_for_timeout(1000)
    later = page.evaluate("window.__changes")
    assert later["diagram"] > changes["diagram"]  # ΔW on the edges in sight, each frame ...
    assert later["weights"] == changes["weights"]  # ... not on the weights out of sight
    page.evaluate("window.__frozen = true")
    assert not any(t.startswith("+") for t in page.evaluate(CELL_TEXTS))  # the weights as loaded
    page.locator('svg[data-view="weights"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    assert any(t.startswith("+") for t in page.evaluate(CELL_TEXTS))  # ΔW, signed, as it shows
    assert errors == []
