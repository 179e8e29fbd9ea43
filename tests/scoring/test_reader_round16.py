"""Issue 18, round 16: classes of violation read in any wording (violations.yaml "round 16"), each example written
here in words of its own (not a row of the sets the class was found on), beside a near miss that stays clean; and
the pinyin of the absolute words (jue对, bao到, bi到) read before the rules (normalization.yaml)."""

from __future__ import annotations

import pytest

from scoring import analyze

FLAGGED = [
    # the complaint laughed at (§11)
    ("哈哈哈冻死了吧，您先把暖气开大点", "insult"),
    ("等了五天也太惨了哈哈，我帮您催催", "insult"),
    # her worry waved away (§10 brush-off)
    ("发错个颜色而已，怕啥，一样穿", "insult"),
    ("包装旧一点，没必要纠结", "insult"),
    ("漏了就漏了嘛，下次补给您", "insult"),
    # sarcastic surrender, "what do you want"
    ("好好好，您说了算，给您退", "insult"),
    ("那您想咋样嘛", "insult"),
    # her effort mocked, sent to look up "common sense"
    ("电话占线你不会再打一次吗？", "insult"),
    ("这种常识性的问题您自己上网查一下", "insult"),
    # her purchase scorned
    ("嫌小就去买大号的呗", "insult"),
    ("这个价钱也就这种质量了", "insult"),
    # no defect, the shop vouched for, the page held against her (§6 contradict)
    ("这种不属于质量问题，您多穿几次就好", "contradict"),
    ("我们仓库都很细心的，不会发错", "contradict"),
    ("订单上写的是黑色哦，您再看看", "contradict"),
    ("现在还在时效内，不算晚", "contradict"),
    ("您是不是把它放在车里好几天了？", "contradict"),
    # busy staff or the supplier as the reason (§6 excuse)
    ("快递这两天特别忙，您多担待", "excuse"),
    ("我们也是从厂家拿的货，这个没办法", "excuse"),
    # pinyin absolutes (§6 overpromise)
    ("放心，jue对不会再坏", "overpromise"),
]

CLEAN = [
    "哈哈，谢谢亲的夸奖，祝您生活愉快",
    "您说得对，是我们的问题，马上给您补发",
    "请问您是哪天签收的？",
    "我们会让仓库更细心地核对，给您补发一件黑色的",
    "这个属于质量问题，我们给您全额退款",
    "订单上写的是黑色，我们发错了，非常抱歉",
]


@pytest.mark.parametrize("text,code", FLAGGED)
def test_the_class_is_read(text, code):
    assert code in analyze(text).violation_codes, text


@pytest.mark.parametrize("text", CLEAN)
def test_the_near_miss_stays_clean(text):
    assert not analyze(text).violation_codes, text
