"""The records store on SQLite and PostgreSQL: schema versions, bad databases, attempts, the chain."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from simulator.records import migrate
from simulator.records.errors import AttemptRefused, RecordsError
from simulator.records.hashing import chain_hash, header_start
from simulator.records.store import open_store, resolve_url

from records_helpers import kefu


def _scenario(library, sid="wig-wrong-color"):
    return library.scenarios[sid], library.persona_of(sid)


def test_a_new_database_gets_the_current_schema(db_url):
    with open_store(db_url) as store:
        state = migrate.schema_state(store.engine)
        assert state.current == migrate.head_revision()
        assert store.attempts() == []


def test_sqlite_database_is_in_wal_mode(tmp_path):
    with open_store(str(tmp_path / "k.db")) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_default_database_lives_in_kefu_home(_isolated):
    assert resolve_url() == f"sqlite:///{_isolated / 'kefu.db'}"
    with open_store():
        pass
    assert (_isolated / "kefu.db").is_file()


def test_kefu_db_env_and_postgres_urls_use_psycopg3(monkeypatch):
    monkeypatch.setenv("KEFU_DB", "postgresql://u:p@db.example/kefu")
    assert resolve_url() == "postgresql+psycopg://u:p@db.example/kefu"
    assert resolve_url("postgres://h/db") == "postgresql+psycopg://h/db"


def _set_version(db_url, version):
    engine = sa.create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": version})
    engine.dispose()


def test_a_newer_schema_is_refused_without_writing(db_url):
    open_store(db_url).close()
    _set_version(db_url, "9999")
    with pytest.raises(RecordsError) as caught:
        open_store(db_url)
    assert "比这个 kefu 新" in caught.value.message and "9999" in caught.value.message


def test_an_older_schema_asks_for_kefu_db_upgrade(db_url, monkeypatch, capsys):
    open_store(db_url).close()
    # This kefu's history pretends to have a later head: the database is then one version behind.
    known = set(migrate.known_revisions())  # every real revision (0001, 0002, … whatever was merged)
    monkeypatch.setattr(migrate, "head_revision", lambda: "0099")
    monkeypatch.setattr(migrate, "known_revisions", lambda: known | {"0099"})
    with pytest.raises(RecordsError) as caught:
        open_store(db_url)
    assert "kefu db upgrade" in caught.value.message and "较旧" in caught.value.message
    result = kefu(capsys, "results", "--db", db_url)
    assert result.code == 1 and "kefu db upgrade" in result.err and "Traceback" not in result.err


def test_kefu_db_upgrade_reports_the_version(db_url, capsys):
    result = kefu(capsys, "db", "upgrade", "--db", db_url)
    assert result.code == 0 and migrate.head_revision() in result.out
    again = kefu(capsys, "db", "upgrade", "--db", db_url)
    assert again.code == 0 and "已是最新" in again.out


def test_a_database_of_something_else_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(RecordsError) as caught:
        open_store(str(path))
    assert "不是 kefu 的记录数据库" in caught.value.message


def test_a_file_that_is_not_a_database_is_a_message(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_text("just some text, not SQLite " * 100, encoding="utf-8")
    result = kefu(capsys, "results", "--db", str(path))
    assert result.code == 1 and "不是 kefu 的记录数据库" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("special", ["fifo", "device", "folder"])
def test_special_files_are_refused_as_the_database(tmp_path, special, capsys):
    path = tmp_path / "kefu.db"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    result = kefu(capsys, "results", "--db", str(path))
    assert result.code == 1 and "不是普通文件" in result.err


def test_an_unreachable_server_is_a_message(capsys):
    result = kefu(capsys, "results", "--db", "postgresql://nobody@127.0.0.1:1/kefu")
    assert result.code == 1 and "无法连接记录数据库" in result.err and "Traceback" not in result.err


def test_a_read_only_database_is_a_message_and_nothing_is_written(tmp_path, capsys, library):
    path = tmp_path / "ro.db"
    open_store(str(path)).close()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    with open_store(url) as store:
        assert store.attempts() == []  # reading still works
        scenario, persona = _scenario(library)
        with pytest.raises(RecordsError) as caught:
            store.begin_attempt(kind="exam", trainee="张三", content={"x": 1}, exam_id="e", attempts_allowed=2)
    assert "只读" in caught.value.message


def test_turns_are_hash_chained_and_kept_in_order(db_url, library):
    scenario, persona = _scenario(library)
    with open_store(db_url) as store:
        writer = store.begin_attempt(kind="exam", trainee="李四", content={"exam": "e"}, exam_id="e",
                                     attempts_allowed=3, seed=5)
        session = writer.begin_session(0, scenario, persona, seed=11)
        for n, text in enumerate(["你好", "抱歉", "补发"]):
            session.add_turn(role="trainee" if n % 2 else "customer", kind="trainee" if n % 2 else "opening",
                             text=text, seconds=3.5 if n % 2 else None, at=float(n), mood=50, state="venting")
        record = store.attempt(writer.attempt_id)
    rows = record["sessions"][0]["turns"]
    assert [t["text"] for t in rows] == ["你好", "抱歉", "补发"]
    # The chain starts from the header (who, which exam, which try, when) and covers each line's time.
    prev = header_start(record)
    for t in rows:
        assert t["prev_hash"] == prev and t["hash"] == chain_hash(prev, 0, t, 2)
        prev = t["hash"]
    assert record["last_hash"] == prev


def test_attempt_limit_counts_every_attempt_and_names_the_limit(db_url):
    with open_store(db_url) as store:
        for _ in range(2):
            writer = store.begin_attempt(kind="exam", trainee="王五", content={}, exam_id="e", attempts_allowed=2)
            writer.interrupt("test")
        with pytest.raises(AttemptRefused) as caught:
            store.begin_attempt(kind="exam", trainee="王五", content={}, exam_id="e", attempts_allowed=2)
        assert "2 次" in caught.value.message
        assert store.attempts_used("王五", "e") == 2
        assert [a["number"] for a in store.attempts(exam_id="e")] == [1, 2]


def test_one_attempt_at_a_time_per_trainee_and_exam(db_url):
    with open_store(db_url) as store:
        store.begin_attempt(kind="exam", trainee="赵六", content={}, exam_id="e", attempts_allowed=5)
        with pytest.raises(AttemptRefused) as caught:
            store.begin_attempt(kind="exam", trainee="赵六", content={}, exam_id="e", attempts_allowed=5)
        assert "正在进行" in caught.value.message
        # Another trainee, or another exam, is not affected.
        store.begin_attempt(kind="exam", trainee="钱七", content={}, exam_id="e", attempts_allowed=5)
        store.begin_attempt(kind="exam", trainee="赵六", content={}, exam_id="other", attempts_allowed=5)


def test_the_database_itself_refuses_a_second_attempt_in_progress(db_url):
    # Even a writer that skips the check (an older or modified kefu) cannot insert a second one.
    with open_store(db_url) as store:
        first = store.begin_attempt(kind="exam", trainee="孙八", content={}, exam_id="e", attempts_allowed=5)
        from simulator.records.schema import attempts

        with store.engine.connect() as conn:
            row = dict(conn.execute(sa.select(attempts).where(attempts.c.id == first.attempt_id)).first()._mapping)
        row.update(id="f" * 32, number=2)
        with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
            conn.execute(attempts.insert().values(**row))


def test_an_attempt_whose_process_died_is_interrupted_on_next_open(db_url):
    # A real process starts an attempt and exits without finishing it.
    code = (
        "from simulator.records.store import open_store\n"
        f"s = open_store({db_url!r})\n"
        "w = s.begin_attempt(kind='exam', trainee='周九', content={}, exam_id='e', attempts_allowed=2)\n"
        "print(w.attempt_id)\n"
        "import os; os._exit(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    attempt_id = out.stdout.strip()
    with open_store(db_url) as store:
        record = store.attempt(attempt_id)
        assert record["status"] == "interrupted" and record["status_reason"]
        assert store.attempts_used("周九", "e") == 1  # counted


def test_a_live_writer_on_another_machine_is_left_alone_until_its_lease_ends(db_url):
    from datetime import timedelta

    from simulator.records.store import LEASE

    with open_store(db_url) as store:
        writer = store.begin_attempt(kind="exam", trainee="吴十", content={}, exam_id="e", attempts_allowed=2)
        store.liveness.release(writer.attempt_id)  # as seen from a machine that cannot see its lock file
        assert store.reconcile() == []
        later = store.now() + LEASE + timedelta(seconds=1)
        store.now = lambda: later
        assert store.reconcile() == [writer.attempt_id]


def test_a_live_writer_with_the_same_host_name_and_a_pid_unknown_here_is_not_declared_dead(db_url):
    # Lab PCs and containers share host names: liveness comes from the writer's own lock and heartbeat.
    from simulator.records.owner import host
    from simulator.records.schema import attempts

    code = (
        "import sys\nfrom simulator.records.store import open_store\n"
        f"s = open_store({db_url!r})\n"
        "w = s.begin_attempt(kind='exam', trainee='吴十一', content={}, exam_id='e', attempts_allowed=2)\n"
        "print(w.attempt_id, flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        attempt_id = proc.stdout.readline().strip()
        with open_store(db_url) as store:
            with store.engine.begin() as conn:
                conn.execute(attempts.update().values(owner=f"{host()}:999999999:1"))
            assert store.reconcile() == []
            assert store.attempt(attempt_id)["status"] == "in_progress"
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    with open_store(db_url) as store:  # its process is gone now: its lock says so at once
        assert store.attempt(attempt_id)["status"] == "interrupted"


def test_trainee_names_are_checked(db_url):
    with open_store(db_url) as store:
        for bad in ("", "   ", "\u200b\u3000", "名" * 201):
            with pytest.raises(RecordsError):
                store.begin_attempt(kind="exam", trainee=bad, content={}, exam_id="e", attempts_allowed=1)


def test_names_that_differ_only_by_invisible_or_width_characters_are_one_trainee(db_url):
    with open_store(db_url) as store:
        for look_alike in ("郑测试", "郑\u200b测试", "郑测试\u3000", " 郑\u00a0测试", "郑\x00测试"):
            try:
                store.begin_attempt(kind="exam", trainee=look_alike, content={}, exam_id="e", attempts_allowed=1) \
                    .interrupt("test")
            except AttemptRefused as refused:
                assert "已用完" in refused.message
        assert store.attempts_used("郑\ufeff测试", "e") == 1
        assert [a["trainee"] for a in store.attempts()] == ["郑测试"]


def test_a_full_disk_during_an_exam_is_a_message_and_the_attempt_is_marked(tmp_path, capsys, monkeypatch):
    # SQLite's max_page_count makes the database report SQLITE_FULL exactly as a full disk does.
    from sqlalchemy import event

    from simulator.records import store as store_module

    from records_helpers import EXAM, run_exam, write_replies

    path = tmp_path / "full.db"
    open_store(str(path)).close()
    real_engine = store_module._sqlite_engine

    def capped(url, parsed):
        engine = real_engine(url, parsed)

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {pages + 2}")
            cursor.close()
        return engine

    monkeypatch.setattr(store_module, "_sqlite_engine", capped)
    result = run_exam(capsys, str(path), "张三", write_replies(tmp_path / "r"))
    assert result.code == 1 and "磁盘已满" in result.err and "Traceback" not in result.err
    assert result.out == ""
    monkeypatch.setattr(store_module, "_sqlite_engine", real_engine)
    with open_store(str(path)) as store:
        statuses = [a["status"] for a in store.attempts(exam_id=EXAM)]
    assert "completed" not in statuses  # never a result that looks whole
    assert all(s == "interrupted" for s in statuses)


def test_unknown_database_kinds_are_a_message(capsys):
    result = kefu(capsys, "results", "--db", "mysql://h/db")
    assert result.code == 1 and "不支持的数据库" in result.err


def test_a_heartbeat_keeps_a_quiet_remote_attempt_alive(db_url):
    from datetime import timedelta

    from simulator.records.schema import attempts
    from simulator.records.store import LEASE

    with open_store(db_url) as store:
        writer = store.begin_attempt(kind="exam", trainee="郑一", content={}, exam_id="e", attempts_allowed=2)
        with store.engine.begin() as conn:
            conn.execute(attempts.update().values(owner="elsewhere:1:1"))
        start = store.now()
        store.now = lambda: start + LEASE - timedelta(seconds=5)
        store.heartbeat(writer.attempt_id)
        store.now = lambda: start + LEASE + timedelta(seconds=30)
        assert store.reconcile() == []  # it said it was alive 35 seconds ago


def test_two_imports_of_old_best_scores_do_not_collide(db_url):
    with open_store(db_url) as one, open_store(db_url) as two:
        assert one.import_best("冯二", {"wig": 80}, "imported:x") is True
        assert two.import_best("冯二", {"wig": 80}, "imported:x") is False
        assert two.best_scores("冯二") == {"wig": 80}


def test_many_processes_creating_the_same_new_database_at_once(db_url):
    code = (
        "import sys\n"
        "from simulator.records.store import open_store\n"
        "with open_store(sys.argv[1]) as s:\n"
        "    s.begin_attempt(kind='practice', trainee=sys.argv[2], content={}, seed=1)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url, f"学员{n}"], stderr=subprocess.PIPE, text=True)
             for n in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with open_store(db_url) as store:
        assert len(store.attempts(kind="practice")) == 4


def test_a_database_at_0002_with_attempts_upgrades_to_0003_keeping_them_as_chain_1(db_url, capsys):
    from alembic import command

    from simulator.records.schema import attempts, trainees

    from simulator.records.store import _engine

    engine = _engine(resolve_url(db_url))  # (creates a SQLite file's folder)
    with engine.connect() as conn, conn.begin():
        command.upgrade(migrate._config(conn), "0002")
    with engine.begin() as conn:
        conn.execute(trainees.insert().values(id=1, name="老学员", created_at=sa.func.now()))
        conn.execute(sa.text(
            "INSERT INTO attempts (id, kind, exam_id, trainee_id, number, status, seed, started_at, heartbeat_at, "
            "owner, content_hash, scorer_hash, kefu_version, last_hash, total, passed) VALUES "
            "('a1', 'exam', 'e', 1, 1, 'completed', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'x', 'c', 's', 'v', 'h', "
            "80, :t)"), {"t": True})
    engine.dispose()
    with pytest.raises(RecordsError):  # older: refused until upgraded
        open_store(db_url)
    from records_helpers import kefu

    assert kefu(capsys, "db", "upgrade", "--db", db_url).code == 0
    with open_store(db_url) as store:
        [old] = store.attempts()
        assert old["chain"] == 1 and old["exam_version"] is None and old["total"] == 80
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(attempts.c.chain)).scalar() == 1


def test_a_process_whose_attempt_was_closed_stops_writing_to_it(db_url, library):
    from simulator.records.store import AttemptClosed

    scenario, persona = _scenario(library)
    with open_store(db_url) as store, open_store(db_url) as other:
        writer = store.begin_attempt(kind="exam", trainee="冯十二", content={}, exam_id="e", attempts_allowed=2)
        session = writer.begin_session(0, scenario, persona, seed=1)
        session.add_turn(role="customer", kind="opening", text="你好", seconds=None, at=0.0, mood=50, state="calm")
        other.interrupt(writer.attempt_id, "另一个 kefu 认定它已中断", cause="abandoned")
        with pytest.raises(AttemptClosed):
            session.add_turn(role="trainee", kind="trainee", text="抱歉", seconds=3.0, at=3.0, mood=50, state="calm")
        with pytest.raises(AttemptClosed):
            writer.finish(total=100, passed=True, policy_breach=False)
        record = store.attempt(writer.attempt_id)
    assert [t["text"] for t in record["sessions"][0]["turns"]] == ["你好"]
    assert record["status"] == "interrupted" and record["total"] is None


def test_a_lock_file_is_never_seen_unlocked_while_its_writer_takes_it(tmp_path, monkeypatch):
    # Under load another kefu may look between the writer creating its lock file and locking it: the
    # writer is slow, not dead, and must not be declared gone (its attempt would be interrupted).
    from simulator.records import heartbeat

    writer, other = heartbeat.Liveness(tmp_path), heartbeat.Liveness(tmp_path)
    seen = []
    real_flock = heartbeat.fcntl.flock

    def flock_after_a_look(fd, op):
        if not seen:
            seen.append(other.gone("a1"))  # the other process looks at this very moment
        return real_flock(fd, op)

    monkeypatch.setattr(heartbeat.fcntl, "flock", flock_after_a_look)
    writer.hold("a1")
    monkeypatch.setattr(heartbeat.fcntl, "flock", real_flock)
    assert seen == [None]  # nothing to ask yet: the heartbeat decides, and it is fresh
    assert other.gone("a1") is False  # once there, the file is held
    writer.release("a1")
    assert not list(tmp_path.glob("locks/*"))  # no staging file left behind
