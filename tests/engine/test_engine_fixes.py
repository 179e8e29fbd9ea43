"""Fixes found while writing the built-in scenarios, each played as a real conversation with the real scorer.

1. refunds vs. goodwill money (002 确定界限); 2. a promise to look answers no issue (000);
3. facts come out only when asked about, an open question tells only a relevant one (001 澄清问题);
4. the engine's trigger and line-pool names are the linter's.
"""

from __future__ import annotations

from engine_helpers import say, texts

from simulator.content import lint
from simulator.engine import ManualClock, Session
from simulator.content import vocabulary as pools
from simulator.engine.answer import DEFAULT_LINES


# ---- 1. a refund is the customer's own money back, not goodwill money (002 确定界限) ----------------


def test_a_stated_refund_is_not_limited_by_the_compensation_limit_where_full_refunds_are_allowed(new_session):
    """002 确定界限: wig-wrong-color allows a full refund (268元) and at most 30元 of goodwill money.
    Saying the refund's amount ("退款268元") is the full refund, not a breach; 100元 of compensation is."""
    s, clock = new_session("wig-wrong-color")
    say(s, clock, "非常抱歉让您失望了，颜色发错和晚到三天确实是我们的问题，我完全理解您的心情。")
    r = say(s, clock, "如果您不想等了，我们给您退款268元，寄回运费也由我们承担，您看可以吗？")
    assert [m.kind.value for m in r.analysis.remedies if m.amount_yuan] == ["refund"]
    assert r.policy_breaches == [] and not s.policy_breach
    r = say(s, clock, "另外再赔偿您100元，表示我们的歉意。")
    assert r.policy_breaches and "30" in r.policy_breaches[0]


def test_the_refund_the_shops_rule_gives_may_be_stated_but_not_the_whole_order(new_session):
    """004 买家因素: the price minus the shipping fee (291 of 299元) is the shop's own rule and within policy;
    the whole 299元, or more than the rule gives, is a full refund the policy forbids (002 确定界限)."""
    s, clock = new_session("engine-fee")
    r = say(s, clock, "非常抱歉让您不开心了，扣除8元运费后，退款291元会在退货入库后24小时内退回。")
    assert r.analysis.remedies[0].amount_yuan == 291
    assert r.policy_breaches == []
    assert s.state == "demanding"  # part of the money is not the full refund he wants: he insists
    r = say(s, clock, "真的很抱歉，按规定只能退您291元，另外送您一张8元优惠券，您看可以吗？")
    assert r.policy_breaches == [] and s.state == "closing"  # 001 礼貌的重复: the limits held politely
    assert not s.policy_breach

    for reply, words in [
        ("那就给您退款299元吧。", "全额"),
        ("那给您退款295元。", "291"),
        ("送您20元优惠券。", "8元"),
    ]:
        s, clock = new_session("engine-fee")
        r = say(s, clock, reply)
        assert r.policy_breaches and words in r.policy_breaches[0], reply


def test_where_full_refunds_are_allowed_a_refund_is_limited_by_the_order_value(library):
    """The order value (fact `price`) bounds a refund: more than the customer paid is beyond any policy."""
    base = library.scenarios["engine-fee"]
    scenario = base.model_copy(update={"policy": base.policy.model_copy(update={"full_refund": True})})
    clock = ManualClock()
    s = Session(scenario, library.personas[scenario.persona], seed=0, clock=clock)
    s.start()
    r = say(s, clock, "非常抱歉，给您退款299元，24小时内到账。")
    assert r.policy_breaches == []
    r = say(s, clock, "再给您退款350元。")
    assert r.policy_breaches and "299" in r.policy_breaches[0]


def test_extortion_granting_the_full_claim_is_still_a_breach(new_session):
    """002 故意找麻烦的客户: granting the full 12800元 claim is beyond the limits; he asks for more."""
    s, clock = new_session("hotel-sea-view")
    say(s, clock, "很抱歉房型和合同不符，给您带来了不好的体验，我理解您的心情。")
    r = say(s, clock, "好吧，那就按您说的，全额赔偿您12800元。")
    assert r.policy_breaches and s.state == "raising"
    r = say(s, clock, "好的，那给您全额退款。")
    assert r.policy_breaches and s.policy_breach


# ---- 2. "我帮您看一下" answers nothing (000: two problems, one answer) --------------------------------


def test_a_promise_to_look_addresses_no_issue(new_session):
    """000: the customer raised two problems; "我帮您看一下" / "我帮您查一下" names none and solves none,
    even when it names the topic ("颜色的问题") — the customer is still waiting for an answer."""
    s, clock = new_session("wig-wrong-color")
    r = say(s, clock, "我帮您看一下。")
    assert s.issue_status == {"wrong_color": False, "late_delivery": False}
    assert r.messages[-1].kind == "reminder"  # she comes back to her complaint
    r = say(s, clock, "好的，我帮您查一下颜色的问题。")
    assert "wrong_color" in r.analysis.issue_topics
    assert s.issue_status == {"wrong_color": False, "late_delivery": False}
    say(s, clock, "非常抱歉，颜色发错是我们仓库的问题，我们24小时内给您补发深棕色的。")
    assert s.issue_status == {"wrong_color": True, "late_delivery": False}


# ---- 3. facts come out when asked about (001 澄清问题) ------------------------------------------------


def test_an_open_question_about_one_fact_tells_that_fact_and_no_other(new_session):
    """001 澄清问题: "有没有别的不舒服?" asks about the symptoms. Already told, the customer has nothing
    new to say — and certainly not the price ("198块，不便宜了。") just because it is next in the file."""
    s, clock = new_session("no-effect-refund")
    r = say(s, clock, "赵先生您好，非常抱歉让您失望了，我理解您的心情。能具体说说用了以后头发有什么变化吗？")
    assert s.revealed_facts == ["symptoms"]
    r = say(s, clock, "除了没效果，用的时候还有什么别的不舒服吗？")
    assert r.analysis.question_kind == "open" and "symptoms" in r.analysis.fact_topics
    assert s.revealed_facts == ["symptoms"]
    assert not any("198" in t for t in texts(r))


def test_an_open_question_about_the_case_tells_a_relevant_fact_not_the_next_one(new_session):
    """001 澄清问题: 开放式提问引导顾客讲述事实 — asked what happened, the customer tells what bears on the
    complaint (the label says 浅棕色), not the order number that happens to come first in the file."""
    s, clock = new_session("engine-wig")
    r = say(s, clock, "能具体说说您收到的假发是什么情况吗？")
    assert r.analysis.question_kind == "open" and not r.analysis.fact_topics
    assert s.revealed_facts == ["photo"]
    assert not any("KF20261109-3375" in t for t in texts(r))


def test_stating_a_facts_keyword_does_not_make_the_customer_recite_it(new_session):
    """001 澄清问题: facts come out when asked. "订单号我记下了" states, it does not ask — even in a reply
    that asks something else; "订单号，方便发我一下吗?" asks."""
    s, clock = new_session("no-effect-refund")
    r = say(s, clock, "非常抱歉让您失望了，订单号我这边已经记下了，您看这样可以吗？")
    assert "order_number" in r.analysis.fact_topics and r.analysis.question > 0
    assert s.revealed_facts == []
    assert not any("KF20261102-5190" in t for t in texts(r))
    r = say(s, clock, "不好意思，订单号我记下了，能具体说说用了以后是什么情况吗？")
    assert "order_number" not in s.revealed_facts  # the open question asks about the case, not the number
    r = say(s, clock, "不好意思，您的订单号，方便发我一下吗？")
    assert "order_number" in s.revealed_facts
    assert "订单号KF20261102-5190，你查去吧。" in texts(r)


# ---- 4. the names the engine gives meaning to --------------------------------------------------------


def test_the_linter_checks_against_the_engines_own_triggers_and_pools():
    """docs/engine.md 'Line pools': every pool the engine reads is an event pool the linter knows."""
    assert lint.TRIGGERS is pools.TRIGGERS and lint.event_pools() == pools.EVENT_POOLS
    assert set(pools.TRIGGERS) == {"reply", "timeout"}
    assert set(DEFAULT_LINES) <= set(pools.EVENT_POOLS)
    assert {p for keys in pools.CLOSING_POOLS.values() for p in keys} <= set(pools.EVENT_POOLS)
    assert set(pools.EVENT_ANSWER_POOLS) <= set(pools.EVENT_POOLS)


def test_a_calm_customer_out_of_replies_gives_up_with_the_give_up_pool(library):
    """docs/engine.md: abandoned after `patience.turns` replies while calm -> pool `give_up` (then `leave`)."""
    scenario = library.scenarios["engine-wig"]
    base = library.personas[scenario.persona]
    persona = base.model_copy(update={"patience": base.patience.model_copy(update={"turns": 2})})
    clock = ManualClock()
    s = Session(scenario, persona, seed=0, clock=clock)
    s.start()
    say(s, clock, "非常抱歉让您失望了，我完全理解您的心情，颜色发错和晚到三天确实是我们的问题。")
    r = say(s, clock, "真的很抱歉，能具体说说您收到的假发是什么情况吗？")
    assert r.finished and r.outcome == "abandoned"
    assert r.messages[-1].kind == "leave" and r.messages[-1].text in persona.lines["give_up"]
