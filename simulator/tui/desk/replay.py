"""Replay of one attempt, turn by turn: the conversation so far (current line marked), the mood curve,
the reader's acts and the scorecard items at this line, the lead's comments; keys to comment, give a
verdict, override the score (shown beside the computed one) and write the case up as Markdown."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.desk.cohort import DIMENSION_NAMES, DIMENSIONS
from simulator.desk.replay import Replay
from simulator.records.errors import RecordsError
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
        Binding("escape,q", "back", "返回"),
    ]

    def __init__(self, store, attempt_id: str, lead: str, cases_dir: Path) -> None:
        super().__init__()
        self.store = store
        self.attempt_id = attempt_id
        self.lead = lead
        self.cases_dir = cases_dir
        self.replay = Replay(store.attempt(attempt_id))
        self.review = store.review_of(attempt_id)

    def compose(self) -> ComposeResult:
        yield Static(id="replay-title")
        with Horizontal(id="replay-main"):
            yield VerticalScroll(CJKStatic(id="replay-lines"), id="replay-left")
            with Vertical(id="replay-right"):
                yield MoodCurve(id="replay-mood")
                yield CJKStatic(id="replay-turn")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    # ---- drawing ------------------------------------------------------------------------

    def _score_line(self) -> str:
        a = self.replay.attempt
        computed = "—" if a["total"] is None else str(a["total"])
        verdict = ("通过" if a["passed"] else "未通过") if a["passed"] is not None else \
            "未评分" if a["total"] is None else "练习，不评通过"
        line = f"原分 {computed}（{verdict}）"
        if self.review["overrides"]:
            o = self.review["overrides"][-1]
            line += f"　组长改分 {o['total']}（{'通过' if o['passed'] else '未通过'}，{o['reason']}）"
        return line

    def refresh_view(self) -> None:
        a, step = self.replay.attempt, self.replay.current
        where = ""
        if step is not None:
            where = f"　{step.session['scenario_title']}　第 {self.replay.position + 1}/{len(self.replay.steps)} 句"
        self.query_one("#replay-title", Static).update(
            Text(f"回放：{a['trainee']} · "
                 + (f"{a['exam_title'] or a['exam_id']} · 第 {a['number']} 次　" if a["kind"] == "exam" else "练习　")
                 + f"{self._score_line()}{where}"))
        comments = {}
        for c in self.review["comments"]:
            comments.setdefault(c["turn_id"], []).append(c)
        lines = Text()
        if self.review["verdicts"]:
            lines.append(f"组长结论：{self.review['verdicts'][-1]['text']}\n\n", style="bold magenta")
        if step is None:
            lines.append("（这次考试没有对话记录）")
        for s in self.replay.session_steps()[: step.index + 1] if step else []:
            t = s.turn
            mark = "▶ " if s is step else "  "
            timing = f"+{t['at']:.0f}s" + (f" 用时{t['seconds']:.0f}秒" if t["seconds"] is not None else "")
            style = "bold" if s is step else ""
            lines.append(f"{mark}{ROLE.get(t['role'], t['role'])}［{timing}］\n", style=style + " cyan")
            lines.append("  " + display_text(t["text"]) + "\n", style=style)
            for c in comments.get(t["id"], []):
                lines.append(f"    批注（{c['author']}）：{c['text']}\n", style="magenta")
        self.query_one("#replay-lines", CJKStatic).update(lines)
        moods, current = self.replay.moods()
        self.query_one("#replay-mood", MoodCurve).show(moods, current)
        detail = Text()
        if step is not None:
            session = step.session
            dims = "　".join(f"{DIMENSION_NAMES[d]}{session[d]}" for d in DIMENSIONS if session.get(d) is not None)
            detail.append(f"本场总分 {session['total'] if session['total'] is not None else '—'}\n{dims}\n")
            if step.reply is not None:
                detail.append(f"读到的动作：{'、'.join(step.acts) or '（无）'}\n")
            for item in step.items:
                sign = "+" if item.get("points", 0) >= 0 else ""
                detail.append(f"{sign}{item.get('points')} {item.get('reason', '')}\n",
                              style="green" if item.get("points", 0) >= 0 else "red")
        self.query_one("#replay-turn", CJKStatic).update(detail)
        self.query_one("#replay-left", VerticalScroll).scroll_end(animate=False)

    # ---- actions --------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if self.replay.move(delta):
            self.refresh_view()
        else:
            self.notify("已经是最后一句" if delta > 0 else "已经是第一句")

    def _reload(self) -> None:
        self.review = self.store.review_of(self.attempt_id)
        self.refresh_view()

    def _saved(self, what: str, write) -> None:
        try:
            write()
        except RecordsError as exc:
            self.notify(exc.message, severity="error")
            return
        self._reload()
        self.notify(f"已保存{what}")

    def action_comment(self) -> None:
        step = self.replay.current
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
        def done(answer) -> None:
            if answer is None:
                return
            total, passed, reason = answer
            try:
                score = int(total)
            except ValueError:
                self.notify(f"分数须是 0 到 100 的整数，收到：{total!r}", severity="error")
                return
            self._saved("改分", lambda: self.store.add_override(self.attempt_id, self.lead, score, passed, reason))
        self.app.push_screen(OverrideDialog(self.replay.attempt["total"]), done)

    def action_writeup(self) -> None:
        from simulator.clikit import write_file
        from simulator.desk.writeup import case_file_name, case_markdown

        a = self.replay.attempt
        path = self.cases_dir / case_file_name(a)
        try:
            self.cases_dir.mkdir(parents=True, exist_ok=True)
            write_file(path, case_markdown(self.store.attempt(self.attempt_id), self.review), db=self.store.url)
        except (OSError, RecordsError) as exc:
            self.notify(getattr(exc, "message", None) or f"无法写入 {path}：{exc}", severity="error")
            return
        self.notify(f"已导出案例：{path}")

    def action_back(self) -> None:
        self.app.pop_screen()
