"""A records outage during an exam (issue 19 §3): the attempt pauses, says so, resumes, records no line
twice or unseen, and verifies; cut off for good, it is marked as the infrastructure's fault and does
not count against the trainee."""

from __future__ import annotations

import pytest

from simulator.certify.attempt import OUTAGE_WAIT, ExamAttempt, exam_for_attempt
from simulator.certify.runner import play_attempt, read_replies_file
from simulator.records.errors import RecordsError
from simulator.records.store import RecordStore, open_store

from records_helpers import EXAM, kefu, run_exam, write_replies

DOWN = "无法连接记录数据库：test（connection refused）。请检查地址（--db 或 KEFU_DB）和服务器是否在运行。"


class Outage:
    """Makes RecordStore.write fail like an unreachable server for writes number `start`…`start+count-1`."""

    def __init__(self, monkeypatch, start: int, count: int) -> None:
        self.calls, self.start, self.count = 0, start, count
        real = RecordStore.write

        def write(store):
            self.calls += 1
            if self.start <= self.calls < self.start + self.count:
                raise RecordsError(DOWN)
            return real(store)

        monkeypatch.setattr(RecordStore, "write", write)


def test_an_outage_pauses_the_attempt_which_then_resumes_and_verifies(db_url, tmp_path, capsys, library, exams):
    replies = [read_replies_file(p) for p in write_replies(tmp_path / "r")]
    with open_store(db_url) as store:
        published = exam_for_attempt(store, library, exams, EXAM)
        attempt = ExamAttempt.begin(store, published.library, published.exam, "张三", seed=7,
                                    version=published.version, heartbeat=False)
        waits, notices = [], []
        attempt.wait, attempt.on_pause = waits.append, notices.append
        with pytest.MonkeyPatch.context() as patch:
            Outage(patch, start=4, count=5)  # the 4th to 8th writes of the attempt find the server gone
            document = play_attempt(attempt, replies)
        record = store.attempt(attempt.attempt_id)
    assert waits == [1.0, 2.0, 4.0, 8.0, 15.0]  # backing off, never a busy loop; no real sleep here
    assert notices[0] and "已暂停" in notices[0] and "不会丢失" in notices[0] and notices[-1] is None
    assert record["status"] == "completed" and document["total"] == record["total"]
    seqs = [[t["seq"] for t in s["turns"]] for s in record["sessions"]]
    assert all(seq == list(range(len(seq))) for seq in seqs)  # no line twice, none missing
    bundle = tmp_path / "b.json"
    assert kefu(capsys, "export", attempt.attempt_id, "--db", db_url, "--out", str(bundle)).code == 0
    assert kefu(capsys, "verify", str(bundle), "--db", db_url).code == 0


def test_an_attempt_cut_off_by_the_records_does_not_count(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    assert kefu(capsys, "exam", "publish", EXAM, "--db", db_url).code == 0
    slept = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("simulator.certify.attempt.time.sleep", slept.append)
        Outage(patch, start=6, count=10**6)  # the server goes away for good mid-attempt
        cut = run_exam(capsys, db_url, "李四", replies)
    assert cut.code == 1 and "不计入考试次数" in cut.err
    assert sum(slept) >= OUTAGE_WAIT  # it waited for the server before giving up
    with open_store(db_url) as store:  # the next kefu here closes it with the cause its writer left
        [attempt] = store.attempts(trainee="李四")
        assert attempt["status"] == "interrupted" and attempt["cause"] == "infrastructure"
        assert store.attempts_used("李四", EXAM) == 0
    for _ in range(2):  # both attempts are still there
        assert run_exam(capsys, db_url, "李四", replies).code == 0
    assert run_exam(capsys, db_url, "李四", replies).code == 1


def test_time_spent_waiting_for_the_records_is_not_the_trainees(library):
    # In the practice room the clock is the wall clock: a write blocked by an outage must not eat
    # into the trainee's reply time or the scenario's time limit.
    from simulator.certify.recorder import RecordingSession
    from simulator.engine.clock import ManualClock

    clock = ManualClock()
    blocked = {"left": 1}

    def sink(lines):
        if blocked["left"]:
            blocked["left"] -= 1
            clock.advance(300)  # five minutes waiting for the server, then the write goes through

    scenario_id = "wig-wrong-color"
    session = RecordingSession(library.scenarios[scenario_id], library.persona_of(scenario_id), 1, clock, sink)
    session.start()
    clock.advance(20)
    session.reply("亲，非常抱歉给您添麻烦了，请问您的订单号是多少？")
    trainee = [t for t in session.transcript if t.role == "trainee"][0]
    assert trainee.seconds == pytest.approx(20)
    assert session.clock.now() == pytest.approx(20)
