"""The desk's review queue (issue 16): attempts of exams with `review: required` waiting as 待复核.
On the highlighted one: `a` approve, `x` reject, `j` adjust the score, `b` send back to practise —
each with a reason (approve: optional), recorded with who and when; Enter opens the replay."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.records.errors import RecordsError
from simulator.safetext import terminal
from simulator.tui.desk.cohort import outage_message, t
from simulator.tui.desk.dialogs import OverrideDialog, TextDialog


class ReviewQueueScreen(Screen):
    """待复核: the attempts waiting for a lead's decision."""

    BINDINGS = [
        Binding("a", "decide('approve')", "通过"),
        Binding("x", "decide('reject')", "不通过"),
        Binding("j", "decide('adjust')", "改分"),
        Binding("b", "decide('practise')", "退回练习"),
        Binding("escape", "back", "返回"),
    ]

    def __init__(self, store, lead: str) -> None:
        super().__init__()
        self.store = store
        self.lead = lead
        self.waiting: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review-table", DataTable)
        table.add_columns("考试记录", "考试", "学员", "kefu 总分", "kefu 结果", "考完时间")
        self.load()

    def load(self) -> None:
        """Read the queue again, in a worker (a remote server never freezes the screen)."""
        self._read()

    @work(thread=True, exclusive=True, group="review-read", exit_on_error=False)
    def _read(self) -> None:
        from simulator.records.calibration import pending_attempts

        try:
            waiting = pending_attempts(self.store)
        except Exception as exc:  # noqa: BLE001 - the database away: a notice, never a crash
            self.app.call_from_thread(self.notify, outage_message(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._list, waiting)

    def _list(self, waiting: list[dict]) -> None:
        self.waiting = waiting
        table = self.query_one("#review-table", DataTable)
        table.clear()
        for a in self.waiting:
            when = a["finished_at"].strftime("%Y-%m-%d %H:%M") if a["finished_at"] else ""
            # Text from the records as text: a name such as "[/]" is never markup (issue 20 §1).
            table.add_row(t(a["id"][:8]), t(a["exam_id"]), t(a["trainee"]), str(a["total"]),
                          "通过" if a["passed"] else "未通过", when, key=a["id"])
        self.query_one("#review-title", Static).update(
            t(f"待复核：{len(self.waiting)} 次考试（{self.lead}）") if self.waiting else "待复核：没有等待复核的考试")
        table.focus()

    def _selected(self) -> dict | None:
        table = self.query_one("#review-table", DataTable)
        if not self.waiting or table.cursor_row is None or table.cursor_row >= len(self.waiting):
            return None
        return self.waiting[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_replay(str(event.row_key.value))

    def action_decide(self, action: str) -> None:
        attempt = self._selected()
        if attempt is None:
            self.notify("没有选中的考试")
            return

        def save(reason: str | None, total: int | None = None, passed: bool | None = None) -> None:
            self._decide(attempt, action, reason, total, passed)

        if action == "adjust":
            def adjusted(answer) -> None:
                if answer is None:
                    return
                total, passed, reason = answer
                try:
                    score = int(total)
                except ValueError:
                    self.notify(terminal(f"分数须是 0 到 100 的整数，收到：{total!r}", one_line=True), severity="error",
                                markup=False)
                    return
                save(reason, score, passed)
            self.app.push_screen(OverrideDialog(attempt["total"]), adjusted)
            return
        prompt = {"approve": "通过：kefu 的结果算数（理由可不填）", "reject": "判为不通过的理由（必填）",
                  "practise": "退回练习：要练什么（必填）"}[action]

        def answered(text: str | None) -> None:
            if text is not None:
                save(text)
        self.app.push_screen(TextDialog(prompt), answered)

    @work(thread=True, group="review-write", exit_on_error=False)
    def _decide(self, attempt: dict, action: str, reason: str | None, total: int | None, passed: bool | None) -> None:
        from simulator.records.calibration import STATE_NAMES, decide

        try:
            decide(self.store, attempt["id"], action, self.lead, reason, total=total, passed=passed)
        except RecordsError as exc:
            self.app.call_from_thread(self.notify, terminal(exc.message, one_line=True), severity="error",
                                      markup=False)
            return
        except Exception as exc:  # noqa: BLE001 - the database away: nothing saved, say so
            self.app.call_from_thread(self.notify, outage_message(exc) + "（复核决定没有保存）", severity="error",
                                      markup=False)
            return
        self.app.call_from_thread(self.notify, terminal(f"{attempt['trainee']}：{STATE_NAMES[action]}", one_line=True),
                                  markup=False)
        self.app.call_from_thread(self.load)

    def action_back(self) -> None:
        self.app.pop_screen()
