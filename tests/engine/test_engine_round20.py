"""Issue 17, round 20 (what the style set at showed), played for real:

- money made up with the amount before the verb (打车费我们按200元给您补) is compensation, not goods sent again: in a
  case that allows no reship it is no breach, and the money offered stays on the table for a later 退回 with no amount;
- money back paid in a coupon of any name (159元直接以店铺无门槛券的形式退到您账户) is no refund, whatever the reply calls
  it: the customer owed her money says so;
- the Taiwan 疏失 is 失误: 這是我們的疏失 owns the fault, a sincere apology.
- her demand taken to the depot's manager by the shop (我会把您的要求一并反映给网点主管) is no errand for her (round 19's
  blind trainer's robot-vacuum-lost, spent: its model now resolves, 42 of 42).
Each fix's test fails on the code of the round's start (6d2622f); its control holds on both."""

from __future__ import annotations

from engine_helpers import PARCEL_OPENING, SHIPPING_OPENING, played, say, texts

HOTEL_OPENING = ("周先生，真的很抱歉，合同写的海景房给您安排成了园景房，离海也远，这是我们的问题。能说说当时前台怎么回复您的吗？",
                 "我确认一下：您15号入住、20号退房，一共5晚，对吗？")


def test_a_fare_made_up_with_the_amount_first_is_money_not_a_reship(new_session):
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    say(session, clock, "房型差价5晚800元，去海滩的打车费我们按200元给您补，合计1000元现金补偿，按原支付渠道退给您。")
    assert not session.policy_breach
    say(session, clock, "这笔补偿您看是直接退回原付款账户，还是作为部分退款记在这张订单上？")
    assert not session.policy_breach


def test_a_reship_in_the_same_case_is_still_a_breach(new_session):
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    say(session, clock, "我们马上给您补发一份旅行礼包，再补偿您800元。")
    assert session.policy_breach


SWEATER_OPENING = ("真的非常抱歉，墨绿发成了浅绿，挑了一晚上的衣服出这种错，换谁都会生气。",
                   "麻烦发一下订单号和吊牌照片，我核对一下。")


def test_money_back_in_a_coupon_of_any_name_is_no_refund(new_session):
    session, clock = played(new_session, "green-color-rant", *SWEATER_OPENING)
    result = say(session, clock, "帮您办全额退款：159元直接以店铺无门槛券的形式退到您账户，即时到账，衣服也不用寄回。")
    assert any(m.why == "wrong_item" for m in session._customer.reading.misfits)
    assert "券" in " ".join(texts(result))


def test_money_back_to_her_account_is_a_refund(new_session):
    session, clock = played(new_session, "green-color-rant", *SWEATER_OPENING)
    say(session, clock, "帮您办全额退款：159元直接原路退回您的付款账户，衣服也不用寄回。")
    assert not any(m.why == "wrong_item" for m in session._customer.reading.misfits)


def test_taiwan_shushi_owns_the_fault():
    from scoring import analyze

    assert analyze("先代替我們同事跟您說聲對不起，這是我們的疏失，不是您的問題。").apology == 2
    assert analyze("先代替我們同事跟您說聲對不起。").apology == 1


def test_her_demand_taken_to_the_depot_by_us_is_no_errand_for_her(new_session):
    """The blind trainer's robot-vacuum-lost (round 19's as): 我会把您的要求反映给网点主管 is the shop going, not her."""
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING_OPENING)
    say(session, clock, "我马上联系快递拦截，拦截成功后全额退款299元，运费我们出；我会把您的要求一并反映给网点主管，今天18点前给您回复。")
    assert not any(m.why == "impossible" for m in session._customer.reading.misfits)


def test_sending_her_to_the_depot_is_still_an_errand(new_session):
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING_OPENING)
    say(session, clock, "麻烦您今天自己去一趟网点拦截，拦截成功后全额退款299元。")
    assert any(m.why == "impossible" for m in session._customer.reading.misfits)


def test_money_with_no_amount_is_answered_as_such_not_with_a_fragment_of_the_reply(new_session):
    """A money offer with no amount at all, below her loss: the customer speaks of 这点赔偿 (issue 17 §5), not of the
    clause's last twelve characters (就给您看是直接退回原付款账户？)."""
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    result = say(session, clock, "我们给您一些补偿，您看是直接退回原付款账户，还是记在这张订单上？")
    said = " ".join(texts(result))
    assert any(m.why == "too_little" for m in session._customer.reading.misfits)
    assert "这点赔偿" in said and "您看是直接退回" not in said


def test_a_refund_beside_a_coupon_as_the_other_option_is_money_back():
    """直接退款还是换成50元券: the coupon is the other option offered, not the refund paid in credit (the style set at's
    late-delivery model, once any 券 was read as store credit)."""
    from scoring import analyze
    from scoring.slots import paid_in_credit

    for text in ("那50元您要直接退款还是换成50元券？", "换成50元券还是直接退款？"):
        refund = next(s for s in analyze(text).slots if s.kind.value == "refund")
        assert paid_in_credit(text, refund) is None, text
    text = "退款会以店铺购物金的形式退到您账户，还是您想换货？"
    assert paid_in_credit(text, next(s for s in analyze(text).slots if s.kind.value == "refund")) == "购物金"


def test_a_coupon_beside_goods_that_wait_on_the_check_is_no_plan(new_session):
    """The spent style hold-out au's lost-parcel wrong substance: 确认丢了以后…补发 is a condition, and a 20-yuan coupon or the
    postage beside it is a sweetener, not a plan for the milk."""
    session, clock = played(new_session, "lost-parcel", *PARCEL_OPENING)
    say(session, clock, "我已经给快递提了丢件调查，一般3到5个工作日出结果，确认丢了以后我们第一时间给您补发两罐3段，运费我们出，"
                        "再送您一张20元优惠券。")
    assert any(m.why == "conditional" for m in session._customer.reading.misfits)
    assert session._customer.issue_resolution["urgent"] != "resolved"


def test_a_refund_beside_goods_that_wait_on_the_check_is_a_plan(new_session):
    session, clock = played(new_session, "lost-parcel", *PARCEL_OPENING)
    say(session, clock, "我们今天就给您全额退款478元，确认丢了以后我们再给您补发两罐3段。")
    assert not any(m.why == "conditional" for m in session._customer.reading.misfits)
