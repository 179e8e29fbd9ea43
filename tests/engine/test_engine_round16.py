"""Issue 17, round 16 (what the spent style hold-out ae and the tuning set ah showed), played for real:

- money paid wrongly (store credit called a refund) is put right by money or goods, not by a coupon and free return
  postage (issue 17 §3: the wrong thing offered is corrected, and the case does not close on it);
- 给你整两罐同牌子的2段 (东北 整 for 弄, with a count) sends goods: the wrong stage is the wrong item;
- 我给您报主管 / 我交主管 hand the rest to a supervisor, as 我报主管 does (001 四.4 礼貌的重复);
- 定係 is "or" in a Cantonese choice, so 退返原賬戶，定係換成優惠券？ asks in both scripts (§5);
- when the goods offered in an earlier reply arrive, said in a reply that offers nothing (预计下周二能到您手上), is
  weighed against what she needs (issue 17 §3: too late → says so, the issue stays open);
- collecting the goods herself (您今天到我们苏州仓库自提) is asked of her: a remedy that waits on what she cannot do.
Each fix's test fails on the code of the round's start (c96eee7); its control holds on both."""

from __future__ import annotations

from engine_helpers import played, say, texts

from scoring import analyze

GREEN_OPENING = ("非常抱歉，订的墨绿色收到却是浅绿色，是我们仓库拣错了，您的心情我完全理解。方便发一下订单号吗？",)
CREDIT = "给您办理退款：159元全额退到您在本店的账户余额，以购物金形式到账，下次购物可以直接抵扣。"


def test_a_coupon_and_free_postage_do_not_make_credit_a_refund(new_session):
    session, clock = played(new_session, "green-color-rant", *GREEN_OPENING, CREDIT)
    assert session._customer.misfit_pending
    say(session, clock, "退货运费由我们承担，另外再送您一张20元优惠券。再次向您致歉，感谢您的理解。")
    assert session._customer.misfit_pending
    assert session.outcome != "resolved"


def test_the_money_back_to_her_account_puts_it_right(new_session):
    session, clock = played(new_session, "green-color-rant", *GREEN_OPENING, CREDIT)
    say(session, clock, "刚才说错了，159元原路退回到您的支付账户，1到3个工作日到账，退货运费由我们承担。")
    assert not session._customer.misfit_pending


LOST_OPENING = ("别着急，孩子的奶粉耽误不得，快递丢了是我们的事，先跟您说声对不起。订单号发我一下？",
                "查到了，YT的单子17号到转运中心就没有信息了，确实是丢了。")


def test_another_stage_given_in_dialect_is_the_wrong_item(new_session):
    session, clock = played(new_session, "lost-parcel", *LOST_OPENING)
    result = say(session, clock, "3段这两天断货了，我给你整两罐同牌子的2段，今天顺丰就发，预计后天到。")
    assert session._customer.reading.misfits
    assert any("3段" in line for line in texts(result)), texts(result)


def test_the_same_stage_given_in_dialect_fits(new_session):
    session, clock = played(new_session, "lost-parcel", *LOST_OPENING)
    say(session, clock, "我给你整两罐同牌子的3段，今天顺丰就发，预计后天到。")
    assert not session._customer.reading.misfits


def test_a_supervisor_given_the_rest_is_a_hand_off():
    for text in ("您要坚持的话，我给您报主管，2天内回您话。", "全额12800元超出我的权限，你坚持的话我交主管，2日内覆你。"):
        assert any(r.kind.value == "escalate" for r in analyze(text).remedies), text


def test_a_cantonese_choice_asks_in_both_scripts():
    for text in ("至於全額賠償12800元，真係超出咗我嘅權限，我冇辦法即刻答應你。如果你堅持，我會將你嘅要求如實交俾主管，"
                 "2日內覆你。1000元補償你想退返原支付賬戶，定係換成優惠券？",
                 "至于全额赔偿12800元，真系超出咗我嘅权限，我冇办法即刻答应你。如果你坚持，我会将你嘅要求如实交俾主管，"
                 "2日内覆你。1000元补偿你想退返原支付账户，定系换成优惠券？"):
        assert analyze(text).question == 2, text
    assert analyze("一定係咁").question == 0


CERAMIC_OPENING = ("何女士，真是对不住，给老爷子的寿礼拆开就碎了，是我们包装没做好。麻烦发一下订单号和照片？",
                   "照片我看到了，两只杯子和壶盖碎了，外箱也压坏了，责任在我们。",
                   "我这就给您登记补发两只杯子和壶盖，运费我们出，碎片不用寄回。")


def test_an_arrival_said_later_is_weighed_against_the_birthday(new_session):
    session, clock = played(new_session, "broken-ceramic", *CERAMIC_OPENING)
    result = say(session, clock, "我算了一下，预计下周二，就是12月1号前后能到您手上。")
    assert any(m.why == "too_late" for m in session._customer.reading.misfits)
    assert session._customer.misfit_pending
    assert texts(result)


def test_an_arrival_in_time_is_no_misfit(new_session):
    session, clock = played(new_session, "broken-ceramic", *CERAMIC_OPENING)
    say(session, clock, "我们走顺丰加急，预计明天就能到您手上。")
    assert not session._customer.reading.misfits


CANNED_OPENING = ("真的很抱歉，问了三次都收到同一句话，换成是我也会很生气。这次是我手打回复您，订单号发我一下好吗？",
                  "查到了，心湖城甜品店，20号晚上付的款，您女儿27号过生日，对吗？")


def test_collecting_it_herself_is_asked_of_her(new_session):
    session, clock = played(new_session, "canned-replies-urge", *CANNED_OPENING)
    say(session, clock, "今天的发货排期满了，货我帮您单独留出来了，最快的办法是您今天到我们苏州仓库自提。")
    assert any(m.why == "impossible" for m in session._customer.reading.misfits)


def test_sending_it_today_is_no_such_request(new_session):
    session, clock = played(new_session, "canned-replies-urge", *CANNED_OPENING)
    say(session, clock, "货我帮您单独留出来了，今天下午6点前顺丰发出，单号一出来马上发您。")
    assert not any(m.why == "impossible" for m in session._customer.reading.misfits)
