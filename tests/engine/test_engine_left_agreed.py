"""Issue 17 round 5: a customer left agreed to an arrangement that settles everything is a resolved conversation.

A trainee who stops (Session.end) once the customer has come round — an agreement state, every issue settled by a
fitting remedy or a hand-off naming who and by when, within the policy — with last words that carry the arrangement
on (a hand-off, a commitment, following up what was agreed) has fixed the substance: the outcome is `resolved` and
the missing closing sentences cost points on the scorecard. Nice words alone never get there, nor does an offer that
did not fit and was not put right (a hand-off passes the rest of the claim on; it does not turn store credit into
money), nor a time that is the tracking number's rather than the goods'. The tests of ending agreed fail on the code
before this round (`unfinished`); the others guard what must stay."""

from __future__ import annotations

from engine_helpers import say

# no-effect-refund (stubborn, holds out): the line held with a small goodwill coupon, then a hand-off with who and when.
HEARD = ("赵先生，真的很抱歉，照说明用了十来天一点变化都没有，198元花下去换谁都会失望，我理解您的心情。"
         "想跟您确认一下，您是早晚各一次喷在头皮上按摩，对吗？")
COUPON = "已经开封用了快一半，全额退款超出我的权限，我没办法直接办，真的抱歉。我能做的是送您一张30元优惠券，半个月后我亲自回访您。"
HANDOFF = "您如果还是坚持全额退款，我今天就把情况报给我们店长周姐，她2天内给您回复。您看这样可以吗？"


def _handed_off(new_session):
    session, clock = new_session("no-effect-refund")
    for line in (HEARD, COUPON, HANDOFF):
        say(session, clock, line)
    assert session.outcome is None
    assert session.state == "closing", session.state  # she has agreed to the hand-off
    return session, clock


FOLLOWED_UP = "单号一出来马上发您，物流我每天帮您盯着。"


def _arranged(new_session, case: str, *replies: str):
    """Play `replies` in `case`; she must have agreed (closing) before the follow-up, which is then said."""
    session, clock = new_session(case)
    for line in replies:
        say(session, clock, line)
    assert session.state == "closing", session.state
    say(session, clock, FOLLOWED_UP)
    return session, clock


def test_left_agreed_to_a_hand_off_is_resolved(new_session):
    """The hand-off is the last reply and she agreed to it ('好吧，你报上去'): the trainee stops, the case is resolved,
    and the scorecard still misses the thanks of a proper close."""
    session, _clock = _handed_off(new_session)
    assert session.left_agreed
    session.end()
    assert session.outcome == "resolved"
    assert session.record().outcome == "resolved"
    thanks = [i for i in session.scorecard().items if i.rule == "empathy.thanks"]
    assert thanks and thanks[0].points == 0, thanks


def test_a_proper_close_scores_above_stopping_at_the_hand_off(new_session):
    """Stopping agreed resolves, but the three closing sentences are still worth their points."""
    stopped, _ = _handed_off(new_session)
    stopped.end()
    closed, clock = _handed_off(new_session)
    say(closed, clock, "再次跟您说声抱歉，谢谢您的耐心和理解，店长的回复我也会帮您盯着，有结果第一时间告诉您。")
    assert closed.outcome == "resolved"
    assert closed.scorecard().total > stopped.scorecard().total


def test_a_last_reply_that_angers_her_leaves_it_unfinished(new_session):
    """Agreed, then a forbidden move as the last words: nothing is left agreed."""
    session, clock = _handed_off(new_session)
    say(session, clock, "效果因人而异，是您自己用的方法不对。")
    assert not session.left_agreed
    session.end()
    assert session.outcome != "resolved"


def test_nice_words_alone_do_not_leave_her_agreed(new_session):
    """Apologies and a well-wish with no remedy: she never comes round, stopping is unfinished."""
    session, clock = new_session("no-effect-refund")
    say(session, clock, HEARD)
    say(session, clock, "真的非常抱歉给您带来不好的体验，谢谢您的耐心，祝您生活愉快。")
    assert not session.left_agreed
    session.end()
    assert session.outcome == "unfinished"


def test_left_agreed_with_a_commitment_after_the_fitting_remedy_is_resolved(new_session):
    """The wig case: the right colour in time and the late delivery made good; she agreed; the last words follow the
    arrangement up (单号出来马上发您，物流我每天帮您盯着) with no thanks or apology: resolved when the trainee stops."""
    session, clock = _arranged(
        new_session, "wig-wrong-color",
        "林小姐，真的很抱歉，包装标签印的就是浅棕色，是我们仓库发错了；晚到三天也是我们没跟好，让您着急了，"
        "我理解您的心情。想跟您确认一下，婚礼是下周六，对吗？",
        "我们24小时内顺丰给您补发深棕色中长卷发，预计25号前送到；浅棕色那顶到付寄回，运费我们出。"
        "晚到三天再送您一张30元代金券表示歉意。")
    assert session.outcome is None
    session.end()
    assert session.outcome == "resolved"


def test_a_hand_off_does_not_turn_store_credit_into_money(new_session):
    """hotel-sea-view: '退还200元' paid as a travel voucher is the wrong thing (she wants money back); handing the full
    claim to a supervisor afterwards passes the rest on but does not put that right: left there, it is not resolved."""
    session, clock = new_session("hotel-sea-view")
    say(session, clock, "周先生您好，非常抱歉这次三亚行程房型和合同不一致，离海滩也比宣传远，给您添麻烦了，我理解您的失望。")
    say(session, clock, "为表歉意，我们给您退还200元，以出行抵用券的形式发放到您的账户，下次预订任意线路都可以直接抵扣。")
    say(session, clock, "全额赔偿超出了我的处理权限，如果您坚持，我会反映给主管，2天内给您答复。")
    assert session._customer.misfit_pending, session._customer.misfit_pending
    assert not session.left_agreed
    session.end()
    assert session.outcome == "unfinished"


def test_a_tracking_number_time_does_not_make_a_late_reship_fit(new_session):
    """broken-ceramic: the reship arrives after the birthday (too late); '补发单号我明天发给您' says when the tracking
    number comes, not the goods: the late delivery is still pending, so no close and no resolution."""
    session, clock = new_session("broken-ceramic")
    say(session, clock, "您好，茶具碎成这样真的太抱歉了，给爸爸的寿礼出这种事，您一定特别难受，我理解您的心情。")
    say(session, clock, "两只杯子和壶盖我们走普通物流补发，运费我们出，预计下周二（12月1号）左右能送到您手上。")
    assert "too_late" in session._customer.misfit_pending
    say(session, clock, "另外再送您一张30元优惠券，真的很抱歉。")
    say(session, clock, "补发单号我明天发给您，有任何问题随时找我。")
    assert "too_late" in session._customer.misfit_pending
    session.end()
    assert session.outcome == "unfinished"


def test_asking_the_warehouse_while_asking_for_the_order_is_a_look(new_session):
    """canned-replies-urge: '您订单号发我一下，我马上去问仓库' promises to look, not to ship: the parcel issue stays open."""
    session, clock = new_session("canned-replies-urge")
    say(session, clock, "真的很抱歉前两次都给您发了同一句快捷回复，这次是我本人在回，换我也会着急的。")
    say(session, clock, "您订单号发我一下哈，我马上去问仓库。")
    assert session.issue_resolution["not_shipped"] != "resolved", session.issue_resolution


def test_an_apology_and_a_well_wish_after_the_arrangement_leave_her_agreed(new_session):
    """broken-ceramic: the cups and lid by SF before Saturday, her choice carried out with a follow-up; then only
    '再说一次抱歉，提前祝叔叔生日快乐': no '光说抱歉解决不了问题' (nothing is left to do), and stopping there is resolved."""
    session, clock = _arranged(
        new_session, "broken-ceramic",
        "真的对不起，给爸爸挑的寿礼一拆开是碎的，换我也要难过半天，我理解您的心情。",
        "方便把订单号发我吗？再麻烦拍几张碎掉的杯子、壶盖和外箱的照片。",
        "是我们包装没做好。今天就用顺丰给您补发两只杯子和一个壶盖，运费我们出，预计周六前能送到；另外送您一张30元优惠券。")
    result = say(session, clock, "再说一次抱歉，提前祝叔叔福如东海、寿比南山。")
    assert not any("光说抱歉" in m.text for m in result.messages), [m.text for m in result.messages]
    assert session.left_agreed
    session.end()
    assert session.outcome == "resolved"


def test_carrying_out_her_choice_with_a_commitment_is_no_template(new_session):
    """late-delivery-business-loss: the limit stated and handed off, she is asked to choose (继续催还是同城补发？您定),
    picks one, and '好，就照您说的办。1小时内我主动打给您' answers that choice: no '万能回复' answer, no reply.generic
    deduction, and stopping there is resolved."""
    session, clock = new_session("late-delivery-business-loss")
    say(session, clock, "陈老板，非常抱歉，次日达是我们承诺的，您还多付了30块加急费，货到现在都没到，是我们的责任。"
                        "麻烦您发下订单号好吗？")
    say(session, clock, "查到了，包裹在本市中转站。我现在就打中转站电话要求加急派送，1小时内回复您进度；今天还派不出来，"
                        "我马上从同城仓补发一批。")
    say(session, clock, "30块加急费全额退您，另外再补偿您50元。生意损失不在我们的赔偿范围，我没有权限答应；您要坚持的话，"
                        "我把情况交给售后主管梁经理，2天内他亲自回复您。")
    assert session.state == "closing", session.state
    say(session, clock, "如果下午还送不到，您想我们继续催这单，还是直接同城补发？您定。")
    result = say(session, clock, "好，就照您说的办。1小时内我主动打给您，之后每个钟同步一次，有问题直接找我。")
    assert not any("万能" in m.text or "模板" in m.text for m in result.messages), [m.text for m in result.messages]
    assert not [i for i in session.scorecard().items if i.rule == "reply.generic"]
    session.end()
    assert session.outcome == "resolved"


def test_another_measure_than_the_wanted_one_is_the_wrong_size(new_session):
    """misled-by-presales wants 1.8米 (wish.attributes): an exchange to 2.0米 or to a 1.5米 加高 sheet is the wrong
    size ("不对，是1.8米的"), and it stays pending, so she is not left agreed; 1.8米 fits."""
    for said, wrong in (("2.0米的同款燕麦色", True), ("咱家1.5米的加高床笠款", True), ("1.8米的同款燕麦色", False)):
        session, clock = new_session("misled-by-presales")
        say(session, clock, "郑女士，真的很抱歉，是我们售前同事回答错了，让您买错了尺寸，我代表她向您道歉。")
        result = say(session, clock, f"我给您换成{said}，来回运费我们出，差价也不用您补。")
        found = [m.why for m in result.misfits]
        assert ("wrong_item" in found) is wrong, (said, found)
        if wrong:
            assert any("1.8米" in m.text for m in result.messages), [m.text for m in result.messages]
            session.end()
            assert session.outcome != "resolved"


def test_a_whole_close_in_the_reply_that_brings_him_round_leaves_him_agreed(new_session):
    """computer-crash-loss (extortion, holds out): the exchange and 300元 offered, the 3万 declined, a choice put; the
    reply that settles the rest and brings him to agree is itself a whole close — sorry, thanks and following the
    arrangement up (发货单号我都会追到底). A trainee who stops there has closed: resolved (before round 7: unfinished,
    since only a reply *after* he agreed could carry the arrangement on)."""
    session, clock = new_session("computer-crash-loss")
    for line in (
        "吴总您好，新买的工作站才用两天就蓝屏，工程师又晚了两天才到，耽误了贵公司的项目，真的非常抱歉。",
        "机器的问题，七天内质量问题我们免费给您换一台全新的KF-W7，48小时内发出；工程师迟到，补偿您300元，并把保修延长一年。",
        "真的抱歉，项目损失的3万元补偿超出了店铺的规定，我没办法答应，换新机和300元补偿是我能给的。",
        "换新机还是直接退货退款，您比较倾向哪一种？300元退回原付款账户还是换成等额优惠券，也听您的。",
    ):
        say(session, clock, line)
    assert session.state != "closing", session.state
    say(session, clock, "好的，已经帮您登记。新机的发货单号我都会追到底。再次为这次的故障和延误向您致歉，"
                        "也谢谢您愿意平心静气地跟我们谈。")
    assert session.state == "closing", session.state
    assert session.left_agreed
    session.end()
    assert session.outcome == "resolved"


def test_a_close_with_nothing_settled_still_does_not_leave_her_agreed(new_session):
    """The same whole close (sorry, thanks, following up) with the loss claim never answered: no agreement state,
    stopping stays unfinished — the close words carry an arrangement on only once there is one."""
    session, clock = new_session("computer-crash-loss")
    say(session, clock, "吴总您好，新买的工作站才用两天就蓝屏，真的非常抱歉。")
    say(session, clock, "已经帮您登记，进度我都会追到底。再次致歉，也谢谢您的耐心。")
    assert not session.left_agreed
    session.end()
    assert session.outcome == "unfinished"
