"""Issue 17, round 21 (what the spent style hold-out au and the tuning set av showed), played for real:

- the money offered for the late engineer, asked back as how she wants it paid (300元您希望退回原付款账户，还是换成等额优惠券？),
  is that compensation's payout, not the order's price back: it settles no crashing machine;
- a customer takes or waits only for what was offered: a line that names a new machine or the supervisor's answer
  (新机什么时候能到？) is not said when neither was offered;
- what the agent cannot approve (全额赔偿我这里批不了) is a stated limit, not an offer: no breach, no "既然能给这么多";
- a check of several facts at once (15号入住5晚，合同是高级海景房…，对吗？) and one ending 是这样吗 gets the facts;
- 您坚持的话报主管，2天内答复 is a hand-off with who and when;
- 订单号要是手边有，也顺手发我一下 asks for the order number, in either script (邊 in 手邊 is no 哪).
Each fix's test fails on the code of the round's start (734b7c5); its control holds on both."""

from __future__ import annotations

from pathlib import Path

import opencc

from engine_helpers import PARCEL_OPENING, played, say, texts
from simulator.content.library import load_library
from simulator.engine import ManualClock, Session
from simulator.engine.replay import parse_replies

CRASH_OPENING = ("吴总您好，新机两天就崩溃、工程师又晚了两天才上门，耽误了公司的工作，非常抱歉。",
                 "麻烦您提供一下订单号，我把报修和上门记录调出来。",
                 "工程师没有按承诺24小时上门，这是我们的失职，我这边给您补偿300元，并把保修延长一年。")


def test_the_compensation_asked_back_as_a_payout_settles_no_crash(new_session):
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING)
    result = say(session, clock, "300元您希望退回原付款账户，还是换成等额优惠券？")
    assert session._customer.issue_resolution["crash"] != "resolved"
    assert "新机" not in " ".join(texts(result))


def test_the_whole_price_back_settles_the_crash(new_session):
    session, clock = played(new_session, "computer-crash-loss", *CRASH_OPENING)
    say(session, clock, "机器7天内出了质量问题，可以给您退货，8999元全额退回原付款账户，上门取件，运费我们出。")
    assert session._customer.issue_resolution["crash"] == "resolved"


def test_a_line_that_takes_a_remedy_not_offered_is_not_said():
    from simulator.engine.answer import names_unoffered

    assert names_unoffered("好，这个态度我接受，新机什么时候能到？", {"compensation"})
    assert not names_unoffered("好，这个态度我接受，新机什么时候能到？", {"compensation", "exchange"})
    assert names_unoffered("行，那我等新机发货和你们主管的答复。", {"exchange"})
    assert not names_unoffered("这还差不多。你们肯认账，这件事就好谈。", set())
    assert names_unoffered("好吧……你们肯认错、肯退，我气也消了一点。", {"exchange", "voucher"})


HOTEL_OPENING = ("您好，这次行程跟合同不一致，我先代表公司向您道歉。",
                 "能具体讲讲这五晚住的什么房间、去海滩是怎么过去的吗？订单号也麻烦发我，我调一下合同。")


def test_a_check_of_several_facts_at_once_gets_them(new_session):
    session, clock = played(new_session, "hotel-sea-view", HOTEL_OPENING[0])
    result = say(session, clock, "我核对一下：15号入住5晚，合同是高级海景房，实际是园景房，离海滩2公里多、每天打车，对吗？")
    said = " ".join(texts(result))
    assert "我哪知道" not in said and "不清楚" not in said, said
    assert {"trip_dates", "distance"} <= set(session._customer.revealed)


def test_what_the_agent_cannot_approve_is_a_limit_not_an_offer(new_session):
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    result = say(session, clock, "全额赔偿我这里批不了，您要是坚持，我报给主管，两天之内回复您。")
    assert not session.policy_breach, session.record().turns[-1].policy_breaches
    assert "还有空间" not in " ".join(texts(result))


def test_granting_the_whole_sum_is_still_a_breach(new_session):
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    say(session, clock, "全额赔偿12800元我这边直接给您批了，今天退回原支付账户。")
    assert session.policy_breach


def test_a_handoff_on_her_insisting_names_who_and_when():
    from scoring import analyze

    handoff = analyze("生意损失不在赔偿范围，我没法直接答应；您坚持的话报主管，2天内答复。").handoff
    assert handoff is not None and handoff.time_frame


def test_a_check_ending_shi_zheyang_ma_gets_the_facts(new_session):
    session, clock = played(new_session, "computer-crash-loss", CRASH_OPENING[0])
    result = say(session, clock, "我核对一下：12号装机，14号蓝屏报修，16号下午上门换了内存条，现在能用，是这样吗？")
    assert "不该问我" not in " ".join(texts(result))
    assert session._customer.revealed


def test_the_order_number_asked_a_clause_later_in_either_script(new_session):
    reply = "麻烦您拍几张照片给我：碎的杯子、壶盖，再拍一张外箱凹进去的那个角。订单号要是手边有，也顺手发我一下，我对着单子查。"
    for text in (reply, opencc.OpenCC("s2t").convert(reply)):
        session, clock = new_session("broken-ceramic")
        say(session, clock, text)
        assert {"order_number", "photo"} <= set(session._customer.revealed), text


def _offered_kinds(text: str) -> set[str]:
    from scoring import analyze

    return {s.kind.value for s in analyze(text).slots if s.modality == "offered"}


def test_words_that_name_no_offer_are_no_remedy():
    """From the blind trainer's three cases (ax), read once spent: a request to send the order number again, the
    warehouse's check owned, the electrician's visit as a time, a part sent for the technician to fit."""
    assert "reship" not in _offered_kinds("麻烦再发一下订单号，我帮您查。")
    assert "reship" not in _offered_kinds("扶手的划痕也是我们出库检查没做好，非常抱歉。")
    assert "repair" not in _offered_kinds("灯罩预计周四送到，在周五电工上门之前。")
    assert "reship" not in _offered_kinds("免费给您寄一块新的扶手皮套，由师傅上门更换。")
    assert "refund" not in _offered_kinds("我给您补偿200元，里面包含您垫付的150元搬运费，24小时内退回您的支付账户。")


def test_the_same_words_that_do_offer_still_do():
    assert "reship" in _offered_kinds("我再给您寄一个新的灯罩，今天下午发出。")
    assert "repair" in _offered_kinds("明天安排师傅上门维修。")
    assert "refund" in _offered_kinds("货款150元24小时内退回您的支付账户。")


AX = Path(__file__).parents[1] / "styles" / "holdout-ax"


def test_following_up_money_too_little_does_not_make_it_enough():
    """authoring.md least_yuan: money short of her loss never settles the issue, whoever the customer is; 补偿到账…我都会
    跟进 names no more money (the blind trainer's massage chair, ax: 50元 for a 150元 carry, then an apology with that
    promise and the repair)."""
    library = load_library([AX / "scenarios"], include_env=False)
    scenario = library.scenarios["massage-chair-not-upstairs"]
    clock = ManualClock()
    session = Session(scenario, library.personas[scenario.persona], clock=clock, seed=0)
    script = (AX / "massage-chair-not-upstairs" / "wrong_substance_ax.txt").read_text(encoding="utf-8")
    for reply in parse_replies(script.splitlines()):
        say(session, clock, reply.text, reply.seconds)
    assert "too_little" in session._customer.misfit_pending
    assert session.outcome != "resolved"


def test_money_that_covers_the_loss_settles_it(new_session):
    session, clock = played(new_session, "hotel-sea-view", *HOTEL_OPENING)
    say(session, clock, "房型和距离两件事我们都认，给您补偿200元，24小时内退回原支付账户。")
    assert "too_little" in session._customer.misfit_pending
    say(session, clock, "是我算少了，五晚房差800元加打车费200元，一共补偿您1000元，24小时内退回原支付账户。")
    assert "too_little" not in session._customer.misfit_pending


def test_goods_in_place_of_what_is_out_of_stock_are_the_wrong_thing(new_session):
    """The spent style hold-out aw (read after its figure): 青花 out of stock, 粉彩 sent instead is not what she bought."""
    session, clock = played(new_session, "broken-ceramic", "何女士，真是对不住，给老爷子的寿礼拆开就碎了，是我们包装没做好。")
    say(session, clock, "亲，真不巧，手绘青花这款的杯子和壶盖仓库暂时没现货了😣 我给您补两只粉彩牡丹的杯子和一个粉彩壶盖，今天顺丰发出，"
                        "预计周六前到，运费我们出，碎片不用寄回。")
    assert any(m.why == "wrong_item" for m in session._customer.reading.misfits)


def test_the_same_goods_in_stock_are_no_stand_in(new_session):
    session, clock = played(new_session, "broken-ceramic", "何女士，真是对不住，给老爷子的寿礼拆开就碎了，是我们包装没做好。")
    say(session, clock, "我给您补发两只青花杯和一个青花壶盖，今天顺丰发出，预计周六前到。")
    assert not any(m.why == "wrong_item" for m in session._customer.reading.misfits)


def test_an_arrival_said_as_around_a_day_is_weighed_against_her_need(new_session):
    """aw's lost-parcel: 预计26号周四前后到 for formula that runs out on the 24th is too late (前后到 is an arrival)."""
    session, clock = played(new_session, "lost-parcel", *PARCEL_OPENING)
    say(session, clock, "给您补发两罐一样的3段，走普通快递，运费我们出，今天周日仓库发件慢，预计26号周四前后到。")
    assert any(m.why == "too_late" for m in session._customer.reading.misfits)
