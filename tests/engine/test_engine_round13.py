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
        if m and not m.group(1).startswith(("你", "您", "我", "还", "又", "怎么", "什么", "凭什么", "一句")):
            assert any(m.group(1)[i:i + 2] in reply for i in range(len(m.group(1)) - 1)), line


def test_the_answer_passed_on_once_there_is_a_commitment():
    assert analyze("好，已经报上去了，答复一出来我马上联系您。").commitment
    assert analyze("审批下来就通知您。").commitment
    assert not analyze("答复要等主管出来才有。").commitment
