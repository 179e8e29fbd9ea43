"""Migration 0004: a database at 0002 is upgraded by `kefu db upgrade` and then holds exactly the
calibration tables the code defines (simulator/records/calibration.py); grades are validated."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from records_helpers import kefu


def test_upgrade_from_0002_creates_the_calibration_tables(db_url, capsys):
    from alembic import command

    from simulator.records import migrate
    from simulator.records.calibration import human_grades, review_actions
    from simulator.records.store import _engine, open_store, resolve_url

    engine = _engine(resolve_url(db_url))
    with engine.connect().execution_options(kefu_write=True) as conn:
        with conn.begin():
            command.upgrade(migrate._config(conn), "0002")
    engine.dispose()
    result = kefu(capsys, "calibrate", "report", "--db", db_url)
    assert result.code == 1 and "kefu db upgrade" in result.err  # an older schema is refused, not written
    upgraded = kefu(capsys, "db", "upgrade", "--db", db_url)
    assert upgraded.code == 0 and f"0002 → {migrate.head_revision()}" in upgraded.out  # 0004 and later
    with open_store(db_url) as store:
        inspector = sa.inspect(store.engine)
        for table in (human_grades, review_actions):
            assert {c["name"] for c in inspector.get_columns(table.name)} == {c.name for c in table.columns}


def test_grades_are_checked(db_url):
    from simulator.records.calibration import add_grade
    from simulator.records.errors import RecordsError
    from simulator.records.store import open_store

    with open_store(db_url) as store:
        with pytest.raises(RecordsError, match="没有这段对话"):
            add_grade(store, 12345, "王", {"total": 50}, True)
        with pytest.raises(RecordsError, match="评分人不能为空"):
            add_grade(store, 1, " ", {"total": 50}, True)
        with pytest.raises(RecordsError, match="0 到 100"):
            add_grade(store, 1, "王", {"total": 101}, True)
        with pytest.raises(RecordsError, match="总分不能为空"):
            add_grade(store, 1, "王", {"apology": 3}, True)
