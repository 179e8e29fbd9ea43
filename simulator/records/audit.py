"""The audit trail: every lead action, hash-chained per attempt (and one chain for actions on no attempt).

    record_event(store, conn, action=..., actor=..., attempt_id=..., trainee_id=..., exam_id=..., reason=..., detail=...)
    events_of(store, attempt_id) -> [event, …]   oldest first, with prev_hash and hash

An attempt's trail chains after its seal (or, while it is open, its chain head), so `kefu verify`
checks the comments, verdicts, overrides and voids of an exported attempt like its turns. Actions:
publish, trainee (added or mapped), cohort, grant, void, comment, verdict, override.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from simulator.records.hashing import audit_hash
from simulator.records.schema import attempts, audit
from simulator.records.times import utc

ACTIONS = ("publish", "trainee", "cohort", "grant", "void", "comment", "verdict", "override", "review")
NO_ATTEMPT = "0" * 64
"""Where the chain of actions that touch no attempt starts."""


def trail_start(attempt: dict) -> str:
    """What an attempt's first lead action chains to: its seal, or its chain head while it is open."""
    return attempt.get("seal") or attempt["last_hash"]


def record_event(store, conn: sa.Connection, *, action: str, actor: str, attempt_id: str | None = None,
                 trainee_id: int | None = None, exam_id: str | None = None, reason: str | None = None,
                 detail: dict | None = None) -> int:
    """Append one action to its trail inside the caller's transaction; returns its id."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if attempt_id is not None:
        last = conn.execute(sa.select(audit.c.hash).where(audit.c.attempt_id == attempt_id)
                            .order_by(audit.c.id.desc()).limit(1)).scalar()
        if last is None:
            row = conn.execute(sa.select(attempts.c.seal, attempts.c.last_hash).where(attempts.c.id == attempt_id)).first()
            last = trail_start(dict(row._mapping))
    else:
        last = conn.execute(sa.select(audit.c.hash).where(audit.c.attempt_id.is_(None))
                            .order_by(audit.c.id.desc()).limit(1)).scalar() or NO_ATTEMPT
    event = {"action": action, "actor": actor, "reason": reason, "detail": detail, "created_at": store.now(),
             "attempt_id": attempt_id, "exam_id": exam_id}
    return conn.execute(audit.insert().values(
        **event, trainee_id=trainee_id, prev_hash=last, hash=audit_hash(last, event)).returning(audit.c.id)).scalar_one()


def events_of(store, attempt_id: str) -> list[dict[str, Any]]:
    """The audit trail of one attempt, oldest first."""
    with store.read() as conn:
        rows = conn.execute(sa.select(audit).where(audit.c.attempt_id == attempt_id).order_by(audit.c.id)).all()
    out = []
    for row in rows:
        item = dict(row._mapping)
        item["created_at"] = utc(item["created_at"])
        out.append(item)
    return out
