"""The reply analyzer (scoring.analyze): levels, remedies, violations, topics, repeats, evidence.

Every test names the seed rule it checks: 000 wig case, 001 complaint handling, 003 chat taboos,
004 complaint template (seeds in ../shared/seeds).
"""

from __future__ import annotations

import pytest

from scoring import AnalysisContext, Topic, analyze
from scoring.analyzer import MAX_CHARS, similarity
from scoring.models import RemedyKind


def levels(text: str, context: AnalysisContext | None = None) -> tuple[int, int, int, int]:
    a = analyze(text, context)
    return a.apology, a.empathy, a.question, a.solution


def codes(text: str) -> list[str]:
    return analyze(text).violation_codes


# ---- apology ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "很抱歉，这件事我们处理的不够周全，给您添麻烦了。",  # 001 平息怨气 model sentence
    "真的很抱歉，发生这种情况的确很令人生气",  # 001 投诉处理流程 2
    "非常抱歉，是我们仓库发错了颜色。",  # 000 诚恳道歉, owning the fault
    "是我们的疏忽，我们马上处理。",  # owning the fault without 抱歉
    "我们深表歉意。",
])
def test_sincere_apology_is_strong(text):
    assert analyze(text).apology == 2


@pytest.mark.parametrize("text", ["不好意思哈", "sorry亲", "抱歉亲", "SORRY，马上看"])
def test_perfunctory_apology_is_weak(text):
    # 001: 婉转地致歉; a bare 不好意思 / sorry is the perfunctory form (level 1)
    assert analyze(text).apology == 1


@pytest.mark.parametrize("text", [
    "我们没有什么需要道歉的，商品是按页面描述发的",  # denied apology
    "您不用跟我说对不起，我帮您把地址改一下就好",  # deflected: the customer apologised
    "这不是我们的错",  # "是我们的错" negated
])
def test_denied_or_deflected_apology_is_not_an_apology(text):
    # 000 认错态度要诚恳: a denial is no apology, however many apology words it holds
    assert analyze(text).apology == 0


# ---- empathy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "我理解您的心情，我们一定想办法帮您解决。",  # 001 四.2 model sentence
    "换作是我也会生气的。",
    "等了这么久，肯定着急了吧。",
    "发生这种情况的确很令人生气。",  # 001 投诉处理流程 2
    "真的让您失望了。",
])
def test_empathy_from_the_customers_side(text):
    # 001 投诉处理流程 1: 用理解的语气安慰他，如"我明白您的心情"
    assert analyze(text).empathy == 2


def test_a_feeling_named_only_as_the_object_of_an_apology_is_no_empathy():
    """docs/scoring.md §3: 很抱歉让您失望了 is an apology (2), not empathy; 的确很让您失望 acknowledges."""
    a = analyze("非常抱歉让您失望了。")
    assert a.apology == 2 and a.empathy == 0
    assert analyze("发生这种情况的确很让您失望，我可以理解您的心情。").empathy == 2


@pytest.mark.parametrize("text", [
    "请您理解我们的规定",  # asking the customer to understand US
    "希望您能理解",
    "我理解错了您的意思，您是想换货对吧？",  # 理解 as comprehension
    "我的理解是您想退款",
    "感谢您的理解和支持！",
])
def test_understand_traps_are_not_empathy(text):
    assert analyze(text).empathy == 0


def test_weak_empathy_courtesy():
    # 辛苦您了 acknowledges the customer's trouble, but only as a courtesy formula
    assert analyze("辛苦您了，麻烦把破损的照片发我一下").empathy == 1


# ---- question ---------------------------------------------------------------------------------


def test_open_question_with_details():
    # 001 澄清问题 实例二: "您能具体讲述一下您是什么时候买的？买回家后是怎么使用的？"
    a = analyze("您能向我具体讲述一下您是什么时候买的？买回家后是怎么使用的？")
    assert a.question == 2 and a.question_kind == "open"


def test_closed_confirmation_question():
    # 001 澄清问题 2: "您是*月*日买的，用了一星期，是吗？"
    a = analyze("我了解您的状况了。您是5月3日买的，用了一星期，是吗？")
    assert a.question == 2 and a.question_kind == "closed"


def test_request_for_evidence_without_question_mark():
    # 004 投诉模板 c): ask for details, e.g. photos; no "?" needed
    a = analyze("麻烦您提供一下订单号")
    assert a.question == 2


def test_choice_question_asks_preference():
    # 001 协商解决 / 征求对方意见
    a = analyze("您希望换货还是退款？")
    assert a.question == 2 and a.question_kind == "closed" and a.asks_preference


def test_courtesy_question_is_weak():
    assert analyze("亲还有什么其他问题吗？").question == 1


@pytest.mark.parametrize("text, code", [
    ("你没看说明书吗？上面写了要连续用一个月", "contradict"),  # 002: don't prove the customer wrong
    ("难道这也要怪我们吗？", "excuse"),
    ("你是第一次网购吗？", "insult"),  # 001 四.1 语言不触及个人
])
def test_rhetorical_questions_are_violations_not_questions(text, code):
    a = analyze(text)
    assert a.question == 0
    assert code in a.violation_codes


# ---- solution and remedies --------------------------------------------------------------------


def test_wig_case_best_solution():
    # 000: reship within 24 h and a voucher; both remedies with their specifics
    a = analyze("非常抱歉！我们24小时内为您重新发出正确颜色的假发，再送您一张20元代金券。")
    assert a.solution == 2
    by_kind = {r.kind: r for r in a.remedies}
    assert by_kind[RemedyKind.reship].hours == 24 and by_kind[RemedyKind.reship].time_frame == "24小时内"
    assert by_kind[RemedyKind.voucher].amount_yuan == 20


@pytest.mark.parametrize("text, kind, hours", [
    ("明天给您补发", RemedyKind.reship, 24),
    ("3天内给您退款", RemedyKind.refund, 72),
    ("后天安排工程师上门维修", RemedyKind.repair, 48),
    ("两个工作日内给您答复", RemedyKind.follow_up, 48),
    ("半小时内给您回个准信", RemedyKind.follow_up, 0.5),
])
def test_time_frames_become_hours(text, kind, hours):
    # 004: 给客户一个处理此事的期限，比如24小时内
    a = analyze(text)
    remedy = next(r for r in a.remedies if r.kind == kind)
    assert remedy.hours == hours
    assert a.solution == 2


def test_amounts_percent_and_full_refund():
    # 004: 补偿金额以运费为标准; partial and full refunds
    comp = next(r for r in analyze("我们补偿您50元").remedies if r.kind == RemedyKind.compensation)
    assert comp.amount_yuan == 50
    assert analyze("给您全额退款").remedies[0].full is True
    assert analyze("给您退30%的货款").remedies[0].percent == 30
    assert analyze("补偿您二十元").remedies[0].amount_yuan == 20


def test_shipping_cost_and_exchange():
    # 004: 商家承担运费帮客户调换
    kinds = analyze("运费由我们承担，给您换一件新的").remedy_kinds()
    assert {RemedyKind.shipping_cost, RemedyKind.exchange} <= kinds


def test_escalation_with_deadline_is_polite_repetition():
    # 001 四.4 礼貌的重复: limits of authority, escalate, answer within 2 days -- no violation
    a = analyze("很抱歉，我不能满足您的要求，因为我的工作权限所限，只能把您的情况先反映到上级主管那里，在2天内给您答复。")
    assert RemedyKind.escalate in a.remedy_kinds()
    assert a.solution == 2 and a.violations == []


def test_tentative_offer_is_weak():
    # a remedy offered as an option without specifics is a weak solution
    assert analyze("颜色的话您可以申请退货。").solution == 1


@pytest.mark.parametrize("text", [
    "我们会想办法的",  # vague goodwill
    "这个问题我们会尽快处理",
    "全额退款想都别想",  # a remedy named only to refuse it
    "不能退款",
])
def test_vague_goodwill_and_refusals_are_not_solutions(text):
    assert analyze(text).solution == 0


# ---- violations -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("你怎么那么笨", "insult"),  # 001 四.1
    ("爱买不买", "insult"),
    ("你怎么这么多事", "insult"),  # 001 四.1
    ("别人都不像你这么麻烦", "insult"),  # 001 四.1
    ("这是决不可能的", "refusal"),  # 001 四.4 切记不能说
    ("你别做梦了", "refusal"),  # 001 四.4
    ("不行就是不行", "refusal"),  # 001 四.1
    ("太荒唐了，不行不行", "refusal"),  # 001 四.4
    ("这个颜色可能是您手机屏幕分辨率的问题哦", "excuse"),  # 000 屏幕分辨率
    ("颜色差异主要是显示器色差导致的", "excuse"),
    ("跟我们没关系", "excuse"),
    ("物流慢不是我们能控制的", "excuse"),
    ("请您理解我们的规定", "excuse"),
    ("这是快递的问题", "excuse"),
    ("事情不是您想的那样", "contradict"),  # 001 平息怨气 1
    ("您肯定是用错了", "contradict"),
    ("不可能是我们发错了", "contradict"),
    ("保证明天一定到", "overpromise"),  # 003 禁区8
    ("绝对不会有色差", "overpromise"),  # 003 禁区8
    ("这件百分之百合适", "overpromise"),
    ("请等一下", "stall"),  # 001 接受投诉 2: 避免说"请等一下"
    ("现在没空", "stall"),
    ("等会再说", "stall"),
])
def test_violation_codes(text, code):
    assert code in codes(text)


@pytest.mark.parametrize("text", [
    "请稍等，我马上帮您查询物流",  # a wait with an action behind it is no stall
    "我们一定想办法帮您解决。",  # 001 四.2 model sentence: 一定 about our effort, not an overpromise
    "很抱歉给您带来不便，请您私信提供订单号，我们会尽快核实处理。",
    "您好,建议您先确认手机系统版本是否最新,如果有提示升级,建议备份升到最新版本.",
    "快递那边的问题我们也很无奈，我这边马上联系快递催一下",  # 004: 表现出我们也很无奈 is allowed
    "请您在多屏页面滚动截屏查看.",  # 滚 inside 滚动 is no insult
    "真的很抱歉，这个我确实做不了主，在我的权限内能做的是给您换货，您看这样行吗？",  # 001 礼貌的重复
])
def test_professional_replies_have_no_violation(text):
    assert codes(text) == []


def test_violation_span_quotes_the_original_words():
    text = "亲，這是快遞的問題哦"
    v = analyze(text).violations[0]
    assert v.code.value == "excuse"
    assert text[v.span.start:v.span.end] == v.span.text
    assert "快遞" in v.span.text  # traditional characters, as typed


# ---- traditional == simplified ----------------------------------------------------------------


def _signature(a):
    return (a.apology, a.empathy, a.question, a.question_kind, a.solution, a.violation_codes,
            sorted((r.kind.value, r.amount_yuan, r.percent, r.full, r.hours) for r in a.remedies),
            a.asks_preference, a.thanks, a.commitment, a.issue_topics, a.fact_topics)


SIMPLIFIED = [
    "非常抱歉，给您添麻烦了！我们24小时内为您补发，并送您一张20元代金券。",
    "我理解您的心情，换作是我也会生气。您希望换货还是退款？",
    "这个颜色可能是您手机屏幕分辨率的问题哦，跟我们没关系",
    "您能具体讲一下是什么时候买的、怎么使用的吗？",
    "很抱歉，因为职权所限，我只能把您的情况反映给主管，最晚后天给您回信。",
    "保证明天一定到，绝对不会有色差",
    "你怎么那么笨，跟你说多少回了",
]


@pytest.mark.parametrize("text", SIMPLIFIED)
def test_traditional_and_simplified_give_identical_results(text):
    # README of the seeds: trainees write both scripts (seeds 000/002/003/004 are traditional)
    import opencc

    traditional = opencc.OpenCC("s2t").convert(text)
    assert traditional != text
    ctx = AnalysisContext(issue_topics=[Topic(id="color", keywords=["顏色", "分辨率"])])
    assert _signature(analyze(traditional, ctx)) == _signature(analyze(text, ctx))


def test_full_width_and_emoji_and_latin():
    a = analyze("ＳＯＲＲＹ亲😊 我们２４小时内给您补发！")
    assert a.apology == 1
    assert a.remedies[0].hours == 24
    assert a.evidence[0].span.text == "ＳＯＲＲＹ"  # original full-width letters quoted


# ---- topics, repeats, truncation, evidence ----------------------------------------------------


WIG = AnalysisContext(
    customer_message="图片上明明是深棕色，收到的竟然是浅棕色！而且晚了三天！",
    issue_topics=[Topic(id="wrong_color", keywords=["颜色", "深棕", "浅棕", "发错"]),
                  Topic(id="late_delivery", keywords=["物流", "晚了", "迟了", "清關"])],
    fact_topics=[Topic(id="order_no", keywords=["订单号"])],
)


def test_topics_found_by_keywords_in_either_script():
    # 000: 提了两个问题，只得到了一个问题的回复 -- the grader needs both topics
    a = analyze("颜色发错了是我们的错，清关延误导致晚到，麻烦提供一下订单号", WIG)
    assert a.issue_topics == ["wrong_color", "late_delivery"]
    assert a.fact_topics == ["order_no"]
    topic_ev = [e for e in a.evidence if e.kind == "topic"]
    assert [e.rule for e in topic_ev] == ["wrong_color", "late_delivery", "order_no"]
    assert analyze("顏色發錯了", WIG).issue_topics == ["wrong_color"]


def test_repeats_turn_for_the_same_reply_again():
    # 003 禁区6: the same quick reply again looks perfunctory
    ctx = AnalysisContext(previous_replies=["您好，请问有什么可以帮您？", "亲，您的包裹已经发出了，请耐心等待哦~"])
    assert analyze("亲，您的包裹已经发出了，请耐心等待哦！", ctx).repeats_turn == 1
    assert analyze("親，您的包裹已經發出了，請耐心等待哦", ctx).repeats_turn == 1
    assert analyze("非常抱歉，我们24小时内给您补发", ctx).repeats_turn is None


def test_similarity():
    assert similarity("很抱歉给您添麻烦了！", "很抱歉，給您添麻煩了") == 1.0
    assert similarity("很抱歉给您添麻烦了", "我们24小时内给您补发") < 0.5
    assert 0.0 <= similarity("", "abc") <= 1.0


def test_very_long_reply_is_truncated():
    text = "很抱歉给您添麻烦了。" + "哈" * (MAX_CHARS * 3) + "你怎么那么笨"
    a = analyze(text)
    assert a.truncated and len(a.text) == MAX_CHARS
    assert a.apology == 2 and a.violations == []  # the insult lies past the graded prefix
    assert a.length == len(text)


def test_a_reply_is_as_long_in_either_script_counted_on_the_words_read():
    """Issue 17 §5: the Taiwan spelling 藍色畫面 of 蓝屏 is the same words, so the same length (a short reply
    wears the customer's patience); a shorter rewrite's padding and spaces are not counted."""
    simplified = analyze("查到了，14号蓝屏报修，16号下午才上门换了内存条，现在能用，对吗？")
    traditional = analyze("查到了，14號藍色畫面報修，16號下午才上門換了記憶體模組，現在能用，對嗎？")
    assert traditional.length == simplified.length == 34
    assert analyze("sorry 啊").length == 4  # 对不起啊, as read


def test_every_finding_has_evidence_quoting_the_reply():
    text = "真的非常抱歉！换作是我也会生气。麻烦您拍张照片，我们明天给您补发。你别做梦了"
    a = analyze(text)
    kinds = [e.kind for e in a.evidence]
    for dim in ("apology", "empathy", "question", "solution"):
        assert getattr(a, dim) > 0 and dim in kinds
    assert "refusal" in kinds
    for e in a.evidence:
        assert text[e.span.start:e.span.end] == e.span.text


def test_empty_and_whitespace_replies():
    for text in ["", "   ", "😊"]:
        a = analyze(text)
        assert (a.apology, a.empathy, a.question, a.solution) == (0, 0, 0, 0)
        assert a.violations == []


def test_thanks_and_commitment_flags():
    # 001 感谢客户: apologise again, thank, commit to improve
    a = analyze("真抱歉，给您添麻烦了。您对我们的产品这么信任，谢谢您。我们会不断提高产品和服务质量。")
    assert a.thanks and a.commitment and a.apology == 2
    assert analyze("有进展第一时间通知您").commitment


# ---- script and word details ------------------------------------------------------------------


def test_taiwan_vocabulary_and_variant_characters():
    # 000 屏幕分辨率 as written in Taiwan (螢幕解析度); 等著 keeps 著 under t2s but means 等着
    assert "excuse" in codes("不好意思喔，顏色差異應該是螢幕解析度的關係")
    assert "stall" in codes("非常抱歉，現在人太多，您先等著吧")
    assert analyze("我能想像您打開包裹那一刻有多失望").empathy == 2  # s2t writes 想象 as 想像


def test_jieba_word_boundaries_for_marked_entries():
    # 退还 is a refund only as a word: in 是退还是换 jieba splits 退/还是 (a choice, 001 协商解决)
    a = analyze("您看是退还是换呢？两种都可以给您办")
    assert [e.span.text for e in a.evidence if e.rule == "remedy.refund_return"] == []
    assert a.remedy_kinds() == {RemedyKind.refund, RemedyKind.exchange}
    assert analyze("给您退还差价").remedies[0].kind == RemedyKind.refund


def test_a_bare_wait_is_a_stall_but_not_with_an_action():
    # 001 接受投诉: 避免说"请等一下"; 003 禁区1: a wait must come with what is being done
    assert codes("请稍等") == ["stall"]
    assert codes("稍等一下，我去仓库核实一下颜色，5分钟内回复您") == []
    assert codes("感谢亲的耐心等待，祝您生活愉快~") == []
