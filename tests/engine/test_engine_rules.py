"""The customer behaviour rules of the seeds, played as real conversations with the real scorer.

Each test names the rule (a-j of the engine brief) and the seed passage it comes from.
Scenarios: tests/engine/fixtures/scenarios (engine-wig: disappointed, two issues; engine-rant:
venting; engine-stubborn: stubborn; engine-hotel: extortion-minded).
"""

from __future__ import annotations

import pytest

from simulator.engine import SessionFinished
from engine_helpers import say, texts

GOOD_OPENING = "非常抱歉让您失望了，我完全理解您的心情，颜色发错和晚到三天确实是我们的问题。"
GOOD_SOLUTION = "颜色是我们仓库发错了，我们24小时内给您补发深棕色的；晚到三天给您一张30元代金券表示歉意，您看可以吗？"
GOOD_CLOSE = "再次向您道歉，感谢您的理解和信任，我们会跟进物流，有进展第一时间通知您，也会改进发货核对。"


# ---- a. excuses, blame, insults, refusals raise the mood sharply (001 四; 000 屏幕分辨率) ---------


def test_a_blaming_the_screen_resolution_angers_the_customer(new_session):
    """000: the agent blamed the colour on the screen resolution — an excuse that enraged the customer."""
    s, clock = new_session("engine-wig")
    before = s.mood
    r = say(s, clock, "这个是您屏幕分辨率的问题，颜色其实没有发错。")
    assert "excuse" in r.analysis.violation_codes
    assert r.mood >= before + 20  # sharply, not a little
    # Issue 8 §1: the case's own excuse has its own answer, not a generic "you blamed me" line.
    assert texts(r)[0] == "我用三台设备都看过了，页面上就是深棕色。你们发错了颜色，还怪我的屏幕？"
    assert s.issue_status["wrong_color"] is False  # an excuse is no answer


@pytest.mark.parametrize(
    "reply, code",
    [
        ("这个是您屏幕分辨率的问题，颜色其实没有发错。", "excuse"),  # 000
        ("您说的不对，我们发的就是深棕色。", "contradict"),  # 002: 避免试图向客户证明他是错误的
        ("你怎么那么多事，别人都不像你那么麻烦。", "insult"),  # 001 四 1
        ("这是绝对不可能的。", "refusal"),  # 001 四 4
    ],
)
def test_a_every_forbidden_move_raises_the_mood_sharply(new_session, reply, code):
    """001 四 and 000: excuses, contradicting, insults, absolute refusals — each one at least +20."""
    s, clock = new_session("engine-wig")
    before = s.mood
    r = say(s, clock, reply)
    assert code in r.analysis.violation_codes
    assert r.mood - before >= 20
    assert s.state == "disappointed" and not r.finished


def test_a_insult_and_absolute_refusal_escalate(new_session):
    """001 四: "你怎么那么多事…" and "这是决不可能的" must never be said. Furious, the stubborn customer first
    only warns (patience.warnings: 2 — issue 17: a bad start can be repaired); the blow after that ends in a
    complaint."""
    s, clock = new_session("engine-stubborn")
    r1 = say(s, clock, "这是绝对不可能的。")
    assert "refusal" in r1.analysis.violation_codes and r1.mood > 85
    r2 = say(s, clock, "你怎么那么多事，别人都不像你那么麻烦。")
    assert "insult" in r2.analysis.violation_codes
    assert not r2.finished and r2.mood >= s.persona.mood.escalate
    assert any("投诉" in t or "机会" in t for t in texts(r2)), texts(r2)  # the warning
    r3 = say(s, clock, "你怎么那么多事，爱买不买。")
    assert not r3.finished
    r4 = say(s, clock, "跟你说了不行就是不行，别再烦我了。")
    assert r4.finished and r4.outcome == "escalated"
    assert r4.messages[-1].kind == "close"
    assert any(w in r4.messages[-1].text for w in ["投诉", "经理", "差评"])


# ---- b. a venting customer must be heard first (001 平息怨气) ---------------------------------------


def test_b_venting_customer_rejects_a_solution_before_being_heard(new_session):
    """001 平息怨气 1: 顾客投诉之初，不要急于做解释 — a rushed solution: "你根本没在听我说"."""
    s, clock = new_session("engine-rant")
    r = say(s, clock, "非常抱歉，给您退款好吗？")
    assert "你根本没在听我说" in texts(r)[0] or "你先听我把话说完" in texts(r)[0]
    assert s.state == "venting"
    assert s.issue_status["wrong_color"] is False


def test_b_an_explanation_before_being_heard_is_rejected_too(new_session):
    """001 平息怨气 1: 不要急于做解释，如"事情不是您想的那样" — explaining is not listening."""
    s, clock = new_session("engine-rant")
    before = s.mood
    # (颜色是仓库那边发错了 was the sentence until round 19: 112 writers' reader reads 仓库那边 as the fault put on the
    # warehouse, an excuse, which a QA lead may well mark; the point here is an explanation with no excuse in it)
    r = say(s, clock, "是这样的，深绿色当时断货了，所以发出来的是浅绿色。")
    assert not r.analysis.violations and not r.analysis.remedies  # not an excuse, not a remedy: an explanation
    assert any(w in texts(r)[0] for w in ["没在听", "先听我把话说完"])
    assert r.mood > before and s.state == "venting"


def test_b_venting_customer_listens_once_heard_then_accepts(new_session):
    """001 平息怨气 2-3: apologise, soothe; only when the customer is calm does a solution work."""
    s, clock = new_session("engine-rant")
    moods = [s.mood]
    for text in [
        "真的很抱歉，发生这种情况的确很令人生气，我明白您的心情。",
        "我理解您的心情，换作是我也会很生气，您先别着急，慢慢说，我在认真听。",
        "能具体说说是什么情况吗？",
    ]:
        r = say(s, clock, text)
        moods.append(r.mood)
    assert moods == sorted(moods, reverse=True)  # every acknowledgement calmed her
    assert s.state == "listening"
    r = say(s, clock, "给您全额退款，您看可以吗？")
    assert s.state == "closing" and not r.finished
    assert not any("没在听" in t for t in texts(r))


def test_b_the_opening_is_a_rant(new_session):
    """000 咆哮体: the venting customer opens loud and long."""
    s, _ = new_session("engine-rant")
    opening = [t for t in s.transcript if t.role == "customer"]
    assert len(opening) >= 2
    assert sum(len(t.text) for t in opening) > 100
    assert sum(t.text.count("！") + t.text.count("!") for t in opening) >= 5


# ---- c. clarifying questions reveal the facts; open first (001 澄清问题) -----------------------------


def test_c_facts_are_revealed_only_when_asked(new_session):
    """001 澄清问题: the customer tells the order number only when the trainee asks for it."""
    s, clock = new_session("engine-wig")
    r = say(s, clock, GOOD_OPENING)
    assert s.revealed_facts == []
    assert not any("KF20261109-3375" in t for t in texts(r))
    r = say(s, clock, "方便提供一下订单号吗？")
    assert "order_number" in s.revealed_facts
    assert "订单号是KF20261109-3375。" in texts(r)


def test_c_open_question_first_tells_more_and_soothes_more(new_session):
    """001 澄清问题: 开放式提问引导顾客讲述事实, then closed questions to pin it down."""
    open_first, c1 = new_session("engine-wig")
    closed_first, c2 = new_session("engine-wig")
    r_open = say(open_first, c1, "能具体说说您收到的假发是什么情况吗？")
    r_closed = say(closed_first, c2, "是不是您拍的颜色？")
    assert r_open.analysis.question_kind == "open" and r_closed.analysis.question_kind == "closed"
    assert len(open_first.revealed_facts) > len(closed_first.revealed_facts)
    assert r_open.mood < r_closed.mood


# ---- d. two problems, one answer: the customer comes back to the other (000) -----------------------


def test_d_unanswered_second_problem_comes_back(new_session, library):
    """000: 提了两个问题，只得到了一个问题的回复 — the customer reminds the trainee of the late parcel."""
    s, clock = new_session("engine-wig")
    say(s, clock, "非常抱歉让您失望了，颜色发错确实是我们的问题，我完全理解您的心情。")
    r = say(s, clock, "我们24小时内给您补发深棕色的，您看可以吗？")
    reminders = library.scenarios["engine-wig"].issues[1].reminder
    assert [m.kind for m in r.messages][-1] == "reminder"
    assert r.messages[-1].text in reminders
    assert s.issue_status == {"wrong_color": True, "late_delivery": False}
    assert s.state != "closing"  # no agreement while a problem is left open
    r = say(s, clock, "晚到三天也是我们的问题，给您一张30元代金券表示歉意，您看可以吗？")
    assert s.issue_status["late_delivery"] is True and s.state == "closing"


# ---- e. a stubborn customer repeats the demand (001 礼貌的重复) --------------------------------------


def test_e_stubborn_customer_repeats_the_demand(new_session):
    """001 三 3: "我说没效就没效，你们把钱退给我就完了。" — he says it again and again."""
    s, clock = new_session("engine-stubborn")
    r1 = say(s, clock, "很抱歉这个产品没有达到您期待的效果，我理解您的心情。")
    r2 = say(s, clock, "您可以试试一天用三次，坚持一段时间效果会出来的。")
    for r in (r1, r2):
        assert "把钱退给我" in texts(r)[0]
    assert texts(r1)[0] != texts(r2)[0]
    assert s.state == "demanding"


def test_e_polite_repetition_of_the_limits_ends_it(new_session):
    """001 礼貌的重复: repeat politely what you can do; the customer drops the demand."""
    s, clock = new_session("engine-stubborn")
    r1 = say(s, clock, "很抱歉，在我的工作权限内，我能做的是给您换一个新的，今天就给您寄出，您看可以吗？")
    assert s.state == "demanding" and "把钱退给我" in texts(r1)[0]
    say(s, clock, "真的很抱歉，退款确实超出了我的权限，在我的权限内能做的是今天给您换货寄出，您看这样行吗？")
    assert s.state == "closing"
    r = say(s, clock, "再次向您道歉，感谢您的信任，我们会跟进您的使用情况。")
    assert r.outcome == "resolved" and not s.policy_breach


def test_e_offering_a_choice_ends_it(new_session):
    """001 协商解决: 在提出解决方案之前会给对方一个选择的余地 — a choice within the limits."""
    s, clock = new_session("engine-stubborn")
    say(s, clock, "很抱歉这个产品没有达到您期待的效果，我理解您的心情。")
    assert s.state == "demanding"
    r = say(s, clock, "真的很抱歉给您添麻烦了，您是希望换一个新的还是要20元代金券呢？")
    assert r.analysis.asks_preference
    assert s.state == "closing" and not s.policy_breach


def test_e_supervisor_handoff_ends_it(new_session):
    """001 礼貌的重复 第二步: 把主管抬出来 — hand over to a supervisor."""
    s, clock = new_session("engine-stubborn")
    say(s, clock, "很抱歉，因为职权所限，我无法满足您的要求，我只能把您的情况反映给主管，2天内给您答复。")
    assert s.state == "closing"


# ---- f. the extortion-minded customer and the policy line (002 确定界限) ------------------------------


def test_f_concession_beyond_policy_raises_the_demand_and_is_a_breach(new_session):
    """002: 故意找麻烦的客户 — every concession beyond the limits makes him ask for more."""
    s, clock = new_session("engine-hotel")
    say(s, clock, "很抱歉房型和合同不符，给您带来了不好的体验，我理解您的心情。")
    r = say(s, clock, "那给您赔偿3000元吧。")
    assert r.policy_breaches and "800" in r.policy_breaches[0]
    assert s.state == "raising" and s.policy_breach
    assert any(w in texts(r)[0] for w in ["不够", "不止", "再加"])
    r = say(s, clock, "好的，给您全额退款。")
    assert s.state == "raising" and r.policy_breaches


def test_f_holding_the_line_politely_resolves_without_breach(new_session):
    """002 确定界限: acknowledge, offer what the policy allows, repeat it politely."""
    s, clock = new_session("engine-hotel")
    say(s, clock, "很抱歉房型和合同不符，给您带来了不好的体验，我理解您的心情。")
    r = say(s, clock, "很抱歉，按照规定我们最多只能补偿您800元，您看可以吗？")
    assert s.state == "demanding" and "全额赔偿12800元" in texts(r)[0]
    say(s, clock, "很抱歉，房型不符是我们的问题，按规定我权限内能给的最大补偿是800元，您看可以吗？")
    assert s.state == "closing"
    r = say(s, clock, "再次向您道歉，感谢您的理解，我们会改进酒店的核实工作。")
    assert r.outcome == "resolved" and s.policy_breach is False


def test_f_a_breach_stays_a_breach_even_when_resolved(new_session):
    """The engine brief: an offer beyond the limits is a policy breach, whatever the outcome."""
    s, clock = new_session("engine-hotel")
    say(s, clock, "很抱歉房型和合同不符，我理解您的心情，给您赔偿1000元。")
    say(s, clock, "很抱歉，这个要求超出了我的权限，我只能把您的情况反映给主管，2天内给您答复。")
    r = say(s, clock, "再次向您道歉，感谢您的理解，我们会跟进。")
    assert r.outcome == "resolved" and s.policy_breach is True
    assert s.record().turns[0].policy_breaches


# ---- g. the 30-second golden rule (003 禁区1) -------------------------------------------------------


def test_g_silence_brings_a_nudge_and_then_the_customer_leaves(new_session):
    """003 禁区1: 黄金30秒 — past the limit the customer nudges; past the patience they leave."""
    s, clock = new_session("engine-wig")
    clock.advance(20)
    assert s.poll() == []
    clock.advance(15)
    nudge = s.poll()
    assert [m.kind for m in nudge] == ["nudge"]
    assert s.poll() == []  # one nudge per elapsed limit, not one per poll
    assert s.waiting_seconds() == 35  # a nudge does not restart the wait
    clock.advance(90)  # 125 s > patience 120 s
    left = s.poll()
    assert [m.kind for m in left][-1] == "leave"
    assert s.finished and s.outcome == "abandoned"


def test_g_a_slow_reply_raises_the_mood(new_session):
    """003 禁区1: the same reply, once in 15 s and once in 45 s."""
    fast, c1 = new_session("engine-wig")
    slow, c2 = new_session("engine-wig")
    r_fast = say(fast, c1, GOOD_OPENING, seconds=15)
    r_slow = say(slow, c2, GOOD_OPENING, seconds=45)
    assert r_slow.mood - r_fast.mood == 8  # the persona's slow_reply effect
    assert slow.record().turns[0].seconds == 45
    assert slow.record().turns[0].customer_message.count("\n") >= 1  # the nudge is part of what was said


def test_g_the_customer_who_left_does_not_answer(new_session):
    """A reply after the patience is gone finds the customer gone (outcome abandoned); it is still graded."""
    s, clock = new_session("engine-wig")
    clock.advance(200)  # no poll in between: reply() notices the customer has left
    r = s.reply(GOOD_OPENING)
    assert r.finished and r.outcome == "abandoned"
    assert r.messages[-1].kind == "leave"
    assert len(s.record().turns) == 1
    with pytest.raises(SessionFinished):
        s.reply("您好，还在吗？")


# ---- h. canned replies (003 禁区6) -------------------------------------------------------------


def test_h_the_same_reply_again_reads_as_canned(new_session):
    """003 禁区6: 同一个客户…客服采用的都是快捷回复 — the customer notices and gets angrier."""
    s, clock = new_session("engine-wig")
    text = "亲，非常抱歉给您带来不便，我们会尽快为您处理的。"
    r1 = say(s, clock, text)
    r2 = say(s, clock, text)
    assert r2.analysis.repeats_turn == 0
    assert r2.mood > r1.mood
    assert any(w in texts(r2)[0] for w in ["复制粘贴", "机器人", "说两遍", "刚才就说过"])


# ---- i. the proper close (001 感谢客户) ---------------------------------------------------------------


def test_i_agreement_is_not_the_end_the_customer_waits_for_the_close(new_session):
    """001 感谢客户: 再次致歉, 感谢, 表示会改进 — only then is the case resolved."""
    s, clock = new_session("engine-wig")
    say(s, clock, GOOD_OPENING)
    r = say(s, clock, GOOD_SOLUTION)
    assert s.state == "closing" and not r.finished
    r = say(s, clock, "好的。请问还有其他问题吗？")
    assert s.state == "closing" and not r.finished  # a question is not a close
    r = say(s, clock, GOOD_CLOSE)
    assert r.finished and r.outcome == "resolved"
    assert r.messages[-1].kind == "close"


# ---- j. apologies wear out (001: apology without action) --------------------------------------------


def test_j_apologising_again_and_again_stops_helping(new_session):
    """Apologising is step 2, not the whole job: the third bare apology makes it worse."""
    s, clock = new_session("engine-wig")
    deltas = []
    for text in ["非常抱歉给您添麻烦了。", "真的很对不起，是我们的错。", "实在抱歉，再次向您道歉。"]:
        before = s.mood
        r = say(s, clock, text)
        deltas.append(r.mood - before)
    assert deltas[0] < deltas[1] <= 0 < deltas[2]  # helps, helps less, then hurts
    assert any(w in texts(r)[0] for w in ["光道歉", "别一直道歉"])


# ---- outcomes ----------------------------------------------------------------------------------


def test_unfinished_when_the_trainee_stops(new_session):
    s, clock = new_session("engine-wig")
    say(s, clock, GOOD_OPENING)
    s.end()
    assert s.finished and s.outcome == "unfinished"
    assert s.record().outcome == "unfinished"


def test_out_of_turns_while_angry_escalates(new_session):
    """Patience has a number of replies too: still upset after patience.turns replies -> escalated."""
    s, clock = new_session("engine-stubborn")
    r = None
    for n in range(12):
        r = say(s, clock, f"您好，您的问题我们已经收到，第{n}次记录。")
        if r.finished:
            break
    assert r.finished and r.outcome == "escalated"


def test_g_next_timer_event_names_when_poll_will_act(new_session):
    """003 禁区1: the session says when its next nudge or leaving is due (scripted replay skips to it)."""
    import math

    s, clock = new_session("engine-wig")  # limit 30 s, patience 120 s
    assert s.next_timer_event() == 30
    clock.advance(s.next_timer_event() - 1)
    assert s.poll() == []  # nothing before it
    clock.advance(2)
    assert [m.kind for m in s.poll()] == ["nudge"]
    assert s.next_timer_event() == 60  # the next nudge, one limit later
    clock.advance(200)
    s.poll()
    assert s.finished and s.next_timer_event() == math.inf
