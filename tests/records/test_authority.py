"""Certification authority lives in the records and with the lead, not in files and rows a trainee
can write (issue 19 §1, §3, §4): published exams, verify recomputing every verdict, the header and
seal in the hash chain, trusted keys, and one truth in every output."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from simulator.content.paths import builtin_root
from simulator.records.store import open_store, resolve_url

from records_helpers import EXAM, kefu, run_exam, write_replies


def _lax_copy(tmp_path):
    """A trainee's own content folder with a copy of the exam that anyone passes, as often as they like."""
    own = tmp_path / "own" / "exams"
    own.mkdir(parents=True)
    text = (builtin_root() / "exams" / f"{EXAM}.yaml").read_text(encoding="utf-8")
    text = text.replace("total: 70", "total: 0").replace("attempts: 2", "attempts: 99")
    (own / f"{EXAM}.yaml").write_text(text, encoding="utf-8")
    return str(tmp_path / "own")


def test_a_trainees_own_exam_file_cannot_change_a_published_exam(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    published = kefu(capsys, "exam", "publish", EXAM, "--db", db_url, "--lead", "王组长")
    assert published.code == 0 and "第 1 版" in published.out
    again = kefu(capsys, "exam", "publish", EXAM, "--db", db_url, "--lead", "王组长")
    assert again.code == 0 and "没有新建版本" in again.out
    own = _lax_copy(tmp_path)
    refused = kefu(capsys, "--content", own, "exam", "run", EXAM, "--trainee", "郑测试", "--db", db_url, "--quiet",
                   "--replies", *replies)
    assert refused.code == 2 and "已由组长发布" in refused.err and "不能用来考试" in refused.err
    for _ in range(2):
        assert run_exam(capsys, db_url, "郑测试", replies).code == 0
    # Look-alike names are the same trainee: no fresh attempts.
    for look_alike in ("郑\u200b测试", "郑测试\u3000"):
        limited = run_exam(capsys, db_url, look_alike, replies)
        assert limited.code == 1 and "已用完" in limited.err
    with open_store(db_url) as store:
        assert store.attempts_used("郑测试", EXAM) == 2


def test_a_new_version_keeps_the_old_one_for_its_attempts(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    first = run_exam(capsys, db_url, "张三", replies).json()  # first use publishes version 1
    assert first["exam_version"] == 1
    stricter = tmp_path / "lead" / "exams"
    stricter.mkdir(parents=True)
    text = (builtin_root() / "exams" / f"{EXAM}.yaml").read_text(encoding="utf-8").replace("total: 70", "total: 95")
    (stricter / f"{EXAM}.yaml").write_text(text, encoding="utf-8")
    out = kefu(capsys, "--content", str(tmp_path / "lead"), "exam", "publish", EXAM, "--db", db_url, "--lead", "王组长")
    assert out.code == 0 and "第 2 版" in out.out
    second = run_exam(capsys, db_url, "李四", replies).json()  # no --content: the published version 2 decides
    assert second["exam_version"] == 2
    assert second["passed"] is False and any("95" in r for r in second["reasons"])
    checked = kefu(capsys, "results", "--db", db_url, "--verify", "--format", "json")
    assert [r["verification"] for r in checked.json()] == ["已核验", "已核验"]


def _attempt_id(capsys, db_url, tmp_path, trainee="张三") -> str:
    return run_exam(capsys, db_url, trainee, write_replies(tmp_path / "r")).json()["attempt"]


def _sql(db_url: str, statement: str, **params) -> None:
    engine = sa.create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(sa.text(statement), params)
    engine.dispose()


def test_marking_a_failed_attempt_interrupted_and_raising_its_total_is_found(db_url, tmp_path, capsys):
    attempt = _attempt_id(capsys, db_url, tmp_path)
    _sql(db_url, "UPDATE sessions SET status = 'interrupted' WHERE attempt_id = :a AND position = 0", a=attempt)
    _sql(db_url, "UPDATE attempts SET total = 100, passed = :t WHERE id = :a", a=attempt, t=True)
    checked = kefu(capsys, "results", "--db", db_url, "--verify")
    assert checked.code == 0 and "不一致" in checked.out and "已核验" not in checked.out
    bundle = tmp_path / "b.json"
    assert kefu(capsys, "export", attempt, "--db", db_url, "--out", str(bundle)).code == 0
    verified = kefu(capsys, "verify", str(bundle))
    assert verified.code == 1 and "不成立" in verified.out


def test_who_and_when_are_inside_the_hash(db_url, tmp_path, capsys):
    attempt = _attempt_id(capsys, db_url, tmp_path)
    bundle = tmp_path / "b.json"
    assert kefu(capsys, "export", attempt, "--db", db_url, "--out", str(bundle)).code == 0
    assert kefu(capsys, "verify", str(bundle)).code == 0
    original = json.loads(bundle.read_text(encoding="utf-8"))
    for field, value in (("trainee", "李四"), ("valid_until", "2099-01-01T00:00:00.000000+00:00"),
                         ("started_at", "2020-01-01T00:00:00.000000+00:00"), ("number", 1 + original["attempt"]["number"]),
                         ("exam_version", 7), ("finished_at", "2030-01-01T00:00:00.000000+00:00")):
        changed = json.loads(json.dumps(original))
        changed["attempt"][field] = value
        path = tmp_path / f"{field}.json"
        path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        result = kefu(capsys, "verify", str(path))
        assert result.code == 1, (field, result.out)
    # Nor can the header be taken out of the chain by calling it the old (turns-only) chain.
    from simulator.records.hashing import chain_hash, chain_start

    downgraded = json.loads(json.dumps(original))
    a = downgraded["attempt"]
    a["chain"], a["trainee"] = 1, "李四"
    prev = chain_start(a["id"], a["content_hash"], a["scorer_hash"])
    for s in downgraded["sessions"]:
        for t in s["turns"]:
            t["prev_hash"], t["hash"] = prev, chain_hash(prev, s["position"], t, 1)
            prev = t["hash"]
    a["last_hash"] = prev
    path = tmp_path / "downgraded.json"
    path.write_text(json.dumps(downgraded, ensure_ascii=False), encoding="utf-8")
    result = kefu(capsys, "verify", str(path))
    assert result.code == 1 and "旧格式" in result.out


def test_only_a_trusted_key_makes_a_signature_hold(db_url, tmp_path, capsys, monkeypatch):
    attempt = _attempt_id(capsys, db_url, tmp_path)
    # The trainee makes their own key (in their own home) and signs.
    monkeypatch.setenv("KEFU_HOME", str(tmp_path / "trainee-home"))
    assert kefu(capsys, "keys", "init").code == 0
    signed = tmp_path / "signed.json"
    assert kefu(capsys, "export", attempt, "--db", db_url, "--out", str(signed), "--sign").code == 0
    trainee_pub = tmp_path / "trainee-home" / "keys" / "kefu-signing.pub"
    # The lead verifies in the lead's home: that key is not trusted there.
    monkeypatch.setenv("KEFU_HOME", str(tmp_path / "lead-home"))
    result = kefu(capsys, "verify", str(signed))
    assert result.code == 1 and "签名者不受信任" in result.out
    assert kefu(capsys, "keys", "trust", str(trainee_pub)).code == 0
    result = kefu(capsys, "verify", str(signed))
    assert result.code == 0 and "签名成立" in result.out


def test_the_override_void_and_computed_score_agree_in_every_output(db_url, tmp_path, capsys):
    attempt = _attempt_id(capsys, db_url, tmp_path)
    with open_store(db_url) as store:
        computed = store.attempt(attempt)["total"]
        store.add_override(attempt, "王组长", 39, False, "第二题承诺超出政策")
    rows = kefu(capsys, "results", "--db", db_url, "--format", "json").json()
    assert rows[0]["total"] == computed and rows[0]["final_total"] == 39 and rows[0]["final_passed"] is False
    assert rows[0]["override_reason"] == "第二题承诺超出政策" and rows[0]["override_author"] == "王组长"
    table = kefu(capsys, "results", "--db", db_url).out
    assert "39" in table and "最终总分" in table
    xapi = json.loads(kefu(capsys, "results", "--db", db_url, "--format", "xapi").out.splitlines()[0])
    assert xapi["result"]["score"]["raw"] == 39 and xapi["result"]["success"] is False
    bundle = tmp_path / "b.json"
    assert kefu(capsys, "export", attempt, "--db", db_url, "--out", str(bundle)).code == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    assert data["review"]["override"]["total"] == 39 and data["review"]["override"]["reason"] == "第二题承诺超出政策"
    assert data["attempt"]["total"] == computed
    assert kefu(capsys, "verify", str(bundle)).code == 0
    # An override slipped into the bundle (or one taken out) is outside the audit trail: it does not hold.
    data["review"]["overrides"][-1]["total"] = 90
    data["review"]["override"]["total"] = 90
    bundle.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert kefu(capsys, "verify", str(bundle)).code == 1
    # A void: who, when, why — and the attempt certifies no one.
    assert kefu(capsys, "attempt", "void", attempt[:8], "--reason", "考试时看了答案", "--db", db_url,
                "--lead", "王组长").code == 0
    rows = kefu(capsys, "results", "--db", db_url, "--format", "json").json()
    assert rows[0]["voided"] is True and rows[0]["void_reason"] == "考试时看了答案"
    assert kefu(capsys, "attempt", "void", attempt[:8], "--reason", "again", "--db", db_url).code == 1
    with open_store(db_url) as store:
        from simulator.records.audit import events_of

        assert [e["action"] for e in events_of(store, attempt)] == ["override", "void"]


def test_trainees_cohorts_and_grants_on_the_lead_side(db_url, tmp_path, capsys):
    replies = write_replies(tmp_path / "r")
    assert kefu(capsys, "trainee", "add", "王芳", "--db", db_url, "--lead", "王组长").code == 0
    assert kefu(capsys, "trainee", "cohort", "王芳", "2026年12月", "--db", db_url, "--lead", "王组长").code == 0
    listed = kefu(capsys, "trainee", "list", "--db", db_url, "--format", "json").json()
    assert listed == [{"name": "王芳", "cohort": "2026年12月", "role_name": None, "attempts": 0,
                       "created_at": listed[0]["created_at"]}]
    for _ in range(2):
        assert run_exam(capsys, db_url, "王芳", replies).code == 0
    assert run_exam(capsys, db_url, "王芳", replies).code == 1
    with pytest.raises(SystemExit) as missing:  # a reason is required
        kefu(capsys, "attempt", "grant", "王芳", EXAM, "--db", db_url)
    assert missing.value.code == 2
    assert kefu(capsys, "attempt", "grant", "王芳", EXAM, "--reason", "停电", "--db", db_url, "--lead", "王组长").code == 0
    assert run_exam(capsys, db_url, "王芳", replies).code == 0
    # SQLite has no roles; on PostgreSQL a new role needs a password.
    refused = kefu(capsys, "trainee", "add", "王芳", "--role", "wf_no_password", "--db", db_url)
    assert refused.code == 2 and ("SQLite" in refused.err or "--password" in refused.err)


def test_a_comment_made_while_the_attempt_ran_stays_verifiable(db_url, tmp_path, capsys, library, exams):
    from simulator.certify.attempt import ExamAttempt, exam_for_attempt
    from simulator.engine.replay import _ScriptClock

    with open_store(db_url) as store:
        published = exam_for_attempt(store, library, exams, EXAM)
        attempt = ExamAttempt.begin(store, published.library, published.exam, "张三", version=published.version,
                                    heartbeat=False)
        attempt.session(0, _ScriptClock()).start()
        turn_id = store.attempt(attempt.attempt_id)["sessions"][0]["turns"][0]["id"]
        store.add_comment(attempt.attempt_id, turn_id, "王组长", "开场白看一下")  # the lead watches it live
        attempt.interrupt("考生在考试结束前退出了")  # then it closes, with its seal
    bundle = tmp_path / "b.json"
    assert kefu(capsys, "export", attempt.attempt_id, "--db", db_url, "--out", str(bundle)).code == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    assert [e["action"] for e in data["review"]["audit"]] == ["comment"]
    result = kefu(capsys, "verify", str(bundle))
    assert result.code == 0 and "成立" in result.out, result.out
