"""The desk's blind grading (issue 16): one conversation at a time — no trainee name, no score, no
coaching — the lead's grade per dimension (0-100), total and pass/fail, saved with who and when;
only then is the machine's grade revealed beside it. `n` goes on to the next ungraded conversation.

Conversations come from the records in a fixed shuffled order (seeded), so a grader's queue does not
run from best to worst and gives no score away.
"""

from __future__ import annotations

import random

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Static

from simulator.records.errors import RecordsError
from simulator.safetext import rich_text, terminal
from simulator.tui.desk.cohort import outage_message

FIELDS = (("apology", "道歉"), ("empathy", "共情"), ("question", "提问"), ("solution", "方案"), ("total", "总分"))
ROLE = {"customer": "顾客", "trainee": "客服"}
QUEUE_SEED = 16


def grading_queue(conversations: list[dict], graded: set[int]) -> list[dict]:
    """The conversations the grader has not graded yet, in a fixed shuffled order."""
    order = sorted(conversations, key=lambda c: (c["attempt_id"], c["position"]))
    random.Random(QUEUE_SEED).shuffle(order)
    return [c for c in order if c["id"] not in graded]


class BlindGradingScreen(Screen):
    """Grade a conversation blind; the machine's grade is shown only after the grade is saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "保存评分", priority=True),
        Binding("ctrl+n", "next", "下一段", priority=True),
        Binding("escape", "back", "返回"),
    ]

    def __init__(self, store, lead: str, exam_id: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.lead = lead
        self.exam_id = exam_id
        self.queue: list[dict] = []
        self.current: dict | None = None
        self.saved = False

    def compose(self) -> ComposeResult:
        yield Static(id="grade-title")
        with Horizontal(id="grade-main"):
            yield VerticalScroll(Static(id="grade-lines"), id="grade-left")
            with Vertical(id="grade-form"):
                for key, name in FIELDS:
                    yield Label(f"{name}（0-100）")
                    yield Input(id=f"grade-{key}", type="integer", placeholder="0-100")
                yield Checkbox("通过", id="grade-passed")
                yield Input(id="grade-note", placeholder="备注（可不填）")
                yield Static(id="grade-reveal")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        """Read the grader's queue again (in a worker) and show the first conversation in it."""
        self._read_queue()

    @work(thread=True, exclusive=True, group="grade-read", exit_on_error=False)
    def _read_queue(self) -> None:
        from simulator.records.calibration import exam_conversations, latest_grades

        try:
            conversations = exam_conversations(self.store, self.exam_id)
            mine = {g["session_id"] for g in latest_grades(self.store, self.exam_id) if g["grader"] == self.lead}
        except Exception as exc:  # noqa: BLE001 - the database away: a notice, never a crash
            self.app.call_from_thread(self.notify, outage_message(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._queued, grading_queue(conversations, mine))

    def _queued(self, queue: list[dict]) -> None:
        self.queue = queue
        self.show_next()

    def show_next(self) -> None:
        self.current = self.queue.pop(0) if self.queue else None
        self.saved = False
        for key, _ in FIELDS:
            self.query_one(f"#grade-{key}", Input).value = ""
        self.query_one("#grade-note", Input).value = ""
        self.query_one("#grade-passed", Checkbox).value = False
        self.query_one("#grade-reveal", Static).update("")
        title = self.query_one("#grade-title", Static)
        lines = self.query_one("#grade-lines", Static)
        if self.current is None:
            title.update(rich_text(f"盲评（{self.lead}）：没有待评的对话了"))
            lines.update("都评完了。组长可以看 kefu calibrate report，了解 kefu 与人的评分有多一致。")
            return
        c = self.current
        title.update(rich_text(f"盲评（{self.lead}）：{c['scenario_title']}　还剩 {len(self.queue)} 段　"
                               "Ctrl+S 保存后才显示 kefu 的评分", one_line=True))
        lines.update(Text("正在读取对话……"))
        self._read_turns(c["id"])

    @work(thread=True, exclusive=True, group="grade-turns", exit_on_error=False)
    def _read_turns(self, session_id: int) -> None:
        from simulator.records.calibration import session_turns

        try:
            turns = session_turns(self.store, [session_id]).get(session_id, [])
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.notify, outage_message(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show_turns, session_id, turns)

    def _show_turns(self, session_id: int, turns: list[dict]) -> None:
        if self.current is None or self.current["id"] != session_id:
            return  # the grader moved on meanwhile
        text = Text()
        for t in turns:
            took = f" 用时{t['seconds']:.0f}秒" if t["role"] == "trainee" and t["seconds"] is not None else ""
            text.append(f"{ROLE.get(t['role'], '')}［+{t['at']:.0f}s{took}］\n", style="cyan")
            text.append(f"  {terminal(t['text'])}\n")  # the trainee's words as text, escapes made visible
        self.query_one("#grade-lines", Static).update(text)
        self.query_one("#grade-apology", Input).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        order = [f"grade-{k}" for k, _ in FIELDS] + ["grade-note"]
        if event.input.id in order[:-1]:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()
        else:
            self.action_save()

    def _grade(self) -> dict | None:
        scores: dict[str, int | None] = {}
        for key, name in FIELDS:
            raw = self.query_one(f"#grade-{key}", Input).value.strip()
            if not raw:
                if key == "total":
                    self.notify("总分必须填（0-100）", severity="error")
                    return None
                scores[key] = None
                continue
            try:
                value = int(raw)
            except ValueError:
                value = -1
            if not 0 <= value <= 100:
                self.notify(terminal(f"{name}须是 0 到 100 的整数，收到：{raw!r}", one_line=True), severity="error",
                            markup=False)
                return None
            scores[key] = value
        return scores

    def action_save(self) -> None:
        if self.current is None or self.saved:
            return
        scores = self._grade()
        if scores is None:
            return
        passed = self.query_one("#grade-passed", Checkbox).value
        self.saved = True  # no second save while this one is on its way
        self._save(self.current, scores, passed, self.query_one("#grade-note", Input).value)

    @work(thread=True, group="grade-write", exit_on_error=False)
    def _save(self, c: dict, scores: dict, passed: bool, note: str) -> None:
        from simulator.records.calibration import add_grade

        try:
            add_grade(self.store, c["id"], self.lead, scores, passed, note, source="desk")
        except RecordsError as exc:
            self.app.call_from_thread(self._not_saved, terminal(exc.message, one_line=True))
            return
        except Exception as exc:  # noqa: BLE001 - the database away: nothing saved, say so
            self.app.call_from_thread(self._not_saved, outage_message(exc) + "（评分没有保存）")
            return
        self.app.call_from_thread(self._reveal, c, scores, passed)

    def _not_saved(self, message: str) -> None:
        self.saved = False
        self.notify(message, severity="error", markup=False)

    def _reveal(self, c: dict, scores: dict, passed: bool) -> None:
        from simulator.calibrate.report import machine_passes

        reveal = Text("已保存。kefu 的评分：\n", style="bold")
        for key, name in FIELDS:
            mine = scores.get(key)
            gap = "" if mine is None else f"（你 {mine}，差 {abs(mine - c[key])}）"
            reveal.append(f"{name} {c[key]}{gap}\n")
        machine = machine_passes(c)
        reveal.append(f"kefu：{'通过' if machine else '不通过'}；你：{'通过' if passed else '不通过'}\n",
                      style="green" if machine == passed else "red")
        for item in (c.get("scorecard") or {}).get("items", []):
            if item.get("points"):
                reveal.append(f"{item['points']:+d} {terminal(item.get('reason', ''), one_line=True)}\n",
                              style="green" if item["points"] > 0 else "red")
        reveal.append("Ctrl+N 下一段", style="dim")
        self.query_one("#grade-reveal", Static).update(reveal)
        self.notify("已保存评分")

    def action_next(self) -> None:
        if self.current is not None and not self.saved:
            self.notify("先保存这一段的评分（Ctrl+S），或按 Esc 返回", severity="warning")
            return
        self.show_next()

    def action_back(self) -> None:
        self.app.pop_screen()
