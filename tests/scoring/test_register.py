"""Acts beyond the four dimensions (issue 18 §3): breezy tone, brush-off, doubting the customer, a
review request, a choice offered, how the customer is addressed — in the analysis, in `kefu score`
output, and with the violations and questions they imply."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import analyze

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", ["亲~别激动哈，这点小事我们会处理的么么哒", "哈哈，亲，快递慢是常有的事啦~", "收到啦亲，么么哒"])
def test_breezy(text):
    a = analyze(text)
    assert a.breezy
    assert any(e.kind == "breezy" for e in a.evidence)


def test_a_plain_reply_is_not_breezy():
    assert not analyze("非常抱歉让您久等了，我马上帮您查询物流。").breezy


@pytest.mark.parametrize("text", ["多大点事，至于吗", "您别激动，这种小问题常有", "玻璃製品運送過程難免會碰撞，這個很正常的喔", "係好正常嘅"])
def test_brush_off_is_read_and_is_a_violation(text):
    a = analyze(text)
    assert a.brush_off
    assert a.violation_codes  # insult or excuse


def test_a_softened_calming_word_is_no_violation():
    a = analyze("对不起，您先别激动，我马上给您补发一个新的，您看可以吗？")
    assert not a.violation_codes and a.apology and a.solution


@pytest.mark.parametrize("text", ["您确定是收到就坏的吗？", "是不是您签收后不小心摔到了呀？", "您肯定是自己摔坏的",
                                  "谁告诉您可以退的？", "會不會是您家人不小心弄壞的？",
                                  # the time of the order between 您 and 确定 (style script s, misled-by-presales)
                                  "請問您當時確定有說是1.8米的床嗎？", "会不会讲成1.5米了？"])
def test_doubting_the_customer_is_contradict_and_no_question(text):
    a = analyze(text)
    assert a.doubts_customer
    assert "contradict" in a.violation_codes
    assert a.question == 0


@pytest.mark.parametrize("text", ["麻烦给个五星好评哦", "亲，收到货满意的话给个好评吧？", "方便的话帮忙晒图追评一下可以吗？"])
def test_a_review_request_is_neither_question_nor_solution(text):
    a = analyze(text)
    assert a.asks_review
    assert a.question == 0 and a.solution == 0


@pytest.mark.parametrize("text", ["我们给您补发或者退款，您选一个吧", "给您换新或者退款，您看这样好不好", "我们可以今天给您补发，看您方便",
                                  "退款和換貨都可以，您來選一個吧"])
def test_a_choice_offered_is_a_question(text):
    a = analyze(text)
    assert a.offers_choice and a.asks_preference
    assert a.question == 2


@pytest.mark.parametrize("text,address", [("您好，先生，我帮您查一下", "respectful"), ("亲，你等下哈", "casual"),
                                          ("亲，您稍等", "mixed"), ("好的，马上处理", None)])
def test_address(text, address):
    assert analyze(text).address == address


def test_kefu_score_prints_the_acts():
    line = json.dumps({"id": 1, "text": "亲~多大点事哈哈，您确定是我们发错的吗？给个好评吧"}, ensure_ascii=False)
    out = subprocess.run([sys.executable, "-m", "simulator", "score"], input=line, capture_output=True, text=True,
                         cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, check=True, timeout=120)
    record = json.loads(out.stdout)
    assert record["breezy"] and record["brush_off"] and record["doubts_customer"] and record["asks_review"]
    assert record["offers_choice"] is False and record["address"] == "mixed"
    assert {"insult", "contradict"} <= set(record["violations"])
