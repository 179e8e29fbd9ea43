"""Session grading (scoring.session.grade_session): what a trainee sees on the scorecard.

The first part builds ReplyAnalysis objects by hand, so each test pins one rubric rule whatever the
lexicons say; the last part drives the real analyzer end to end (scoring.analyze).
Seed references: 000 wig case, 001 five steps, 003 chat taboos, 004 complaint template.
"""

from __future__ import annotations

import re

import pytest

from scoring import AnalysisContext, analyze, grade_session
from scoring.models import (
    DIMENSIONS,
    Evidence,
    MisfitNote,
    Remedy,
    RemedyKind,
    ReplyAnalysis,
    Scorecard,
    SessionRecord,
    Span,
    Topic,
    TurnRecord,
    Violation,
    ViolationCode,
)
from scoring.rubric import DEDUCTION_CAP, DEDUCTION_SHARE, DIMENSION_WEIGHTS, rule

CJK = re.compile(r"[\u4e00-\u9fff]")

WIG_ISSUES = [
    Topic(id="wrong_color", keywords=["颜色", "深棕", "浅棕", "发错"]),
    Topic(id="late_delivery", keywords=["物流", "晚了", "迟了", "清关"]),
]
RANT = "图片上明明是深棕色，收到的竟然是浅棕色！而且晚了整整三天！你们在搞笑吗？我急着用的！"


# ---- builders ---------------------------------------------------------------------------------


def _span(text: str, word: str) -> Span:
    start = text.index(word)
    return Span(text=word, start=start, end=start + len(word))


def analysis(
    text: str,
    *,
    apology: int = 0,
    empathy: int = 0,
    question: int = 0,
    question_kind: str | None = None,
    solution: int = 0,
    quotes: dict[str, str] | None = None,
    remedies: tuple[tuple[RemedyKind, str, str | None], ...] = (),
    violations: tuple[tuple[ViolationCode, str], ...] = (),
    issues: tuple[str, ...] = (),
    facts: tuple[str, ...] = (),
    asks_preference: bool = False,
    thanks: bool = False,
    commitment: bool = False,
    repeats_turn: int | None = None,
) -> ReplyAnalysis:
    """A hand-made analysis; `quotes` maps an evidence kind to the words of `text` that show it."""
    return ReplyAnalysis(
        text=text, length=len("".join(text.split())),
        apology=apology, empathy=empathy, question=question, question_kind=question_kind, solution=solution,
        remedies=[Remedy(kind=k, time_frame=tf, hours=24 if tf else None, span=_span(text, w))
                  for k, w, tf in remedies],
        violations=[Violation(code=c, rule=c.value, span=_span(text, w)) for c, w in violations],
        issue_topics=list(issues), fact_topics=list(facts), asks_preference=asks_preference,
        thanks=thanks, commitment=commitment, repeats_turn=repeats_turn,
        evidence=[Evidence(kind=k, rule=k, span=_span(text, w)) for k, w in (quotes or {}).items()],
    )


def turn(index: int, customer: str, a: ReplyAnalysis, *, seconds: float = 12, upset: bool = True,
         quick: bool = False, breaches: tuple[str, ...] = ()) -> TurnRecord:
    return TurnRecord(index=index, customer_message=customer, reply=a.text, seconds=seconds, analysis=a,
                      customer_upset=upset, quick_reply=quick, policy_breaches=list(breaches))


def record(*turns: TurnRecord, issues: list[Topic] | None = None, limit: float = 30,
           outcome: str = "resolved") -> SessionRecord:
    # (these records grade the rules of each dimension: the customer agreed unless a test says otherwise, so that
    # rubric outcome.unsettled stays out of their totals)
    return SessionRecord(scenario_id="wig-wrong-color", issues=WIG_ISSUES if issues is None else issues,
                         response_limit_seconds=limit, turns=list(turns), outcome=outcome)


def items_of(card: Scorecard, rule_id: str) -> list:
    return [i for i in card.items if i.rule == rule_id]


def assert_reconciles(card: Scorecard) -> None:
    """Every point is an item: dimension items sum to the dimension, deduction items to -deductions."""
    for d in DIMENSIONS:
        assert sum(i.points for i in card.items if i.dimension == d) == getattr(card, d)
    assert sum(i.points for i in card.items if i.dimension == "deduction") == -card.deductions
    base = (sum(DIMENSION_WEIGHTS[d] * getattr(card, d) for d in DIMENSIONS) + 50) // 100
    assert card.total == max(0, base - card.deductions)


# ---- the model handling of the wig case (000) and a bad one ---------------------------------


def model_wig_session() -> SessionRecord:
    r0 = "非常抱歉，这件事我们处理得不够周全，给您添麻烦了！我理解您的心情，颜色不对又晚了三天，换谁都会生气。您能具体讲一下收到的假发是什么样子的吗？方便的话拍张照片给我。"
    r1 = "我了解您的状况了，是我们仓库发错了颜色，真的很抱歉。您是这个周末就要用，是吗？"
    r2 = "您看这样可以吗：我们24小时内为您重新发出深棕色的假发，并承诺周五前送达；物流晚了三天也给您添了麻烦，再送您一张30元代金券。您希望这样处理吗？"
    r3 = "真抱歉，给您添麻烦了。谢谢您对我们的信任，包裹发出后我会一直跟进物流，有更新第一时间告诉您。我们会不断提高产品和服务质量。"
    return record(
        turn(0, RANT, analysis(
            r0, apology=2, empathy=2, question=2, question_kind="open", issues=("wrong_color", "late_delivery"),
            facts=("photo",), quotes={"apology": "这件事我们处理得不够周全，给您添麻烦了", "empathy": "我理解您的心情",
                                     "question": "您能具体讲一下收到的假发是什么样子的吗"})),
        turn(1, "是浅棕色的！照片发你了，我周末要用。", analysis(
            r1, apology=2, empathy=1, question=2, question_kind="closed", issues=("wrong_color",),
            quotes={"apology": "真的很抱歉", "empathy": "我了解您的状况了", "question": "您是这个周末就要用，是吗"})),
        turn(2, "对，周六就要用。", analysis(
            r2, solution=2, question=1, question_kind="closed", asks_preference=True,
            issues=("wrong_color", "late_delivery"),
            remedies=((RemedyKind.reship, "24小时内为您重新发出深棕色的假发", "24小时内"),
                      (RemedyKind.voucher, "再送您一张30元代金券", None)),
            quotes={"preference": "您希望这样处理吗"}), upset=False),
        turn(3, "好吧，那就这样吧。", analysis(
            r3, apology=2, thanks=True, commitment=True,
            remedies=((RemedyKind.follow_up, "包裹发出后我会一直跟进物流", None),),
            quotes={"apology": "真抱歉，给您添麻烦了", "thanks": "谢谢您对我们的信任"}), upset=False),
    )


def test_model_wig_handling_scores_high_on_every_dimension():
    """000 wig case handled as the seed says: apology, empathy, questions, reship in 24 h + voucher, close."""
    card = grade_session(model_wig_session())
    assert card.total >= 80
    assert min(card.apology, card.empathy, card.question, card.solution) >= 80
    assert card.unanswered_issues == [] and card.slow_turns == [] and card.deductions == 0
    assert card.reply_ratio >= 1.1
    early = items_of(card, "apology.early")[0]
    assert early.points == rule("apology.early").points and early.turn == 0
    assert early.quote == "这件事我们处理得不够周全，给您添麻烦了"  # the trainee's own words
    assert items_of(card, "solution.time_frame")[0].quote == "24小时内"  # 004 24小时内
    assert_reconciles(card)


def bad_wig_session() -> SessionRecord:
    r0 = "亲，这是屏幕分辨率的问题，不同显示器看到的颜色会有差别的。"
    r1 = "你怎么那么多事，别人都不像你这么麻烦。"
    r2 = "不好意思，那你想怎样？"
    return record(
        turn(0, RANT, analysis(r0, issues=("wrong_color",),
                               violations=((ViolationCode.excuse, "屏幕分辨率的问题"),)), seconds=95),
        turn(1, "你说什么？明明就是你们发错了！还晚了三天！", analysis(
            r1, violations=((ViolationCode.insult, "你怎么那么多事"),))),
        turn(2, "我要投诉你们！", analysis(r2, apology=1, question=1, question_kind="open",
                                           quotes={"apology": "不好意思"})),
    )


def test_blaming_screen_resolution_with_insults_scores_low():
    """000: the agent blamed screen resolution; 001 四: no personal attacks. Deducted, with the words."""
    card = grade_session(bad_wig_session())
    assert card.total <= 20
    excuse = items_of(card, "violation.excuse")
    insult = items_of(card, "violation.insult")
    assert excuse[0].quote == "屏幕分辨率的问题" and excuse[0].points == -rule("violation.excuse").points
    assert insult[0].quote == "你怎么那么多事" and insult[0].turn == 1
    assert "屏幕分辨率的问题" in excuse[0].reason
    assert excuse[0].better  # a better phrasing is offered
    # the excuse also costs the sincerity credit of the (late, weak) apology (000 不找借口)
    assert items_of(card, "apology.sincere")[0].points == 0
    assert items_of(card, "apology.late")[0].points == rule("apology.late").weak_points
    assert card.unanswered_issues == ["late_delivery"]  # 000: two problems, one answer
    assert card.slow_turns == [0]
    assert len(card.tips) == 3 and any("借口" in t or "指责" in t for t in card.tips)
    assert_reconciles(card)


# ---- apology (001 平息怨气) -----------------------------------------------------------------


def _apology_session(levels: list[int]) -> SessionRecord:
    turns = []
    for i, lv in enumerate(levels):
        text = ("很抱歉，给您添麻烦了。" if lv == 2 else "不好意思。" if lv == 1 else "") + "我们马上为您查询处理。"
        turns.append(turn(i, "怎么回事？", analysis(text, apology=lv)))
    return record(*turns, issues=[])


def test_more_apologies_add_nothing_past_the_cap():
    """001 平息怨气: credit for an early apology and one at the close; apologising in every reply adds nothing."""
    twice = grade_session(_apology_session([2, 0, 0, 2]))
    always = grade_session(_apology_session([2, 2, 2, 2, 2, 2]))
    assert twice.apology == always.apology == 100
    assert len([i for i in always.items if i.dimension == "apology" and i.points > 0]) == 3


def test_strong_apology_scores_more_than_weak():
    """001 平息怨气: “很抱歉，给您添麻烦了” beats a bare “不好意思”."""
    strong = grade_session(_apology_session([2, 0]))
    weak = grade_session(_apology_session([1, 0]))
    assert strong.apology > weak.apology
    item = items_of(weak, "apology.early")[0]
    assert item.points == rule("apology.early").weak_points and "不够周全" in item.better


def test_apology_after_the_first_two_replies_scores_less():
    """001 平息怨气: apologise at once; a third-reply apology only earns the reduced rule."""
    early = grade_session(_apology_session([0, 2, 0, 0]))
    late = grade_session(_apology_session([0, 0, 2, 0]))
    assert early.apology > late.apology
    assert items_of(late, "apology.late")[0].turn == 2
    assert items_of(late, "apology.late")[0].points == rule("apology.late").points


# ---- empathy, questions, consultation -----------------------------------------------------


def test_empathy_counts_while_the_customer_is_upset():
    """001 平息怨气: “我理解您的心情” while the customer is upset; once calm it does not earn early credit."""
    calm_then = record(
        turn(0, "怎么还没到？", analysis("我们马上为您查询物流情况。"), upset=False),
        turn(1, "好的。", analysis("我理解您的心情，我们马上查。", empathy=2, quotes={"empathy": "我理解您的心情"}),
             upset=False),
        turn(2, "你们太慢了！", analysis("我理解您的心情，真的很着急。", empathy=2, quotes={"empathy": "我理解您的心情"})),
    )
    card = grade_session(calm_then)
    assert items_of(card, "empathy.late")[0].turn == 2  # turn 1 did not count: the customer was calm
    assert items_of(card, "empathy.late")[0].quote == "我理解您的心情"


def test_questions_before_solutions_open_then_closed():
    """001 澄清问题: an open question, then a closed one, before the remedy; asking only afterwards scores less."""
    q_open = analysis("您能具体讲一下是什么情况吗？", question=2, question_kind="open", facts=("photo",),
                      quotes={"question": "您能具体讲一下是什么情况吗"})
    q_closed = analysis("您是昨天收到的，是吗？", question=2, question_kind="closed",
                        quotes={"question": "您是昨天收到的，是吗"})
    fix = analysis("我们24小时内为您补发。", solution=2, remedies=((RemedyKind.reship, "24小时内为您补发", "24小时内"),))
    good = grade_session(record(turn(0, "差评！", q_open), turn(1, "昨天。", q_closed), turn(2, "是的。", fix),
                                issues=[]))
    late = grade_session(record(turn(0, "差评！", fix), turn(1, "好吧。", q_closed), turn(2, "昨天。", q_open),
                                issues=[]))
    assert good.question == 100
    assert items_of(good, "question.closed")[0].turn == 1
    assert late.question < good.question
    assert items_of(late, "question.late")[0].points > 0
    assert items_of(late, "question.closed")[0].points == 0  # closed before open (001: open first)


def test_offering_a_choice_is_consultative():
    """001 协商解决: “您希望换货还是退款？” before deciding earns solution.consult; a one-sided offer does not."""
    choice = analysis("您希望换货还是退款？我们都可以马上安排。", solution=1, question=1, question_kind="closed",
                      asks_preference=True, remedies=((RemedyKind.exchange, "换货", None),),
                      quotes={"preference": "您希望换货还是退款"})
    decided = analysis("给您退款了。", solution=1, remedies=((RemedyKind.refund, "退款", None),))
    with_choice = grade_session(record(turn(0, "怎么办？", choice), issues=[]))
    without = grade_session(record(turn(0, "怎么办？", decided), issues=[]))
    assert items_of(with_choice, "solution.consult")[0].points == rule("solution.consult").points
    assert items_of(with_choice, "solution.consult")[0].quote == "您希望换货还是退款"
    assert items_of(without, "solution.consult")[0].points == 0
    # a preference question alone is not a clarifying question (001 澄清问题 comes first)
    assert items_of(with_choice, "question.first")[0].points == 0


# ---- issues (000) -----------------------------------------------------------------------------


def test_unanswered_second_issue_is_listed_and_deducted():
    """000: the customer raised two problems and got an answer to one."""
    only_color = analysis("很抱歉发错了颜色，我们24小时内为您补发深棕色的。", apology=2, solution=2,
                          issues=("wrong_color",),
                          remedies=((RemedyKind.reship, "24小时内为您补发深棕色的", "24小时内"),))
    card = grade_session(record(turn(0, RANT, only_color)))
    assert card.unanswered_issues == ["late_delivery"]
    ded = items_of(card, "issue.unanswered")
    assert len(ded) == 1 and ded[0].points == -rule("issue.unanswered").points and "物流" in ded[0].reason
    issue_items = items_of(card, "solution.issues")
    assert [i.points for i in issue_items] == [25, 0]
    assert issue_items[0].quote == "24小时内为您补发深棕色的"
    assert_reconciles(card)


def test_issue_mentioned_without_its_own_remedy_earns_half():
    """000/004: each problem needs a concrete remedy; talking about it without one earns half its share."""
    both = analysis("很抱歉颜色发错了，物流也晚了。我们24小时内为您补发。", apology=2, solution=2,
                    issues=("wrong_color",), remedies=((RemedyKind.reship, "24小时内为您补发", "24小时内"),))
    mention = analysis("物流晚了三天确实是我们的问题。", issues=("late_delivery",))
    card = grade_session(record(turn(0, RANT, both), turn(1, "那晚了的呢？", mention)))
    assert [i.points for i in items_of(card, "solution.issues")] == [25, 12]
    assert card.unanswered_issues == []


def test_checking_or_escalating_is_not_yet_a_remedy():
    """000/004: “我马上帮您核实” is a step, not a solution: half the issue's share, and it does not count
    as “a solution before the questions” (001 澄清问题 comes before 协商解决)."""
    check = analysis("我马上帮您联系物流核实一下晚了的原因。您能告诉我订单号吗？", question=2, question_kind="open",
                     solution=1, issues=("late_delivery",), facts=("order_number",),
                     remedies=((RemedyKind.contact_courier, "联系物流核实", None),),
                     quotes={"question": "您能告诉我订单号吗"})
    fix = analysis("颜色发错了，我们24小时内为您补发。", solution=2, issues=("wrong_color",),
                   remedies=((RemedyKind.reship, "24小时内为您补发", "24小时内"),))
    card = grade_session(record(turn(0, RANT, check), turn(1, "订单号123。", fix)))
    color, late = items_of(card, "solution.issues")
    assert (color.points, late.points) == (25, 12)
    assert late.quote == "联系物流核实" and "还没有给出具体方案" in late.reason
    assert items_of(card, "question.first")[0].points == rule("question.first").points


# ---- chat taboos (003) ------------------------------------------------------------------------


def test_slow_replies_are_deducted_and_listed():
    """003 禁区1: slower than the 30 s limit is deducted, each reply listed in slow_turns; capped per rule."""
    a = analysis("很抱歉让您久等了，我们马上为您处理这个问题。", apology=2)
    turns = [turn(i, "人呢？", a, seconds=s) for i, s in enumerate([10, 45, 31, 29, 300, 100, 90])]
    card = grade_session(record(*turns, issues=[]))
    assert card.slow_turns == [1, 2, 4, 5, 6]
    slow = items_of(card, "reply.slow")
    assert [i.turn for i in slow] == [1, 2, 4, 5, 6]
    assert sum(i.points for i in slow) == -rule("reply.slow").cap
    assert "45秒" in slow[0].reason and "30秒" in slow[0].reason
    assert slow[-1].points == 0 and "已扣满" in slow[-1].reason  # shown, but no longer deducted


def test_short_replies_give_a_low_reply_ratio():
    """003 禁区4: replies shorter than the customer, and a session ratio below 110%, are deducted."""
    card = grade_session(record(
        turn(0, RANT, analysis("不好意思。", apology=1)),
        turn(1, "就这？你们打算怎么处理？我要一个说法！", analysis("给您补发。", solution=1,
                                                         remedies=((RemedyKind.reship, "补发", None),))),
        issues=[]))
    assert card.reply_ratio < 1.1
    ratio = items_of(card, "reply.ratio")
    assert len(ratio) == 1 and ratio[0].points == -rule("reply.ratio").points and ratio[0].turn is None
    short = items_of(card, "reply.short")
    assert [i.turn for i in short] == [0, 1] and short[0].quote == "不好意思。"
    assert "110%" in ratio[0].reason


def test_long_enough_replies_are_not_deducted():
    """003 禁区4: a reply at least as long as the customer's message is fine."""
    card = grade_session(model_wig_session())
    assert not items_of(card, "reply.short") and not items_of(card, "reply.ratio")


def test_repeated_and_quick_replies_are_deducted():
    """003 禁区6: the same reply again, and more than three quick replies in one chat."""
    canned = "亲，您的问题我们已经记录，会尽快处理哦。"
    turns = [turn(0, "怎么回事？", analysis(canned), quick=True)]
    turns += [turn(i, "又是这句？", analysis(canned, repeats_turn=0), quick=True) for i in range(1, 5)]
    card = grade_session(record(*turns, issues=[]))
    assert [i.turn for i in items_of(card, "reply.repeat")] == [1, 2, 3, 4]
    assert "第1句回复" in items_of(card, "reply.repeat")[0].reason
    quick = items_of(card, "reply.quick")
    assert [i.turn for i in quick] == [3, 4]  # the 4th and 5th quick replies
    assert "第4个快捷回复" in quick[0].reason
    # Each is worth its rule's points, unless the deductions already took DEDUCTION_SHARE% of the credit.
    assert quick[0].points == -rule("reply.quick").points or "扣分最多扣到得分的" in quick[0].reason


def test_policy_breaches_are_deducted():
    """002 确定界限: an offer beyond the shop's policy, as reported by the engine."""
    a = analysis("很抱歉，我们给您全额退款再赔偿500元。", apology=2, solution=2,
                 remedies=((RemedyKind.refund, "全额退款", None),))
    card = grade_session(record(turn(0, RANT, a, breaches=("承诺了超出政策的赔偿（500元，上限50元）",)), issues=[]))
    item = items_of(card, "policy.breach")[0]
    assert item.points == -rule("policy.breach").points and "500元" in item.reason


def test_a_cold_first_answer_to_an_angry_customer_costs_points():
    """001 平息怨气 1、2: 投诉之初不要急于做解释 — a first reply with neither an apology nor understanding, to a
    customer who came in angry, is deducted once; a first reply with either, or to a calm customer, is not."""
    cold = "您好，根据售后条款，间接损失不在赔偿范围内，请知悉。"
    then = analysis("非常抱歉，我理解您的心情，我们24小时内为您补发。", apology=2, empathy=2, solution=2,
                    remedies=((RemedyKind.reship, "24小时内为您补发", "24小时内"),))
    card = grade_session(record(turn(0, RANT, analysis(cold)), turn(1, RANT, then)))  # (something earned to deduct from)
    item = items_of(card, "reply.cold_open")[0]
    assert item.points == -rule("reply.cold_open").points and item.turn == 0 and item.quote.startswith("您好，根据")
    warm = analysis("很抱歉，" + cold, apology=2)
    assert not items_of(grade_session(record(turn(0, RANT, warm))), "reply.cold_open")
    assert not items_of(grade_session(record(turn(0, "你好，我想问一下订单。", analysis(cold), upset=False))),
                        "reply.cold_open")
    # (the second reply is no opening: only the first answer is judged so)
    later = grade_session(record(turn(0, RANT, warm), turn(1, RANT, analysis(cold), seconds=10)))
    assert not items_of(later, "reply.cold_open")


def test_a_misfit_no_later_reply_put_right_leaves_the_issue_unsolved():
    """Issue 17 §4: a remedy credited first (我来给您办理换货) and then made concrete the wrong way (雾霾蓝 for
    燕麦色) is judged by the misfit, as the customer judges it, until a later reply settles that very thing."""
    issues = [Topic(id="wrong_size", keywords=["换货", "1.8米"])]
    first = turn(0, RANT, analysis("很抱歉，我来给您办理换货。", apology=2, solution=1, issues=("wrong_size",),
                                   remedies=((RemedyKind.exchange, "办理换货", None),)))
    wrong = analysis("给您换成1.8米的雾霾蓝。", solution=2, issues=("wrong_size",),
                     remedies=((RemedyKind.exchange, "给您换成1.8米的雾霾蓝", None),))
    note = MisfitNote(why="wrong_item", reason="说的是“雾霾蓝”，顾客要的是“燕麦色”", quote="雾霾蓝", key="wrong_item")
    misfit = turn(1, "颜色不对。", wrong).model_copy(update={"misfits": [note]})
    card = grade_session(record(first, misfit, issues=issues))
    [item] = [i for i in items_of(card, "solution.issues") if i.points > 0]
    assert item.points == rule("solution.issues").points // 2 and "不合适" in item.reason and item.turn == 1
    right = analysis("给您换成1.8米的燕麦色。", solution=2, issues=("wrong_size",),
                     remedies=((RemedyKind.exchange, "给您换成1.8米的燕麦色", None),))
    settled = turn(2, "颜色不对。", right).model_copy(update={"settles_misfits": ["wrong_item"]})
    card = grade_session(record(first, misfit, settled, issues=issues))
    assert sum(i.points for i in items_of(card, "solution.issues")) == rule("solution.issues").points


def test_a_service_complaint_is_solved_by_an_apology_with_a_commitment():
    """A complaint about the service itself (resolved_by: [apology]) is answered by a sincere apology with a
    commitment to improve — the solution the case names for it."""
    issues = [Topic(id="misleading_advice", keywords=["售前", "说错"], resolved_by=["apology"])]
    a = analysis("售前说错的事，我代表同事向您道歉，也会反馈给组长，避免再发生。", apology=2, commitment=True,
                 issues=("misleading_advice",), quotes={"apology": "我代表同事向您道歉"})
    card = grade_session(record(turn(0, RANT, a), issues=issues))
    assert sum(i.points for i in items_of(card, "solution.issues")) == rule("solution.issues").points
    owned = analysis("是我们售前同事说错了，我代表她向您道歉。", apology=2, issues=("misleading_advice",),
                     quotes={"apology": "是我们售前同事说错了"}).model_copy(update={"owns_fault": True})
    card = grade_session(record(turn(0, RANT, owned), issues=issues))  # the fault owned by name, as the customer takes it
    assert sum(i.points for i in items_of(card, "solution.issues")) == rule("solution.issues").points
    plain = [Topic(id="misleading_advice", keywords=["售前", "说错"])]  # no resolved_by: an apology is no remedy
    card = grade_session(record(turn(0, RANT, a), issues=plain))
    assert sum(i.points for i in items_of(card, "solution.issues")) < rule("solution.issues").points


def test_deductions_are_capped_and_total_stays_in_range():
    """Many violations cannot push the total below 0 or take off more than the overall cap."""
    rude = "你怎么那么笨，这是决不可能的，是快递的问题，你别做梦了，请等一下。"
    a = analysis(rude, violations=((ViolationCode.insult, "你怎么那么笨"), (ViolationCode.refusal, "这是决不可能的"),
                                   (ViolationCode.excuse, "是快递的问题"), (ViolationCode.contradict, "你别做梦了"),
                                   (ViolationCode.stall, "请等一下")))
    card = grade_session(record(*[turn(i, RANT * 2, a, seconds=200) for i in range(6)]))
    base = round(sum(DIMENSION_WEIGHTS[d] * getattr(card, d) for d in DIMENSION_WEIGHTS) / 100)
    assert card.deductions == min(DEDUCTION_CAP, base * DEDUCTION_SHARE // 100)
    assert card.total == base - card.deductions >= 0
    assert_reconciles(card)
    assert all(i.quote for i in card.items if i.rule.startswith("violation."))


def test_deductions_take_at_most_their_share_of_the_credit():
    """rubric.yaml deduction_share: a polite trainee who apologised keeps a fifth of that credit even
    with many small faults, so totals still rank a clumsy trainee above a rude one."""
    weak = analysis("不好意思，请您再稍等一下。", apology=1, violations=((ViolationCode.stall, "请您再稍等一下"),))
    card = grade_session(record(*[turn(i, RANT * 2, weak, seconds=200) for i in range(4)]))
    base = round(sum(DIMENSION_WEIGHTS[d] * getattr(card, d) for d in DIMENSION_WEIGHTS) / 100)
    assert base > 0 and card.total == base - base * DEDUCTION_SHARE // 100 > 0
    assert_reconciles(card)


# ---- the card as a whole ----------------------------------------------------------------------


def test_empty_record_grades_zero():
    """A session the trainee never answered: zero everywhere, no exception."""
    card = grade_session(SessionRecord(scenario_id="wig-wrong-color", issues=WIG_ISSUES))
    assert (card.apology, card.empathy, card.question, card.solution, card.total) == (0, 0, 0, 0, 0)
    assert card.unanswered_issues == ["wrong_color", "late_delivery"]
    assert card.reply_ratio == 0.0 and card.slow_turns == []
    assert_reconciles(card)
    assert grade_session(SessionRecord(scenario_id="x")).total == 0


@pytest.mark.parametrize("make", [model_wig_session, bad_wig_session])
def test_every_item_is_explained_in_chinese(make):
    """Every point is a ScoreItem with a rubric rule, a Chinese reason and, when points are missed,
    a better phrasing."""
    card = grade_session(make())
    for item in card.items:
        assert CJK.search(item.reason), item
        assert item.rule == rule(item.rule).id
        got = re.search(r"（(\d+)/(\d+)分）", item.reason)
        if item.dimension == "deduction" or int(got[1]) < int(got[2]):
            assert item.better, item
    assert all(CJK.search(t) for t in card.tips)


def test_tips_come_from_the_biggest_losses():
    """The three tips address the costliest misses: here no apology, no solution, an insult."""
    a = analysis("你怎么那么多事，自己看说明书去。", question=1, question_kind="open",
                 violations=((ViolationCode.insult, "你怎么那么多事"),))
    card = grade_session(record(turn(0, "坏了！", a), issues=[]))
    assert len(card.tips) == 3
    assert "指责" in card.tips[0] and "你怎么那么多事" in card.tips[0]  # insult: -20, with the words
    assert "具体方案" in card.tips[1]  # solution.issues: 50 points x 35% = 17.5 off the total
    assert "道歉" in card.tips[2]  # apology.early: 65 points x 25% = 16.25


def test_grading_is_deterministic():
    """Same record, same scorecard."""
    assert grade_session(bad_wig_session()).model_dump() == grade_session(bad_wig_session()).model_dump()


def test_turns_are_read_in_index_order():
    """Turns given out of order are graded by their index."""
    rec = model_wig_session()
    shuffled = rec.model_copy(update={"turns": list(reversed(rec.turns))})
    assert grade_session(shuffled).model_dump() == grade_session(rec).model_dump()


def test_proper_close_earns_the_three_closing_sentences():
    """001 感谢客户: apologise again, thank, commit to improve, in the last replies; missing them costs points."""
    rec = model_wig_session()
    card = grade_session(rec)
    for rule_id in ("apology.closing", "empathy.thanks", "solution.follow_up"):
        item = items_of(card, rule_id)[0]
        assert item.points == rule(rule_id).points and item.turn == 3
    assert items_of(card, "empathy.thanks")[0].quote == "谢谢您对我们的信任"
    # the same conversation stopping after the offer: no close
    cut = grade_session(rec.model_copy(update={"turns": rec.turns[:3]}))
    assert items_of(cut, "empathy.thanks")[0].points == 0
    assert items_of(cut, "solution.follow_up")[0].points == 0
    assert "再次惠顾" in items_of(cut, "empathy.thanks")[0].better
    assert cut.total < card.total


# ---- end to end: the real analyzer (scoring.analyze) feeding the grader -----------------------

FACTS = [Topic(id="photo", keywords=["照片", "拍"]), Topic(id="order_number", keywords=["订单号"])]


def play(*exchanges: tuple[str, str, float, bool], issues: list[Topic] | None = None) -> SessionRecord:
    """Analyse each (customer line, trainee reply, seconds, customer upset) as the engine does."""
    issues = WIG_ISSUES if issues is None else issues
    turns: list[TurnRecord] = []
    for i, (customer, reply, seconds, upset) in enumerate(exchanges):
        a = analyze(reply, AnalysisContext(customer_message=customer, issue_topics=issues, fact_topics=FACTS,
                                           previous_replies=[t.reply for t in turns]))
        turns.append(TurnRecord(index=i, customer_message=customer, reply=reply, seconds=seconds, analysis=a,
                                customer_upset=upset))
    return SessionRecord(scenario_id="wig-wrong-color", issues=issues, turns=turns, outcome="resolved")


MODEL_WIG = (
    (RANT, "非常抱歉，这件事我们处理得不够周全，给您添麻烦了！我理解您的心情，颜色不对又晚了三天，换谁都会生气。"
           "您能具体讲一下收到的假发是什么样子的吗？方便的话拍张照片给我。", 20, True),
    ("是浅棕色的！照片发你了，我周末要用。",
     "我了解您的状况了，您着急用的心情我完全理解。是我们仓库发错了颜色，真的很抱歉。您是这个周末就要用，是吗？", 25, True),
    ("对，周六就要用。",
     "您看这样可以吗：我们24小时内为您重新发出深棕色的假发，并承诺周五前送达；物流晚了三天也给您添了麻烦，"
     "再送您一张30元代金券。您希望这样处理吗？", 28, False),
    ("好吧，那就这样吧。",
     "真抱歉，给您添麻烦了。谢谢您对我们的信任，包裹发出后我会一直跟进物流，有更新第一时间告诉您。"
     "我们会不断提高产品和服务质量。", 15, False),
)


class TestWithTheRealAnalyzer:
    def test_model_wig_handling(self):
        """000 wig case, as the seed handles it, typed by a trainee: high on all four, ≥ 80 in total."""
        card = grade_session(play(*MODEL_WIG))
        assert card.total >= 80, card.items
        assert min(card.apology, card.empathy, card.question, card.solution) >= 80
        assert card.deductions == 0 and card.unanswered_issues == []
        assert items_of(card, "apology.early")[0].quote == "非常抱歉"
        assert items_of(card, "empathy.early")[0].quote == "理解您的心情"
        assert items_of(card, "solution.time_frame")[0].quote == "24小时内"
        # 000: reship for the wrong colour, a voucher for the late parcel
        color, late = items_of(card, "solution.issues")
        assert "重新发" in color.quote and "代金券" in late.quote
        assert_reconciles(card)

    def test_traditional_script_grades_alike(self):
        """Trainees write both scripts (seed README): the same handling in traditional gets the same scores,
        and the quotes show the traditional characters the trainee typed."""
        import opencc

        s2t = opencc.OpenCC("s2t")
        simplified = grade_session(play(*MODEL_WIG))
        traditional = grade_session(play(*[(c, s2t.convert(r), s, u) for c, r, s, u in MODEL_WIG]))
        assert [getattr(traditional, d) for d in (*DIMENSIONS, "total")] == \
               [getattr(simplified, d) for d in (*DIMENSIONS, "total")]
        assert items_of(traditional, "empathy.early")[0].quote == "理解您的心情"  # same in both scripts
        assert items_of(traditional, "apology.early")[0].quote == s2t.convert("非常抱歉")

    def test_screen_resolution_excuse_and_insult(self):
        """000: blaming screen resolution; 001 四: personal attacks. Low total, items quote the words."""
        card = grade_session(play(
            (RANT, "亲，这是屏幕分辨率的问题，不同显示器看到的颜色会有差别的。", 95, True),
            ("明明就是你们发错了！还晚了三天！", "你怎么那么多事，别人都不像你这么麻烦。", 20, True),
            ("我要投诉你们！", "不好意思，那你想怎样？", 20, True),
        ))
        assert card.total <= 20
        assert "屏幕分辨率" in items_of(card, "violation.excuse")[0].quote
        assert "你怎么那么多事" in items_of(card, "violation.insult")[0].quote
        assert card.unanswered_issues == ["late_delivery"] and card.slow_turns == [0]
        assert any("借口" in t or "指责" in t for t in card.tips)
        # "那你想怎样？" asks what the customer wants; it is no clarifying question (001 澄清问题)
        assert items_of(card, "question.first")[0].points == 0
        assert_reconciles(card)

    def test_canned_short_replies(self):
        """003 禁区4 and 禁区6: the same short reply again and again: repeats, short replies, low ratio."""
        canned = "亲，您的问题我们已经记录，会尽快处理哦。"
        card = grade_session(play(*[(RANT, canned, 10, True)] * 3))
        assert [i.turn for i in items_of(card, "reply.repeat")] == [1, 2]
        assert card.reply_ratio < 1.1 and items_of(card, "reply.ratio")
        assert len(items_of(card, "reply.short")) == 3

    def test_polite_repetition_is_not_a_refusal(self):
        """001 礼貌的重复: declining within one's authority, escalating with a time frame, is not deducted."""
        polite = "很抱歉，因为职权所限，我无法满足您的要求，我会把您的情况反映给主管，2天内给您答复。"
        blunt = "这是决不可能的，你别做梦了。"
        ok = grade_session(play(("我要全额退款再赔500！", polite, 10, True), issues=[]))
        bad = grade_session(play(("我要全额退款再赔500！", blunt, 10, True), issues=[]))
        assert not items_of(ok, "violation.refusal")
        assert items_of(bad, "violation.refusal")[0].quote == "决不可能、别做梦"
        assert items_of(bad, "violation.refusal")[0].better == polite
        assert ok.total > bad.total

    def test_saying_back_the_quick_reply_she_quoted_is_a_repeat(self):
        """003 禁区6 (issue 17 round 5): she quotes the shop's canned line she hates; the trainee sends it again word
        for word: a repeat, though it is the first reply; a reply that only shares a few words with her is none."""
        urge = "我来问第一次，你们说“亲，我们会按顺序尽快为您发货的哦~”；第二次，还是这句！到底几点发？"
        echoed = grade_session(play((urge, "亲，我们会按顺序尽快为您发货的哦~", 10, True), issues=[]))
        item = items_of(echoed, "reply.repeat")
        assert item and item[0].turn == 0 and "照搬" in item[0].reason, item
        own = grade_session(play((urge, "真的抱歉，您问了两次都是同一句，这次我手打：今天下午5点前发出。", 10, True), issues=[]))
        assert not items_of(own, "reply.repeat")
