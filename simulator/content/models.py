"""Typed models of the content a trainer writes: personas and scenarios (YAML).

Every field has a description: it becomes the hover text in a trainer's editor through the
generated JSON Schema (`simulator/content/schemas/*.json`, `kefu schema`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from scoring.models import RemedyKind

Outcome = Literal["resolved", "escalated", "abandoned", "unfinished"]
OUTCOMES: tuple[str, ...] = ("resolved", "escalated", "abandoned", "unfinished")


def _as_text(value):
    """A YAML date (2026-11-27, unquoted) is read as the text a trainer wrote."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _clock_text(value):
    """YAML 1.1 reads an unquoted 10:00 as the number 600 (base 60): back to '10:00'."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


Moment = Annotated[str, BeforeValidator(_as_text)]  # 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'


class _Strict(BaseModel):
    """Unknown keys are errors, so typos in content are caught by lint."""

    model_config = ConfigDict(extra="forbid")


class PersonaType(str, Enum):
    """The four customer types of the seeds (001 三 causes of complaints; 002 故意找麻烦)."""

    disappointed = "disappointed"  # 失望
    venting = "venting"  # 发泄
    stubborn = "stubborn"  # 固执
    extortion = "extortion"  # 故意刁难 / 故意找麻烦


class MoodEffects(_Strict):
    """How much each kind of trainee move changes the mood (0 calm … 100 furious). Negative calms."""

    apology: int = Field(default=-8, description="A sincere apology (counted once strongly, then less).")
    empathy: int = Field(default=-8, description="Acknowledging the customer's feelings.")
    question: int = Field(default=-3, description="A real clarifying question.")
    solution: int = Field(default=-10, description="A concrete remedy the customer accepts or weighs.")
    accepted_remedy: int = Field(default=-15, description="A remedy from the customer's wish list.")
    refused_remedy: int = Field(default=8, description="A remedy the customer refuses.")
    violation: int = Field(default=25, description="Each forbidden move: insult, excuse, refusal, …")
    slow_reply: int = Field(default=8, description="A reply slower than the scenario's limit (003 禁区1).")
    canned_reply: int = Field(default=12, description="The same or nearly the same reply again (003 禁区6).")
    short_reply: int = Field(default=4, description="A reply shorter than the customer's message (003 禁区4).")
    repeated_apology: int = Field(default=3, description="Apologising again without any action.")
    ignored_issue: int = Field(default=6, description="An issue raised and left unanswered (000).")
    premature_solution: int = Field(
        default=10, description="A solution offered before a venting customer has been heard (001 平息怨气)."
    )
    concession: int = Field(
        default=-5, description="An offer beyond policy (extortion-minded customers then raise the demand)."
    )
    breezy: int = Field(
        default=0, description="A breezy, joking tone (哈哈, 么么哒; reader act `breezy`): 0 changes nothing.")
    brush_off: int = Field(
        default=0, description="A one-line brush-off (多大点事, 您别激动; reader act `brush_off`).")
    doubt: int = Field(
        default=0, description="Doubting the customer (您确定没穿过吗？; reader act `doubts_customer`).")
    review_request: int = Field(
        default=0, description="Asking for a good review (五星好评; reader act `asks_review`).")
    casual_address: int = Field(
        default=0, description="Calling the customer 亲/你/宝宝 and never 您 (reader act `address`).")
    respectful_address: int = Field(
        default=0, description="Calling the customer 您/先生/女士 (reader act `address`).")
    close: int = Field(
        default=-6,
        description="A proper close (001 感谢客户: two of thanks, sorry again and a commitment) once the customer "
        "has agreed: the last step settles them.",
    )


class WearOut(_Strict):
    """When repeated moves stop helping (apologies wear out, short replies annoy)."""

    hollow_after_apologies: int = Field(
        default=2, ge=0,
        description="After this many apologies, one more apology with nothing else (no empathy, question, "
        "remedy, thanks) is hollow: it no longer calms and may annoy.",
    )
    short_reply_chars: int = Field(
        default=20, ge=0,
        description="A reply under this many characters and less than half the customer's message is short.",
    )


class Mood(_Strict):
    """Mood dynamics of a persona."""

    start: int = Field(ge=0, le=100, description="Mood when the conversation opens, 0-100.")
    calm: int = Field(default=45, ge=0, le=100, description="At or below this the customer is calm enough to listen.")
    escalate: int = Field(
        default=95, ge=0, le=100, description="At or above this the customer escalates (complaint, bad review)."
    )
    effects: MoodEffects = Field(default_factory=MoodEffects)
    label: str = Field(
        default="怒气",
        description="The meter's name in the chat (怒气 for an angry customer, 不安 for an anxious first-timer).",
    )
    wear_out: WearOut = Field(default_factory=WearOut)


class Patience(_Strict):
    """How long and how many replies the customer will put up with."""

    seconds: float = Field(
        default=120, gt=0, le=86400,
        description="Longest wait for a reply before the customer leaves (at most 86400, i.e. 24 hours).",
    )
    turns: int = Field(default=12, gt=0, description="Most trainee replies before the customer gives up.")
    warnings: int = Field(
        default=0, ge=0, le=5,
        description="Furious replies that only bring a warning before `lost_patience` holds (0: at once).")


class StateSpec(_Strict):
    """A state of the customer's machine."""

    name: str = Field(description="State id, e.g. 'venting', 'listening', 'resolved'.")
    label: str = Field(default="", description="Chinese label shown to the trainee, e.g. '情绪激动'.")
    outcome: Outcome | None = Field(default=None, description="Set on final states: how the session ends.")


class TransitionSpec(_Strict):
    """A transition; mirrors `transitions.Machine` transition dicts."""

    trigger: str = Field(description="Event name: 'reply' (each trainee reply) or 'timeout' (past patience).")
    source: str | list[str] = Field(description="Source state(s); '*' for any non-final state.")
    dest: str = Field(description="Destination state.")
    conditions: list[str] = Field(default_factory=list, description="Named predicates that must all hold.")
    unless: list[str] = Field(default_factory=list, description="Named predicates that must all be false.")


class MachineSpec(_Strict):
    """The customer's state machine; mirrors `transitions.Machine(states=, transitions=, initial=)`."""

    states: list[StateSpec]
    transitions: list[TransitionSpec]
    initial: str


class Cue(_Strict):
    """A phrase this customer reacts to (issue 21 §1): plain keywords, a mood change, lines to answer."""

    name: str = Field(description="Short id, e.g. 'breezy'; a machine condition names it as `cue:breezy`.")
    keywords: list[str] = Field(
        min_length=1, description="Plain words in a trainee reply (simplified or traditional alike), e.g. 亲~, 哈哈.")
    mood: int = Field(default=0, ge=-100, le=100, description="Mood change when the reply has one of the keywords.")
    lines: list[str] = Field(default_factory=list, description="What the customer answers to it (one is chosen).")
    pool: str = Field(
        default="", description="Or: the line pool to answer from (a state or event pool of `lines`).")


def _version_text(value):
    # `kefu_version: 0.2` is read by YAML as a number; the version is text.
    return str(value) if isinstance(value, (int, float)) else value


class Persona(_Strict):
    """A customer type: state machine, mood dynamics, patience and line pools (`personas/<id>.yaml`)."""

    id: str = Field(description="Unique id; scenarios refer to it.")
    name: str = Field(description="Chinese name, e.g. '发泄型客户'.")
    type: str = Field(
        description="Customer type: disappointed, venting, stubborn, extortion, or any type a trainer adds."
    )
    description: str = Field(default="", description="What this customer is like, for trainers.")
    holds_out: Literal["never", "reluctant", "always"] = Field(
        default="never",
        description="How the customer meets an offer short of the demand: `reluctant` — an offer they take only "
        "reluctantly is first answered with the demand again (stubborn, 001 礼貌的重复); `always` — even an "
        "acceptable offer is (extortion-minded, 002). Holding the line politely twice, or a hand-off, settles it.",
    )
    must_be_heard: bool = Field(
        default=False,
        description="A solution or an explanation before the customer has been heard (acknowledged and calm) "
        "is premature and angers them (001 平息怨气: venting customers).",
    )
    mood: Mood
    patience: Patience = Field(default_factory=Patience)
    machine: MachineSpec
    lines: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Pools of customer lines keyed by state name or event (see docs/authoring.md). "
            "Lines may use {placeholders} filled from the scenario's facts."
        ),
    )
    cues: list[Cue] = Field(default_factory=list, description="Phrases this customer reacts to (issue 21 §1).")
    kefu_version: str | None = Field(
        default=None, description="The kefu behaviour this file was written for (written by `kefu new`).")
    _kefu_version_text = field_validator("kefu_version", mode="before")(_version_text)


class Fact(_Strict):
    """A fact of the case, revealed only when the trainee asks about its topic (001 澄清问题)."""

    topic: str = Field(description="Topic id, e.g. 'order_number'.")
    keywords: list[str] = Field(min_length=1, description="Words in a trainee question that ask about it.")
    value: str = Field(description="The fact itself, usable as {topic} in lines.")
    reveal: str = Field(default="", description="The customer's line revealing it; defaults to the value.")


class IssueWish(_Strict):
    """What would fit one issue (issue 17 §2): by when, which attributes, how much money."""

    needed_by: Moment | None = Field(
        default=None, description="When the customer needs it, 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' on the calendar.")
    attributes: list[str] = Field(
        default_factory=list, description="What the thing sent must be (深棕色, 42码, 原款).")
    parts: list[str] = Field(
        default_factory=list, description="Every piece the thing sent must include (杯子, 壶盖): naming only some is incomplete.")
    demand_yuan: float | None = Field(default=None, ge=0, description="The money this issue's demand names.")
    least_yuan: float | None = Field(
        default=None, ge=0, description="The least money that makes up this issue's loss: an offer below it is no fit.")


class Issue(_Strict):
    """A problem the customer raises; each must be addressed (000: two problems, one answer)."""

    id: str
    keywords: list[str] = Field(min_length=1, description="Words showing a trainee reply talks about it.")
    summary: str = Field(description="Short Chinese description for the checklist.")
    complaint: str = Field(default="", description="The customer's line raising it.")
    reminder: list[str] = Field(default_factory=list, description="Lines to come back to it when left unanswered.")
    resolved_by: list[RemedyKind | Literal["apology"]] = Field(
        default_factory=list,
        description="What settles this issue: remedy kinds (any concrete remedy the customer takes when empty), "
        "or `apology` — a sincere apology with a commitment to improve (a complaint about the service itself).",
    )
    wish: IssueWish | None = Field(
        default=None, description="What would fit this issue (by when, attributes, money); else the case's wish.")

    @field_validator("resolved_by", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        # The guide writes `resolved_by: apology`; one word means a list of one.
        return [value] if isinstance(value, str) else value


class Wish(_Strict):
    """What the customer wants, and how they take each remedy."""

    summary: str = Field(description="The customer's wish in Chinese.")
    accepts: list[RemedyKind] = Field(default_factory=list, description="Remedies the customer accepts.")
    reluctant: list[RemedyKind] = Field(default_factory=list, description="Remedies accepted reluctantly.")
    refuses: list[RemedyKind] = Field(default_factory=list, description="Remedies the customer refuses.")
    demand: str = Field(default="", description="The demand a stubborn or extortion-minded customer repeats.")
    needed_by: Moment | None = Field(
        default=None, description="When the customer needs the remedy, 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'.")
    attributes: list[str] = Field(
        default_factory=list, description="What the thing sent must be (the wig's 深棕色).")
    parts: list[str] = Field(
        default_factory=list, description="Every piece the thing sent must include (the tea set's 杯子 and 壶盖).")
    demand_yuan: float | None = Field(default=None, ge=0, description="The money the customer demands, in yuan.")
    least_yuan: float | None = Field(
        default=None, ge=0, description="The least money that makes up the customer's real loss (房型差价800元), in yuan: "
        "money offered below it (a 300-yuan voucher, points) is no fit.")
    not_paying: list[str] = Field(
        default_factory=list, description="Costs the customer will not bear (运费, 差价): a reply charging them is no fit.")
    cannot_provide: list[str] = Field(
        default_factory=list, description="What the customer cannot bring or do (换下来的内存条, 酒店签字的证明, 去网点自提): "
        "a remedy that asks for one first is no fit.")


class Policy(_Strict):
    """What a trainee may offer without a supervisor (002 确定界限)."""

    allowed: list[RemedyKind] = Field(description="Remedies the trainee may offer.")
    max_compensation_yuan: float = Field(
        default=0, ge=0, description="Largest compensation, voucher or partial refund in yuan."
    )
    full_refund: bool = Field(default=False, description="Whether a full refund may be offered.")
    max_shipping_cost_yuan: float | None = Field(
        default=None, ge=0,
        description="Largest shipping cost the shop bears (004: compensation by shipping cost); separate from "
        "max_compensation_yuan. None: shipping costs are allowed whenever shipping_cost is.",
    )
    notes: str = Field(default="", description="The shop's rule in words, shown in the case summary.")


class Example(_Strict):
    """A scripted trainee conversation and its expected result: the scenario's tests (`kefu check`)."""

    name: str
    replies: list[str] = Field(
        min_length=1, description="Trainee replies; a reply may start with '[+45s]' for the time taken."
    )
    seed: int = 0
    outcome: Outcome
    policy_breach: bool | None = Field(default=None, description="Expected policy breach, if checked.")
    states: list[str] | None = Field(
        default=None, description="Expected customer state after each reply (optional)."
    )


class Excuse(_Strict):
    """An excuse this case invites (000: the screen resolution) and the customer's own answer to it."""

    name: str = Field(description="Short id, e.g. 'screen'.")
    keywords: list[str] = Field(min_length=1, description="Words of the excuse in a trainee reply (屏幕, 分辨率).")
    lines: list[str] = Field(min_length=1, description="What the customer answers to it.")


class Calendar(_Strict):
    """The story's now (issue 17 §2): relative times in replies (明天, 下周一, 24小时内) resolve against it."""

    date: Moment = Field(description="Today in the story, 'YYYY-MM-DD'.")
    time: Annotated[str, BeforeValidator(_clock_text)] = Field(default="10:00", description="The time now in the story, 'HH:MM'.")
    weekday: str | None = Field(default=None, description="The weekday (周一…周日); lint checks it fits the date.")

    @property
    def iso(self) -> str:
        """'YYYY-MM-DDTHH:MM', the reader's form."""
        return f"{self.date}T{self.time}"


class Scenario(_Strict):
    """A concrete case (`scenarios/<id>.yaml`)."""

    id: str
    title: str
    category: Literal["product", "service", "logistics", "buyer"] = Field(
        description="The after-sales category (004 五): product, service, logistics or buyer."
    )
    difficulty: int = Field(ge=1, le=5)
    persona: str = Field(description="Id of the persona playing the customer.")
    summary: str = Field(description="The case in two or three sentences, for the trainee.")
    customer_name: str = Field(default="顾客", description="How the customer appears in the chat.")
    customer_gender: Literal["female", "male", "unknown"] = Field(
        default="unknown",
        description=(
            "The customer's sex, for the pronoun the practice room uses (female 她, male 他, "
            "unknown 对方); lint warns when it contradicts customer_name (何女士, 周先生) or the summary."
        ),
    )
    response_limit_seconds: float = Field(default=30, gt=0, description="The golden 30 seconds (003 禁区1).")
    calendar: Calendar | None = Field(default=None, description="The story's now: date, weekday, time.")
    facts: list[Fact] = Field(default_factory=list)
    issues: list[Issue] = Field(min_length=1)
    wish: Wish
    policy: Policy
    opening: list[str] = Field(min_length=1, description="The customer's opening complaint (one is chosen).")
    lines: dict[str, list[str]] = Field(
        default_factory=dict, description="Scenario-specific pools; override the persona's pools by key."
    )
    examples: list[Example] = Field(default_factory=list)
    better: dict[str, str] = Field(
        default_factory=dict,
        description="Better phrasings for this case, by rubric rule id (`kefu rubric`): shown instead of the "
        "phrasebook's when a point is missed.",
    )
    excuses: list[Excuse] = Field(default_factory=list, description="Excuses this case invites, with reactions.")
    case_terms: list[str] = Field(
        default_factory=list,
        description="Words that name this case besides issue and fact keywords (the product, the place); a reply "
        "naming none of them talks about nothing in the case.",
    )
    cues: list[Cue] = Field(
        default_factory=list, description="Phrases the customer reacts to in this case; replace the persona's by name.")
    kefu_version: str | None = Field(
        default=None, description="The kefu behaviour this file was written for (written by `kefu new`).")
    _kefu_version_text = field_validator("kefu_version", mode="before")(_version_text)

    @property
    def customer_pronoun(self) -> str:
        """她, 他 or 对方 (when customer_gender is unknown)."""
        return PRONOUNS.get(self.customer_gender, "对方")


PRONOUNS = {"female": "她", "male": "他"}
"""The third-person pronoun for each customer_gender; unknown has none (对方/顾客)."""


class QuickReply(_Strict):
    """A canned phrase of the quick-reply palette (`scenarios/_quick_replies.yaml`)."""

    label: str = Field(description="Short label shown in the palette, e.g. '道歉'.")
    text: str = Field(description="The phrase put into the reply box.")

    def __str__(self) -> str:
        return self.text


class QuickReplies(_Strict):
    """A shared content file (`scenarios/_quick_replies.yaml`): the quick-reply palette."""

    quick_replies: list[QuickReply] = Field(
        default_factory=list, description="Canned phrases; a later content folder's label replaces an earlier one."
    )
