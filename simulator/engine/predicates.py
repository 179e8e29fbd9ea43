"""Named conditions a persona's machine may use in `conditions:` and `unless:`.

Each predicate reads the customer model (`simulator.engine.customer.Customer`) after the engine
has analysed the trainee's reply and computed everything the reply changes (mood, issues
addressed, facts revealed, remedies weighed): `customer.reading` holds that reading of the
current reply. Predicates never change anything, so a transition fires on settled data.

`PREDICATES` maps each name to its function; `PREDICATE_NAMES` is the sorted tuple of names
(the content linter imports it to check persona files).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

PREDICATES: dict[str, Predicate] = {}


def predicate(fn: Predicate) -> Predicate:
    """Register `fn` under its own name."""
    PREDICATES[fn.__name__] = fn
    return fn


# ---- mood ---------------------------------------------------------------------------------


@predicate
def calm(c: Any) -> bool:
    """The mood is at or below the persona's `mood.calm`: calm enough to listen."""
    return c.mood <= c.persona.mood.calm


@predicate
def upset(c: Any) -> bool:
    """The mood is above the persona's `mood.calm` (the opposite of `calm`)."""
    return c.mood > c.persona.mood.calm


@predicate
def furious(c: Any) -> bool:
    """The mood reached the persona's `mood.escalate`: complaint, bad review, a manager."""
    return c.mood >= c.persona.mood.escalate


@predicate
def lost_patience(c: Any) -> bool:
    """This reply is a blow (it leaves the customer furious, neither soothing her nor owning up to an earlier
    forbidden move) after the persona's `patience.warnings` earlier blows: each of those brought only a
    warning (你要是还这个态度，我马上投诉), and a good next reply could still win the customer back."""
    return c.blow and c.warned >= c.persona.patience.warnings


@predicate
def calmer(c: Any) -> bool:
    """This reply lowered the mood."""
    return c.reading.mood_delta < 0


@predicate
def carries_on(c: Any) -> bool:
    """She said yes to an offer before, and this reply carries it out or follows it up with no forbidden move
    (好的，那就顺丰发出，发出后我每天帮您看物流): the arrangement stands — no cause to flare up again."""
    return c.reading.took_offer_before and c.reading.closing_word and not c.reading.violations


@predicate
def angrier(c: Any) -> bool:
    """This reply raised the mood."""
    return c.reading.mood_delta > 0


# ---- what the reply did -------------------------------------------------------------------


@predicate
def violated(c: Any) -> bool:
    """The reply holds a forbidden move: insult, refusal, excuse, contradiction, over-promise, stall (001 四)."""
    return bool(c.reading.violations)


@predicate
def insulted(c: Any) -> bool:
    """The reply insults or blames the customer."""
    return "insult" in c.reading.violations


@predicate
def refused(c: Any) -> bool:
    """The reply is an absolute refusal ('不可能', '没办法')."""
    return "refusal" in c.reading.violations


@predicate
def apologized(c: Any) -> bool:
    """The reply apologises (level 1 or 2)."""
    return c.reading.apology > 0


@predicate
def empathized(c: Any) -> bool:
    """The reply acknowledges the customer's feelings (level 1 or 2)."""
    return c.reading.empathy > 0


@predicate
def acknowledged(c: Any) -> bool:
    """The reply apologises or empathises, with no forbidden move."""
    return (c.reading.apology > 0 or c.reading.empathy > 0) and not c.reading.violations


@predicate
def asked_question(c: Any) -> bool:
    """The reply asks a clarifying question (001 澄清问题)."""
    return c.reading.question > 0


@predicate
def asked_open_question(c: Any) -> bool:
    """The reply asks an open question ('能具体说说吗?')."""
    return c.reading.question > 0 and c.reading.question_kind == "open"


@predicate
def revealed_fact(c: Any) -> bool:
    """The reply's question made the customer reveal at least one new fact."""
    return bool(c.reading.revealed)


@predicate
def canned(c: Any) -> bool:
    """The reply (nearly) repeats an earlier one: it reads as a canned quick reply (003 禁区6)."""
    return c.reading.repeated


@predicate
def slow(c: Any) -> bool:
    """The reply came later than the scenario's `response_limit_seconds` (003 禁区1)."""
    return c.reading.slow


@predicate
def apology_only(c: Any) -> bool:
    """A third or later apology with no empathy, question, solution, thanks or commitment (apologies wear out)."""
    return c.reading.hollow_apology


# ---- what this customer reacts to (issue 21 §1: reader acts; cues are `cue:<name>`) ---------


@predicate
def breezy(c: Any) -> bool:
    """The reply takes a breezy, joking tone (哈哈, 么么哒, 亲~ with a forbidden move)."""
    return "breezy" in c.reading.acts


@predicate
def brushed_off(c: Any) -> bool:
    """The reply brushes the customer off in a line (多大点事, 您别激动, 这很正常)."""
    return "brushed_off" in c.reading.acts


@predicate
def doubted_customer(c: Any) -> bool:
    """The reply doubts the customer (您确定没穿过吗？, 是不是您自己…)."""
    return "doubted_customer" in c.reading.acts


@predicate
def asked_review(c: Any) -> bool:
    """The reply asks for a good review (五星好评, 晒图)."""
    return "asked_review" in c.reading.acts


@predicate
def respectful_address(c: Any) -> bool:
    """The reply addresses the customer respectfully (您, 郑女士, 先生) and never casually."""
    return "respectful_address" in c.reading.acts


@predicate
def casual_address(c: Any) -> bool:
    """The reply addresses the customer casually (亲, 你, 宝宝) and never as 您."""
    return "casual_address" in c.reading.acts


@predicate
def short_reply(c: Any) -> bool:
    """The reply is short: under the persona's `wear_out.short_reply_chars` and under half the customer's line."""
    return c.reading.short


# ---- being heard (venting customers, 001 平息怨气) -------------------------------------------




HEARD_AFTER = 2  # listening replies after which a customer feels heard whatever the mood (001 平息怨气)


@predicate
def heard(c: Any) -> bool:
    """The customer feels heard: acknowledged at least once so far and now `calm`, or invited to say it
    all (您先说，我听着) and given the next turn to do so, or given two listening moves — acknowledging
    replies plus replies that asked offering nothing but a look, at least one acknowledging (001 平息怨气 —
    also after a bad start, when the mood is still high)."""
    return c.acknowledgements > 0 and (c.acknowledgements + c.questions_only >= HEARD_AFTER
                                       or c.mood <= c.persona.mood.calm or c.listened)


@predicate
def premature_solution(c: Any) -> bool:
    """A solution, or an explanation with no apology, empathy or question, came before a venting customer
    had been heard (001 平息怨气)."""
    return c.reading.premature


# ---- remedies and policy (001 协商解决, 002 确定界限) ------------------------------------------


@predicate
def offered_solution(c: Any) -> bool:
    """The reply offers a solution (solution level 1-2 or any remedy)."""
    return c.reading.solution > 0 or bool(c.reading.remedies)


@predicate
def accepted_remedy(c: Any) -> bool:
    """The reply offers a remedy from the customer's `wish.accepts`."""
    return c.reading.accepted


@predicate
def reluctant_remedy(c: Any) -> bool:
    """The reply offers a remedy from `wish.reluctant` (and none from `wish.accepts`)."""
    return c.reading.reluctant and not c.reading.accepted


@predicate
def refused_remedy(c: Any) -> bool:
    """The reply offers only remedies from `wish.refuses`."""
    return c.reading.refused


@predicate
def acceptable_remedy(c: Any) -> bool:
    """The reply offers a remedy the customer accepts or accepts reluctantly."""
    return c.reading.accepted or c.reading.reluctant


@predicate
def beyond_policy(c: Any) -> bool:
    """The reply offers more than the scenario's `policy` allows: a policy breach."""
    return bool(c.reading.breaches)


@predicate
def within_policy_solution(c: Any) -> bool:
    """The reply offers a concrete remedy and nothing beyond the policy."""
    return c.reading.concrete and not c.reading.breaches


@predicate
def supervisor_handoff(c: Any) -> bool:
    """The reply hands the case over to a named person or team (主管, 经理…), with no forbidden move.
    A vague 我这边反馈一下 names nobody and is no hand-off."""
    return c.reading.handoff and not c.reading.violations


@predicate
def limit_with_handoff(c: Any) -> bool:
    """001 四.4 礼貌的重复: a hand-off that names who and by when (反映给主管，2天内给您答复), no forbidden move."""
    return c.reading.limit_handoff


@predicate
def handed_over(c: Any) -> bool:
    """A hand-off naming who and by when was made, in this reply or before (001 四.4): the demand is the supervisor's
    to answer, and the haggling here is over."""
    return c.handed_off


@predicate
def time_frame_given(c: Any) -> bool:
    """The reply's remedy comes with a time frame (24小时内, 明天上午)."""
    return c.reading.time_frame


@predicate
def concrete_commitment(c: Any) -> bool:
    """A remedy that is not vague: what, and a time, an amount or a firm 马上 (000: 24小时内补发)."""
    return c.reading.concrete_commitment


@predicate
def demand_granted(c: Any) -> bool:
    """The customer is given a concrete remedy they want (wish.accepts), within policy."""
    return c.reading.granted


@predicate
def weak_action(c: Any) -> bool:
    """The reply only promises something vague, with no who and no when (我帮您反馈一下, 帮您看看)."""
    return c.reading.weak_action


@predicate
def nonsense(c: Any) -> bool:
    """The reply is keyword stuffing: cue words with no sentence (抱歉理解心情退款24小时内吗)."""
    return c.reading.nonsense


@predicate
def generic_reply(c: Any) -> bool:
    """The reply is a template that names nothing of the case."""
    return c.reading.generic


def _offered_kind(kind: str):
    def offered(c: Any) -> bool:
        return kind in c.reading.remedy_kinds

    offered.__name__ = f"offered_{kind}"
    offered.__doc__ = f"The reply offers a remedy of kind `{kind}`."
    return offered


for _kind in ("refund", "exchange", "reship", "compensation", "voucher", "shipping_cost", "contact_courier",
              "escalate", "follow_up", "instructions", "repair"):
    predicate(_offered_kind(_kind))


@predicate
def polite_limit(c: Any) -> bool:
    """Polite repetition of the limits: apology or empathy, a within-policy remedy, no forbidden move."""
    return c.reading.polite_limit


@predicate
def held_line(c: Any) -> bool:
    """`polite_limit` now and at least once before (001 礼貌的重复, 002 确定界限)."""
    return c.reading.polite_limit and c.limit_holds >= 2


@predicate
def offered_choice(c: Any) -> bool:
    """A within-policy remedy offered as a choice ('您看是…还是…?'), no forbidden move (001 协商解决)."""
    return c.reading.asks_preference and c.reading.concrete and not c.reading.breaches and not c.reading.violations


@predicate
def conceded(c: Any) -> bool:
    """The reply concedes beyond the policy (extortion-minded customers then raise the demand)."""
    return bool(c.reading.breaches)


# ---- issues -----------------------------------------------------------------------------


@predicate
def all_issues_addressed(c: Any) -> bool:
    """Every issue of the scenario has been addressed, in this reply or before (000)."""
    return all(c.issue_status.values())


@predicate
def all_issues_resolved(c: Any) -> bool:
    """Every issue has a concrete remedy the customer accepted, or a hand-off naming who and by when
    (issue 8 §2), and nothing offered that did not fit is still waiting to be put right (issue 17 §3: store credit
    called a refund is not made a refund by a coupon beside it): what closing a case takes."""
    return all(v == "resolved" for v in c.issue_resolution.values()) and not c.misfit_pending


@predicate
def issue_left(c: Any) -> bool:
    """At least one issue is still unaddressed."""
    return not all(c.issue_status.values())


# ---- closing (001 感谢客户) -----------------------------------------------------------------


@predicate
def agreed(c: Any) -> bool:
    """The customer was in an agreement state (waiting for the close) before this reply."""
    return c.in_agreement


@predicate
def said_yes_before(c: Any) -> bool:
    """The customer said yes to an offer in an earlier reply (granted, or taken reluctantly), whatever the state."""
    return c.reading.took_offer_before


@predicate
def closed_properly(c: Any) -> bool:
    """A proper close (001 感谢客户): thanks with an apology again or a commitment (improve / follow up);
    once the customer has agreed (an agreement state, or they said yes to an offer before), an apology with a
    commitment closes too ('单号出来第一时间发您…再次跟您道歉'), and so does carrying out the agreed remedy with a
    commitment ('好的，那就补寄，物流我会一直帮您盯着'). No forbidden move, no close while the last offer did not
    fit (wrong item, too late…) and no fitting one has followed, and none that pushes a remedy she refuses
    (换货单我先帮您开上 to a customer who wants her money back)."""
    return ((c.reading.thanks or c.in_agreement or c.reading.took_offer_before) and c.reading.close_parts >= 2
            and not c.reading.violations and not c.misfit_pending and not c.reading.refused)


@predicate
def thanked(c: Any) -> bool:
    """The reply thanks the customer."""
    return c.reading.thanks


# ---- patience ---------------------------------------------------------------------------


@predicate
def out_of_turns(c: Any) -> bool:
    """The trainee has used the persona's `patience.turns` replies."""
    return c.turns >= c.persona.patience.turns


PREDICATE_NAMES: tuple[str, ...] = tuple(sorted(PREDICATES))
