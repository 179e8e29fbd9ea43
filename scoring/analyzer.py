"""The reply analyzer: one trainee reply -> ReplyAnalysis (levels, remedies, violations, evidence).

The pipeline, one module per stage (shared/STYLE.md):

1. normalise   scoring.normalize    truncate to MAX_CHARS, opencc t2s, half-width, lower case (same
                                    length, so offsets point into the trainee's own words)
2. segment     scoring.segments     sentence and clause boundaries
3. cues        scoring.cues         one scan of every lexicon category (scoring/data/*.yaml, see
                                    scoring.lexicon.CueSet), negation and word-boundary filters
4. clauses     scoring.clauses      clause modifiers (quoted, past, limit, …) and keyword stuffing
5. violations  scoring.forbidden    first: a cue inside a violation counts for nothing
6. dimensions  scoring.feelings     apology, empathy
               scoring.questions    the best question
               scoring.remedies     offers with amounts and time frames (scoring.quantities)
7. register    scoring.register     breezy, brush-off, doubt, review request, choice, address
   case        scoring.topics       topics, names_case, repeats
8. acts        scoring.acts         one Act per clause
9. learned     scoring.learned      the linear model over character n-grams, combined with the rules'
                                    findings by scoring.combine (documented there and in docs/scoring.md §11)
10. assemble   here                 ReplyAnalysis with one Evidence per finding

jieba (scoring.cues.jieba_tokenizer) is loaded by warm_up() or by the first reply with a cue of a
lexicon entry marked ``word: true`` (it only decides those word boundaries); load() leaves it out.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Iterable

from scoring.acts import read_acts
from scoring.asking import confirming_sentences
from scoring.clauses import mark_clauses, stuffing_reason
from scoring.combine import KEEP_QUESTION, OWN_FAULT, combine, rule_vetoes
from scoring.cues import NEGATION_WINDOW, Auxiliary, ReplyCues, jieba_tokenizer
from scoring.feelings import empathy_hits, level_of
from scoring.forbidden import HOSTILE, RHETORICAL, find_violations
from scoring.learned import HEADS, LearnedReader, default_reader
from scoring.lexicon import DATA_DIR, Lexicon, load_lexicon
from scoring.models import (
    Act,
    ActKind,
    AnalysisContext,
    Evidence,
    Handoff,
    RemedyKind,
    ReplyAnalysis,
    Span,
    Violation,
    ViolationCode,
    builder,
)
from scoring.normalize import PAD, normalize, similarity
from scoring.substance import substance_fields
from scoring.quantities import (  # re-exported: the number and time parsers were public here
    NUM,
    Found,
    find_amounts,
    find_full,
    find_percents,
    find_time_frames,
    parse_number,
)
from scoring.questions import find_question
from scoring.register import read_register
from scoring.remedies import find_remedies
from scoring.segments import Segments
from scoring.topics import REPEAT_SIMILARITY, CaseWords, repeats

__all__ = ["Analyzer", "default_analyzer", "similarity", "MAX_CHARS", "REPEAT_SIMILARITY", "NEGATION_WINDOW",
           "parse_number", "find_time_frames", "find_amounts", "find_percents", "find_full", "Found", "NUM"]

MAX_CHARS = 2000  # only this prefix of a very long reply is graded (truncated=True)
# Span(**fields) and the like without BaseModel.__init__ (scoring.models.builder): the same instances, sooner.
new_span, new_evidence, new_analysis = builder(Span), builder(Evidence), builder(ReplyAnalysis)
_SURROGATE = re.compile("[\ud800-\udfff]")


class Analyzer:
    """Reads one trainee reply against the lexicons. Thread-safe; create once, reuse.

    `extra_lexicons` are lexicon files or folders merged over the built-ins (after $KEFU_LEXICON).
    """

    def __init__(self, extra_lexicons: Iterable[str | Path] | None = None,
                 learned: "LearnedReader | None | bool" = True) -> None:
        self._extra = list(extra_lexicons or [])
        # True: the shipped model (scoring/data/reader_model.json.gz) if present; None/False: rules only.
        self._learned_arg = learned
        self._learned: LearnedReader | None = None
        self._lock = threading.Lock()
        self._lexicon: Lexicon | None = None
        self._aux: Auxiliary | None = None
        self._case: CaseWords | None = None
        self._tokenizer = None

    # -- loading ---------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the lexicons, opencc and jieba now (idempotent, thread-safe)."""
        if self._tokenizer is not None:
            return
        self.load()
        self.lexicon.compile_all()  # the patterns load() leaves for their first use
        self._tokenizer = jieba_tokenizer()

    def load(self) -> None:
        """Load what every reply needs: lexicons, opencc, the learned model (idempotent, thread-safe).
        jieba is not among them: it loads when a reply first needs word boundaries (scoring.cues),
        so that `kefu score` on replies that never do starts without it; warm_up() loads it too."""
        if self._lexicon is not None:
            return
        with self._lock:
            if self._lexicon is not None:
                return
            lexicon = load_lexicon(self._extra)
            self._aux = Auxiliary.of(lexicon)
            self._case = CaseWords(self._aux.generic_word)
            normalize("預熱")  # creates the opencc converter
            # A trainer's own lexicon files decide: the shipped model learned the built-in rules only.
            trainer_rules = any(Path(s).resolve().parent != DATA_DIR.resolve() for s in lexicon.sources)
            if self._learned_arg is True and not trainer_rules:
                self._learned = default_reader()
            elif isinstance(self._learned_arg, LearnedReader):
                self._learned = self._learned_arg
            self._lexicon = lexicon  # last: another thread sees a loaded analyzer only when all is set

    @property
    def lexicon(self) -> Lexicon:
        """The merged lexicon (loads it on first use)."""
        self.load()
        assert self._lexicon is not None
        return self._lexicon

    # -- the analysis ----------------------------------------------------------------------------

    def analyze(self, text: str, context: AnalysisContext | None = None) -> ReplyAnalysis:
        """Analyse one reply; `context` (optional) supplies topics and earlier replies."""
        return self.read(text, context)[0]

    def read(self, text: str, context: AnalysisContext | None = None) -> tuple[ReplyAnalysis, frozenset[str]]:
        """The analysis and the decisions the rules made on purpose (scoring.combine.rule_vetoes),
        which the learned reader may not overturn (tools/train_reader.py needs both)."""
        self.load()
        context = context or AnalysisContext()
        text = text if isinstance(text, str) else str(text)
        truncated = len(text) > MAX_CHARS
        # A lone surrogate (from a JSON escape) is no character: U+FFFD keeps offsets and serialises.
        body = _SURROGATE.sub("\ufffd", text[:MAX_CHARS])
        norm = normalize(body)
        segs = Segments.of(norm)
        lex = self.lexicon
        aux, case = self._aux, self._case
        assert aux is not None and case is not None
        evidence: list[Evidence] = []

        padded = PAD in norm  # (only a shorter rewrite pads: most replies hold no PAD)

        def span(s: int, e: int) -> Span:
            if padded:
                while e < len(norm) and norm[e] == PAD:
                    e += 1  # a word read by a shorter rewrite (sorry -> 对不起): quote all of it
            return new_span({"text": body[s:e], "start": s, "end": e})

        raw = lex.scan(norm)  # every category in one pass
        marks = mark_clauses(raw, segs.clause, norm, lambda i: segs.clause_starts[i],
                             lambda a, b: segs.sentence(segs.clause_starts[a]) == segs.sentence(segs.clause_starts[b]))
        stuffing = stuffing_reason(norm, raw, case.case_words(context))
        if stuffing:
            return self._not_a_reply(text, body, truncated, stuffing, context, norm, span_of=span), frozenset(HEADS)
        hits = ReplyCues(norm, raw, aux, self._tokenizer)

        # Violations first: a cue inside a violation (不是我们的问题 holds 是我们的问题) counts for nothing.
        violations, blocked = find_violations(norm, hits, segs, marks)
        for v_hit in violations:
            evidence.append(new_evidence({"kind": v_hit.entry.code, "rule": v_hit.entry.rule,
                                          "span": span(v_hit.start, v_hit.end)}))

        apology_hits = hits("apology", blocked)
        apology, ev = level_of(apology_hits)
        owns_fault = any(h.entry.rule == OWN_FAULT for h in apology_hits)
        if ev:
            evidence.append(new_evidence({"kind": "apology", "rule": ev.entry.rule, "span": span(ev.start, ev.end)}))
        empathy, ev = level_of(empathy_hits(norm, hits, blocked))
        if ev:
            evidence.append(new_evidence({"kind": "empathy", "rule": ev.entry.rule, "span": span(ev.start, ev.end)}))

        # A request for a review (麻烦给个五星好评) is neither a question nor a solution: its clause is muted.
        reviews = hits("review_request", blocked)
        muted = blocked + [segs.clause_span(h.start) for h in reviews] if reviews else blocked
        hostile = any(v.entry.code in RHETORICAL for v in violations)
        question, question_kind, q_span, q_rule, pref_q = find_question(norm, segs, hits, hits.find, muted, lex,
                                                                        hostile)
        if question:
            evidence.append(new_evidence({"kind": "question", "rule": q_rule, "span": span(*q_span)}))

        hostile_spans = [(v.start, v.end) for v in violations if v.entry.code in HOSTILE]
        overpromises = [(v.start, v.end) for v in violations if v.entry.code == "overpromise"]
        remedies, solution = find_remedies(norm, segs, hits, muted, hostile_spans, span, marks, aux, overpromises)
        for r, rule in remedies:
            evidence.append(new_evidence({"kind": "solution", "rule": rule, "span": r.span}))

        register = read_register(norm, hits, blocked, violations, evidence, span)

        found_violations = [Violation(code=ViolationCode(h.entry.code), rule=h.entry.rule, span=span(h.start, h.end))
                            for h in violations]
        levels = {"apology": apology, "empathy": empathy, "question": question, "solution": solution}
        vetoes = rule_vetoes(hits, marks, segs, violations, reviews)
        if question and confirming_sentences(norm):  # (您女儿是27号生日对吧？: a confirming question stays one)
            vetoes |= KEEP_QUESTION
        if self._learned is not None:  # the learned reader beside the rules (scoring.combine)
            reading = self._learned.read(norm)
            levels, found_violations, evidence = combine(levels, found_violations, evidence, reading,
                                                         self._learned.thresholds, span, vetoes)
            if levels["question"] == 0:
                question_kind = None
            elif question == 0:
                question_kind = "closed" if "?" in norm or "吗" in norm else "open"

        issue_topics = case.topics(norm, context.issue_topics, evidence, span)
        fact_topics = case.topics(norm, context.fact_topics, evidence, span)
        names_case = case.names_case(norm, context, evidence)
        acts = read_acts(norm, segs, marks, hits, blocked, violations, remedies, question, question_kind,
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

        # issue 17: slots and what is asked (scoring/substance.py), read from the draft: one build, no copy
        return new_analysis(substance_fields(dict(
            text=body,
            apology=levels["apology"],
            owns_fault=owns_fault,
            empathy=levels["empathy"],
            question=levels["question"],
            question_kind=question_kind,
            solution=levels["solution"],
            remedies=[r for r, _ in remedies],
            violations=found_violations,
            asks_preference=pref_q or bool(hits("preference", blocked)),
            thanks=bool(hits("thanks", blocked)),
            invites_story=bool(hits("listening", blocked)),
            commitment=bool(hits("commitment", blocked)),
            issue_topics=issue_topics,
            fact_topics=fact_topics,
            repeats_turn=repeats(norm, context.previous_replies),
            acts=acts,
            limit_stated=any(a.kind is ActKind.limit for a in acts),
            handoff=handoff,
            names_case=names_case,
            **register,
            length=_read_length(text, norm),
            truncated=truncated,
            evidence=evidence,
        ), context, norm, segs)), vetoes

    @staticmethod
    def _not_a_reply(text, body, truncated, reason, context, norm, span_of) -> ReplyAnalysis:
        """A reply that is no reply (keyword stuffing): nothing on any dimension, and why."""
        return ReplyAnalysis(
            text=body, apology=0, empathy=0, question=0, solution=0,
            acts=[Act(kind=ActKind.none, span=span_of(0, len(body)))] if body else [],
            not_a_reply="stuffing", not_a_reply_reason=reason,
            repeats_turn=repeats(norm, context.previous_replies),
            names_case=False if (context.issue_topics or context.fact_topics or context.case_terms) else None,
            length=_read_length(text, norm), truncated=truncated,
        )


def _read_length(text: str, norm: str) -> int:
    """The reply's length in the words read: the visible characters of its normalised text (藍色畫面 read as
    蓝屏 counts 2, as 蓝屏 typed does; a shorter rewrite's padding is whitespace), and of any part beyond
    MAX_CHARS as typed, so that a reply and the same reply in the other script are equally long."""
    return _visible_length(norm) + (_visible_length(text[len(norm):]) if len(text) > len(norm) else 0)


def _visible_length(text: str) -> int:
    """The characters of `text` that are not whitespace (str.split() cuts on exactly str.isspace()'s
    characters, in C: no per-character Python loop)."""
    return sum(map(len, text.split()))


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
