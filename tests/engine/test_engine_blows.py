"""Issue 17 round 4: a trainee who starts badly and then owns up wins the customer back.

`patience.warnings` counts blows — replies that leave the customer furious without soothing her or owning up —
not every reply while she is furious; owning up is no template and a full apology; once she has agreed, an offer
that did not fit keeps the close away until an offer puts that very thing right. The tests of owning up and of
the wrong item fail on the code before this round; the third blow and the corrected item guard what must stay."""

from __future__ import annotations

from engine_helpers import say, texts

BAD_START = ("您好，包裹丢了是物流公司的责任，建议您直接跟快递那边申请理赔。",
             "我们这边只能等快递回复结果。")
OWN_UP = "刘先生，对不起，我刚刚讲错了，不该再把您推回去给快递。东西是在我们这边买的，丢件我们先负责处理，快递那边我们自己去追。"


def _bad_start(new_session):
    session, clock = new_session("lost-parcel")
    for line in BAD_START:
        say(session, clock, line, seconds=35)
    assert session.mood >= session.persona.mood.escalate  # furious after two blows
    return session, clock


def test_owning_up_after_two_blows_is_no_third_blow(new_session):
    """Two blows brought two warnings; owning up, though she is still angry, does not make her escalate, and the
    question that follows is no blow either once she is no longer furious."""
    session, clock = _bad_start(new_session)
    say(session, clock, OWN_UP, seconds=40)
    assert session.outcome is None, session.outcome
    say(session, clock, "孩子的奶粉只剩两天，我最担心的也是这个。想跟您确认一下，是3段800克两罐对吗？", seconds=15)
    assert session.outcome is None, session.outcome


def test_a_third_blow_still_ends_in_a_complaint(new_session):
    """The same bad start, then a third excuse instead of owning up: she escalates (patience.warnings: 2)."""
    session, clock = _bad_start(new_session)
    say(session, clock, "丢件这种事我们也没办法，物流公司的问题我们控制不了。", seconds=15)
    assert session.outcome == "escalated"


def test_owning_up_is_no_template_and_brings_no_warning(new_session):
    """我刚刚讲错了… names no product word, but answers what was said: no '复制的模板' answer, no threat to complain."""
    session, clock = _bad_start(new_session)
    result = say(session, clock, OWN_UP, seconds=15)
    said = " ".join(texts(result))
    assert "模板" not in said and "复制" not in said, said
    assert "投诉" not in said, said
    assert session.mood < session.persona.mood.escalate


def test_the_recovering_trainee_of_the_wig_case_is_won_back(new_session):
    """Two excuses (screen, customs), owning up, a confirming question, the fitting remedy: she agrees."""
    session, clock = new_session("wig-wrong-color")
    say(session, clock, "您好，假发颜色的部分，有可能是手机屏幕色差哦，每台显示器呈现出来不太一样。")
    say(session, clock, "另外晚到是国际物流清关的关系，这个我们这边也没办法控制……", seconds=30)
    say(session, clock, "林小姐，真的很抱歉，刚刚那样回您很不应该。包装标签印的就是浅棕色，是我们仓库出错，不是色差；"
                        "晚了三天也是我们没盯好，不该推给清关。", seconds=35)
    say(session, clock, "想跟您确认一下，您是下周六要当伴娘的时候戴，对吗？")
    assert session.outcome is None, session.outcome


LOST_TO_CLOSING = (
    "刘先生，非常抱歉让您遇到这种事，包裹丢了是我们的责任，您不用去找快递，我们来处理。",
    "麻烦您发一下订单号，我这边马上查。",
    "查到了，转运中心之后就没有记录了。这边马上给您安排补发，今天顺丰加急发出。",
)
WRONG_STAGE = "不过3段现在仓库暂时缺货，我先给您补发同品牌2段的800克两罐，营养成分差不多，预计明天就能到。"


def _agreed_then_wrong_item(new_session):
    session, clock = new_session("lost-parcel")
    for line in LOST_TO_CLOSING:
        say(session, clock, line)
    assert session.state == "closing", session.state
    result = say(session, clock, WRONG_STAGE)
    assert result.misfits and result.misfits[0].why == "wrong_item"
    return session, clock


def test_a_bare_follow_up_after_a_wrong_item_is_no_close(new_session):
    """补发单已经提交… after offering 2段 still means the 2段: even with an apology and thanks she does not close."""
    session, clock = _agreed_then_wrong_item(new_session)
    say(session, clock, "补发单已经提交，单号出来我第一时间发给您。再次抱歉，谢谢您的理解。")
    assert session.outcome != "resolved"


def test_naming_the_right_item_after_a_wrong_one_closes_again(new_session):
    """The same follow-up naming 3段 puts the wrong item right: with an apology and thanks it is a close."""
    session, clock = _agreed_then_wrong_item(new_session)
    say(session, clock, "对不起，是我说错了，给您补发的就是3段800克两罐，今天顺丰加急发出，单号出来我第一时间发给您。谢谢您的理解。")
    assert session.outcome == "resolved", (session.state, session.mood)


def _agreed_shipping_fee(new_session):
    """shipping-fee-dispute played to her agreement (closing): the money explained, credit for the 8块, a hand-off."""
    session, clock = new_session("shipping-fee-dispute")
    for line in ("孙女士，抱歉，下单不到半天就申请退款，却发现要少退8块，换谁都会不舒服。麻烦您发一下订单号？",
                 "查到了，包裹刚揽收，我现在就联系快递拦截。扣的8块是快递按内部价收的运费，其余291元在退货入库后24小时内退到账；"
                 "再送您一张8元优惠券补上这8块。",
                 "您坚持全额的话，我没有权限直接答应，会报给主管，主管2天内给您答复，您看可以吗？"):
        say(session, clock, line)
    assert session.state == "closing", session.state
    return session, clock


def test_once_agreed_following_up_what_was_agreed_is_no_vague_action(new_session):
    """拦截跟退款进度我都会帮您追 after she agreed: she does not ask again '反馈完然后呢？钱什么时候退？' (§3)."""
    session, clock = _agreed_shipping_fee(new_session)
    result = say(session, clock, "好的，拦截跟退款进度我都会帮您追，有消息第一时间通知您。")
    said = " ".join(texts(result))
    assert "然后呢" not in said and "什么时候" not in said, said


def test_a_figure_the_case_states_is_no_wrong_order_value(new_session):
    """您还多付了30块加急费 names the case's express fee (货款1380元，另付加急运费30元), not the order's money told
    wrongly: no '你看清楚，是1380元，不是30块'."""
    session, clock = new_session("late-delivery-business-loss")
    result = say(session, clock, "陈老板您好，非常抱歉，页面写的次日达，您还多付了30块加急费，货到今天还没到，这是我们没做好，不能推给快递。")
    said = " ".join(texts(result))
    assert "1380" not in said, said


def test_once_agreed_an_apology_with_a_promise_to_follow_up_closes(new_session):
    """退款进度我会盯着…再次抱歉 once she agreed: following up what was agreed is the commitment of the close."""
    session, clock = _agreed_shipping_fee(new_session)
    say(session, clock, "退款进度我会盯着，到账前有任何问题直接找我。再次抱歉让您这么生气。")
    assert session.outcome == "resolved", (session.state, session.mood)


def test_a_rushed_exchange_she_did_not_hear_is_not_given_with_the_later_refund(new_session):
    """您可以寄回来换一件 before she was heard, then the full refund she takes: one remedy, no 既全额退款又换货 breach."""
    session, clock = new_session("green-color-rant")
    say(session, clock, "您可以寄回来换一件，换货很快的。")
    say(session, clock, "对不起，我刚才话说急了。挑了一晚上的衣服拿到手不是那个颜色，换谁都难受。您能把吊牌照片发我看看吗？")
    say(session, clock, "核实了，是仓库拣错了颜色，是我们的责任。给您办全额退款159元，退货运费我们出，寄回后24小时内到账。")
    assert not session.policy_breach, session.record().turns[-1].policy_breaches


def test_options_put_as_a_choice_are_not_both_given(new_session):
    """全额退…也可以换墨绿色，您选哪个都行, then 好的，给您办退款: she picked one; no double breach."""
    session, clock = new_session("green-color-rant")
    for line in ("亲，真的很抱歉，墨绿色发成了浅绿色，您这么生气完全可以理解。",
                 "麻烦把订单号和吊牌照片发我一下好吗？我马上核实。",
                 "核实了，是仓库拣错了颜色。您看是给您换墨绿色，还是全额退款159元？退货运费我们出，您选哪个都行。"):
        say(session, clock, line)
    say(session, clock, "好的，给您办全额退款159元，寄回后24小时内到账。")
    assert not session.policy_breach, session.record().turns[-1].policy_breaches
