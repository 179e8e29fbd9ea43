"""Every built-in scenario can be played from the home screen to the scorecard with the keyboard alone.

The replies are each scenario's own resolved example (the ones `kefu check` runs headless); here
they are typed into the real app, so the screen, the engine and the grader must agree with it.
"""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable
from tui_helpers import chat_idle, on_screen, send, to_scorecard, type_keys, wait_until

from simulator.content.library import load_library
from simulator.tui.screens.chat import ChatScreen
from simulator.tui.screens.scorecard import ScorecardScreen

TIMED = re.compile(r"^\[\+(\d+(?:\.\d+)?)s\]\s*")
DEFAULT_SECONDS = 15.0  # what `kefu run` assumes for a reply without a [+Ns] prefix

_BUILTIN = load_library(include_env=False)
# None for a scenario without one: that fails the test below instead of breaking collection.
RESOLVED = {
    sid: next((e for e in s.examples if e.outcome == "resolved" and not e.policy_breach), None)
    for sid, s in sorted(_BUILTIN.scenarios.items())
}
PLAYABLE = sorted(sid for sid, example in RESOLVED.items() if example is not None)


def test_every_builtin_scenario_has_a_resolved_example():
    assert len(_BUILTIN.scenarios) >= 11
    missing = sorted(sid for sid, example in RESOLVED.items() if example is None)
    assert not missing, f"no resolved example without a policy breach: {missing}"


@pytest.mark.parametrize("scenario_id", PLAYABLE)
async def test_play_from_home_to_scorecard(scenario_id, app_factory, clock, library):
    example = RESOLVED[scenario_id]
    app = app_factory(scenario_id=None, seed=example.seed)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_keys(pilot, library.scenarios[scenario_id].title)
        table = app.screen.query_one(DataTable)
        assert [k.value for k in table.rows] == [scenario_id]
        await pilot.press("enter")
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        await wait_until(pilot, chat_idle(app))
        for reply in example.replies:
            if not isinstance(app.screen, ChatScreen):
                break
            m = TIMED.match(reply)
            clock.advance(float(m.group(1)) if m else DEFAULT_SECONDS)
            await send(pilot, TIMED.sub("", reply))
        await to_scorecard(pilot)
        screen = app.screen
        assert isinstance(screen, ScorecardScreen)
        assert screen.record.outcome == "resolved", [t.text for t in screen.session.transcript]
        assert "问题解决" in str(screen.query_one("#score-outcome").render())
