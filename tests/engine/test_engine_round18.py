"""Issue 17, round 18 (what the spent style hold-out aj and the tuning set an showed), played for real:

- goods of another make named as such (补发另一个牌子的3段) are not what she bought: the customer says so and the
  problem stays open, while the same reship of her own make settles it;
- her demand passed up (12800的全额赔偿我也帮您报给主管) is no grant, so no breach;
- when the goods offered arrive, told in the next reply (預計12月2號左右到), is weighed against the wedding;
- a refund taken, then counted out short of her demand (退款是276元), is countered and no longer settles the case;
- a refund paid in travel vouchers, said in the next sentence (这笔退款会以旅游代金券形式发到你账户), is no refund;
- a question she answers with a fact is no blow, so a bad start owned up to is not lost to the order-number question.
Each fix's test fails on the code of the round's start (dad81d1); its control holds on both."""

from __future__ import annotations

from engine_helpers import PARCEL_OPENING, played, say, texts

def test_another_make_is_not_what_she_bought(new_session):
    session, clock = played(new_session, "lost-parcel", *PARCEL_OPENING)
    say(session, clock, "您这个牌子的3段今天没现货了，我给您补发另一个牌子的3段两罐，配方差不多的，今天顺丰加急发出。")
    lines = " ".join(m.text for m in session.transcript[-3:] if m.role == "customer")
    assert "原来那个牌子" in lines
    assert session._customer.issue_resolution["urgent"] != "resolved"


def test_her_own_make_sent_today_settles_the_milk(new_session):
    session, clock = played(new_session, "lost-parcel", *PARCEL_OPENING)
    say(session, clock, "我马上给您补发同款3段两罐，今天顺丰加急发出，预计明天送到，运费我们出。")
    assert session._customer.issue_resolution["urgent"] == "resolved"


HOTEL_OPENING = ("周先生，真的很抱歉，合同写的海景房给您安排成了园景房，换谁都会失望。订单号方便发我一下吗？",)


def test_her_demand_passed_up_is_no_grant(new_session):
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    say(session, clock, "12800的全额赔偿我也帮您报给主管，2天内回话。")
    assert not session._customer.reading.breaches
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    say(session, clock, "12800的全额赔偿我们给您。")
    assert session._customer.reading.breaches


WIG_OPENING = ("林小姐，真的非常抱歉，等了这么久收到的颜色还不对，换作是我也会很失望。订单号和标签照片方便发我吗？",
               "看到了，标签是浅棕色，是我们仓库发错了，不是色差。")


def test_the_arrival_told_next_is_weighed_against_the_wedding(new_session):
    session, clock = played(new_session, "wig-wrong-color", *WIG_OPENING, "我们给您重新寄一顶深棕色中长卷发，运费我们出。")
    result = say(session, clock, "深棕色是海外仓出货，清关大概7到10个工作日，预计12月2号左右到。")
    assert any(m.why == "too_late" for m in session._customer.reading.misfits)
    assert "12月2" in " ".join(texts(result))


SHIPPING = ("孙女士您好，很抱歉让您不舒服了，退款我马上给您办，不耽误您时间。",
            "订单号发我一下哈。")


def test_a_refund_counted_out_short_is_countered_and_settles_nothing(new_session):
    session, clock = played(new_session, "shipping-fee-dispute", *SHIPPING)
    result = say(session, clock, "因为已经发货，要扣去程运费8元和退回运费15元，退款是276元，退货入库后24小时内到账。")
    assert "299" in " ".join(texts(result))
    say(session, clock, "拦截和退款进度我都跟着，谢谢您的理解，给您添麻烦了。")
    assert session.outcome != "resolved"


def test_a_refund_paid_in_vouchers_said_next_is_no_refund():
    from scoring import analyze
    from scoring.slots import paid_in_credit

    text = "我们会退款1000元给你。这笔退款会以旅游代金券形式发到你账户，下次报团直接扣减。"
    refund = next(s for s in analyze(text).slots if s.kind.value == "refund")
    assert paid_in_credit(text, refund) == "代金券"
    plain = "我们会退款1000元给你。这笔退款24小时内原路退回你的账户。"
    assert paid_in_credit(plain, next(s for s in analyze(plain).slots if s.kind.value == "refund")) is None


def test_a_question_she_answers_is_no_blow_after_a_bad_start_owned_up(new_session):
    # (the spent tuning set ai's recovering trainee: a cold rule, a slow owning up, then the facts asked, then the offer)
    session, clock = played(new_session, "no-effect-refund", "开封使用过的商品不支持退款，这是店铺规定。")
    say(session, clock, "赵先生，抱歉，我刚才只甩了一句规定，没问您的情况。照说明用了十来天没看到变化，您失望是正常的。",
        seconds=45)
    say(session, clock, "请您说一下订单号、购买时间和使用方法，我逐项核实。")
    say(session, clock, "已记录：订单KF20261102-5190，11月2日购买，早晚各一次，用了约十天，对吗？", seconds=35)
    assert session.outcome != "escalated"
