"""The rubric as data (scoring.rubric) and its Chinese text: one source of truth with the grader."""

from __future__ import annotations

import dataclasses
import re

from scoring import grade_session
from scoring.models import DIMENSIONS, ReplyAnalysis, SessionRecord, TurnRecord, ViolationCode
from scoring.phrasebook import CLOSING, PHRASES
from scoring.rubric import (
    DEDUCTION_CAP,
    DIMENSION_WEIGHTS,
    RULES,
    RULES_BY_ID,
    VIOLATION_RULES,
    dimension_max,
    render_rubric,
)


def test_every_dimension_is_worth_100_and_weights_sum_to_100():
    """Each dimension is scored 0-100 (reduced 'late' forms do not add), weights are percentages."""
    assert all(dimension_max(d) == 100 for d in DIMENSIONS)
    assert set(DIMENSION_WEIGHTS) == set(DIMENSIONS) and sum(DIMENSION_WEIGHTS.values()) == 100


def test_rules_are_complete():
    """Unique ids, a seed reference, a Chinese explanation, a tip and a better phrasing for each rule."""
    assert len(RULES_BY_ID) == len(RULES)
    for r in RULES:
        assert r.dimension in (*DIMENSIONS, "deduction")
        assert r.seed[:3] in {"000", "001", "002", "003", "004"}, r
        assert re.search(r"[\u4e00-\u9fff]", r.what + r.tip + r.title), r
        assert r.better, r
        assert r.points > 0
        if r.weak_points is not None:
            assert 0 < r.weak_points < r.points
        if r.alternative_to is not None:
            main = RULES_BY_ID[r.alternative_to]
            assert main.dimension == r.dimension and r.points < main.points
        if r.dimension == "deduction":
            assert r.cap is not None and r.cap >= r.points
    assert {c.value for c in ViolationCode} == set(VIOLATION_RULES)
    assert set(VIOLATION_RULES.values()) <= set(RULES_BY_ID)


def test_phrasebook_is_keyed_by_rule():
    """Every rule has a model sentence and no phrase is orphaned; 001 感谢客户's three closing sentences are used."""
    assert set(PHRASES) == set(RULES_BY_ID)
    assert RULES_BY_ID["apology.early"].better == "很抱歉，这件事我们处理得不够周全，给您添麻烦了。"  # 001 平息怨气
    assert RULES_BY_ID["violation.refusal"].better.startswith("很抱歉，因为职权所限")  # 001 礼貌的重复
    assert [RULES_BY_ID[i].better for i in ("apology.closing", "empathy.thanks", "solution.follow_up")] == list(CLOSING)


def test_rendered_rubric_lists_every_rule_with_its_points():
    """`kefu rubric`: Chinese text with each rule id, its points, its seed and a model sentence."""
    text = render_rubric()
    assert text.startswith("评分标准")
    for r in RULES:
        assert f"[{r.id}]" in text
        assert r.seed in text and r.better in text
    for d, w in DIMENSION_WEIGHTS.items():
        assert f"{w}%" in text
    assert f"最多扣{DEDUCTION_CAP}分" in text
    assert "（65分）" in text and "（-20）" in text  # apology.early, violation.insult


def _one_reply(apology: int) -> SessionRecord:
    a = ReplyAnalysis(text="很抱歉，给您添麻烦了。", apology=apology, empathy=0, question=0, solution=0, length=11)
    return SessionRecord(scenario_id="x", outcome="resolved", turns=[
        TurnRecord(index=0, customer_message="搞什么？", reply=a.text, seconds=5, analysis=a)])


def test_grader_reads_points_from_the_rubric(monkeypatch):
    """One source of truth: changing a rule's points in the rubric data changes the grade."""
    before = grade_session(_one_reply(2))
    r = RULES_BY_ID["apology.early"]
    monkeypatch.setitem(RULES_BY_ID, "apology.early", dataclasses.replace(r, points=r.points - 10))
    after = grade_session(_one_reply(2))
    assert after.apology == before.apology - 10


def test_grader_reads_weights_from_the_rubric(monkeypatch):
    """The total is the weighted dimensions from DIMENSION_WEIGHTS (all weight on apology here)."""
    card = grade_session(_one_reply(2))
    for d in DIMENSIONS:
        monkeypatch.setitem(DIMENSION_WEIGHTS, d, 100 if d == "apology" else 0)
    assert grade_session(_one_reply(2)).total == card.apology


def test_rendered_numbers_come_from_the_data(monkeypatch):
    """The text trainees read states the same points the grader uses."""
    r = RULES_BY_ID["violation.insult"]
    monkeypatch.setattr("scoring.rubric.RULES", tuple(dataclasses.replace(x, points=21, cap=42) if x is r else x
                                                      for x in RULES))
    text = render_rubric()
    assert "[violation.insult] 人身攻击（-21）" in text and "扣21分（最多扣42分）" in text
