"""Migration 0002 and the lead's review: comments, verdicts, overrides are new rows; the computed
score is never rewritten; an old (0001) database is refused until `kefu db upgrade`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from desk_cohort import fixed_clock, small_cohort
from records_helpers import kefu

from simulator.records import migrate
from simulator.records.errors import RecordsError
from simulator.records.store import open_store, resolve_url


def test_a_0001_database_is_refused_then_upgraded_with_its_rows_kept(db_url, capsys, tmp_path):
    (tmp_path / "records").mkdir(exist_ok=True)
    engine = sa.create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "0001")
        conn.execute(sa.text("INSERT INTO trainees (name, created_at) VALUES ('张三', '2026-01-01')"))
    engine.dispose()
    with pytest.raises(RecordsError) as caught:
        open_store(db_url)
    assert "kefu db upgrade" in caught.value.message and "0001" in caught.value.message
    result = kefu(capsys, "db", "upgrade", "--db", db_url)
    assert result.code == 0 and "0001" in result.out and migrate.head_revision() in result.out
    with open_store(db_url) as store, store.read() as conn:
        assert conn.execute(sa.text("SELECT name FROM trainees")).scalar() == "张三"
        assert {"comments", "verdicts", "overrides"} <= set(sa.inspect(conn).get_table_names())


def test_comment_verdict_and_override_never_rewrite_the_attempt(db_url):
    with open_store(db_url, now=fixed_clock) as store:
        item = small_cohort(store)[2]
        before = store.attempt(item.id)
        trainee_turn = next(t for t in before["sessions"][0]["turns"] if t["role"] == "trainee")
        store.add_comment(item.id, trainee_turn["id"], "组长", "这里先道歉再问订单号更好")
        store.add_verdict(item.id, "组长", "处理合格，语气需更温和")
        store.add_override(item.id, "组长", 88, True, "顾客原话被误读为威胁，人工复核")
        store.add_override(item.id, "组长", 75, True, "再次复核")
        after = store.attempt(item.id)
        review = store.review_of(item.id)
    assert after == before  # total, passed, last_hash, every turn: unchanged
    assert [c["text"] for c in review["comments"]] == ["这里先道歉再问订单号更好"]
    assert review["comments"][0]["turn_id"] == trainee_turn["id"]
    assert review["verdicts"][0]["text"] == "处理合格，语气需更温和"
    assert [o["total"] for o in review["overrides"]] == [88, 75]  # both kept, the latest is in effect
    assert review["overrides"][0]["created_at"].tzinfo is not None


def test_bad_review_input_is_a_chinese_message(db_url):
    with open_store(db_url, now=fixed_clock) as store:
        items = small_cohort(store)
        a, b = store.attempt(items[0].id), store.attempt(items[2].id)
        with pytest.raises(RecordsError, match="不属于"):
            store.add_comment(a["id"], b["sessions"][0]["turns"][0]["id"], "组长", "评语")
        with pytest.raises(RecordsError, match="不能为空"):
            store.add_override(a["id"], "组长", 80, True, "  ")
        with pytest.raises(RecordsError, match="0 到 100"):
            store.add_override(a["id"], "组长", 101, True, "理由")
        with pytest.raises(RecordsError, match="没有这个考试记录"):
            store.add_verdict("0" * 32, "组长", "结论")
