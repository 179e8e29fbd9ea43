"""Issue 17, round 17 (what the spent style hold-out ag and the tuning set ak showed), played for real:

- 送您一张8元优惠券，算是把这8块补给您 glosses the coupon: no second offer, so no compensation the case forbids (the
  model trainee is not charged a breach for saying what the coupon comes to);
- a self-test guide and a spare part to swap in yourself are instructions, which the customer refuses, not a repair;
  a new machine's fault within 7 days is settled by a new machine or the money back (computer-crash-loss's policy);
- 16号下午上门换了内存条 is history, 不用再等上门 offers no visit;
- goods sourced again and sent on a named day (工厂重新调，下周一出货) are goods sent, weighed against the birthday;
- the errand she cannot run (到仓库自提, 带上身份证到网点) is what misfits, also when it is the whole plan, and a coupon
  beside it does not put it right nor bring the relief of a granted wish;
- the stand-in arranged (安排同等级的KF-W5, 给您配的是透明杯) is the thing sent: the wrong model, the wrong finish;
- 中转站那件先退回仓库 sends the parcel back, no money to her;
- of two compensations, the one with its amount in its own clause (两项合计补偿您1000元) says what is offered.
Each fix's test fails on the code of the round's start (19bc27d); its control holds on both."""

from __future__ import annotations

from engine_helpers import SHIPPING_OPENING, played, say, texts

from scoring import analyze


def _kinds(text: str) -> set[str]:
    return {r.kind.value for r in analyze(text).remedies}


def test_what_the_coupon_comes_to_is_no_second_offer(new_session):
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING_OPENING)
    say(session, clock, "我马上联系快递拦截，另外送您一张8元优惠券，算是把这8块补给您。")
    assert not session._customer.reading.breaches
    assert "compensation" not in _kinds("另外送您一张8元优惠券，基本就把这8块补上了。")


def test_money_given_outright_is_still_compensation():
    assert "compensation" in _kinds("我们补给您8块钱，今天到账。")


def test_a_self_test_guide_is_instructions_not_a_repair():
    kinds = _kinds("再发您一份自检教程，教程里有内存检测软件的用法，装好以后跑一遍就晓得了。")
    assert "repair" not in kinds and "instructions" in kinds
    assert "repair" in _kinds("我们免费帮您检测一下整机。")


CRASH_OPENING = ("吴总您好，非常抱歉，新机两天就蓝屏，工程师又晚了两天，给贵公司添麻烦了。订单号方便发我一下吗？",
                 "查到了，KF-W7，8999元。工程师上门晚了两天是我们的问题，给您补偿300元，保修再延长一年。")


def test_a_spare_part_to_swap_herself_does_not_settle_the_crash(new_session):
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING)
    say(session, clock, "机器这边我再给您寄一根同型号的备用内存条，再发您一份自检教程，以后蓝屏你们自己拔下来换上就行，不用再等上门。")
    say(session, clock, "订单损失这个超出我的权限，我反映给主管，2天内给您答复。再次跟您道歉，谢谢您的理解。")
    assert session._customer.issue_resolution["crash"] != "resolved"
    assert session.outcome != "resolved"


def test_a_new_machine_settles_the_crash(new_session):
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING)
    say(session, clock, "机器这边给您免费换一台全新的KF-W7，48小时内发出，旧机我们上门取回。")
    say(session, clock, "订单损失这个超出我的权限，我反映给主管，2天内给您答复。再次跟您道歉，谢谢您的理解。")
    assert session._customer.issue_resolution["crash"] == "resolved"


def test_a_visit_on_a_day_gone_by_is_history():
    assert "repair" not in _kinds("查到了，14号报修，16号下午上门换了内存条。")
    assert "repair" not in _kinds("以后再蓝屏，你们自己换上就行，不用再等上门。")
    assert "repair" in _kinds("明天下午工程师上门给您检修。")


CERAMIC_OPENING = ("何女士，真是对不住，给老爷子的寿礼碎成这样，是我们包装没做好。麻烦发一下订单号和照片？",
                   "照片看到了，两只杯子加一个壶盖碎了，是我们没包好，碎片不用寄回。")


def test_goods_sourced_again_on_a_named_day_are_weighed(new_session):
    session, clock = played(new_session, "broken-ceramic", *CERAMIC_OPENING)
    say(session, clock, "这款仓库没现货了，要从工厂重新调，工厂下周一出货，走普通快递，下周三左右到您手上，运费我们出。")
    assert any(m.why == "too_late" for m in session._customer.reading.misfits)


CANNED_OPENING = ("真的很抱歉，问了三次都收到同一句话，换成是我也会很生气。这次是我手打回复您，订单号发我一下好吗？",
                  "查到了，心湖城甜品店，20号晚上付的款，您女儿27号过生日，对吗？")
PICKUP = "我跟仓库核实过了，快递揽收排到周五以后了。最快的办法是您今天下午到我们嘉兴的仓库自提，带上订单号和身份证。"


def test_an_errand_she_cannot_run_misfits_as_the_whole_plan(new_session):
    session, clock = played(new_session, "canned-replies-urge", *CANNED_OPENING)
    say(session, clock, PICKUP)
    assert any(m.why == "impossible" for m in session._customer.reading.misfits)


def test_a_coupon_beside_it_neither_puts_it_right_nor_relieves_her(new_session):
    session, clock = played(new_session, "canned-replies-urge", *CANNED_OPENING, PICKUP)
    result = say(session, clock, "另外送您一张20元优惠券，表示我们的歉意。")
    assert "impossible" in session._customer.misfit_pending
    assert "granted" not in session._customer.reading.events
    granted = set(session.scenario.lines.get("granted", ()))
    assert not granted & set(texts(result)), texts(result)


def test_sending_it_today_puts_the_errand_right(new_session):
    session, clock = played(new_session, "canned-replies-urge", *CANNED_OPENING, PICKUP)
    say(session, clock, "刚才的办法不对，不该让您跑。我已经让仓库单独打包，今天下午6点前顺丰发出，单号一出来马上发您。")
    assert "impossible" not in session._customer.misfit_pending


def test_the_depot_trip_with_papers_is_her_errand(new_session):
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING_OPENING)
    say(session, clock, "有个不扣运费的办法：第一，您今天下午带上身份证，到发货的本地网点；第二，亲自把包裹拦下来。"
                        "这样8元运费就不扣了，291元退给您。")
    assert any(m.why == "impossible" for m in session._customer.reading.misfits)


def test_thanks_before_the_interception_asks_nothing_of_her(new_session):
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING_OPENING)
    say(session, clock, "给您添麻烦了，谢谢您的理解和支持，拦截的进度我会一直跟进，有消息第一时间告诉您。")
    assert not any(m.why == "impossible" for m in session._customer.reading.misfits)


def test_the_stand_in_model_arranged_is_the_wrong_item(new_session):
    session, clock = played(new_session, "computer-crash-loss", CRASH_OPENING[0])
    say(session, clock, "機器的部分，我們幫您換一台新機。不過KF-W7目前缺貨，要等到下個月，所以這邊安排同等級的KF-W5給您，現貨48小時內出貨。")
    assert any(m.why == "wrong_item" for m in session._customer.reading.misfits)


def test_the_cup_put_in_instead_is_the_wrong_finish(new_session):
    session, clock = played(new_session, "late-delivery-business-loss",
                            "陈老板，非常抱歉，次日达没做到，耽误您活动准备了。订单号发我一下，我马上核实。")
    say(session, clock, "我们今天从本地仓同城补发。不过磨砂杯没有现货了，给您配的是500ml透明光面杯2000只，今天下午就能送到店里。")
    assert any(m.why == "wrong_item" for m in session._customer.reading.misfits)


def test_the_parcel_sent_back_to_the_depot_is_no_refund():
    assert "refund" not in {s.kind.value for s in analyze("中转站那件先退回仓库，不让您再干等。").slots}
    assert "refund" in {s.kind.value for s in analyze("货款1380元今天退回您的原账户。").slots}


def test_the_total_said_in_its_own_clause_is_the_compensation():
    text = "补偿我一项一项跟您算：房型差价每晚约160元，5晚800元；打车费算200元；两项合计补偿您1000元。"
    assert [r.amount_yuan for r in analyze(text).remedies if r.kind.value == "compensation"] == [1000]
