"""Exam attempts as xAPI 1.0.3 statements (one JSON object a line) for an LRS or LMS.

Each finished attempt is one statement: the trainee (an account on the team's kefu homepage) `passed`
or `failed` (ADL verbs) the exam (an activity of type assessment), with result.score scaled/raw/min/max,
success, completion and an ISO 8601 duration; context.registration is the attempt id as a UUID; the
content and scorer hashes are context extensions under EXTENSION_BASE. Attempts still in progress or
interrupted are `attempted` (completion false) so an LMS sees every attempt counted.

The score and verdict sent are the result in effect (simulator.records.verdict.final): the lead's
override or review decision, and a voided attempt is `failed` (success false) with the void's reason
as an extension, never `passed`; an attempt waiting as 待复核 is `attempted` (completion true, no
success) until a lead decides.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

XAPI_VERSION = "1.0.3"
HOMEPAGE = "https://kefu.invalid"
"""The account homepage naming kefu's trainees (xAPI requires an IRL; .invalid never resolves)."""
ACTIVITY_BASE = "https://kefu.invalid/xapi/exams/"
EXTENSION_BASE = "https://kefu.invalid/xapi/extensions/"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
VERBS = {
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "passed", "通过"),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", "failed", "未通过"),
    "attempted": ("http://adlnet.gov/expapi/verbs/attempted", "attempted", "尝试"),
}
NAMESPACE = uuid.UUID("5b7c3a0e-1f2d-4c8e-9a6b-6b6566750000")
"""Statement ids derive from the attempt in this namespace, so exporting twice gives the same ids."""


def registration(attempt_id: str) -> str:
    """The attempt id as a UUID: itself when it is one (32 hex), else a stable uuid5 of it."""
    try:
        return str(uuid.UUID(hex=attempt_id))
    except ValueError:
        return str(uuid.uuid5(NAMESPACE, attempt_id))


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration (PT#H#M#S), seconds to hundredths as xAPI recommends."""
    seconds = max(0.0, round(seconds, 2))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{int(hours)}H"
    if minutes:
        out += f"{int(minutes)}M"
    if secs or out == "PT":
        out += f"{secs:.2f}".rstrip("0").rstrip(".") + "S"
    return out


def _timestamp(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement(attempt: dict[str, Any], override: dict | None = None, void: dict | None = None,
              review: dict | None = None) -> dict[str, Any]:
    """One xAPI statement for an attempt (store.attempts() row); the result in effect is the one sent."""
    from simulator.records.verdict import final

    result_in_effect = final(attempt, override, void, review)
    total, passed = result_in_effect.total, result_in_effect.passed
    finished = attempt["status"] == "completed"
    verb = ("passed" if passed else "failed") if finished and passed is not None else "attempted"
    iri, en, zh = VERBS[verb]
    result: dict[str, Any] = {"completion": finished}
    if finished and total is not None:
        result["score"] = {"scaled": round(total / 100, 4), "raw": total, "min": 0, "max": 100}
        if passed is not None:
            result["success"] = bool(passed)
    end = attempt["finished_at"] or attempt["started_at"]
    result["duration"] = iso_duration((end - attempt["started_at"]).total_seconds())
    extensions = {
        EXTENSION_BASE + "content-hash": attempt["content_hash"],
        EXTENSION_BASE + "scorer-hash": attempt["scorer_hash"],
        EXTENSION_BASE + "last-hash": attempt["last_hash"],
        EXTENSION_BASE + "attempt-number": attempt["number"],
        EXTENSION_BASE + "status": attempt["status"],
    }
    if override:
        extensions[EXTENSION_BASE + "computed-score"] = attempt["total"]
        extensions[EXTENSION_BASE + "override-reason"] = override["reason"]
    if result_in_effect.state != "computed":
        extensions[EXTENSION_BASE + "final-state"] = result_in_effect.state
    if review is not None:
        extensions[EXTENSION_BASE + "review"] = review["action"]
    if void is not None:
        extensions[EXTENSION_BASE + "void-reason"] = void.get("reason")
    return {
        # A void keeps verb and score of a failed attempt: its own id, so an LRS sees a new statement.
        "id": str(uuid.uuid5(NAMESPACE, f"{attempt['id']}/{verb}/{total}" + ("/void" if void is not None else ""))),
        "actor": {"objectType": "Agent", "name": attempt["trainee"],
                  "account": {"homePage": HOMEPAGE, "name": attempt["trainee"]}},
        "verb": {"id": iri, "display": {"en-US": en, "zh-CN": zh}},
        "object": {"objectType": "Activity", "id": ACTIVITY_BASE + attempt["exam_id"],
                   "definition": {"type": ASSESSMENT,
                                  "name": {"zh-CN": attempt["exam_title"] or attempt["exam_id"]}}},
        "result": result,
        "context": {"registration": registration(attempt["id"]), "platform": "kefu",
                    "language": "zh-CN", "extensions": extensions},
        "timestamp": _timestamp(end),
        "version": XAPI_VERSION,
    }
