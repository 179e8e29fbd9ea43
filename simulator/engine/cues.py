"""What this customer reacts to (issue 21 §1): a trainer's cues and the reader's acts.

A cue is a content-declared phrase (`cues:` on a persona or a scenario): plain keywords, matched
in simplified or traditional script alike, with a mood change and lines to answer from. A reader
act is something the scorer reads in a reply whatever the case (a breezy tone, a brush-off,
doubting the customer, a review request, a respectful or casual form of address). Both are usable
as machine conditions (`cue:<name>`, and a predicate per act) and as mood effects.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.models import ReplyAnalysis
from scoring.normalize import normalize, normalize_keyword
from simulator.content.models import Cue, MoodEffects, Persona, Scenario
from simulator.content.vocabulary import CUE_PREFIX, READER_ACTS

__all__ = ["CUE_PREFIX", "CueReading", "case_cues", "read_acts", "read_cues"]


def case_cues(persona: Persona, scenario: Scenario) -> list[Cue]:
    """The persona's cues, a scenario cue of the same name replacing the persona's, then the case's own."""
    own = {c.name: c for c in scenario.cues}
    merged = [own.pop(c.name, c) for c in persona.cues]
    return merged + [c for c in scenario.cues if c.name in own]


def read_acts(analysis: ReplyAnalysis, short: bool) -> tuple[str, ...]:
    """The reader acts in this reply, by their condition name (simulator.content.vocabulary.READER_ACTS).

    The acts come from the reader (issue 18); a reader without a given act reads it as absent.
    """
    address = getattr(analysis, "address", None)
    found = {
        "breezy": bool(getattr(analysis, "breezy", False)),
        "brushed_off": bool(getattr(analysis, "brush_off", False)),
        "doubted_customer": bool(getattr(analysis, "doubts_customer", False)),
        "asked_review": bool(getattr(analysis, "asks_review", False)),
        "respectful_address": address == "respectful",
        "casual_address": address == "casual",
        "short_reply": short,
    }
    return tuple(name for name in READER_ACTS if found[name])


_ACT_EFFECTS = {
    "breezy": "breezy", "brushed_off": "brush_off", "doubted_customer": "doubt",
    "asked_review": "review_request", "casual_address": "casual_address",
    "respectful_address": "respectful_address",
}  # short_reply has its own effect in engine.mood (003 禁区4)


def act_mood(effects: MoodEffects, acts: tuple[str, ...]) -> int:
    """The mood change of the reader acts, from the persona's `mood.effects` (all 0 unless written)."""
    return sum(getattr(effects, _ACT_EFFECTS[a]) for a in acts if a in _ACT_EFFECTS)


@dataclass(frozen=True)
class CueReading:
    """The cues one reply hit: their names (file order), the mood they add, the answer to give."""

    names: tuple[str, ...] = ()
    mood: int = 0
    lines: tuple[str, ...] = ()  # the first hit cue with lines: what to answer from
    pool: str = ""  # or the pool to answer from


def read_cues(cues: list[Cue], text: str) -> CueReading:
    """The cues whose keywords occur in `text` (both normalised: simplified, half-width, lower-case)."""
    said = normalize(text)
    hit = [c for c in cues if any((w := normalize_keyword(k)) and w in said for k in c.keywords)]
    answer = next((c for c in hit if c.lines or c.pool), None)
    return CueReading(
        names=tuple(c.name for c in hit),
        mood=sum(c.mood for c in hit),
        lines=tuple(answer.lines) if answer else (),
        pool=answer.pool if answer and not answer.lines else "",
    )
