"""The case stage of scoring.analyzer: the case's topics a reply talks about, whether it names the
case at all, and which earlier reply it repeats (003 禁区6)."""

from __future__ import annotations

import re

from scoring.models import Evidence
from scoring.normalize import comparable, comparable_ratio, normalize, script_variants, strip_noise

__all__ = ["CaseWords", "repeats", "REPEAT_SIMILARITY"]

REPEAT_SIMILARITY = 0.85  # 003 禁区6: "the same or nearly the same reply again"
# Who was named in the arrangement (林经理, 张主管): a later reply that names them again follows this case up.
_NAMED_PERSON = re.compile(r"[\u4e00-\u9fff](?:经理|主管|组长|专员|师傅|店长|工程师)")


class CaseWords:
    """Matches the case's words (topic keywords, case terms) in either script; keeps their variants."""

    def __init__(self, generic_word: re.Pattern) -> None:
        self._generic_word = generic_word
        self._keywords: dict[str, list[str]] = {}

    def topics(self, norm, topics, evidence, span) -> list[str]:
        """Ids of the topics with a keyword (in either script) in the reply; evidence for each."""
        ids = []
        for topic in topics:
            found = None
            for kw in topic.keywords:
                keys = self._keywords.get(kw)
                if keys is None:
                    keys = self._keywords[kw] = [k for k in script_variants(kw) if k]
                for key in keys:
                    pos = norm.find(key)
                    if pos >= 0 and (found is None or pos < found[0]):
                        found = (pos, pos + len(key))
            if found:
                ids.append(topic.id)
                evidence.append(Evidence(kind="topic", rule=topic.id, span=span(*found)))
        return ids

    def case_words(self, context) -> list[str]:
        """The case's own words (topic keywords, case terms), in the analyzer's script."""
        words = [kw for t in (*context.issue_topics, *context.fact_topics) for kw in t.keywords]
        return [normalize(w) for w in (*words, *context.case_terms) if len(w) >= 2]

    def names_case(self, norm, context, evidence) -> bool | None:
        """Whether the reply names anything of this case (a topic keyword that is not a word every reply
        uses, or a case term); None when the context says nothing of the case."""
        if not (context.issue_topics or context.fact_topics or context.case_terms):
            return None
        generic = self._generic_word
        for ev in evidence:
            if ev.kind == "topic" and not generic.search(normalize(ev.span.text)):
                return True
        for term in context.case_terms:
            keys = self._keywords.get(term)
            if keys is None:
                keys = self._keywords[term] = [k for k in script_variants(term) if k]
            if any(k in norm for k in keys):
                return True
        # (入帐和林经理的回复我都会追踪: the person named in an earlier reply of this conversation)
        named = _NAMED_PERSON.findall(norm) if context.previous_replies else []
        if not named:
            return False
        earlier = normalize(" ".join(context.previous_replies))
        return any(person in earlier for person in named)


def repeats(norm: str, previous: list[str]) -> int | None:
    """Index of the most similar earlier reply at or above REPEAT_SIMILARITY (003 禁区6)."""
    if not previous:
        return None
    mine = strip_noise(norm)
    if not mine:
        return None
    best, best_i = REPEAT_SIMILARITY, None
    for i, prev in enumerate(previous):
        r = comparable_ratio(mine, comparable(prev), at_least=best)
        if r >= best:
            best, best_i = r, i
    return best_i
