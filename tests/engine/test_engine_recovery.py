"""Issue 17 §3/§6: a customer who is listened to comes round — also after a bad start — more slowly than for
a model agent, and the scorecard keeps the early faults."""

from __future__ import annotations

from engine_helpers import say


def test_two_listening_replies_hear_a_venting_customer_whose_mood_is_still_high(new_session):
    """001 平息怨气: empathy, then a question (with a promise to look), and the customer has been heard; the
    remedy that follows is no premature solution even though the mood is above `calm`."""
    session, clock = new_session("lost-parcel")
    say(session, clock, "刘先生，您先消消气，这事换谁都急，孩子的奶粉不能断，我完全明白。")
    say(session, clock, "麻烦您发我一下订单号，我马上调物流记录。")
    assert session.mood > session.persona.mood.calm
    assert session.heard
    before = session.mood
    say(session, clock, "我们今天就用顺丰加急给您补发两罐同款3段奶粉，预计后天前送到，发出后把单号发您。")
    assert session.mood < before  # taken as a remedy, not as a rushed answer
    assert session.state != "venting"


def test_one_acknowledgement_alone_does_not_hear_a_venting_customer(new_session):
    session, clock = new_session("lost-parcel")
    say(session, clock, "刘先生，您先消消气，这事换谁都急，孩子的奶粉不能断，我完全明白。")
    assert not session.heard
    result = say(session, clock, "我们今天就用顺丰加急给您补发两罐同款3段奶粉，预计后天前送到。")
    assert session.state == "venting"
    assert any("听" in m.text or "急着" in m.text for m in result.messages), [m.text for m in result.messages]


def test_owning_up_to_an_earlier_fault_is_a_new_apology(new_session):
    """The first apology after the trainee's own forbidden move calms at least like a first apology, even when
    the trainee had apologised before the fault (a second apology would count half). Since round 4 (issue 17)
    owning up is a full apology however few its words, so it may calm more than the same words said first."""
    owning = "对不起，我刚才是在推卸责任，这样很不应该。"
    session, clock = new_session("broken-ceramic")
    say(session, clock, "非常抱歉，给您添麻烦了。")
    say(session, clock, "我们发货的时候都是好的，肯定是快递摔的，跟我们没关系。")
    before = session.mood
    say(session, clock, owning)
    fresh, clock2 = new_session("broken-ceramic")
    start = fresh.mood
    say(fresh, clock2, owning)
    assert before - session.mood >= start - fresh.mood > 0


def test_a_stubborn_customer_who_agreed_takes_a_proper_close_while_still_cross(new_session):
    """Stubborn: once the line is held and handed off (closing), a proper close ends it even above `calm`; a
    recovering trainee wins him back, a model agent more warmly (the scorecard keeps the early fault)."""
    session, clock = new_session("shipping-fee-dispute")
    say(session, clock, "退款扣运费是平台规定，您下单后反悔，运费当然要您承担。")
    say(session, clock, "孙女士，对不起，我刚才的话太冲了。下单不到半天就要扣钱，谁都会不舒服。麻烦您发一下订单号？")
    say(session, clock, "查到了，包裹刚揽收，我现在就联系快递拦截。扣的8块是快递按内部价收的运费，其余291元在退货入库后24小时内退到账；"
                        "再送您一张8元优惠券补上这8块。")
    say(session, clock, "您坚持全额的话，我没有权限直接答应，会报给主管，主管2天内给您答复，您看可以吗？")
    assert session.state == "closing", (session.state, session.mood)
    assert session.mood > session.persona.mood.calm
    say(session, clock, "好的，拦截已提交，退款我一直盯着。再次跟您道歉，谢谢您的包容。")
    assert session.outcome == "resolved"
    card = session.scorecard()
    assert any(i.points < 0 for i in card.items)  # the early excuse stays on the card


def test_asking_what_they_think_of_the_offer_made_is_no_template(new_session):
    session, clock = new_session("no-effect-refund")
    say(session, clock, "非常理解您的心情，花了198块天天用却看不到变化，换谁都着急。")
    say(session, clock, "全额退款超出我的权限，我会报给主管，2天内给您答复，这段时间先送您一张30元优惠券。")
    before = session.mood
    result = say(session, clock, "您的情况我大致了解了，您看这样处理可以吗？")
    assert session.mood <= before
    assert not any("官腔" in m.text or "模板" in m.text for m in result.messages), [m.text for m in result.messages]


def test_a_service_complaint_is_settled_by_an_apology_again_with_thanks(new_session):
    """misled-by-presales: the colleague's wrong advice (resolved_by apology), talked about with a sorry that owns
    nothing, is settled by an apology said again on her behalf with thanks — the 态度 the customer asked for. (Owning
    it by name settles it at once since round 8: test_engine_round8.py.)"""
    session, clock = new_session("misled-by-presales")
    say(session, clock, "郑女士，真的非常抱歉，同事的建议让您白折腾了一趟。")
    issue = next(i.id for i in session.scenario.issues if "apology" in [str(getattr(k, "value", k)) for k in i.resolved_by])
    assert session.issue_resolution[issue] != "resolved"
    say(session, clock, "再次代表我们同事跟您说声对不起，谢谢您这么信任我们。")
    assert session.issue_resolution[issue] == "resolved"


def test_a_service_complaint_apologised_for_a_second_time_by_name_is_settled(new_session):
    session, clock = new_session("misled-by-presales")
    issue = next(i for i in session.scenario.issues if "apology" in [str(getattr(k, "value", k)) for k in i.resolved_by])
    say(session, clock, "郑女士，真的非常抱歉，同事的建议让您白折腾了一趟，我代表她跟您道歉。")
    assert session.issue_resolution[issue.id] == "addressed"
    say(session, clock, "同事推荐错尺寸的事，真的很失礼，请您见谅。")
    assert session.issue_resolution[issue.id] == "resolved"


def test_after_saying_yes_to_an_offer_an_apology_with_a_commitment_closes(new_session):
    """The customer took the offer (granted) in an earlier reply: the reply that settles the last issue with an
    apology and a commitment closes at once, without thanks (001 感谢客户's improvement promise)."""
    session, clock = new_session("misled-by-presales")
    say(session, clock, "我们给您换成1.8米的同款，来回运费我们出，24小时内发出。")
    assert session.outcome is None and session.state != "closing"
    say(session, clock, "同事推荐错尺寸是我们的问题，真的非常抱歉，以后我们会加强售前培训。")
    assert session.outcome == "resolved", (session.state, session.mood, session.issue_resolution)


def test_a_disappointed_customer_won_back_after_a_bad_start_agrees_before_she_is_calm(new_session):
    """Every issue settled by a reply that soothes her: she agrees (closing) though still above `calm`, and a
    proper close ends it — below what the model would score (the excuse stays on the card)."""
    session, clock = new_session("wig-wrong-color")
    say(session, clock, "商品颜色会因为每个人的屏幕分辨率不同而有些许色差，这部分还请见谅。")
    say(session, clock, "对不起，是我刚才没核实就乱解释了，是我们仓库发错了颜色，晚到三天也是我们的责任。")
    say(session, clock, "我们24小时内给您补发深棕色，走顺丰，预计25号前送到；浅棕色的到付寄回，晚到的事再给您一张30元代金券。")
    assert session.state == "closing" and session.mood > session.persona.mood.calm, (session.state, session.mood)
    say(session, clock, "单号发出后我马上给您，之后每天帮您看物流。再次跟您道歉，谢谢您的耐心。")
    assert session.outcome == "resolved"
    assert any(i.points < 0 for i in session.scorecard().items)


def test_every_built_in_and_new_case_example_still_passes(capsys):
    """The cases' own examples (kefu check) hold with the warnings and the closing rules: a rude trainee still
    ends in a complaint, a good one still resolves."""
    from pathlib import Path

    from simulator.cli import main

    root = Path(__file__).parents[2]
    assert main(["check", str(root / "scenarios")]) == 0, capsys.readouterr().out[-2000:]
    assert main(["check", str(root / "tests" / "styles" / "new-cases" / "scenarios")]) == 0, capsys.readouterr().out[-2000:]
