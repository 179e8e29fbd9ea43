"""The act stage of scoring.analyzer: one Act per clause, what it does (docs/scoring.md §10)."""

from __future__ import annotations

import re
from operator import itemgetter

from scoring.models import Act, ActKind, RemedyKind, ViolationCode, builder
from scoring.segments import CONTENT as _CONTENT

__all__ = ["read_acts"]

_RANK = itemgetter(0)
_new_act = builder(Act)  # Act(**fields), one a clause, without BaseModel.__init__ (models.builder)
_CONDITIONAL = frozenset({"conditional", "demand_condition"})
_REQUESTED = re.compile(r"提供|发(给)?我|拍|上传|告诉|截图|照片|订单号|单号")  # a question that asks for something
_LEAD = " ,.。!?;~、\n\t"  # stripped before a clause's act span
_TAIL = " ,.。!?;~、\n\t:"  # and after it


def read_acts(norm, segs, marks, hits, blocked, violations, remedies, question, question_kind, q_span, span):
    """One Act per clause: the strongest thing it does, with who acts and what changes its meaning."""
    starts = segs.clause_starts
    by_clause: dict[int, list[tuple[int, dict]]] = {}

    def put(pos: int, rank: int, **fields) -> None:
        by_clause.setdefault(segs.clause(pos), []).append((rank, fields))

    for v in violations:
        put(v.start, 9, kind=ActKind.violation, violation=ViolationCode(v.entry.code))
    for r, _rule in remedies:
        if r.kind is RemedyKind.escalate and r.to_whom:
            put(r.span.start, 8, kind=ActKind.handoff, remedy=r.kind, to_whom=r.to_whom,
                time_frame=r.time_frame, hours=r.hours)
        elif r.kind is RemedyKind.instructions:
            put(r.span.start, 5, kind=ActKind.instructions, remedy=r.kind, actor="customer")
        else:
            put(r.span.start, 7, kind=ActKind.offer, remedy=r.kind, time_frame=r.time_frame, hours=r.hours,
                amount_yuan=r.amount_yuan, weak=r.weak)
    for i in marks.mods:
        if "limit" in marks.of(i):
            by_clause.setdefault(i, []).append((6, {"kind": ActKind.limit}))
    if question:
        requested = _REQUESTED.search(norm, q_span[0], q_span[1])
        put(q_span[0], 4, kind=ActKind.request if requested else ActKind.question, question_kind=question_kind)
    for h in hits("rhetorical"):
        put(h.start, 3, kind=ActKind.question, question_kind="rhetorical")
    for category, kind, rank in (("apology", ActKind.apology, 2), ("empathy", ActKind.empathy, 2),
                                 ("thanks", ActKind.thanks, 1), ("commitment", ActKind.close, 1)):
        for h in hits(category, blocked):
            put(h.start, rank, kind=kind)
    acts = []
    count, length = len(starts), segs.length
    mods_of = marks.mods.get  # (ClauseMarks.of without a call and an empty set a clause)
    content = _CONTENT.search
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < count else length
        clause_text = norm[s:e]
        if not content(clause_text):
            continue
        lead = len(clause_text) - len(clause_text.lstrip(_LEAD))
        tail = len(clause_text.rstrip(_TAIL))
        found = by_clause.get(i)
        if found:
            # The highest rank; among equals the first put (max keeps the first of equal maxima).
            fields = dict(max(found, key=_RANK)[1])
            actor = fields.pop("actor", "shop")
        else:
            fields, actor = _NOTHING, "shop"
        mods = mods_of(i)
        if mods:
            if "customer_acts" in mods or "demand_condition" in mods:
                actor = "customer"
            elif "quoted" in mods:
                actor = "other"
            past, conditional, quoted = "past" in mods, not _CONDITIONAL.isdisjoint(mods), "quoted" in mods
        else:
            past = conditional = quoted = False
        acts.append(_new_act({"span": span(s + lead, max(s + lead, s + tail)), "actor": actor, "past": past,
                              "conditional": conditional, "quoted": quoted, **fields}))
    return acts


_NOTHING = {"kind": ActKind.none}  # the fields of a clause that does nothing (only ever unpacked)
