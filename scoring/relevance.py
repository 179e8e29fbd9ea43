"""Whether a reply is about this case: a template claims to handle a problem it never names.

One definition for the grader (scoring.session) and the customer (simulator.engine.reading), so
that the scorecard and the customer's reaction never disagree (issue: "Read what the trainee means"
§2; docs/scoring.md §10).
"""

from __future__ import annotations

import re

from scoring.models import ReplyAnalysis
from scoring.normalize import normalize

# Words of handling: a reply that claims them while naming nothing of the case is a template.
_HANDLING = re.compile(r"处理|解决|安排|反馈|跟进|核实|答复|方案|满意")  # on normalised text: both scripts


def has_specifics(analysis: ReplyAnalysis) -> bool:
    """A remedy with a concrete term (an amount, a percentage, 全额, a time, a named person), or a hand-off naming
    when (超出我的权限…呈报主管，2天内答复您) — about this case even when it names nothing else of it."""
    if analysis.handoff is not None and analysis.handoff.time_frame:
        return True
    return any(r.amount_yuan or r.percent or r.full or r.time_frame or r.to_whom for r in analysis.remedies)


def is_template(analysis: ReplyAnalysis) -> bool:
    """The reply claims to handle the problem ("会尽快为您处理") while naming nothing of the case.

    An apology or sympathy alone is no template (it acknowledges); nor is a vague action on its own
    (我帮您看一下: weak, but answered as such), nor keyword stuffing (no reply at all), nor a reply
    without case context (names_case None).
    """
    if analysis.names_case is not False or analysis.not_a_reply or analysis.violations:
        return False
    if analysis.invites_story and not analysis.remedies:
        return False  # 您说，我听着: listening names nothing by nature (001 平息怨气)
    if has_specifics(analysis):
        return False
    remedies = analysis.remedies
    if remedies and all(r.weak for r in remedies):
        return False
    return (bool(remedies) or analysis.solution > 0 or analysis.commitment
            or bool(_HANDLING.search(normalize(analysis.text))))
