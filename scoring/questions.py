"""The question stage of scoring.analyzer: the best question sentence of a reply, its level and kind."""

from __future__ import annotations

import re

from scoring.segments import CONTENT as _CONTENT
from scoring.segments import overlaps as _overlaps

__all__ = ["find_question"]

_DETAIL = re.compile("具体|详细")  # "您具体遇到什么问题" is a real question, not a courtesy


def find_question(norm, segs, hits, find, blocked, lex, hostile):
    """(level, kind, span, rule, asks preference) of the best question sentence."""
    # A choice offered (您选一个吧, 您看这样好不好, 看您方便) asks the customer to decide: a question.
    choices = hits("choice", blocked)
    cues = sorted(hits("question", blocked) + choices, key=lambda h: h.start) if choices else hits("question", blocked)
    if not cues and "?" not in norm:
        return 0, None, (0, 0), "", False
    embedded = {segs.clause(h.start) for h in find("embedded")}
    cues = [h for h in cues
            if segs.clause(h.start) not in embedded or "?" in norm[segs.sentences[segs.sentence(h.start)][0]:
                                                                segs.sentences[segs.sentence(h.start)][1]]]
    rhetorical = find("rhetorical")
    open_words = find("question_open")
    best = (0, None, (0, 0), "", False)
    prefs = hits("preference", blocked)
    for s, e in segs.sentences:
        sentence = norm[s:e]
        in_s = [h for h in cues if s <= h.start < e]
        if not in_s and "?" not in sentence:
            continue
        last = segs.clause_span(max(s, e - 1))
        if any(s <= h.start < e for h in rhetorical):
            continue  # 你没看说明书吗? / 难道这也要怪我们吗? -- not a question, a violation
        if any(_overlaps(last, b) for b in blocked):
            # the sentence ends in a violation: it asks only by a request in an earlier clause of its own
            # (麻烦您把型号发我，保证以后再也不掉线: the request stands, the promise is the violation)
            in_s = [h for h in in_s if not _overlaps(segs.clause_span(h.start), last)]
            if not in_s:
                continue
        level = max((h.entry.level for h in in_s), default=2)
        rule = in_s[0].entry.rule if in_s else "question.mark"
        specific = any(h.entry.kind == "specific" for h in in_s)
        if hostile and not specific:
            continue  # 全额赔偿?你别做梦了: in a hostile reply only a request for details is a question
        plain = not specific and not _DETAIL.search(sentence)  # asks for nothing in particular
        generic = lex["question_generic"].find(sentence.strip()) if plain else []
        if generic or (plain and len(_CONTENT.findall(sentence)) < 4):
            level, rule = 1, generic[0].entry.rule if generic else "question.courtesy"
        kind = "open" if any(s <= h.start < e for h in open_words) else "closed"
        pref = any(h.entry.rule == "question.preference" or h.entry.category == "choice" for h in in_s) or any(s <= h.start < e for h in prefs)
        if level > best[0]:
            lead = len(sentence) - len(sentence.lstrip(" ,.。!?;~、\n\t"))
            best = (level, kind, (s + lead, e), rule, pref or best[4])
        elif pref:
            best = (*best[:4], True)
    level, kind, q_span, rule, pref = best
    return level, kind, q_span, rule, pref
