"""Issue 17, round 12 (what the fresh blind hold-out q showed, measured once at ad718a3: 144 of 154), played for real:

- at the edge of complaining, a reply that makes an offer she would take (加急派送，1小时内回您进度) is no blow, even with
  her other problem still waiting: a bad start owned up to can be repaired (001 四, 003 禁区);
- the demand handed to a named manager with a time before, an offer he takes that settles what is left brings the
  stubborn customer to the close (001 四.4 礼貌的重复 / 转交主管, 002);
- goods swapped for others (3段缺货，为您调整为2段) are checked as what is sent (000: the right thing).
Each fails on the code of the round's start (ad718a3)."""

from __future__ import annotations

from engine_helpers import played, say

LATE_BAD_START = "亲，物流原因导致的延误非我方可控，请您耐心等待，感谢理解。"  # a pasted template: excuse and stall
LATE_OWNED = "陈老板，对不起，刚才那句话不该这么说。加急费您付了，货到现在没到，是我们的责任，不推给物流。"


def test_an_offer_she_would_take_is_no_blow_at_the_edge(new_session):
    """late-delivery-business-loss (extortion-minded, patience.warnings 2): excuse + stall, owned up to, a look into
    it, then the parcel chased with a time and a same-city reship behind it — she is still cross, not gone."""
    session, clock = played(new_session, "late-delivery-business-loss", LATE_BAD_START, LATE_OWNED,
                            "麻烦发一下订单号，我查下卡在哪儿。")  # (she gave it already: a little angrier)
    say(session, clock, "查到了，卡在本市中转站。我现在就给站点打电话加急派送，1小时内回您进度；今天派不出就从同城仓给您补发到店。")
    assert session.outcome is None and session._customer.state != "escalated"
    say(session, clock, "30元加急费今天退给您，再补偿50元。生意损失超出我的权限，我没法直接答应，我报给主管周经理，2天内给您答复。")
    say(session, clock, "一小时后我主动跟您说进度，不用您催。再次跟您道歉，谢谢您的耐心。")
    assert session.outcome == "resolved" and not session.policy_breach


def test_after_a_hand_off_an_offer_he_takes_brings_the_close(new_session):
    """no-effect-refund (stubborn): the full refund handed to 何经理 with a time, then a voucher and a visit back for
    the product that did nothing: he takes it, and a proper close ends it."""
    session, clock = played(
        new_session, "no-effect-refund",
        "赵先生，真的很抱歉，照说明用了十来天还是掉头发，198元花下去没看到变化，换谁都会着急。",
        "想问一下，您用的时候有没有不舒服？掉发跟之前比有没有变化？",
        "全额退款我没有权限直接答应；我已经把您的要求转给售后主管何经理，她两天内给您打电话答复。")
    say(session, clock, "在那之前先送您一张30元折价券，半个月后我亲自回访，看情况再一起想办法。")
    assert session._customer.issue_resolution == {"no_effect": "resolved", "refund_demand": "resolved"}
    say(session, clock, "您的订单我已经备注，何经理会直接联系您。谢谢您跟我说这么多，真的抱歉让您失望了。")
    assert session.outcome == "resolved"


def test_goods_swapped_for_another_stage_are_corrected(new_session):
    """lost-parcel: the baby drinks 3段; 3段缺货，为您调整为2段 is the wrong thing, however polite and fast."""
    session, clock = played(new_session, "lost-parcel", "您好，非常抱歉包裹丢了，给您和宝宝添麻烦了，我们负责到底。",
                            "请问您的订单号是多少？")
    say(session, clock, "已核实包裹丢了。今天顺丰加急补发同品牌奶粉两罐；由于3段暂时缺货，为您调整为2段800克×2罐，预计后天送达。")
    assert session._customer.issue_resolution["lost"] != "resolved"
    assert session._customer.misfit_pending
