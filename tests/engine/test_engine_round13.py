"""Issue 17, round 13 (what the fresh blind style set ab showed: 150 of 154 on arrival), played for real:

- once she has agreed, a close with two of sorry, thanks and a commitment settles her, as closed_properly reads it:
  one such close a little slower than the case's limit no longer leaves her waiting for a close (001 感谢客户);
- the customer throws back only words the trainee said (别做梦了？ after 不退 quotes what nobody said; 002);
- 答复一出来我马上联系您 is a commitment to follow up (001 感谢客户 3).
Each fails on the code of the round's start (33520ef)."""

from __future__ import annotations

import re

import pytest
from engine_helpers import played, say, texts

from scoring import analyze

LATE_OPENING = ("陈老板，次日达没送到，耽误您备货，实在对不起。", "麻烦把运单号发我一下，我马上查。")


def test_a_close_with_sorry_and_a_commitment_settles_her_even_a_little_slow(new_session):
    """late-delivery-business-loss (extortion-minded): the parcel chased, the fee back, the loss handed to a manager;
    she agrees; the close (a commitment and sorry again) comes after 50 s, past the case's 30 s: still the end."""
    session, clock = played(new_session, "late-delivery-business-loss", *LATE_OPENING,
                            "查到了，卡在本市中转站，我这就让站点加急派送，1小时内告诉您进度。")
    say(session, clock, "30元加急费退回给您，再补您50元。下午还到不了的话，从同城仓给您补发，您看先催还是直接补发？")
    say(session, clock, "生意损失超出我的权限，我报给主管孙经理，2天内给您答复。")
    assert session.outcome is None and session._customer.issue_resolution == {
        "not_arrived": "resolved", "business_loss": "resolved"}
    say(session, clock, "站点说下午两点前送到店里，我会一直跟着，到了再跟您核对一遍，真是给您添麻烦了。", seconds=50)
    assert session.outcome == "resolved" and not session.policy_breach


_ECHO = re.compile(r"^[“\"]?([^？?！!，,。“”\"\s]{1,8})[”\"]?[？?]")


@pytest.mark.parametrize("seed", range(6))
def test_the_customer_never_throws_back_words_not_said(new_session, seed):
    """no-effect-refund: a flat 不退 (a refusal and an excuse) is answered, but never with 别做梦了？ or 不可能？,
    words the trainee did not write."""
    session, clock = new_session("no-effect-refund", seed=seed)
    reply = "开了封的东西不退，这是规定。"
    lines = texts(say(session, clock, reply))
    assert lines
    for line in lines:
        m = _ECHO.match(line)
        if m and not m.group(1).startswith(("你", "您", "我", "还", "又", "怎么", "什么", "凭什么")):
            assert any(m.group(1)[i:i + 2] in reply for i in range(len(m.group(1)) - 1)), line


def test_the_answer_passed_on_once_there_is_a_commitment():
    assert analyze("好，已经报上去了，答复一出来我马上联系您。").commitment
    assert analyze("审批下来就通知您。").commitment
    assert not analyze("答复要等主管出来才有。").commitment


SHIPPING_TO_HAND_OFF = (
    "孙女士，扣运费的事没提前跟您讲清楚，是我们不对，让您不舒服了。",
    "麻烦把订单号发我，我看看包裹到哪了。",
    "包裹刚揽收，我这就联系快递拦截退回，不用您跑网点；8元是已经付给快递的运费，其余291元退货入库后24小时内退回，另送您一张8元优惠券。",
    "全额退款超出我的权限，您坚持的话我报给主管梁姐，2天内给您答复。",
)


def test_following_up_what_she_agreed_to_is_no_template(new_session):
    """shipping-fee-dispute (stubborn): once he takes the hand-off, 好的，进度我盯着，有消息马上告诉您 carries it on —
    it names nothing of the case, but it is about what was just agreed, not a pasted template (003 禁区6)."""
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING_TO_HAND_OFF)
    assert session.outcome is None
    mood = session._customer.mood
    lines = texts(say(session, clock, "好的，进度我盯着，有消息马上告诉您。"))
    assert session._customer.mood <= mood and not any("万能" in t or "套话" in t or "官腔" in t for t in lines)
    session.end()
    assert session.outcome == "resolved" and not session.policy_breach


def test_her_view_told_back_is_no_offer_of_free_shipping(new_session):
    """我晓得您觉得包邮还扣钱不公平 tells back what she thinks: the shop bearing the shipping is not offered (no breach)."""
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING_TO_HAND_OFF[:3])
    say(session, clock, "我晓得您觉得包邮还扣钱不公平，我能做的就是这张8元券。全额退款我没有权限，您坚持的话我报主管，2天内答复。")
    assert not session.policy_breach


def test_a_reship_told_as_early_december_is_too_late_for_the_wedding(new_session):
    """wig-wrong-color: the bridesmaid needs the dark-brown wig by the wedding; 大概10到12个工作日，预计12月初到 is after it:
    the customer says so and the colour problem stays open (000: 赶得上的时间; issue 17 §3)."""
    session, clock = played(new_session, "wig-wrong-color", "真的很抱歉，是我们仓库把深棕色发成浅棕色了，让您白等了三天。")
    say(session, clock, "我们给您补发深棕色同款，走海外仓原渠道，大概10到12个工作日，预计12月初就能到您手上。")
    assert session._customer.issue_resolution["wrong_color"] != "resolved"
    assert any(m.why == "too_late" for m in session._customer.reading.misfits)
