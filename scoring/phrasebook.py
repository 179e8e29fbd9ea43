"""Better phrasings shown next to each graded point, drawn from the seeds' model sentences.

They live in scoring/data/rubric.yaml beside the rules they belong to (one data file for the
rubric); this module keeps the names older clients import. For the phrasing fitted to a case
(its own `better:`, else its category's), use scoring.rubric.better_phrasing.
"""

from __future__ import annotations

from typing import NamedTuple

from scoring.rubric import CLOSING_SENTENCES, RULES


class Phrase(NamedTuple):
    """A model sentence and the seed passage it is taken from."""

    text: str
    source: str


# The three closing sentences of 001 (五)感谢客户 实例三: apologise again, thank, commit to improve.
CLOSING: tuple[str, ...] = CLOSING_SENTENCES

PHRASES: dict[str, Phrase] = {r.id: Phrase(r.better, r.better_source) for r in RULES}
