"""Runs that survive: a paused run's address holds its iteration (``at=``), and opening it
again (a reload, a new session, another server) trains back to the same weights, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from test_page import click, iteration, new_app, playground, weights

from nnplay.app import runfile
from nnplay.app.link import ViewOptions, parse_query, to_query
from nnplay.app.playground import Playground
from nnplay.config import RunConfig


def query(at) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_a_paused_pages_address_holds_its_iteration_and_reopens_on_the_same_weights():
    first = new_app({"opt": "adam", "lr": "0.05", "batch": "2", "min": "0"})
    assert "at" not in query(first)  # iteration 0: nothing to hold
    click(first, "Step 10")
    click(first, "Step")
    assert query(first)["at"] == "11"
    reopened = new_app(query(first))  # a reload: a new session from the address
    assert iteration(reopened) == 11
    assert weights(reopened).tobytes() == weights(first).tobytes()
    optimizer = playground(first).trainer.optimizer_state
    again = playground(reopened).trainer.optimizer_state
    assert all(optimizer[k].tobytes() == again[k].tobytes() for k in optimizer)
    assert "trained again to iteration 11" in playground(reopened).status().message


def test_the_address_drops_the_iteration_while_playing():
    page = new_app({"min": "0"})
    click(page, "Step")
    assert query(page)["at"] == "1"
    click(page, "Play")
    assert "at" not in query(page)
    click(page, "Pause")
    assert query(page)["at"] == str(iteration(page))


def test_a_run_loaded_from_a_file_writes_no_iteration():
    page = new_app({"min": "0"})
    click(page, "Step")
    saved = runfile.save(playground(page).config, playground(page).view,
                         playground(page).trainer, None)
    config, view, trainer, points = runfile.load_run(saved)
    playground(page).load(config, trainer, view, points)
    page.run()
    assert "at" not in query(page)


def test_a_bad_iteration_in_a_link_is_a_warning_not_a_crash():
    page = new_app({"at": "-3"})
    assert iteration(page) == 0
    assert "The link's 'at' value '-3' is not a whole number" in " ".join(
        w.value for w in page.warning)


# -- the playground: played frames and a replay agree ------------------------------------

SETTINGS = [RunConfig(min_error=0.0),
            RunConfig(problem="set:spiral", n_points=120, test_fraction=0.5, optimizer="adam",
                      learning_rate=0.03, batch_size=16, schedule="cosine", decay_steps=300,
                      min_error=0.0, patience=0),
            RunConfig(hidden=(3, 2), optimizer="nesterov", regularization="l2",
                      regularization_rate=0.01, min_error=0.0)]


@pytest.mark.parametrize("speed", ["20", "max"])
@pytest.mark.parametrize("config", SETTINGS, ids=["xor", "spiral-adam-batches", "nesterov-l2"])
def test_frames_of_play_and_a_replay_give_the_same_bits(config, speed):
    """Play trains in chunks (fixed, or as many as fit in a frame's time), Step in others, the
    replay in its own: the same iterations, so the same bits."""
    played = Playground(config, ViewOptions(speed=speed))
    played.play()
    for _ in range(7):
        played.frame()
    played.pause()
    played.step(3)
    at = played.position()
    assert at == 143 if speed == "20" else at > 3
    link = parse_query(to_query(played.config, played.view, at=at))
    replayed = Playground(link.config, link.view)
    assert replayed.replay_to(link.at) == at
    assert replayed.trainer.network.parameters.tobytes() == played.trainer.network.parameters.tobytes()
    assert replayed.position() == at


def test_a_replay_longer_than_its_bound_stops_where_it_got_and_says_so():
    ticks = iter(np.arange(0.0, 100.0, 2.0))  # every chunk "takes" 2 s
    p = Playground(RunConfig(min_error=0.0, max_iterations=1_000_000))
    reached = p.replay_to(1_000_000, seconds=5.0, clock=lambda: float(next(ticks)))
    assert 0 < reached < 1_000_000
    assert not p.playing
    assert f"stopped at iteration {reached:,}" in p.status().message


def test_runs_that_training_from_0_would_not_reproduce_hold_no_iteration():
    p = Playground(RunConfig(min_error=0.0))
    p.step(5)
    assert p.position() == 5
    p.apply(p.config.replace(learning_rate=0.5))  # a new η along the way
    assert p.position() == 0
    p.reset()
    p.apply(p.config.replace(learning_rate=0.7))  # at iteration 0 it is the link's own η
    p.step(2)
    assert p.position() == 2
    p.play()
    assert p.position() == 0


def test_a_link_to_uploaded_points_without_them_reopens_with_a_sentence():
    """``gate=csv`` without its points (``pts=``: too many for a link, or cut off) opens the
    default problem and says why, never a traceback."""
    page = new_app({"gate": "csv", "lr": "0.5"})
    assert not page.error, [e.value for e in page.error]
    warnings = " ".join(w.value for w in page.warning)
    assert "The link's 'gate' value 'csv' names points the link does not carry" in warnings
    assert playground(page).config.problem == "xor"
    assert playground(page).config.learning_rate == 0.5
