"""Issue 8 done-when: a new persona type, written only in YAML, with its own meter label, plays in the TUI."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from simulator.content.library import load_library
from simulator.tui.app import make_app
from tui_helpers import chat_idle, send, wait_until

FIXTURE = Path(__file__).parent / "fixtures" / "anxious"


async def test_an_anxious_first_timer_plays_with_her_own_meter(settings, clock):
    library = load_library([FIXTURE], include_env=False)
    assert library.personas["anxious-first-timer"].type == "anxious"
    app = make_app(library, dataclasses.replace(settings), scenario_id="sofa-not-arrived")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, chat_idle(app))
        label = str(app.screen.query_one("#mood-label").render())
        assert "不安" in label and "怒气" not in label
        clock.advance(8)
        await send(pilot, "宋女士您好，非常抱歉让您担心了，第一次买这么贵的东西等了十天，换作是我也会不安。")
        label = str(app.screen.query_one("#mood-label").render())
        assert "不安" in label and app.screen.session.mood < 60
