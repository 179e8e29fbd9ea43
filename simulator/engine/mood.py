"""How one reply moves the customer's mood, from the persona's `mood.effects` (0 calm … 100 furious)."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.content.models import MoodEffects

MAX_MOOD = 100
SHORT_REPLY_CHARS = 20  # a reply under this length may read as 冷冰冰 (003 禁区4)


@dataclass(frozen=True)
class MoodInputs:
    """What the mood change depends on; computed from the analysis and the customer before the reply."""

    apology: int
    empathy: int
    question: int
    question_kind: str | None
    offered: bool  # any solution or remedy
    accepted: bool
    reluctant: bool
    refused: bool
    concrete: bool
    beyond_policy: bool
    premature: bool
    repeated: bool
    hollow_apology: bool
    violations: int  # distinct codes
    slow: bool
    short: bool
    ignored_issue: bool
    apologies_before: int
    empathies_before: int
    open_asked_before: bool
    closes: bool = False  # a proper close while the customer waits for it (001 感谢客户)
    amends: bool = False  # an apology after the trainee's own earlier forbidden move: counts as a first apology


def _scaled(effect: int, level: int) -> int:
    # Level 2 is the full effect, level 1 half of it.
    return effect if level >= 2 else int(effect / 2)


def mood_change(e: MoodEffects, m: MoodInputs) -> int:
    """The mood delta of one reply (positive = angrier)."""
    calming = 0
    if m.apology:
        if m.amends:
            calming += e.apology  # owning up to one's own forbidden move: a full apology, however few its words
        elif m.apologies_before == 0:
            calming += _scaled(e.apology, m.apology)
        elif m.apologies_before == 1:
            calming += int(_scaled(e.apology, m.apology) / 2)
    if m.empathy:
        effect = _scaled(e.empathy, m.empathy)
        calming += effect if m.empathies_before < 2 else int(effect / 2)
    if m.question and not (m.question_kind == "closed" and not m.open_asked_before):
        # 001 澄清问题: open questions first; a closed question straight away does not soothe.
        calming += _scaled(e.question, m.question)
    if m.offered:
        if m.premature:
            calming += e.premature_solution
        elif m.accepted:
            calming += e.accepted_remedy
        elif m.refused:
            calming += e.refused_remedy
        elif m.reluctant:
            calming += e.solution
        else:
            calming += int(e.solution / 2)
        if m.beyond_policy:
            calming += e.concession
    elif m.premature:
        calming += e.premature_solution  # an explanation before the customer was heard
    if m.repeated:
        # A canned reply soothes nothing, whatever it says (003 禁区6).
        calming = max(calming, 0) + e.canned_reply
    if m.closes:
        calming += e.close
    delta = calming
    delta += e.violation * m.violations
    if m.hollow_apology:
        delta += e.repeated_apology
    if m.slow:
        delta += e.slow_reply
    if m.short:
        delta += e.short_reply
    if m.ignored_issue:
        delta += e.ignored_issue
    return delta


def clamp(mood: int) -> int:
    """Keep a mood within 0-100."""
    return max(0, min(MAX_MOOD, mood))
