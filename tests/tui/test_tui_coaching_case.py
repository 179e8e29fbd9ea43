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


async def test_coaching_fits_the_moment_once_the_order_number_is_given_and_a_remedy_offered(app_factory, clock,
                                                                                             library):
    """Issue 21 §6: no "可以说：麻烦您先把订单号发我一下…" once the customer has given it and a solution is on the table."""
    ask = library.scenarios["wig-wrong-color"].better["question.first"]
    app = app_factory("wig-wrong-color")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        clock.advance(8)
        await send(pilot, "亲，真的非常抱歉，颜色发错又晚到，换作是我也会很失望。麻烦您把订单号发我一下好吗？")
        await wait_until(pilot, chat_idle(app))
        assert "order_number" in app.screen.session.revealed_facts
        clock.advance(12)
        await send(pilot, "我们24小时内给您补发深棕色的，运费我们承担，晚到三天再送您一张30元代金券，您看可以吗？")
        await wait_until(pilot, chat_idle(app))
        panel = str(app.screen.query_one(CoachingPanel).render()).replace("\n", "")
        assert app.screen.session.offer_on_table
        assert ask[:10] not in panel  # the question advice is past
        assert "✗ 道歉" not in panel and "✗ 共情" not in panel  # said in the first reply: not asked for again
        assert "下一步：收尾" in panel or "还没回应" in panel
