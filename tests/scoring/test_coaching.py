"""Coaching from the same reading and the same case as the scorecard (issue 7 §4, issue 13)."""

from __future__ import annotations

from scoring import analyze
from scoring.coaching import CoachContext, coach, coach_lines
from scoring.models import AnalysisContext, Topic
from scoring.rubric import better_phrasing
from scoring.session import clarifies


def text_of(notes) -> str:
    return "\n".join(coach_lines(notes))


def test_coaching_ticks_a_question_only_when_the_scorecard_counts_it():
    """Today's bug: coaching ticked 提问 where the scorecard said no question was asked."""
    a = analyze("给您补发一顶，您看这样可以吗？")
    question = next(n for n in coach(a) if n.title.startswith("提问"))
    assert question.ok is clarifies(a) is False


def test_coaching_for_a_venting_customer_first_turn_does_not_suggest_a_solution():
    """001 平息怨气: before she is heard, the advice is to listen, never to offer a remedy."""
    a = analyze("非常抱歉，我理解您的心情。")
    notes = coach(a, CoachContext(category="product", must_be_heard_pending=True))
    solution = next(n for n in notes if n.title.startswith("方案"))
    assert not solution.ok and "先别急着给方案" in solution.advice
    assert "补发" not in solution.advice and "退款" not in solution.advice


def test_a_hotel_case_never_gets_a_wig_sentence():
    a = analyze("您好。")
    for category in ("service", "logistics"):
        advice = text_of(coach(a, CoachContext(category=category)))
        assert "颜色" not in advice and "假发" not in advice
    case = {"solution.issues": "按房型差价给您补偿，24小时内到账。"}
    assert "按房型差价" in text_of(coach(a, CoachContext(category="service", better=case)))
    assert better_phrasing("solution.issues", "service", case) == case["solution.issues"]


def test_stuffing_is_called_what_it_is():
    a = analyze("抱歉理解心情退款24小时内吗")
    notes = coach(a)
    assert notes[0].title == "不是回复" and not notes[0].ok and "不计分" in notes[0].advice


def test_a_template_is_flagged_and_open_issues_are_named():
    ctx = AnalysisContext(issue_topics=[Topic(id="wrong_color", keywords=["颜色", "深棕"])])
    a = analyze("亲，非常抱歉给您带来不便，我们会尽快为您妥善处理，感谢您的理解与支持！", ctx)
    text = text_of(coach(a, CoachContext(category="product", open_issues=("颜色发错了",))))
    assert "✗ 套话" in text and "✗ 还没回应" in text and "颜色发错了" in text


def test_coaching_fits_the_moment_of_the_conversation():
    """Issue 21 §6: advice already followed, or past its stage, is not given again."""
    from scoring import analyze
    from scoring.coaching import CoachContext, coach, coach_lines

    better = {"question.first": "麻烦您先把订单号发我一下，再拍张包装标签的照片好吗？"}
    reply = analyze("好的，我这边马上帮您处理。")
    fresh = "\n".join(coach_lines(coach(reply, CoachContext(better=better))))
    assert "✗ 道歉" in fresh and "麻烦您先把订单号发我一下" in fresh
    told = "\n".join(coach_lines(coach(reply, CoachContext(better=better, done_before=("apology", "empathy"),
                                                           told=("订单号", "单号")))))
    assert "✗ 道歉" not in told and "✗ 共情" not in told
    assert "顾客已经告诉您订单号了，别再问一遍" in told and "麻烦您先把订单号发我一下" not in told
    settled = "\n".join(coach_lines(coach(reply, CoachContext(better=better, offer_on_table=True))))
    assert "✗ 提问" not in settled and "✗ 方案" not in settled and "下一步：收尾" in settled
