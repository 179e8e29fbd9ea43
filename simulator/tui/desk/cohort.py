"""The desk's main screen: the cohort table (trainees × exams), filters, dimension averages, trends,
and the highlighted trainee's attempts; Enter on an attempt opens its replay.

The records are read in a worker thread (a remote PostgreSQL must not freeze the screen) with a
loading state; when the database goes away the screen keeps what it last read, says so in Chinese,
and retries until it is back. Every text from the records is shown as rich Text via
simulator.safetext (never parsed as markup, control characters visible)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from simulator.desk.cohort import (DIMENSION_NAMES, DIMENSIONS, STATUS_NAMES, Cohort, Filters, build_cohort, final_of,
                                   read_summary)
from simulator.desk.when import stamp, zone_label
from simulator.desk.words import ATTEMPT_STATES, number, word
from simulator.safetext import rich_text, terminal
from simulator.tui.desk.trend import ScoreTrend

STATUS_STYLE = {"pending": "magenta", "passed": "green", "expiring": "yellow", "expired": "red", "failed": "red",
                "interrupted": "dark_orange", "in_progress": "cyan", "not_started": "dim", "outside": "dim",
                "voided": "bold red"}
ALL = "__all__"
RETRY_SECONDS = 10
"""While the database is away the desk tries again this often (and on `r`)."""


def outage_message(exc: BaseException) -> str:
    """The Chinese notice for a failed read or write."""
    from simulator.records.errors import RecordsError

    detail = exc.message if isinstance(exc, RecordsError) else f"{type(exc).__name__}"
    return terminal(f"记录数据库暂时无法使用：{detail}", one_line=True)


def _marks(attempt: dict) -> Text:
    """A policy breach and the points deducted, beside the score (issue 20 §4)."""
    marks = Text()
    if attempt.get("policy_breach"):
        marks.append("超出政策 ", style="bold red")
    deducted = sum(s.get("deductions") or 0 for s in attempt.get("sessions") or [])
    if deducted:
        marks.append(f"扣{deducted}分", style="red")
    return marks


CHECK_STYLE = {"已核验": "green", "不一致": "bold red", "未核验": "yellow"}


def final_cell(result) -> Text:
    """The result in effect: score and 通过/未通过/待复核/作废 (records.verdict.Final)."""
    style = {"作废": "bold red", "待复核": "magenta", "通过": "green", "未通过": "red"}.get(result.verdict, "")
    return Text(f"{number(result.total)} {result.verdict}", style=style)


def why_text(result) -> str:
    """Why the result is what it is: the lead's action and its reason (empty when only the scorer's)."""
    if result.state in ("computed", "in_progress", "interrupted"):
        return ""
    if result.state == "void":
        return f"作废：{result.void_reason or ''}"
    return result.state_name + (f"：{result.reason}" if result.reason else "")


def t(value, style: str = "") -> Text:
    """A cell or label from the records: rich Text of the safe, one-line text."""
    return rich_text(value, style, one_line=True)


class CohortScreen(Screen):
    """Trainees × exams with status, best/last score and attempts used; filters; averages; trends."""

    BINDINGS = [
        Binding("f", "focus_filters", "筛选"),
        Binding("r", "reload", "刷新"),
        Binding("e", "set_cohort", "设期次"),
        Binding("y", "verify", "核验"),
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
        self._voids: dict[str, dict] = {}
        self._grants: dict[tuple[str, str], list] = {}
        self._checks: dict[str, tuple[str, str]] = {}  # verification states, after `y` (never on open)
        self._everyone: dict[str, str | None] = {}
        self.loaded = False
        self.outage: str | None = None
        self._retry = None
        self._generation = 0  # the newest read's number: only its result is shown (reload)

    def compose(self) -> ComposeResult:
        yield Static(id="desk-title")
        yield Static(id="desk-notice")
        with Horizontal(id="desk-filters"):
            yield Label("考试")
            yield Select([("全部考试", ALL)], id="filter-exam", allow_blank=False, value=ALL)
            yield Label("期次")
            yield Select([("全部期次", ALL)], id="filter-cohort", allow_blank=False, value=ALL)
            yield Label("开考日期从")
            yield Input(placeholder="YYYY-MM-DD", id="filter-since", tooltip="只看这天及以后开始的考试（含这天）；Enter 生效")
        with Horizontal(id="desk-main"):
            yield DataTable(id="cohort-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="desk-side"):
                yield Static(id="desk-dimensions")
                yield Label("全体趋势（每周平均分，满格 100）", classes="desk-label")
                yield ScoreTrend(id="trend-all")
                yield Label("", id="trend-trainee-label", classes="desk-label")
                yield ScoreTrend(id="trend-trainee")
        yield DataTable(id="attempt-table", cursor_type="row")
        yield Footer()

    # ---- data -------------------------------------------------------------------------------

    def read_records(self) -> tuple:
        """Read the records once (attempts, overrides, trainees, then review states, voids and grants);
        filters then work in memory."""
        return read_summary(self.store) + self._lead_actions()

    def on_mount(self) -> None:
        self.query_one("#cohort-table", DataTable).loading = True
        self.query_one("#desk-title", Static).update(Text("组长工作台　正在读取记录……"))
        self.reload()

    def reload(self, overrides_only: bool = False) -> None:
        """Read again in a worker; the screen stays usable meanwhile. Only the newest read is shown: a thread
        cannot be stopped, and an older, slower read must not put back what a later write changed."""
        self._generation += 1
        self._read(overrides_only, self._generation)

    @work(thread=True, exclusive=True, group="desk-read", exit_on_error=False)
    def _read(self, overrides_only: bool, generation: int) -> None:
        try:
            prefetch = getattr(self.app, "take_prefetched", lambda: None)()
            if overrides_only and self.loaded:
                data = (self._attempts, self.store.overrides_by_attempt(), self._everyone) + self._lead_actions()
            elif prefetch is not None:
                data = tuple(prefetch.result()) + self._lead_actions()
            else:
                data = self.read_records()
        except Exception as exc:  # noqa: BLE001 - any failure of the database is a notice, never a crash
            self.app.call_from_thread(self._failed, outage_message(exc), generation)
            return
        self.app.call_from_thread(self._loaded, data, generation)

    def _failed(self, message: str, generation: int) -> None:
        if generation != self._generation:  # a newer read is under way
            return
        self.query_one("#cohort-table", DataTable).loading = False
        first = self.outage is None
        self.outage = message
        self.query_one("#desk-notice", Static).update(Text(
            f"{message}。{'显示的是上次读到的内容；' if self.loaded else ''}每 {RETRY_SECONDS} 秒自动重试，也可以按 r 刷新。",
            style="bold white on dark_red"))
        self.query_one("#desk-notice", Static).display = True
        if first:
            self.notify(message, severity="error", markup=False)
        if self._retry is None:
            self._retry = self.set_interval(RETRY_SECONDS, self.reload)
        if not self.loaded:
            self.query_one("#desk-title", Static).update(Text("组长工作台　记录还没有读到"))

    def _loaded(self, data, generation: int) -> None:
        if generation != self._generation:  # stale: a newer read is under way or done
            return
        self._attempts, self._overrides, self._everyone, self._reviews, self._voids, self._grants = data
        self.query_one("#cohort-table", DataTable).loading = False
        if self.outage is not None:
            self.outage = None
            self.query_one("#desk-notice", Static).display = False
            self.notify("记录数据库已恢复，内容已刷新")
        if self._retry is not None:
            self._retry.stop()
            self._retry = None
        first = not self.loaded
        self.loaded = True
        if first or getattr(self, "_options_stale", False):
            self._options_stale = False
            self._set_filter_options()
        self.rebuild()
        if first:
            self.query_one("#cohort-table", DataTable).focus()

    def _set_filter_options(self) -> None:
        exams = {}
        for a in self._attempts:
            if a["kind"] == "exam":
                exams.setdefault(a["exam_id"], a["exam_title"] or a["exam_id"])
        cohorts = sorted({c for c in self._everyone.values() if c})
        exam_select = self.query_one("#filter-exam", Select)
        cohort_select = self.query_one("#filter-cohort", Select)
        exam_select.set_options([("全部考试", ALL), *((t(title), eid) for eid, title in exams.items())])
        cohort_select.set_options([("全部期次", ALL), *((t(c), c) for c in cohorts)])
        with self.prevent(Select.Changed):
            exam_select.value = self.filters.exam if self.filters.exam in exams else ALL
            cohort_select.value = self.filters.cohort if self.filters.cohort in cohorts else ALL
        if self.filters.since:
            with self.prevent(Input.Changed):
                self.query_one("#filter-since", Input).value = self.filters.since.isoformat()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_away", False):  # back from a replay: an override may have changed a score
            self._away = False
            self.reload(overrides_only=True)  # an override or a review decision may have changed a result

    def _lead_actions(self) -> tuple[dict, dict, dict]:
        """Review states, voids and grants (read in the worker with the rest)."""
        from simulator.records.calibration import review_states
        from simulator.records.lead import grants_by_trainee, voids_by_attempt

        return review_states(self.store), voids_by_attempt(self.store), grants_by_trainee(self.store)

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.rebuild()

    def rebuild(self) -> None:
        """Summarise with the current filters and redraw every panel."""
        if not self.loaded:
            return
        self.cohort = build_cohort(self._attempts, self._overrides, self.store.now(), self.filters, self._everyone,
                                   self._reviews, self._voids, self._grants)
        cohort = self.cohort
        scope = "，".join(x for x in (cohort.exams.get(self.filters.exam, "") if self.filters.exam else "",
                                      self.filters.cohort or "",
                                      f"{self.filters.since} 及以后开始的考试" if self.filters.since else "",
                                      f"{self.filters.until} 及以前开始的考试" if self.filters.until else "") if x) or "全部"
        self.query_one("#desk-title", Static).update(
            t(f"组长工作台　{len(cohort.trainees)} 名学员　{len(cohort.attempts)} 次考试　筛选：{scope}"))
        table = self.query_one("#cohort-table", DataTable)
        table.clear(columns=True)
        table.add_column(Text("学员"), key="trainee")
        table.add_column(Text("期次"), key="cohort")
        for exam, title in cohort.exams.items():
            table.add_column(t(title), key=exam)
        for name, group in cohort.trainees.items():
            cells = []
            for exam in cohort.exams:
                c = cohort.cells[(name, exam)]
                label = Text(STATUS_NAMES[c.status], style=STATUS_STYLE[c.status])
                if c.used:
                    label.append(f" {c.best if c.best is not None else '—'}/{c.last if c.last is not None else '—'}"
                                 f" {c.used}次" + ("*" if c.overridden else "") + (f" 作废{c.voided}" if c.voided else ""))
                if c.granted:
                    label.append(f" +{c.granted}加考", style="cyan")
                cells.append(label)
            table.add_row(t(name), t(group or "—"), *cells, key=name)
        dims = cohort.dimension_averages()
        rates = cohort.pass_rates()
        side = Text("各维度平均分\n", style="bold")
        for d in DIMENSIONS:
            value = dims[d]
            bar = "█" * round((value or 0) / 10)
            side.append(f"{DIMENSION_NAMES[d]} {bar:<10} {'—' if value is None else f'{value:.1f}'}\n")
        side.append("\n通过率\n", style="bold")
        for exam, (passed, took) in rates.items():
            side.append(terminal(cohort.exams[exam], one_line=True))
            side.append(f" {passed}/{took}" + (f"（{100 * passed / took:.0f}%）" if took else "") + "\n")
        side.append("\n格内：最好/最近分 次数　*组长改过分　+N加考", style="dim")
        self.query_one("#desk-dimensions", Static).update(side)
        self.query_one("#trend-all", ScoreTrend).show([v for _, v in cohort.trend(exam=self.filters.exam)])
        self.show_trainee(next(iter(cohort.trainees), None))

    def show_trainee(self, name: str | None) -> None:
        """The highlighted trainee's trend and attempts (newest last)."""
        cohort = self.cohort
        table = self.query_one("#attempt-table", DataTable)
        table.clear(columns=True)
        # Fixed widths: the table is rebuilt on every highlight and must not jump about.
        # About 117 columns in all: the whole row fits a 120-column terminal.
        for label, width in (("记录", 8), ("考试", 12), ("次", 4), ("状态", 6), ("原分", 4), ("最终", 10),
                             ("违规", 10), ("依据", 16), ("核验", 6), (f"开始时间（{zone_label()}）", 21)):
            table.add_column(Text(label), width=width)
        label = self.query_one("#trend-trainee-label", Label)
        if name is None or cohort is None:
            label.update("")
            self.query_one("#trend-trainee", ScoreTrend).show([])
            return
        granted = sum(c.granted for (who, _), c in cohort.cells.items() if who == name)
        label.update(t(f"{name} 的趋势（满格 100）" + (f"　组长加考 {granted} 次" if granted else "")))
        self.query_one("#trend-trainee", ScoreTrend).show([v for _, v in cohort.trend(trainee=name)])
        for a in cohort.attempts:
            if a["trainee"] != name:
                continue
            result = final_of(a)
            check = self._checks.get(a["id"])
            table.add_row(Text(a["id"][:8]), t(a["exam_title"] or a["exam_id"]), Text(number(a["number"])),
                          Text(word(ATTEMPT_STATES, a["status"])), Text(number(a["total"])), final_cell(result),
                          _marks(a), t(why_text(result)), Text(check[0] if check else "", style=CHECK_STYLE.get(
                              check[0], "") if check else ""), Text(stamp(a["started_at"])), key=a["id"])

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
        if not self.loaded:  # the selects announce their first value before the records arrive
            return
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
            self.notify(f"日期格式不对：{terminal(value, one_line=True)}（应为 YYYY-MM-DD，如 2026-03-01）",
                        severity="error", markup=False)
            return
        self.set_filters(Filters(self.filters.exam, self.filters.cohort, since, self.filters.until))
        self.query_one("#cohort-table", DataTable).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#filter-exam", Select).focus()

    def action_reload(self) -> None:
        self.notify("正在刷新……", timeout=2)
        self.reload()

    # ---- lead actions (through records.lead: each one in the audit trail) -------------------------

    def highlighted_trainee(self) -> str | None:
        table = self.query_one("#cohort-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_set_cohort(self) -> None:
        """Put the highlighted trainee into a 期次 (empty: take them out), like `kefu trainee cohort`."""
        from simulator.tui.desk.dialogs import TextDialog

        name = self.highlighted_trainee()
        if name is None:
            self.notify("先在表格里选中一名学员", severity="warning")
            return
        current = self._everyone.get(name) or ""

        def done(value: str | None) -> None:
            if value is not None:
                self.notify("正在保存期次……", timeout=2)
                self._set_cohort(name, value)
        self.app.push_screen(TextDialog(terminal(f"{name} 的期次（现为：{current or '无'}；留空则移出期次）", one_line=True),
                                        "例：2026年3月期"), done)

    @work(thread=True, group="desk-write", exit_on_error=False)
    def _set_cohort(self, name: str, cohort: str) -> None:
        from simulator.records.errors import RecordsError
        from simulator.records.lead import set_cohort

        try:
            set_cohort(self.store, name, cohort, self.lead)
        except RecordsError as exc:
            self.app.call_from_thread(self.notify, terminal(exc.message, one_line=True) + "（期次没有保存）",
                                      severity="error", markup=False)
            return
        except Exception as exc:  # noqa: BLE001 - the database went away mid-write
            self.app.call_from_thread(self.notify, outage_message(exc) + "（期次没有保存）", severity="error",
                                      markup=False)
            return
        self.app.call_from_thread(self._cohort_saved, name)

    def _cohort_saved(self, name: str) -> None:
        self.notify(terminal(f"已保存 {name} 的期次", one_line=True), markup=False)
        self._options_stale = True  # the 期次 filter gains (or loses) a choice
        self.reload()

    def action_verify(self) -> None:
        """Replay and re-grade the attempts in view (slow at cohort scale: only on request, in a worker)."""
        if self.cohort is None:
            return
        ids = [a["id"] for a in self.cohort.attempts]
        self.notify(f"正在核验 {len(ids)} 次考试（逐一重放，可能要一会儿）……", timeout=4)
        self._verify(ids)

    @work(thread=True, exclusive=True, group="desk-verify", exit_on_error=False)
    def _verify(self, ids: list[str]) -> None:
        from simulator.certify.commands import verify_attempts

        try:
            wanted = set(ids)
            found = [a for a in self.store.attempts(exam_id=self.filters.exam) if a["id"] in wanted]
            checks = verify_attempts(self.store, found)
        except Exception as exc:  # noqa: BLE001 - a failed read is a notice, never a crash
            self.app.call_from_thread(self.notify, outage_message(exc) + "（核验没有完成）", severity="error",
                                      markup=False)
            return
        self.app.call_from_thread(self._verified, checks)

    def _verified(self, checks: dict[str, tuple[str, str]]) -> None:
        self._checks.update(checks)
        bad = sum(1 for state, _ in checks.values() if state == "不一致")
        unverified = sum(1 for state, _ in checks.values() if state == "未核验")
        self.notify(f"核验完成：{len(checks) - bad - unverified} 次已核验，{bad} 次不一致，{unverified} 次未核验",
                    severity="error" if bad else "information")
        self.show_trainee(self.highlighted_trainee())
