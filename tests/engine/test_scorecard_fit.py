"""Issue 17 §4 (round 5): the scorecard judges an offer the way the customer does.

Played for real (engine + reader + scoring.grade_session): a sum far below the customer's money claim, which she
countered and which was never followed by the limit held or a hand-off, earns half the issue's share with the reason
quoted; the time of a courier chase the customer called too late is no time frame; asking her to choose between the
offers on the table is no template about nothing in the case. All but the hand-off test fail on the code before
this round."""

from __future__ import annotations

from engine_helpers import say

SORRY = "陈老板，非常抱歉货还没到，次日达是我们承诺的，您还多付了加急费，我理解您的着急。麻烦您把订单号发我一下好吗？"
CHASE = "查到了，包裹在本市中转站，我这边已经登记了催件，一般2到3个工作日内会安排派送。"
VOUCHER = "为表歉意给您申请一张10元的店铺优惠券，再次抱歉。"
HANDOFF = "生意损失不在我们的赔偿范围，超出了我的权限，我把情况报给售后张主管，2天内给您答复。"


def _items(session, rule_id):
    return [i for i in session.scorecard().items if i.rule == rule_id]


def test_a_sum_far_below_the_claim_earns_half_and_says_why(new_session):
    session, clock = new_session("late-delivery-business-loss")
    for line in (SORRY, CHASE, VOUCHER):
        say(session, clock, line)
    session.end()
    loss = [i for i in _items(session, "solution.issues") if "只给了" in i.reason]
    assert loss, [i.reason for i in _items(session, "solution.issues")]
    assert "10元" in loss[0].reason and "3000元" in loss[0].reason, loss[0].reason
    assert loss[0].points < 25 // 2 + 1, loss[0]
    assert "10元" in loss[0].quote


def test_the_same_sum_with_the_rest_handed_off_is_a_solution(new_session):
    """001 四.4: what the policy allows, and the claim beyond it passed to someone by a time."""
    session, clock = new_session("late-delivery-business-loss")
    for line in (SORRY, CHASE, VOUCHER, HANDOFF):
        say(session, clock, line)
    session.end()
    assert not [i for i in _items(session, "solution.issues") if "只给了" in i.reason]


def test_a_time_the_customer_called_too_late_is_no_time_frame(new_session):
    session, clock = new_session("late-delivery-business-loss")
    for line in (SORRY, CHASE):
        say(session, clock, line)
    session.end()
    assert any(m.why == "too_late" for t in session.record().turns for m in t.misfits)
    frame = _items(session, "solution.time_frame")
    assert frame and frame[0].points == 0, frame


def test_asking_her_to_choose_between_the_offers_is_no_template(new_session):
    session, clock = new_session("late-delivery-business-loss")
    say(session, clock, SORRY)
    say(session, clock, "查到了，包裹在本市中转站，我已经打给站点加急派送，1小时内把进度告诉您；下午3点前还派不出，"
                        "我们就从同城仓补发一批送到您店里。30元加急费退您，再补偿您50元。")
    say(session, clock, "您看下午要是还没送到，是直接同城补发，还是再等这一单？您定，我照办。")
    assert not [i for i in session.scorecard().items if i.rule == "reply.generic"], session.scorecard().items
