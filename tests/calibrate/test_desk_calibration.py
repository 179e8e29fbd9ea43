"""The desk's blind grading and review queue, driven like a lead drives them (Textual pilot): no score
before the grade is saved, the machine's grade after; decisions on attempts waiting as 待复核."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Static

from desk_cohort import settle
from records_helpers import kefu, write_replies

SIZE = (130, 42)
REPLIES = ["[+12s] 亲，非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？我马上帮您查。",
           "[+20s] 我们马上给您补发，运费由我们承担，并跟进物流第一时间告诉您，您看可以吗？"]


def _records(tmp_path, capsys, names=("甲", "乙")):
    """Finished attempts of an exam with `review: required` (one conversation each), one per name."""
    folder = tmp_path / "content"
    (folder / "exams").mkdir(parents=True)
    (folder / "exams" / "rev.yaml").write_text(
        "id: rev\ntitle: 复核考试\nscenarios: [lost-parcel]\npass_mark: {total: 10}\nreview: required\n",
        encoding="utf-8")
    db = str(tmp_path / "desk.db")
    replies = write_replies(tmp_path / "r", REPLIES, 1)
    docs = []
    for name in names:
        result = kefu(capsys, "exam", "run", "rev", "--content", str(folder), "--trainee", name, "--db", db,
                      "--quiet", "--replies", *replies)
        assert result.code == 0, result.err
        docs.append(result.json())
    return db, docs


@pytest.fixture
def records(tmp_path, capsys):
    return _records(tmp_path, capsys)


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_blind_grading_reveals_the_machine_only_after_saving(records):
    from simulator.records.calibration import latest_grades
    from simulator.records.store import open_store
    from simulator.tui.desk.app import DeskApp
    from simulator.tui.desk.grading import BlindGradingScreen

    db, docs = records
    with open_store(db) as store:
        app = DeskApp(store, lead="王组长", animations=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("g")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BlindGradingScreen)
            current = screen.current
            lines = _text(screen, "#grade-lines")
            assert "我们马上给您补发" in lines  # the conversation is shown …
            assert "甲" not in _text(screen, "#grade-title") and "乙" not in _text(screen, "#grade-title")
            assert _text(screen, "#grade-reveal") == ""  # … and nothing of the machine's grade
            for key, value in (("apology", "80"), ("empathy", "70"), ("question", "60"), ("solution", "50"),
                               ("total", "66")):
                screen.query_one(f"#grade-{key}", Input).value = value
            screen.query_one("#grade-passed", Checkbox).value = True
            await pilot.press("ctrl+n")  # not saved yet: refuses to move on
            assert screen.current is current
            await pilot.press("ctrl+s")
            await settle(pilot)
            reveal = _text(screen, "#grade-reveal")
            assert f"总分 {current['total']}（你 66，差 {abs(66 - current['total'])}）" in reveal
            assert "kefu：" in reveal
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert screen.current is not None and screen.current["id"] != current["id"]
            screen.query_one("#grade-total", Input).value = "120"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert _text(screen, "#grade-reveal") == ""  # out of range: not saved, nothing revealed
        grades = latest_grades(store)
    assert len(grades) == 1
    g = grades[0]
    assert (g["grader"], g["source"], g["total"], g["apology"], g["passed"]) == ("王组长", "desk", 66, 80, True)
    assert g["session_id"] == current["id"]


async def test_review_queue_decisions(records):
    from simulator.records.calibration import review_history
    from simulator.records.store import open_store
    from simulator.tui.desk.app import DeskApp
    from simulator.tui.desk.reviewqueue import ReviewQueueScreen

    db, docs = records
    with open_store(db) as store:
        app = DeskApp(store, lead="李组长", animations=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("k")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewQueueScreen)
            table = screen.query_one("#review-table", DataTable)
            assert table.row_count == 2 and "待复核：2 次考试" in _text(screen, "#review-title")
            first = screen.waiting[0]["id"]
            await pilot.press("x")  # reject: a reason is required
            await settle(pilot)
            app.screen.query_one("#dialog-text", Input).value = ""
            await pilot.press("enter")
            await settle(pilot)
            assert table.row_count == 2  # refused without a reason
            await pilot.press("x")
            await settle(pilot)
            app.screen.query_one("#dialog-text", Input).value = "收尾没有道歉"
            await pilot.press("enter")
            await settle(pilot)
            assert table.row_count == 1
            await pilot.press("a")
            await settle(pilot)
            await pilot.press("enter")  # approve: no reason needed
            await settle(pilot)
            assert table.row_count == 0 and "没有等待复核" in _text(screen, "#review-title")
        history = review_history(store, first)
    assert [h["action"] for h in history] == ["pending", "reject"]
    assert history[-1]["author"] == "李组长" and history[-1]["reason"] == "收尾没有道歉"


async def test_the_trainee_sees_the_pass_rules_first_and_pending_review_at_the_end(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))
    from tui_helpers import on_screen, wait_until

    from simulator.certify.attempt import ExamAttempt
    from simulator.content.exams import load_exams
    from simulator.content.library import content_roots, load_library
    from simulator.engine import ManualClock
    from simulator.records.store import open_store
    from simulator.tui.exam import ExamApp, exam_settings

    folder = tmp_path / "content"
    (folder / "exams").mkdir(parents=True)
    (folder / "exams" / "rev.yaml").write_text(
        "id: rev\ntitle: 复核考试\nscenarios: [lost-parcel]\npass_mark: {total: 10, fail_on: [insult]}\n"
        "review: required\n", encoding="utf-8")
    library = load_library([folder], include_env=False)
    exam = load_exams(content_roots([folder], include_env=False), library.scenarios).exams["rev"]
    settings = exam_settings(typing=False)
    settings.clock, settings.cursor_blink, settings.animations = ManualClock(), False, False
    settings.last_line_seconds = 0.0
    with open_store(str(tmp_path / "t.db")) as store:
        attempt = ExamAttempt.begin(store, library, exam, "甲")
        app = ExamApp(library, settings, attempt)
        async with app.run_test(size=(110, 36)) as pilot:
            await wait_until(pilot, on_screen(app, "ExamIntroScreen"))
            intro = str(app.screen.query_one("#exam-intro-text").render())
            assert "总分至少 10" in intro and "一票否决" in intro and "人身攻击" in intro and "组长复核" in intro
            await pilot.press("enter")
            await wait_until(pilot, on_screen(app, "ExamChatScreen"))
            await pilot.press("ctrl+e")
            await wait_until(pilot, on_screen(app, "ConfirmEndScreen"))
            await pilot.press("y")
            await wait_until(pilot, on_screen(app, "ExamResultScreen"))
            shown = str(app.screen.query_one("#exam-result-text").render())
    assert "待复核" in shown and app.document["review"] == "待复核"


async def test_review_queue_and_grading_show_hostile_names_as_text_and_read_off_the_event_loop(tmp_path, capsys):
    """Issue 20 §1 and §6 for the calibration screens: a trainee named like Rich markup or with terminal
    escapes is shown as visible text (no crash), and every database call runs in a worker thread."""
    import threading

    from simulator.records.store import RecordStore, open_store
    from simulator.tui.desk.app import DeskApp

    hostile = "[/]王\x1b]0;x\x07"
    db, _ = _records(tmp_path, capsys, names=(hostile,))
    threads: list[str] = []
    read, write = RecordStore.read, RecordStore.write

    def spy(fn):
        def wrapped(self, *args, **kwargs):
            threads.append(threading.current_thread().name)
            return fn(self, *args, **kwargs)
        return wrapped

    with open_store(db) as store:
        app = DeskApp(store, lead="李组长", animations=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            RecordStore.read, RecordStore.write = spy(read), spy(write)
            try:
                threads.clear()
                await pilot.press("k")
                await settle(pilot)
                table = app.screen.query_one("#review-table", DataTable)
                shown = "".join(str(c) for c in table.get_row_at(0))
                # The name is kept as typed where it is text ("[/]" is no markup); its control
                # characters were removed when the name was recorded (issue 19 §2), none reach the screen.
                assert "[/]王" in shown and not any(ord(ch) < 32 for ch in shown)
                await pilot.press("a")
                await settle(pilot)
                await pilot.press("enter")  # approve, in a worker
                await settle(pilot)
                assert table.row_count == 0
                await pilot.press("escape")
                await settle(pilot)
                await pilot.press("g")
                await settle(pilot)
                assert "我们马上给您补发" in _text(app.screen, "#grade-lines")
            finally:
                RecordStore.read, RecordStore.write = read, write
    assert threads and threading.main_thread().name not in threads, threads
