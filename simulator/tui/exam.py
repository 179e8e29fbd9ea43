"""The practice room in exam mode (`kefu exam start`): the exam's scenarios one after another,
coaching and the issue checklist hidden, time limits enforced, every line recorded as it is said,
and the result at the end. Builds on the practice room's app and chat screen without changing them.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.tui.app import KefuApp
from simulator.tui.screens.chat import ChatScreen
from simulator.tui.settings import Settings

HEARTBEAT_SECONDS = 30.0
OUTCOME_NAMES = {"resolved": "问题解决", "escalated": "投诉升级", "abandoned": "顾客离开", "unfinished": "提前结束"}


class ExamChatScreen(ChatScreen):
    """One scenario of an exam: the chat without coaching or checklist, with the exam's time limits."""

    DEFAULT_CSS = """
    ExamChatScreen.-no-feedback #issues, ExamChatScreen.-no-feedback #coaching { display: none; }
    """

    def __init__(self, scenario, persona, seed: int, position: int, count: int) -> None:
        super().__init__(scenario, persona, seed)
        self.position = position
        self.count = count

    def on_mount(self) -> None:
        exam = self.app.attempt.exam
        self.set_class(exam.hide_feedback, "-no-feedback")
        self.query_one("#chat-title", Static).update(
            f"[b]考试：{escape(exam.title)}[/b] · 第 {self.position + 1}/{self.count} 题 · "
            f"{escape(self.scenario.title)} · {escape(self.customer_name)}")

    def tick(self) -> None:
        """The exam's time limits end the conversation where they fall; then the usual tick."""
        session = self.session
        if session is not None and not self.busy and not self._grading and not session.finished:
            limits = self.app.attempt.exam.time_limit
            reason = None
            if limits.reply_seconds is not None and session.waiting_seconds() > limits.reply_seconds:
                reason, note = "reply_limit", f"超过每句回复的时限（{limits.reply_seconds:g} 秒），本题结束"
            elif limits.scenario_seconds is not None and session.clock.now() - session.t0 > limits.scenario_seconds:
                reason, note = "scenario_limit", f"超过本题的时限（{limits.scenario_seconds:g} 秒），本题结束"
            if reason is not None:
                session.limit_reason = reason
                self.notify(note, severity="warning")
                self.action_end_conversation()
                return
        if self.app.paused:
            return  # the records are unreachable: the attempt stands still until they are back
        if session is None or self.busy or self._grading:
            return
        if not session.finished and not self._polling:
            # Off the event loop: a nudge is recorded before it is shown, and recording may have to
            # wait for the records server — the screen must stay alive meanwhile.
            self._polling = True
            self._poll_in_worker()
        self._refresh_clock()

    _polling = False

    @work(thread=True, exclusive=True, exit_on_error=False, group="exam-poll")
    def _poll_in_worker(self) -> None:
        try:
            messages = list(self.session.poll())
        except Exception as error:  # noqa: BLE001 - shown to the trainee, never a crash
            self.post_message(self.EngineFailed(f"{type(error).__name__}: {error}"))
            messages = []
        self.app.call_from_thread(self._polled, messages)

    def _polled(self, messages: list) -> None:
        self._polling = False
        if messages:
            self._pending.extend(messages)
            self._pump()  # goes on once a leaving customer's line is shown

    @on(ChatScreen.Graded)
    def _exam_graded(self, event: ChatScreen.Graded) -> None:
        # Feedback stays hidden during the exam: no scorecard, straight on to the next scenario.
        event.prevent_default()
        event.stop()
        while self.app.screen is not self:
            self.app.pop_screen()
        self.app.next_position()


class ExamIntroScreen(Screen):
    """Before the first scenario: what passing takes and what fails outright; Enter starts the exam."""

    BINDINGS = [Binding("enter", "begin", "开始考试"), Binding("q,escape", "app.quit", "退出")]

    def compose(self) -> ComposeResult:
        from simulator.certify.grading import pass_rules

        exam = self.app.attempt.exam
        lines = [f"[b]{escape(exam.title)}[/b]", escape(exam.description), "",
                 f"共 {len(self.app.attempt.plan)} 题，按顺序作答。", ""]
        lines += [escape(line) for line in pass_rules(exam)]
        limits = exam.time_limit
        if limits.scenario_seconds:
            lines.append(f"每题限时 {limits.scenario_seconds:g} 秒")
        if limits.reply_seconds:
            lines.append(f"每句回复限时 {limits.reply_seconds:g} 秒")
        lines += ["", "[b]按 Enter 开始[/b]（计时从第一题开始；中途退出算用掉一次机会）"]
        with VerticalScroll(id="exam-intro"):
            yield Static("\n".join(lines), id="exam-intro-text")
        yield Footer()

    def action_begin(self) -> None:
        self.app.next_position()


class ExamResultScreen(Screen):
    """The attempt's result, once every scenario is done."""

    BINDINGS = [Binding("q,escape,enter", "app.quit", "退出")]

    def __init__(self, document: dict, reasons: list[str]) -> None:
        super().__init__()
        self.document = document
        self.reasons = reasons

    def compose(self) -> ComposeResult:
        doc = self.document
        verdict = "[b $success]通过[/]" if doc["passed"] else "[b $error]未通过[/]"
        if doc.get("review"):
            verdict += f"  [b $warning]{escape(doc['review'])}[/]（组长复核后才算数）"
        lines = [f"[b]{escape(self.app.attempt.exam.title)}[/b] · {escape(doc['trainee'])} · 第 {doc['number']} 次",
                 "", f"总分 [b]{doc['total']}[/b]  {verdict}", ""]
        for n, s in enumerate(doc["scenarios"], 1):
            breach = " · 超出政策" if s["policy_breach"] else ""
            known = self.app.library.scenarios.get(s["scenario"])
            title = known.title if known is not None else s["scenario"]  # the case's name, not its id
            lines.append(f"  {n}. {escape(title)}：{s['total']} 分 · {OUTCOME_NAMES.get(s['outcome'], '其他')}{breach}")
        if self.reasons:
            lines += ["", "未通过的原因："] + [f"  · {escape(r)}" for r in self.reasons]
        lines += ["", f"[dim]考试记录 {doc['attempt']}（kefu export {doc['attempt'][:8]} --out 文件 可导出核验）[/]"]
        with VerticalScroll(id="exam-result"):
            yield Static("\n".join(lines), id="exam-result-text")
        yield Footer()


class ExamApp(KefuApp):
    """The practice room running one exam attempt (an ExamAttempt from simulator.certify)."""

    TITLE = "客服认证考试"

    def __init__(self, library, settings: Settings, attempt) -> None:
        # Starting "straight in a chat" makes KefuApp.on_mount call start_chat (below) instead of opening home.
        super().__init__(library, settings, scenario_id=attempt.plan[0] if attempt.plan else None)
        self.attempt = attempt
        self.position = -1
        self.finished = False
        self.document: dict | None = None
        self.paused = False
        # The records going away pauses the attempt (its clock too, see RecordingSession) with a notice;
        # the writes are retried from the engine's worker thread, so the notice comes through call_from_thread.
        attempt.on_pause = self._records_paused
        attempt.pulse and attempt.pulse.stop()  # this app keeps the heartbeat itself (set_interval below)
        attempt.pulse = None

    def _records_paused(self, note: str | None) -> None:
        def show() -> None:
            self.paused = note is not None
            if note is not None:
                self.notify(note, title="记录暂时不可用", severity="warning", timeout=30)
            else:
                self.notify("记录数据库已恢复，考试继续。", title="已恢复", timeout=5)
        try:
            self.call_from_thread(show)
        except RuntimeError:  # already on the event loop (a poll): show it directly
            show()

    def action_quit(self) -> None:
        """Ctrl+Q in an exam asks first: leaving records the attempt as interrupted, and it counts."""
        if self.finished:
            self.exit()
            return
        self._ask_leave()

    def action_ctrl_c(self) -> None:
        """Ctrl+C asks the same question (no second press leaves an exam unasked)."""
        self.action_quit()

    def _ask_leave(self) -> None:
        from simulator.tui.screens.confirm_leave import ConfirmLeaveExamScreen

        if isinstance(self.screen, ConfirmLeaveExamScreen):
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()
        self.push_screen(ConfirmLeaveExamScreen(self.attempt.writer.number, self.attempt.exam.attempts), answered)

    def start_chat(self, scenario_id: str, seed: int | None = None, replace: bool = False) -> None:
        """In an exam the scenarios come from the attempt's plan, in order."""
        if self.position < 0:
            self.push_screen(ExamIntroScreen())  # the pass mark and outright fails, before anything counts
            # A trainee thinking for a long time writes nothing: say we are alive, so that no other
            # kefu on the team server takes the attempt for an abandoned one (store.LEASE).
            self.set_interval(HEARTBEAT_SECONDS, self._heartbeat)

    @work(thread=True, exclusive=True, exit_on_error=False, group="heartbeat")
    def _heartbeat(self) -> None:
        if not self.finished:
            try:
                alive = self.attempt.store.heartbeat(self.attempt.attempt_id)
            except Exception:  # noqa: BLE001 - the next recorded turn reports database trouble
                return
            if alive is False:  # closed by someone else (voided, or declared gone): stop writing to it
                self.call_from_thread(self.notify, "这次考试已被关闭（中断或作废），之后的内容不会记录。",
                                      title="考试已关闭", severity="error", timeout=30)

    def new_session(self, scenario, persona, seed: int, clock=None):
        """The engine session of the current scenario, recording into the attempt (an exam's clock
        never pauses, so the chat's pausable clock is not used here)."""
        clock = self.settings.clock
        if clock is None:
            from simulator.engine import SystemClock

            clock = SystemClock()
        return self.attempt.session(self.position, clock)

    def next_position(self) -> None:
        """Open the next scenario, or finish the attempt and show its result."""
        self.position += 1
        plan = self.attempt.plan
        if self.position >= len(plan):
            self._finish()
            return
        # The published version's scenario and customer, never the local content folders'.
        scenario = self.attempt.library.scenarios[plan[self.position]]
        screen = ExamChatScreen(scenario, self.attempt.library.persona_of(scenario.id),
                                self.attempt.seed_of(self.position), self.position, len(plan))
        self.switch_screen(screen)  # replaces the intro, then each scenario the one before

    def _finish(self) -> None:
        from simulator.records.errors import RecordsError

        try:
            self.document = self.attempt.finish()
        except RecordsError as error:
            self.notify(error.message, title="保存失败", severity="error", timeout=15)
            return
        self.finished = True
        reasons = self.attempt.result.reasons if self.attempt.result else []
        self.switch_screen(ExamResultScreen(self.document, reasons))


def exam_settings(typing: bool = True, hide_feedback: bool = True) -> Settings:
    """Exam mode: coaching off and locked (unless the exam shows feedback during the attempt)."""
    return Settings(typing=typing, coaching=not hide_feedback, exam=hide_feedback)


def run_exam_app(library, attempt, typing: bool = True, settings: Settings | None = None) -> int:
    """Run the exam in the terminal; an attempt left before its end is marked interrupted."""
    app = ExamApp(library, settings or exam_settings(typing, attempt.exam.hide_feedback), attempt)
    try:
        app.run()
    finally:
        if not app.finished:
            attempt.interrupt("考生在考试结束前退出了")
    return app.return_code or 0
