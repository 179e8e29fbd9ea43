"""Issue 8 §1-§4: the customer answers what was written — each rule played as a real conversation
with the real reader on the built-in cases (their own lines) or the engine's test cases."""

from __future__ import annotations

import opencc
import pytest

from engine_helpers import say, texts
from simulator.content.glossary import REMEDY_NAMES
from simulator.engine.answer import DEFAULT_LINES

WIG_OPENING = "亲，真的非常抱歉！颜色发错又晚到三天，是我们的问题，换作是我也会很失望的。"


def lines_of(library, scenario_id: str, pool: str) -> list[str]:
    scenario = library.scenarios[scenario_id]
    return scenario.lines.get(pool) or library.personas[scenario.persona].lines.get(pool) or DEFAULT_LINES.get(pool, [])


# ---- questions get their fact, "asked again", or an in-character answer --------------------------


def test_a_question_gets_the_fact_it_asks_about_and_asked_again_says_so(new_session, library):
    s, clock = new_session("wig-wrong-color")
    say(s, clock, WIG_OPENING)
    r = say(s, clock, "麻烦您提供一下订单号好吗？")
    assert "order_number" in s.revealed_facts
    r = say(s, clock, "不好意思，订单号能再发我一下吗？")
    assert any(t in lines_of(library, "wig-wrong-color", "asked_again") for t in texts(r))


def test_a_question_no_fact_answers_gets_no_other_fact(new_session, library):
    s, clock = new_session("wig-wrong-color")
    say(s, clock, WIG_OPENING)
    before = list(s.revealed_facts)
    r = say(s, clock, "请问您平时喜欢什么发型？")
    assert s.revealed_facts == before
    assert any(t in lines_of(library, "wig-wrong-color", "unknown_question") for t in texts(r))


# ---- offers weighed against the wish ----------------------------------------------------------------


def test_given_what_she_asked_the_venting_customer_is_relieved_once_heard(new_session, library):
    """001 平息怨气 then 协商解决: heard first, then the remedy she asked for gets relief, not "怎么解决？"."""
    s, clock = new_session("engine-rant")
    for text in ["真的很抱歉，发生这种情况的确很令人生气，我明白您的心情。",
                 "我理解您的心情，换作是我也会很生气，您慢慢说，我在认真听。"]:
        say(s, clock, text)
    r = say(s, clock, "给您全额退款，今天就给您办好，您看可以吗？")
    said = " ".join(texts(r))
    assert "没在听" not in said and "怎么解决" not in said
    assert s.state == "closing"


def test_a_stubborn_customer_granted_his_refund_stops_demanding_it(new_session):
    s, clock = new_session("engine-stubborn")
    say(s, clock, "很抱歉这个产品没有达到您期待的效果，我理解您的心情。")
    r = say(s, clock, "好的，给您全额退款，今天就退到您的账户。")
    assert s.state == "closing" or s.policy_breach  # granted (or, beyond policy, a breach) — never ignored
    assert "把钱退给我" not in " ".join(texts(r))


def test_the_extortion_minded_customer_bargains_over_the_first_offer(new_session, library):
    """002: a fair offer within the limits is first met with the demand again."""
    s, clock = new_session("hotel-sea-view")
    say(s, clock, "周先生，非常抱歉，房型和合同不符确实是我们的问题，我理解您的失望。")
    r = say(s, clock, "按房型差价给您补偿800元，24小时内退到您的支付账户，您看可以吗？")
    assert s.state == "demanding" and not r.policy_breaches
    assert "12800" in " ".join(texts(r)) or any(t in lines_of(library, "hotel-sea-view", "repeat_demand")
                                                  for t in texts(r))


# ---- violations each get their own reaction ----------------------------------------------------------


@pytest.mark.parametrize("reply, code", [
    ("你怎么这么多事，别人买了都没说什么。", "insult"),
    ("这是决不可能的。", "refusal"),
    ("您确定不是自己弄坏的？", "contradict"),
    ("保证明天一定到，绝对不会再晚。", "overpromise"),
])
def test_each_violation_code_has_its_own_reaction(new_session, library, reply, code):
    s, clock = new_session("wig-wrong-color")
    r = say(s, clock, reply)
    assert code in r.analysis.violation_codes
    assert texts(r)[0] in lines_of(library, "wig-wrong-color", f"violated_{code}")


def test_a_generous_promise_never_gets_the_you_blamed_me_line(new_session):
    s, clock = new_session("engine-wig")
    r = say(s, clock, "您放心，保证明天一定到，绝对不会有色差！")
    assert "overpromise" in r.analysis.violation_codes
    assert "怎么还成我的问题" not in " ".join(texts(r))


def test_the_case_own_excuse_gets_its_own_answer(new_session, library):
    """000: blaming the screen resolution gets the wig customer's own answer to exactly that."""
    s, clock = new_session("wig-wrong-color")
    r = say(s, clock, "亲，颜色可能是您手机屏幕分辨率的问题哦。")
    screen = next(e for e in library.scenarios["wig-wrong-color"].excuses if "屏幕" in e.keywords)
    assert texts(r)[0] in screen.lines


# ---- nonsense, templates, canned replies ---------------------------------------------------------------


def test_keyword_nonsense_gets_confusion_not_cooperation(new_session, library):
    s, clock = new_session("wig-wrong-color")
    r = say(s, clock, "抱歉理解心情补发24小时内代金券可以吗")
    assert r.analysis.not_a_reply == "stuffing"
    assert texts(r)[0] in lines_of(library, "wig-wrong-color", "nonsense")
    assert s.revealed_facts == [] and not any(s.issue_status.values())


def test_a_template_about_nothing_in_the_case_gets_called_out(new_session, library):
    s, clock = new_session("wig-wrong-color")
    r = say(s, clock, "亲，非常抱歉给您带来不便，我们会尽快为您妥善处理，感谢您的理解与支持！")
    assert r.analysis.names_case is False
    assert texts(r)[0] in lines_of(library, "wig-wrong-color", "generic")


def test_the_shop_palette_and_the_complaint_parroted_back_read_as_canned(new_session, library):
    """003 禁区6: pasting the shop's own quick reply, or the customer's words back, is canned."""
    palette = library.quick_replies[5].text  # 道歉
    s, clock = new_session("wig-wrong-color")
    r = say(s, clock, palette)
    canned = lines_of(library, "wig-wrong-color", "canned")
    assert texts(r)[0] in canned or s._customer.reading.repeated is False  # the palette needs the session's list
    issue = library.scenarios["wig-wrong-color"].issues[0]
    s2, clock2 = new_session("wig-wrong-color")
    r2 = say(s2, clock2, issue.complaint)
    assert texts(r2)[0] in canned


# ---- nudges climb, the last line before leaving is shown ----------------------------------------------


def test_nudges_climb_and_the_customer_leaves_with_a_last_line(new_session, library):
    s, clock = new_session("wig-wrong-color")
    nudges = []
    while not s.finished:
        clock.advance(s.next_timer_event() - s.waiting_seconds() + 0.5)
        nudges += [m for m in s.poll()]
    said = [m.text for m in nudges if m.kind == "nudge"]
    pool = lines_of(library, "wig-wrong-color", "nudge")
    assert said[:3] == pool[:3]  # in order, each more impatient
    assert nudges[-1].kind == "leave" and nudges[-1].text
    assert s.outcome == "abandoned"


# ---- a case's lines are all in its script -------------------------------------------------------------


def test_every_case_line_is_in_the_conversation_script(library):
    """Issue 8 §1: no traditional fragment in a simplified conversation (the built-ins are simplified)."""
    t2s = opencc.OpenCC("t2s")
    for scenario in library.scenarios.values():
        if scenario.id.startswith("engine-"):
            continue
        lines = [*scenario.opening, *(l for pool in scenario.lines.values() for l in pool),
                 *(i.complaint for i in scenario.issues), *(f.reveal for f in scenario.facts),
                 *(l for e in scenario.excuses for l in e.lines), scenario.wish.demand]
        bad = [l for l in lines if l and t2s.convert(l) != l]
        assert not bad, (scenario.id, bad[:3])


# ---- closing takes real handling; policy says what shops mean -----------------------------------------


def test_three_lazy_lines_do_not_close_the_extortion_case(new_session):
    s, clock = new_session("computer-crash-loss")
    for text in ["不好意思", "这边帮您反馈一下", "谢谢您的理解"]:
        say(s, clock, text)
    assert s.outcome != "resolved" and s.state != "closing"


def test_a_limit_with_a_hand_off_naming_who_and_when_settles_a_demand_beyond_policy(new_session):
    """001 四.4 礼貌的重复: 超出权限 + 主管 + 2天内 — never an offer, never a breach."""
    s, clock = new_session("hotel-sea-view")
    r = say(s, clock, "很抱歉周先生，全额赔偿超出了我的权限，我把您的情况报给主管，2天内给您答复。")
    assert not r.policy_breaches and r.analysis.handoff and r.analysis.handoff.hours == 48
    assert r.analysis.limit_stated
    assert all(m.kind.value != "compensation" for m in r.analysis.remedies)


def test_refunding_a_fee_is_not_a_full_refund_and_a_breach_names_reply_and_limit(new_session):
    s, clock = new_session("late-delivery-business-loss")
    say(s, clock, "陈老板，非常抱歉，货还没到确实耽误您了，我理解您的着急。")
    r = say(s, clock, "30元加急费今天就退给您，我马上联系快递加急派送，1小时内给您回复。")
    assert not r.policy_breaches
    r = say(s, clock, "您的生意损失我们全赔，给您补偿3000元。")
    assert r.policy_breaches and "3000" in r.policy_breaches[0] and "“" in r.policy_breaches[0]


def test_quoting_a_colleague_promise_to_apologise_is_not_the_trainee_promise(new_session):
    s, clock = new_session("engine-wig")
    r = say(s, clock, "同事之前跟您说保证三天到，是他说错了，真的非常抱歉。")
    assert "overpromise" not in r.analysis.violation_codes and not r.policy_breaches


def test_shipping_cost_has_its_own_cap_separate_from_compensation(library):
    """Issue 8 §4 (004: compensation by shipping cost): a shipping-cost cap apart from goodwill money."""
    from scoring.models import Remedy, RemedyKind, Span
    from simulator.engine.policy import judge_remedies

    scenario = library.scenarios["wig-wrong-color"]
    policy = scenario.policy.model_copy(update={"max_shipping_cost_yuan": 15, "max_compensation_yuan": 30})
    span = Span(text="运费", start=0, end=2)
    fee = lambda yuan: Remedy(kind=RemedyKind.shipping_cost, amount_yuan=yuan, span=span)  # noqa: E731
    assert judge_remedies([fee(12)], scenario.wish, policy).breaches == ()
    over = judge_remedies([fee(25)], scenario.wish, policy).breaches
    assert over and "运费上限15元" in over[0]  # 25 is within the 30元 compensation limit, not the fee cap


def test_an_exchange_outgoing_parcel_is_not_a_reship(new_session):
    """Issue 8 §4: 换货 with the new one sent today is one remedy, never 'a refund and a reship'."""
    s, clock = new_session("wig-wrong-color")
    say(s, clock, WIG_OPENING)
    r = say(s, clock, "给您换成深棕色的，新的今天就寄出，浅棕色那顶您收到后再寄回，运费我们出。")
    kinds = {m.kind.value for m in r.analysis.remedies}
    assert "exchange" in kinds and not r.policy_breaches


def test_a_reply_that_only_asks_about_an_issue_does_not_tick_it(new_session):
    """Issue 13: the checklist ticks an issue only when the engine counts it addressed (one source)."""
    s, clock = new_session("wig-wrong-color")
    say(s, clock, "您收到的假发是什么颜色的？方便拍张照片给我看看吗？")
    assert s.issue_status["wrong_color"] is False
    record = s.record()
    assert record.turns[0].addressed_issues == []  # the scorecard reads the same


def test_asked_to_choose_between_the_offers_made_the_customer_picks_one(new_session):
    """001 四.3 征求对方意见: "您看选哪种？" after two offers gets her pick (refund, her wish), not "怎么解决？"."""
    s, clock = new_session("green-color-rant")
    for text in ["真的非常抱歉，挑了很久的衣服颜色不对，换作是我也会很生气。",
                 "我理解您的心情，您慢慢说，我在认真听。",
                 "核对过了，您下单选的是墨绿色，是我们仓库发错了浅绿色，对不起。",
                 "可以给您全额退款159元，退货运费我们出，收到退货24小时内退款；也可以给您换成墨绿色，来回运费我们出。"]:
        say(s, clock, text)
    r = say(s, clock, "您看选哪种？")
    said = " ".join(texts(r))
    assert "退款" in said and "怎么解决" not in said


def test_asked_to_choose_with_nothing_offered_is_no_pick(new_session, library):
    s, clock = new_session("green-color-rant")
    say(s, clock, "真的非常抱歉，挑了很久的衣服颜色不对，换作是我也会很生气。")
    r = say(s, clock, "您看选哪种？")
    picks = {line.replace("{remedy}", name) for line in lines_of(library, "green-color-rant", "choose")
             for name in REMEDY_NAMES.values()}
    assert picks and not picks & set(texts(r))
