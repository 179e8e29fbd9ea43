"""Visual regressions (pytest-textual-snapshot): home, chat mid-conversation, coaching, scorecard.

Deterministic: fixed seed, ManualClock, typing pauses off, no cursor blink, no animations, records
in tmp_path. Update with `pytest tests/tui/test_tui_snapshots.py --snapshot-update`, then review each SVG
in __snapshots__/ before committing it.
"""

from __future__ import annotations

import dataclasses

from tui_helpers import MODEL_WIG, WIG, chat_idle, finish_to_scorecard, only, send, wait_until

from simulator.tui.app import make_app

SIZE = (100, 40)


def build(library, settings, scenario_id=WIG, **changes):
    return make_app(library, dataclasses.replace(settings, **changes), scenario_id=scenario_id)


def test_home(snap_compare, library, settings):
    app = build(only(library, WIG, "green-color-rant"), settings, scenario_id=None)
    assert snap_compare(app, terminal_size=SIZE)


def replies_then(count: int, clock, wait_after: float = 0.0):
    async def run_before(pilot) -> None:
        await wait_until(pilot, chat_idle(pilot.app))
        for reply in MODEL_WIG[:count]:
            clock.advance(12)
            await send(pilot, reply)
        if wait_after:
            clock.advance(wait_after)
            pilot.app.screen.tick()
        await pilot.pause()
    return run_before


def test_chat_mid_conversation(snap_compare, library, settings, clock):
    # Coaching off (as in exam mode): the transcript, mood, clock (amber at 22 s) and issue checklist.
    app = build(library, settings, coaching=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=replies_then(1, clock, wait_after=22))


def test_chat_small_terminal(snap_compare, library, settings, clock):
    app = build(library, settings)
    assert snap_compare(app, terminal_size=(80, 24), run_before=replies_then(1, clock))


def test_coaching(snap_compare, library, settings, clock):
    app = build(library, settings)
    assert snap_compare(app, terminal_size=SIZE, run_before=replies_then(1, clock))


def test_scorecard(snap_compare, library, settings, clock):
    app = build(library, settings)

    async def run_before(pilot) -> None:
        await replies_then(len(MODEL_WIG), clock)(pilot)
        await finish_to_scorecard(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
