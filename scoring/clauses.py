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
    "clause_policy_info": "policy_info",
    "clause_topic": "topic",
    "clause_retracted": "retracted",
    "clause_gloss": "gloss",
}

# A remedy in a clause with one of these is not offered by the trainee (§10).
NOT_OFFERED = frozenset({"quoted", "past", "demand_condition", "limit", "policy_info", "topic"})
# Violations that a reported clause does not make the trainee's own (同事之前说保证三天到).
QUOTABLE_VIOLATIONS = frozenset({"overpromise", "refusal"})

_PERSON = re.compile(r"[您你我咱亲他她]")
# What may stand before a limit that reaches back to the remedy before it: no subject of its own (很抱歉，这个确实…).
_NO_SUBJECT = re.compile(r"^[\W\u3000]*(?:(?:很|非常|实在|真的|真)?(?:抱歉|不好意思|对不起)|不过|但是|但|只是|可是|这个|这些|这|那个|那|"
                         r"我们|我|我这边|这边|确实|实在|都|也|可能|恐怕|已经|的话|亲|[\W\u3000])*$")
_CONTENT = re.compile(r"[0-9a-z\u4e00-\u9fff]")
_FRAGMENT = re.compile(r"[0-9a-z\u4e00-\u9fff]+")
# Six content characters anywhere: what len(_CONTENT.findall(text)) >= 6 says, without a list of them all.
_SIX = re.compile(r"[0-9a-z\u4e00-\u9fff](?:[^0-9a-z\u4e00-\u9fff]*[0-9a-z\u4e00-\u9fff]){5}")
# The words that tie a sentence together (who does what to whom, 可…或…: a rule stated); stuffing has almost none.
# (退货运费由店铺承担: 由 names who pays — a sentence, round 17)
_GLUE = re.compile(r"我们|我|您|你|给|为|帮|把|被|由|会|将|可以|可|能|要|的|了|在|就|都|也|这|那|让|跟|和|从|到|或")
_TIES = re.compile(r"就|这|那|把|被|让|跟|从")  # glue that no cue word holds
# A short clause that says something (看到了, 不是色差) is no bare keyword: it carries one of these.
_SAYS = re.compile(r"了|是|不|的|吗|呢|吧")
_ENUMERATOR = re.compile(r"[0-9]{1,2}|[a-d]|(方案|选项|第)?[一二三四五六七八九十][个种条]?")
_DEBUG = False
_POINTS_BACK = re.compile(r"\s*(这个|这点|这一点|这|那个|这样)")
_RUN = re.compile(r"[^\s,.。!?;:、~，！？；：…()（）]+")

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


def mark_clauses(raw_hits: dict, clause_of, norm: str, clause_start=lambda i: 0,
                 same_sentence=lambda a, b: False) -> ClauseMarks:
    """Modifiers per clause from the scanned lexicon hits (`clause_of(pos)` gives a clause index,
    `clause_start(i)` where clause i begins)."""
    marks = ClauseMarks()
    for category, name in MODIFIER_CATEGORIES.items():
        for hit in raw_hits.get(category, ()):
            clause = clause_of(hit.start)
            marks.mods.setdefault(clause, set()).add(name)
            if name == "target" and clause not in marks.targets:
                marks.targets[clause] = norm[hit.start:hit.end]
    # 全额赔偿12800元，很抱歉，超出了我的权限: a limit with no remedy of its own limits the remedy
    # named just before it in the sentence (past a short apology).
    remedy_clauses = {clause_of(h.start) for h in raw_hits.get("remedy", ())}
    # (再补偿50块 生意损失超出我权限: a limit that names its own subject limits that, not the remedy before it)
    own_subject = {clause_of(h.start) for h in raw_hits.get("clause_limit", ())
                   if not _NO_SUBJECT.match(norm[clause_start(clause_of(h.start)):h.start])}
    for clause in [c for c, m in marks.mods.items() if "limit" in m and c not in remedy_clauses and c not in own_subject]:
        for back in (clause - 1, clause - 2):
            if back >= 0 and back in remedy_clauses and same_sentence(back, clause):
                marks.mods.setdefault(back, set()).add("limit")
                break
    # 一分不扣全额退，这个我做不了主: a limit that points back (这个/这) limits the clause before it.
    for clause in [c for c, m in marks.mods.items() if "limit" in m]:
        if clause > 0 and _POINTS_BACK.match(norm, clause_start(clause)):
            marks.mods.setdefault(clause - 1, set()).add("limit")
            # 全额赔偿的要求，很抱歉，这超出了…: past a short apology, the clause before it too.
            if clause > 1 and clause_start(clause) - clause_start(clause - 1) <= 6:
                marks.mods.setdefault(clause - 2, set()).add("limit")
    return marks


def stuffing_reason(norm: str, raw_hits: dict, case_words: list[str] = ()) -> str:
    """Why the reply is keyword stuffing (Chinese), or '' when it is a reply.

    Stuffing strings the words a scorer looks for — and the case's own words — together without a
    sentence: one run of text (no punctuation, no space) made of three or more cue words, or four
    or more cue and case words, with almost none of the words that tie a sentence together
    (我们/给/会/的/了…); or a list of short bare fragments with a cue among them. A choppy but
    punctuated reply ("非常抱歉！理解您的心情！马上补发！") is a reply.
    """
    found = raw_hits.get("stuffing_cue", ())
    if not found or not _SIX.search(norm):  # fewer than six content characters
        return ""  # no cue word at all: most replies stop here
    # 优惠券 holds 券: a word inside a longer cue word is not a cue of its own
    cues = [(h.start, h.end, norm[h.start:h.end]) for h in found
            if not any(o is not h and o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start)
                       for o in found)]
    case = [(m.start(), m.start() + len(w), w) for w in case_words if w for m in re.finditer(re.escape(w), norm)]
    in_cue = bytearray(len(norm))  # positions inside a cue word
    for s, e, _w in cues:
        in_cue[s:e] = b"\x01" * (e - s)
    for m in (_RUN.finditer(norm) if len(cues) >= 3 else ()):  # the run rules need three cue words
        run = m.group(0)
        if len(run) < 6:
            continue
        words = {w for s, e, w in cues if m.start() <= s and e <= m.end()}
        if len(words) < 3:
            continue  # both rules below need three cue words in the run
        named = {w for s, e, w in case if m.start() <= s and e <= m.end()}
        # Glue outside the cue words (跟进 holds 跟, 可以吗 holds 可以): the words between them.
        between = "".join(ch for i, ch in enumerate(run, m.start()) if not in_cue[i])
        glue = len(_GLUE.findall(between))
        covered = sum(e - s for s, e, _w in cues if m.start() <= s and e <= m.end())
        sparse = glue == 0 or (len(run) >= 12 and glue * 12 < len(run) and covered * 2 >= len(run))
        spans = [(s, e) for s, e, _w in (*cues, *case) if m.start() <= s and e <= m.end()]
        filled = len({i for s, e in spans for i in range(s, e)})  # cue and case words together
        packed = len(words) >= 3 and len(named - words) >= 2 and glue <= 1 and filled * 10 >= len(run) * 7
        if (len(words) >= 3 and sparse) or packed:
            if _DEBUG:
                print("stuffing run:", run, words, named, glue)
            return "只是把“抱歉、理解、补发、马上”这类词堆在一起，没有完整的句子，说不清谁为顾客做什么：不计分。"
    # 1、补发同款 2、退款 / 方案一：…: a numbered menu's markers are no keywords of their own
    fragments = [f for f in _FRAGMENT.findall(norm) if not _ENUMERATOR.fullmatch(f)]
    if len(fragments) >= 3:
        # 就这么定 ties a sentence (就/这): a short clause, not a bare keyword
        bare = [f for f in fragments if len(f) <= 4 and not _PERSON.search(f) and not _TIES.search(f)
                and not (_SAYS.search(f) and not any(f == w for _s, _e, w in cues))]
        # three fragments are a list only when none of them is a sentence to someone (理解您的心情)
        many = len(fragments) >= 4 or (len({w for _s, _e, w in cues}) >= 3
                                       and not any(_PERSON.search(f) or _TIES.search(f) for f in fragments))
        # (好，换货。新的24小时内发，单号我发您，莫急: two sentences to her among the short words — choppy, a reply; each
        # whole sentence asks for one more bare word before the rest is a list)
        sentences = sum(1 for f in fragments if len(f) >= 5 and (_PERSON.search(f) or _TIES.search(f) or _SAYS.search(f)))
        if many and len(bare) * 5 >= len(fragments) * 3 and len(bare) >= 3 + sentences and cues:
            return "一串零散的关键词，不是在回复顾客：不计分。"
    return ""
