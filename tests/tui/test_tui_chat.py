"""Whole conversations played by pressing keys, through the real engine, analyzer and grader."""

from __future__ import annotations

import re

from tui_helpers import (MODEL_WIG, WIG, bubble_texts, chat_idle, end_chat, on_screen, send, to_scorecard, type_keys,
                          wait_until)

from simulator.tui.screens.chat import ChatScreen
from simulator.tui.screens.scorecard import ScorecardScreen
from simulator.tui.widgets.chat_input import ChatInput
from simulator.tui.widgets.coaching_panel import CoachingPanel
from simulator.tui.widgets.response_clock import ResponseClock

SIZE = (100, 40)
REPLY_SECONDS = 15.0  # how long the trainee "takes" per reply on the ManualClock

INSULTS = [
    "你怎么那么多事，别人都不像你那么麻烦。",
    "跟你说多少回了，要别人早懂了，你怎么那么笨！",
    "跟你说不行就不行，别人就不像你这么罗嗦。",
    "你自己眼睛有问题吧，爱买不买。",
    "你别做梦了，太荒唐了，不行不行。",
    "你这种人就是来找茬的，烦不烦。",
]
TIMED = re.compile(r"^\[\+(\d+(?:\.\d+)?)s\]\s*")


def model_replies(library) -> list[tuple[float, str]]:
    """The scenario's own resolved example (tuned by the content author), else the issue's model handling."""
    for example in library.scenarios[WIG].examples:
        if example.outcome == "resolved" and not example.policy_breach:
            out = []
            for reply in example.replies:
                m = TIMED.match(reply)
                out.append((float(m.group(1)) if m else REPLY_SECONDS, TIMED.sub("", reply)))
            return out
    return [(REPLY_SECONDS, r) for r in MODEL_WIG]


async def play(pilot, clock, replies, first_by_keys: bool = True) -> None:
    app = pilot.app
    for n, (seconds, text) in enumerate(replies):
        if not isinstance(app.screen, ChatScreen) or app.screen._grading:
            break
        clock.advance(seconds)
        await send(pilot, text, keys=first_by_keys and n == 0)


async def test_first_line_and_layout(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.first_line_at is not None)
        assert isinstance(app.screen, ChatScreen)
        customer = bubble_texts(app, "CustomerBubble")
        assert customer and any("深棕色" in t for t in customer)
        assert app.first_line_at < 5  # the real figure is measured by bench/bench_tui_start.py
        assert app.screen.query_one(ChatInput).has_focus


async def test_model_wig_handling_is_resolved(app_factory, clock, library):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        await play(pilot, clock, model_replies(library))
        await to_scorecard(pilot)
        screen = app.screen
        assert isinstance(screen, ScorecardScreen)
        assert screen.record.outcome == "resolved", [t.text for t in screen.session.transcript]
        assert all(screen.session.issue_status.values())
        assert screen.scorecard.total > 50
        body = str(screen.query_one("#score-outcome").render())
        assert "问题解决" in body


async def test_insults_escalate(app_factory, clock):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        clock.advance(5)
        await send(pilot, INSULTS[0])
        panel = str(app.screen.query_one(CoachingPanel).render())
        assert "✗ 违规" in panel and "可以说" in panel  # the violation, quoted, with a better phrasing
        await play(pilot, clock, [(5.0, t) for t in INSULTS[1:]], first_by_keys=False)
        await to_scorecard(pilot)
        assert app.screen.record.outcome == "escalated"
        violations = str(app.screen.query_one("#score-violations").render())
        assert "人身攻击" in violations or "违规" in violations


async def test_coaching_quotes_the_reply(app_factory, clock):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        clock.advance(10)
        apology = "非常抱歉亲，给您添麻烦了，这件事是我们没有做好。"
        await send(pilot, apology, keys=True)
        assert bubble_texts(app, "TraineeBubble") == [apology]
        panel = str(app.screen.query_one(CoachingPanel).render())
        assert "✓ 道歉" in panel and "“非常抱歉" in panel  # the trainee's own words, quoted
        assert "✗ 提问" in panel and "可以说" in panel  # a better phrasing for what is missing
        for name in ("道歉", "共情", "提问", "方案"):
            assert f"✓ {name}" in panel or f"✗ {name}" in panel
        # F2 hides and Ctrl+T shows the coaching again.
        await pilot.press("f2")
        assert not app.screen.query_one(CoachingPanel).display
        await pilot.press("ctrl+t")
        assert app.screen.query_one(CoachingPanel).display


async def test_exam_mode_has_no_coaching(app_factory):
    app = app_factory(coaching=False, exam=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        assert not app.screen.query_one(CoachingPanel).display
        await pilot.press("f2")
        assert not app.screen.query_one(CoachingPanel).display


async def test_clock_turns_amber_then_red_and_the_customer_nudges(app_factory, clock):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        screen = app.screen
        face = screen.query_one(ResponseClock)
        screen.tick()
        assert not face.has_class("-amber") and not face.has_class("-red")
        clock.advance(21)
        screen.tick()
        await pilot.pause()
        assert face.has_class("-amber") and "21" in str(face.render())
        before = len(bubble_texts(app, "CustomerBubble"))
        clock.advance(10)  # 31 s: past the 30 s limit
        screen.tick()
        await wait_until(pilot, chat_idle(app))
        assert face.has_class("-red")
        after = bubble_texts(app, "CustomerBubble")
        assert len(after) == before + 1  # the nudge, e.g. 人呢？
        assert screen.session.transcript[-1].text == after[-1]
        # Past the persona's patience the customer leaves: the conversation ends as abandoned.
        clock.advance(screen.persona.patience.seconds)
        screen.tick()
        await to_scorecard(pilot)
        assert app.screen.record.outcome == "abandoned"


async def test_quick_reply_is_inserted_and_counted(app_factory, clock, library):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        await pilot.press("f3")
        await wait_until(pilot, on_screen(app, "QuickReplyScreen"))
        await pilot.press("enter")  # the first phrase
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        box = app.screen.query_one(ChatInput)
        first = library.quick_replies[0]
        assert box.text == getattr(first, "text", str(first))
        clock.advance(8)
        await pilot.press("enter")
        await wait_until(pilot, chat_idle(app))
        clock.advance(8)
        await send(pilot, "我理解您的心情，麻烦您告诉我订单号，我马上为您查。")
        turns = app.screen.session.record().turns
        assert [t.quick_reply for t in turns] == [True, False]


async def test_reply_box_limit_and_newline(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        box = app.screen.query_one(ChatInput)
        await type_keys(pilot, "您好，")
        await pilot.press("ctrl+j", *list("请问"))
        assert box.text == "您好，\n请问"
        box.text = "好" * 498
        box.move_cursor(box.document.end)
        await type_keys(pilot, "一二三四")
        assert len(box.text) == 500
        await pilot.pause()
        assert "500/500" in str(app.screen.query_one("#reply-counter").render())


async def test_end_early_goes_to_scorecard(app_factory, clock):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        clock.advance(12)
        await send(pilot, "非常抱歉，给您添麻烦了，我理解您的心情。")
        await end_chat(pilot)
        assert app.screen.record.outcome == "unfinished"
        assert len(app.screen.record.turns) == 1


async def test_typing_pause_shows_and_can_be_skipped(app_factory, clock):
    app = app_factory(typing=True, typing_seconds_per_char=1.0, typing_max_seconds=60.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen) and app.screen.session is not None
                         and not app.screen.busy)
        opening = bubble_texts(app, "CustomerBubble")
        assert opening  # the opening is on screen at once, with no typing pause
        clock.advance(10)
        app.screen.query_one(ChatInput).text = "非常抱歉亲，给您添麻烦了，我理解您的心情。"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.screen.busy)
        indicator = app.screen.query_one("#typing")
        assert indicator.display and "正在输入" in str(indicator.render())
        assert bubble_texts(app, "CustomerBubble") == opening  # still typing (a minute per line)
        await pilot.press("f4")
        await pilot.pause()
        assert len(bubble_texts(app, "CustomerBubble")) > len(opening)
        assert not indicator.display
