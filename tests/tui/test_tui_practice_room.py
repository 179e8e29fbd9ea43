"""The practice room as a chat tool: the clock pauses while help or the palette is open (practice
mode only), the shop's policy beside the chat, Ctrl+E asks first, the customer's last line stays
until a key, name tags are whole. Driven by key presses through the real engine on a ManualClock."""

from __future__ import annotations

from rich.cells import cell_len
from textual.geometry import Region
from test_tui_chat import INSULTS
from tui_helpers import (bubble_texts, chat_idle, holding_last_line, on_screen, send, to_scorecard,
                         wait_until)

from simulator.tui.screens.chat import ChatScreen
from simulator.tui.widgets.bubbles import CustomerBubble, MessageRow
from simulator.tui.widgets.chat_input import ChatInput
from simulator.tui.widgets.policy_panel import PolicyPanel
from simulator.tui.widgets.response_clock import ResponseClock

SIZE = (100, 40)


async def test_help_and_palette_pause_the_clock_in_practice_mode(app_factory, clock):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        chat = app.screen
        face = chat.query_one(ResponseClock)
        clock.advance(5)
        chat.tick()
        before = len(bubble_texts(app, "CustomerBubble"))
        for key, window in (("f1", "HelpScreen"), ("f3", "QuickReplyScreen")):
            await pilot.press(key)
            await wait_until(pilot, on_screen(app, window))
            assert "计时已暂停" in str(app.screen.query_one("#help-paused" if key == "f1" else "#quick-title").render())
            assert "计时已暂停" in str(face.render())
            clock.advance(chat.persona.patience.seconds * 3)  # far past the limit and the patience
            chat.tick()
            await pilot.pause()
            assert chat.session.waiting_seconds() == 5  # no time passed for the customer
            assert len(chat.query(CustomerBubble)) == before  # no nudge, not gone
            await pilot.press("escape")
            await wait_until(pilot, on_screen(app, "ChatScreen"))
            assert "计时已暂停" not in str(face.render()) and "等待 5 秒" in str(face.render())
        # Running again: past the limit the customer nudges.
        clock.advance(chat.scenario.response_limit_seconds)
        chat.tick()
        await wait_until(pilot, chat_idle(app))
        assert len(bubble_texts(app, "CustomerBubble")) == before + 1


async def test_exam_help_shows_keys_only_and_the_clock_keeps_running(app_factory, clock):
    app = app_factory(coaching=False, exam=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        chat = app.screen
        before = len(bubble_texts(app, "CustomerBubble"))
        await pilot.press("f1")
        await wait_until(pilot, on_screen(app, "HelpScreen"))
        help_screen = app.screen
        assert not help_screen.query("#help-steps") and not help_screen.query("#help-paused")
        assert "计时不会暂停" in str(help_screen.query_one("#help-exam").render())
        assert "Ctrl+E" in str(help_screen.query_one("#help-keys").render())
        clock.advance(chat.scenario.response_limit_seconds + 1)
        chat.tick()
        await wait_until(pilot, lambda: len(chat.query(CustomerBubble)) == before + 1)  # the nudge, help open
        assert not chat.clock.paused


async def test_policy_panel_in_practice_mode_and_not_in_exam_mode(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        panel = app.screen.query_one(PolicyPanel)
        assert panel.display and panel.region.height > 0
        text = str(panel.render())
        assert "不请示主管可以给她" in text and "补发" in text and "钱款最多30元" in text and "可全额退款" in text
        assert "屏幕色差" not in text  # the rule in words needs a tall terminal, or F1
        await pilot.press("f1")
        await wait_until(pilot, on_screen(app, "HelpScreen"))
        assert "屏幕色差" in str(app.screen.query_one("#help-policy").render())
    tall = app_factory()
    async with tall.run_test(size=(120, 50)) as pilot:
        await wait_until(pilot, chat_idle(tall))
        assert "屏幕色差" in str(tall.screen.query_one(PolicyPanel).render())
    exam = app_factory(coaching=False, exam=True)
    async with exam.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(exam))
        assert not exam.screen.query_one(PolicyPanel).display
        await pilot.press("f1")
        await wait_until(pilot, on_screen(exam, "HelpScreen"))
        assert not exam.screen.query("#help-policy")


async def test_ctrl_e_asks_first(app_factory, clock):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        clock.advance(8)
        await send(pilot, "非常抱歉，给您添麻烦了，我理解您的心情。")
        for key in ("n", "escape", "enter"):  # Enter is on 继续聊: the safe answer
            await pilot.press("ctrl+e")
            await wait_until(pilot, on_screen(app, "ConfirmEndScreen"))
            assert "结束这次对话吗" in str(app.screen.query_one("#confirm-title").render())
            await pilot.press(key)
            await wait_until(pilot, on_screen(app, "ChatScreen"))
            assert not app.screen.session.finished and not app.screen._grading
        await pilot.press("ctrl+e")
        await wait_until(pilot, on_screen(app, "ConfirmEndScreen"))
        await pilot.press("y")
        await wait_until(pilot, on_screen(app, "ScorecardScreen"))
        assert app.screen.record.outcome == "unfinished"


async def test_the_last_line_stays_until_a_key(app_factory, clock):
    app = app_factory(last_line_seconds=1.5)  # the default
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        chat = app.screen
        for insult in INSULTS:
            if chat._grading:
                break
            clock.advance(5)
            await send(pilot, insult)
        await wait_until(pilot, lambda: holding_last_line(app))
        assert app.screen is chat and chat.session.outcome == "escalated"
        last = [t.text for t in chat.session.transcript if t.role == "customer"][-1]
        assert bubble_texts(app, "CustomerBubble")[-1] == last
        rows = list(chat.query(MessageRow))
        assert rows[-1].region.y < chat.query_one("#to-scorecard").region.y  # on screen, above the button
        assert "投诉" in str(rows[-1].bubble.render())  # the note under the last line
        assert not chat.query_one(ChatInput).display
        assert "按 Enter 查看成绩" in str(chat.query_one("#reply-counter").render())
        await pilot.press("enter")  # a reply typed on: held back for a moment, the last line stays
        await pilot.pause()
        assert app.screen is chat
        await wait_until(pilot, lambda: chat._graded_event is not None)  # graded meanwhile, still shown
        button = chat.query_one("#to-scorecard")
        await wait_until(pilot, lambda: button.has_focus and not button.disabled, timeout=5)
        await pilot.press("enter")
        await wait_until(pilot, on_screen(app, "ScorecardScreen"))
        assert app.screen.record.outcome == "escalated"


async def test_a_leaving_customer_is_seen_leaving(app_factory, clock):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        chat = app.screen
        await pilot.press("f1")  # a help window open when the customer leaves is closed first
        await wait_until(pilot, on_screen(app, "HelpScreen"))
        await pilot.press("escape")
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        clock.advance(chat.persona.patience.seconds + 1)
        chat.tick()
        await wait_until(pilot, lambda: holding_last_line(app))
        notes = [str(r.bubble.render()) for r in chat.query(MessageRow) if r.has_class("-note")]
        assert any("离开了对话" in n for n in notes)
        await to_scorecard(pilot)
        assert app.screen.record.outcome == "abandoned"


async def test_name_tag_is_whole_on_a_short_line(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.customer_name == "林小姐"
        bubble = CustomerBubble("好", chat.customer_name)
        chat._add(bubble)
        await pilot.pause()
        # The title needs two corners, a line and a blank either side; anything narrower is cut to 林 …
        assert bubble.outer_size.width >= cell_len("林小姐") + 6
        top = bubble.render_lines(Region(0, 0, bubble.outer_size.width, 1))[0]
        assert "林小姐" in top.text and "…" not in top.text


async def test_the_session_opens_in_a_worker_when_the_engine_is_not_imported(app_factory, monkeypatch):
    # `kefu play` preloads the engine, so the chat opens its session at once; from the home
    # screen of a fresh process the first import happens in a worker instead.
    import sys

    monkeypatch.delitem(sys.modules, "simulator.engine")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        assert "simulator.engine" in sys.modules  # imported again, by the worker
        assert bubble_texts(app, "CustomerBubble")
        assert app.timings["engine imported"] <= app.timings["session started"] <= app.first_line_at
