"""Issue 17, round 11 (what the fresh blind hold-out x showed, measured once at 5290fd7: 142 of 154), played for real:

- the second problem, owned with an apology before, is settled by the goodwill money of the reply that settles the
  first (seed 000: 补发深棕色 for the colour, 另赠30元代金券 for the three days' delay);
- the reply that arranges the last of it outright — what she wants, with its time — carries the arrangement on: a
  trainee who stops after it has resolved the case (the closing words it lacks cost points on the scorecard);
- 您坚持的话我报主管 2天内答复您 is a hand-off on a condition, not her words quoted: it holds the line;
- a fee refunded in full (30块加急费全退您) is no full compensation beside it.
All but the second (a guard: goodwill money settles no problem never talked about) fail on the code of the round's start (5290fd7)."""

from __future__ import annotations

from engine_helpers import played, say

WIG_OWNED = "非常抱歉！深棕色发成了浅棕色，包裹还晚到了三天，这两件事都是我们没做好。麻烦您发一下订单号？"
WIG_ARRANGED = ("好的，11月28日婚礼。我们24小时内顺丰补发深棕色，预计25日前送达，浅棕色到付寄回、运费我们承担，"
                "另赠30元代金券；也可以选择全额退款，您看哪种更合适？")


def test_goodwill_money_settles_the_problem_owned_before(new_session):
    """wig-wrong-color: the delay owned in the first reply, then 补发深棕色 + 30元代金券: both problems settled."""
    session, clock = played(new_session, "wig-wrong-color", WIG_OWNED, "请问您是哪天需要佩戴？", WIG_ARRANGED)
    assert session._customer.issue_resolution == {"wrong_color": "resolved", "late_delivery": "resolved"}
    card = session.scorecard()
    late = [i for i in card.items if i.rule == "solution.issues" and "晚到" in i.reason]
    assert late and late[0].points > 0 and "给出了具体方案" in late[0].reason  # the scorecard judges the same way


def test_goodwill_money_alone_does_not_settle_a_problem_never_owned(new_session):
    """000: two problems, one answer — the voucher settles no problem the trainee never talked about."""
    session, clock = played(new_session, "wig-wrong-color", "非常抱歉，颜色发错了是我们的问题。麻烦您发一下订单号？",
                            "请问您是哪天需要佩戴？",
                            "我们24小时内顺丰补发深棕色，预计25日前送达，浅棕色到付寄回、运费我们承担，另赠30元代金券。")
    assert session._customer.issue_resolution["late_delivery"] != "resolved"


def test_an_arrangement_made_outright_is_left_resolved(new_session):
    """The trainee stops right after the reply that arranged it all: the customer agreed, nothing is open."""
    session, clock = played(new_session, "wig-wrong-color", WIG_OWNED, "请问您是哪天需要佩戴？", WIG_ARRANGED)
    session.end()
    assert session.outcome == "resolved" and not session.policy_breach


def test_a_conditional_hand_off_holds_the_line(new_session):
    """shipping-fee-dispute: 全额退超出我权限 您坚持的话我报主管 2天内答复您 (001 四.4 礼貌的重复, chat typed with spaces)."""
    session, clock = played(new_session, "shipping-fee-dispute",
                            "孙女士对不起，扣钱之前没跟您说明白，是我们的问题。您订单号给我一下？",
                            "查到了，我马上联系快递帮您拦截，不用您跑。8块是发货产生的内部价运费，其余291元入库后24小时内退回，再送您8元券。")
    say(session, clock, "全额退超出我权限 您坚持的话我报主管 2天内答复您 您看这样行吗")
    assert session._customer.issue_resolution["full_refund"] == "resolved"
    assert not session.policy_breach


def test_a_fee_refunded_in_full_is_no_full_compensation(new_session):
    """late-delivery-business-loss allows 50元 compensation and the 30元 fee back: both together are within policy."""
    session, clock = played(new_session, "late-delivery-business-loss",
                            "陈老板，真对不住，多付了30块加急费还没到，搁谁都窝火。您把订单号给我，我马上查。")
    say(session, clock, "30块加急费全退您 再补偿您50块 几点能到我不敢给您打包票 但进度我一直盯着")
    assert not session.policy_breach
