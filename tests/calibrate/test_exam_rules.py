"""Exams a lead can stand behind: outright-fail rules (pass_mark.fail_on), the pass mark shown before
the start, and `review: required` — the result waits as 待复核 until a lead approves, rejects, adjusts
or sends the trainee back to practise, each action recorded with who, when and why."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from records_helpers import kefu, write_replies

POLITE = [
    "[+12s] 亲，非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？我马上帮您查。",
    "[+20s] 我们马上给您补发，运费由我们承担，并跟进物流第一时间告诉您，您看可以吗？",
]
INSULT = POLITE[:1] + ["[+20s] 你是不是傻，我们马上给您补发，运费由我们承担，您看可以吗？"]


def _content(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "content"
    (folder / "exams").mkdir(parents=True, exist_ok=True)
    (folder / "exams" / "strict.yaml").write_text(
        "id: strict\ntitle: 严格考试\nscenarios: [wig-wrong-color]\n" + body, encoding="utf-8")
    return folder


def _run(capsys, content, db, trainee, replies, quiet=True):
    args = ["exam", "run", "strict", "--content", str(content), "--trainee", trainee, "--db", db,
            "--replies", *replies]
    return kefu(capsys, *(args + (["--quiet"] if quiet else [])))


def test_fail_on_fails_outright_whatever_the_total(db_url, tmp_path, capsys):
    content = _content(tmp_path, "pass_mark: {total: 0, fail_on: [insult, policy.breach]}\nattempts: 5\n")
    clean = _run(capsys, content, db_url, "甲", write_replies(tmp_path / "a", POLITE, 1))
    assert clean.code == 0 and clean.json()["passed"] is True  # pass mark 0: passes without an insult
    rude = _run(capsys, content, db_url, "乙", write_replies(tmp_path / "b", INSULT, 1))
    doc = rude.json()
    assert doc["passed"] is False and doc["total"] > 0
    assert any(r.startswith("一票否决：wig-wrong-color 第2句回复出现“人身攻击”") for r in doc["reasons"]), doc["reasons"]
    # The stored attempt agrees, and replaying and re-grading it gives the same verdict.
    out = tmp_path / "rude.json"
    assert kefu(capsys, "export", doc["attempt"], "--db", db_url, "--out", str(out)).code == 0
    verified = kefu(capsys, "verify", str(out))
    assert verified.code == 0, verified.out


def test_pass_rules_are_shown_before_the_start(db_url, tmp_path, capsys):
    content = _content(tmp_path, "pass_mark: {total: 60, dimensions: {empathy: 50}, fail_on: [insult, overpromise]}\n"
                                 "review: required\n")
    shown = kefu(capsys, "exam", "show", "strict", "--content", str(content))
    assert "总分至少 60" in shown.out and "共情平均至少 50" in shown.out
    assert "一票否决（出现一次即不通过，不论总分）：人身攻击、过度承诺" in shown.out
    assert "组长复核" in shown.out
    run = _run(capsys, content, db_url, "丙", write_replies(tmp_path / "c", POLITE, 1), quiet=False)
    assert run.code == 0
    before = run.err.split("已记录第 1 句回复")[0]  # printed before the first reply is recorded
    assert "总分至少 60" in before and "一票否决" in before and "人身攻击" in before


@pytest.mark.parametrize("entry,pattern", [
    ("[insullt]", r":6:13: 一票否决项 'insullt' 不认识；是不是 'insult'"),
    ("[empathy.early]", r"一票否决项 'empathy.early' 不认识"),
    ("[insult, violation.insult]", r"一票否决项 'violation.insult' 重复"),
])
def test_lint_checks_fail_on(tmp_path, capsys, entry, pattern):
    content = _content(tmp_path, f"pass_mark:\n  total: 60\n  fail_on: {entry}\n")
    result = kefu(capsys, "lint", str(content))
    assert result.code == 1
    assert re.search(re.escape(str(content / "exams" / "strict.yaml")) + ".*" + pattern, result.out), result.out


def test_lint_checks_review_value(tmp_path, capsys):
    content = _content(tmp_path, "pass_mark: {total: 60}\nreview: maybe\n")
    result = kefu(capsys, "lint", str(content))
    assert result.code == 1 and "strict.yaml:5" in result.out and "review" in result.out


def test_review_required_waits_until_a_lead_decides(db_url, tmp_path, capsys):
    content = _content(tmp_path, "pass_mark: {total: 0}\nattempts: 5\nreview: required\n")
    replies = write_replies(tmp_path / "r", POLITE, 1)
    docs = [_run(capsys, content, db_url, name, replies).json() for name in ("甲", "乙", "丙", "丁")]
    assert all(d["review"] == "待复核" and d["passed"] is True for d in docs)
    # The trainee sees 待复核 in their own history meanwhile.
    mine = kefu(capsys, "history", "--trainee", "甲", "--db", db_url)
    assert mine.code == 0 and "待复核" in mine.out
    from simulator.desk.cohort import load_cohort
    from simulator.records.store import open_store

    with open_store(db_url) as store:  # the desk and the report: no pass counts while it waits
        assert {c.status for c in load_cohort(store).cells.values()} == {"pending"}
    listed = kefu(capsys, "calibrate", "review", "--db", db_url)
    assert listed.code == 0 and "待复核：4 次考试" in listed.out and all(d["attempt"][:8] in listed.out for d in docs)

    def decide(doc, *args):
        return kefu(capsys, "calibrate", "decide", doc["attempt"][:10], *args, "--db", db_url)

    refused = decide(docs[0], "reject", "--lead", "王组长")
    assert refused.code == 2 and "需要写明理由" in refused.err
    assert decide(docs[0], "adjust", "--reason", "x").code == 2  # adjust needs --total and --passed
    assert decide(docs[0], "approve", "--lead", "王组长").code == 0
    assert decide(docs[1], "reject", "--lead", "王组长", "--reason", "第二句敷衍").code == 0
    assert decide(docs[2], "adjust", "--lead", "李", "--reason", "超时是系统问题", "--total", "55", "--passed", "否").code == 0
    assert decide(docs[3], "practise", "--lead", "李", "--reason", "先练 wig-wrong-color").code == 0
    again = decide(docs[0], "reject", "--reason", "改主意")
    assert again.code == 1 and "已复核（复核通过）" in again.err
    assert "没有待复核的考试" in kefu(capsys, "calibrate", "review", "--db", db_url).out

    from simulator.records.calibration import review_history, review_states

    adjusted = kefu(capsys, "history", "--trainee", "丙", "--db", db_url).out
    assert "【已改分 55 分，未通过（李；超时是系统问题）】" in adjusted and "待复核" not in adjusted
    with open_store(db_url) as store:
        cells = {c.trainee: c for c in load_cohort(store).cells.values()}
        states = review_states(store)
        history = review_history(store, docs[2]["attempt"])
        attempt = store.attempt(docs[2]["attempt"])
    assert [states[d["attempt"]]["action"] for d in docs] == ["approve", "reject", "adjust", "practise"]
    assert [states[d["attempt"]]["passed"] for d in docs] == [True, False, False, False]
    assert [h["action"] for h in history] == ["pending", "adjust"]
    adjust = history[-1]
    assert adjust["author"] == "李" and adjust["reason"] == "超时是系统问题" and adjust["total"] == 55
    assert isinstance(adjust["created_at"], datetime) and adjust["created_at"].tzinfo == timezone.utc
    assert attempt["total"] == docs[2]["total"] and attempt["passed"] is True  # the computed result is kept
    # In effect: approved passes; rejected, adjusted to a fail and sent back to practise do not.
    assert [cells[n].status for n in ("甲", "乙", "丙", "丁")] == ["passed", "failed", "failed", "failed"]
    assert cells["丙"].best == 55


def test_exam_without_review_needs_none(db_url, tmp_path, capsys):
    content = _content(tmp_path, "pass_mark: {total: 0}\n")
    doc = _run(capsys, content, db_url, "甲", write_replies(tmp_path / "r", POLITE, 1)).json()
    assert "review" not in doc
    result = kefu(capsys, "calibrate", "decide", doc["attempt"], "approve", "--db", db_url)
    assert result.code == 1 and "不需要复核" in result.err
