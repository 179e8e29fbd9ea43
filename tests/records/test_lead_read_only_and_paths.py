"""Issue 20 §1–§2: reading never writes, the desk survives a database going away, files are written
only where asked. Real commands on real SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import sqlalchemy as sa
from desk_cohort import NOW, fixed_clock, settle, small_cohort
from records_helpers import kefu

from simulator.records.schema import attempts
from simulator.records.store import open_store, resolve_url


def _orphan(store) -> str:
    """An in-progress attempt whose writer is gone (a crash): only a writer may mark it interrupted."""
    with store.write() as conn:
        row = conn.execute(sa.select(attempts.c.id).where(attempts.c.status == "in_progress")).first()
        conn.execute(attempts.update().where(attempts.c.id == row.id)
                     .values(owner="gone-host:1", heartbeat_at=NOW - timedelta(days=2)))
    return row.id


def _status(url: str, attempt_id: str) -> str:
    engine = sa.create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(attempts.c.status).where(attempts.c.id == attempt_id)).scalar_one()
    finally:
        engine.dispose()


def test_reading_commands_never_write(db_url, tmp_path, capsys):
    with open_store(db_url, now=fixed_clock) as store:
        items = small_cohort(store, xss=False)
        orphan = _orphan(store)
    sqlite_file = None if "://" in db_url else tmp_path / "records" / "kefu.db"
    before = sqlite_file.read_bytes() if sqlite_file else None
    for args in (["results"], ["results", "--format", "csv"], ["history", "--trainee", items[0].trainee],
                 ["report", "--out", str(tmp_path / "r.html")], ["writeup", items[0].id, "--out", str(tmp_path / "c.md")],
                 ["export", items[0].id, "--out", str(tmp_path / "b.json")]):
        result = kefu(capsys, *args, "--db", db_url)
        assert result.code == 0, (args, result.err)
    assert _status(db_url, orphan) == "in_progress"  # housekeeping waits for a writer
    if sqlite_file:
        assert sqlite_file.read_bytes() == before
    assert kefu(capsys, "exam", "list").code == 0
    with open_store(db_url, now=fixed_clock):  # a writer opens it: now the orphan is marked
        pass
    assert _status(db_url, orphan) == "interrupted"


def test_a_mistyped_sqlite_path_is_an_error_not_a_new_database(tmp_path, capsys):
    missing = tmp_path / "nope" / "kefu.db"
    for args in (["results"], ["history", "--trainee", "王芳"], ["report", "--out", str(tmp_path / "r.html")],
                 ["export", "abcd1234", "--out", str(tmp_path / "b.json")]):
        result = kefu(capsys, *args, "--db", str(missing))
        assert result.code == 1 and "记录数据库不存在" in result.err and "Traceback" not in result.err, args
    assert not missing.exists() and not missing.parent.exists()


def test_a_read_only_sqlite_copy_can_be_read(tmp_path, capsys):
    """A copy on read-only media: opened `immutable`, read, never touched."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "kefu.db"
    with open_store(str(db), now=fixed_clock) as store:
        small_cohort(store, xss=False)
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:  # fold the WAL in, as a copy would be
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    for extra in folder.glob("kefu.db-*"):
        extra.unlink()
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    try:
        result = kefu(capsys, "results", "--db", str(db))
        assert result.code == 0 and "王芳" in result.out, result.err
        assert sorted(p.name for p in folder.iterdir()) == ["kefu.db"]
    finally:
        os.chmod(folder, 0o755)


def test_writes_go_only_where_asked(tmp_path, capsys):
    db = tmp_path / "kefu.db"
    with open_store(str(db), now=fixed_clock) as store:
        items = small_cohort(store, xss=False)
    before = db.read_bytes()
    wal = db.with_name(db.name + "-wal")
    for args in (["report", "--out", str(db)], ["export", items[0].id, "--out", str(db)],
                 ["writeup", items[0].id, "--out", str(db)], ["report", "--out", str(wal)],
                 ["writeup", items[0].id, "--out", str(tmp_path / "." / "kefu.db")]):
        result = kefu(capsys, *args, "--db", str(db))
        assert result.code == 2 and "记录数据库本身" in result.err, (args, result.err)
    assert db.read_bytes() == before
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    for args in (["report", "--out", str(link)], ["export", items[0].id, "--out", str(link)]):
        result = kefu(capsys, *args, "--db", str(db))
        assert result.code == 2 and "符号链接" in result.err, (args, result.err)
    assert target.read_text(encoding="utf-8") == "keep" and link.is_symlink()
    schema_dir = tmp_path / "schemas"
    schema_dir.mkdir()
    (schema_dir / "persona.schema.json").symlink_to(target)
    assert kefu(capsys, "schema", "--out", str(schema_dir)).code == 1
    assert target.read_text(encoding="utf-8") == "keep"


def test_keys_init_never_writes_through_a_link(tmp_path, capsys):
    from simulator.certify.keys import PRIVATE_FILE, PUBLIC_FILE

    target = tmp_path / "elsewhere.txt"
    target.write_text("keep", encoding="utf-8")
    for name in (PRIVATE_FILE, PUBLIC_FILE):
        folder = tmp_path / name.replace(".", "_")
        folder.mkdir()
        (folder / name).symlink_to(target)
        result = kefu(capsys, "keys", "init", "--out", str(folder))
        assert result.code != 0 and "Traceback" not in result.err, result.err
        assert target.read_text(encoding="utf-8") == "keep"


def test_an_exam_id_that_is_a_path_is_refused_by_lint(tmp_path, capsys):
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "exams" / "after-sales-basic.yaml"
    folder = tmp_path / "content" / "exams"
    folder.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    for n, bad in enumerate(("../../x", "a/b", "..", ".hidden", "x\x1b[2J")):
        (folder / f"bad{n}.yaml").write_text(text.replace("id: after-sales-basic", f'id: "{bad}"'.replace("\x1b", "\\e"), 1),
                                            encoding="utf-8")
    result = kefu(capsys, "lint", str(tmp_path / "content"))
    assert result.code == 1
    assert result.out.count("不合适") == 5 and "\x1b" not in result.out, result.out


def test_the_desk_write_up_stays_in_its_folder():
    from simulator.desk.writeup import case_file_name

    assert case_file_name({"exam_id": "../../x", "id": "ab" * 16}) == "x-abababab.md"
    assert "/" not in case_file_name({"exam_id": "a/../../b", "id": "cd" * 16})


async def test_the_desk_recovers_when_the_database_goes_away(db_url, tmp_path):
    from textual.widgets import DataTable, Static

    from simulator.tui.desk.app import DeskApp

    with open_store(db_url, now=fixed_clock) as store:
        small_cohort(store, xss=False)
    name = sa.engine.make_url(resolve_url(db_url)).database
    admin = None
    if "://" in db_url:
        admin = sa.create_engine(resolve_url(os.environ["KEFU_TEST_PG_URL"]), isolation_level="AUTOCOMMIT")

    def go_away():
        if admin is None:  # the file is gone and a folder stands in its place: nothing can be opened there
            os.replace(name, name + ".away")
            os.mkdir(name)
        else:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                                     (name,))

    def come_back():
        if admin is None:
            os.rmdir(name)
            os.replace(name + ".away", name)
        else:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    with open_store(db_url, now=fixed_clock, housekeeping=False) as store:
        app = DeskApp(store, cases_dir=tmp_path / "cases", animations=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            rows = screen.query_one("#cohort-table", DataTable).row_count
            assert rows
            go_away()
            store.engine.dispose()  # the server dropped every connection
            await pilot.press("r")
            await settle(pilot)
            notice = screen.query_one("#desk-notice", Static)
            assert notice.display and "记录数据库暂时无法使用" in str(notice.render())
            assert screen.query_one("#cohort-table", DataTable).row_count == rows  # what was read stays
            come_back()
            store.engine.dispose()
            await pilot.press("r")
            await settle(pilot)
            assert not notice.display
            assert any("已恢复" in str(n.message) for n in app._notifications)
        assert app.return_code in (None, 0)
    if admin is not None:
        admin.dispose()
