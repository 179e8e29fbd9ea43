"""Trainee roles on a real PostgreSQL server: a trainee connects as themself and can append their own
attempt and read their own results — and nothing else (issue 19 §2)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from simulator.records.store import resolve_url

from records_helpers import EXAM, kefu, run_exam, write_replies


# Trainee roles and row-level security are PostgreSQL's: these tests run on the server only.
pytestmark = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)


@pytest.fixture
def server(db_url):
    """(lead url, {name: role}) for 张三 and 李四; the roles' sessions are ended afterwards."""
    tag = uuid.uuid4().hex[:8]
    names = {"张三": f"zs_{tag}", "李四": f"ls_{tag}"}
    yield db_url, names
    engine = sa.create_engine(resolve_url(db_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN "
                             f"('{names['张三']}', '{names['李四']}')")
    engine.dispose()


def _as(db_url: str, role: str) -> str:
    return sa.engine.make_url(resolve_url(db_url)).set(username=role, password="pw").render_as_string(
        hide_password=False)


def _setup(capsys, lead: str, names: dict[str, str]) -> None:
    for name, role in names.items():
        assert kefu(capsys, "trainee", "add", name, "--role", role, "--password", "pw", "--db", lead,
                    "--lead", "王组长").code == 0
    assert kefu(capsys, "exam", "publish", EXAM, "--db", lead, "--lead", "王组长").code == 0


def _drop_roles(lead: str, names: dict[str, str]) -> None:
    engine = sa.create_engine(resolve_url(lead), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP OWNED BY " + ", ".join(f'"{r}"' for r in names.values()))
    engine.dispose()


def test_a_trainee_role_records_its_own_attempt_and_nothing_else(server, tmp_path, capsys):
    lead, names = server
    _setup(capsys, lead, names)
    replies = write_replies(tmp_path / "r")
    zhang, li = _as(lead, names["张三"]), _as(lead, names["李四"])
    try:
        # Who takes the exam comes from the connection, not from --trainee.
        mine = kefu(capsys, "exam", "run", EXAM, "--db", zhang, "--quiet", "--replies", *replies)
        assert mine.code == 0, mine.err
        assert mine.json()["trainee"] == "张三" and mine.json()["exam_version"] == 1
        spent = run_exam(capsys, zhang, "李四", replies)
        assert spent.code == 2 and "不能以 李四 的名义" in spent.err
        theirs = run_exam(capsys, li, "李四", replies)
        assert theirs.code == 0, theirs.err

        engine = sa.create_engine(resolve_url(zhang))
        with engine.connect() as conn:
            # Reads: own rows only — no colleague's attempt, transcript or result.
            rows = conn.execute(sa.text("SELECT a.id, t.name FROM attempts a JOIN trainees t ON t.id = a.trainee_id")).all()
            assert [r.name for r in rows] == ["张三"]
            own_id = rows[0].id
            assert conn.execute(sa.text("SELECT count(*) FROM turns t JOIN sessions s ON s.id = t.session_id "
                                        "WHERE s.attempt_id <> :a"), {"a": own_id}).scalar() == 0
            assert conn.execute(sa.text("SELECT count(*) FROM trainees")).scalar() == 1
        lead_engine = sa.create_engine(resolve_url(lead))
        with lead_engine.connect() as conn:
            li_id = conn.execute(sa.text("SELECT a.id FROM attempts a JOIN trainees t ON t.id = a.trainee_id "
                                         "WHERE t.name = '李四'")).scalar()
            li_trainee = conn.execute(sa.text("SELECT id FROM trainees WHERE name = '李四'")).scalar()
            before = conn.execute(sa.text("SELECT total, passed FROM attempts WHERE id = :a"), {"a": own_id}).one()
        lead_engine.dispose()

        attacks = [
            "UPDATE attempts SET total = 100, passed = true",
            "UPDATE sessions SET status = 'interrupted'",
            "DELETE FROM turns",
            "UPDATE trainees SET name = '王五'",
            "INSERT INTO overrides (attempt_id, author, total, passed, reason, created_at) "
            f"VALUES ('{own_id}', '张三', 100, true, 'x', now())",
            # spending a colleague's attempt
            "INSERT INTO attempts (id, kind, exam_id, trainee_id, number, status, seed, started_at, heartbeat_at, owner, "
            "content_hash, scorer_hash, kefu_version, last_hash, exam_version, chain) VALUES "
            f"('{uuid.uuid4().hex}', 'exam', '{EXAM}', {li_trainee}, 2, 'in_progress', 1, now(), now(), 'x', 'c', 's', "
            "'v', 'h', 1, 2)",
        ]
        for attack in attacks:
            with engine.connect() as conn:
                with pytest.raises(sa.exc.DBAPIError) as caught:
                    conn.execute(sa.text(attack))
                text = str(caught.value)
                assert "permission denied" in text or "row-level security" in text or "kefu:" in text, (attack, text)
        # The server's functions refuse too: a finished own attempt is not closed again with a better
        # score, a colleague's is not touched, a finished conversation is not re-graded.
        refused = [
            f"SELECT kefu_close_attempt('{own_id}', 'completed', NULL, NULL, now(), 100, true, false, NULL, 'x')",
            f"SELECT kefu_close_attempt('{li_id}', 'interrupted', 'x', NULL, now(), NULL, NULL, NULL, NULL, 'x')",
            "SELECT kefu_finish_session((SELECT min(id) FROM sessions), 'resolved', false, 'customer', 1.0, "
            "'{\"total\": 100}'::json)",
            f"SELECT kefu_touch('{li_id}', NULL)",
        ]
        for call in refused:
            with engine.connect() as conn:
                assert conn.execute(sa.text(call)).scalar() is False, call
                conn.commit()
        engine.dispose()
        lead_engine = sa.create_engine(resolve_url(lead))
        with lead_engine.connect() as conn:
            after = conn.execute(sa.text("SELECT total, passed FROM attempts WHERE id = :a"), {"a": own_id}).one()
            assert tuple(after) == tuple(before)
            assert conn.execute(sa.text("SELECT count(*) FROM attempts a JOIN trainees t ON t.id = a.trainee_id "
                                        "WHERE t.name = '李四'")).scalar() == 1
            assert conn.execute(sa.text("SELECT status FROM attempts WHERE id = :a"), {"a": li_id}).scalar() == "completed"
        lead_engine.dispose()

        # The lead sees both attempts verified against the published version.
        checked = kefu(capsys, "results", "--db", lead, "--verify", "--format", "json")
        assert checked.code == 0
        assert [r["verification"] for r in checked.json()] == ["已核验", "已核验"]
    finally:
        _drop_roles(lead, names)


def test_the_server_holds_the_limit_and_a_grant_adds_one(server, tmp_path, capsys):
    lead, names = server
    _setup(capsys, lead, names)
    replies = write_replies(tmp_path / "r")
    zhang = _as(lead, names["张三"])
    try:
        for _ in range(2):
            assert kefu(capsys, "exam", "run", EXAM, "--db", zhang, "--quiet", "--replies", *replies).code == 0
        refused = kefu(capsys, "exam", "run", EXAM, "--db", zhang, "--quiet", "--replies", *replies)
        assert refused.code == 1 and "已用完" in refused.err
        # Bypassing kefu's own check does not help: the server's trigger counts too.
        engine = sa.create_engine(resolve_url(zhang))
        with engine.connect() as conn:
            me = conn.execute(sa.text("SELECT kefu_me()")).scalar()
            with pytest.raises(sa.exc.DBAPIError, match="kefu:limit"):
                conn.execute(sa.text(
                    "INSERT INTO attempts (id, kind, exam_id, trainee_id, number, status, seed, started_at, heartbeat_at, "
                    "owner, content_hash, scorer_hash, kefu_version, last_hash, exam_version, chain) VALUES "
                    f"('{uuid.uuid4().hex}', 'exam', '{EXAM}', {me}, 3, 'in_progress', 1, now(), now(), 'x', 'c', 's', "
                    "'v', 'h', 1, 2)"))
        engine.dispose()
        # A trainee cannot grant themself an attempt; the lead can.
        assert kefu(capsys, "attempt", "grant", "张三", EXAM, "--reason", "x", "--db", zhang).code == 2
        assert kefu(capsys, "attempt", "grant", "张三", EXAM, "--reason", "停电重考", "--db", lead).code == 0
        assert kefu(capsys, "exam", "run", EXAM, "--db", zhang, "--quiet", "--replies", *replies).code == 0
        assert kefu(capsys, "exam", "run", EXAM, "--db", zhang, "--quiet", "--replies", *replies).code == 1
    finally:
        _drop_roles(lead, names)


def test_a_trainee_role_queues_its_own_review_and_reads_the_same_final_result(server, tmp_path, capsys):
    """Migration 0005: history and results work for a trainee role (they read review_actions), the
    trainee's own connection puts its `review: required` attempt in the queue — and can do no more."""
    lead, names = server
    content = tmp_path / "content"
    (content / "exams").mkdir(parents=True)
    (content / "exams" / "strict.yaml").write_text(
        "id: strict\ntitle: 严格考试\nscenarios: [wig-wrong-color]\npass_mark: {total: 0}\nreview: required\n",
        encoding="utf-8")
    for name, role in names.items():
        assert kefu(capsys, "trainee", "add", name, "--role", role, "--password", "pw", "--db", lead).code == 0
    assert kefu(capsys, "exam", "publish", "strict", "--content", str(content), "--db", lead).code == 0
    zhang = _as(lead, names["张三"])
    try:
        run = kefu(capsys, "exam", "run", "strict", "--content", str(content), "--db", zhang, "--quiet",
                   "--replies", *write_replies(tmp_path / "r", count=1))
        assert run.code == 0, run.err
        attempt = run.json()["attempt"]
        history = kefu(capsys, "history", "--trainee", "张三", "--db", zhang)
        assert history.code == 0 and "待复核" in history.out, history.err
        mine = kefu(capsys, "results", "--db", zhang, "--format", "json")
        assert mine.code == 0 and [r["final_state"] for r in mine.json()] == ["待复核"], mine.err
        engine = sa.create_engine(resolve_url(zhang))
        for values in ("'approve', '张三', NULL, NULL, true", "'pending', 'kefu', NULL, NULL, NULL"):
            with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as caught:
                conn.execute(sa.text("INSERT INTO review_actions (attempt_id, action, author, reason, total, passed, "
                                     f"created_at) VALUES ('{attempt}', {values}, now())"))
            assert "row-level security" in str(caught.value), values
        engine.dispose()
        assert kefu(capsys, "calibrate", "decide", attempt, "approve", "--db", lead).code == 0
        after = kefu(capsys, "results", "--db", zhang, "--format", "json").json()
        assert [(r["final_state"], r["final_passed"]) for r in after] == [("复核通过", True)]
    finally:
        _drop_roles(lead, names)
