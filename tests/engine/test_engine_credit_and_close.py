"""Issue 17 §3/§4, third round: store credit is no refund; the customer's own words and the shop's history are no
offer; a customer who agreed takes a timed confirmation with a promise as the close; a venting customer won back
after a bad start keeps listening while a reply calms her. Each test fails on the code before this round."""

from __future__ import annotations

from engine_helpers import say, texts

# Two listening replies for the venting customer of green-color-rant (001 平息怨气).
HEAR_HER = ("亲，真的很抱歉，墨绿色发成了浅绿色，您这么生气完全可以理解。",
            "麻烦把订单号和吊牌照片发我一下好吗？我马上核实。")


def test_store_credit_is_no_refund_and_reopens_the_refund_it_was(new_session):
    """给您全额退款 settled the colour; 退款会以店铺购物金的形式退到您账户 says the money is store credit: the
    customer corrects it, the issue is open again and the scorecard names the misfit."""
    session, clock = new_session("green-color-rant")
    for line in HEAR_HER:
        say(session, clock, line)
    say(session, clock, "核实了，是仓库拣错了颜色，是我们的责任。给您办全额退款159元，退货运费我们承担。")
    assert session.issue_resolution["wrong_color"] == "resolved"
    result = say(session, clock, "退款会以店铺购物金的形式退到您账户，159元一分不少，全店通用、没有门槛。")
    assert any("购物金" in t and "退钱" in t for t in texts(result)), texts(result)
    assert session.issue_resolution["wrong_color"] != "resolved"
    assert session.state not in ("closing", "resolved")
    assert result.misfits and result.misfits[0].said == "购物金"
    card = session.scorecard()
    assert any("购物金" in item.reason and "不合适" in item.reason for item in card.items), \
        [i.reason for i in card.items]


def test_money_back_paid_as_money_is_still_a_refund(new_session):
    """The same offer, paid back to her account, settles the colour (the rule is about credit, not the word 退款)."""
    session, clock = new_session("green-color-rant")
    for line in HEAR_HER:
        say(session, clock, line)
    say(session, clock, "核实了，是仓库拣错了颜色，是我们的责任。给您办全额退款159元，退货运费我们承担。")
    result = say(session, clock, "退款会原路退回您的支付账户，寄回后24小时内到账，159元一分不少。")
    assert not result.misfits
    assert session.issue_resolution["wrong_color"] == "resolved"


def test_the_customers_own_application_and_demand_are_no_offer(new_session):
    """下单不到半天申请退款 (she applied) and 您要是还坚持全额退 (her demand in a condition) grant no full refund."""
    session, clock = new_session("shipping-fee-dispute")
    say(session, clock, "孙女士您好，下单不到半天申请退款，却发现要少退8块，换谁都会觉得不舒服，是我们不好。")
    say(session, clock, "您要是还坚持全额退，我把您的要求报给主管，2天内给您答复。")
    assert not session.policy_breach, session.record().turns[-1].policy_breaches


def test_a_shipment_told_as_done_is_no_reship(new_session):
    """我们今天上午10点就发出了 tells what happened to her parcel; it reships nothing (no breach of 不允许补发)."""
    session, clock = new_session("shipping-fee-dispute")
    say(session, clock, "查到了：您是昨晚11点下的单，我们今天上午10点就发出了，现在快递刚揽收。我马上联系快递拦截退回。")
    assert not session.policy_breach


LATE_TO_CLOSING = (
    "陈老板您好，多付了加急费、说好昨天到的货到现在没见着，还耽误您店里的事，非常抱歉。",
    "麻烦您把订单号或运单号发我一下，我现在就查这批杯子卡在哪。",
    "查到了，我已经打给顺丰站点，要求这票今天优先派送，1小时内、11点前我给您回复派送进度。",
    "您多付的30元加急费我现在就退，另外为这次延误补偿您50元。生意损失这块，不在我们的赔偿范围内，也超出了我的权限；"
    "您坚持的话，我把情况报给售后主管何立，他2天内（25号前）给您答复。",
)


def _closing(new_session):
    session, clock = new_session("late-delivery-business-loss")
    for line in LATE_TO_CLOSING:
        say(session, clock, line)
    assert session.state == "closing", session.state
    return session, clock


CARRY_OUT = "好的，就按您说的来。11点前我先给您回电话，今天这批货我一直盯到您签收为止。"


def test_once_agreed_and_asked_to_choose_carrying_out_her_choice_with_a_time_closes(new_session):
    """001 四.3: she agreed and was asked which she prefers; carrying out her choice with a commitment and its
    time, and a word of thanks, leaves nothing to settle."""
    session, clock = _closing(new_session)
    say(session, clock, "您看是继续等这一单，还是中午一到就直接同城补发？您定，我这边随时能动。")
    say(session, clock, "好的，就按您说的来，谢谢您的理解。11点前我先给您回电话，今天这批货我一直盯到您签收为止。")
    assert session.outcome == "resolved"


def test_carrying_out_her_choice_with_no_courtesy_waits_for_the_trainees_close(new_session):
    """Round 17 (tuning set al): carrying out her choice with its time but no sorry and no thanks does not end the
    conversation under the trainee — she waits in the close, so the trainee's own closing apology and thanks (001 第五步
    感谢客户) are still sent and scored, and then close it."""
    session, clock = _closing(new_session)
    say(session, clock, "您看是继续等这一单，还是中午一到就直接同城补发？您定，我这边随时能动。")
    say(session, clock, CARRY_OUT)
    assert session.state == "closing" and not session.finished
    say(session, clock, "再次为这次延误向您道歉，谢谢您一直照顾我们的生意，次日达的时效我们会改进。")
    assert session.outcome == "resolved"
    rules = {item.rule: item.points for item in session.scorecard().items}
    assert rules.get("apology.closing", 0) > 0 and rules.get("empathy.thanks", 0) > 0, rules


def test_once_agreed_a_timed_step_that_answers_no_choice_is_no_close(new_session):
    """The same words when no choice was put to her: one part of a close (a commitment), not a close."""
    session, clock = _closing(new_session)
    say(session, clock, CARRY_OUT)
    assert session.state == "closing"


def test_once_agreed_a_confirmation_with_no_time_does_not_close(new_session):
    """好的…我会跟进的 names no time: one part of a close, not two (thanks or an apology still needed)."""
    session, clock = _closing(new_session)
    say(session, clock, "好的，就按您说的来，我会跟进的。")
    assert session.state == "closing"


def test_a_commitment_to_prevent_it_again_closes_with_thanks(new_session):
    """避免再发生… is a promise to improve (001 感谢客户), with thanks a proper close."""
    session, clock = _closing(new_session)
    say(session, clock, "避免再发生承诺了却送不到的情况，谢谢您的耐心。")
    assert session.outcome == "resolved"


RECOVERS = (
    "亲，图片和实物存在一点色差是难免的，不同手机屏幕看出来的颜色会不一样哦。",
    "对不起，我刚才那句话不对，您根本不是在说色差。您挑了一晚上选的墨绿色，收到的却是浅绿色，我不该拿屏幕来搪塞您，您生气完全应该。",
    "能麻烦您发一下订单号和吊牌的照片吗？我认真核实一下。",
)


def test_a_venting_customer_won_back_keeps_listening_while_a_reply_calms_her(new_session):
    session, clock = new_session("green-color-rant")
    for line in RECOVERS:
        say(session, clock, line)
    assert session.state == "listening" and session.mood > session.persona.mood.calm
    before = session.mood
    say(session, clock, "看到了，吊牌上明明写着浅绿色，是我们仓库拣错了货，是我们的错。")
    assert session.mood < before
    assert session.state == "listening"  # not back to venting: this reply calmed her


def test_a_venting_customer_who_said_yes_takes_a_proper_close_while_still_cross(new_session):
    session, clock = new_session("green-color-rant")
    for line in RECOVERS:
        say(session, clock, line)
    say(session, clock, "看到了，吊牌上明明写着浅绿色，是我们仓库拣错了货，是我们的错。")
    say(session, clock, "给您全额退159元，退货运费我们承担，寄回后24小时内到账；或者换成墨绿色，来回运费我们出。您看哪种？")
    assert session.mood > session.persona.mood.calm and session.state == "listening"
    say(session, clock, "图片拍得比实物深，让您误会了，是我们的问题，再次向您道歉，图片我们会重新拍，以后不会再出现这种情况。")
    assert session.outcome == "resolved", (session.state, session.mood, session.issue_resolution)


def test_a_courier_chase_that_arrives_after_the_deadline_is_too_late(new_session):
    """A chase promising delivery in 2-3 working days for a customer who needs the goods by 17:00 today: he says it
    is too late, the issue stays open and the scorecard quotes why; a chase answered within the hour is no misfit."""
    session, clock = new_session("late-delivery-business-loss")
    say(session, clock, "陈老板您好，非常抱歉货还没有送到，耽误您的时间了，我非常理解您的心情。")
    result = say(session, clock, "我这边已经在快递系统里给您登记了催件，一般2到3个工作日内会安排派送，请您耐心等待一下。")
    assert [m.why for m in result.misfits] == ["too_late"], result.misfits
    assert any("17点" in t for t in texts(result)), texts(result)
    assert session.issue_resolution["not_arrived"] != "resolved"
    assert any("2到3个工作日内" in i.reason and "不合适" in i.reason for i in session.scorecard().items)
    session, clock = new_session("late-delivery-business-loss")
    result = say(session, clock, "非常抱歉，我刚已经打给中转站要求加急派送，1小时内把进度告诉您。")
    assert not result.misfits


def test_a_wrong_date_of_the_case_is_corrected(new_session):
    """§3: a date of the case stated wrongly (入住 on the 16th; the facts say 11月15日) is corrected; the right one is not."""
    session, clock = new_session("hotel-sea-view")
    result = say(session, clock, "周先生您好，非常抱歉。跟您确认一下，您是11月16号入住的，住了5晚，对吗？")
    line = " ".join(texts(result))
    assert "11月16号" in line and "11月15日" in line, texts(result)
    session, clock = new_session("hotel-sea-view")
    result = say(session, clock, "周先生您好，非常抱歉。跟您确认一下，您是11月15号入住的，住了5晚，对吗？")
    assert "11月16号" not in " ".join(texts(result)) and not result.misfits


def test_a_day_named_from_today_is_checked_on_the_calendar(new_session):
    """您是昨天签收的 when the facts say 今天中午签收 (resolved on the case's calendar): the customer corrects it."""
    session, clock = new_session("broken-ceramic")
    result = say(session, clock, "真的非常抱歉，您是昨天签收的对吧？")
    assert any("今天" in t and "昨天" in t for t in texts(result)), texts(result)
    session, clock = new_session("broken-ceramic")
    result = say(session, clock, "真的非常抱歉，您是今天签收的对吧？")
    assert not any("不是" in t for t in texts(result)), texts(result)


def test_an_exchange_to_another_model_code_is_the_wrong_item(new_session):
    """wish.attributes [KF-W7]: a new machine of another model (KF-W5) is corrected like a wrong colour."""
    session, clock = new_session("computer-crash-loss")
    result = say(session, clock, "非常抱歉给您添了这么大的麻烦。KF-W7目前缺货，给您换同系列的KF-W5，48小时内发出。")
    assert any("KF-W7" in t and "KF-W5" in t for t in texts(result)), texts(result)
    assert [m.why for m in result.misfits] == ["wrong_item"]
    session, clock = new_session("computer-crash-loss")
    result = say(session, clock, "非常抱歉给您添了这么大的麻烦。给您换一台全新的KF-W7，48小时内发出。")
    assert not result.misfits


def test_a_time_naming_only_the_deadlines_own_day_is_not_too_late(new_session):
    """今天优先派送 for 17:00 today: the day alone is given the benefit of the doubt (2-3 working days is not)."""
    session, clock = new_session("late-delivery-business-loss")
    result = say(session, clock, "非常抱歉，我已经打给顺丰站点，要求这票今天优先派送，11点前我给您回复派送进度。")
    assert not result.misfits


def test_a_hand_off_does_not_settle_the_goods_nobody_chased(new_session):
    """not_arrived is settled by the goods chased or sent again (resolved_by): refunding the express fee and handing
    the loss claim to a supervisor settles the claim, not the parcel; with a chase offered before, the hand-off does."""
    money_and_hand_off = ("30元加急费退给您，再补偿您50元。生意损失超出我的权限，我反映给主管，2天内给您答复。")
    session, clock = new_session("late-delivery-business-loss")
    say(session, clock, "陈老板您好，非常抱歉，次日达没做到，还耽误您店里的安排，这是我们的问题。")
    say(session, clock, "我查了运单SF1402667781，停在本市中转站了，快递那边说是分拣爆仓。")
    say(session, clock, money_and_hand_off)
    assert session.issue_resolution["not_arrived"] != "resolved"
    session, clock = new_session("late-delivery-business-loss")
    say(session, clock, "陈老板您好，非常抱歉，次日达没做到，还耽误您店里的安排，这是我们的问题。")
    say(session, clock, "我查了运单，停在本市中转站。我已经打给顺丰站点，要求这票今天优先派送，11点前我给您回复派送进度。")
    say(session, clock, money_and_hand_off)
    assert session.issue_resolution["not_arrived"] == "resolved"


def test_a_cost_the_customer_will_not_bear_put_on_her_does_not_fit(new_session):
    """wish.not_paying [运费, 差价] (misled-by-presales): an exchange with 差价麻烦您补一下 / 寄回运费由您支付 is no fit —
    she pushes back and the size stays open; the same exchange with the costs on the shop settles it."""
    session, clock = new_session("misled-by-presales")
    say(session, clock, "郑小姐您好，真的很抱歉，我们同事推荐错了尺寸，让您困扰了。")
    result = say(session, clock, "帮您换成1.8米的同款燕麦色，差价麻烦您补一下，寄回运费先由您支付。")
    assert [m.why for m in result.misfits] == ["customer_pays"], result.misfits
    assert any("差价" in t and "出" in t for t in texts(result)), texts(result)
    assert session.issue_resolution["wrong_size"] != "resolved"
    session, clock = new_session("misled-by-presales")
    say(session, clock, "郑小姐您好，真的很抱歉，我们同事推荐错了尺寸，让您困扰了。")
    result = say(session, clock, "24小时内帮您换成1.8米的同款燕麦色，差价和来回运费都不用您出，我们承担。")
    assert not result.misfits
    assert session.issue_resolution["wrong_size"] == "resolved"


def test_once_agreed_and_asked_to_choose_carrying_out_her_choice_by_name_closes(new_session):
    """Round 4: carrying out her choice by naming it (好的，那就同城补发…) with a commitment closes, with no time."""
    session, clock = _closing(new_session)
    say(session, clock, "您看是继续等这一单，还是直接同城补发？您定，我这边随时能动。")
    say(session, clock, "好的，那就给您同城补发两千只杯子，我会一直帮您盯着，有状况第一时间联系您，谢谢您的耐心。")
    assert session.outcome == "resolved", (session.state, session.mood)
