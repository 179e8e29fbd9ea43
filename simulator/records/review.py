"""The team lead's review of an attempt: comments on turns, a verdict, score overrides.

Each is a new row (tables of migration 0002) and an event in the attempt's audit trail
(simulator/records/audit.py, chained and checked by verify); nothing here rewrites an attempt, a
session or a turn — the computed score stays beside any override, and the latest override is the one
in effect.

    add_comment(store, attempt_id, turn_id, author, text)
    add_verdict(store, attempt_id, author, text)
    add_override(store, attempt_id, author, total, passed, reason)
    review_of(store, attempt_id)  -> {"comments": [...], "verdicts": [...], "overrides": [...]}
    overrides_by_attempt(store)   -> {attempt_id: latest override}
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from simulator.records.audit import record_event
from simulator.records.errors import RecordsError
from simulator.records.names import check_name
from simulator.records.schema import attempts, comments, overrides, sessions, turns, verdicts
from simulator.records.times import utc

RecordStore = Any  # simulator.records.store.RecordStore (not imported: the store imports this module)

MAX_TEXT = 4000


def _text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise RecordsError(f"{what}不能为空。", exit_code=2)
    if len(cleaned) > limit:
        raise RecordsError(f"{what}太长：最多 {limit} 个字。", exit_code=2)
    return cleaned


def _attempt_exists(conn: sa.Connection, attempt_id: str) -> None:
    if conn.execute(sa.select(attempts.c.id).where(attempts.c.id == attempt_id)).scalar() is None:
        raise RecordsError(f"没有这个考试记录：{attempt_id}", exit_code=1)


def add_comment(store: RecordStore, attempt_id: str, turn_id: int, author: str, text: str) -> int:
    """Comment on one turn of the attempt; returns the comment's id. Never changes a score."""
    author, text = check_name(author), _text(text, "评语")
    with store.write() as conn:
        _attempt_exists(conn, attempt_id)
        owner = conn.execute(sa.select(sessions.c.attempt_id).join(turns, turns.c.session_id == sessions.c.id)
                             .where(turns.c.id == turn_id)).scalar()
        if owner != attempt_id:
            raise RecordsError(f"这条对话（{turn_id}）不属于考试记录 {attempt_id[:8]}。", exit_code=2)
        found = conn.execute(comments.insert().values(
            attempt_id=attempt_id, turn_id=turn_id, author=author, text=text, created_at=store.now())
            .returning(comments.c.id)).scalar_one()
        record_event(store, conn, action="comment", actor=author, attempt_id=attempt_id, reason=text,
                     detail={"comment": found, "turn": turn_id})
        return found


def add_verdict(store: RecordStore, attempt_id: str, author: str, text: str) -> int:
    """The lead's verdict on the attempt (the latest one is shown); returns its id."""
    author, text = check_name(author), _text(text, "结论")
    with store.write() as conn:
        _attempt_exists(conn, attempt_id)
        found = conn.execute(verdicts.insert().values(
            attempt_id=attempt_id, author=author, text=text, created_at=store.now())
            .returning(verdicts.c.id)).scalar_one()
        record_event(store, conn, action="verdict", actor=author, attempt_id=attempt_id, reason=text,
                     detail={"verdict": found})
        return found


def add_override(store: RecordStore, attempt_id: str, author: str, total: int, passed: bool, reason: str) -> int:
    """A lead's score for the attempt, with the reason; attempts.total is kept as computed."""
    author, reason = check_name(author), _text(reason, "改分理由")
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= 100:
        raise RecordsError(f"改后的分数须是 0 到 100 的整数，收到：{total!r}", exit_code=2)
    with store.write() as conn:
        _attempt_exists(conn, attempt_id)
        found = conn.execute(overrides.insert().values(
            attempt_id=attempt_id, author=author, total=total, passed=bool(passed), reason=reason,
            created_at=store.now()).returning(overrides.c.id)).scalar_one()
        record_event(store, conn, action="override", actor=author, attempt_id=attempt_id, reason=reason,
                     detail={"override": found, "total": total, "passed": bool(passed)})
        return found


def _rows(conn: sa.Connection, table: sa.Table, attempt_id: str) -> list[dict[str, Any]]:
    out = []
    for row in conn.execute(sa.select(table).where(table.c.attempt_id == attempt_id).order_by(table.c.id)):
        item = dict(row._mapping)
        item["created_at"] = utc(item["created_at"])
        out.append(item)
    return out


def review_of(store: RecordStore, attempt_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every comment, verdict and override of one attempt, oldest first."""
    with store.read() as conn:
        return {"comments": _rows(conn, comments, attempt_id), "verdicts": _rows(conn, verdicts, attempt_id),
                "overrides": _rows(conn, overrides, attempt_id)}


def reviews_of_many(store: RecordStore, attempt_ids: list[str]) -> tuple[dict[str, dict], dict[int, dict]]:
    """The review of every attempt in `attempt_ids` and the turns commented on, in one read: a fixed
    number of queries whatever the number of attempts (我的记录 lists them all; issue 21 §6)."""
    reviews: dict[str, dict[str, list[dict[str, Any]]]] = {
        a: {"comments": [], "verdicts": [], "overrides": []} for a in attempt_ids}
    commented: dict[int, dict[str, Any]] = {}
    if not attempt_ids:
        return reviews, commented
    with store.read() as conn:
        for start in range(0, len(attempt_ids), 5000):  # keep the IN list within every driver's limits
            chunk = attempt_ids[start:start + 5000]
            for key, table in (("comments", comments), ("verdicts", verdicts), ("overrides", overrides)):
                for row in conn.execute(sa.select(table).where(table.c.attempt_id.in_(chunk)).order_by(table.c.id)):
                    item = dict(row._mapping)
                    item["created_at"] = utc(item["created_at"])
                    reviews[item["attempt_id"]][key].append(item)
        turn_ids = sorted({c["turn_id"] for r in reviews.values() for c in r["comments"]})
        for start in range(0, len(turn_ids), 5000):
            for row in conn.execute(sa.select(turns.c.id, turns.c.role, turns.c.text)
                                    .where(turns.c.id.in_(turn_ids[start:start + 5000]))):
                commented[row.id] = dict(row._mapping)
    return reviews, commented


def overrides_by_attempt(store: RecordStore, attempt_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """The override in effect (the latest) for each attempt that has one."""
    query = sa.select(overrides).order_by(overrides.c.attempt_id, overrides.c.id)
    with store.read() as conn:
        rows = conn.execute(query).all()
    wanted = None if attempt_ids is None else set(attempt_ids)
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        if wanted is None or row.attempt_id in wanted:
            latest[row.attempt_id] = dict(row._mapping)
    return latest


def verdicts_by_attempt(store: RecordStore) -> dict[str, dict[str, Any]]:
    """The latest verdict of each attempt that has one."""
    with store.read() as conn:
        rows = conn.execute(sa.select(verdicts).order_by(verdicts.c.attempt_id, verdicts.c.id)).all()
    return {row.attempt_id: dict(row._mapping) for row in rows}


def turns_by_session(store: RecordStore, session_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Every turn of many sessions at once (the report's transcripts), in order."""
    out: dict[int, list[dict[str, Any]]] = {}
    cols = (turns.c.id, turns.c.session_id, turns.c.seq, turns.c.role, turns.c.kind, turns.c.text, turns.c.seconds,
            turns.c.at, turns.c.mood, turns.c.state, turns.c.analysis)
    with store.read() as conn:
        for start in range(0, len(session_ids), 5000):  # keep the IN list within every driver's limits
            chunk = session_ids[start:start + 5000]
            for row in conn.execute(sa.select(*cols).where(turns.c.session_id.in_(chunk))
                                    .order_by(turns.c.session_id, turns.c.seq)):
                out.setdefault(row.session_id, []).append(dict(row._mapping))
    return out


def comments_by_turn(store: RecordStore) -> dict[int, list[dict[str, Any]]]:
    """Every comment, by the turn it is on, oldest first."""
    with store.read() as conn:
        rows = conn.execute(sa.select(comments).order_by(comments.c.id)).all()
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.turn_id, []).append(dict(row._mapping))
    return out
