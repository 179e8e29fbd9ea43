"""The grading rubric (scoring/data/rubric.yaml, validated here) and its Chinese rendering (`kefu rubric`).

One source of truth: scoring.session reads every weight, threshold and cap from here, and
render_rubric() prints the same numbers. The arithmetic of a Scorecard is:

    dimension score = sum of that dimension's items                  (each 0-100)
    base            = round(sum(weight * dimension score) / 100)     (weights sum to 100)
    deductions      = min(sum of rule-capped deduction points, DEDUCTION_CAP, DEDUCTION_SHARE% of base)
    total           = max(0, base - deductions)                      (0-100)

and the deduction items sum to -deductions (items past a cap are kept, with 0 points, so the
trainee still sees every mistake).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scoring.models import DIMENSIONS

RUBRIC_FILE = Path(__file__).with_name("data") / "rubric.yaml"
Category = Literal["product", "service", "logistics", "buyer"]


class RubricError(ValueError):
    """The rubric file is malformed (the message names the file and the field)."""


class RuleSpec(BaseModel):
    """One rubric rule as written in scoring/data/rubric.yaml."""

    model_config = ConfigDict(extra="forbid")

    id: str
    dimension: Literal["apology", "empathy", "question", "solution", "deduction"]
    title: str
    points: int = Field(ge=0)
    weak_points: int | None = Field(default=None, ge=0)
    alternative_to: str | None = None
    cap: int | None = Field(default=None, ge=0)
    seed: str
    what: str
    tip: str
    better: str
    better_source: str = ""


class RubricSpec(BaseModel):
    """The whole rubric file: weights, thresholds, caps, rules and the phrasebook by category."""

    model_config = ConfigDict(extra="forbid")

    dimension_names: dict[str, str]
    weights: dict[Literal["apology", "empathy", "question", "solution"], int]
    early_replies: int = Field(ge=1)
    closing_replies: int = Field(ge=1)
    min_reply_ratio: float = Field(ge=0)
    quick_reply_limit: int = Field(ge=0)
    deduction_cap: int = Field(ge=0, le=100)
    deduction_share: int = Field(default=100, ge=0, le=100)
    closing_sentences: list[str] = Field(min_length=3, max_length=3)
    rules: list[RuleSpec]
    phrasebook: dict[Category, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> "RubricSpec":
        if sum(self.weights.values()) != 100 or set(self.weights) != set(DIMENSIONS):
            raise ValueError("weights: the four dimensions' weights must sum to 100")
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rules: every rule id must be unique")
        for r in self.rules:
            if r.alternative_to and r.alternative_to not in ids:
                raise ValueError(f"rules: {r.id}: alternative_to {r.alternative_to!r} is no rule")
        for category, phrases in self.phrasebook.items():
            unknown = set(phrases) - set(ids)
            if unknown:
                raise ValueError(f"phrasebook.{category}: unknown rule ids {sorted(unknown)}")
        return self


@lru_cache(maxsize=1)
def load_rubric(path: Path = RUBRIC_FILE) -> RubricSpec:
    """The rubric file, validated (cached: it is read once per process)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return RubricSpec.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise RubricError(f"{path}: 评分标准文件无法读取：{exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise RubricError(f"{path}: {where}: {err['msg']}") from None


_SPEC = load_rubric()

DIMENSION_NAMES: dict[str, str] = dict(_SPEC.dimension_names)
# Weight of each dimension in the total, in percent (sum 100). Solving the problem weighs most (000).
DIMENSION_WEIGHTS: dict[str, int] = dict(_SPEC.weights)
EARLY_REPLIES = _SPEC.early_replies  # "early" = within the first replies (001 平息怨气)
CLOSING_REPLIES = _SPEC.closing_replies  # "closing" = within the last replies (001 感谢客户)
MIN_REPLY_RATIO = _SPEC.min_reply_ratio  # 003 禁区4: 答问比 at least 110%
QUICK_REPLY_LIMIT = _SPEC.quick_reply_limit  # 003 禁区6: no more than 3(-5) quick replies in one chat
DEDUCTION_CAP = _SPEC.deduction_cap  # the most all deductions together take off the total
DEDUCTION_SHARE = _SPEC.deduction_share  # ... and at most this share (%) of the weighted dimension score
CLOSING_SENTENCES: tuple[str, ...] = tuple(_SPEC.closing_sentences)


@dataclass(frozen=True)
class Rule:
    """One rubric rule: how many points it gives (or takes), why, and what to say instead."""

    id: str
    dimension: str  # one of DIMENSIONS, or "deduction"
    title: str  # short Chinese name
    points: int  # full credit (dimension rules) or points off per occurrence (deduction rules)
    seed: str  # the seed passage the rule comes from
    what: str  # Chinese: what earns (or loses) the points; {points}, {weak}, {cap} are filled in
    tip: str  # Chinese: the advice given when the points are missed
    weak_points: int | None = None  # credit for a weak (level 1) or partial hit
    alternative_to: str | None = None  # a reduced form of another rule (late instead of early)
    cap: int | None = None  # deduction rules: the most this rule takes off in one session
    better: str = ""  # the default better phrasing (see better_phrasing for the case's own)
    better_source: str = ""

    @property
    def description(self) -> str:
        """`what` with this rule's numbers filled in."""
        return self.what.format(points=self.points, weak=self.weak_points, cap=self.cap,
                                ratio=int(MIN_REPLY_RATIO * 100), limit=QUICK_REPLY_LIMIT)


RULES: tuple[Rule, ...] = tuple(
    Rule(r.id, r.dimension, r.title, r.points, r.seed, r.what,
         r.tip.format(ratio=int(MIN_REPLY_RATIO * 100), limit=QUICK_REPLY_LIMIT), r.weak_points, r.alternative_to,
         r.cap, r.better, r.better_source)
    for r in _SPEC.rules
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

# The deduction rule of each violation code (scoring.models.ViolationCode).
VIOLATION_RULES: dict[str, str] = {
    "insult": "violation.insult",
    "refusal": "violation.refusal",
    "excuse": "violation.excuse",
    "contradict": "violation.contradict",
    "overpromise": "violation.overpromise",
    "stall": "violation.stall",
}


def better_phrasing(rule_id: str, category: str | None = None, case: dict[str, str] | None = None) -> str:
    """The better phrasing for a rule: the case's own (scenario `better:`), else the phrasebook's for the
    case's category, else the rule's default. A hotel case never gets a wig sentence."""
    if case and case.get(rule_id):
        return case[rule_id]
    if category and rule_id in _SPEC.phrasebook.get(category, {}):
        return _SPEC.phrasebook[category][rule_id]
    return RULES_BY_ID[rule_id].better


def rule(rule_id: str) -> Rule:
    """The rule with this id (KeyError if unknown)."""
    return RULES_BY_ID[rule_id]


def dimension_rules(dimension: str) -> list[Rule]:
    """Rules of one dimension (or 'deduction'), in rubric order."""
    return [r for r in RULES if r.dimension == dimension]


def dimension_max(dimension: str) -> int:
    """Full marks of a dimension: its rules' points, reduced forms (alternatives) not counted."""
    return sum(r.points for r in dimension_rules(dimension) if r.alternative_to is None)


def render_rubric() -> str:
    """The rubric in Chinese, with rule ids, for trainees (`kefu rubric`, the TUI preview)."""
    weights = "，".join(f"{DIMENSION_NAMES[d]}{DIMENSION_WEIGHTS[d]}%" for d in DIMENSIONS)
    lines = [
        "评分标准",
        "========",
        "",
        "每场对话按四个维度各打0-100分：道歉、共情、提问、方案。",
        f"总分 = 四个维度的加权平均（{weights}），再减去扣分（最多扣{DEDUCTION_CAP}分，且不超过加权得分的{DEDUCTION_SHARE}%）；总分最低0分、最高100分。",
        "每一分的得失都会列出规则编号、你自己的原话和更好的说法。",
        "",
    ]
    for dim in (*DIMENSIONS, "deduction"):
        if dim == "deduction":
            lines.append(f"【扣分】（从总分中扣除，最多扣{DEDUCTION_CAP}分，且不超过加权得分的{DEDUCTION_SHARE}%）")
        else:
            lines.append(f"【{DIMENSION_NAMES[dim]}】满分{dimension_max(dim)}，占总分{DIMENSION_WEIGHTS[dim]}%")
        for r in dimension_rules(dim):
            if dim == "deduction":
                head = f"  [{r.id}] {r.title}（-{r.points}）"
            elif r.alternative_to:
                head = f"  [{r.id}] {r.title}（代替 {r.alternative_to}，最多{r.points}分）"
            else:
                head = f"  [{r.id}] {r.title}（{r.points}分）"
            lines.append(head)
            lines.append(f"      {r.description}。")
            lines.append(f"      依据：{r.seed}")
            lines.append(f"      参考说法：“{r.better}”")
        lines.append("")
    lines += [
        "结束对话时用三句话（001 感谢客户）：",
        "  “真抱歉，给您添麻烦了。您对我们的产品这么信任，欢迎您再次惠顾。"
        "我们会不断提高产品和服务质量，希望您多提宝贵意见。”",
    ]
    return "\n".join(lines) + "\n"
