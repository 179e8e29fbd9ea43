"""The desk's main screen: the cohort table (trainees × exams), filters, dimension averages, trends,
and the highlighted trainee's attempts; Enter on an attempt opens its replay."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Sparkline, Static

from simulator.desk.cohort import DIMENSION_NAMES, DIMENSIONS, STATUS_NAMES, Cohort, Filters, build_cohort
from simulator.records.schema import trainees

STATUS_STYLE = {"pending": "magenta", "passed": "green", "expiring": "yellow", "expired": "red", "failed": "red",
                "interrupted": "dark_orange", "in_progress": "cyan", "not_started": "dim"}
ATTEMPT_STATUS = {"in_progress": "进行中", "completed": "已完成", "interrupted": "中断"}
ALL = "__all__"


class CohortScreen(Screen):
    """Trainees × exams with status, best/last score and attempts used; filters; averages; trends."""

    BINDINGS = [
        Binding("f", "focus_filters", "筛选"),
        Binding("r", "reload", "刷新"),
        Binding("ctrl+q", "app.quit", "退出", priority=True),
    ]

    def __init__(self, store, filters: Filters, lead: str) -> None:
        super().__init__()
        self.store = store
        self.filters = filters
        self.lead = lead
        self.cohort: Cohort | None = None
        self._attempts: list[dict] = []
        self._overrides: dict[str, dict] = {}
        self._reviews: dict[str, dict] = {}
        self._everyone: dict[str, str | None] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="desk-title")
        with Horizontal(id="desk-filters"):
            yield Label("考试")
            yield Select([("全部考试", ALL)], id="filter-exam", allow_blank=False, value=ALL)
            yield Label("期次")
            yield Select([("全部期次", ALL)], id="filter-cohort", allow_blank=False, value=ALL)
            yield Label("起始日")
            yield Input(placeholder="YYYY-MM-DD", id="filter-since")
        with Horizontal(id="desk-main"):
            yield DataTable(id="cohort-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="desk-side"):
                yield Static(id="desk-dimensions")
                yield Label("全体趋势（按周平均分）", classes="desk-label")
                yield Sparkline([], id="trend-all")
                yield Label("", id="trend-trainee-label", classes="desk-label")
                yield Sparkline([], id="trend-trainee")
        yield DataTable(id="attempt-table", cursor_type="row")
        yield Footer()

    # ---- data -------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the records once (attempts, overrides, trainees); filters then work in memory."""
        self._attempts = self.store.attempts()
        self._overrides = self.store.overrides_by_attempt()
        self._reviews = self._review_states()
        with self.store.read() as conn:
            self._everyone = {r.name: r.cohort for r in conn.execute(sa.select(trainees.c.name, trainees.c.cohort))}

    def on_mount(self) -> None:
        self.load()
        exams = {}
        for a in self._attempts:
            if a["kind"] == "exam":
                exams.setdefault(a["exam_id"], a["exam_title"] or a["exam_id"])
        cohorts = sorted({c for c in self._everyone.values() if c})
        exam_select = self.query_one("#filter-exam", Select)
        cohort_select = self.query_one("#filter-cohort", Select)
        exam_select.set_options([("全部考试", ALL), *((title, eid) for eid, title in exams.items())])
        cohort_select.set_options([("全部期次", ALL), *((c, c) for c in cohorts)])
        with self.prevent(Select.Changed):
            exam_select.value = self.filters.exam if self.filters.exam in exams else ALL
            cohort_select.value = self.filters.cohort if self.filters.cohort in cohorts else ALL
        if self.filters.since:
            with self.prevent(Input.Changed):
                self.query_one("#filter-since", Input).value = self.filters.since.isoformat()
        self.rebuild()
        self.query_one("#cohort-table", DataTable).focus()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_away", False):  # back from a replay: an override may have changed a score
            self._away = False
            self._overrides = self.store.overrides_by_attempt()
            self._reviews = self._review_states()  # a decision in the review queue changes a result too
            self.rebuild()

    def _review_states(self) -> dict[str, dict]:
        from simulator.records.calibration import review_states

        return review_states(self.store)

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.rebuild()

    def rebuild(self) -> None:
        """Summarise with the current filters and redraw every panel."""
        self.cohort = build_cohort(self._attempts, self._overrides, self.store.now(), self.filters, self._everyone,
                                   self._reviews)
        cohort = self.cohort
        scope = "，".join(x for x in (cohort.exams.get(self.filters.exam, "") if self.filters.exam else "",
                                      self.filters.cohort or "",
                                      f"{self.filters.since} 起" if self.filters.since else "") if x) or "全部"
        self.query_one("#desk-title", Static).update(
            Text(f"组长工作台　{len(cohort.trainees)} 名学员　{len(cohort.attempts)} 次考试　筛选：{scope}"))
        table = self.query_one("#cohort-table", DataTable)
        table.clear(columns=True)
        table.add_column("学员", key="trainee")
        table.add_column("期次", key="cohort")
        for exam, title in cohort.exams.items():
            table.add_column(title, key=exam)
        for name, group in cohort.trainees.items():
            cells = []
            for exam in cohort.exams:
                c = cohort.cells[(name, exam)]
                label = Text(STATUS_NAMES[c.status], style=STATUS_STYLE[c.status])
                if c.used:
                    label.append(f" {c.best if c.best is not None else '—'}/{c.last if c.last is not None else '—'}"
                                 f" {c.used}次" + ("*" if c.overridden else ""))
                cells.append(label)
            table.add_row(name, group or "", *cells, key=name)
        dims = cohort.dimension_averages()
        rates = cohort.pass_rates()
        side = Text("各维度平均分\n", style="bold")
        for d in DIMENSIONS:
            value = dims[d]
            bar = "█" * round((value or 0) / 10)
            side.append(f"{DIMENSION_NAMES[d]} {bar:<10} {'—' if value is None else f'{value:.1f}'}\n")
        side.append("\n通过率\n", style="bold")
        for exam, (passed, took) in rates.items():
            side.append(f"{cohort.exams[exam]} {passed}/{took}" + (f"（{100 * passed / took:.0f}%）" if took else "")
                        + "\n")
        side.append("\n最好/最近 分数，次数；* 有组长改分", style="dim")
        self.query_one("#desk-dimensions", Static).update(side)
        self.query_one("#trend-all", Sparkline).data = [v for _, v in cohort.trend(exam=self.filters.exam)] or [0]
        self.show_trainee(next(iter(cohort.trainees), None))

    def show_trainee(self, name: str | None) -> None:
        """The highlighted trainee's trend and attempts (newest last)."""
        cohort = self.cohort
        table = self.query_one("#attempt-table", DataTable)
        table.clear(columns=True)
        # Fixed widths: the table is rebuilt on every highlight and must not jump about.
        for label, width in (("记录", 8), ("考试", 14), ("第几次", 6), ("状态", 6), ("原分", 4), ("组长改分", 24),
                             ("开始时间", 16)):
            table.add_column(label, width=width)
        label = self.query_one("#trend-trainee-label", Label)
        if name is None or cohort is None:
            label.update("")
            self.query_one("#trend-trainee", Sparkline).data = [0]
            return
        label.update(f"{name} 的趋势")
        self.query_one("#trend-trainee", Sparkline).data = [v for _, v in cohort.trend(trainee=name)] or [0]
        for a in cohort.attempts:
            if a["trainee"] != name:
                continue
            o = a.get("override")
            table.add_row(a["id"][:8], a["exam_title"] or a["exam_id"], str(a["number"]),
                          ATTEMPT_STATUS.get(a["status"], a["status"]),
                          "—" if a["total"] is None else str(a["total"]),
                          f"{o['total']}（{o['reason']}）" if o else "", f"{a['started_at']:%Y-%m-%d %H:%M}",
                          key=a["id"])

    # ---- events -----------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#cohort-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.show_trainee(event.row_key.value)

    @on(DataTable.RowSelected, "#cohort-table")
    def _to_attempts(self, event: DataTable.RowSelected) -> None:
        attempts = self.query_one("#attempt-table", DataTable)
        if attempts.row_count:
            attempts.focus()

    @on(DataTable.RowSelected, "#attempt-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.open_replay(event.row_key.value)

    @on(Select.Changed)
    def _chosen(self) -> None:
        # Read both choices from the widgets: Changed messages may arrive after a later change.
        exam = self.query_one("#filter-exam", Select).value
        cohort = self.query_one("#filter-cohort", Select).value
        chosen = Filters(None if exam in (ALL, Select.NULL) else exam, None if cohort in (ALL, Select.NULL) else cohort,
                         self.filters.since, self.filters.until)
        if chosen != self.filters:
            self.set_filters(chosen)

    @on(Input.Submitted, "#filter-since")
    def _since(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        try:
            since = date.fromisoformat(value) if value else None
        except ValueError:
            self.notify(f"日期格式不对：{value}（应为 YYYY-MM-DD）", severity="error")
            return
        self.set_filters(Filters(self.filters.exam, self.filters.cohort, since, self.filters.until))
        self.query_one("#cohort-table", DataTable).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#filter-exam", Select).focus()

    def action_reload(self) -> None:
        self.load()
        self.rebuild()
