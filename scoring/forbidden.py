"""What must never be said: the violation stage of scoring.analyzer (seeds 001 四, 003, 000).

Runs first: a cue inside a violation (不是我们的问题 holds 是我们的问题) counts for nothing in the
later stages, so it returns the violations' spans as `blocked`.
"""

from __future__ import annotations

from scoring.clauses import QUOTABLE_VIOLATIONS, ClauseMarks
from scoring.lexicon import Hit
from scoring.models import ViolationCode
from scoring.segments import overlaps as _overlaps

__all__ = ["find_violations", "HOSTILE", "RHETORICAL", "CODED_ACTS"]

CODED_ACTS = ("doubt", "brush_off")  # act categories whose entries may carry a violation code

HOSTILE = frozenset({"insult", "refusal", "contradict", "excuse"})  # a remedy in the same clause is not offered
RHETORICAL = frozenset({"insult", "refusal", "contradict"})  # a reply with one of these asks no real questions


def find_violations(norm, hits, segs, marks: ClauseMarks):
    """Violations (one per code and stretch of text) and their spans; a bare 请稍等 only alone.

    A promise or a refusal inside someone else's reported words (同事之前说保证三天到) is not the
    trainee's; a brush-off softened by an apology, sympathy or an offer is not one (001 四.2)."""
    # Acts that are violations by their nature (doubting the customer, brushing the complaint off)
    # carry a code in scoring/data/register.yaml and count here like the violation category.
    coded = hits("violation") + [h for c in CODED_ACTS for h in hits(c) if h.entry.code]
    found = [h for h in coded if h.entry.code in ViolationCode.__members__
             and not (h.entry.code in QUOTABLE_VIOLATIONS and marks.has(segs.clause(h.start), "quoted"))
             and not marks.has(segs.clause(h.start), "filler")]
    if found and hits("apology"):  # 我刚才那样说不对……还说刮痕不影响使用: one's own words taken back, not said again
        found = [h for h in found if not marks.has(segs.clause(h.start), "retracted")]
    softened = [h for h in found if h.entry.softened]
    if softened:
        kinds = {c for h in softened for c in h.entry.softened}
        own = [(h.start, h.end) for h in softened]  # 不接受退换货 names a remedy to refuse it: no softening
        if any(not any(s <= x.start and x.end <= e for s, e in own) for c in kinds for x in hits(c)):
            found = [h for h in found if not h.entry.softened]
    alone = [h for h in found if h.entry.alone]
    if alone:
        others = [h for h in found if not h.entry.alone]
        busy = [h for h in hits("action") + hits("remedy") + hits("question")
                if not any(_overlaps((h.start, h.end), (a.start, a.end)) for a in alone)]
        if busy or "?" in norm:  # something is being done or asked: not a bare 请稍等
            found = others
    kept: list[Hit] = []
    for h in sorted(found, key=lambda h: (h.start, -h.end)):
        if not any(k.entry.code == h.entry.code and _overlaps((k.start, k.end), (h.start, h.end)) for k in kept):
            kept.append(h)
    return kept, [(h.start, h.end) for h in kept]
