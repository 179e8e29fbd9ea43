"""An attempt's result: the average of its scenarios' totals, checked against the exam's pass mark."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from simulator.content.exams import Exam

DIMENSIONS = ("apology", "empathy", "question", "solution")


@dataclass
class AttemptResult:
    """Total (0-100), pass or fail, and why not (Chinese, one reason a line)."""

    total: int
    passed: bool
    policy_breach: bool
    reasons: list[str] = field(default_factory=list)


def grade_attempt(exam: Exam, sessions: list[dict]) -> AttemptResult:
    """`sessions`: one dict per scenario with outcome, policy_breach and scorecard (a dict)."""
    if not sessions:
        return AttemptResult(0, False, False, ["没有完成任何场景"])
    totals = [s["scorecard"]["total"] for s in sessions]
    total = round(sum(totals) / len(totals))
    breach = any(s["policy_breach"] for s in sessions)
    mark = exam.pass_mark
    reasons = []
    if total < mark.total:
        reasons.append(f"总分 {total} 低于及格分 {mark.total}")
    for dim, least in mark.dimensions.items():
        average = round(sum(s["scorecard"][dim] for s in sessions) / len(sessions))
        if average < least:
            reasons.append(f"{dim} 平均 {average} 低于要求的 {least}")
    if mark.no_policy_breach and breach:
        reasons.append("有承诺超出了店铺政策")
    if mark.outcomes:
        for s in sessions:
            if s["outcome"] not in mark.outcomes:
                reasons.append(f"{s['scenario']} 的结果是 {s['outcome']}，要求 {'/'.join(mark.outcomes)}")
    return AttemptResult(total, not reasons, breach, reasons)


def valid_until(exam: Exam, passed: bool, finished: datetime) -> datetime | None:
    """When a pass expires (None: never, or not passed)."""
    if not passed or exam.validity_days is None:
        return None
    return finished + timedelta(days=exam.validity_days)
