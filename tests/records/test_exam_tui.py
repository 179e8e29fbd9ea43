"""after-sales-basic taken in the practice room (Pilot): coaching and checklist hidden, every line
recorded as it is said, the result at the end agreeing with the records, and the recorded attempt
passing `kefu verify`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from tui_helpers import on_screen, send, wait_until  # noqa: E402

from simulator.certify.attempt import ExamAttempt  # noqa: E402
from simulator.engine import ManualClock  # noqa: E402
from simulator.records.store import open_store  # noqa: E402
from simulator.tui.exam import ExamApp, exam_settings  # noqa: E402

from records_helpers import EXAM, EXAM_SCENARIOS, kefu  # noqa: E402

REPLY = "亲，非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？我马上帮您查。"


async def test_after_sales_basic_in_the_tui(db_url, library, exams, tmp_path, capsys):
    clock = ManualClock()
    settings = exam_settings(typing=False)
    settings.clock, settings.cursor_blink, settings.animations = clock, False, False
    settings.last_line_seconds = 0.0
    with open_store(db_url) as store:
        attempt = ExamAttempt.begin(store, library, exams.exams[EXAM], "张三")
        app = ExamApp(library, settings, attempt)
        async with app.run_test(size=(110, 36)) as pilot:
            # Before anything counts, the trainee reads what passing takes (issue 16), then starts.
            await wait_until(pilot, on_screen(app, "ExamIntroScreen"))
            intro = str(app.screen.query_one("#exam-intro-text").render())
            assert "总分至少 70" in intro and "不得有超出店铺政策的承诺" in intro
            await pilot.press("enter")
            for position, scenario_id in enumerate(EXAM_SCENARIOS):
                await wait_until(pilot, lambda: type(app.screen).__name__ == "ExamChatScreen"
                                 and app.screen.position == position)
                chat = app.screen
                assert chat.scenario.id == scenario_id
                assert chat.query_one("#coaching").region.area == 0  # no coaching in an exam
                assert chat.query_one("#issues").region.area == 0  # the checklist is hidden
                clock.advance(9)
                await send(pilot, REPLY)
                # Recorded as it happened, before the conversation is over.
                record = store.attempt(attempt.attempt_id)
                assert REPLY in [t["text"] for t in record["sessions"][position]["turns"]]
                if type(app.screen).__name__ == "ExamChatScreen" and app.screen.position == position:
                    if app.screen.query("#to-scorecard"):
                        await pilot.press("enter")  # the customer ended it: their last line, then on
                    else:
                        clock.advance(4)
                        await pilot.press("ctrl+e")
                        await wait_until(pilot, on_screen(app, "ConfirmEndScreen"))
                        await pilot.press("y")
            await wait_until(pilot, on_screen(app, "ExamResultScreen"))
            shown = str(app.screen.query_one("#exam-result-text").render())
        doc = app.document
        record = store.attempt(attempt.attempt_id)
    assert record["status"] == "completed" and record["total"] == doc["total"] and record["passed"] == doc["passed"]
    assert [s["scenario_id"] for s in record["sessions"]] == EXAM_SCENARIOS
    assert f"总分 {doc['total']}" in shown and ("未通过" in shown) == (not doc["passed"])
    assert doc["total"] == round(sum(s["total"] for s in doc["scenarios"]) / 3)
    # The attempt taken on screen replays and re-grades exactly.
    out = tmp_path / "tui-attempt.json"
    assert kefu(capsys, "export", attempt.attempt_id, "--db", db_url, "--out", str(out)).code == 0
    result = kefu(capsys, "verify", str(out))
    assert result.code == 0, result.out
    assert json.loads(out.read_text(encoding="utf-8"))["attempt"]["trainee"] == "张三"


async def test_leaving_the_exam_early_marks_it_interrupted(db_url, library, exams):
    from simulator.tui import exam as exam_module

    settings = exam_settings(typing=False)
    settings.clock, settings.cursor_blink, settings.animations = ManualClock(), False, False
    with open_store(db_url) as store:
        attempt = ExamAttempt.begin(store, library, exams.exams[EXAM], "李四")
        app = ExamApp(library, settings, attempt)
        async with app.run_test(size=(110, 36)) as pilot:
            await wait_until(pilot, on_screen(app, "ExamIntroScreen"))
            await pilot.press("enter")
            await wait_until(pilot, on_screen(app, "ExamChatScreen"))
            await send(pilot, REPLY)
        assert not app.finished
        if not app.finished:  # what run_exam_app does after app.run()
            attempt.interrupt("考生在考试结束前退出了")
        record = store.attempt(attempt.attempt_id)
    assert exam_module.ExamApp is ExamApp
    assert record["status"] == "interrupted"
    assert REPLY in [t["text"] for t in record["sessions"][0]["turns"]]


def test_exam_start_needs_a_terminal(capsys):
    result = kefu(capsys, "exam", "start", EXAM, "--trainee", "张三")
    assert result.code == 2 and "终端" in result.err


async def test_a_records_outage_in_the_tui_pauses_with_a_notice_and_resumes(db_url, library, exams, monkeypatch):
    import pytest

    from simulator.records.errors import RecordsError
    from simulator.records.store import RecordStore

    clock = ManualClock()
    settings = exam_settings(typing=False)
    settings.clock, settings.cursor_blink, settings.animations = clock, False, False
    settings.last_line_seconds = 0.0
    with open_store(db_url) as store:
        attempt = ExamAttempt.begin(store, library, exams.exams[EXAM], "王五")
        waits: list[float] = []
        attempt.wait = waits.append  # no real sleeping in the test
        app = ExamApp(library, settings, attempt)
        async with app.run_test(size=(110, 36)) as pilot:
            await wait_until(pilot, on_screen(app, "ExamIntroScreen"))
            await pilot.press("enter")  # the pass rules first (issue 16 §4), then the first case
            await wait_until(pilot, lambda: type(app.screen).__name__ == "ExamChatScreen")
            real, failures = RecordStore.write, {"left": 3}

            def write(self):
                if failures["left"]:
                    failures["left"] -= 1
                    raise RecordsError("无法连接记录数据库：test（connection refused）。")
                return real(self)

            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(RecordStore, "write", write)
                clock.advance(9)
                await send(pilot, REPLY)
                await wait_until(pilot, lambda: failures["left"] == 0 and not app.paused)
            titles = [n.title for n in app._notifications]
            assert "记录暂时不可用" in titles and "已恢复" in titles
            assert waits == [1.0, 2.0, 4.0]
            record = store.attempt(attempt.attempt_id)
            said = [t["text"] for t in record["sessions"][0]["turns"]]
            assert said.count(REPLY) == 1 and record["sessions"][0]["turns"][-1]["role"] == "customer"
            await pilot.press("ctrl+q")
