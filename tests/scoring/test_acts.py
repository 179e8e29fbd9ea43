"""Issue 7 §1-§3 at the act level: what each clause does, who acts, and what changes its meaning —
each class of the issue, in simplified and (opencc s2t) traditional script alike."""

from __future__ import annotations

import opencc
import pytest

from scoring import analyze
from scoring.models import ActKind, AnalysisContext, RemedyKind, Topic

S2T = opencc.OpenCC("s2t")
SCRIPTS = ["simplified", "traditional"]


def read(text: str, script: str, context: AnalysisContext | None = None):
    return analyze(text if script == "simplified" else S2T.convert(text), context)


def kinds(a) -> set[str]:
    return {r.kind.value for r in a.remedies}


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text, why", [
    ("您申请的退款金额是按规定算的", "a noun"),
    ("上周已经给您补发过一次了", "a past fact"),
    ("您说要我们全额赔偿，对吧？", "the customer's own demand quoted back"),
    ("全额退款超出了我的权限", "inside a stated limit"),
    ("至于全额赔偿，这个超出我的权限", "a topic raised"),
])
def test_a_remedy_word_is_no_offer_where_nobody_commits_to_it(script, why, text):
    a = read(text, script)
    assert not (kinds(a) - {"follow_up", "escalate"}), why
    assert a.solution == 0 and not a.violations


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_condition_that_is_the_customer_demand_hands_off_but_offers_nothing(script):
    a = read("如果您坚持退货，我只能报给主管", script)
    assert "refund" not in kinds(a) and a.handoff and a.handoff.to_whom == "主管"
    assert a.solution == 1 and not a.violations
    assert any(act.conditional and act.actor == "customer" for act in a.acts)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_limit_with_a_hand_off_naming_who_and_when_is_polite_repetition(script):
    """001 四.4: never an offer, never a breach, never a refusal."""
    a = read("很抱歉，全额退款超出了我的权限，我报给主管，2天内给您答复。", script)
    assert a.limit_stated and a.handoff and a.handoff.hours == 48
    assert "refund" not in kinds(a) and not a.violations
    assert [act.kind for act in a.acts if act.kind in (ActKind.limit, ActKind.handoff)] == [ActKind.limit, ActKind.handoff]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text", ["我这边反馈一下", "帮您看看", "我们会尽快处理"])
def test_a_vague_action_is_weak_and_never_a_hand_off(script, text):
    a = read(text, script)
    assert a.solution <= 1 and a.handoff is None
    assert all(r.weak or r.kind is not RemedyKind.escalate for r in a.remedies)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_customer_as_the_actor_is_instructions(script):
    a = read("您可以自己去申请退款", script)
    assert kinds(a) == {"instructions"} and a.solution == 1


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text", ["抱歉理解心情退款24小时内吗", "对不起 理解 着急 补发 马上 可以吗", "再次抱歉谢谢信任改进跟进"])
def test_keyword_stuffing_earns_nothing_and_says_why(script, text):
    a = read(text, script)
    assert a.not_a_reply == "stuffing" and a.not_a_reply_reason
    assert (a.apology, a.empathy, a.question, a.solution) == (0, 0, 0, 0) and not a.violations


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_choppy_but_real_reply_is_no_stuffing(script):
    a = read("非常抱歉！理解您的心情！我们马上给您补发！", script)
    assert a.not_a_reply is None and a.apology == 2 and a.solution == 2


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_template_names_nothing_of_the_case(script):
    ctx = AnalysisContext(issue_topics=[Topic(id="wrong_color", keywords=["颜色", "深棕"])], case_terms=["假发"])
    template = read("亲，非常抱歉给您带来不便，我们会尽快为您妥善处理，感谢您的理解与支持！", script, ctx)
    real = read("亲，非常抱歉颜色发错了，我们24小时内给您补发深棕色的假发。", script, ctx)
    assert template.names_case is False and real.names_case is True


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("text, code", [
    ("你买之前不会先看看吗", "contradict"),
    ("有证据吗", "contradict"),
    ("当时怎么不说", "contradict"),
    ("签收的时候怎么不检查？", "contradict"),
    ("您到底想怎样", "insult"),
    ("多大点事", "insult"),
    ("您别激动", "insult"),
])
def test_hostile_and_rhetorical_questions_are_violations_not_questions(script, text, code):
    a = read(text, script)
    assert a.question == 0 and code in a.violation_codes


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_brush_off_softened_by_an_apology_and_an_offer_is_none(script):
    """001 四.2's model: 对不起，您先别生气，请您听听我们的建议和方案好吗？"""
    a = read("对不起，您先别激动，我马上帮您查", script)
    assert not a.violations and a.apology >= 1


@pytest.mark.parametrize("script", SCRIPTS)
def test_paraphrased_empathy_is_empathy(script):
    assert read("这么重要的日子东西没到，换谁都会急", script).empathy == 2


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_self_introduction_is_no_excuse(script):
    a = read("您好，我是售后小王，很高兴为您服务", script)
    assert not a.violations


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_colleague_promise_quoted_to_apologise_is_not_the_trainee_promise(script):
    a = read("同事之前跟您说保证三天到，是他说错了，非常抱歉", script)
    assert "overpromise" not in a.violation_codes and a.apology == 2
    assert any(act.quoted and act.actor == "other" for act in a.acts)


@pytest.mark.parametrize("script", SCRIPTS)
def test_evidence_quotes_the_words_that_carry_the_act(script):
    a = read("非常抱歉，我们24小时内给您补发深棕色的。", script)
    solution = [e.span.text for e in a.evidence if e.kind == "solution"]
    assert solution and all(q in a.text for q in solution) and any("补" in q or "補" in q for q in solution)
    offer = next(act for act in a.acts if act.kind is ActKind.offer)
    assert offer.remedy is RemedyKind.reship and offer.hours == 24 and offer.actor == "shop"
