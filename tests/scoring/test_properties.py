"""Property tests (hypothesis): the scorer never crashes and keeps its contract on any input.

- `scoring.analyze` on any string (empty, emoji, control characters, mixed scripts, 100k characters)
  returns a ReplyAnalysis: levels 0..2, spans inside the analysed text quoting the trainee's original
  characters, a bounded prefix for very long input (`truncated`), the same result for the same input.
- Lone surrogates (JSON escapes, undecodable terminal bytes) neither crash nor break JSON output.
- `grade_session` on any record never raises, stays within 0..100 and reconciles its items.
Runs are bounded (max_examples <= 150, no deadline) so the suite stays fast.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import AnalysisContext, Topic, analyze, grade_session
from scoring.analyzer import MAX_CHARS
from scoring.models import (
    DIMENSIONS,
    Evidence,
    Remedy,
    RemedyKind,
    ReplyAnalysis,
    SessionRecord,
    Span,
    TurnRecord,
    Violation,
    ViolationCode,
)
from scoring.rubric import DEDUCTION_CAP, DIMENSION_WEIGHTS

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces trainees really type: simplified and traditional model sentences, taboo phrases, chat noise.
PIECES = [
    "很抱歉，这件事我们处理得不够周全，给您添麻烦了", "很抱歉，這件事我們處理得不夠周全，給您添麻煩了",
    "我理解您的心情", "我理解您的心情", "您能具体讲一下是什么时候买的吗？", "您希望换货还是退款？",
    "我们24小时内为您重新发出", "我們24小時內為您重新發出", "送您一张30元代金券", "谢谢您的信任",
    "这是屏幕分辨率的问题", "你怎么那么笨", "这是决不可能的", "请等一下", "保证明天一定到", "亲", "～～",
    "😊", "👍🏻", "\u200b", "\u3000", "\t", "\n", "\r\n", "\x00", "\x1b[31m", "\ufeff", "ＡＢＣ１２３",
    "ok的", "!!!", "？？？", "。。。", "🇨🇳", "e\u0301", "ﾃｽﾄ", "한국어", "العربية",
]
any_text = st.text(max_size=300)  # any code points except lone surrogates (hypothesis' default)
odd_text = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "So", "Sk", "Mn", "Lo", "Nd", "Po"]),
    max_size=200,
)
chat_text = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
mixed_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=10).map("".join)
texts = st.one_of(any_text, odd_text, chat_text, mixed_text)

topics = st.lists(
    st.builds(Topic, id=st.text(min_size=1, max_size=8),
              keywords=st.lists(st.one_of(st.sampled_from(["颜色", "物流", "订单号", "照片", "退款"]),
                                          st.text(min_size=1, max_size=4)), max_size=4)),
    max_size=3,
)
contexts = st.one_of(
    st.none(),
    st.builds(AnalysisContext, customer_message=texts, issue_topics=topics, fact_topics=topics,
              previous_replies=st.lists(texts, max_size=4)),
)


def _check_analysis(text: str, context: AnalysisContext | None, a: ReplyAnalysis) -> None:
    for level in (a.apology, a.empathy, a.question, a.solution):
        assert 0 <= level <= 2
    assert text.startswith(a.text), "the analysed text is the reply as given, or a prefix of it"
    assert a.truncated == (len(a.text) < len(text))
    spans = [e.span for e in a.evidence] + [v.span for v in a.violations] + [r.span for r in a.remedies]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(a.text), span
        assert a.text[span.start:span.end] == span.text, "spans quote the trainee's original characters"
    if context is not None:
        assert set(a.issue_topics) <= {t.id for t in context.issue_topics}
        assert set(a.fact_topics) <= {t.id for t in context.fact_topics}
        if a.repeats_turn is not None:
            assert 0 <= a.repeats_turn < len(context.previous_replies)
    else:
        assert a.issue_topics == [] and a.fact_topics == [] and a.repeats_turn is None


@BOUNDED
@given(text=texts, context=contexts)
def test_analyze_any_text_keeps_the_contract(text, context):
    a = analyze(text, context)
    _check_analysis(text, context, a)
    a.model_dump_json()  # the engine and `kefu score` serialise every analysis
    assert analyze(text, context).model_dump() == a.model_dump(), "same input, same analysis"


def test_traditional_input_is_quoted_in_traditional():
    """Trainees write both scripts; the quote shows what they typed, not the normalised form."""
    text = "很抱歉，這件事我們處理得不夠周全，給您添麻煩了。我們24小時內為您重新發出。"
    a = analyze(text)
    _check_analysis(text, None, a)
    assert a.apology == 2
    assert all(e.span.text in text for e in a.evidence)


@pytest.mark.parametrize("text", [
    "很抱歉" * 34_000,  # 102k characters of one phrase
    "".join(PIECES) * 700,  # ~100k of mixed scripts, emoji and control characters
    "字" * 100_000,  # one long token
], ids=["one-phrase-102k", "mixed-100k", "one-token-100k"])
def test_very_long_input_is_graded_on_a_bounded_prefix(text):
    a = analyze(text)
    assert a.truncated and len(a.text) <= MAX_CHARS < len(text)
    _check_analysis(text, None, a)


@pytest.mark.parametrize("text", ["a\ud800b", "\udfff", "很抱歉\udc80给您添麻烦了"], ids=["high", "low", "in-cjk"])
def test_lone_surrogates_do_not_crash(text):
    """Lone surrogates reach analyze from JSON escapes (`kefu score`) or undecodable terminal bytes
    (surrogateescape); they must not crash the trainer, and the analysis and the session's scorecard
    must still serialise to JSON."""
    a = analyze(text)
    assert a.apology == (2 if "抱歉" in text else 0)
    a.model_dump_json()
    turn = TurnRecord(index=0, customer_message="?", reply=text, seconds=1, analysis=a)
    grade_session(SessionRecord(scenario_id="x", turns=[turn])).model_dump_json()


# ---- grade_session over random records ------------------------------------------------------

short_text = st.text(max_size=40)
spans = st.builds(Span, text=short_text, start=st.integers(0, 50), end=st.integers(0, 60))
analyses = st.builds(
    ReplyAnalysis,
    text=short_text,
    apology=st.integers(0, 2), empathy=st.integers(0, 2), question=st.integers(0, 2),
    question_kind=st.sampled_from([None, "open", "closed"]), solution=st.integers(0, 2),
    remedies=st.lists(st.builds(Remedy, kind=st.sampled_from(list(RemedyKind)),
                                time_frame=st.one_of(st.none(), st.sampled_from(["24小时内", "明天", ""])),
                                hours=st.one_of(st.none(), st.floats(0, 200)), span=spans), max_size=3),
    violations=st.lists(st.builds(Violation, code=st.sampled_from(list(ViolationCode)), rule=short_text,
                                  span=spans), max_size=3),
    asks_preference=st.booleans(), thanks=st.booleans(), commitment=st.booleans(),
    issue_topics=st.lists(st.sampled_from(["wrong_color", "late_delivery", "other"]), max_size=3),
    fact_topics=st.lists(st.sampled_from(["photo", "order"]), max_size=2),
    repeats_turn=st.one_of(st.none(), st.integers(0, 10)),
    length=st.integers(0, 500), truncated=st.booleans(),
    evidence=st.lists(st.builds(Evidence, kind=st.sampled_from(["apology", "empathy", "question", "solution",
                                                                "topic", "insult"]),
                                rule=short_text, span=spans), max_size=4),
)
turn_records = st.builds(
    TurnRecord, index=st.integers(-1, 30), customer_message=st.text(max_size=80), reply=st.text(max_size=80),
    seconds=st.floats(-5, 10_000, allow_nan=False), analysis=analyses, quick_reply=st.booleans(),
    customer_upset=st.booleans(), policy_breaches=st.lists(short_text, max_size=2),
)
records = st.builds(
    SessionRecord, scenario_id=st.just("random"),
    issues=st.lists(st.sampled_from([Topic(id="wrong_color", keywords=["颜色"]),
                                     Topic(id="late_delivery", keywords=["物流"]),
                                     Topic(id="no_keywords", keywords=[])]), max_size=3,
                  unique_by=lambda t: t.id),
    response_limit_seconds=st.floats(1, 300), outcome=st.sampled_from(["resolved", "escalated", "abandoned",
                                                                      "unfinished"]),
    turns=st.lists(turn_records, max_size=8),
)


def _check_card(card) -> None:
    for value in (card.apology, card.empathy, card.question, card.solution, card.total):
        assert 0 <= value <= 100
    assert 0 <= card.deductions <= DEDUCTION_CAP
    for d in DIMENSIONS:
        assert sum(i.points for i in card.items if i.dimension == d) == getattr(card, d)
    assert sum(i.points for i in card.items if i.dimension == "deduction") == -card.deductions
    base = (sum(DIMENSION_WEIGHTS[d] * getattr(card, d) for d in DIMENSIONS) + 50) // 100
    assert card.total == max(0, base - card.deductions)
    assert len(card.tips) <= 3
    card.model_dump_json()  # the engine and `kefu run` serialise every scorecard


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records)
def test_grade_session_never_raises_and_reconciles(record):
    card = grade_session(record)
    _check_card(card)
    assert grade_session(record).model_dump() == card.model_dump()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replies=st.lists(st.tuples(texts, texts, st.floats(0, 400)), max_size=8))
def test_grade_session_over_real_analyses(replies):
    """Whatever the trainee types, the real analyzer plus the grader give a valid, reconciled card."""
    issues = [Topic(id="wrong_color", keywords=["颜色", "深棕"]), Topic(id="late_delivery", keywords=["物流"])]
    turns, previous = [], []
    for i, (customer, reply, seconds) in enumerate(replies):
        a = analyze(reply, AnalysisContext(customer_message=customer, issue_topics=issues,
                                           previous_replies=list(previous)))
        turns.append(TurnRecord(index=i, customer_message=customer, reply=reply, seconds=seconds, analysis=a))
        previous.append(reply)
    _check_card(grade_session(SessionRecord(scenario_id="wig-wrong-color", issues=issues, turns=turns)))
