"""The chat: the customer on the left, the trainee on the right, mood, clock, issues and coaching aside.

The engine (session.reply / end / scorecard) runs in thread workers that report back with
messages; only session.poll(), cheap reads and, once the engine is imported, session.start() (well
under a millisecond) happen on the event loop. When the customer ends the conversation, the chat
stays with their last line until the trainee presses Enter; Ctrl+E asks before ending it.
"""

from __future__ import annotations

import sys
from collections import deque
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Static

from simulator.tui.widgets.bubbles import CustomerBubble, MessageRow, SystemNote, TraineeBubble
from simulator.tui.widgets.chat_input import ChatInput
from simulator.tui.widgets.coaching_panel import CoachingPanel
from simulator.tui.widgets.issue_checklist import IssueChecklist
from simulator.tui.widgets.mood_meter import MoodMeter
from simulator.tui.widgets.policy_panel import PolicyPanel
from simulator.tui.widgets.response_clock import ResponseClock
from simulator.tui.widgets.typing_indicator import TypingIndicator

POLICY_NOTES_MIN_HEIGHT = 48  # below this the policy panel shows the remedies and caps; F1 has the rule in words


class ChatScreen(Screen):
    """One conversation with one customer."""

    BINDINGS = [
        Binding("f2,ctrl+t", "toggle_coaching", "辅导", priority=True),
        Binding("f3,ctrl+r", "quick_replies", "快捷回复", priority=True),
        Binding("f4", "skip_typing", "跳过输入", priority=True),
        Binding("ctrl+e", "end_conversation", "结束对话", priority=True),
        Binding("f1", "help", "帮助", priority=True),
    ]

    END_NOTES = {
        "resolved": "问题解决了，对话结束",
        "escalated": "{name}要投诉了，对话结束",
    }
    """The note under the customer's last line (a leaving customer already has 离开了对话)."""

    @dataclass
    class Opened(Message):
        """The session has started: the customer's opening lines."""

        messages: list[Any]

    @dataclass
    class ReplyDone(Message):
        """The engine took the trainee's reply (a TurnResult)."""

        result: Any

    @dataclass
    class Graded(Message):
        """The conversation is over and graded."""

        scorecard: Any
        record: Any

    @dataclass
    class EngineFailed(Message):
        """The engine or scorer raised; shown as an error notification."""

        error: str

    def __init__(self, scenario, persona, seed: int) -> None:
        super().__init__()
        self.scenario = scenario
        self.persona = persona
        self.seed = seed
        self.session: Any = None
        self.busy = True  # until the session has started
        self._pending: deque[Any] = deque()
        self._typing_timer: Timer | None = None
        self._finish_requested = False
        self._grading = False
        self.clock: Any = None
        """The session's PausableClock (simulator.engine.clock): stopped while help or the palette is open."""
        self._graded_event: ChatScreen.Graded | None = None
        self._holding = False  # the conversation ended by the customer: the last line stays until a key
        self._continue_requested = False

    @property
    def settings(self):
        return self.app.settings

    @property
    def customer_name(self) -> str:
        return self.scenario.customer_name

    def compose(self) -> ComposeResult:
        mode = "考试模式" if self.settings.exam else "练习模式"
        yield Static(
            f"[b]{escape(self.scenario.title)}[/b] · {escape(self.customer_name)}"
            f"（{escape(self.persona.name)}） · {mode} · 种子 {self.seed}",
            id="chat-title",
        )
        with Horizontal(id="chat-main"):
            with Vertical(id="chat-left"):
                yield VerticalScroll(id="transcript")
                yield TypingIndicator(id="typing")
                yield ChatInput(id="reply")
                yield Static(id="reply-counter")
            with VerticalScroll(id="sidebar"):
                yield MoodMeter(id="mood")
                yield ResponseClock(id="clock")
                yield IssueChecklist([(i.id, i.summary) for i in self.scenario.issues], id="issues")
                yield PolicyPanel(self.scenario.policy, self.scenario.customer_pronoun, id="policy")
                yield CoachingPanel(id="coaching")
        yield Footer()

    def on_mount(self) -> None:
        self.app.mark("chat composed")
        reply = self.query_one(ChatInput)
        reply.cursor_blink = self.app.cursor_blink
        reply.focus()
        self._update_counter()
        self.query_one(TypingIndicator).show_typing(None)
        clock = self.query_one(ResponseClock)
        clock.limit = float(self.scenario.response_limit_seconds)
        clock.waiting = False
        self.query_one(MoodMeter).show(self.persona.mood.start, "", [self.persona.mood.start],
                                       calm=self.persona.mood.calm, meter=self.persona.mood.label)
        self.query_one(CoachingPanel).display = self.settings.coaching and not self.settings.exam
        # The limits are part of practising; in an exam the trainee must know them.
        self.query_one(PolicyPanel).display = not self.settings.exam
        self._ticker = self.set_interval(self.settings.tick_seconds, self.tick)
        if "simulator.engine" in sys.modules:
            # Imported already (launch.preload_engine, or an earlier chat): building the session takes
            # well under a millisecond, and the opening lines make the screen's first paint.
            self.post_message(self._start_session())
        else:
            self._open()

    def _make_clock(self):
        from simulator.engine.clock import PausableClock, SystemClock

        return PausableClock(self.settings.clock if self.settings.clock is not None else SystemClock())

    def on_resize(self) -> None:
        self.query_one(PolicyPanel).show_notes(self.size.height >= POLICY_NOTES_MIN_HEIGHT)

    # ---- engine workers ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="engine")
    def _open(self) -> None:
        """The session, in a worker: the first import of the engine takes a few dozen milliseconds."""
        self.post_message(self._start_session())

    def _start_session(self) -> Message:
        """Build and start the session: Opened with the customer's opening, or EngineFailed."""
        try:
            self.clock = self._make_clock()
            self.app.mark("engine imported")
            self.session = self.app.new_session(self.scenario, self.persona, self.seed, clock=self.clock)
            messages = list(self.session.start())
        except Exception as error:  # noqa: BLE001 - shown to the trainee, never a crash
            return self.EngineFailed(f"{type(error).__name__}: {error}")
        return self.Opened(messages)

    @work(thread=True, exclusive=True, exit_on_error=False, group="engine")
    def _reply(self, text: str, quick_reply: bool) -> None:
        try:
            result = self.session.reply(text, quick_reply=quick_reply)
        except Exception as error:  # noqa: BLE001
            self.post_message(self.EngineFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(self.ReplyDone(result))

    @work(thread=True, exclusive=True, exit_on_error=False, group="grade")
    def _grade(self, end: bool) -> None:
        try:
            if end:
                self.session.end()
            record = self.session.record()
            card = self.session.scorecard()
        except Exception as error:  # noqa: BLE001
            self.post_message(self.EngineFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(self.Graded(card, record))

    # ---- what the engine says ------------------------------------------------------------

    @on(Opened)
    def _opened(self, event: Opened) -> None:
        self.app.mark("session started")
        self.busy = False
        # The opening was written before the trainee opened the chat: no typing pause.
        for message in event.messages:
            self._show_customer(message)
        self._after_customer()

    def _coach_context(self):
        """What coaching needs of this conversation: the case's phrasings, the persona's rule, open issues."""
        from scoring.coaching import CoachContext

        session, scenario = self.session, self.scenario
        status = getattr(session, "issue_status", {}) or {}
        pending = bool(getattr(self.persona, "must_be_heard", False)) and not getattr(session, "heard", True)
        told = set(getattr(session, "revealed_facts", []) or [])
        return CoachContext(
            category=scenario.category, better=dict(scenario.better), must_be_heard_pending=pending,
            open_issues=tuple(i.summary for i in scenario.issues if not status.get(i.id, False)),
            # Where the conversation stands, so the advice fits the moment (issue 21 §6).
            done_before=tuple(self._coached),
            told=tuple(k for f in scenario.facts if f.topic in told for k in f.keywords),
            nothing_to_ask=bool(scenario.facts) and all(f.topic in told for f in scenario.facts),
            offer_on_table=bool(getattr(session, "offer_on_table", False)),
        )

    _coached: set[str] = frozenset()  # type: ignore[assignment]
    """Dimensions the trainee's earlier replies did (apology, empathy, question)."""

    @on(ReplyDone)
    def _reply_done(self, event: ReplyDone) -> None:
        self.busy = False
        result = event.result
        self.query_one(CoachingPanel).show_analysis(result.analysis, getattr(result, "policy_breaches", []),
                                                    self._coach_context())
        from scoring.session import clarifies

        a = result.analysis
        self._coached = {*self._coached, *(["apology"] if a.apology else []), *(["empathy"] if a.empathy else []),
                         *(["question"] if clarifies(a) else [])}
        self.query_one(IssueChecklist).show(self.session.issue_status)
        self._pending.extend(result.messages)
        if result.finished:
            self._finish_requested = True
        self._pump()

    @on(EngineFailed)
    def _engine_failed(self, event: EngineFailed) -> None:
        self.busy = False
        self.query_one(TypingIndicator).show_typing(None)
        self.notify(f"出错了：{event.error}", title="引擎错误", severity="error", timeout=10)

    @on(Graded)
    def _graded(self, event: Graded) -> None:
        self._graded_event = event
        if self._holding and not self._continue_requested:
            return  # the trainee is still reading the customer's last line
        self._open_scorecard()

    def _open_scorecard(self) -> None:
        from simulator.tui.screens.scorecard import ScorecardScreen

        event = self._graded_event
        while self.app.screen is not self:  # close a help or quick-reply window first
            self.app.pop_screen()
        self.app.switch_screen(ScorecardScreen(
            scenario=self.scenario, persona=self.persona, seed=self.seed, session=self.session,
            scorecard=event.scorecard, record=event.record,
        ))

    # ---- customer lines, one at a time, with the typing pause ------------------------------

    def _pump(self) -> None:
        """Show the next pending customer line after its '正在输入…' pause; finish when all are shown."""
        if self._typing_timer is not None:
            return
        while self._pending:
            delay = self.settings.typing_delay(self._pending[0].text)
            if delay > 0:
                self.query_one(TypingIndicator).show_typing(self.customer_name)
                self.query_one(ResponseClock).waiting = False
                self._typing_timer = self.set_timer(delay, self._typed)
                return
            self._show_customer(self._pending.popleft())
        self.query_one(TypingIndicator).show_typing(None)
        self._after_customer()

    def _typed(self) -> None:
        self._typing_timer = None
        if self._pending:
            self._show_customer(self._pending.popleft())
        self._pump()

    def action_skip_typing(self) -> None:
        """Show every pending customer line now."""
        if self._typing_timer is not None:
            self._typing_timer.stop()
            self._typing_timer = None
        while self._pending:
            self._show_customer(self._pending.popleft())
        self._pump()

    def _show_customer(self, message) -> None:
        self._add(CustomerBubble(message.text, self.customer_name))
        if getattr(message, "kind", "") == "leave":
            self._add(SystemNote(f"{self.customer_name} 离开了对话"))
        self.query_one(MoodMeter).show(message.mood, message.state_label, self._mood_history(),
                                       calm=self.persona.mood.calm, meter=self.persona.mood.label)

    @on(CustomerBubble.Shown)
    def _customer_shown(self) -> None:
        self.app.note_first_line()

    def _after_customer(self) -> None:
        """All lines shown: wait for the trainee, or go to the scorecard when the session is over."""
        if self.session is None:
            return
        self._refresh_clock()
        if self._finish_requested or self.session.finished:
            self._hold_last_line()
            self._finish(end=False)

    def _hold_last_line(self) -> None:
        """The customer ended the conversation: keep the chat (and the last line) until a key."""
        if self._holding:
            return
        self._holding = True
        while self.app.screen is not self:  # the last line must be visible, not behind a help window
            self.app.pop_screen()
        outcome = getattr(self.session, "outcome", None) or ""
        if outcome != "abandoned":
            self._add(SystemNote(self.END_NOTES.get(outcome, "对话结束").format(name=self.customer_name)))
        self.query_one(ChatInput).display = False
        self.query_one("#reply-counter", Static).update("[dim]看完顾客的最后一句，按 Enter 查看成绩[/]")
        delay = self.settings.last_line_seconds
        button = Button("查看成绩 Enter", id="to-scorecard", variant="primary", disabled=delay > 0)
        self.query_one("#chat-left").mount(button, before=self.query_one("#reply-counter"))
        self.set_focus(None)  # keys typed for a reply that will not be sent go nowhere

        def ready() -> None:
            button.disabled = False
            button.focus()

        if delay > 0:
            self.set_timer(delay, ready)
        else:
            self.call_after_refresh(ready)

    @on(Button.Pressed, "#to-scorecard")
    def action_continue_to_scorecard(self) -> None:
        """After the last line: the scorecard now, or as soon as the grading is done."""
        if self.query_one("#to-scorecard", Button).disabled:
            return
        self._continue_requested = True
        if self._graded_event is not None:
            self._open_scorecard()
        else:
            self.query_one("#reply-counter", Static).update("[dim]正在评分…[/]")

    def _add(self, bubble) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(MessageRow(bubble))
        transcript.scroll_end(animate=False)

    def _mood_history(self) -> list[int]:
        return list(self.session.mood_history) if self.session is not None else []

    # ---- the trainee -------------------------------------------------------------------------

    @on(ChatInput.Changed)
    def _update_counter(self) -> None:
        if self._holding:
            return  # the line shows how to go on to the scorecard
        reply = self.query_one(ChatInput)
        self.query_one("#reply-counter", Static).update(
            f"{len(reply.text)}/{reply.max_chars}  [dim]Enter 发送 · Shift+Enter / Ctrl+J 换行[/]")

    @on(ChatInput.Submitted)
    def _send(self, event: ChatInput.Submitted) -> None:
        if self.session is None or self.busy:
            self.notify("请稍候，顾客的消息还在处理中。", severity="warning")
            return
        if self.session.finished or self._grading:
            self.notify("对话已经结束。", severity="warning")
            return
        event.chat_input.clear_reply()
        self._add(TraineeBubble(event.text, "我"))
        self.busy = True
        self.query_one(ResponseClock).waiting = False
        # While the engine reads the reply the customer is, as far as the trainee can tell, typing.
        self.query_one(TypingIndicator).show_typing(self.customer_name)
        self._reply(event.text, event.quick_reply)

    def tick(self) -> None:
        """On the interval: let the engine notice a slow trainee (nudge / leaving), refresh the clock."""
        if self.session is None or self.busy or self._grading:
            return
        if not self.session.finished:
            messages = list(self.session.poll())
            if messages:
                self._pending.extend(messages)
                self._pump()  # goes to the scorecard once a leaving customer's line is shown
                return
        self._refresh_clock()

    def _refresh_clock(self) -> None:
        clock = self.query_one(ResponseClock)
        typing = self._typing_timer is not None
        clock.waiting = not (self.busy or typing or self.session.finished)
        clock.seconds = float(self.session.waiting_seconds())

    # ---- the clock stops while the trainee reads (practice mode only) ------------------------

    def _pause_clock(self, why: str) -> bool:
        """Stop the response clock while a window covers the chat; never in exam mode."""
        if self.settings.exam or self.clock is None or self._grading:
            return False
        self.clock.pause()
        self.query_one(ResponseClock).paused = why
        return True

    def on_screen_resume(self) -> None:
        if self.clock is not None and self.clock.paused:
            self.clock.resume()
            self.query_one(ResponseClock).paused = ""
            if self.session is not None:
                self._refresh_clock()

    def action_help(self) -> None:
        from simulator.tui.screens.help import HelpScreen

        if isinstance(self.app.screen, HelpScreen):
            return
        paused = self._pause_clock("帮助打开中")
        policy = "" if self.settings.exam else self.scenario.policy.notes.strip()
        self.app.push_screen(HelpScreen(exam=self.settings.exam, paused=paused, policy=policy))

    # ---- actions -------------------------------------------------------------------------

    def action_toggle_coaching(self) -> None:
        if self.settings.exam:
            self.notify("考试模式没有辅导。", severity="warning")
            return
        panel = self.query_one(CoachingPanel)
        panel.display = not panel.display
        self.settings.coaching = panel.display
        self.notify("辅导已打开" if panel.display else "辅导已关闭")

    def action_quick_replies(self) -> None:
        from simulator.tui.screens.quick_replies import QuickReplyScreen

        items = list(self.app.library.quick_replies)
        if not items:
            self.notify("没有快捷回复。", severity="warning")
            return

        def insert(text: str | None) -> None:
            if text and not self._grading:
                self.query_one(ChatInput).insert_quick_reply(text)

        paused = self._pause_clock("快捷回复打开中")
        self.app.push_screen(QuickReplyScreen(items, paused=paused), insert)

    def action_end_conversation(self) -> None:
        """Ctrl+E: asks first (a Chinese modal), then grades the conversation as it stands."""
        from simulator.tui.screens.confirm_end import ConfirmEndScreen

        if self._grading:
            return
        if self.session is None or self.busy:
            self.notify("请稍候，顾客的消息还在处理中。", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes and not self._grading and not self.busy:
                self.action_skip_typing()
                self._finish(end=True)

        self.app.push_screen(ConfirmEndScreen(unresolved=not self.session.finished), answered)

    def _finish(self, end: bool) -> None:
        if self._grading:
            return
        self._grading = True
        self._ticker.stop()
        self.query_one(ChatInput).read_only = True
        self._grade(end and not self.session.finished)
