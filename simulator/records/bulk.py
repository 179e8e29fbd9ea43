"""Writing whole attempts straight into the records, in batches: for a synthetic cohort (bench/,
tests of the desk and the report), never for a real exam — real attempts are written turn by turn.

    generate_cohort(store, trainees=500, exams=EXAMS, attempts=3, seed=1, start=datetime(...))

The values (scores, moods, timings) are drawn from a seeded random.Random: they are data for the
views to show, not the scorer's output. The hash chain is computed as the recorder does, so a
generated attempt is shaped like a real one.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from simulator.records.hashing import chain_hash, chain_start, data_hash, scorer_hash
from simulator.records.schema import attempts, content_blobs, sessions, trainees, turns

DIMENSIONS = ("apology", "empathy", "question", "solution")


@dataclass(frozen=True)
class SyntheticExam:
    """An exam as the generator needs it: id, title, scenario ids, pass mark."""

    id: str
    title: str
    scenarios: tuple[str, ...]
    pass_mark: int = 70
    validity_days: int = 365


EXAMS = (
    SyntheticExam("after-sales-basic", "售后基础认证", ("wig-wrong-color", "lost-parcel", "hotel-sea-view")),
    SyntheticExam("logistics-pro", "物流进阶认证", ("lost-parcel", "wig-wrong-color", "hotel-sea-view")),
    SyntheticExam("complaint-master", "投诉处理认证", ("hotel-sea-view", "lost-parcel", "wig-wrong-color")),
)

CUSTOMER_LINES = ("你们这是什么服务？东西到现在还没到！", "我要的是深棕色，你们发的什么？", "那到底什么时候能解决？",
                  "好吧，那你尽快。", "算了，我要投诉你们。")
TRAINEE_LINES = ("非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？",
                 "我们马上给您补发，运费由我们承担，您看可以吗？", "再次向您道歉，感谢您的耐心。",
                 "您别急，我这边帮您查一下物流。")
ACTS = ("apology", "empathy", "question", "offer", "thanks", "explanation", "request")


@dataclass
class TurnData:
    """One line of a synthetic conversation."""

    role: str
    kind: str
    text: str
    seconds: float | None
    at: float
    mood: int
    state: str
    analysis: dict | None = None


@dataclass
class SessionData:
    """One synthetic conversation with its grade."""

    scenario_id: str
    scenario_title: str
    seed: int
    outcome: str | None
    policy_breach: bool | None
    scores: dict[str, int] | None  # total + DIMENSIONS + deductions, None when unfinished
    turns: list[TurnData] = field(default_factory=list)
    scorecard: dict | None = None


@dataclass
class AttemptData:
    """One synthetic attempt, written by write_attempts."""

    trainee: str
    cohort: str | None
    exam: SyntheticExam
    number: int
    status: str  # completed | interrupted | in_progress
    started_at: datetime
    finished_at: datetime | None
    total: int | None
    passed: bool | None
    policy_breach: bool | None
    seed: int
    sessions: list[SessionData] = field(default_factory=list)
    id: str = ""


def write_attempts(store, items: list[AttemptData]) -> list[str]:
    """Insert the attempts (trainees created as needed) in one transaction; returns their ids."""
    scorer = scorer_hash()
    now = store.now()
    ids = []
    with store.write() as conn:
        names = {a.trainee: a.cohort for a in items}
        known = {r.name: r.id for r in conn.execute(sa.select(trainees.c.id, trainees.c.name)
                                                     .where(trainees.c.name.in_(list(names))))}
        new = [{"name": n, "cohort": c, "created_at": now} for n, c in names.items() if n not in known]
        if new:
            conn.execute(trainees.insert(), new)
            known = {r.name: r.id for r in conn.execute(sa.select(trainees.c.id, trainees.c.name)
                                                         .where(trainees.c.name.in_(list(names))))}
        blobs: dict[str, dict] = {}
        attempt_rows, session_rows, session_turns = [], [], []
        for a in items:
            a.id = a.id or uuid.UUID(int=random.Random(f"{a.trainee}/{a.exam.id}/{a.number}/{a.seed}")
                                     .getrandbits(128)).hex
            ids.append(a.id)
            exam_body = {"exam": a.exam.id, "scenarios": list(a.exam.scenarios)}
            content = data_hash(exam_body)
            blobs[content] = ("exam", exam_body)
            chain = chain_start(a.id, content, scorer)
            for position, s in enumerate(a.sessions):
                body = {"scenario": s.scenario_id}
                digest = data_hash(body)
                blobs[digest] = ("scenario", body)
                rows = []
                for seq, t in enumerate(s.turns):
                    turn = {"seq": seq, "role": t.role, "kind": t.kind, "text": t.text, "seconds": t.seconds,
                            "at": float(t.at), "mood": int(t.mood), "state": t.state, "quick_reply": False}
                    digest_t = chain_hash(chain, position, turn)
                    rows.append(turn | {"analysis": t.analysis, "recorded_at": a.started_at + timedelta(seconds=t.at),
                                        "prev_hash": chain, "hash": digest_t})
                    chain = digest_t
                sc = s.scores or {}
                session_rows.append({
                    "attempt_id": a.id, "position": position, "scenario_id": s.scenario_id,
                    "scenario_title": s.scenario_title, "seed": s.seed, "content_hash": digest,
                    "status": "completed" if s.scores else a.status if a.status != "completed" else "completed",
                    "started_at": a.started_at, "finished_at": a.finished_at,
                    "end_reason": "customer" if s.scores else None, "end_at": s.turns[-1].at if s.turns else None,
                    "outcome": s.outcome, "policy_breach": s.policy_breach, "total": sc.get("total"),
                    **{d: sc.get(d) for d in (*DIMENSIONS, "deductions")}, "scorecard": s.scorecard})
                session_turns.append(rows)
            valid = (a.finished_at + timedelta(days=a.exam.validity_days)) if a.passed else None
            attempt_rows.append({
                "id": a.id, "kind": "exam", "exam_id": a.exam.id, "exam_title": a.exam.title,
                "trainee_id": known[a.trainee], "number": a.number, "status": a.status,
                "status_reason": "程序在考试中途退出（进程已不在）" if a.status == "interrupted" else None,
                "seed": a.seed, "started_at": a.started_at, "finished_at": a.finished_at,
                "heartbeat_at": a.finished_at or a.started_at, "owner": "bulk:0:0", "total": a.total,
                "passed": a.passed, "policy_breach": a.policy_breach, "valid_until": valid,
                "content_hash": content, "scorer_hash": scorer, "kefu_version": "synthetic", "last_hash": chain})
        have = {r[0] for r in conn.execute(sa.select(content_blobs.c.hash).where(content_blobs.c.hash.in_(list(blobs))))}
        from simulator.records.hashing import canonical_json

        missing = [{"hash": h, "kind": k, "body": canonical_json(b)} for h, (k, b) in blobs.items() if h not in have]
        if missing:
            conn.execute(content_blobs.insert(), missing)
        conn.execute(attempts.insert(), attempt_rows)
        session_ids = conn.execute(sessions.insert().returning(sessions.c.id, sort_by_parameter_order=True),
                                   session_rows).scalars().all()
        turn_rows = [row | {"session_id": sid} for sid, rows in zip(session_ids, session_turns) for row in rows]
        if turn_rows:
            conn.execute(turns.insert(), turn_rows)
    return ids


def _conversation(rng: random.Random, finished: bool) -> list[TurnData]:
    mood, at, out = rng.randint(20, 45), 0.0, []
    out.append(TurnData("customer", "opening", rng.choice(CUSTOMER_LINES), None, at, mood, "angry"))
    for _ in range(rng.randint(2, 4) if finished else 1):
        seconds = float(rng.randint(8, 90))
        at += seconds
        acts = rng.sample(ACTS, rng.randint(1, 3))
        text = rng.choice(TRAINEE_LINES)
        out.append(TurnData("trainee", "trainee", text, seconds, at, mood, "angry",
                            {"acts": [{"kind": k, "span": {"text": text, "start": 0, "end": len(text)}} for k in acts]}))
        mood = max(0, min(100, mood + rng.randint(-10, 25)))
        at += 2.0
        out.append(TurnData("customer", "reply", rng.choice(CUSTOMER_LINES), None, at, mood,
                            "calm" if mood > 60 else "angry"))
    return out


def synthetic_attempt(rng: random.Random, trainee: str, cohort: str | None, exam: SyntheticExam, number: int,
                      started_at: datetime, status: str = "completed", skill: float | None = None) -> AttemptData:
    """One attempt with drawn scores around the trainee's `skill`: completed (graded), interrupted or in
    progress (partly played)."""
    skill = rng.gauss(66, 12) if skill is None else skill
    finished = status == "completed"
    played = len(exam.scenarios) if finished else rng.randint(1, len(exam.scenarios))
    items, at_end = [], started_at
    for position, sid in enumerate(exam.scenarios[:played]):
        done = finished or position < played - 1
        scores = None
        card = None
        if done:
            scores = {d: max(0, min(100, round(rng.gauss(skill, 12)))) for d in DIMENSIONS}
            scores["deductions"] = rng.choice((0, 0, 0, 5, 10))
            scores["total"] = max(0, min(100, sum(scores[d] for d in DIMENSIONS) // 4 - scores["deductions"]))
            card = dict(scores, items=[{"dimension": "apology", "points": 10, "turn": 0, "rule": "apology.clear",
                                        "reason": "开头道歉清楚", "quote": "非常抱歉", "better": ""}])
        convo = _conversation(rng, done)
        items.append(SessionData(sid, sid, rng.randrange(2**31), rng.choice(("resolved", "resolved", "escalated"))
                                 if done else None, rng.random() < 0.08 if done else None, scores, convo, card))
        at_end = at_end + timedelta(seconds=convo[-1].at + 30)
    total = passed = breach = None
    if finished:
        total = sum(s.scores["total"] for s in items) // len(items)
        breach = any(s.policy_breach for s in items)
        passed = total >= exam.pass_mark and not breach
    return AttemptData(trainee, cohort, exam, number, status, started_at, at_end if status != "in_progress" else None,
                       total, passed, breach, rng.randrange(2**31), items)


def generate_cohort(store, *, trainees: int = 500, exams: tuple[SyntheticExam, ...] = EXAMS, attempts: int = 3,
                    seed: int = 1, start: datetime, cohorts: int = 5, batch: int = 200, every: bool = False) -> int:
    """A cohort: each trainee takes each exam up to `attempts` times over ~60 days (stopping at a
    pass), or with `every` exactly `attempts` times (the bench's full load); returns attempts written."""
    rng = random.Random(seed)
    pending: list[AttemptData] = []
    written = 0
    for n in range(trainees):
        name = f"学员{n + 1:04d}"
        cohort = f"第{n % cohorts + 1}期"
        skill = rng.gauss(64, 12)
        for exam in exams:
            count = attempts if every or attempts < 2 else rng.choice((0, 1, 2, attempts, attempts))
            when = start + timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
            for number in range(1, count + 1):
                status = rng.choices(("completed", "interrupted", "in_progress"), (90, 8, 2))[0]
                if number < count and status == "in_progress":
                    status = "interrupted"  # only the last attempt can still be running
                pending.append(synthetic_attempt(rng, name, cohort, exam, number, when, status, skill + 4 * number))
                when += timedelta(days=rng.randint(1, 20))
                if pending[-1].passed and not every:
                    break
            if len(pending) >= batch:
                written += len(write_attempts(store, pending))
                pending = []
    if pending:
        written += len(write_attempts(store, pending))
    return written
