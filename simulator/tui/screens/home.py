"""Home: the scenarios (title, customer type, category, difficulty, best score), a filter, and a
preview with the case and the whole rubric, so nothing about grading is hidden."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from simulator.tui.storage import BestScores
from simulator.tui.text import display_text
from simulator.tui.widgets.cjk_text import CJKStatic

CATEGORY_NAMES = {"product": "产品问题", "service": "服务问题", "logistics": "物流问题", "buyer": "买家原因"}


def stars(difficulty: int) -> str:
    return "★" * difficulty + "☆" * (5 - difficulty)


class HomeScreen(Screen):
    """Pick a scenario; type to filter; Enter starts."""

    BINDINGS = [
        Binding("down", "cursor(1)", "下一个", show=False),
        Binding("up", "cursor(-1)", "上一个", show=False),
        Binding("enter", "start", "开始练习"),
        Binding("f5", "history", "我的记录", priority=True),
        Binding("f1", "app.help", "帮助", priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static("[b]客服练习室[/b]  选一个场景开始练习 · 输入文字筛选 · Enter 开始", id="home-title")
        with Horizontal(id="home-main"):
            with Vertical(id="home-left"):
                yield Input(placeholder="筛选：标题、顾客类型、类别……", id="filter")
                yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="preview"):
                yield CJKStatic(id="preview-case")
                yield CJKStatic(id="preview-rubric", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        from scoring.rubric import render_rubric

        table = self.query_one(DataTable)
        # Short columns first, so difficulty and best score stay visible in an 80-column terminal.
        table.add_column("难度", key="difficulty")
        table.add_column("最好", key="best")
        table.add_column("场景", key="title")
        table.add_column("顾客", key="persona")
        table.add_column("类别", key="category")
        filt = self.query_one("#filter", Input)
        filt.cursor_blink = self.app.cursor_blink
        self.query_one("#preview-rubric", Static).update(render_rubric())
        self._all_rows = self._rows()
        self._fill("")
        filt.focus()

    def on_screen_resume(self) -> None:
        # Back from a scorecard: best scores may have changed, so read them again (once, not per keystroke).
        self._all_rows = self._rows()
        self._fill(self.query_one("#filter", Input).value)

    def _rows(self) -> list[tuple[str, tuple[str, ...]]]:
        library = self.app.library
        scores = BestScores(self.app.settings.records_dir)
        best = scores.load()
        if scores.warning:  # e.g. an old best_scores.json that is a FIFO or a device: skipped, and said
            self.app.notify(scores.warning, severity="warning", timeout=8)
        rows = []
        for scenario in library.scenarios.values():
            persona = library.personas.get(scenario.persona)
            score = best.get(scenario.id)
            rows.append((scenario.id, (
                stars(scenario.difficulty),
                "—" if score is None else str(score),
                scenario.title,
                persona.name if persona else scenario.persona,
                CATEGORY_NAMES.get(scenario.category, scenario.category),
            )))
        return rows

    def _fill(self, needle: str) -> None:
        table = self.query_one(DataTable)
        current = self.selected_id
        table.clear()
        needle = needle.strip().lower()
        for scenario_id, cells in self._all_rows:
            haystack = " ".join((scenario_id, *cells)).lower()
            if needle and needle not in haystack:
                continue
            table.add_row(*cells, key=scenario_id)
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))
        self._preview()

    @property
    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001 - empty or stale cursor
            return None
        return key.value

    def _preview(self) -> None:
        case = self.query_one("#preview-case", Static)
        scenario_id = self.selected_id
        if scenario_id is None:
            case.update("没有符合筛选条件的场景。")
            return
        library = self.app.library
        s = library.scenarios[scenario_id]
        persona = library.personas.get(s.persona)
        persona_line = f"{persona.name}：{persona.description}" if persona else s.persona
        issues = "\n".join(f"  ☐{escape(i.summary)}" for i in s.issues)
        case.update(
            f"[b]{escape(s.title)}[/b]  [dim]{s.id}[/]\n"
            f"{CATEGORY_NAMES.get(s.category, s.category)}·难度{stars(s.difficulty)}·"
            f"回复时限{s.response_limit_seconds:.0f}秒\n\n"
            f"{escape(display_text(s.summary.strip()))}\n\n"
            f"[b]顾客[/b]\n{escape(s.customer_name)}，{escape(display_text(persona_line.strip()))}\n\n"
            f"[b]要解决的问题[/b]\n{issues}\n\n"
            f"[b]店铺政策[/b]\n{escape(display_text(s.policy.notes.strip()))}\n"
        )

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._preview()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_start()

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.action_start()

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_history(self) -> None:
        """The trainee's own attempts and practice, with the team lead's comments (issue 12)."""
        from simulator.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_start(self) -> None:
        scenario_id = self.selected_id
        if scenario_id is None:
            self.notify("没有符合筛选条件的场景。", severity="warning")
            return
        self.app.start_chat(scenario_id)
