"""Published exams: the version of an exam the lead put on the records server, which every attempt uses.

    publish_exam(store, exam, library, actor)  -> (PublishedExam, created)   # `kefu exam publish ID`
    latest(store, exam_id) / version(store, exam_id, n) -> PublishedExam | None
    published_ids(store) -> {exam_id: latest version}

A version is a snapshot: the exam itself and every scenario it can use (the fixed list, or all a
draw rule may pick) with its persona, each stored by hash in `content_blobs`; the snapshot's own
hash is `published_exams.snapshot_hash`. Publishing what is already the latest version changes
nothing; anything else becomes version n+1, and the older versions stay for the attempts made
under them. An attempt never reads the exam from the trainee's content folders once it is published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from simulator.records.errors import RecordsError
from simulator.records.hashing import data_hash, scenario_content
from simulator.records.schema import content_blobs, published_exams


@dataclass
class PublishedExam:
    """One published version: the exam, and a library holding exactly its scenarios and personas."""

    exam_id: str
    version: int
    exam: Any  # simulator.content.exams.Exam
    library: Any  # simulator.content.library.Library (only this exam's scenarios and personas)
    snapshot_hash: str
    published_by: str
    published_at: datetime
    scenario_hashes: dict[str, str]


def exam_scenarios(exam, scenarios: dict) -> list[str]:
    """Every scenario an exam can put in an attempt, in the library's order."""
    from simulator.content.exams import candidates_for

    if exam.scenarios:
        return list(dict.fromkeys(exam.scenarios))
    wanted: list[str] = []
    for rule in exam.draw:
        wanted += [s for s in candidates_for(rule, scenarios) if s not in wanted]
    return [s for s in scenarios if s in wanted]


def snapshot_of(exam, library) -> tuple[dict, dict[str, dict]]:
    """(snapshot, {scenario hash: scenario content}) of an exam as the library has it now."""
    blobs: dict[str, dict] = {}
    listed = []
    for sid in exam_scenarios(exam, library.scenarios):
        body = scenario_content(library.scenarios[sid], library.persona_of(sid))
        digest = data_hash(body)
        blobs[digest] = body
        listed.append({"id": sid, "hash": digest})
    return {"exam": exam.model_dump(mode="json"), "scenarios": listed}, blobs


def publish_exam(store, exam, library, actor: str) -> tuple[PublishedExam, bool]:
    """Publish the exam as the library has it; (the latest version, whether a new one was made)."""
    from simulator.records.audit import record_event
    from simulator.records.store import check_name

    actor = check_name(actor)
    if store.as_trainee:
        raise RecordsError("只有组长可以发布考试：你以学员身份连接着记录数据库。", exit_code=2)
    snapshot, blobs = snapshot_of(exam, library)
    snapshot_hash = data_hash(snapshot)
    with store.write() as conn:
        if conn.dialect.name == "postgresql":  # two leads publishing at once get consecutive versions
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:e))"), {"e": "publish:" + exam.id})
        row = conn.execute(sa.select(published_exams).where(published_exams.c.exam_id == exam.id)
                           .order_by(published_exams.c.version.desc()).limit(1)).first()
        if row is not None and row.snapshot_hash == snapshot_hash:
            created = False
        else:
            for body in blobs.values():
                store.put_content(conn, "scenario", body)
            store.put_content(conn, "published", snapshot)
            number = 1 if row is None else row.version + 1
            now = store.now()
            conn.execute(published_exams.insert().values(
                exam_id=exam.id, version=number, title=exam.title, attempts=exam.attempts,
                validity_days=exam.validity_days, snapshot_hash=snapshot_hash, published_by=actor, published_at=now))
            record_event(store, conn, action="publish", actor=actor, exam_id=exam.id,
                         detail={"version": number, "snapshot": snapshot_hash})
            created = True
    return latest(store, exam.id), created


def _load(store, conn: sa.Connection, row) -> PublishedExam:
    from simulator.content.exams import Exam
    from simulator.content.library import Library
    from simulator.content.models import Persona, Scenario

    def blob(digest: str) -> dict:
        body = conn.execute(sa.select(content_blobs.c.body).where(content_blobs.c.hash == digest)).scalar()
        if body is None or data_hash(json.loads(body)) != digest:
            raise RecordsError(f"已发布的考试 {row.exam_id} 第 {row.version} 版的内容在数据库里缺失或被改过（{digest[:12]}）。")
        return json.loads(body)

    snapshot = blob(row.snapshot_hash)
    library = Library()
    hashes = {}
    for item in snapshot["scenarios"]:
        body = blob(item["hash"])
        scenario, persona = Scenario.model_validate(body["scenario"]), Persona.model_validate(body["persona"])
        library.scenarios[scenario.id] = scenario
        library.personas[persona.id] = persona
        hashes[scenario.id] = item["hash"]
    from simulator.records.store import utc

    return PublishedExam(row.exam_id, row.version, Exam.model_validate(snapshot["exam"]), library, row.snapshot_hash,
                         row.published_by, utc(row.published_at), hashes)


def latest(store, exam_id: str) -> PublishedExam | None:
    """The latest published version of an exam, or None."""
    return version(store, exam_id, None)


def version(store, exam_id: str, number: int | None) -> PublishedExam | None:
    """Version `number` (None: the latest) of a published exam, or None."""
    query = sa.select(published_exams).where(published_exams.c.exam_id == exam_id)
    query = query.order_by(published_exams.c.version.desc()).limit(1) if number is None \
        else query.where(published_exams.c.version == number)
    with store.read() as conn:
        row = conn.execute(query).first()
        return None if row is None else _load(store, conn, row)


def published_ids(store) -> dict[str, int]:
    """Every published exam id with its latest version."""
    with store.read() as conn:
        rows = conn.execute(sa.select(published_exams.c.exam_id, sa.func.max(published_exams.c.version))
                            .group_by(published_exams.c.exam_id)).all()
    return {exam_id: number for exam_id, number in rows}
