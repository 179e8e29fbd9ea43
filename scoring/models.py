"""Typed results of the scorer: one reply's analysis and one session's scorecard.

These models are the contract between the scorer and its clients (engine, TUI, CLI).
They carry no behaviour beyond small derived properties.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Callable, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

_Model = TypeVar("_Model", bound=BaseModel)


def builder(model: type[_Model]) -> Callable[[dict[str, Any]], _Model]:
    """`model` built from a dict of its fields: the same validation, errors and instance as
    `model(**fields)`, through the model's own validator (pydantic's `__pydantic_validator__`) without
    BaseModel.__init__'s Python frame and keyword packing: ~0.3-0.4 us of a small model's ~0.7-1.4 us,
    and the analyzer builds ~120,000 of them over 7,841 replies (issue 18 §4)."""
    return model.__pydantic_validator__.validate_python


class RemedyKind(str, Enum):
    """A kind of concrete remedy a trainee can offer (seeds 000, 001, 004)."""

    refund = "refund"  # 退款 (full or partial, amount when said)
    exchange = "exchange"  # 换货
    reship = "reship"  # 补发 / 重新发出
    compensation = "compensation"  # 赔偿 / 补偿 in money
    voucher = "voucher"  # 代金券 / 优惠券 / 红包
    shipping_cost = "shipping_cost"  # 运费由我们承担
    contact_courier = "contact_courier"  # 联系快递 / 仓库 / 物流 to investigate
    escalate = "escalate"  # 反映给主管 / 上级 / 经理
    follow_up = "follow_up"  # 跟进 / 回访 / 给您回复
    instructions = "instructions"  # 您可以试试... (steps to try)
    repair = "repair"  # 维修 / 上门 / 检测


class ViolationCode(str, Enum):
    """What must never be said (seeds 001 四, 003, 000)."""

    insult = "insult"
    refusal = "refusal"
    excuse = "excuse"
    contradict = "contradict"
    overpromise = "overpromise"
    stall = "stall"


DIMENSIONS: tuple[str, ...] = ("apology", "empathy", "question", "solution")


class Span(BaseModel):
    """A piece of the trainee's own text, as typed (original script), with offsets into it."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(description="The quoted words, exactly as the trainee wrote them.")
    start: int = Field(description="Offset of the first character in the analysed text.")
    end: int = Field(description="Offset one past the last character.")


class Evidence(BaseModel):
    """Why a level, remedy, topic or violation was given: the rule and the matched words."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(
        description="'apology', 'empathy', 'question', 'solution', 'topic', or a violation code."
    )
    rule: str = Field(description="Name of the lexicon entry or rule that matched.")
    span: Span


class Remedy(BaseModel):
    """One remedy offered in a reply, with its amount and time frame when stated."""

    model_config = ConfigDict(frozen=True)

    kind: RemedyKind
    amount_yuan: float | None = Field(default=None, description="Money amount in yuan, if stated.")
    percent: float | None = Field(default=None, description="Percentage (e.g. 退50%), if stated.")
    full: bool = Field(default=False, description="A full refund / full compensation (全额, 全部).")
    time_frame: str | None = Field(default=None, description="The time frame as written, e.g. '24小时内'.")
    hours: float | None = Field(default=None, description="The time frame in hours, when it can be computed.")
    to_whom: str | None = Field(
        default=None, description="For a hand-off (escalate): who takes the case over (主管, 经理, 质检部门)."
    )
    weak: bool = Field(
        default=False, description="A vague action with no who and no when (我这边反馈一下, 帮您看看): earns little."
    )
    span: Span


class Slot(BaseModel):
    """What one remedy or promise clause offers (issue 17 §1; scoring/slots.py, forms in data/slots.yaml)."""

    model_config = ConfigDict(frozen=True)

    kind: RemedyKind
    object: str | None = Field(default=None, description="What is sent, exchanged or repaired, as written.")
    attributes: list[str] = Field(default_factory=list, description="Colour, size, model named with it (深棕色).")
    amount_yuan: float | None = Field(default=None, description="Money in yuan, in any order and form (三千块, 3k).")
    percent: float | None = Field(default=None, description="A share (一半 = 50).")
    full: bool = Field(default=False, description="全额 / 全款.")
    time_text: str | None = Field(default=None, description="The time as written (下下周一, 24小时内).")
    due: str | None = Field(
        default=None, description="The time resolved against the case's calendar, ISO 'YYYY-MM-DDTHH:MM'.")
    estimate: bool = Field(default=False, description="The time is an estimate (大概, 左右, 预计).")
    arrival: bool = Field(default=False, description="The time is when it arrives (能到, 送到), not when it ships.")
    actor: Literal["shop", "customer", "courier", "colleague"] = "shop"
    modality: Literal["offered", "negated", "conditional", "past", "quoted", "echo", "asked", "none"] = Field(
        default="offered",
        description="offered; negated (不是换新机); conditional (如果确认丢件…); past; quoted; echo (the customer's "
        "own words said back); asked; none (not a remedy at all, e.g. 上门取件 read as repair).")
    span: Span = Field(description="The clause, as the trainee wrote it.")

    @property
    def offered(self) -> bool:
        """Really offered: not negated, conditional, past, quoted, echoed or asked."""
        return self.modality == "offered"


class Claim(BaseModel):
    """A fact of the case the reply states outside its offers (issue 17 §3): the customer corrects a wrong one."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["order_money", "bought", "date", "charge", "request", "arrival"] = Field(
        description="order_money: what the order cost (实付199元); bought: what the customer bought (您买的是浅棕色); "
                    "date: when something of the case happened (您是11月16日入住的); charge: a cost put on the customer "
                    "(寄回运费由您支付 -> 运费); request: a sentence, in a reply that offers something, asking the customer "
                    "for something first (请先将故障内存条寄回检测中心); arrival: when goods offered before arrive, said in a "
                    "reply that offers nothing itself (预计下周二，就是12月1号前后能到您手上).")
    said: str = Field(description="The stated value, as written.")
    amount_yuan: float | None = None
    about: str | None = Field(default=None, description="date: the event the date is of (入住, 收到, 生日).")
    due: str | None = Field(default=None, description="arrival: the point in time, on the case's calendar (ISO).")
    span: Span


class Violation(BaseModel):
    """A forbidden move found in the reply."""

    model_config = ConfigDict(frozen=True)

    code: ViolationCode
    rule: str = Field(description="Lexicon entry or rule that matched.")
    span: Span


class ActKind(str, Enum):
    """What one clause of a reply does (docs/scoring.md §10)."""

    apology = "apology"
    empathy = "empathy"
    question = "question"
    offer = "offer"  # the shop commits to a remedy or an action
    refusal = "refusal"
    limit = "limit"  # a stated limit of the trainee's authority (超出了我的权限)
    handoff = "handoff"  # the case goes to a named person or team (主管, 2天内答复)
    explanation = "explanation"  # a cause explained
    request = "request"  # the customer is asked for something (photo, order number)
    instructions = "instructions"  # the customer is told what they can do
    thanks = "thanks"
    close = "close"  # commitment to improve / follow up (001 感谢客户)
    violation = "violation"
    none = "none"  # filler, greeting, self-introduction


class Act(BaseModel):
    """One clause of a reply and what it does: who acts, on what, when, and what changes its meaning."""

    model_config = ConfigDict(frozen=True)

    kind: ActKind
    actor: Literal["shop", "customer", "other"] = Field(
        default="shop", description="Who acts: the shop (trainee), the customer, or someone else (colleague, page)."
    )
    span: Span = Field(description="The clause, as the trainee wrote it.")
    remedy: RemedyKind | None = Field(default=None, description="For offers and limits: the remedy concerned.")
    question_kind: Literal["open", "closed", "rhetorical"] | None = None
    violation: ViolationCode | None = None
    to_whom: str | None = Field(default=None, description="For a hand-off: who takes it over.")
    time_frame: str | None = None
    hours: float | None = None
    amount_yuan: float | None = None
    negated: bool = False
    past: bool = Field(default=False, description="Told as something that already happened (上周已经补发过).")
    conditional: bool = Field(default=False, description="Inside a condition (如果…就…).")
    quoted: bool = Field(default=False, description="Someone else's words reported (您说 / 同事说 / 页面上写).")
    weak: bool = Field(default=False, description="A vague action with no who and no when.")


class Handoff(BaseModel):
    """The case handed to a named person or team, with a time for the answer when one is given (001 四.4)."""

    model_config = ConfigDict(frozen=True)

    to_whom: str
    time_frame: str | None = None
    hours: float | None = None
    span: Span


class ReplyAnalysis(BaseModel):
    """The scorer's reading of one trainee reply. Levels: 0 none, 1 weak, 2 strong."""

    text: str = Field(description="The reply as given (possibly truncated, see `truncated`).")
    apology: int = Field(ge=0, le=2)
    empathy: int = Field(ge=0, le=2)
    question: int = Field(ge=0, le=2)
    question_kind: Literal["open", "closed"] | None = Field(
        default=None, description="Kind of the (strongest) question asked, if any."
    )
    solution: int = Field(ge=0, le=2)
    remedies: list[Remedy] = Field(default_factory=list)
    violations: list[Violation] = Field(default_factory=list)
    asks_preference: bool = Field(
        default=False, description="Offers a choice or asks what the customer prefers (001 协商解决)."
    )
    thanks: bool = Field(default=False, description="Thanks the customer (001 感谢客户).")
    invites_story: bool = Field(
        default=False, description="Invites the customer to say it all (您先说，我听着; 001 平息怨气)."
    )
    commitment: bool = Field(
        default=False, description="Commits to improvement or to follow up (001 感谢客户 third sentence)."
    )
    issue_topics: list[str] = Field(
        default_factory=list, description="Ids of the context's issue topics the reply talks about."
    )
    fact_topics: list[str] = Field(
        default_factory=list, description="Ids of the context's fact topics the reply asks or talks about."
    )
    repeats_turn: int | None = Field(
        default=None,
        description="Index (0-based) of an earlier trainee reply in the context this one (nearly) repeats.",
    )
    acts: list[Act] = Field(default_factory=list, description="Each clause and what it does, in order.")
    not_a_reply: Literal["stuffing"] | None = Field(
        default=None, description="Why the reply earns nothing: 'stuffing' = cue words with no sentence structure."
    )
    not_a_reply_reason: str = Field(default="", description="The same, in Chinese, for the scorecard and coaching.")
    limit_stated: bool = Field(
        default=False, description="States a limit of the trainee's authority politely (超出了我的权限; 001 四.4)."
    )
    handoff: Handoff | None = Field(default=None, description="A hand-off to a named person or team.")
    names_case: bool | None = Field(
        default=None,
        description="Talks about something of this case (an issue, a fact, the product); None without case context.",
    )
    slots: list[Slot] = Field(
        default_factory=list, description="What each remedy clause offers: kind, object, amount, time, actor, modality.")
    claims: list[Claim] = Field(
        default_factory=list, description="Facts of the case the reply states outside its offers (order money, what was bought).")
    asked_fact_topics: list[str] = Field(
        default_factory=list, description="Ids of the context's fact topics a question of the reply asks about.")
    names_options: bool = Field(
        default=False, description="Names options for the customer to pick (退款还是换货 / 哪种).")
    offers_alternatives: bool = Field(
        default=False, description="Puts options side by side (还是 / 或者 / 也可以 / 如果您想…): a choice, not a grant.")
    confirms: list[str] = Field(
        default_factory=list, description="Closed confirming sentences (…对吗?), normalised: what is stated back to confirm.")
    invites_account: bool = Field(
        default=False, description="Asks the customer to tell what happened (具体说说 / 怎么回事).")
    owns_fault: bool = Field(
        default=False, description="Owns the fault (是我们仓库发错了, 责任在我们, 是我们同事推荐错了): an apology by the guide, "
        "and what a complaint about the service itself asks for."
    )
    breezy: bool = Field(
        default=False, description="A breezy tone (哈哈, 么么哒, 亲~, 呢~): on a complaint it does not take it seriously."
    )
    brush_off: bool = Field(
        default=False, description="Makes the complaint small (多大点事, 您别激动, 这很正常); a violation unless softened."
    )
    doubts_customer: bool = Field(
        default=False, description="Doubts the customer or puts the fault on them (您确定…吗, 是不是您自己…): contradict."
    )
    asks_review: bool = Field(
        default=False, description="Asks for a review or rating (五星好评): neither a question nor a solution."
    )
    offers_choice: bool = Field(
        default=False, description="Offers the customer a choice (您选一个吧, 您看这样好不好, 看您方便): a question."
    )
    address: Literal["respectful", "casual", "mixed"] | None = Field(
        default=None, description="How the customer is addressed: 您/先生/女士 (respectful), 亲/你 (casual), both, or neither."
    )
    length: int = Field(description="Length in characters, ignoring whitespace.")
    truncated: bool = Field(default=False, description="Only a bounded prefix of a very long reply was graded.")
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def violation_codes(self) -> list[str]:
        """Distinct violation codes in order of first appearance."""
        seen: list[str] = []
        for v in self.violations:
            if v.code.value not in seen:
                seen.append(v.code.value)
        return seen

    def remedy_kinds(self) -> set[RemedyKind]:
        """The kinds of remedy offered."""
        return {r.kind for r in self.remedies}


class Topic(BaseModel):
    """A scenario topic (an issue or a fact) recognised by its keywords."""

    model_config = ConfigDict(frozen=True)

    id: str
    keywords: list[str] = Field(description="Words or phrases that show a reply is about this topic.")
    summary: str = Field(default="", description="How the scorecard names it (the case's short Chinese summary).")
    resolved_by: list[str] = Field(default_factory=list, description="For an issue: the remedy kinds that settle it "
                                   "(the case's `resolved_by`); `apology` marks a complaint about the service itself.")


class AnalysisContext(BaseModel):
    """What the scorer may know besides the reply itself. Every field is optional."""

    customer_message: str = Field(default="", description="The customer's last message.")
    issue_topics: list[Topic] = Field(default_factory=list)
    fact_topics: list[Topic] = Field(default_factory=list)
    previous_replies: list[str] = Field(
        default_factory=list, description="The trainee's earlier replies in this conversation, oldest first."
    )
    calendar: str | None = Field(
        default=None, description="The story's now, ISO 'YYYY-MM-DDTHH:MM': relative times in slots resolve to it.")
    case_terms: list[str] = Field(
        default_factory=list,
        description="Words that name this case besides its topics (the product, the place): a reply naming none "
        "of them nor any topic is about nothing in the case.",
    )


# ---- session grading --------------------------------------------------------------------------


class MisfitNote(BaseModel):
    """An offer that does not fit the case (issue 17 §4), as the engine judged it."""

    why: Literal["too_late", "wrong_item", "incomplete", "conditional", "customer_pays", "too_little", "impossible"]
    reason: str = Field(description="Why, in Chinese (补发预计下下周一到，赶不上…).")
    quote: str = Field(description="The reply's words.")
    key: str | None = Field(default=None, description="The misfit as the customer remembers it (wrong_item, "
                            "wrong_item_money, too_late…): a later reply that settles this key puts it right.")


class TurnRecord(BaseModel):
    """One trainee reply in a finished (or abandoned) conversation, as the grader sees it."""

    index: int = Field(description="0-based number of the trainee reply.")
    customer_message: str = Field(description="What the customer had said just before (joined).")
    reply: str
    seconds: float = Field(description="How long the trainee took to answer.")
    analysis: ReplyAnalysis
    quick_reply: bool = Field(default=False, description="Inserted from the quick-reply palette.")
    customer_upset: bool = Field(default=True, description="The customer was still upset before this reply.")
    policy_breaches: list[str] = Field(
        default_factory=list, description="Human-readable policy breaches of this reply (from the engine)."
    )
    addressed_issues: list[str] | None = Field(
        default=None,
        description="Issue ids the engine counted as addressed by this reply; when set, the grader uses it "
        "so that the scorecard and the customer agree (None: decided from the reply's topics).",
    )
    misfits: list[MisfitNote] = Field(
        default_factory=list, description="Offers of this reply that do not fit the case (too late, wrong item, "
        "conditional): no solution credit for them, an item that says why.")
    settles_misfits: list[str] = Field(
        default_factory=list, description="Misfit keys an earlier reply left open that this reply's fitting offer "
        "puts right, as the customer judged it (the scorecard keeps a misfit open until one does).")


class SessionRecord(BaseModel):
    """A whole conversation for grading; built by the engine, free of engine types."""

    scenario_id: str
    issues: list[Topic] = Field(default_factory=list, description="The issues that must be addressed.")
    response_limit_seconds: float = 30.0
    outcome: Literal["resolved", "escalated", "abandoned", "unfinished"] = "unfinished"
    turns: list[TurnRecord] = Field(default_factory=list)
    category: str | None = Field(default=None, description="The case's category, for the phrasebook.")
    better: dict[str, str] = Field(
        default_factory=dict, description="The case's own better phrasings by rubric rule id.")


class ScoreItem(BaseModel):
    """One point gained or lost, explained with the trainee's own words."""

    dimension: str = Field(description="'apology', 'empathy', 'question', 'solution' or 'deduction'.")
    points: int = Field(description="Positive for credit, negative for a deduction.")
    turn: int | None = Field(default=None, description="0-based trainee reply, or None for session-wide items.")
    rule: str = Field(description="Rubric rule id.")
    reason: str = Field(description="Chinese explanation for the trainee.")
    quote: str = Field(default="", description="The trainee's words this item is about.")
    better: str = Field(default="", description="A better phrasing from the seeds' model sentences.")


class Scorecard(BaseModel):
    """A session's grade: four dimensions and a total, each 0-100, every point explained."""

    apology: int = Field(ge=0, le=100)
    empathy: int = Field(ge=0, le=100)
    question: int = Field(ge=0, le=100)
    solution: int = Field(ge=0, le=100)
    deductions: int = Field(ge=0, description="Points taken off the total.")
    total: int = Field(ge=0, le=100)
    items: list[ScoreItem] = Field(default_factory=list)
    tips: list[str] = Field(default_factory=list, description="Three concrete tips, most valuable first.")
    unanswered_issues: list[str] = Field(default_factory=list)
    slow_turns: list[int] = Field(default_factory=list, description="Replies slower than the limit.")
    reply_ratio: float = Field(default=0.0, description="Trainee characters / customer characters.")
