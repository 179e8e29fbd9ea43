"""Issue 17, round 15 (what the spent style hold-out ad showed: 150 of 154 when it was measured), played for real:

- a wrong thing offered in a reply that also commits a forbidden move is still the wrong thing: the customer answers the
  blow first, but the case does not close on a model she never wanted (issue 17 §3: wrong item → corrects, not taken);
- a hairstyle is an attribute family (the wig case: a 深棕色短直发 reship for the 深棕色中长卷发 she bought is wrong);
- 幾時 (read as 何时) is an open question like 几时, so both scripts play alike (issue 17 §5);
- 这不是色差 answers the misleading-picture complaint: it tells her the picture was right and the goods wrong;
- 您不放心也很正常 says her doubt is natural (empathy), not that the fault is normal (no excuse).
The tests of each fix fail on the code of the round's start (53d8a89); their controls (the right model, the same
hairstyle, a close that does not happen, the offer taken in simplified words) hold on both."""

from __future__ import annotations

from engine_helpers import played, say, texts

from scoring import analyze

CRASH_OPENING = ("吴总您好，刚买的电脑就出问题，耽误了您公司的事情，真的很抱歉。麻烦您把订单号发我一下。",
                 "记录我看到了：14号蓝屏，工程师拖到16号才上门，这是我们的失职，再跟您道个歉。")
WRONG_MODEL_WITH_EXCUSE = ("电脑偶尔出点问题很正常的啦，我们给您换一台新机。不过KF-W7仓库没现货，"
                           "我帮您换成同系列的KF-W5，48小时内给您发出。")


def test_a_wrong_model_beside_an_excuse_is_still_pending(new_session):
    """computer-crash-loss wants a KF-W7; the KF-W5 comes with an excuse: the misfit stays until a fitting offer."""
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING)
    say(session, clock, WRONG_MODEL_WITH_EXCUSE)
    assert session._customer.reading.violations
    assert session._customer.misfit_pending


def test_the_case_does_not_close_on_the_wrong_model(new_session):
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING, WRONG_MODEL_WITH_EXCUSE)
    say(session, clock, "间接损失不在我们的赔偿范围，我没有权限答应3万元，我把情况反映给主管，2天内给您答复。")
    say(session, clock, "KF-W5的新机发出后我把单号发给您。再次抱歉，谢谢您的理解。")
    assert session.outcome != "resolved"


def test_the_right_model_puts_it_right(new_session):
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING, WRONG_MODEL_WITH_EXCUSE)
    say(session, clock, "刚才说错了，不该说正常。KF-W7我们从别的仓调货，给您换一台KF-W7新机，48小时内发出。")
    assert not session._customer.misfit_pending


WIG_OPENING = ("真的很抱歉，颜色发错又晚到三天，耽误您的事了。麻烦发一下订单号？",
               "查到了，您买的是深棕色中长卷发，标签是浅棕色，是我们仓库发错了。")


def test_another_hairstyle_is_the_wrong_wig(new_session):
    session, clock = played(new_session, "wig-wrong-color", *WIG_OPENING)
    result = say(session, clock, "中长卷发暂时没货，我们24小时内为您补发一顶深棕色短直发，颜色跟您订的一样，预计25号前到。")
    assert any("中长卷发" in line and "短直发" in line for line in texts(result)), texts(result)


def test_the_same_hairstyle_fits(new_session):
    session, clock = played(new_session, "wig-wrong-color", *WIG_OPENING)
    say(session, clock, "我们24小时内用顺丰为您补发一顶深棕色中长卷发，预计25号前到，赶得上周六。")
    assert not session._customer.reading.misfits


def test_a_verb_fa_is_no_hairstyle():
    from scoring.slots import attribute_family
    assert attribute_family("中长卷发") == attribute_family("短直发") == "hairstyle"
    for text in ("厂家直发", "我一直发消息给您", "延长发货时间"):
        assert attribute_family(text) is None, text


def test_when_in_either_script_is_an_open_question():
    for reply in ("麻烦发一下订单号，再讲下您几时要戴？", "麻煩發一下訂單號，再講下您幾時要戴？"):
        assert analyze(reply).question_kind == "open", reply


def test_not_a_colour_difference_answers_the_picture(new_session):
    """green-color-rant: 这不是色差，是我们仓库拣错了 with an apology tells her the picture did not lie."""
    session, clock = played(new_session, "green-color-rant", "非常抱歉，您挑了一晚上选的墨绿色，收到的却浅了这么多，生气完全可以理解。")
    say(session, clock, "已核实，您下单的是墨绿色M码，吊牌是浅绿色。这不是色差，是我们仓库拣错了货，再次向您致歉。")
    assert session._customer.issue_status["misleading_picture"]


def test_her_doubt_called_natural_is_no_excuse():
    assert "excuse" not in analyze("新机两天就坏，您不放心再用也很正常，我们给您换一台新机。").violation_codes
    assert "excuse" in analyze("新机偶尔坏一下也很正常，您重启就好。").violation_codes


# ---- from the round's fresh tuning set af (134 of 154 on arrival) ----------------------------------------------------

def test_a_reship_named_by_brand_and_stage_is_read():
    """给您发同牌子的2段 sends goods (a reship with its stage), as 给您发两罐 does."""
    for reply in ("3段断货了，我给您发同牌子的2段", "我给您发两罐，今天发出"):
        assert [r for r in analyze(reply).remedies if r.kind.value == "reship"], reply


def test_a_volume_and_a_finish_are_attributes():
    from scoring.slots import attribute_family
    assert attribute_family("500ml") == attribute_family("400毫升") == "measure"
    assert attribute_family("磨砂") == attribute_family("透明") == "pattern"
    assert attribute_family("不透明") is None


def test_the_wrong_cup_does_not_fit(new_session):
    """late-delivery-business-loss wants 500ml frosted cups: 400ml clear ones are the wrong thing."""
    session, clock = played(new_session, "late-delivery-business-loss", "陈老板，次日达没兑现，还让您多付了加急费，非常抱歉。")
    say(session, clock, "今天从本地仓同城补发2000只杯子，下午4点前送到。补发的是400ml透明杯，单价一样，不收差价。")
    assert [m for m in session._customer.reading.misfits if m.why == "wrong_item"]


def test_the_total_said_after_the_breakdown_is_the_offer():
    a = analyze("补偿我这边是这样算的：每晚差价约160元，5晚是800元；交通费补您200元，合计1000元。")
    assert [s.amount_yuan for s in a.slots if s.kind.value == "compensation"] == [1000.0]
    b = analyze("高铁和酒店一共620元，这部分我权限内先补偿您300元，今天到账。")
    assert [s.amount_yuan for s in b.slots if s.kind.value == "compensation"] == [300.0]


def test_a_remedy_or_a_remedy_is_a_choice():
    a = analyze("7天内出现质量问题可以免费换新机或退货退款：换新的话48小时内发出；退货的话8999元全额退回。")
    assert a.offers_alternatives


def test_the_options_given_as_a_choice_are_no_double_remedy(new_session):
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING)
    say(session, clock, "7天内出现质量问题可以免费换新机或退货退款，您这台完全符合：换新的话48小时内发出；退货的话8999元全额退回。")
    assert not session.policy_breach


def test_a_handoff_to_the_supervisor_in_other_words():
    for reply in ("如果您坚持，我会把您的要求完整呈报主管，2天内给您答复。", "如果您堅持，我會把您的要求完整呈報主管，2天內給您答覆。"):
        assert analyze(reply).handoff is not None, reply


def test_a_cost_put_on_her_stays_until_it_is_taken_off(new_session):
    """misled-by-presales: she will not pay the postage; an exchange that leaves it unsaid does not put it right."""
    session, clock = played(new_session, "misled-by-presales", "郑女士，是我们同事说错了尺寸，真的很抱歉。")
    say(session, clock, "我给您换成1.8米的燕麦色同款，寄回运费您先垫付一下，差价30元您补一下就行。")
    assert session._customer.misfit_pending
    say(session, clock, "我们收到退回的这套后24小时内把1.8米的发出，单号发您。")
    assert session._customer.misfit_pending
    say(session, clock, "来回运费我们出，差价也不用您补，24小时内把1.8米的燕麦色同款发出。")
    assert not session._customer.misfit_pending


def test_a_trip_she_cannot_make_in_other_words():
    """shipping-fee-dispute cannot_provide 去网点: 麻烦您自己跑一趟网点 asks the same; 我们去拦截 does not."""
    from simulator.engine import fit
    assert fit._asks_her_to("拦截这块要麻烦您自己跑一趟网点,报运单号", "去网点")
    assert not fit._asks_her_to("麻烦您同意我们去网点拦截", "去网点")


def test_a_cost_lifted_is_said_of_that_cost():
    """运费我们出 / 差价不用您补 take a cost off her; a cost put on her beside an unrelated 不用 does not."""
    from simulator.engine import fit
    assert fit.lifts_cost(analyze("来回运费都由我们承担，24小时内发出。"))
    assert fit.lifts_cost(analyze("差价30元，不用您补。"))
    assert not fit.lifts_cost(analyze("寄回运费您先垫付一下。截图不用发了，我这边看到了。"))


def test_the_close_does_not_push_a_remedy_she_refuses(new_session):
    """no-effect-refund refuses an exchange: 换货单我先帮您开上 is no close, however polite."""
    session, clock = played(new_session, "no-effect-refund", "赵先生，用了十来天没效果，让您失望了，非常抱歉。",
                            "全额退款超出我的权限，如您坚持，我报给主管，2天内给您答复。")
    say(session, clock, "换货单我先帮您开上，再次致歉，感谢您的信任。")
    assert session.outcome != "resolved"


def test_an_offer_she_took_settles_what_it_was_made_for(new_session):
    """hotel-sea-view: the 1000元 named both the room and the taxis; countered, handed off, then taken by choice: the
    close that carries it out settles both problems."""
    session, clock = played(
        new_session, "hotel-sea-view",
        "周先生，合同写的海景房没兑现、离海滩也远，这是我们的责任，真的很抱歉，换作是我也会很失望。",
        "补偿这样算：海景房跟园景房每晚差价约160元，5晚800元；离海滩远、每天打车，交通费补您200元，合计1000元。",
        "全额赔偿12800元超出了我的权限，如果您坚持，我会呈报主管，2天内给您答复。",
        "1000元您希望退回原付款账户，还是换成等值的出行优惠券？")
    say(session, clock, "好的，今天就帮您提交，24小时内退回原账户。再次为这趟行程的不愉快向您道歉，谢谢您的耐心。")
    assert all(session._customer.issue_status.values())
