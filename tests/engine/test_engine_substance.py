"""Issue 17 §3: the customer weighs what is offered — the right thing, in time, really offered."""

from __future__ import annotations

import pytest
from engine_helpers import say, texts


def _calm_wig(new_session):
    session, clock = new_session("wig-wrong-color")
    say(session, clock, "非常抱歉，发错颜色还晚到三天，换谁都会着急，您的心情我完全理解。")
    return session, clock


def test_a_reship_too_late_for_the_wedding_is_answered_and_settles_nothing(new_session):
    session, clock = _calm_wig(new_session)
    result = say(session, clock, "颜色的事是我们仓库发错了，晚到也很抱歉，给您补发深棕色的，大概下下周一左右能到。")
    said = " ".join(texts(result))
    assert "赶不上" in said or "来不及" in said or "太晚" in said, said
    assert "下下周一" in said or "11月27日" in said, said
    assert session.issue_resolution["wrong_color"] != "resolved"
    assert result.misfits and result.misfits[0].why == "too_late"


def test_the_wrong_colour_is_corrected(new_session):
    session, clock = _calm_wig(new_session)
    result = say(session, clock, "颜色发错是我们的问题，晚到也很抱歉，我们24小时内给您补发一顶浅棕色的，再送您20元代金券。")
    said = " ".join(texts(result))
    assert "深棕色" in said and "浅棕色" in said, said
    assert session.issue_resolution["wrong_color"] != "resolved"


def test_the_right_colour_in_time_is_granted(new_session):
    session, clock = _calm_wig(new_session)
    result = say(session, clock, "颜色发错是我们仓库的问题，晚到也很抱歉，我们24小时内给您补发深棕色的，周二前就能到，再送您20元代金券。")
    assert not result.misfits
    assert session.issue_resolution["wrong_color"] == "resolved"


def test_a_conditional_reship_asks_for_a_firm_answer(new_session):
    session, clock = new_session("broken-ceramic")
    say(session, clock, "真的非常抱歉，给父亲的生日礼物碎了，换谁都会难过。")
    result = say(session, clock, "如果确认是运输途中碎的，我们就给您补发。")
    said = " ".join(texts(result))
    assert result.misfits and result.misfits[0].why == "conditional"
    assert "准话" in said or "如果" in said or "能不能办" in said, said
    assert session.issue_resolution["broken"] != "resolved"


@pytest.mark.parametrize("text", ["这边赔您3000元，您看可以吗？", "三千块我们赔，您看可以吗？", "3k我们赔给您"])
def test_more_money_than_policy_is_a_breach_in_any_word_order(new_session, text):
    session, clock = new_session("late-delivery-business-loss")
    result = say(session, clock, "真的抱歉耽误您的生意了，" + text)
    assert result.policy_breaches, text


def test_a_refusal_of_a_refund_is_no_refund(new_session):
    session, clock = new_session("no-effect-refund")
    result = say(session, clock, "非常理解您的失望，全額退款不在我的權限內，我沒辦法直接給您退198元，我可以把情況反映給主管。")
    assert not result.policy_breaches
    assert "refund" not in {r.kind.value for r in result.analysis.remedies}


def test_a_closed_confirming_question_gets_the_fact(new_session):
    session, clock = _calm_wig(new_session)
    result = say(session, clock, "我确认一下：您下单的是深棕色中长卷发那款，对吗？")
    assert "深棕色中长卷发" in " ".join(texts(result)), texts(result)


def test_the_scorecard_quotes_a_misfit_and_says_why(new_session):
    session, clock = _calm_wig(new_session)
    say(session, clock, "颜色的事是我们仓库发错了，晚到也很抱歉，给您补发深棕色的，大概下下周一左右能到。")
    items = [i for i in session.scorecard().items if i.rule == "solution.issues" and "不合适" in i.reason]
    assert items, [i.reason for i in session.scorecard().items]
    assert "下下周一" in items[0].reason and "11月27日" in items[0].reason
    assert "补发" in items[0].quote and items[0].better  # the offer quoted, and the case's better phrasing


def test_an_accepted_remedy_stays_accepted(new_session, library):
    session, clock = _calm_wig(new_session)
    say(session, clock, "颜色发错是我们仓库的问题，我们24小时内给您补发深棕色的，周二前就能到。")
    later = say(session, clock, "好的，深棕色那顶我这边已经备注加急了。")
    main = texts(later)[0]
    # Not "我只想在婚礼前拿到深棕色的" again: she took the reship; she wants it wrapped up.
    assert main in library.scenarios["wig-wrong-color"].lines["want_close"], main


def test_less_money_than_demanded_gets_a_counter_from_a_customer_who_holds_out(new_session):
    session, clock = new_session("late-delivery-business-loss")
    result = say(session, clock, "真的抱歉耽误您的生意了，我马上联系快递加急，再补偿您40元，您看可以吗？")
    said = " ".join(texts(result))
    assert "40元" in said and "3000元" in said, said


def test_money_below_the_real_loss_is_no_fit_whatever_the_persona(new_session):
    """Issue 17 §3 (wish.least_yuan): a 300-yuan voucher for an 800-yuan room difference is too little; the customer
    says so, the issue stays open, and the scorecard quotes why. Points (京豆) count nothing."""
    session, clock = new_session("hotel-sea-view")
    say(session, clock, "周先生，非常抱歉，合同写的海景房却安排了园景房，这是我们的责任，我完全理解您的失望。")
    result = say(session, clock, "房型的事，我们给您申请一张300元的旅游折价券作为补偿，下次出行可以用，您看可以吗？")
    said = " ".join(texts(result))
    assert "300元" in said and "800元" in said, said
    assert session.outcome != "resolved"
    items = [i for i in session.scorecard().items if "不合适" in i.reason]
    assert items and "800元" in items[0].reason and "300元" in items[0].quote, [i.reason for i in items]
    session, clock = new_session("computer-crash-loss")
    result = say(session, clock, "吴总，非常抱歉，工程师没按时上门是我们的问题，给您账户发放200京豆作为补偿。")
    assert "100元" in " ".join(texts(result)), texts(result)


def test_money_that_makes_up_the_loss_fits(new_session):
    session, clock = new_session("hotel-sea-view")
    say(session, clock, "周先生，非常抱歉，合同写的海景房却安排了园景房，这是我们的责任，我完全理解您的失望。")
    say(session, clock, "房型差价每晚160元，五晚800元，加上打车费，我们补偿您1000元，今天退回原账户，您看可以吗？")
    # (the 12800 demand still wants its limit stated and handed off: that is another item, not the loss)
    assert not any("实际损失" in i.reason for i in session.scorecard().items)


@pytest.mark.parametrize("case, text, said, right", [
    ("wig-wrong-color", "非常抱歉，我确认一下，您买的是浅棕色的那款，对吗？", "浅棕色", "深棕色"),
    ("no-effect-refund", "非常理解您的心情，您这单实付298元，我先帮您查一下。", "298元", "198元"),
])
def test_a_wrong_fact_in_the_reply_is_corrected(new_session, case, text, said, right):
    session, clock = new_session(case)
    result = say(session, clock, text)
    line = texts(result)[0]
    assert said in line and right in line, texts(result)


def _calm_tea_set(new_session):
    session, clock = new_session("broken-ceramic")
    say(session, clock, "真的非常抱歉，给父亲的生日礼物碎了，换谁都会难过。")
    return session, clock


def test_reshipping_the_cups_without_the_lid_is_incomplete(new_session):
    """wish.parts [杯子, 壶盖]: an offer naming the cups only leaves the set incomplete; the customer asks about
    the lid, the issue stays open, and a later goods promise naming nothing does not settle it either."""
    session, clock = _calm_tea_set(new_session)
    result = say(session, clock, "两只杯子我们今天用顺丰给您补发，运费我们承担，预计周六前送到。壶盖没有单独的配件，给您一张10元优惠券。")
    said = " ".join(texts(result))
    assert [m.why for m in result.misfits] == ["incomplete"] and "壶盖" in said, said
    assert session.issue_resolution["broken"] != "resolved"
    later = say(session, clock, "补发单号出来后第一时间发给您，再次抱歉。")
    assert [m.why for m in later.misfits] == ["incomplete"]
    assert session.issue_resolution["broken"] != "resolved"
    card = session.scorecard()
    assert any("壶盖" in i.reason for i in card.items), [i.reason for i in card.items]


@pytest.mark.parametrize("text", ["两只杯子和壶盖我们24小时内顺丰给您补发，预计周六前送到。",
                                  "壶盖没有单独的配件，我们24小时内直接给您换一整套新的，预计周六前送到。"])
def test_every_part_or_the_whole_set_fits(new_session, text):
    session, clock = _calm_tea_set(new_session)
    result = say(session, clock, text)
    assert not result.misfits
    assert session.issue_resolution["broken"] == "resolved"


def test_a_refund_with_no_amount_pays_back_the_money_already_offered(new_session):
    """After 补偿1000元, '24小时内退回您的账户' is that money paid back, not the whole order refunded."""
    session, clock = new_session("hotel-sea-view")
    say(session, clock, "真的非常抱歉，房型和海滩距离都跟合同不符，换谁都会生气。")
    first = say(session, clock, "房型差价每晚160元，5晚800元，加上您的车费，合计补偿您1000元。")
    assert not first.policy_breaches
    paid = say(session, clock, "好的，我今天就提交，24小时内退回您的账户。")
    assert not paid.policy_breaches


def test_a_refund_that_names_a_deduction_is_the_rule_s_refund_not_the_whole_order(new_session):
    """已发货订单退款需扣除运费 names no amount but a deduction: the refund the shop's rule gives (refund_due 291元),
    within policy; 给您退款 alone is still the whole order (a breach where full_refund is not allowed)."""
    session, clock = new_session("shipping-fee-dispute")
    say(session, clock, "非常理解您的心情，包邮的单子被扣运费换谁都会不舒服。")
    assert not say(session, clock, "已发货订单退款需扣除运费，具体以系统为准。").policy_breaches
    session, clock = new_session("shipping-fee-dispute")
    say(session, clock, "非常理解您的心情，包邮的单子被扣运费换谁都会不舒服。")
    assert say(session, clock, "给您全额退款。").policy_breaches


def test_a_wanted_colour_is_held_beside_a_wanted_size():
    """Wanted 1.8米 and 燕麦色: 1.8米的雾霾蓝 is the right size in the wrong colour; 墨绿色 or 深绿色 (one family) either fits."""
    from scoring import analyze
    from simulator.engine.fit import _wrong

    [slot] = [s for s in analyze("换成同系列1.8米的雾霾蓝").slots if s.kind.value == "exchange"]
    assert _wrong(slot, ["1.8米", "燕麦色"]) == ("雾霾蓝", "燕麦色")
    assert _wrong(slot, ["1.8米"]) is None
    [green] = [s for s in analyze("给您换成墨绿色M码").slots if s.kind.value == "exchange"]
    assert _wrong(green, ["墨绿色", "深绿色"]) is None
    [size] = [s for s in analyze("我们给您换成2.0米的同款燕麦色").slots if s.kind.value == "exchange"]
    assert _wrong(size, ["1.8米", "燕麦色"]) == ("2.0米", "1.8米")


def test_a_promise_to_look_leaves_a_venting_customer_the_floor_and_a_vague_stall_does_not(new_session):
    """001 平息怨气: after owning up, 我现在就去问仓库为什么还没出库 is looking into it (a listening move): she is heard and
    the same-day shipment after it is not taken as rushing her; 已经为您加急处理，请您耐心等待 is a stall and still pushes."""
    def played(look: str):
        session, clock = new_session("canned-replies-urge")
        say(session, clock, "对不起，前两次都是快捷回复，太不应该了。您问了三次都没拿到一句准话，我理解您有多生气。")
        say(session, clock, look)
        return say(session, clock, "仓库说打包时漏了这单，今天下午5点前顺丰发出，运费差价我们出。")
    heard = played("订单号我这边看到了，KF20261120-1517，我现在就去问仓库为什么过了48小时还没出库")
    assert heard.state != "venting", texts(heard)
    pushed = played("已经为您加急处理，请您耐心等待。")
    assert pushed.state == "venting", texts(pushed)


def test_an_issue_answered_after_she_took_the_remedy_that_covers_it_is_settled(new_session):
    """lost-parcel: the reship for the baby's milk is taken ('今天能发出来就好'); the lost parcel, answered only
    afterwards (丢件由我们追查，物流每天更新给您，再次抱歉), is settled by that same reship — no second offer needed,
    and she comes round (before round 7 the parcel stayed 'addressed' and she kept asking '包裹丢了的事你们到底管不管？')."""
    session, clock = new_session("lost-parcel")
    for line in ("真的很对不起！宝宝的奶粉五天没动静，换作是我也会急坏的，这件事我们负责到底。",
                 "麻烦给我订单编号，我马上调运单记录。家里的奶粉大概还能撑几天？",
                 "宝宝不能等，我们今天就用顺丰加急给您补寄同款3段奶粉两罐，运费我们出，预计后天前送到。"):
        say(session, clock, line)
    assert session.issue_resolution["lost"] != "resolved", session.issue_resolution
    result = say(session, clock, "丢件的事是我们寄出的包裹，快递那边的追查由我们去处理，物流我每天都会更新给您，再次跟您说声抱歉。")
    assert session.issue_resolution == {"lost": "resolved", "urgent": "resolved"}, session.issue_resolution
    assert not any("到底管不管" in t for t in texts(result)), texts(result)


def test_an_issue_answered_with_nothing_taken_stays_open_to_an_offer(new_session):
    """The same words about the lost parcel with no remedy taken before: talked about, not settled."""
    session, clock = new_session("lost-parcel")
    say(session, clock, "真的很对不起！宝宝的奶粉五天没动静，换作是我也会急坏的，这件事我们负责到底。")
    say(session, clock, "丢件的事是我们寄出的包裹，快递那边的追查由我们去处理，物流我每天都会更新给您，再次跟您说声抱歉。")
    assert session.issue_resolution["lost"] != "resolved", session.issue_resolution


@pytest.mark.parametrize("when", ["12 月 2 日左右送達", "12月 2日左右送达", "12 月2 日左右送到"])
def test_a_spaced_date_after_the_wedding_is_still_too_late(new_session, when):
    """Taiwan writers space digits (預計 12 月 2 日左右送達): the date is read through the spaces, so a reship that
    arrives after the wedding is too late in either script (before round 7 the spaced date was no time at all and
    the reship resolved the wrong colour)."""
    session, clock = _calm_wig(new_session)
    result = say(session, clock, f"我們會幫您補寄正確的深棕色，走國際平郵，預計 {when}；淺棕色那頂到付寄回，運費我們出。")
    assert result.misfits and result.misfits[0].why == "too_late", result.misfits
    assert session.issue_resolution["wrong_color"] != "resolved"


def test_a_spaced_span_in_time_is_read_as_in_time(new_session):
    """The same spacing of a span (24 小時內寄出，3 天內送到) reads as the unspaced one: in time, resolved."""
    session, clock = _calm_wig(new_session)
    say(session, clock, "颜色发错是我们仓库的问题，晚到也很抱歉，我们 24 小时内给您补发深棕色的，3 天内送到，再送您20元代金券。")
    assert session.issue_resolution["wrong_color"] == "resolved", session.issue_resolution


def _urge_asked(new_session):
    session, clock = new_session("canned-replies-urge")
    say(session, clock, "您好，我是真人客服小周，这次全程手打。前两次都是同一句回复，实在抱歉，让您白白等了三天。")
    say(session, clock, "您把订单号发我一下，我现在就去问仓库。")
    return session, clock


def test_another_set_of_the_same_series_is_the_wrong_thing(new_session):
    """canned-replies-urge (wish.attributes: [心湖城甜品店]): '调成了同系列的心湖城面包房套装' is another product of the
    same line — the wrong thing, whatever the verb; she names the set she ordered and the parcel stays open."""
    session, clock = _urge_asked(new_session)
    result = say(session, clock, "查到了，您要的心湖城甜品店仓库刚好断货。我给您调成了同系列的心湖城面包房套装，"
                                 "价位差不多，今天下午5点前顺丰发出。")
    assert result.misfits and result.misfits[0].why == "wrong_item", result.misfits
    assert "心湖城甜品店" in " ".join(texts(result)), texts(result)
    assert session.issue_resolution["not_shipped"] != "resolved"


def test_the_set_she_ordered_named_in_full_fits(new_session):
    """The same reply sending the set she ordered (乐高心湖城甜品店) fits and settles the parcel."""
    session, clock = _urge_asked(new_session)
    result = say(session, clock, "查到了，您的乐高心湖城甜品店漏拣了，是我们的问题。今天下午5点前顺丰发出，运费差价我们出，"
                                 "预计明天就能送到。")
    assert not result.misfits, result.misfits
    assert session.issue_resolution["not_shipped"] == "resolved", session.issue_resolution


def test_a_remedy_that_waits_on_what_she_cannot_provide_is_no_fit(new_session):
    """Issue 17 §3 (wish.cannot_provide, a wrong substance of the blind writers: 'a promise that depends on something
    she cannot do'): the engineer took the faulty memory stick away; an exchange that waits on it never comes."""
    session, clock = new_session("computer-crash-loss")
    say(session, clock, "吴总，非常抱歉，新机两天就出故障，工程师又晚到，给贵公司添麻烦了，我完全理解您的着急。")
    result = say(session, clock, "烦请您先将故障内存条寄回我司检测中心，鉴定确认为质量问题后，即可为您办理换新。")
    said = " ".join(texts(result))
    assert "内存条" in said and any(w in said for w in ("拿不出来", "做不到", "办不到")), said
    assert any(m.why == "impossible" for m in result.misfits)
    assert session.issue_resolution["crash"] != "resolved"
    items = [i.reason for i in session.scorecard().items if "不合适" in i.reason]
    assert any("内存条" in r for r in items), items


def test_waiving_what_she_cannot_provide_is_a_fit(new_session):
    session, clock = new_session("computer-crash-loss")
    say(session, clock, "吴总，非常抱歉，新机两天就出故障，工程师又晚到，给贵公司添麻烦了，我完全理解您的着急。")
    result = say(session, clock, "内存条不用寄回，这台KF-W7我们直接给您免费换新机，48小时内发出。")
    assert not any(m.why == "impossible" for m in result.misfits), result.misfits


def test_a_bare_remedy_after_the_first_problem_answers_no_second_one(new_session):
    """000: two problems, one answer — once the wrong colour is settled, 另外送您20元代金券 with no word about the late
    delivery does not answer it; the same coupon given as an apology for the wait does."""
    def settled_colour():
        session, clock = _calm_wig(new_session)
        say(session, clock, "颜色发错是我们仓库的问题，我们24小时内给您补发深棕色的，周二前就能到。")
        assert session.issue_resolution["wrong_color"] == "resolved"
        return session, clock

    session, clock = settled_colour()
    say(session, clock, "另外送您20元代金券，下次购物可以用。")
    assert session.record().turns[-1].addressed_issues == []
    session, clock = settled_colour()
    say(session, clock, "另外送您20元代金券，耽误您这么久真的很抱歉。")
    assert session.record().turns[-1].addressed_issues == ["late_delivery"]


def test_a_conversation_ended_unsettled_costs_its_deduction_once(new_session):
    """000 / 004 达成共识: how it was said never makes up for what the customer did not get (rubric outcome.unsettled)."""
    from scoring import grade_session

    session, clock = _calm_wig(new_session)
    say(session, clock, "颜色的事是我们仓库发错了，给您补发深棕色的，大概下下周一左右能到。")
    session.end()
    record = session.record()
    assert record.outcome != "resolved"
    card = grade_session(record)
    items = [i for i in card.items if i.rule == "outcome.unsettled"]
    assert [i.points for i in items] == [-10] and "顾客还没有接受任何方案" in items[0].reason, items
    settled = grade_session(record.model_copy(update={"outcome": "resolved"}))
    assert not any(i.rule == "outcome.unsettled" for i in settled.items)
    assert settled.total - card.total == 10
