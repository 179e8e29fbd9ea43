"""The lead's actions on a cohort: trainees and their roles, 期次 (cohorts), voids and extra attempts.

    add_trainee(store, name, actor, role=None, password=None)   `kefu trainee add`
    set_cohort(store, name, cohort, actor)                       `kefu trainee cohort NAME 期次`
    list_trainees(store)                                         `kefu trainee list`
    void_attempt(store, attempt_ref, actor, reason)              `kefu attempt void ID --reason …`
    grant_attempt(store, trainee, exam_id, actor, reason)        `kefu attempt grant TRAINEE EXAM --reason …`
    voids_by_attempt(store) / grants_by_trainee(store)           what the desk, report and exports show

Every action is an event in the audit trail (simulator/records/audit.py): a void in the trail of the
attempt it voids, a grant and a cohort change in the trail of actions on no attempt (with the
trainee and exam). A voided attempt keeps its rows and still counts against the limit; a grant
adds one attempt for that trainee and exam. A trainee role may do none of this.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from simulator.records import roles
from simulator.records.audit import record_event
from simulator.records.errors import RecordsError
from simulator.records.names import check_name
from simulator.records.schema import attempts, audit, grants, trainees
from simulator.records.times import utc

MAX_REASON = 2000


def _lead_only(store, what: str) -> None:
    if store.as_trainee:
        raise RecordsError(f"只有组长可以{what}：你以学员身份连接着记录数据库。", exit_code=2)


def _reason(text: str, what: str = "理由") -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise RecordsError(f"请写明{what}（--reason …）。", exit_code=2)
    if len(cleaned) > MAX_REASON:
        raise RecordsError(f"{what}太长：最多 {MAX_REASON} 个字。", exit_code=2)
    return cleaned


def _trainee_row(conn: sa.Connection, name: str):
    row = conn.execute(sa.select(trainees).where(trainees.c.name == name)).first()
    if row is None:
        raise RecordsError(f"没有这名学员：{name}（kefu trainee list 列出全部学员）。")
    return row


def add_trainee(store, name: str, actor: str, role: str | None = None, password: str | None = None) -> dict:
    """Add a trainee (or find one) and, on PostgreSQL, create or map their login role."""
    _lead_only(store, "添加学员")
    name, actor = check_name(name), check_name(actor)
    if role is not None:
        role = roles.check_role(role)
        if store.dialect != "postgresql":
            raise RecordsError("数据库角色只在 PostgreSQL 上有意义；SQLite 上学员不需要 --role。", exit_code=2)
    with store.write() as conn:
        store._trainee_id(conn, name)
        row = _trainee_row(conn, name)
        created_role = False
        if role is not None:
            other = conn.execute(sa.select(trainees.c.name).where(trainees.c.role_name == role)).scalar()
            if other is not None and other != name:
                raise RecordsError(f"数据库角色 {role} 已属于学员 {other}。", exit_code=2)
            created_role = roles.create_or_map_role(conn, role, password)
            conn.execute(trainees.update().where(trainees.c.id == row.id).values(role_name=role))
        record_event(store, conn, action="trainee", actor=actor, trainee_id=row.id,
                     detail={"name": name, "role": role, "role_created": created_role})
    return {"name": name, "role": role, "role_created": created_role}


def set_cohort(store, name: str, cohort: str, actor: str) -> None:
    """Put a trainee into a 期次 (an empty cohort takes them out)."""
    _lead_only(store, "设置期次")
    name, actor = check_name(name), check_name(actor)
    cohort = " ".join((cohort or "").split()) or None
    if cohort is not None and len(cohort) > 200:
        raise RecordsError("期次名称太长：最多 200 个字。", exit_code=2)
    with store.write() as conn:
        row = _trainee_row(conn, name)
        conn.execute(trainees.update().where(trainees.c.id == row.id).values(cohort=cohort))
        record_event(store, conn, action="cohort", actor=actor, trainee_id=row.id,
                     detail={"name": name, "from": row.cohort, "to": cohort})


def list_trainees(store) -> list[dict[str, Any]]:
    """Every trainee with cohort, login role and how many exam attempts they made."""
    counts = (sa.select(attempts.c.trainee_id, sa.func.count().label("n")).where(attempts.c.kind == "exam")
              .group_by(attempts.c.trainee_id).subquery())
    query = (sa.select(trainees.c.name, trainees.c.cohort, trainees.c.role_name, trainees.c.created_at,
                       sa.func.coalesce(counts.c.n, 0).label("attempts"))
             .outerjoin(counts, counts.c.trainee_id == trainees.c.id).order_by(trainees.c.name))
    with store.read() as conn:
        return [{**dict(r._mapping), "created_at": utc(r.created_at)} for r in conn.execute(query)]


def void_attempt(store, attempt_id: str, actor: str, reason: str) -> dict:
    """Void an attempt: it stays, marked 作废 with who, when and why, and no longer certifies anyone."""
    _lead_only(store, "作废考试记录")
    actor, reason = check_name(actor), _reason(reason, "作废理由")
    with store.write() as conn:
        row = conn.execute(sa.select(attempts.c.id, attempts.c.kind, attempts.c.trainee_id, attempts.c.exam_id)
                           .where(attempts.c.id == attempt_id)).first()
        if row is None or row.kind != "exam":
            raise RecordsError(f"没有这条考试记录：{attempt_id}")
        if conn.execute(sa.select(audit.c.id).where(audit.c.attempt_id == attempt_id, audit.c.action == "void")).first():
            raise RecordsError(f"考试记录 {attempt_id[:8]} 已经作废过了。", exit_code=1)
        record_event(store, conn, action="void", actor=actor, attempt_id=attempt_id, trainee_id=row.trainee_id,
                     exam_id=row.exam_id, reason=reason)
    return {"attempt": attempt_id, "actor": actor, "reason": reason}


def grant_attempt(store, trainee: str, exam_id: str, actor: str, reason: str) -> int:
    """One more attempt at an exam for a trainee; returns how many grants they now have for it."""
    _lead_only(store, "加考")
    trainee, actor, reason = check_name(trainee), check_name(actor), _reason(reason, "加考理由")
    with store.write() as conn:
        row = _trainee_row(conn, trainee)
        conn.execute(grants.insert().values(trainee_id=row.id, exam_id=exam_id, author=actor, reason=reason,
                                            created_at=store.now()))
        record_event(store, conn, action="grant", actor=actor, trainee_id=row.id, exam_id=exam_id, reason=reason)
        return conn.execute(sa.select(sa.func.count()).select_from(grants).where(
            grants.c.trainee_id == row.id, grants.c.exam_id == exam_id)).scalar_one()


def voids_by_attempt(store) -> dict[str, dict[str, Any]]:
    """{attempt id: the void event (actor, reason, created_at)} for every voided attempt."""
    with store.read() as conn:
        rows = conn.execute(sa.select(audit).where(audit.c.action == "void").order_by(audit.c.id)).all()
    return {r.attempt_id: {**dict(r._mapping), "created_at": utc(r.created_at)} for r in rows}


def grants_by_trainee(store) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """{(trainee name, exam id): [grant, …]} oldest first."""
    query = (sa.select(grants, trainees.c.name.label("trainee")).join(trainees, trainees.c.id == grants.c.trainee_id)
             .order_by(grants.c.id))
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with store.read() as conn:
        for r in conn.execute(query):
            out.setdefault((r.trainee, r.exam_id), []).append({**dict(r._mapping), "created_at": utc(r.created_at)})
    return out
