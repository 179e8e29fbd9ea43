"""Reader classes added in the fifth round of issues 17 and 18, each stated as a class and checked on sentences
written here (not copied from any labelled set): the choices a reply puts to the customer, money refunded as a
bare figure, credit that is no exchange, owning a fault with any verb of the job done wrong, and violations on
wordings no earlier rule knew (docs/scoring.md §6; seeds 001 四, 003 禁区)."""

from __future__ import annotations

import pytest

from scoring import AnalysisContext, analyze
from scoring.models import RemedyKind
from scoring.quantities import find_amounts


def codes(text: str) -> set[str]:
    return {v.code.value for v in analyze(text).violations}


@pytest.mark.parametrize("text", [
    "您比较想换大一号的，还是直接退款呢？",
    "您更想要我们上门维修，还是寄回来检测？",
    "您是希望补发一份，还是把钱退给您？",
])
def test_a_choice_across_a_comma_asks_the_customers_preference(text):
    """001 四.3 征求对方意见: the options either side of a comma are one choice put to the customer."""
    a = analyze(text)
    assert a.asks_preference and a.question == 2


@pytest.mark.parametrize("text", [
    "可以免费给您换一台新的，或退货退款，看您。",
    "我们可以给您补发，亦可直接退款。",
])
def test_options_joined_by_huo_or_yike_are_alternatives_not_both(text):
    """A reply that names two remedies as options offers a choice, not both at once."""
    assert analyze(text).offers_alternatives


def test_huo_inside_a_word_is_no_option():
    assert not analyze("这个问题或许是物流造成的，我马上帮您查。").names_options


@pytest.mark.parametrize("text, amount", [
    ("系统退的是158，运费那部分扣掉了。", 158.0),
    ("只退76，另外的是优惠券抵扣的。", 76.0),
])
def test_a_bare_figure_refunded_is_money(text, amount):
    refunds = [r for r in analyze(text).remedies if r.kind is RemedyKind.refund]
    assert refunds and refunds[0].amount_yuan == amount


@pytest.mark.parametrize("text", ["退3件就行，其他的留着。", "退2次都没成功。", "退15天内到账。"])
def test_a_figure_with_another_unit_is_no_money(text):
    assert find_amounts(text) == []


@pytest.mark.parametrize("text", [
    "补偿您想退回原账户，还是换成下次用的旅游抵用金？",
    "这笔钱可以原路退，也可以换成等值的店铺储值。",
])
def test_changing_money_into_credit_is_no_exchange(text):
    kinds = {r.kind for r in analyze(text).remedies}
    assert RemedyKind.exchange not in kinds


@pytest.mark.parametrize("text", [
    "是我们的售前同事回答错了，让您买错了尺寸。",
    "是我们打包的时候拿错了颜色。",
    "是我们这边记错了您的预约时间。",
])
def test_owning_the_fault_with_any_verb_of_the_job_is_a_sincere_apology(text):
    """docs/scoring.md §2: owning the fault is 2 even without an apology word."""
    assert analyze(text).apology == 2


def test_denying_the_fault_with_the_same_verb_is_no_apology():
    a = analyze("不可能是我们拿错了。")
    assert a.apology == 0 and "contradict" in codes("不可能是我们拿错了。")


def test_agreeing_that_the_contract_said_so_is_no_contradiction():
    """明明写的是… followed by owning it agrees with the customer; it does not argue."""
    assert "contradict" not in codes("合同明明写的是湖景房，是我们没做到，真的很抱歉。")


@pytest.mark.parametrize("text, code", [
    ("您这技术，换什么车都一样。", "insult"),
    ("您的事儿还真多。", "insult"),
    ("连个说明书都看不懂，还来找我们？", "insult"),
    ("别浪费大家的时间了。", "insult"),
    ("不懂行就别乱买。", "insult"),
    ("我们出库的时候都是好的。", "contradict"),
    ("这批货我们检测过，都没问题。", "contradict"),
    ("您下单的时候可没备注要加急。", "contradict"),
    ("那不算瑕疵，是做旧的工艺。", "contradict"),
    ("想退款？免谈。", "refusal"),
    ("特价商品一律不退不换。", "refusal"),
    ("这个我们帮不了你。", "refusal"),
    ("找经理也没用，规定就是这样。", "refusal"),
    ("网购哪有没色差的呢。", "excuse"),
])
def test_violations_in_wordings_no_earlier_rule_knew(text, code):
    assert code in codes(text)


@pytest.mark.parametrize("text", [
    "这批货我们会再检测一遍，有问题马上给您换。",
    "您的品味真好，这款很适合您。",
    "按规定这类商品不支持七天无理由，不过质量问题我们包退换。",
    "您先别急，我帮您找经理确认一下，10分钟内回复您。",
])
def test_professional_near_twins_stay_clean(text):
    assert not codes(text)


def test_naming_the_person_the_case_was_handed_to_is_no_template():
    """A reply that follows up the person named in an earlier reply talks about this case (no reply.generic)."""
    ctx = AnalysisContext(issue_topics=[], case_terms=["海景房"],
                          previous_replies=["全额赔偿超出我的权限，我会转给主管林经理，2天内回复您。"])
    assert analyze("好的，已帮您处理，入账和林经理的回复我都会追踪。", ctx).names_case
    assert not analyze("好的，已帮您处理，有结果会通知您。", ctx).names_case


@pytest.mark.parametrize("text", [
    "您下拉刷新一下页面，缴费记录就出来了。",
    "您可以在设置里把自动更新关掉试试。",
    "建议分开插两个插座用用看。",
    "先重启一下路由器，再连一次看看。",
])
def test_steps_for_the_customer_are_instructions(text):
    """docs/scoring.md §5: instructions to try are a solution at level 1, however they are phrased."""
    a = analyze(text)
    assert a.solution >= 1 and any(r.kind is RemedyKind.instructions for r in a.remedies), a.remedies


@pytest.mark.parametrize("text", [
    "我帮您从另一个仓库调一本过来。",
    "师傅帮你免费调一下琴颈。",
    "我这边帮您核对一下电表读数。",
])
def test_a_named_thing_the_shop_does_for_the_customer_is_an_action(text):
    assert analyze(text).solution >= 1


@pytest.mark.parametrize("text", [
    "给您带来不便，我们深感抱歉。",
    "还需要我帮您做点什么吗？",
    "您再看看，我们这边没问题。",
    "我们会尽快帮您处理的。",
])
def test_formulas_courtesies_and_vague_handling_are_no_action(text):
    assert analyze(text).solution == 0


@pytest.mark.parametrize("text, kind", [
    ("明天给你寄俩备用的扣子。", RemedyKind.reship),
    ("这次的租金我们今天全数退回。", RemedyKind.refund),
    ("算了，给你退吧。", RemedyKind.refund),
    ("我马上问下仓库。", RemedyKind.follow_up),
    ("周末过来，帮您免费补一下。", RemedyKind.repair),
])
def test_remedies_in_everyday_words(text, kind):
    assert kind in {r.kind for r in analyze(text).remedies}


def test_a_message_sent_is_no_reshipment():
    assert RemedyKind.reship not in {r.kind for r in analyze("帮您发个消息给仓库，让他们加快。").remedies}


def test_a_photo_asked_for_is_no_follow_up():
    assert analyze("您拍个图我看看吧。").solution == 0
