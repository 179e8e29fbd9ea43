"""The cohort as a team lead reads it: trainees × exams with a status, best and last score, attempts
used and granted; per-dimension averages; score trends. Built from the records' attempts plus the
lead's actions — overrides, review decisions, voids — through simulator.records.verdict, the one
function every output uses for an attempt's result in effect.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from simulator.records.verdict import final

DIMENSIONS = ("apology", "empathy", "question", "solution")
DIMENSION_NAMES = {"apology": "道歉", "empathy": "共情", "question": "提问", "solution": "方案"}
STATUS_NAMES = {"not_started": "未开始", "in_progress": "进行中", "passed": "通过", "failed": "未通过",
                "interrupted": "中断", "expiring": "即将到期", "expired": "已过期", "pending": "待复核",
                "outside": "此期间未考", "voided": "作废"}
"""`outside`: the trainee took this exam, but not in the chosen dates (not the same as never started)."""
EXPIRING = timedelta(days=30)
"""A pass whose validity ends within this many days shows as expiring (time to recertify)."""


@dataclass(frozen=True)
class Filters:
    """What the lead narrowed the cohort to (None: everything)."""

    exam: str | None = None
    cohort: str | None = None
    since: date | None = None
    until: date | None = None

    def keep(self, attempt: dict[str, Any]) -> bool:
        if self.exam is not None and attempt["exam_id"] != self.exam:
            return False
        if self.cohort is not None and (attempt.get("cohort") or "") != self.cohort:
            return False
        day = attempt["started_at"].date()
        return not ((self.since and day < self.since) or (self.until and day > self.until))


def final_of(attempt: dict[str, Any]):
    """The result in effect (records.verdict.Final) of an attempt carrying its override, void and review."""
    return final(attempt, attempt.get("override"), attempt.get("void"), attempt.get("review"))


def effective(attempt: dict[str, Any]) -> tuple[int | None, bool | None]:
    """The score and verdict in effect (records.verdict.final): override or review decision, then a
    void (not passed); waiting as 待复核: no verdict yet."""
    result = final_of(attempt)
    return result.total, result.passed


@dataclass
class Cell:
    """One trainee × exam."""

    trainee: str
    cohort: str | None
    exam: str
    status: str = "not_started"
    attempts: list[dict[str, Any]] = field(default_factory=list)
    granted: int = 0  # extra attempts the lead granted (kefu attempt grant)

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def best(self) -> int | None:
        """The best score in effect (a voided attempt's score does not count, here or in the aggregates)."""
        scores = [effective(a)[0] for a in self.attempts if effective(a)[0] is not None and not a.get("void")]
        return max(scores) if scores else None

    @property
    def last(self) -> int | None:
        for a in reversed(self.attempts):
            if effective(a)[0] is not None and not a.get("void"):
                return effective(a)[0]
        return None

    @property
    def overridden(self) -> bool:
        return any(a.get("override") for a in self.attempts)

    @property
    def voided(self) -> int:
        return sum(1 for a in self.attempts if a.get("void"))


def cell_status(attempts: list[dict[str, Any]], now: datetime) -> str:
    """not_started, in_progress, passed, expiring, expired, pending (待复核), failed or interrupted
    (newest attempt last)."""
    if not attempts:
        return "not_started"
    if any(a["status"] == "in_progress" for a in attempts):
        return "in_progress"
    passes = [a for a in attempts if a["status"] == "completed" and effective(a)[1]]
    if passes:
        until = passes[-1].get("valid_until")
        if until is not None and until < now:
            return "expired"
        if until is not None and until - now <= EXPIRING:
            return "expiring"
        return "passed"
    if any(final_of(a).state == "pending" for a in attempts):
        return "pending"  # issue 16: waits for a lead's review before it counts
    if attempts[-1].get("void"):
        return "voided"  # the latest attempt was voided by the lead and nothing passes
    return "interrupted" if attempts[-1]["status"] == "interrupted" else "failed"


@dataclass
class Cohort:
    """The summary the desk and the report show."""

    exams: dict[str, str]  # id -> title, in order of first attempt
    trainees: dict[str, str | None]  # name -> cohort
    cells: dict[tuple[str, str], Cell]
    attempts: list[dict[str, Any]]

    def pass_rates(self) -> dict[str, tuple[int, int]]:
        """Exam id -> (trainees passed, trainees who took it)."""
        out = {}
        for exam in self.exams:
            took = [c for (t, e), c in self.cells.items() if e == exam and c.used]
            out[exam] = (sum(c.status in ("passed", "expiring", "expired") for c in took), len(took))
        return out

    def dimension_averages(self) -> dict[str, float | None]:
        """Each dimension's average over every graded conversation of the attempts kept."""
        sums, counts = defaultdict(float), defaultdict(int)
        for a in self.attempts:
            if a.get("void"):  # a voided attempt's scores say nothing about the cohort
                continue
            for s in a["sessions"]:
                for d in DIMENSIONS:
                    if s.get(d) is not None:
                        sums[d] += s[d]
                        counts[d] += 1
        return {d: (sums[d] / counts[d] if counts[d] else None) for d in DIMENSIONS}

    def scores(self) -> list[int]:
        """Every graded attempt's score in effect."""
        return [effective(a)[0] for a in self.attempts
                if a["status"] == "completed" and effective(a)[0] is not None and not a.get("void")]

    def trend(self, exam: str | None = None, trainee: str | None = None) -> list[tuple[date, float]]:
        """(week start, average score in effect) per week, oldest first."""
        weeks: dict[date, list[int]] = defaultdict(list)
        for a in self.attempts:
            score = effective(a)[0]
            if score is None or a["status"] != "completed" or a.get("void"):
                continue
            if (exam and a["exam_id"] != exam) or (trainee and a["trainee"] != trainee):
                continue
            day = a["started_at"].date()
            weeks[day - timedelta(days=day.weekday())].append(score)
        return [(w, sum(v) / len(v)) for w, v in sorted(weeks.items())]

    def histogram(self, bins: int = 10) -> list[int]:
        """Counts of scores in [0,10), [10,20), … [90,100]."""
        counts = [0] * bins
        for score in self.scores():
            counts[min(bins - 1, score * bins // 100)] += 1
        return counts


def build_cohort(attempts: list[dict[str, Any]], overrides: dict[str, dict], now: datetime,
                 filters: Filters = Filters(), everyone: dict[str, str | None] | None = None,
                 reviews: dict[str, dict] | None = None, voids: dict[str, dict] | None = None,
                 grants: dict[tuple[str, str], list] | None = None) -> Cohort:
    """Summarise exam attempts (store.attempts()) with overrides (store.overrides_by_attempt()).

    `everyone` (trainee name -> cohort) adds trainees who have not started an exam yet; `reviews`
    (records.calibration.review_states) the review state of attempts whose exam requires one;
    `voids` (records.lead.voids_by_attempt) the voided attempts; `grants`
    (records.lead.grants_by_trainee) the extra attempts granted.
    """
    kept = []
    undated = Filters(filters.exam, filters.cohort)
    took: set[tuple[str, str]] = set()  # (trainee, exam) with an attempt at any date
    for a in attempts:
        if a["kind"] != "exam" or not undated.keep(a):
            continue
        took.add((a["trainee"], a["exam_id"]))
        if filters.keep(a):
            kept.append(a | {"override": overrides.get(a["id"]), "review": (reviews or {}).get(a["id"]),
                             "void": (voids or {}).get(a["id"])})
    exams: dict[str, str] = {}
    people: dict[str, str | None] = {}
    for a in kept:
        exams.setdefault(a["exam_id"], a["exam_title"] or a["exam_id"])
        people.setdefault(a["trainee"], a.get("cohort"))
    if filters.exam and filters.exam not in exams:
        exams[filters.exam] = filters.exam
    for name, cohort in (everyone or {}).items():
        if filters.cohort is None or (cohort or "") == filters.cohort:
            people.setdefault(name, cohort)
    cells: dict[tuple[str, str], Cell] = {}
    for name in people:
        for exam in exams:
            cells[(name, exam)] = Cell(name, people[name], exam, granted=len((grants or {}).get((name, exam), [])))
    for a in kept:
        cells[(a["trainee"], a["exam_id"])].attempts.append(a)
    for key, cell in cells.items():
        cell.status = cell_status(cell.attempts, now)
        if cell.status == "not_started" and key in took:
            cell.status = "outside"
    return Cohort(exams, dict(sorted(people.items())), cells, kept)


SUMMARY_SESSION_COLUMNS = ("id", "attempt_id", "position", "scenario_id", "scenario_title", "status", "outcome",
                           "policy_breach", "total", *DIMENSIONS, "deductions")


def read_summary(store) -> tuple[list[dict[str, Any]], dict[str, dict], dict[str, str | None]]:
    """What the desk's cohort screen needs, read lean: every exam attempt with its conversations'
    scores (no transcripts, no scorecards — parsing those was most of the read), the overrides, and
    every trainee with their cohort. One read transaction."""
    import sqlalchemy as sa

    from simulator.records.schema import attempts, sessions, trainees
    from simulator.records.store import utc

    cols = [attempts.c[k] for k in ("id", "kind", "exam_id", "exam_title", "number", "status", "total", "passed",
                                    "policy_breach", "started_at", "finished_at", "valid_until")]
    with store.read() as conn:
        result = conn.execute(sa.select(*cols, trainees.c.name.label("trainee"), trainees.c.cohort)
                              .join(trainees, trainees.c.id == attempts.c.trainee_id)
                              .where(attempts.c.kind == "exam").order_by(attempts.c.started_at, attempts.c.id))
        keys = list(result.keys())  # once: a mapping per row costs more than the query
        found = []
        by_id: dict[str, dict[str, Any]] = {}
        for row in result:
            a = dict(zip(keys, row))
            for k in ("started_at", "finished_at", "valid_until"):
                a[k] = utc(a[k])
            a["sessions"] = []
            found.append(a)
            by_id[a["id"]] = a
        result = conn.execute(sa.select(*(sessions.c[k] for k in SUMMARY_SESSION_COLUMNS))
                              .join(attempts, attempts.c.id == sessions.c.attempt_id)
                              .where(attempts.c.kind == "exam").order_by(sessions.c.attempt_id, sessions.c.position))
        keys = list(result.keys())
        for row in result:
            s = dict(zip(keys, row))
            owner = by_id.get(s["attempt_id"])
            if owner is not None:
                owner["sessions"].append(s)
        everyone = {r.name: r.cohort for r in conn.execute(sa.select(trainees.c.name, trainees.c.cohort))}
    return found, store.overrides_by_attempt(), everyone


def load_cohort(store, filters: Filters = Filters(), now: datetime | None = None) -> Cohort:
    """The cohort straight from a store (its clock is `now` unless given)."""
    import sqlalchemy as sa

    from simulator.records.schema import trainees

    attempts = store.attempts(exam_id=filters.exam)
    with store.read() as conn:
        everyone = {r.name: r.cohort for r in conn.execute(sa.select(trainees.c.name, trainees.c.cohort))}
    from simulator.records.verdict import lead_facts

    facts = lead_facts(store)
    return build_cohort(attempts, facts.overrides, now or store.now(), filters, everyone, facts.reviews,
                        facts.voids, facts.grants)
