"""Replay of one attempt, turn by turn: the conversation so far (current line marked), the mood curve,
the reader's acts and the scorecard items at this line, the lead's comments; keys to comment, give a
verdict, override the score (shown beside the computed one) and write the case up as Markdown.

The attempt is read, and the lead's comments, verdicts and overrides written, in worker threads
with a loading state; a database that went away is a Chinese notice, never a crash. Text from the
records is shown as rich Text through simulator.safetext (escape sequences visible, no markup)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.desk.cohort import DIMENSION_NAMES, DIMENSIONS
from simulator.desk.replay import Replay
from simulator.desk.when import stamp
from simulator.desk.words import OUTCOMES, acts_of, number, word
from simulator.records.errors import RecordsError
from simulator.records.verdict import final
from simulator.safetext import terminal
from simulator.tui.desk.cohort import outage_message
from simulator.tui.desk.dialogs import OverrideDialog, TextDialog
from simulator.tui.desk.mood import MoodCurve
from simulator.tui.text import display_text
from simulator.tui.widgets.cjk_text import CJKStatic

ROLE = {"customer": "顾客", "trainee": "客服"}


class ReplayScreen(Screen):
    """Step through an attempt; comments, verdict and override are new rows in the records."""

    BINDINGS = [
        Binding("right,n", "step(1)", "下一句"),
        Binding("left,p", "step(-1)", "上一句"),
        Binding("c", "comment", "批注"),
        Binding("v", "verdict", "结论"),
        Binding("o", "override", "改分"),
        Binding("w", "writeup", "导出案例"),
        Binding("z", "void", "作废"),  # z for 作废 (zuòfèi); x already means 不通过 in the review queue
        Binding("escape,q", "back", "返回"),
    ]

    def __init__(self, store, attempt_id: str, lead: str, cases_dir: Path) -> None:
        super().__init__()
        self.store = store
        self.attempt_id = attempt_id
        self.lead = lead
        self.cases_dir = cases_dir
        self.replay: Replay | None = None
        self.review: dict = {"comments": [], "verdicts": [], "overrides": []}
        self.void: dict | None = None  # records.lead: the void event of this attempt, if any
        self.review_state: dict | None = None  # records.calibration: the latest review action

    def compose(self) -> ComposeResult:
        yield Static(id="replay-title")
        yield Static(id="replay-notice")
        with Horizontal(id="replay-main"):
            yield VerticalScroll(CJKStatic(id="replay-lines"), id="replay-left")
            with Vertical(id="replay-right"):
                yield MoodCurve(id="replay-mood")
                yield CJKStatic(id="replay-turn")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#replay-title", Static).update(Text("回放：正在读取这次考试……"))
        self.query_one("#replay-main").loading = True
        self._read()

    @work(thread=True, exclusive=True, group="replay-read", exit_on_error=False)
    def _read(self) -> None:
        try:
            attempt = self.store.attempt(self.attempt_id)
            review = self.store.review_of(self.attempt_id)
            self._read_lead_actions()
        except Exception as exc:  # noqa: BLE001 - the database went away: a notice, not a crash
            self.app.call_from_thread(self._failed, outage_message(exc) + "。按 Esc 返回，稍后再打开")
            return
        self.app.call_from_thread(self._loaded, attempt, review)

    def _read_lead_actions(self) -> None:
        """The void and review state of this attempt (called in a worker)."""
        from simulator.records.calibration import review_states
        from simulator.records.lead import voids_by_attempt

        self.void = voids_by_attempt(self.store).get(self.attempt_id)
        self.review_state = review_states(self.store, [self.attempt_id]).get(self.attempt_id)

    def _loaded(self, attempt, review) -> None:
        self.query_one("#replay-main").loading = False
        self.query_one("#replay-notice", Static).display = False
        if attempt is None:
            self._failed(f"没有这条考试记录：{self.attempt_id[:8]}")
            return
        position = self.replay.position if self.replay else 0
        self.replay = Replay(attempt)
        self.replay.position = min(position, max(0, len(self.replay.steps) - 1))
        self.review = review
        self.refresh_view()

    def _failed(self, message: str) -> None:
        self.query_one("#replay-main").loading = False
        notice = self.query_one("#replay-notice", Static)
        notice.update(Text(message, style="bold white on dark_red"))
        notice.display = True
        self.notify(message, severity="error", markup=False)

    # ---- drawing ------------------------------------------------------------------------

    def _score_line(self) -> str:
        """The computed score, then the result in effect (records.verdict) and why."""
        a = self.replay.attempt
        computed = "—" if a["total"] is None else str(a["total"])
        verdict = ("通过" if a["passed"] else "未通过") if a["passed"] is not None else \
            "未评分" if a["total"] is None else "练习，不评通过"
        line = f"原分 {computed}（{verdict}）"
        if a.get("policy_breach"):
            line += "　超出政策"
        if a["kind"] != "exam":
            return line
        o = self.review["overrides"][-1] if self.review["overrides"] else None
        result = final(a, o, self.void, self.review_state)
        if o is not None:  # the override stays shown (with its reason) whatever decides the result now
            line += f"　组长改分 {o['total']}（{'通过' if o['passed'] else '未通过'}，{terminal(o['reason'], one_line=True)}）"
        if result.state not in ("computed", "in_progress", "interrupted", "override"):
            line += f"　最终 {'—' if result.total is None else result.total}（{result.verdict}）"
            if result.state == "void":
                line += f"　作废：{terminal(result.void_reason or '', one_line=True)}"
            else:
                line += f"　{result.state_name}" + (f"：{terminal(result.reason, one_line=True)}" if result.reason else "")
        return line

    def refresh_view(self) -> None:
        if self.replay is None:
            return
        a, step = self.replay.attempt, self.replay.current
        where = ""
        if step is not None:
            where = f"　{step.session['scenario_title']}　第 {self.replay.position + 1}/{len(self.replay.steps)} 句"
        # Two lines: the score and the override must not be cut off at 80 or 120 columns.
        head = (f"回放：{a['trainee']} · "
                + (f"{a['exam_title'] or a['exam_id']} · 第 {number(a['number'])} 次" if a["kind"] == "exam" else "练习")
                + f" · {stamp(a['started_at'], with_zone=True)}{where}")
        title = Text(terminal(head, one_line=True) + "\n")
        title.append(self._score_line(), style="bold")
        self.query_one("#replay-title", Static).update(title)
        comments = {}
        for c in self.review["comments"]:
            comments.setdefault(c["turn_id"], []).append(c)
        lines = Text()
        if self.review["verdicts"]:
            lines.append(f"组长结论：{terminal(self.review['verdicts'][-1]['text'], one_line=True)}\n\n",
                         style="bold magenta")
        if step is None:
            lines.append("（这次考试没有对话记录）")
        for s in self.replay.session_steps()[: step.index + 1] if step else []:
            t = s.turn
            mark = "▶ " if s is step else "  "
            timing = f"+{t['at']:.0f}s" + (f" 用时{t['seconds']:.0f}秒" if t["seconds"] is not None else "")
            style = "bold" if s is step else ""
            lines.append(f"{mark}{ROLE.get(t['role'], t['role'])}［{timing}］\n", style=style + " cyan")
            lines.append("  " + terminal(display_text(t["text"])) + "\n", style=style)
            for c in comments.get(t["id"], []):
                lines.append(f"    批注（{terminal(c['author'], one_line=True)}）：{terminal(c['text'], one_line=True)}\n",
                             style="magenta")
        self.query_one("#replay-lines", CJKStatic).update(lines)
        moods, current = self.replay.moods()
        self.query_one("#replay-mood", MoodCurve).show(moods, current)
        detail = Text()
        if step is not None:
            session = step.session
            dims = "　".join(f"{DIMENSION_NAMES[d]}{session[d]}" for d in DIMENSIONS if session.get(d) is not None)
            detail.append(f"本场总分 {number(session['total'])}"
                          + (f"　结果：{word(OUTCOMES, session['outcome'])}" if session.get("outcome") else "")
                          + f"\n{dims}\n")
            if session.get("policy_breach"):
                detail.append("本场有超出店铺政策的承诺\n", style="bold red")
            if session.get("deductions"):
                detail.append(f"违规扣分：{session['deductions']} 分\n", style="red")
            if step.reply is not None:
                detail.append(f"读到的动作：{'、'.join(acts_of(step.turn.get('analysis'))) or '（无）'}\n")
            for item in step.items:
                points = item.get("points") or 0
                sign = "+" if points >= 0 else ""
                detail.append(f"{sign}{points} {terminal(item.get('reason', ''), one_line=True)}\n",
                              style="green" if points >= 0 else "red")
        self.query_one("#replay-turn", CJKStatic).update(detail)
        self.query_one("#replay-left", VerticalScroll).scroll_end(animate=False)

    # ---- actions --------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if self.replay is None:
            return
        if self.replay.move(delta):
            self.refresh_view()
        else:
            self.notify("已经是最后一句" if delta > 0 else "已经是第一句")

    def _saved(self, what: str, write) -> None:
        """Write in a worker (a remote server must not freeze the screen), then show the new review."""
        self.notify(f"正在保存{what}……", timeout=2)
        self._write(what, write)

    @work(thread=True, group="replay-write", exit_on_error=False)
    def _write(self, what: str, write) -> None:
        try:
            write()
            review = self.store.review_of(self.attempt_id)
            self._read_lead_actions()
        except RecordsError as exc:
            self.app.call_from_thread(self.notify, terminal(exc.message, one_line=True) + f"（{what}没有保存）",
                                      severity="error", markup=False)
            return
        except Exception as exc:  # noqa: BLE001 - the database went away mid-write
            self.app.call_from_thread(self.notify, outage_message(exc) + f"（{what}没有保存，请稍后再试）",
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self._saved_done, what, review)

    def _saved_done(self, what: str, review: dict) -> None:
        self.review = review
        self.refresh_view()
        self.notify(f"已保存{what}")

    def action_comment(self) -> None:
        step = self.replay.current if self.replay else None
        if step is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self._saved("批注", lambda: self.store.add_comment(self.attempt_id, step.turn["id"], self.lead, text))
        self.app.push_screen(TextDialog(f"批注第 {self.replay.position + 1} 句（学员考后可见，不改分数）",
                                        "例：这里应先道歉再问订单号"), done)

    def action_verdict(self) -> None:
        def done(text: str | None) -> None:
            if text is not None:
                self._saved("结论", lambda: self.store.add_verdict(self.attempt_id, self.lead, text))
        self.app.push_screen(TextDialog("这次考试的结论", "例：处理合格，收尾需更完整"), done)

    def action_override(self) -> None:
        if self.replay is None:
            return

        def done(answer) -> None:
            if answer is None:
                return
            total, passed, reason = answer
            try:
                score = int(total)
            except ValueError:
                self.notify(f"分数须是 0 到 100 的整数，收到：{terminal(total, one_line=True)}", severity="error",
                            markup=False)
                return
            self._saved("改分", lambda: self.store.add_override(self.attempt_id, self.lead, score, passed, reason))
        self.app.push_screen(OverrideDialog(self.replay.attempt["total"]), done)

    def action_void(self) -> None:
        """Void this exam attempt with a reason (records.lead.void_attempt: in the audit trail)."""
        if self.replay is None or self.replay.attempt["kind"] != "exam":
            return
        if self.void is not None:
            self.notify("这次考试已经作废过了", severity="warning")
            return

        def done(reason: str | None) -> None:
            if reason is not None:
                from simulator.records.lead import void_attempt

                self._saved("作废", lambda: void_attempt(self.store, self.attempt_id, self.lead, reason))
        self.app.push_screen(TextDialog("作废这次考试（记录保留，不再算通过；仍占考试次数）", "作废理由（必填）"), done)

    def action_writeup(self) -> None:
        if self.replay is None:
            return
        self._writeup()

    @work(thread=True, group="replay-write", exit_on_error=False)
    def _writeup(self) -> None:
        from simulator.clikit import write_file
        from simulator.desk.writeup import case_file_name, case_markdown

        a = self.replay.attempt
        path = self.cases_dir / case_file_name(a)
        try:
            self.cases_dir.mkdir(parents=True, exist_ok=True)
            write_file(path, case_markdown(self.store.attempt(self.attempt_id), self.review), db=self.store.url)
        except (OSError, RecordsError) as exc:
            message = getattr(exc, "message", None) or f"无法写入 {path}：{exc}"
            self.app.call_from_thread(self.notify, terminal(message, one_line=True), severity="error", markup=False)
            return
        except Exception as exc:  # noqa: BLE001 - the database went away
            self.app.call_from_thread(self.notify, outage_message(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, terminal(f"已导出案例：{path}", one_line=True), markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
