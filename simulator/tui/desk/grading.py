"""The desk's blind grading (issue 16): one conversation at a time — no trainee name, no score, no
coaching — the lead's grade per dimension (0-100), total and pass/fail, saved with who and when;
only then is the machine's grade revealed beside it. `n` goes on to the next ungraded conversation.

Conversations come from the records in a fixed shuffled order (seeded), so a grader's queue does not
run from best to worst and gives no score away.
"""

from __future__ import annotations

import random

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Static

from simulator.records.errors import RecordsError

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
        """Read the grader's queue again and show the first conversation in it."""
        from simulator.records.calibration import exam_conversations, latest_grades

        conversations = exam_conversations(self.store, self.exam_id)
        mine = {g["session_id"] for g in latest_grades(self.store, self.exam_id) if g["grader"] == self.lead}
        self.queue = grading_queue(conversations, mine)
        self.show_next()

    def show_next(self) -> None:
        from simulator.records.calibration import session_turns

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
            title.update(Text(f"盲评（{self.lead}）：没有待评的对话了"))
            lines.update("都评完了。组长可以看 kefu calibrate report，了解 kefu 与人的评分有多一致。")
            return
        c = self.current
        title.update(Text(f"盲评（{self.lead}）：{c['scenario_title']}　还剩 {len(self.queue)} 段　"
                          "Ctrl+S 保存后才显示 kefu 的评分"))
        text = Text()
        for t in session_turns(self.store, [c["id"]]).get(c["id"], []):
            took = f" 用时{t['seconds']:.0f}秒" if t["role"] == "trainee" and t["seconds"] is not None else ""
            text.append(f"{ROLE.get(t['role'], t['role'])}［+{t['at']:.0f}s{took}］\n", style="cyan")
            text.append(f"  {t['text']}\n")
        lines.update(text)
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
                self.notify(f"{name}须是 0 到 100 的整数，收到：{raw!r}", severity="error")
                return None
            scores[key] = value
        return scores

    def action_save(self) -> None:
        from simulator.calibrate.report import machine_passes
        from simulator.records.calibration import add_grade

        if self.current is None or self.saved:
            return
        scores = self._grade()
        if scores is None:
            return
        passed = self.query_one("#grade-passed", Checkbox).value
        try:
            add_grade(self.store, self.current["id"], self.lead, scores, passed,
                      self.query_one("#grade-note", Input).value, source="desk")
        except RecordsError as exc:
            self.notify(exc.message, severity="error")
            return
        self.saved = True
        c = self.current
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
                reveal.append(f"{item['points']:+d} {item.get('reason', '')}\n",
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
