"""`kefu desk`: the team lead's desk app (cohort screen, replay screens)."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.desk.cohort import Filters, read_summary
from simulator.records.store import default_home
from simulator.tui.desk.cohort import CohortScreen
from simulator.tui.desk.replay import ReplayScreen
from simulator.tui.palette import PALETTE_BINDING, ChinesePalette


class DeskApp(ChinesePalette, App):
    """组长工作台: the cohort, and the replay of any attempt with comments, verdict and override."""

    CSS_PATH = "desk.tcss"
    TITLE = "组长工作台"
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", priority=True),
        # Calibration (issue 16): shown, so a lead finds blind grading and the review queue.
        Binding("g", "blind_grading", "盲评"),
        Binding("k", "review_queue", "待复核"),
        PALETTE_BINDING,
    ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("盲评", "不看机器评分，先自己给对话打分", self.action_blind_grading)
        yield SystemCommand("待复核", "需要组长复核的考试", self.action_review_queue)
        yield from self.base_system_commands(screen)

    def __init__(self, store, filters: Filters = Filters(), lead: str = "组长", cases_dir: Path | None = None,
                 animations: bool = True, attempt: str | None = None) -> None:
        super().__init__()
        self.initial_attempt = attempt
        self.store = store
        self.filters = filters
        self.lead = lead
        self.cases_dir = cases_dir or default_home() / "cases"
        self.animations = animations
        # The first read starts now, in a thread, while Textual starts up; the cohort screen's worker
        # takes its result (or its error) — so opening the desk costs about the longer of the two.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-prefetch")
        self._prefetch: Future | None = self._pool.submit(read_summary, store)
        self._pool.shutdown(wait=False)

    def take_prefetched(self) -> Future | None:
        """The first read, once (later reads go to the database again)."""
        prefetch, self._prefetch = self._prefetch, None
        return prefetch

    def on_mount(self) -> None:
        if not self.animations:
            self.animation_level = "none"
        self.push_screen(CohortScreen(self.store, self.filters, self.lead))
        if self.initial_attempt:  # `kefu desk --attempt ID`: Esc goes back to the cohort
            self.open_replay(self.initial_attempt)

    def action_blind_grading(self) -> None:
        """Grade conversations blind (the machine's grade shown after saving)."""
        from simulator.tui.desk.grading import BlindGradingScreen

        self.push_screen(BlindGradingScreen(self.store, self.lead, self.filters.exam))

    def action_review_queue(self) -> None:
        """Attempts waiting as 待复核."""
        from simulator.tui.desk.reviewqueue import ReviewQueueScreen

        self.push_screen(ReviewQueueScreen(self.store, self.lead))

    def open_replay(self, attempt_id: str) -> None:
        """Open the replay of one attempt."""
        self.push_screen(ReplayScreen(self.store, attempt_id, self.lead, self.cases_dir))
