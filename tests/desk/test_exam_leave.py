"""Issue 20 §5: leaving an exam asks first and says the attempt counts; staying keeps the exam going,
leaving records it as interrupted. The real exam app (Pilot) on a real records file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from tui_helpers import on_screen, wait_until  # noqa: E402

from simulator.certify.attempt import ExamAttempt  # noqa: E402
from simulator.engine import ManualClock  # noqa: E402
from simulator.records.store import open_store  # noqa: E402
from simulator.tui.exam import ExamApp, exam_settings  # noqa: E402

EXAM = "after-sales-basic"


@pytest.fixture(scope="module")
def content():
    from simulator.content.exams import load_exams
    from simulator.content.library import content_roots, load_library

    library = load_library(include_env=False)
    return library, load_exams(content_roots(include_env=False), library.scenarios)


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c"])
async def test_leaving_an_exam_asks_and_says_the_attempt_counts(content, tmp_path, key):
    library, exams = content
    settings = exam_settings(typing=False)
    settings.clock, settings.cursor_blink, settings.animations = ManualClock(), False, False
    with open_store(str(tmp_path / "kefu.db")) as store:
        attempt = ExamAttempt.begin(store, library, exams.exams[EXAM], "王芳")
        app = ExamApp(library, settings, attempt)
        async with app.run_test(size=(110, 36)) as pilot:
            await wait_until(pilot, on_screen(app, "ExamIntroScreen"))
            await pilot.press("enter")  # the pass rules first (issue 16 §4)
            await wait_until(pilot, on_screen(app, "ExamChatScreen"))
            await pilot.press(key)
            await wait_until(pilot, on_screen(app, "ConfirmLeaveExamScreen"))
            text = str(app.screen.query_one("#leave-text").render())
            assert "中断" in text and "算作一次考试机会" in text and "第 1 次" in text
            await pilot.press("escape")  # stay
            await wait_until(pilot, on_screen(app, "ExamChatScreen"))
            assert app.is_running and app.return_code is None
            await pilot.press(key)
            await wait_until(pilot, on_screen(app, "ConfirmLeaveExamScreen"))
            await pilot.press("y")  # leave
            await pilot.pause()
            assert app.return_code == 0  # the app is ending
        assert not app.finished
        attempt.interrupt("考生在考试结束前退出了")  # what run_exam_app does once the app has ended
        assert store.attempt(attempt.attempt_id)["status"] == "interrupted"
