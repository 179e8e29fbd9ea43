"""Calibration records: people's blind grades of exam conversations, and the review before a result
counts (issue 16). Tables of migration 0004; like the desk's review, only new rows — a human grade
or a lead's decision never rewrites an attempt, a session or a turn.

    human_grades     one person's grade of one conversation (a sheet row, or the desk's blind grading)
    review_actions   pending → approve | reject | adjust | practise, each with who, when and why

    add_grade(store, session_id, grader, scores, passed, note, source)  -> id
    latest_grades(store, exam_id=None)       -> the latest grade of each (grader, conversation)
    request_review(store, attempt_id)        -> the attempt waits as 待复核
    decide(store, attempt_id, action, author, reason, total=None, passed=None)
    review_states(store, attempt_ids=None)   -> {attempt_id: latest action}
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from simulator.records.audit import record_event

from simulator.records.errors import RecordsError
from simulator.records.schema import attempts, metadata, sessions, trainees
from simulator.records.store import RecordStore, utc

MAX_NAME = 200
MAX_TEXT = 4000
GRADE_FIELDS = ("apology", "empathy", "question", "solution", "total")
FIELD_NAMES = {"apology": "道歉", "empathy": "共情", "question": "提问", "solution": "方案", "total": "总分"}
SOURCES = ("sheet", "desk")
ACTIONS = ("pending", "approve", "reject", "adjust", "practise")
DECISIONS = ACTIONS[1:]
STATE_NAMES = {"pending": "待复核", "approve": "复核通过", "reject": "复核不通过", "adjust": "已改分",
               "practise": "退回练习"}
"""What the trainee and the lead read for each review state."""
SYSTEM_AUTHOR = "kefu"

human_grades = sa.Table(
    "human_grades", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("grader", sa.String(200), nullable=False),
    sa.Column("apology", sa.Integer, nullable=True),
    sa.Column("empathy", sa.Integer, nullable=True),
    sa.Column("question", sa.Integer, nullable=True),
    sa.Column("solution", sa.Integer, nullable=True),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("source", sa.String(16), nullable=False),  # 'sheet' | 'desk'
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_human_grades_session", "session_id"),
)

review_actions = sa.Table(
    "review_actions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # pending | approve | reject | adjust | practise
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("total", sa.Integer, nullable=True),  # adjust: the lead's total
    sa.Column("passed", sa.Boolean, nullable=True),  # the result in effect after this action
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_review_actions_attempt", "attempt_id"),
)


def _name(value: str, what: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise RecordsError(f"{what}不能为空。", exit_code=2)
    if len(cleaned) > MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in cleaned):
        raise RecordsError(f"{what}不合适：最多 {MAX_NAME} 个字，不能含控制字符。", exit_code=2)
    return cleaned


def _score(value: Any, what: str, required: bool) -> int | None:
    if value is None:
        if required:
            raise RecordsError(f"{what}不能为空（0 到 100 的整数）。", exit_code=2)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise RecordsError(f"{what}须是 0 到 100 的整数，收到：{value!r}", exit_code=2)
    return value


def add_grade(store: RecordStore, session_id: int, grader: str, scores: dict[str, int | None], passed: bool,
              note: str | None = None, source: str = "sheet") -> int:
    """Record one person's grade of one conversation; a later grade by the same person replaces it in
    reports (both rows are kept)."""
    grader = _name(grader, "评分人")
    if source not in SOURCES:
        raise ValueError(source)
    values = {f: _score(scores.get(f), FIELD_NAMES[f], required=(f == "total")) for f in GRADE_FIELDS}
    note = (note or "").strip()[:MAX_TEXT] or None
    with store.write() as conn:
        attempt_id = conn.execute(sa.select(sessions.c.attempt_id).where(sessions.c.id == session_id)).scalar()
        if attempt_id is None:
            raise RecordsError(f"没有这段对话：{session_id}", exit_code=1)
        return conn.execute(human_grades.insert().values(
            attempt_id=attempt_id, session_id=session_id, grader=grader, passed=bool(passed), note=note,
            source=source, created_at=store.now(), **values).returning(human_grades.c.id)).scalar_one()


def latest_grades(store: RecordStore, exam_id: str | None = None) -> list[dict[str, Any]]:
    """The latest grade of each (grader, conversation), with the conversation's exam and scenario."""
    query = (sa.select(human_grades, attempts.c.exam_id, sessions.c.scenario_id)
             .join(sessions, sessions.c.id == human_grades.c.session_id)
             .join(attempts, attempts.c.id == human_grades.c.attempt_id)
             .order_by(human_grades.c.id))
    if exam_id is not None:
        query = query.where(attempts.c.exam_id == exam_id)
    latest: dict[tuple[str, int], dict[str, Any]] = {}
    with store.read() as conn:
        for row in conn.execute(query):
            item = dict(row._mapping)
            item["created_at"] = utc(item["created_at"])
            latest[(item["grader"], item["session_id"])] = item
    return sorted(latest.values(), key=lambda g: (g["grader"], g["session_id"]))


def request_review(store: RecordStore, attempt_id: str) -> int:
    """The finished attempt waits as 待复核 until a lead decides (exams with `review: required`)."""
    with store.write() as conn:
        return conn.execute(review_actions.insert().values(
            attempt_id=attempt_id, action="pending", author=SYSTEM_AUTHOR, created_at=store.now())
            .returning(review_actions.c.id)).scalar_one()


def decide(store: RecordStore, attempt_id: str, action: str, author: str, reason: str | None,
           total: int | None = None, passed: bool | None = None) -> int:
    """A lead's decision on an attempt waiting as 待复核: approve (the computed result counts), reject
    (not passed), adjust (the lead's total and pass/fail, with a reason) or practise (sent back to
    practise). A reason is required except to approve. Returns the action's id."""
    author = _name(author, "复核人")
    if action not in DECISIONS:
        raise RecordsError(f"复核动作只能是 {'、'.join(DECISIONS)}，收到：{action}", exit_code=2)
    reason = (reason or "").strip()
    if action != "approve" and not reason:
        raise RecordsError(f"{STATE_NAMES[action]}需要写明理由。", exit_code=2)
    if len(reason) > MAX_TEXT:
        raise RecordsError(f"理由太长：最多 {MAX_TEXT} 个字。", exit_code=2)
    if action == "adjust":
        total = _score(total, "改后的总分", required=True)
        if passed is None:
            raise RecordsError("改分时要说明是否通过。", exit_code=2)
    with store.write() as conn:
        row = conn.execute(sa.select(attempts.c.passed, attempts.c.total).where(attempts.c.id == attempt_id)).first()
        if row is None:
            raise RecordsError(f"没有这个考试记录：{attempt_id}", exit_code=1)
        state = conn.execute(sa.select(review_actions.c.action).where(review_actions.c.attempt_id == attempt_id)
                             .order_by(review_actions.c.id.desc()).limit(1)).scalar()
        if state != "pending":
            already = "不需要复核" if state is None else f"已复核（{STATE_NAMES[state]}）"
            raise RecordsError(f"考试记录 {attempt_id[:8]} {already}，不能再{STATE_NAMES[action]}。", exit_code=1)
        effect = {"approve": bool(row.passed), "reject": False, "adjust": bool(passed), "practise": False}[action]
        action_id = conn.execute(review_actions.insert().values(
            attempt_id=attempt_id, action=action, author=author, reason=reason or None,
            total=total if action == "adjust" else None, passed=effect, created_at=store.now())
            .returning(review_actions.c.id)).scalar_one()
        # Every lead action is in the attempt's audit trail, inside the same transaction (issue 19 §3).
        record_event(store, conn, action="review", actor=author, attempt_id=attempt_id, reason=reason or None,
                     detail={"decision": action, "total": total if action == "adjust" else None, "passed": effect})
        return action_id


def review_states(store: RecordStore, attempt_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """The latest review action of each attempt that has one (no entry: the exam needs no review)."""
    query = sa.select(review_actions).order_by(review_actions.c.id)
    if attempt_ids is not None:
        if not attempt_ids:
            return {}
        query = query.where(review_actions.c.attempt_id.in_(list(attempt_ids)))
    out: dict[str, dict[str, Any]] = {}
    with store.read() as conn:
        for row in conn.execute(query):
            item = dict(row._mapping)
            item["created_at"] = utc(item["created_at"])
            out[item["attempt_id"]] = item
    return out


def review_history(store: RecordStore, attempt_id: str) -> list[dict[str, Any]]:
    """Every review action of one attempt, oldest first (who, when, why)."""
    with store.read() as conn:
        rows = conn.execute(sa.select(review_actions).where(review_actions.c.attempt_id == attempt_id)
                            .order_by(review_actions.c.id)).all()
    return [dict(r._mapping) | {"created_at": utc(r.created_at)} for r in rows]


def pending_attempts(store: RecordStore, exam_id: str | None = None) -> list[dict[str, Any]]:
    """Attempts waiting as 待复核 (oldest first), with trainee and result; a voided one waits no more."""
    from simulator.records.lead import voids_by_attempt

    voided = voids_by_attempt(store)
    waiting = [a for a, s in review_states(store).items() if s["action"] == "pending" and a not in voided]
    if not waiting:
        return []
    query = (sa.select(attempts.c.id, attempts.c.exam_id, attempts.c.total, attempts.c.passed,
                       attempts.c.finished_at, trainees.c.name.label("trainee"))
             .join(trainees, trainees.c.id == attempts.c.trainee_id)
             .where(attempts.c.id.in_(waiting)).order_by(attempts.c.finished_at, attempts.c.id))
    if exam_id is not None:
        query = query.where(attempts.c.exam_id == exam_id)
    with store.read() as conn:
        return [dict(r._mapping) | {"finished_at": utc(r.finished_at)} for r in conn.execute(query)]


def add_grades(store: RecordStore, rows: list[dict[str, Any]], source: str = "sheet") -> list[int]:
    """Record many grades in one transaction (a whole sheet, or none of it). Each row: session_id,
    grader, the GRADE_FIELDS, passed, note — already checked by the caller."""
    if source not in SOURCES:
        raise ValueError(source)
    ids = []
    with store.write() as conn:
        owners = {}
        for row in rows:
            sid = row["session_id"]
            if sid not in owners:
                owners[sid] = conn.execute(sa.select(sessions.c.attempt_id).where(sessions.c.id == sid)).scalar()
                if owners[sid] is None:
                    raise RecordsError(f"没有这段对话：{sid}", exit_code=1)
            values = {f: _score(row.get(f), FIELD_NAMES[f], required=(f == "total")) for f in GRADE_FIELDS}
            ids.append(conn.execute(human_grades.insert().values(
                attempt_id=owners[sid], session_id=sid, grader=_name(row["grader"], "评分人"),
                passed=bool(row["passed"]), note=(row.get("note") or "").strip()[:MAX_TEXT] or None,
                source=source, created_at=store.now(), **values).returning(human_grades.c.id)).scalar_one())
    return ids


def exam_conversations(store: RecordStore, exam_id: str | None = None) -> list[dict[str, Any]]:
    """Every graded (finished) conversation of exam attempts, oldest first: the session's scores and
    scorecard, its attempt, trainee, and the pass mark of the exam as it was played (stored content)."""
    import json

    from simulator.records.schema import content_blobs

    query = (sa.select(sessions, attempts.c.exam_id, attempts.c.exam_title, attempts.c.content_hash.label("exam_hash"),
                       attempts.c.started_at.label("attempt_started"), trainees.c.name.label("trainee"))
             .join(attempts, attempts.c.id == sessions.c.attempt_id)
             .join(trainees, trainees.c.id == attempts.c.trainee_id)
             .where(attempts.c.kind == "exam", sessions.c.scorecard.is_not(None), sessions.c.total.is_not(None))
             .order_by(attempts.c.started_at, attempts.c.id, sessions.c.position))
    if exam_id is not None:
        query = query.where(attempts.c.exam_id == exam_id)
    with store.read() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        marks: dict[str, dict] = {}
        for digest in {r["exam_hash"] for r in rows}:
            body = conn.execute(sa.select(content_blobs.c.body).where(content_blobs.c.hash == digest)).scalar()
            content = json.loads(body) if body else {}
            exam = content.get("exam") if isinstance(content, dict) else None
            # Content not written by an exam attempt (e.g. a synthetic cohort) has no pass mark: {}.
            marks[digest] = (exam.get("pass_mark") or {}) if isinstance(exam, dict) else {}
    for r in rows:
        r["pass_mark"] = marks.get(r["exam_hash"], {})
        for k in ("started_at", "finished_at", "attempt_started"):
            r[k] = utc(r[k])
    return rows


def session_turns(store: RecordStore, session_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The lines of many conversations, in order (for the blind sheet and the desk)."""
    from simulator.records.review import turns_by_session

    return turns_by_session(store, session_ids)
