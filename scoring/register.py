"""The register stage of scoring.analyzer: how a reply speaks (issue 18 §3).

Acts beyond the four dimensions, read from scoring/data/register.yaml: a breezy tone, a brush-off,
doubting the customer, a request for a review, a choice offered, and how the customer is addressed.
Brush-offs and doubts that are violations by nature carry a code and are counted by
scoring.forbidden; the choice is a question (scoring.questions) and a review request mutes its
clause for the question and solution stages (scoring.analyzer). Here each act becomes a field of
ReplyAnalysis with one Evidence quoting its words.
"""

from __future__ import annotations

from scoring.models import Evidence, builder

__all__ = ["read_register", "REGISTER_FIELDS"]

# ReplyAnalysis field -> the lexicon category that sets it (evidence kind = the field name).
REGISTER_FIELDS = {"breezy": "breezy", "brush_off": "brush_off", "doubts_customer": "doubt",
                   "asks_review": "review_request", "offers_choice": "choice"}
# A tilde after a particle is breezy only where the reply carries bad news (a violation).
_NEEDS_BAD_NEWS = frozenset({"breezy.tilde"})
_new_evidence = builder(Evidence)  # Evidence(**fields) without BaseModel.__init__ (models.builder)


def read_register(norm: str, hits, blocked, violations, evidence: list[Evidence], span) -> dict:
    """The register fields of ReplyAnalysis; appends one Evidence per act found."""
    raw = hits.raw  # a category without a match is not there: nothing to filter (most replies, most fields)
    out: dict = {}
    for name, category in REGISTER_FIELDS.items():
        if category not in raw:
            out[name] = False
            continue
        found = [h for h in hits(category) if h.entry.rule not in _NEEDS_BAD_NEWS or violations]
        if category == "choice":
            found = hits(category, blocked)
        out[name] = bool(found)
        if found:
            h = found[0]
            evidence.append(_new_evidence({"kind": name, "rule": h.entry.rule, "span": span(h.start, h.end)}))
    respectful = "address_respectful" in raw and bool(hits("address_respectful"))
    casual = "address_casual" in raw and bool(hits("address_casual"))
    out["address"] = "mixed" if respectful and casual else "respectful" if respectful else "casual" if casual else None
    return out
