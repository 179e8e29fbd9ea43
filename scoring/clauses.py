"""Clauses and what they do: the reading of a reply below the level of whole-reply cues.

A reply is split into clauses (scoring.analyzer's segments). Each clause gets the modifiers its
words give it (data: scoring/data/clauses.yaml) — someone else's words quoted, a remedy told as
history, a condition that is the customer's demand, the customer as the one who acts, a stated
limit, a hand-off target — and, once the analyzer has found the cues, an `Act` that says what the
clause does (docs/scoring.md §10). The analyzer uses the modifiers to decide which remedies are
offers and which violations are the trainee's own; the engine reads the acts.

Keyword stuffing (cue words strung together with no sentence) is recognised here too: such a
reply earns nothing, and `stuffing_reason` says why in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Clause modifiers, by the lexicon category that marks them.
MODIFIER_CATEGORIES = {
    "clause_quote": "quoted",
    "clause_past": "past",
    "clause_demand_condition": "demand_condition",
    "clause_condition": "conditional",
    "clause_customer_acts": "customer_acts",
    "clause_limit": "limit",
    "handoff_target": "target",
    "clause_filler": "filler",
}

# A remedy in a clause with one of these is not offered by the trainee (§10).
NOT_OFFERED = frozenset({"quoted", "past", "demand_condition", "limit"})
# Violations that a reported clause does not make the trainee's own (同事之前说保证三天到).
QUOTABLE_VIOLATIONS = frozenset({"overpromise", "refusal"})

# Cue categories whose words stuffing strings together (one kind per dimension).
_CUE_GROUPS = {
    "apology": "apology",
    "empathy": "empathy",
    "question": "question",
    "preference": "question",
    "remedy": "solution",
    "firm": "solution",
}
_PERSON = re.compile(r"[您你我咱亲他她]")
_CONTENT = re.compile(r"[0-9a-z\u4e00-\u9fff]")
_FRAGMENT = re.compile(r"[0-9a-z\u4e00-\u9fff]+")


@dataclass
class ClauseMarks:
    """The modifiers of each clause (by clause index) and the hand-off targets found in it."""

    mods: dict[int, set[str]] = field(default_factory=dict)
    targets: dict[int, str] = field(default_factory=dict)

    def of(self, clause: int) -> set[str]:
        """The modifiers of clause `clause` (empty when none)."""
        return self.mods.get(clause, set())

    def has(self, clause: int, *names: str) -> bool:
        """Whether clause `clause` carries any of `names`."""
        marks = self.mods.get(clause)
        return bool(marks) and any(n in marks for n in names)


def mark_clauses(raw_hits: dict, clause_of, norm: str) -> ClauseMarks:
    """Modifiers per clause from the scanned lexicon hits (`clause_of(pos)` gives a clause index)."""
    marks = ClauseMarks()
    for category, name in MODIFIER_CATEGORIES.items():
        for hit in raw_hits.get(category, ()):
            clause = clause_of(hit.start)
            marks.mods.setdefault(clause, set()).add(name)
            if name == "target" and clause not in marks.targets:
                marks.targets[clause] = norm[hit.start:hit.end]
    return marks


def stuffing_reason(norm: str, raw_hits: dict, times: int) -> str:
    """Why the reply is keyword stuffing (Chinese), or '' when it is a reply.

    Stuffing strings cue words of three or more dimensions together with no person in it (no
    您/你/我/亲: nobody does anything to anybody) and almost nothing but cues; or it is a list of
    short fragments that are nearly all cues.
    """
    content = _CONTENT.findall(norm)
    if len(content) < 6:
        return ""
    covered: set[int] = set()
    groups: set[str] = set()
    for category, group in _CUE_GROUPS.items():
        for hit in raw_hits.get(category, ()):
            covered.update(range(hit.start, hit.end))
            groups.add(group)
    if times:
        groups.add("solution")
    cue_chars = sum(1 for i in covered if i < len(norm) and _CONTENT.match(norm[i]))
    coverage = cue_chars / len(content)
    fragments = _FRAGMENT.findall(norm)
    listy = len(fragments) >= 4 and max(len(f) for f in fragments) <= 4
    person = bool(_PERSON.search(norm))
    if len(groups) >= 3 and not person and coverage >= 0.45:
        return "只是把“抱歉、理解、退款、马上”这类词堆在一起，没有完整的句子，说不清谁为顾客做什么：不计分。"
    if listy and len(groups) >= 2 and coverage >= 0.5:
        return "一串零散的关键词，不是在回复顾客：不计分。"
    return ""
