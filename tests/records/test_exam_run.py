"""`kefu exam run` and `kefu results` on SQLite and PostgreSQL: the JSON, limits, the records, CSV.

Scores and outcomes come from the scorer and the customers' behaviour, which change: the tests
check that the numbers agree with each other and with the records, never particular values.
"""

from __future__ import annotations

import csv
import io
import json

from simulator.records.store import open_store

from records_helpers import EXAM, EXAM_SCENARIOS, REPLIES, kefu, run_exam, write_replies


def test_the_exam_prints_one_json_document_that_agrees_with_the_records(db_url, tmp_path, capsys, exams):
    replies = write_replies(tmp_path / "r")
    result = run_exam(capsys, db_url, "张三", replies)
    assert result.code == 0, result.err
    doc = result.json()
    assert {"attempt", "exam", "trainee", "scenarios", "total", "passed"} <= set(doc)
    assert doc["exam"] == EXAM and doc["trainee"] == "张三"
    assert [s["scenario"] for s in doc["scenarios"]] == EXAM_SCENARIOS
    for s in doc["scenarios"]:
        assert {"scenario", "seed", "outcome", "policy_breach", "total"} <= set(s)
        assert s["outcome"] in ("resolved", "escalated", "abandoned", "unfinished")
    assert doc["total"] == round(sum(s["total"] for s in doc["scenarios"]) / 3)
    breach = any(s["policy_breach"] for s in doc["scenarios"])
    assert doc["passed"] == (doc["total"] >= exams.exams[EXAM].pass_mark.total and not breach)
    with open_store(db_url) as store:
        record = store.attempt(doc["attempt"])
    assert record["status"] == "completed" and record["trainee"] == "张三" and record["number"] == 1
    assert record["total"] == doc["total"] and record["passed"] == doc["passed"]
    for s, saved in zip(doc["scenarios"], record["sessions"]):
        assert saved["scenario_id"] == s["scenario"] and saved["seed"] == s["seed"]
        assert saved["total"] == s["total"] == saved["scorecard"]["total"]
        assert saved["outcome"] == s["outcome"] and saved["policy_breach"] == s["policy_breach"]
        trainee_lines = [t["text"] for t in saved["turns"] if t["role"] == "trainee"]
        sent = [line.split("] ", 1)[1] for line in REPLIES]
        assert trainee_lines == sent[: len(trainee_lines)] and trainee_lines
        assert saved["turns"][0]["kind"] == "opening"


def test_a_third_attempt_is_refused_naming_the_limit(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    first, second = (run_exam(capsys, db_url, "李四", replies) for _ in range(2))
    assert first.code == 0 and second.code == 0
    assert first.json()["attempt"] != second.json()["attempt"]
    # Seeds come from the attempt: the two attempts meet different variants.
    assert [s["seed"] for s in first.json()["scenarios"]] != [s["seed"] for s in second.json()["scenarios"]]
    third = run_exam(capsys, db_url, "李四", replies)
    assert third.code == 1 and third.out == ""
    assert "2 次机会" in third.err and EXAM in third.err
    other = run_exam(capsys, db_url, "王五", replies)  # another trainee still may
    assert other.code == 0
    with open_store(db_url) as store:
        assert len(store.attempts(exam_id=EXAM, trainee="李四")) == 2


def test_wrong_number_of_replies_files_is_a_usage_error_and_starts_nothing(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    result = run_exam(capsys, db_url, "张三", replies[:2])
    assert result.code == 2 and "3 个回复文件" in result.err
    bad = tmp_path / "bad.txt"
    bad.write_text("[+-5s] 你好\n", encoding="utf-8")
    result = run_exam(capsys, db_url, "张三", [str(bad), *replies[:2]])
    assert result.code == 2 and "bad.txt:1" in result.err
    missing = run_exam(capsys, db_url, "张三", [str(tmp_path / "nope.txt"), *replies[:2]])
    assert missing.code == 2 and "找不到回复文件" in missing.err
    with open_store(db_url) as store:
        assert store.attempts() == []


def test_replies_from_a_device_are_bounded(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    result = run_exam(capsys, db_url, "张三", ["/dev/zero", *replies[:2]])
    assert result.code == 2 and "太大" in result.err


def test_time_limits_end_a_conversation_where_they_fall(db_url, tmp_path, capsys):
    folder = tmp_path / "content" / "exams"
    folder.mkdir(parents=True)
    (folder / "quick.yaml").write_text(
        "id: quick\ntitle: 限时考试\nscenarios: [lost-parcel]\npass_mark: {total: 60}\nattempts: 3\n"
        "time_limit: {reply_seconds: 20, scenario_seconds: 40}\n", encoding="utf-8")
    slow = tmp_path / "slow.txt"
    slow.write_text("[+10s] 亲，非常抱歉。\n[+25s] 请问订单号是多少？\n", encoding="utf-8")
    result = kefu(capsys, "--content", str(tmp_path / "content"), "exam", "run", "quick", "--trainee", "张三",
                  "--db", db_url, "--quiet", "--replies", str(slow))
    assert result.code == 0, result.err
    with open_store(db_url) as store:
        session = store.attempt(result.json()["attempt"])["sessions"][0]
    sent = [t for t in session["turns"] if t["role"] == "trainee"]
    assert [t["text"] for t in sent] == ["亲，非常抱歉。"]  # the reply past the limit was not sent
    if session["end_reason"] != "customer":
        assert session["end_reason"] == "reply_limit"
        assert session["outcome"] == "unfinished"
        assert session["end_at"] == 10 + 20  # ended where the limit fell
    # An attempt cut short by a time limit replays and re-grades exactly.
    bundle = tmp_path / "quick.json"
    assert kefu(capsys, "export", result.json()["attempt"], "--db", db_url, "--out", str(bundle)).code == 0
    assert kefu(capsys, "verify", str(bundle)).code == 0


def test_results_in_every_format(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    docs = [run_exam(capsys, db_url, name, replies).json() for name in ("张三", "李四, \"小李\"")]
    as_json = kefu(capsys, "results", "--db", db_url, "--format", "json")
    rows = json.loads(as_json.out)
    assert [r["attempt"] for r in rows] == [d["attempt"] for d in docs]
    assert [r["total"] for r in rows] == [d["total"] for d in docs]
    only = json.loads(kefu(capsys, "results", "--db", db_url, "--format", "json", "--trainee", "张三").out)
    assert [r["trainee"] for r in only] == ["张三"]
    assert json.loads(kefu(capsys, "results", "--db", db_url, "--format", "json", "--exam", "nope").out) == []
    table = kefu(capsys, "results", "--db", db_url)
    assert table.code == 0 and "张三" in table.out and docs[0]["attempt"][:8] in table.out


def test_results_csv_opens_in_a_spreadsheet(db_url, tmp_path, capsysbinary):
    from simulator.cli import main

    replies = write_replies(tmp_path / "r")
    main(["exam", "run", EXAM, "--trainee", "李四, \"小李\"", "--db", db_url, "--quiet", "--replies", *replies])
    capsysbinary.readouterr()
    assert main(["results", "--db", db_url, "--format", "csv"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel and WPS then read the Chinese right
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:3] == ["考试记录", "考试", "学员"]
    assert len(rows) == 2 and rows[1][2] == "李四, \"小李\""  # a comma and quotes survive
    header = rows[0]
    assert rows[1][header.index("状态")] == "已完成"
    assert rows[1][header.index("通过")] in ("是", "否")
    assert rows[1][header.index("总分")].isdigit()


def test_a_bad_line_on_stdin_mid_attempt_marks_it_interrupted(db_url, tmp_path, capsys, monkeypatch):
    import io

    later = write_replies(tmp_path / "r", count=2)
    monkeypatch.setattr("sys.stdin", io.StringIO(REPLIES[0] + "\n[+45] 时间写错了\n"))
    result = kefu(capsys, "exam", "run", EXAM, "--trainee", "张三", "--db", db_url, "--quiet", "--replies", "-", *later)
    assert result.code == 2 and "<stdin>:2" in result.err and "中断" in result.err
    with open_store(db_url) as store:
        [attempt] = store.attempts(exam_id=EXAM)
        record = store.attempt(attempt["id"])
    assert record["status"] == "interrupted" and "回复有误" in record["status_reason"]
    assert REPLIES[0].split("] ", 1)[1] in [t["text"] for t in record["sessions"][0]["turns"]]


def test_practice_records_cannot_be_exported_as_exams(db_url, tmp_path, capsys):
    with open_store(db_url) as store:
        writer = store.begin_attempt(kind="practice", trainee="张三", content={}, seed=1)
    result = kefu(capsys, "export", writer.attempt_id, "--db", db_url, "--out", str(tmp_path / "p.json"))
    assert result.code == 1 and "练习记录" in result.err
