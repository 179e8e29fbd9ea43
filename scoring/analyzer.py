"""The reply analyzer: one trainee reply -> ReplyAnalysis (levels, remedies, violations, evidence).

Pipeline: truncate to MAX_CHARS -> normalise (opencc t2s, half-width, lower case; same length, so
offsets point into the trainee's own words) -> lexicon matches (scoring/data/*.yaml, each category
scanned once; see scoring.lexicon.CueSet) -> violations first, then negation and overlap filters ->
levels, remedies with their amounts and time frames, topics, repeats, and one Evidence per finding.
jieba (a private Tokenizer with scoring/data/userdict.txt) is loaded lazily by warm_up() or the
first analyze(); it only decides word boundaries for lexicon entries marked ``word: true``.

Remedies are offers, not mentions: a remedy named as the customer's demand (您的退款要求), as what
happened (晚了两天才上门), inside an improvement (会改进发货前的核对) or after a stated limit
(没有权限直接给您退款) is dropped. Values attach by clause: a time frame or amount in the remedy's
own clause, else in a later clause of its sentence, a bare leading clause or the clause right
before (unless that clause apologises, i.e. describes the problem); the problem's own durations
(晚到三天, 才用两天) and deductions (扣除8元运费) are never attached. Only money remedies (refund,
compensation, voucher, shipping cost) carry an amount, a percentage or 全额, and an amount goes to
the nearest money remedy of its clause.

Time frames become hours when they can be computed without a calendar: 24小时内 -> 24,
3天内 -> 72, 两个工作日 -> 48, 明天 -> 24, 后天 -> 48, 半小时 -> 0.5, 今天 -> 24 (an upper
bound). Dates (5月3日前) and vague spans (几天) keep ``hours=None``.
"""

from __future__ import annotations

import math

import bisect
import dataclasses
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from scoring.clauses import NOT_OFFERED, QUOTABLE_VIOLATIONS, ClauseMarks, mark_clauses, stuffing_reason
from scoring.lexicon import USERDICT, Hit, Lexicon, load_lexicon
from scoring.models import (
    Act,
    ActKind,
    AnalysisContext,
    Handoff,
    Evidence,
    Remedy,
    RemedyKind,
    ReplyAnalysis,
    Span,
    Violation,
    ViolationCode,
)
from scoring.substance import read_substance
from scoring.normalize import comparable, comparable_ratio, normalize, script_variants, similarity, strip_noise

__all__ = ["Analyzer", "default_analyzer", "similarity", "MAX_CHARS", "REPEAT_SIMILARITY"]

MAX_CHARS = 2000  # only this prefix of a very long reply is graded (truncated=True)
REPEAT_SIMILARITY = 0.85  # 003 禁区6: "the same or nearly the same reply again"
NEGATION_WINDOW = 12  # characters before a cue searched for a negation

# ---- time frames and amounts ----------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN = "零〇一二两三四五六七八九十百千万"
NUM = rf"(?:[0-9]+(?:\.[0-9]+)?|[{_CN}]+)"


def parse_number(s: str) -> float | None:
    """'24' -> 24, '二十四' -> 24, '两' -> 2, '十' -> 10; None if unparsable or not finite."""
    try:
        value = float(s)
    except ValueError:
        pass
    else:
        return value if math.isfinite(value) else None  # "999…9" overflows to inf: not an amount
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return float(total + section + (digit or 0))


_UNIT_HOURS = {"分钟": 1 / 60, "小时": 1, "钟头": 1, "工作日": 24, "工作天": 24, "天": 24, "日": 24,
               "星期": 168, "周": 168, "礼拜": 168, "月": 720}

TIME_RE = re.compile(
    rf"(?P<date>(?:[0-9]+|[{_CN}]+|x+)月(?:[0-9]+|[{_CN}]+|x+)[日号](?:之前|以前|前)?)"
    rf"|(?P<span>(?P<n>{NUM}|半|几)(?:个)?(?:半)?(?P<unit>分钟|小时|钟头|工作日|工作天|天|日|星期|周|礼拜|月)(?:之内|以内|内)?)"
    r"|(?P<clock>(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})点(?:半|[0-9]{1,2}分)?(?:之前|以前|前))"
    r"|(?P<weekday>(?:这|本|下)?(?:周|星期|礼拜)[一二三四五六日天1-7])(?:之前|以前|前|中午|下午|上午|晚上)?"
    r"|(?P<word>大后天|后天|明天|明日|今天|今日|今晚|当天|本周|这周|周末)(?:之内|以内|内|中午|下午|上午|晚上|前|之前)?"
)
AMOUNT_RE = re.compile(rf"(?P<n>{NUM})\s*(?:元|块钱|块|rmb|人民币)|[¥]\s*(?P<n2>[0-9]+(?:\.[0-9]+)?)")
PERCENT_RE = re.compile(rf"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*%|百分之(?P<n2>{NUM})|(?P<half>一半|半价)")
FULL_RE = re.compile(r"全额|全款|全部(货款|款项|费用|退|赔)|全退|退全")

_WORD_HOURS = {"明天": 24, "明日": 24, "后天": 48, "大后天": 72, "今天": 24, "今日": 24, "今晚": 12,
               "当天": 24, "本周": 168, "这周": 168}


@dataclass(frozen=True)
class Found:
    """A value found at [start, end) in the normalised text."""

    start: int
    end: int
    value: float | None
    text: str


def find_time_frames(text: str) -> list[Found]:
    """Every time frame, with its hours when computable."""
    out = []
    for m in TIME_RE.finditer(text):
        hours = None
        if m.group("span"):
            n = m.group("n")
            count = 0.5 if n == "半" else (None if n == "几" else parse_number(n))
            if count is not None:
                if "半" in m.group("span")[len(n):]:  # 一个半小时
                    count += 0.5
                hours = count * _UNIT_HOURS[m.group("unit")]
        elif m.group("word"):
            hours = _WORD_HOURS.get(m.group("word"))
        out.append(Found(m.start(), m.end(), hours, m.group(0)))
    return out


def find_amounts(text: str) -> list[Found]:
    """Every money amount in yuan."""
    return [Found(m.start(), m.end(), parse_number(m.group("n") or m.group("n2")), m.group(0))
            for m in AMOUNT_RE.finditer(text)]


def find_percents(text: str) -> list[Found]:
    """Every percentage (退50%, 百分之三十)."""
    return [Found(m.start(), m.end(), 50.0 if m.group("half") else parse_number(m.group("n") or m.group("n2")),
                  m.group(0)) for m in PERCENT_RE.finditer(text)]


def find_full(text: str) -> list[Found]:
    """Every 'full amount' marker (全额, 全款)."""
    return [Found(m.start(), m.end(), None, m.group(0)) for m in FULL_RE.finditer(text)]

# ---- the analyzer -----------------------------------------------------------------------------

# Sentence ends (an ASCII '.' only when not inside a number); clause ends add commas and colons.
_SENTENCE_END = re.compile(r"[。!?;\n…~]+|(?<![0-9])\.(?![0-9])")
_CLAUSE_END = re.compile(r"[。!?;\n…~,、:，]+|(?<![0-9])\.(?![0-9])")
_HOSTILE = {"insult", "refusal", "contradict", "excuse"}  # a remedy in the same clause is not offered
_RHETORICAL = {"insult", "refusal", "contradict"}  # a reply with one of these asks no real questions
# Remedies that give the customer something (not just a next step such as 跟进 or 反馈).
_MATERIAL = {RemedyKind.refund, RemedyKind.exchange, RemedyKind.reship, RemedyKind.compensation,
             RemedyKind.voucher, RemedyKind.shipping_cost, RemedyKind.repair}
# Forwarding and answering: quoting the demand or stating a limit does not cancel these (001 四.4).
_PROCESS = {RemedyKind.escalate.value, RemedyKind.follow_up.value, RemedyKind.contact_courier.value}
# Remedies that carry money: only these take an amount, a percentage or 全额 (换货 has no price).
_MONEY = {RemedyKind.refund.value, RemedyKind.compensation.value, RemedyKind.voucher.value,
          RemedyKind.shipping_cost.value}
# Words that may stand in a bare leading clause with a time frame or amount (24小时内，为您补发).
_FILLER = re.compile(r"[在于之内以前后最迟晚我们这边会将亲您]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Right before 让您失望: an apology whose object the feeling is (很抱歉让您失望了), not sympathy.
_APOLOGY_OBJECT = re.compile(r"(抱歉|对不起|不好意思|道歉|过意不去|歉意)[^,。!?;]{0,4}$")
_ACKNOWLEDGING = re.compile(r"(的确|确实|真的)(很|是)?$")
# A sentence that ends by asking the customer to confirm what was said (001 封闭式确认).
_CONFIRM = re.compile(r"(对吗|对吧|是吗|是吧|是这样吗|没错吧|是不是)\W*$")
_DETAIL = re.compile("具体|详细")  # "您具体遇到什么问题" is a real question, not a courtesy
_CONTENT = re.compile(r"[0-9a-z\u4e00-\u9fff]")


@dataclass
class _Segments:
    """Sentence and clause boundaries of the normalised text."""

    sentence_starts: list[int]
    clause_starts: list[int]
    sentences: list[tuple[int, int]]
    length: int

    @classmethod
    def of(cls, text: str) -> "_Segments":
        sentences, start = [], 0
        for m in _SENTENCE_END.finditer(text):
            if m.end() > start:
                sentences.append((start, m.end()))
            start = m.end()
        if start < len(text):
            sentences.append((start, len(text)))
        clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(text)]
        return cls([s for s, _ in sentences] or [0], clause_starts, sentences, len(text))

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos) - 1

    def clause(self, pos: int) -> int:
        return bisect.bisect_right(self.clause_starts, pos) - 1

    def clause_span(self, pos: int) -> tuple[int, int]:
        """[start, end) of the clause holding pos, its delimiter included."""
        i = self.clause(pos)
        end = self.clause_starts[i + 1] if i + 1 < len(self.clause_starts) else self.length
        return self.clause_starts[i], end


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _distance(h, f) -> int:
    """Characters between a remedy hit and a value (0 when they touch)."""
    return max(f.start - h.end, h.start - f.end, 0)


class Analyzer:
    """Reads one trainee reply against the lexicons. Thread-safe; create once, reuse.

    `extra_lexicons` are lexicon files or folders merged over the built-ins (after $KEFU_LEXICON).
    """

    def __init__(self, extra_lexicons: Iterable[str | Path] | None = None) -> None:
        self._extra = list(extra_lexicons or [])
        self._lock = threading.Lock()
        self._lexicon: Lexicon | None = None
        self._negation: re.Pattern | None = None
        self._refused_before: re.Pattern = re.compile("(?!)")
        self._past_span: re.Pattern = re.compile("(?!)")
        self._deduction: re.Pattern = re.compile("(?!)")
        self._remedy_noun: re.Pattern = re.compile("(?!)")
        self._generic_word: re.Pattern = re.compile("(?!)")
        self._noun_before: re.Pattern = re.compile("(?!)")
        self._tokenizer = None
        self._keywords: dict[str, list[str]] = {}

    # -- loading ---------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the lexicons, opencc and jieba now (idempotent, thread-safe)."""
        if self._tokenizer is not None:
            return
        with self._lock:
            if self._tokenizer is not None:
                return
            lexicon = load_lexicon(self._extra)
            negation = lexicon["negation"].entries
            pattern = "|".join(f"(?:{p})" for e in negation for p in e.patterns) or "(?!)"
            self._negation = re.compile(f"(?:{pattern})$")
            before = [p for e in lexicon["refused_before"].entries for p in e.patterns]
            self._refused_before = re.compile("|".join(f"(?:{p})" for p in before) or "(?!)")
            past = [p for e in lexicon["time_described"].entries for p in e.patterns]
            self._past_span = re.compile("(?:" + ("|".join(f"(?:{p})" for p in past) or "(?!)") + ")$")
            deduct = [p for e in lexicon["amount_deducted"].entries for p in e.patterns]
            self._deduction = re.compile("|".join(f"(?:{p})" for p in deduct) or "(?!)")
            before_nouns = [p for e in lexicon["remedy_as_noun_before"].entries for p in e.patterns]
            self._noun_before = re.compile("|".join(f"(?:{p})" for p in before_nouns) or "(?!)")
            generic = [p for e in lexicon["generic_case_word"].entries for p in e.patterns]
            self._generic_word = re.compile("|".join(f"(?:{p})" for p in generic) or "(?!)")
            nouns = [p for e in lexicon["remedy_as_noun"].entries for p in e.patterns]
            self._remedy_noun = re.compile("|".join(f"(?:{p})" for p in nouns) or "(?!)")
            normalize("預熱")  # creates the opencc converter
            tokenizer = _jieba_tokenizer()
            self._lexicon = lexicon
            self._tokenizer = tokenizer

    @property
    def lexicon(self) -> Lexicon:
        """The merged lexicon (loads it on first use)."""
        self.warm_up()
        assert self._lexicon is not None
        return self._lexicon

    # -- the analysis ----------------------------------------------------------------------------

    def analyze(self, text: str, context: AnalysisContext | None = None) -> ReplyAnalysis:
        """Analyse one reply; `context` (optional) supplies topics and earlier replies."""
        self.warm_up()
        context = context or AnalysisContext()
        text = text if isinstance(text, str) else str(text)
        truncated = len(text) > MAX_CHARS
        # A lone surrogate (from a JSON escape) is no character: U+FFFD keeps offsets and serialises.
        body = _SURROGATE.sub("\ufffd", text[:MAX_CHARS])
        norm = normalize(body)
        segs = _Segments.of(norm)
        lex = self.lexicon
        evidence: list[Evidence] = []
        tokens: list[set[int]] = []  # jieba word boundaries, computed only if an entry needs them

        def span(s: int, e: int) -> Span:
            return Span(text=body[s:e], start=s, end=e)

        raw = lex.scan(norm)  # every category in one pass
        filtered: dict[tuple, list[Hit]] = {}
        marks = mark_clauses(raw, segs.clause, norm, lambda i: segs.clause_starts[i],
                             lambda a, b: segs.sentence(segs.clause_starts[a]) == segs.sentence(segs.clause_starts[b]))
        stuffing = stuffing_reason(norm, raw, self._case_words(context))
        if stuffing:
            return self._not_a_reply(text, body, truncated, stuffing, context, norm, span_of=lambda s, e: Span(
                text=body[s:e], start=s, end=e))

        def find(category: str) -> list[Hit]:
            """Raw matches of a category."""
            return raw.get(category, [])

        def hits(category: str, blocked: list[tuple[int, int]] = ()) -> list[Hit]:
            """Matches that are not negated, on word boundaries when asked, and outside `blocked`."""
            key = (category, tuple(blocked))
            if key in filtered:
                return filtered[key]
            out = []
            for h in find(category):
                if h.entry.negatable and self._negated(norm, h.start):
                    continue
                if h.entry.word and not self._on_word_boundaries(norm, h, tokens):
                    continue
                if blocked and any(b[0] <= h.start and h.end <= b[1] for b in blocked):
                    continue  # part of a violation: 不是我们的问题 holds no apology
                out.append(h)
            filtered[key] = out
            return out

        # Violations first: a cue inside a violation (不是我们的问题 holds 是我们的问题) counts for nothing.
        violations, blocked = self._violations(norm, hits, segs, marks)
        for v_hit in violations:
            evidence.append(Evidence(kind=v_hit.entry.code, rule=v_hit.entry.rule, span=span(v_hit.start, v_hit.end)))

        apology, ev = self._level(hits("apology", blocked))
        if ev:
            evidence.append(Evidence(kind="apology", rule=ev.entry.rule, span=span(ev.start, ev.end)))
        # docs/scoring.md §3: a feeling named only as the object of an apology (很抱歉让您失望了) is apology.
        empathy_hits = [h for h in hits("empathy", blocked)
                        if not (h.entry.rule == "empathy.let_down" and _APOLOGY_OBJECT.search(norm, 0, h.start)
                                and not _ACKNOWLEDGING.search(norm, max(0, h.start - 4), h.start))]
        empathy, ev = self._level(empathy_hits)
        if ev:
            evidence.append(Evidence(kind="empathy", rule=ev.entry.rule, span=span(ev.start, ev.end)))

        hostile = any(v.entry.code in _RHETORICAL for v in violations)
        question, question_kind, q_span, q_rule, pref_q = self._question(norm, segs, hits, find, blocked, lex, hostile)
        if question:
            evidence.append(Evidence(kind="question", rule=q_rule, span=span(*q_span)))

        hostile_spans = [(v.start, v.end) for v in violations if v.entry.code in _HOSTILE]
        overpromises = [(v.start, v.end) for v in violations if v.entry.code == "overpromise"]
        remedies, solution = self._remedies(norm, segs, hits, blocked, hostile_spans, span, marks, overpromises)
        for r, rule in remedies:
            evidence.append(Evidence(kind="solution", rule=rule, span=r.span))

        issue_topics = self._topics(norm, context.issue_topics, evidence, span)
        fact_topics = self._topics(norm, context.fact_topics, evidence, span)
        names_case = self._names_case(norm, context, evidence)
        acts = self._acts(norm, segs, marks, hits, blocked, violations, remedies, question, question_kind,
                          q_span, span)
        handoff = None
        for r, _ in remedies:
            if r.kind is RemedyKind.escalate and r.to_whom:
                # 反映给主管，2天内给您答复: the answer's time is the hand-off's time.
                timed = r if r.time_frame else next(
                    (o for o, _ in remedies if o.kind is RemedyKind.follow_up and o.time_frame), None)
                handoff = Handoff(to_whom=r.to_whom, time_frame=timed.time_frame if timed else None,
                                  hours=timed.hours if timed else None, span=r.span)
                break

        return read_substance(ReplyAnalysis(
            text=body,
            apology=apology,
            empathy=empathy,
            question=question,
            question_kind=question_kind,
            solution=solution,
            remedies=[r for r, _ in remedies],
            violations=[Violation(code=ViolationCode(h.entry.code), rule=h.entry.rule, span=span(h.start, h.end))
                        for h in violations],
            asks_preference=pref_q or bool(hits("preference", blocked)),
            thanks=bool(hits("thanks", blocked)),
            invites_story=bool(hits("listening", blocked)),
            commitment=bool(hits("commitment", blocked)),
            issue_topics=issue_topics,
            fact_topics=fact_topics,
            repeats_turn=self._repeats(norm, context.previous_replies),
            acts=acts,
            limit_stated=any(a.kind is ActKind.limit for a in acts),
            handoff=handoff,
            names_case=names_case,
            length=sum(1 for c in text if not c.isspace()),
            truncated=truncated,
            evidence=evidence,
        ), context)  # issue 17: slots and what is asked (scoring/substance.py)

    # -- pieces ----------------------------------------------------------------------------------

    def _not_a_reply(self, text, body, truncated, reason, context, norm, span_of) -> ReplyAnalysis:
        """A reply that is no reply (keyword stuffing): nothing on any dimension, and why."""
        return ReplyAnalysis(
            text=body, apology=0, empathy=0, question=0, solution=0,
            acts=[Act(kind=ActKind.none, span=span_of(0, len(body)))] if body else [],
            not_a_reply="stuffing", not_a_reply_reason=reason,
            repeats_turn=self._repeats(norm, context.previous_replies),
            names_case=False if (context.issue_topics or context.fact_topics or context.case_terms) else None,
            length=sum(1 for c in text if not c.isspace()), truncated=truncated,
        )

    def _case_words(self, context) -> list[str]:
        """The case's own words (topic keywords, case terms), in the analyzer's script."""
        words = [kw for t in (*context.issue_topics, *context.fact_topics) for kw in t.keywords]
        return [normalize(w) for w in (*words, *context.case_terms) if len(w) >= 2]

    def _names_case(self, norm, context, evidence) -> bool | None:
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
        return False

    @staticmethod
    def _acts(norm, segs, marks, hits, blocked, violations, remedies, question, question_kind, q_span, span):
        """One Act per clause: the strongest thing it does, with who acts and what changes its meaning."""
        starts = segs.clause_starts
        bounds = [(starts[i], starts[i + 1] if i + 1 < len(starts) else segs.length) for i in range(len(starts))]
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
            requested = re.search(r"提供|发(给)?我|拍|上传|告诉|截图|照片|订单号|单号", norm[q_span[0]:q_span[1]])
            put(q_span[0], 4, kind=ActKind.request if requested else ActKind.question, question_kind=question_kind)
        for h in hits("rhetorical"):
            put(h.start, 3, kind=ActKind.question, question_kind="rhetorical")
        for category, kind, rank in (("apology", ActKind.apology, 2), ("empathy", ActKind.empathy, 2),
                                     ("thanks", ActKind.thanks, 1), ("commitment", ActKind.close, 1)):
            for h in hits(category, blocked):
                put(h.start, rank, kind=kind)
        acts = []
        for i, (s, e) in enumerate(bounds):
            clause_text = norm[s:e]
            if not _CONTENT.search(clause_text):
                continue
            lead = len(clause_text) - len(clause_text.lstrip(" ,.。!?;~、\n\t"))
            tail = len(clause_text.rstrip(" ,.。!?;~、\n\t:"))
            found = sorted(by_clause.get(i, []), key=lambda x: -x[0])
            fields = dict(found[0][1]) if found else {"kind": ActKind.none}
            mods = marks.of(i)
            actor = fields.pop("actor", "shop")
            if "customer_acts" in mods or "demand_condition" in mods:
                actor = "customer"
            elif "quoted" in mods:
                actor = "other"
            acts.append(Act(span=span(s + lead, max(s + lead, s + tail)), actor=actor, past="past" in mods,
                            conditional=bool(mods & {"conditional", "demand_condition"}), quoted="quoted" in mods,
                            **fields))
        return acts

    def _negated(self, norm: str, start: int) -> bool:
        assert self._negation is not None
        return self._negation.search(norm, max(0, start - NEGATION_WINDOW), start) is not None

    def _on_word_boundaries(self, norm: str, hit: Hit, cache: list[set[int]]) -> bool:
        if not cache:
            bounds = {0}
            for _word, _s, e in self._tokenizer.tokenize(norm):
                bounds.add(e)
            cache.append(bounds)
        return hit.start in cache[0] and hit.end in cache[0]

    @staticmethod
    def _level(found: list[Hit]) -> tuple[int, Hit | None]:
        best = None
        for h in found:
            if best is None or h.entry.level > best.entry.level:
                best = h
        return (best.entry.level if best else 0), best

    @staticmethod
    def _violations(norm, hits, segs, marks: ClauseMarks):
        """Violations (one per code and stretch of text) and their spans; a bare 请稍等 only alone.

        A promise or a refusal inside someone else's reported words (同事之前说保证三天到) is not the
        trainee's; a brush-off softened by an apology, sympathy or an offer is not one (001 四.2)."""
        found = [h for h in hits("violation") if h.entry.code in ViolationCode.__members__
                 and not (h.entry.code in QUOTABLE_VIOLATIONS and marks.has(segs.clause(h.start), "quoted"))
                 and not marks.has(segs.clause(h.start), "filler")]
        softened = [h for h in found if h.entry.softened]
        if softened:
            kinds = {c for h in softened for c in h.entry.softened}
            if any(hits(c) for c in kinds):
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

    @staticmethod
    def _question(norm, segs, hits, find, blocked, lex, hostile):
        """(level, kind, span, rule, asks preference) of the best question sentence."""
        cues = hits("question", blocked)
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
            if any(s <= h.start < e for h in rhetorical) or any(_overlaps(last, b) for b in blocked):
                continue  # 你没看说明书吗? / 难道这也要怪我们吗? -- not a question, a violation
            level = max((h.entry.level for h in in_s), default=2)
            rule = in_s[0].entry.rule if in_s else "question.mark"
            specific = any(h.entry.kind == "specific" for h in in_s)
            if hostile and not specific:
                continue  # 全额赔偿?你别做梦了: in a hostile reply only a request for details is a question
            if not specific and not _DETAIL.search(sentence) and (lex["question_generic"].find(sentence.strip())
                                 or len(_CONTENT.findall(sentence)) < 4):
                level, rule = 1, "question.courtesy"
            kind = "open" if any(s <= h.start < e for h in open_words) else "closed"
            pref = any(h.entry.rule == "question.preference" for h in in_s) or any(s <= h.start < e for h in prefs)
            if level > best[0]:
                lead = len(sentence) - len(sentence.lstrip(" ,.。!?;~、\n\t"))
                best = (level, kind, (s + lead, e), rule, pref or best[4])
            elif pref:
                best = (*best[:4], True)
        level, kind, q_span, rule, pref = best
        return level, kind, q_span, rule, pref

    def _remedies(self, norm, segs, hits, blocked, hostile_spans, span, marks: ClauseMarks, overpromises=()):
        """[(Remedy, rule)] one per kind, and the solution level (see the strength rules below)."""
        found = hits("remedy", blocked)
        if not found:
            return [], 0
        # §10: a remedy quoted, told as history, demanded in a condition or named in a stated limit is
        # not offered; a remedy the customer carries out (您可以自己申请退款) is instructions.
        noun = self._remedy_noun
        kept = []
        for h in found:
            clause = segs.clause(h.start)
            if noun.match(norm, h.end) or self._noun_before.search(norm, max(0, h.start - 8), h.start):
                continue
            blockers = marks.of(clause) & NOT_OFFERED
            if h.entry.kind in _PROCESS:
                blockers -= {"quoted", "limit", "past"}  # 反馈您提到的问题 / 已经联系过快递了: still the act
            if blockers:
                continue
            if marks.has(clause, "customer_acts") and h.entry.kind != RemedyKind.instructions.value:
                h = Hit(dataclasses.replace(h.entry, kind=RemedyKind.instructions.value), h.start, h.end)
            kept.append(h)
        found = kept
        if not found:
            return [], 0
        hostile = {segs.clause(s) for s, _ in hostile_spans}  # 全额退款想都别想: a remedy named to refuse it
        questions = {segs.sentence(h.start) for h in hits("preference")} | {
            segs.sentence(h.start) for h in hits("question") if h.entry.rule == "question.preference"}
        offers = hits("offer")
        refused = hits("refused")
        before = self._refused_before
        # Describing, not offering: 您的退款要求 (the customer's demand, 001 四.4), 晚了两天才上门
        # (what happened), 会改进发货前的核对 (an improvement, not a remedy for this customer).
        demands = {x.start for x in hits("remedy_demand")}
        described = {x.end for x in hits("remedy_described")}
        improving = [x for x in hits("commitment") if x.entry.rule == "commitment.improve"]
        found = [h for h in found if segs.clause(h.start) not in hostile
                 and not any(segs.clause(r.start) == segs.clause(h.start) and r.start >= h.end for r in refused)
                 and not before.search(norm, segs.clause_span(h.start)[0], h.start)
                 and h.end not in demands and h.start not in described
                 and not any(segs.clause(x.start) == segs.clause(h.start) and x.start < h.start for x in improving)
                 and self._offered(norm, segs, h, questions, offers)]
        if not found:
            return [], 0
        tentative, hedges, firm = hits("tentative"), hits("hedge"), hits("firm")
        # 晚到三天 / 才用两天: a duration of the problem, not the remedy's time frame.
        past = self._past_span
        times = [t for t in find_time_frames(norm) if not past.search(norm, max(0, t.start - 4), t.start)]
        # 扣除8元运费: a deduction, not the amount given back (其余291元 is).
        deduct = self._deduction
        amounts, deducted = [], []
        for a in find_amounts(norm):
            (deducted if deduct.search(norm, segs.clause_span(a.start)[0], a.start) else amounts).append(a)
        fulls = find_full(norm)
        # 保证百分之百合适 is an overpromise, not a percentage of a remedy (its 明天 still counts).
        percents = [x for x in find_percents(norm) if not any(_overlaps((x.start, x.end), b) for b in blocked)]
        remedy_clauses = {segs.clause(h.start) for h in found}
        # A value inside a stated limit, a quote or history (全额赔偿超出我的权限) belongs to no offer.
        barred = {i for i, m in marks.mods.items() if m & NOT_OFFERED}
        times = [x for x in times if segs.clause(x.start) not in barred]
        fulls = [x for x in fulls if segs.clause(x.start) not in barred]
        amounts = [x for x in amounts if segs.clause(x.start) not in barred]
        percents = [x for x in percents if segs.clause(x.start) not in barred]
        money_hits = [h for h in found if h.entry.kind in _MONEY]

        def bare(clause: int, f: Found) -> bool:
            """The clause holds little besides the value itself (24小时内，为您补发)."""
            cs, ce = segs.clause_starts[clause], (segs.clause_starts[clause + 1]
                                                  if clause + 1 < len(segs.clause_starts) else segs.length)
            rest = norm[cs:f.start] + norm[f.end:ce]
            return len(_CONTENT.findall(_FILLER.sub("", rest))) == 0

        # A clause that apologises or sympathises describes the problem (晚到三天给您添了麻烦).
        feeling_clauses = {segs.clause(x.start) for x in hits("apology", blocked) + hits("empathy", blocked)}

        def near(items: list[Found], h: Hit, money: bool = False) -> Found | None:
            """The value of h's own clause nearest to it; else one in a later clause of its sentence
            (补发，24小时内发出), a bare leading one (24小时内，为您补发) or the clause right before
            when it does not describe the problem; never another remedy's clause. An amount
            belongs to the nearest money remedy (300元补偿加换新机: the 补偿)."""
            clause, sentence = segs.clause(h.start), segs.sentence(h.start)
            same = [f for f in items if segs.clause(f.start) == clause]
            if money:
                same = [f for f in same if not any(
                    o is not h and segs.clause(o.start) == clause and _distance(o, f) < _distance(h, f)
                    for o in money_hits)]
            if not same:  # fall back to the sentence, but not to another remedy's clause
                same = [f for f in items if segs.sentence(f.start) == sentence
                        and segs.clause(f.start) not in remedy_clauses
                        and (segs.clause(f.start) > clause or bare(segs.clause(f.start), f)
                             or (segs.clause(f.start) == clause - 1
                                 and segs.clause(f.start) not in feeling_clauses))]
            return min(same, key=lambda f: abs(f.start - h.start)) if same else None

        voucher_clauses = {segs.clause(h.start) for h in found if h.entry.kind == "voucher"}
        by_kind: dict[str, tuple[int, Remedy, str]] = {}
        for h in found:
            try:
                kind = RemedyKind(h.entry.kind)
            except ValueError:
                continue
            clause, sentence = segs.clause(h.start), segs.sentence(h.start)
            if kind is RemedyKind.compensation and clause in voucher_clauses:
                continue  # 送您一张代金券作为补偿: the voucher is the compensation
            t = near(times, h)
            if kind.value in _MONEY:  # only money remedies carry an amount, a percentage or 全额
                a, p, f = near(amounts, h, True), near(percents, h, True), near(fulls, h, True)
            else:
                a = p = f = None
            found_specifics = [x for x in (t, a, p, f) if x is not None]
            specifics = len(found_specifics)
            if kind.value in _MONEY and any(h.start <= d.start and d.end <= h.end for d in deducted):
                specifics += 1  # 只扣运费8元: the deduction is the offer's concrete term, not its amount
            in_clause = [x for x in found_specifics if segs.clause(x.start) == clause]
            if any(segs.clause(x.start) == clause for x in hedges):
                strength = 1  # 预计明天发出: an estimate, not a commitment
            elif kind is RemedyKind.instructions:
                strength = 1  # steps to try: their durations (充电一个小时) are not a commitment
            elif any(segs.clause(x.start) == clause for x in tentative) and not (
                    in_clause and (any(segs.clause(o.start) == clause for o in offers) or sentence in questions)):
                strength = 0  # an option or a policy (可以申请退货, 7天内可以退货): weak; 我们可以24小时内补发: strong
            elif in_clause:
                strength = 2  # amount or time frame right with the remedy
            elif specifics or self._firm(segs, h, kind, firm):
                strength = 2
            else:
                strength = 1
            to_whom = weak = None
            if kind is RemedyKind.escalate:
                to_whom = marks.targets.get(clause)
                if to_whom is None:  # 我这边反馈一下: forwarding to nobody named is a weak action
                    kind, weak = RemedyKind.follow_up, t is None
                    strength = min(strength, 1)
            elif kind is RemedyKind.follow_up and t is None and not self._firm(segs, h, kind, firm):
                weak = True  # 帮您看看: no who, no when
            remedy = Remedy(kind=kind, amount_yuan=a.value if a else None, percent=p.value if p else None,
                            full=f is not None, time_frame=t.text if t else None, hours=t.value if t else None,
                            to_whom=to_whom, weak=bool(weak), span=span(h.start, h.end))
            score = strength * 10 + specifics
            if kind.value not in by_kind or score > by_kind[kind.value][0]:
                by_kind[kind.value] = (score, remedy, h.entry.rule)
        ordered = sorted(by_kind.values(), key=lambda x: x[1].span.start)
        strengths = [s // 10 for s, _, _ in ordered]
        # Two material remedies given outright (补发 + 运费我们出) are a clear commitment.
        firm_material = sum(1 for sc, r, _ in ordered if sc // 10 == 1 and r.kind in _MATERIAL)
        level = 2 if max(strengths) == 2 or firm_material >= 2 else 1
        return [(r, rule) for _, r, rule in ordered], level

    @staticmethod
    def _firm(segs, h, kind, firm) -> bool:
        """马上/今天 right before the remedy (我马上帮您查询物流), or anywhere in the sentence
        of a material remedy (退款可以的, 我看到马上同意)."""
        for x in firm:
            if segs.clause(x.start) == segs.clause(h.start) and (
                    0 <= h.start - x.end <= 4 or h.start <= x.start < h.end):  # 我马上帮您查 / 我们马上核实
                return True
            if kind in _MATERIAL and segs.sentence(x.start) == segs.sentence(h.start):
                return True
        return False

    @staticmethod
    def _offered(norm, segs, h, preference_sentences, offers) -> bool:
        """A remedy in a question is an offer only with a choice or an agent (给您/我们):
        全额赔偿? and 您是想换货对吧? echo the customer."""
        if h.entry.kind == RemedyKind.instructions.value:
            return True  # 请您尝试一下…可以吗? is still a step to try
        sentence = segs.sentence(h.start)
        s, e = segs.clause_span(h.start)
        ss, se = segs.sentences[sentence] if sentence < len(segs.sentences) else (s, e)
        if _CONFIRM.search(norm[ss:se]) and not any(s <= o.start < e for o in offers):
            return False  # 您是今天中午申请的退款，对吗? confirms a fact: nothing is offered
        if "?" not in norm[s:e] and not re.search(r"(吗|(?<!什)么|嘛|对吧|是吧)\W*$", norm[s:e]):
            return True
        return sentence in preference_sentences or any(s <= o.start < e for o in offers)

    def _topics(self, norm, topics, evidence, span) -> list[str]:
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

    @staticmethod
    def _repeats(norm: str, previous: list[str]) -> int | None:
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


_tokenizer = None
_tokenizer_lock = threading.Lock()


def _jieba_tokenizer():
    """A private jieba Tokenizer with the service vocabulary (shared by all analyzers; ~1 s to load)."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba  # lazily: importing scoring must stay fast for the TUI

                jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                if USERDICT.exists():
                    tokenizer.load_userdict(str(USERDICT))
                _tokenizer = tokenizer
    return _tokenizer


_default: Analyzer | None = None
_default_lock = threading.Lock()


def default_analyzer() -> Analyzer:
    """The shared Analyzer (created on first use; thread-safe)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Analyzer()
    return _default
