"""Issue 17, round 8 (what the tuning scripts o and p and the trainer's cases of writer p showed), played for real:

- a complaint about the service itself (`resolved_by: [apology]`) is settled by owning the fault for it by name, or by
  an apology in one reply and a commitment to improve in a later one — the 态度 the customer asked for;
- after options were put to the customer as a choice, carrying out one of them is the arrangement carried on;
- options joined by 亦可 / a bare 或 / 不想…也可以 are a choice, not both remedies given at once (no breach for the
  exchange she then picks);
- the wrong goods told (仓库出库时错拣成了KF-W5) are what was sent, not an offer of them.
Four fail on the code of the round's start (4c5cd80); the plain sorry and the carried-out choice guard what must stay."""

from __future__ import annotations

from engine_helpers import played, say

OPEN_MISLED = "郑女士，非常抱歉，是我们售前同事推荐错了尺寸，责任在我们，我代表同事向您道歉。"


def test_owning_the_advice_fault_settles_the_service_complaint(new_session):
    """misled-by-presales: the wrong advice is owned, by name, in the first reply: that issue is settled there."""
    session, clock = new_session("misled-by-presales")
    say(session, clock, OPEN_MISLED)
    assert session._customer.issue_resolution["misleading_advice"] == "resolved"


def test_a_plain_sorry_does_not_settle_the_service_complaint(new_session):
    """A sorry that owns nothing (真的很抱歉让您不开心) is no answer to 售前说错了话，总得有个态度吧."""
    session, clock = new_session("misled-by-presales")
    say(session, clock, "郑女士，真的很抱歉让您不开心了，售前的事我了解一下。")
    assert session._customer.issue_resolution["misleading_advice"] != "resolved"


def test_apology_now_and_a_commitment_later_settle_it(new_session):
    """我代表同事向您道歉 (a plain apology) in one reply, 这件事我也会反馈给售前组长 later: together the 态度."""
    session, clock = new_session("misled-by-presales")
    say(session, clock, "对不起，售前同事说的不对，我代表她向您道歉。麻烦您发一下订单号？")
    assert session._customer.issue_resolution["misleading_advice"] != "resolved"
    say(session, clock, "售前说错尺寸这件事，我也会反馈给售前组长，以后推荐尺寸前一定先核对床的尺寸。")
    assert session._customer.issue_resolution["misleading_advice"] == "resolved"


CHOICE = ("可以帮您全额退款159元，退货运费我们出，寄回后24小时内退款；或者换成墨绿色M号，运费一样我们负担，"
          "另外送您20元优惠券。您想要哪一个？")


def test_options_then_the_chosen_one_carried_out_resolves(new_session):
    """green-color-rant: the choice put, then 退款已经帮您提交了 — the arrangement carried on: she is left settled."""
    session, clock = played(new_session, "green-color-rant",
                            "非常抱歉，您挑了一晚上选的墨绿色，收到却是浅绿色，换谁都会生气，我理解您的心情。是我们仓库拣错了"
                            "货，图片也没拍准颜色，这是我们的问题。方便发一下订单号和吊牌照片吗？",
                            "确认了，您下单的是墨绿色M号，仓库拣错了，真的很对不起。页面图片的颜色我们今天就重新拍、重新标注。",
                            CHOICE)
    say(session, clock, "好的，退款已经帮您提交了。")
    session.end()
    assert session.outcome == "resolved", session._customer.state


def test_exchange_or_refund_joined_by_yike_is_a_choice_not_both(new_session):
    """computer-crash-loss: 可为您免费更换…亦可办理退货退款, then the exchange she picks: no 既全额退款又换货 breach."""
    session, _ = played(new_session, "computer-crash-loss",
                        "吴总您好，非常抱歉，新工作站两天就蓝屏，工程师又晚了两天，是我们的失职，我理解您的心情。订单号方便给我吗？",
                        "7天内出现质量问题，可为您免费更换一台全新KF-W7，48小时内发出；亦可办理退货退款。",
                        "好的，已为您登记换新机，48小时内发出，单号第一时间发给您。")
    assert not session.policy_breach, session._breaches


def test_the_wrong_goods_told_are_no_offer_of_them():
    """仓库出库时错拣成了KF-W5 tells what was sent: its KF-W5 is no reship offer (a misfit against the wish's KF-W7)."""
    from scoring import analyze

    slots = analyze("已核实：您下单的是KF-W7，仓库出库时错拣成了KF-W5。今天下午4点前为您补发一块全新KF-W7。").slots
    offered = [s for s in slots if s.modality == "offered"]
    assert [s.attributes for s in offered] == [["KF-W7"]], slots
