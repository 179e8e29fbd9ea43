"""The one final result of an exam attempt that every output shows (issues 19 §4, 20 §5, 16 §4).

An attempt's result in effect comes from, in this order of authority:

    computed   the scorer's total and pass/fail, kept unchanged in the attempt row
    review     an exam with `review: required`: pending (待复核, no verdict yet) → approve | reject |
               adjust (the lead's total and pass) | practise (sent back to practise: not passed)
    override   the lead's latest override (kefu desk `o`): its total and pass
    void       作废: the attempt certifies no one, whatever its score

The later of an override and a review decision (by time; an override on a tie) sets the score and
the verdict; a void then makes it not passed. `final()` is pure (no database) so the desk, the
report, history, `kefu results` in every format, xAPI and the exported bundle all call the same
function; `lead_facts()` reads what it needs for many attempts in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATE_NAMES = {
    "computed": "按评分", "in_progress": "进行中", "interrupted": "中断", "pending": "待复核",
    "approve": "复核通过", "reject": "复核不通过", "adjust": "复核改分", "practise": "退回练习",
    "override": "组长改分", "void": "作废",
}
"""What a lead or trainee reads for each final state."""


@dataclass(frozen=True)
class Final:
    """An attempt's result in effect and why it is what it is."""

    total: int | None
    passed: bool | None  # None: no verdict (unfinished, or waiting as 待复核)
    state: str  # a key of STATE_NAMES: which of the lead's actions (if any) decided it
    void_reason: str | None = None
    reason: str | None = None  # the override's or the review decision's reason

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def verdict(self) -> str:
        """通过 / 未通过 / 待复核 / 作废 / — : the one word every output shows for the result."""
        if self.state == "void":
            return "作废"
        if self.passed is None:
            return "待复核" if self.state == "pending" else "—"
        return "通过" if self.passed else "未通过"


def _when(row: dict | None):
    """When a lead's action was taken, comparable across sources (naive SQLite times are UTC)."""
    from datetime import datetime

    from simulator.records.times import utc

    value = None if row is None else row.get("created_at")
    return utc(value) if isinstance(value, datetime) else value


def final(attempt: dict[str, Any], override: dict | None = None, void: dict | None = None,
          review: dict | None = None) -> Final:
    """The result in effect of `attempt` (a store.attempts() row) given the lead's latest override,
    the void event (records.lead.voids_by_attempt) and the latest review action
    (records.calibration.review_states)."""
    total, passed = attempt.get("total"), attempt.get("passed")
    state, reason = "computed", None
    if attempt.get("status") in ("in_progress", "interrupted"):
        state = attempt["status"]
    if review is not None:
        action = review["action"]
        state, reason = action, review.get("reason")
        if action == "pending":
            passed = None
        elif action == "adjust":
            total, passed = review["total"], bool(review["passed"])
        else:
            passed = bool(review["passed"])
    if override is not None:
        later = review is None or _when(review) is None or _when(override) is None or _when(override) >= _when(review)
        if later:  # the lead's most recent word is the one in effect
            total, passed, state, reason = override["total"], bool(override["passed"]), "override", override.get("reason")
    if void is not None:  # a voided attempt certifies no one
        return Final(total, False, "void", void.get("reason"), reason)
    return Final(total, passed, state, None, reason)


@dataclass
class LeadFacts:
    """The lead's actions on many attempts, read once: overrides, voids, review states, grants."""

    overrides: dict[str, dict]
    voids: dict[str, dict]
    reviews: dict[str, dict]
    grants: dict[tuple[str, str], list[dict]]

    def final(self, attempt: dict[str, Any]) -> Final:
        aid = attempt["id"]
        return final(attempt, self.overrides.get(aid), self.voids.get(aid), self.reviews.get(aid))

    def granted(self, trainee: str, exam_id: str | None) -> int:
        """Extra attempts granted to a trainee at an exam."""
        return len(self.grants.get((trainee, exam_id), []))


def lead_facts(store, attempt_ids: list[str] | None = None) -> LeadFacts:
    """Read overrides, voids, review states and grants (a few queries, whatever the cohort size)."""
    from simulator.records.calibration import review_states
    from simulator.records.lead import grants_by_trainee, voids_by_attempt

    return LeadFacts(store.overrides_by_attempt(), voids_by_attempt(store), review_states(store, attempt_ids),
                     grants_by_trainee(store))
