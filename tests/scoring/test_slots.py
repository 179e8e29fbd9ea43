"""Issue 17 §1: the slot forms' own examples (scoring/data/slots.yaml) are tests, read by the real reader."""

from __future__ import annotations

import pytest
import yaml

from scoring import AnalysisContext, analyze
from scoring.slots import DATA, Calendar, resolve_times
from scoring.normalize import normalize

EXAMPLES = yaml.safe_load(DATA.read_text(encoding="utf-8"))["examples"]


def _context(example) -> AnalysisContext:
    cal = example.get("calendar")
    return AnalysisContext(calendar=f"{cal['date']}T{cal['time']}" if cal else None)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"] for e in EXAMPLES])
def test_each_example_gives_its_slots(example):
    analysis = analyze(example["text"], _context(example))
    if "commitment" in example:  # a promise form (promises:) read as a commitment
        assert analysis.commitment == example["commitment"], example["text"]
    if example.get("claims") == []:
        assert not analysis.claims, (example["text"], analysis.claims)
    for expected in example.get("claims", []):  # a fact of the case stated outside the offers (claims:)
        got = [c.model_dump(mode="json") for c in analysis.claims]
        assert any(all(c[k] == v for k, v in expected.items()) for c in got), (example["text"], expected, got)
    slots = analysis.slots
    want = example.get("slots", [])
    assert len(slots) >= len(want), (example["text"], slots)
    if not want:
        assert all(not s.offered for s in slots) or not slots
    for expected in want:
        matching = [s for s in slots if s.kind.value == expected["kind"]]
        assert matching, (example["text"], expected, slots)
        got = matching[-1].model_dump(mode="json")
        for key, value in expected.items():
            assert got[key] == value, (example["text"], key, got[key], value)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"] for e in EXAMPLES])
def test_traditional_script_gives_the_same_slots(example):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(example["text"])
    simplified = [(s.kind, s.modality, s.amount_yuan, s.due, s.full) for s in analyze(example["text"], _context(example)).slots]
    assert [(s.kind, s.modality, s.amount_yuan, s.due, s.full)
            for s in analyze(traditional, _context(example)).slots] == simplified


def test_negated_refund_is_no_offer_and_a_missed_amount_in_any_order_is_one():
    refused = analyze("全額退款不在我的權限內，我沒辦法直接給您退198元")
    assert refused.remedies == []
    for text in ("三千块我们赔", "赔您3000元", "我们赔您三千块", "补偿您3k"):
        remedies = analyze(text).remedies
        assert [(r.kind.value, r.amount_yuan) for r in remedies] == [("compensation", 3000.0)], text


def test_the_shop_acting_is_no_excuse_but_sending_the_customer_is():
    assert analyze("丢件的事我们自己找快递理赔，您放心").violation_codes == []
    assert "excuse" in analyze("丢件的事您自己找快递理赔吧").violation_codes


def test_weekdays_resolve_against_the_calendar():
    cal = Calendar.parse("2026-11-19", "10:00")  # a Thursday
    due = {t.text: t.due.strftime("%m-%d %H:%M") for t in resolve_times("周日前、下周一、下下周一、后天下午、今晚", cal)}
    assert due == {"周日": "11-21 23:59", "下周一": "11-23 23:59", "下下周一": "11-30 23:59",
                   "后天下午": "11-21 18:00", "今晚": "11-19 23:59"}


def test_parts_of_a_month_and_a_span_told_before_its_arrival_resolve():
    # 12月初 is by the 10th, 月中 by the 20th, 月底 by the last day (issue 17 §1: times resolved on the case's calendar);
    # 大概10到12个工作日，预计…就能到: the span is the arrival's, told before it (its upper bound)
    cal = Calendar.parse("2026-11-19", "10:00")
    due = {t.text: t.due.strftime("%m-%d") for t in resolve_times("12月初、下个月中旬、月底", cal)}
    assert due == {"12月初": "12-10", "下个月中旬": "12-20", "月底": "11-30"}
    due = {t.text: t.due.strftime("%m-%d") for t in resolve_times(normalize("清关加运输大概10到12个工作日，预计就能到您手上"), cal)}
    assert due == {"10到12个工作日": "12-07"}
    assert resolve_times("送到中转中心", cal) == [] and resolve_times(normalize("大概3天，您稍等"), cal) == []


def test_sending_news_is_no_reship_and_sending_goods_is():
    # 帮您发 + goods or a carrier is a reship; 给您发单号 / 发链接 sends no goods.
    for text in ("给您发单号，您留意一下", "帮您发个消息给仓库"):
        assert not [s for s in analyze(text).slots if s.kind.value == "reship"], text
    for text in ("我先帮您发两罐同牌子2段", "到了第一时间给您发普通快递", "先帮您发顺丰"):
        assert [s.modality for s in analyze(text).slots if s.kind.value == "reship"] == ["offered"], text


def test_a_past_event_day_before_today_is_this_month_and_a_future_one_is_next_month():
    ctx = AnalysisContext(calendar="2026-11-23T10:00")
    paid = [s for s in analyze("20号晚上付的款，今天下午5点前用顺丰给您补发", ctx).slots if s.kind.value == "reship"]
    assert [s.due for s in paid] == ["2026-11-23T17:00"]  # not the 20th of December
    due = {t.text: t.due.strftime("%m-%d") for t in resolve_times("5号能到", Calendar.parse("2026-11-23"))}
    assert due == {"5号": "12-05"}  # 5号 said on the 23rd with no past event: next month's


def test_a_refund_that_names_a_deduction_is_not_the_whole_order():
    from scoring.slots import deducted

    [refund] = [s for s in analyze("亲，已发货订单退款需扣除运费，具体以系统为准").slots if s.kind.value == "refund"]
    assert deducted("亲，已发货订单退款需扣除运费，具体以系统为准", refund) == "运费"
    [whole] = [s for s in analyze("给您全额退款").slots if s.kind.value == "refund"]
    assert deducted("给您全额退款", whole) is None
