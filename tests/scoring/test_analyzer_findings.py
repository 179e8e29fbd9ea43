"""Misreadings found by the scenario and engine authors, each fixed by a general rule.

Every test names the seed rule (docs/scoring.md) and the general rule it checks: negation scope,
clause-level attachment of amounts and time frames, describing vs offering. Seeds: 000 wig case,
001 complaint handling, 002 extortion-minded customers, 003 chat taboos, 004 after-sales handling.
"""

from __future__ import annotations

import pytest

from scoring import analyze
from scoring.lexicon import compile_pattern, load_lexicon
from scoring.models import RemedyKind

R = RemedyKind


def remedies(text: str) -> dict[RemedyKind, object]:
    return {r.kind: r for r in analyze(text).remedies}


# ---- describing the customer's demand is not offering it (001 四.4 礼貌的重复) ---------------------


def test_reporting_the_customers_refund_request_offers_no_refund():
    # 001 四.4: the textbook hand-off; the refund is the customer's request being reported.
    a = analyze("我把您的退款要求反映给主管，2天内给您答复。")
    got = {r.kind: r for r in a.remedies}
    assert set(got) == {R.escalate, R.follow_up}
    assert got[R.follow_up].time_frame == "2天内" and got[R.follow_up].hours == 48
    assert a.solution == 2 and a.violations == []


# ---- negation scope: stating one's limits negates the remedy (001 四.4) ---------------------------


@pytest.mark.parametrize("text", [
    "按规定我这边没有权限直接给您退款",
    "按規定我這邊沒有權限直接給您退款",  # same in traditional script (§1.4)
    "退款我确实做不了主",
    "退款确实超出了我的权限",
    "您提的全额赔偿超出了我的权限",
])
def test_a_remedy_beyond_the_agents_authority_is_not_offered(text):
    a = analyze(text)
    assert a.remedies == [] and a.solution == 0


def test_the_limit_does_not_negate_the_alternative_offered():
    # 001 四.4: a limit plus an alternative: only the alternative is offered.
    assert set(remedies("我这边没有权限退款，不过可以帮您申请换货")) == {R.exchange}
    a = analyze("很抱歉，全额赔偿超出了我的权限，我可以先把您的情况反映给上级主管，2天内给您答复。")
    assert {r.kind for r in a.remedies} == {R.escalate, R.follow_up}
    assert not any(r.full for r in a.remedies)  # 全额 belongs to the refused 赔偿, not the hand-off


# ---- offering a choice (001 四.3 协商) --------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "您看是给您全额退款，还是换成墨绿色呢？",  # the choice spans two clauses
    "您更想要哪一种呢？",
    "您看是给您补发，还是退款，您更倾向哪个？",
])
def test_a_choice_or_which_one_asks_preference(text):
    a = analyze(text)
    assert a.asks_preference and a.question == 2


def test_both_options_of_a_choice_are_offered():
    # §5 Offering a choice: the options are offered; 换成墨绿色 is an exchange.
    got = remedies("您看是给您全额退款，还是换成墨绿色呢？")
    assert set(got) == {R.refund, R.exchange}
    assert got[R.refund].full


def test_an_amount_belongs_to_the_money_remedy_not_the_exchange():
    # 004 四 f: 换货 has no price; 20元 is the voucher's.
    a = analyze("您是希望换一个新的还是要20元代金券呢？")
    got = {r.kind: r for r in a.remedies}
    assert set(got) == {R.exchange, R.voucher}
    assert got[R.exchange].amount_yuan is None and got[R.voucher].amount_yuan == 20
    assert a.asks_preference


def test_an_amount_goes_to_the_nearest_money_remedy():
    # 002 setting limits: 300元 is the compensation, the new machine has no amount.
    got = remedies("我的权限最多就是刚才说的300元补偿加换新机")
    assert got[R.compensation].amount_yuan == 300
    assert got[R.exchange].amount_yuan is None
    got = remedies("补偿您20元，再给您换一件新的")
    assert got[R.compensation].amount_yuan == 20 and got[R.exchange].amount_yuan is None


# ---- time frames attach only where they govern the remedy (004 五 24小时内) ------------------------


def test_the_problems_duration_is_not_the_remedys_time_frame():
    # 000: 晚到三天 is the lateness being apologised for, not when the voucher comes.
    got = remedies("另外晚到三天给您添了麻烦，再送您一张30元代金券")
    assert got[R.voucher].amount_yuan == 30 and got[R.voucher].time_frame is None


@pytest.mark.parametrize("text", [
    "24小时内为您补发",  # same clause
    "给您补发，24小时内发出",  # a later clause of the same sentence
    "明天上午，我们给您补发",  # a bare leading clause
    "晚了两天，我们今天就给您补发",  # the remedy's own 今天, not the lateness
])
def test_time_frames_that_govern_the_remedy_attach(text):
    got = remedies(text)
    assert got[R.reship].time_frame is not None
    assert "两天" not in got[R.reship].time_frame


# ---- describing the problem is not offering a remedy (§5) ------------------------------------------


def test_describing_a_late_engineer_is_not_a_repair_offer():
    # 002 crashed computer: 工程师又晚了两天才上门 says what happened.
    a = analyze("非常抱歉，新电脑才用两天就崩溃，工程师又晚了两天才上门")
    assert a.remedies == [] and a.solution == 0 and a.apology == 2


def test_describing_the_colleagues_wrong_advice_owns_the_fault():
    # 003 禁区9 / §2 owning the fault: 是我们…推荐错了 is an admission, not a recommendation.
    a = analyze("是我们售前同事给您推荐错了尺寸")
    assert a.remedies == [] and a.solution == 0
    assert a.apology >= 1


def test_improvement_commitment_is_not_a_reshipment():
    # §5: commitments to improve in future are not a remedy for this customer (001 (五)3).
    a = analyze("我们会改进发货前的核对")
    assert a.remedies == [] and a.commitment
    # ... but a remedy in its own clause next to an improvement still counts.
    assert R.reship in remedies("我们会改进发货流程，今天给您补发")


# ---- deductions are not amounts given back (004 五 运费) ---------------------------------------------


def test_refund_after_a_deduction_keeps_the_remaining_amount():
    got = remedies("扣除8元运费，其余291元在包裹退回后24小时内退回您的账户。")
    assert got[R.refund].amount_yuan == 291 and got[R.refund].hours == 24


@pytest.mark.parametrize("text", ["需要扣除我们付给快递的8元运费", "退款会扣除我们发货的内部价运费8元。"])
def test_a_deduction_is_not_a_refund_amount_nor_a_reshipment(text):
    got = remedies(text)
    assert R.reship not in got  # 发货的运费: 发货 names the shipment that was paid for
    assert all(r.amount_yuan != 8 for r in got.values())


def test_only_deducting_the_fee_is_still_a_concrete_refund():
    # §5 level 2 example: 只扣内部价运费8元，其余全部退给您.
    a = analyze("运费的部分我们只扣单程8元，您看可以接受吗？")
    assert a.solution == 2 and R.refund in a.remedy_kinds()


# ---- violations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("电脑崩溃也可能是你们自己操作不当造成的", "contradict"),  # 001 四, 002: blaming the customer
    ("工程师最近太忙了，晚两天也没办法", "excuse"),  # a delay explained away
    ("快递摔的您去找快递理赔吧", "excuse"),  # sends the customer to a third party
])
def test_blame_and_excuses(text, code):
    assert code in analyze(text).violation_codes


def test_sending_the_customer_to_the_courier_is_not_a_compensation_offer():
    a = analyze("快递摔的您去找快递理赔吧")
    assert a.remedies == [] and a.solution == 0


def test_taking_the_customers_side_is_not_contradicting():
    # 002: 让您买错了 = we made you buy the wrong one; empathy 2 (换作是我也会…).
    a = analyze("您下单前问得那么清楚，还是让您买错了，换作是我也会很失望")
    assert a.violations == [] and a.empathy == 2


def test_bare_wait_is_a_stall():
    # 001 (三)(一)2 / 003 禁区1: 请稍等 alone.
    assert analyze("您稍等").violation_codes == ["stall"]


# ---- empathy: perspective-taking with any feeling word (§3) ---------------------------------------


@pytest.mark.parametrize("text, level", [
    ("嗯，我明白，换谁都坐不住", 2),
    ("换作是我也会特别难过", 2),
    ("换作是我也会很伤心", 2),
    ("换作是我也会郁闷", 2),
    ("换作是我也会崩溃", 2),
    ("换作是我也会火大", 2),
])
def test_perspective_taking_with_a_feeling_is_strong_empathy(text, level):
    assert analyze(text).empathy >= level


# ---- cold start: each lexicon pattern is parsed and compiled once --------------------------------


def test_lexicon_patterns_are_compiled_once_and_reused():
    lex = load_lexicon()
    cue = lex["apology"]
    regex = cue._compile(0)  # built-ins from the lexicon cache compile when first needed
    entry = cue._compiled[0][0]
    again, _gates = compile_pattern(entry.patterns[0])
    assert again is regex  # one compiled regex per pattern, whoever asks
    reloaded = load_lexicon()["apology"]._compile(0)
    assert reloaded is regex  # a reload compiles nothing again


def test_compiled_patterns_match_like_re_compile():
    import re

    texts = ["非常抱歉，是我们仓库发错了", "您看是退还是换呢?", "扣除8元运费，其余291元24小时内退回您的账户"]
    lex = load_lexicon()
    for cue in lex.categories.values():
        for i in range(len(cue._compiled)):
            regex = cue._compile(i)
            ref = re.compile(regex.pattern)
            assert (regex.flags, regex.groups) == (ref.flags, ref.groups)
            for t in texts:
                assert [m.span() for m in regex.finditer(t)] == [m.span() for m in ref.finditer(t)]


def test_an_absurdly_long_amount_is_not_an_infinite_one():
    # Robustness (issue #3 §5): 400 nines overflow a float; the remedy keeps no amount rather than inf.
    analysis = analyze("给您补偿" + "9" * 400 + "元")
    assert all(r.amount_yuan is None for r in analysis.remedies)


# ---- "not X, what else" asserts X (002: an extortion-minded customer is never called one) ----------


@pytest.mark.parametrize("text, code", [
    ("您住都住完了还要钱，这不是敲诈是什么？", "insult"),  # the hotel case's own example (scenarios/hotel-sea-view.yaml)
    ("這不是碰瓷是什麼？", "insult"),
])
def test_a_negation_answered_by_what_else_is_no_negation(text, code):
    a = analyze(text)
    assert code in a.violation_codes and a.question == 0


def test_a_plain_negation_still_takes_the_cue_back():
    assert "insult" not in analyze("我们不是说您敲诈，是想核实一下入住的房型").violation_codes


@pytest.mark.parametrize("text", ["我这边冇得权限直接退", "我这边没得权限直接给您退款"])
def test_a_limit_in_southwestern_and_hubei_speech_offers_nothing(text):
    # 001 四.4 礼貌的重复: 没得权限 (西南官话 / 湖北, 冇得 in writing) is 没有权限 — a limit stated, no refund given
    assert RemedyKind.refund not in remedies(text)


# ---- round 11: a fresh blind style hold-out (x) and a Hong Kong trainer's deck (hkg) --------------


def test_a_fee_refunded_in_full_is_the_whole_fee_not_the_whole_order():
    # 004 补偿以运费为标准: 30块加急费全退您 returns the 30元 fee; the 50元 beside it is no "全额补偿"
    found = remedies("30块加急费全退您 再补偿您50块")
    assert found[RemedyKind.refund].amount_yuan == 30 and not found[RemedyKind.refund].full
    assert found[RemedyKind.compensation].amount_yuan == 50 and not found[RemedyKind.compensation].full
    assert remedies("全额退款给您")[RemedyKind.refund].full  # the order's money, in full


def test_a_count_of_goods_made_up_for_is_a_reship():
    # 000: 补发 the broken pieces — 周一出窑我就给您补两只杯子和壶盖 sends goods again
    assert RemedyKind.reship in remedies("周一出窑我就给您补两只杯子和壶盖，走中通")


def test_a_suggested_other_size_is_an_exchange_offered():
    # the shop proposing other goods (建议您换成1.5米的款) is an exchange the customer weighs, not a step to try
    assert RemedyKind.exchange in remedies("建议您换成1.5米的加深床笠款")
    assert RemedyKind.exchange not in remedies("建议您换个插座试试")


@pytest.mark.parametrize("text", ["您看咋整合适", "您看怎么处理比较好？"])
def test_asking_how_the_customer_wants_it_handled_offers_a_choice(text):
    # 001 四.3 征求对方意见 (咋整 is 怎么办 in 东北话)
    a = analyze(text)
    assert a.offers_choice and a.question == 2


def test_a_plain_intensified_apology_is_sincere():
    # guide §2: an intensified apology is level 2 — 真对不住 like 真的对不起
    assert analyze("姐 真对不住 您来问三回了").apology == 2


# Cantonese and HK formal Chinese (the hkg writers), then the spent never-used writers final12 and final13 (each measured
# once before these rules, training material since): violations by class.
CANTONESE_VIOLATIONS = [
    ("我幫唔到你。", "refusal"),  # 帮不到你: a flat no (001 四.4)
    ("酒店房型已確認，恕不更改。", "refusal"),
    ("你發夢啦。", "refusal"),  # 你别做梦了 (001 四.4's own example)
    ("唔使咁計較啦", "insult"),  # the customer called petty (001 四.1)
    ("等陣先。", "stall"),  # 003 禁区1: a wait with nothing behind it
    ("我遲啲睇下先。", "stall"),
    ("您的個案正在處理中，請靜候通知。", "stall"),
    ("呢個size包您啱身。", "overpromise"),  # 003 禁区8
    ("以後絕對唔會再有呢啲事", "overpromise"),
    ("酒店海景房我哋一定幫您搶到。", "overpromise"),
]
SPENT_WRITERS_VIOLATIONS = [
    ("亲，这款卖了上万个都是好评，您看看评价就知道了。", "contradict"),  # other buyers set against her (001 (三)(二)1)
    ("么么哒亲～刺痛说明在起作用哦～", "contradict"),  # the complaint explained as the product working
    ("系统显示签收了呀 您在看看", "contradict"),
    ("亲您确地没收到么？", "contradict"),  # 确定 typed by its sound: a doubt (guide §10)
    ("您当时确定只点了一次付款吗？", "contradict"),
    ("您能看懂吗？", "insult"),  # 001 四.1
    ("没钱租什么车", "insult"),
    ("那又怎样，给你换不就完了", "insult"),
    ("你到底是要退還是要換，講清楚好嗎？", "insult"),
    ("請等候，系統確認中。", "stall"),  # 003 禁区1
    ("hxd别急 在走流程了", "stall"),
    ("这次肯定不会再错了，我亲自给您盯着打包，今天下午发出。", "overpromise"),  # 003 禁区8
    ("擦我们的修复霜三天内肯定消下去。", "overpromise"),
    ("物流一定會在後天送到的。", "overpromise"),
]


@pytest.mark.parametrize("text, code", CANTONESE_VIOLATIONS + SPENT_WRITERS_VIOLATIONS)
def test_round_11_violations_are_read(text, code):
    assert code in analyze(text).violation_codes


@pytest.mark.parametrize("text", ["等等，我马上帮您查", "稍等一下，我现在就给您补发，今天下午发出"])
def test_a_short_wait_before_real_help_is_no_stall(text):
    assert "stall" not in analyze(text).violation_codes


@pytest.mark.parametrize("text", [
    "方案两个嘛：一是全额退款159元，退货运费我们出；二是换成墨绿色M码，来回运费也是我们出。",
    "第一种，给您退款；第二种，给您换货。",
])
def test_options_counted_out_are_alternatives_not_both_given(text):
    # 001 四.3 征求对方意见: options laid out for her to pick, not a refund AND an exchange (no double remedy)
    assert analyze(text).offers_alternatives


@pytest.mark.parametrize("text", [
    "您确定要退款吗？确定的话我马上给您办。",  # a choice confirmed, no doubt
    "这款卖了上万件，但您这件确实有问题，是我们没检查好，马上给您换。",
    "不会再让您白等了，今天下午三点前我一定回复您进度。",
])
def test_their_clean_twins_stay_clean(text):
    assert not {"contradict", "insult"} & set(analyze(text).violation_codes)


# Round 12: classes from three blind writers measured fresh (subtle3, hkg3, typo2; docs/scoring.md §6, §10), each
# in words of our own. A laugh at the customer's loss belittles the complaint (001 四.1); her own doing suggested as
# a question, her account corrected from the records and the product defended against her complaint are proving
# her wrong (001 (三)(二)1).
ROUND_12_VIOLATIONS = [
    ("哈哈，您这也太倒霉了吧～", "insult"),
    ("好惨哦哈哈，那我帮您问问", "insult"),
    ("嘻嘻没事哒，晚两天也一样用嘛", "insult"),
    ("哈哈唔緊要啦，遲少少啫", "insult"),
    ("您会不会是看错了尺码？", "contradict"),
    ("請問您是不是溫度調得太高了？", "contradict"),
    ("会不会是跟深色衣服一起洗了呀？", "contradict"),
    ("您下单选的就是黑色呀，订单上写着呢", "contradict"),
    ("签收了就是到了哦", "contradict"),
    ("这款卖了好几年，就您遇到过这种情况", "contradict"),
    ("我们发货前都经过质检，不会少的", "contradict"),
    ("尺码表页面写得蛮清楚的，您下单前可以自己对一下的呀", "contradict"),
    # from final16 once measured (spent): the door shut, who told you, every one does that, a third party's promise
    ("呢部機唔退得㗎", "refusal"),
    ("换是换不了的", "refusal"),
    ("这个我们也mei办法", "excuse"),  # mei办法 read as one word, 没办法 (a shorter rewrite pads after the word)
    ("谁跟您说送货上门的？", "contradict"),
    ("这个系列都这样的", "excuse"),
    ("这是快滴的问题", "excuse"),  # 快滴: 快递 by its sound
    ("银行肯定两天内到账", "overpromise"),
]
ROUND_12_CLEAN = [
    "哈哈谢谢亲的夸奖，欢迎下次再来～",
    "您是否也遇到了同样的提示？方便截个图给我吗？",  # a clarifying question about what she saw
    "系统显示已签收，但您没收到的话我马上联系快递核实，今天给您回复。",
    "您可以自己对一下尺码表，我把链接发您。",
]




# Round 13: classes from two blind writers measured fresh (hkg5, rural2), each in words of our own: Cantonese words
# read as what they mean (唔通 难道, 黑仔 倒霉, 係咁 这样, 包你…收到 保证, 著咗 穿了), the shop's innocence as a rhetorical
# question (001 (三)(二)1 proving her wrong), a bare 没得赔 (refusal unless another way follows), patience asked with
# nothing behind it (003 禁区 stalling).
ROUND_13_VIOLATIONS = [
    ("唔通係我哋故意寄錯俾你咩？", "contradict"),
    ("难道是我们仓库自己弄坏的不成？", "contradict"),
    ("你係咪著咗落水呀？", "contradict"),
    ("部機包你聽日收到", "overpromise"),
    ("啲衫洗完都會縮少少，件件都係咁。", "excuse"),
    ("呢單冇得賠㗎", "refusal"),
    ("运费没得退的", "refusal"),
    ("亲，再耐心点哈～", "stall"),
    ("哈哈，你都幾黑仔喎", "insult"),
    # and from qa5 once measured: a guarantee it never happens again, the fault named on others, "so simple"
    ("换了新的以后，百分百不会再出现异响。", "overpromise"),
    ("说明是供应商写的，有错也是他们的问题。", "excuse"),
    ("那么简单的设置，跟着提示点两下就好了。", "insult"),
    # and from hkg6 once measured: why did you not say so earlier, no time now, are you sure you said so then
    ("你落單嗰陣點解唔一早講清楚要白色？", "contradict"),
    ("现在没空，晚点再说吧", "stall"),
    ("而家冇時間，等陣覆你", "stall"),
    ("您是不是確定當時有講要加急？", "contradict"),
]
ROUND_13_CLEAN = [
    "没得退的话，我们可以给您换一件同价位的，您看可以吗？",  # a limit with another way
    "您是否安装了最新版本？方便的话截个图给我。",  # a diagnostic question
    "您耐心点等我两分钟，我这就给您查物流。",  # a wait with something behind it
    "唔通知你真係唔好意思，我哋即刻補寄。",  # 唔通知 is "did not tell", not 难道
    "保证不会再让您白等，后面由我本人跟进。",  # the shop's own conduct promised (001 承诺改进)
    "这个问题没那么简单，我请技术同事今天下午给您回电。",  # harder than it looks: no belittling
    "请问您是否确定收货地址无误？确认后我马上安排重发。",  # a check before acting, not a doubt of her account
    "现在没时间限制，您什么时候方便退回都可以。",  # 没时间限制: no deadline, no stall
]


@pytest.mark.parametrize("text, code", ROUND_12_VIOLATIONS + ROUND_13_VIOLATIONS)
def test_rounds_12_and_13_violations_are_read(text, code):
    assert code in analyze(text).violation_codes


@pytest.mark.parametrize("text", ROUND_12_CLEAN + ROUND_13_CLEAN)
def test_rounds_12_and_13_near_misses_stay_clean(text):
    assert not analyze(text).violation_codes


def test_goods_swapped_for_others_are_read_as_what_is_sent():
    # 3段缺货，为您调整为2段: the reship sends the 2段 (the case's wish is checked against it, 000 / issue 17 §1)
    slots = analyze("今天给您加急补发同品牌奶粉两罐；由于3段暂时缺货，为您调整为2段，预计后天送达。").slots
    reship = next(s for s in slots if s.kind.value == "reship")
    assert reship.attributes == ["2段"]
    plain = next(s for s in analyze("今天给您补发两罐同款3段，预计后天到").slots if s.kind.value == "reship")
    assert plain.attributes == ["3段"]


def test_a_case_put_together_for_a_named_manager_is_a_hand_off():
    acts = [a.kind.value for a in analyze("我已经把您的情况整理给客服主管林经理，她两天内给您回电。").acts]
    assert "handoff" in acts


def test_a_request_stands_when_its_sentence_ends_in_a_violation():
    # the request is asked; the promise after it is the violation (guide §4, §6), not the other way round
    a = analyze("麻烦您把路由器型号发我，保证以后再也不掉线。")
    assert a.question == 2 and a.violation_codes == ["overpromise"]
    # a question that is itself the violation still asks nothing (§10)
    assert analyze("您自己没看说明书吗？").question == 0


def test_round_13_substance_readings():
    # a trade-in promotion (以旧换新) is no exchange offered; 后续我会追踪 is a commitment to follow up (001 感谢客户 3)
    assert not [s for s in analyze("现在电饭煲还能以旧换新，旧锅最高抵100哦。").slots if s.kind.value == "exchange"]
    assert analyze("後續我會追蹤，再次致歉。").commitment
    # a shop rule stated in one run (7天内…可免费换新或退货退款) is a sentence, not keyword stuffing
    assert analyze("按照平台规则，7天内出现质量问题可免费换新或退货退款：这台我们给您免费换新机。").not_a_reply is None
    assert analyze("抱歉理解退款补发马上赔偿").not_a_reply
    # her view told back is nobody's offer (我晓得您觉得包邮还扣钱不公平): no shipping cost taken on
    assert not [s for s in analyze("我晓得您觉得包邮还扣钱不公平，我能做的是送您一张8元券。").slots
                if s.kind.value == "shipping_cost" and s.modality == "offered"]
