"""Coaching in the practice room is about this case and this customer (issue 13): on the venting
customer's first turn it says to listen, not to offer; in the hotel case it never gives a wig sentence."""

from __future__ import annotations

from simulator.tui.widgets.coaching_panel import CoachingPanel
from tui_helpers import chat_idle, send, wait_until

SIZE = (120, 40)


async def test_venting_first_turn_coaching_says_listen_first(app_factory, clock):
    app = app_factory("green-color-rant")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        clock.advance(8)
        await send(pilot, "亲，真的非常抱歉，我理解您现在的心情。")
        panel = str(app.screen.query_one(CoachingPanel).render())
        assert "先别急着给方案" in panel
        assert "补发" not in panel.split("方案", 1)[1].split("\n")[0]  # no remedy suggested for 方案


async def test_hotel_case_coaching_never_suggests_a_wig_sentence(app_factory, clock, library):
    app = app_factory("hotel-sea-view")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        clock.advance(8)
        await send(pilot, "您好，请问有什么可以帮您？")
        panel = str(app.screen.query_one(CoachingPanel).render())
        assert "✗ 方案" in panel
        for wig in ("颜色", "假发", "深棕", "发错"):
            assert wig not in panel
        assert library.scenarios["hotel-sea-view"].better["solution.issues"][:8] in panel.replace("\n", "")
