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
    reasons += outright_failures(exam, sessions)
    return AttemptResult(total, not reasons, breach, reasons)


def outright_failures(exam: Exam, sessions: list[dict]) -> list[str]:
    """One reason per `pass_mark.fail_on` rule that fired in a conversation (fails whatever the total)."""
    from simulator.content.exams import fail_on_rule
    from scoring.rubric import RULES_BY_ID

    wanted = {fail_on_rule(code) for code in exam.pass_mark.fail_on} - {None}
    reasons = []
    for s in sessions:
        for item in s["scorecard"].get("items", []):
            if item.get("dimension") == "deduction" and item.get("rule") in wanted:
                where = f"第{item['turn'] + 1}句回复" if item.get("turn") is not None else "整场"
                reasons.append(f"一票否决：{s['scenario']} {where}出现“{RULES_BY_ID[item['rule']].title}”")
    return reasons


def pass_rules(exam: Exam) -> list[str]:
    """What passing takes and what fails outright, in Chinese: shown before an exam starts."""
    from simulator.content.exams import fail_on_rule
    from scoring.rubric import DIMENSION_NAMES, RULES_BY_ID

    mark = exam.pass_mark
    lines = [f"及格：总分至少 {mark.total}（各场景平均）"]
    for dim, least in mark.dimensions.items():
        lines.append(f"  {DIMENSION_NAMES.get(dim, dim)}平均至少 {least}")
    if mark.no_policy_breach:
        lines.append("  不得有超出店铺政策的承诺")
    if mark.outcomes:
        names = {"resolved": "问题解决", "escalated": "投诉升级", "abandoned": "顾客离开", "unfinished": "提前结束"}
        lines.append(f"  每个场景的结果须为：{'、'.join(names.get(o, o) for o in mark.outcomes)}")
    vetoes = [RULES_BY_ID[r].title for r in (fail_on_rule(c) for c in mark.fail_on) if r is not None]
    if vetoes:
        lines.append(f"一票否决（出现一次即不通过，不论总分）：{'、'.join(vetoes)}")
    if exam.review == "required":
        lines.append("成绩需组长复核后才算数：考完后显示“待复核”")
    return lines


def valid_until(exam: Exam, passed: bool, finished: datetime) -> datetime | None:
    """When a pass expires (None: never, or not passed)."""
    if not passed or exam.validity_days is None:
        return None
    return finished + timedelta(days=exam.validity_days)
