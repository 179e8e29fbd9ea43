"""Issue 21 §6: 我的记录 reads the records with a fixed number of queries, whatever the number of
attempts (it used to run one query per attempt, and a whole transcript per commented one)."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from simulator.records.bulk import generate_cohort
from simulator.records.practice import DB_FILE
from simulator.records.store import open_store
from simulator.tui.screens.history import history_for


def _queries(records_dir, trainee: str) -> tuple[int, str]:
    seen: list[str] = []

    def count(conn, cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        text = history_for(records_dir, trainee)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    return len(seen), text


def _records(folder, attempts: int, comments: int) -> int:
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    folder.mkdir()
    with open_store(str(folder / DB_FILE)) as store:
        generate_cohort(store, trainees=1, attempts=attempts, every=True, start=start, cohorts=1)
        rows = store.attempts(trainee="学员0001", kind=None)
        for a in rows[:comments]:
            turn = next(t for s in store.attempt(a["id"])["sessions"] for t in s["turns"])
            store.add_comment(a["id"], turn["id"], "王组长", f"批注{a['number']}")
    return len(rows)


def test_history_reads_a_fixed_number_of_queries(tmp_path):
    few = _records(tmp_path / "few", attempts=1, comments=1)
    many = _records(tmp_path / "many", attempts=6, comments=3)
    assert many >= 6 * few
    small, _ = _queries(tmp_path / "few", "学员0001")
    large, text = _queries(tmp_path / "many", "学员0001")
    assert large == small  # not one per attempt
    assert text.count("组长批注（王组长）") == 3 and "↳" in text  # the commented turn is quoted
