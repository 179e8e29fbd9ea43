"""The apology and empathy stage of scoring.analyzer: a level and the cue that decided it."""

from __future__ import annotations

import re

from scoring.lexicon import Hit

__all__ = ["level_of", "empathy_hits"]

# Right before 让您失望: an apology whose object the feeling is (很抱歉让您失望了), not sympathy.
_APOLOGY_OBJECT = re.compile(r"(抱歉|对不起|不好意思|道歉|过意不去|歉意)[^,。!?;]{0,4}$")
_ACKNOWLEDGING = re.compile(r"(的确|确实|真的)(很|是)?$")


def level_of(found: list[Hit]) -> tuple[int, Hit | None]:
    """The strongest level among `found` and the first hit carrying it."""
    best = None
    for h in found:
        if best is None or h.entry.level > best.entry.level:
            best = h
    return (best.entry.level if best else 0), best


def empathy_hits(norm: str, hits, blocked) -> list[Hit]:
    """Empathy cues; docs/scoring.md §3: a feeling named only as the object of an apology
    (很抱歉让您失望了) is apology."""
    return [h for h in hits("empathy", blocked)
            if not (h.entry.rule == "empathy.let_down" and _APOLOGY_OBJECT.search(norm, 0, h.start)
                    and not _ACKNOWLEDGING.search(norm, max(0, h.start - 4), h.start))]
