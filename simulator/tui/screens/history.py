"""The trainee's own history in the practice room (issue 12): every exam attempt and practice session
kept in this machine's records, with the team lead's verdicts, score overrides and comments — the
same text as `kefu history`."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header

from simulator.tui.widgets.cjk_text import CJKStatic


def history_for(records_dir: Path, trainee: str | None = None) -> str:
    """The history text of `trainee` (default: this machine's trainee) from the records in `records_dir`;
    a Chinese message, never an exception, when the records cannot be read."""
    from simulator.desk.history import history_text
    from simulator.records.errors import RecordsError
    from simulator.records.practice import DB_FILE, local_trainee
    from simulator.desk.when import stamp
    from simulator.desk.words import number
    from simulator.records.store import open_store
    from simulator.safetext import terminal

    name = trainee or local_trainee()
    path = Path(records_dir) / DB_FILE
    if not path.exists():
        return f"{name} 还没有练习或考试记录。"
    from simulator.records.review import reviews_of_many

    try:
        with open_store(str(path), read_only=True) as store:  # 我的记录 only reads
            attempts = store.attempts(trainee=name, kind=None)
            # The reviews of all attempts at once, not a query (or a whole transcript) per attempt.
            reviews, turns = reviews_of_many(store, [a["id"] for a in attempts])
            # The same result in effect as `kefu history` and the desk: review state and voids too.
            from simulator.records.calibration import review_states
            from simulator.records.lead import voids_by_attempt

            states = review_states(store, [a["id"] for a in attempts])
            voids = voids_by_attempt(store)
    except RecordsError as error:
        return f"记录读不出来：{error.message}"
    exams = [a for a in attempts if a.get("kind") == "exam"]
    practice = [a for a in attempts if a.get("kind") != "exam"]
    name = terminal(name, one_line=True)
    lines = [f"{name} 的考试记录", history_text(exams, reviews, turns, states, voids)]
    if practice:
        lines += ["", f"{name} 的练习（最近 {min(20, len(practice))} 次）"]
        for a in practice[-20:]:
            review = reviews[a["id"]]
            title = a.get("exam_title") or (a["sessions"][0]["scenario_title"] if a.get("sessions") else "")
            lines.append(f"{stamp(a['started_at'])}  {terminal(title, one_line=True)}  得分 {number(a['total'])}")
            for c in review["comments"]:
                lines.append(f"    组长批注（{terminal(c['author'], one_line=True)}）：{terminal(c['text'], one_line=True)}")
            if review["verdicts"]:
                lines.append(f"    组长结论：{terminal(review['verdicts'][-1]['text'], one_line=True)}")
    return "\n".join(lines)


class HistoryScreen(Screen):
    """我的记录: read-only; Esc goes back to the scenarios."""

    BINDINGS = [Binding("escape", "app.pop_screen", "返回")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield CJKStatic("正在读取记录……", id="history-text")
        yield Footer()

    def on_mount(self) -> None:
        # The records are read in a worker thread: the screen opens at once, whatever their number.
        self.run_worker(self._read, thread=True, exclusive=True, group="history")

    def _read(self) -> None:
        text = history_for(self.app.settings.records_dir)
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        # Content, never markup: a comment such as "[/]" is text, not a tag (issue 20 §1).
        self.query_one("#history-text", CJKStatic).update(Content(text))
        self.loaded = True

    loaded = False
    """True once the records are on screen (tests wait for it)."""
