"""The vocabulary content is written in: machine triggers, event line pools, predicate names.

The engine gives these names their meaning (docs/engine.md); they live here, in the content layer,
so that lint can check persona and scenario files without importing the engine (dependencies
point inward: engine -> content). A test keeps PREDICATE_NAMES equal to the engine's registry.
"""

from __future__ import annotations


TRIGGERS: tuple[str, ...] = ("reply", "timeout")
"""Machine triggers the engine fires: `reply` after each trainee reply, `timeout` past the patience."""

EVENT_ANSWER_POOLS: tuple[str, ...] = (
    "nonsense", "canned", "violated", "not_heard", "generic", "wrong_fact", "too_late", "wrong_item", "incomplete",
    "too_little", "impossible", "customer_pays", "want_firm", "counter",
    "raise_demand", "granted", "limit_handoff",
    "refuse_remedy", "accept_reluctant", "choose", "weak_action", "asked_again", "unknown_question", "apology_only",
)
"""Pools answering a reply by what it did, in the order the engine tries them (docs/engine.md):
nonsense (keyword stuffing), canned (a repeat, a quick reply, the complaint parroted back), violated (a
forbidden move; `violated_<code>` first, e.g. violated_excuse, and a scenario's `excuses` before both),
not_heard (a solution before a customer who must be heard was heard), generic (a template about nothing
in the case), wrong_fact (the reply states a fact of the case wrongly — the order's money, what was
bought: {said}, {wanted}), too_late (the offer comes after the case's needed_by: {said}, {wanted}), wrong_item (another
colour, size or model than the wanted attributes: {said}, {wanted}), incomplete (a goods offer that leaves out
some of the wanted parts: {said} the parts named, {wanted} those missing), too_little (money below the customer's real
loss, wish.least_yuan: {said} what was given, {wanted} the loss), impossible (the remedy asks first for what the
customer cannot bring or do, wish.cannot_provide: {said} that thing), customer_pays (the reply puts a cost
the customer will not bear on them, wish.not_paying: {said} the cost), want_firm (a conditional offer 如果…:
asks for a firm answer), counter (money below demand_yuan to a customer who holds out: {said}, {wanted}),
raise_demand (a concession beyond policy: ask for more), granted (given what
they asked), limit_handoff (a limit stated politely with a hand-off), refuse_remedy (an offer they
refuse, with the reason), accept_reluctant (an offer they take grudgingly), choose (asked which of the
offers made they prefer: picks one, {remedy}), weak_action (我帮您反馈一下:
no who, no when), asked_again (a question they already answered), unknown_question (a question no
fact answers), apology_only (apologies that wear out)."""

VIOLATION_POOLS: tuple[str, ...] = tuple(
    f"violated_{code}" for code in ("insult", "refusal", "excuse", "contradict", "overpromise", "stall")
)
"""The customer's reaction to one violation code; tried before the general `violated` pool."""

CLOSING_POOLS: dict[str, tuple[str, ...]] = {
    "resolved": ("thanks_close",),
    "escalated": ("escalate",),
    "abandoned": ("give_up", "leave"),
}
"""The pools of a final state's last line, by outcome (tried after pool `<state>`)."""

EVENT_POOLS: tuple[str, ...] = (
    "opening",  # persona: the first outburst before the scenario's opening
    "nudge",  # the trainee is slower than response_limit_seconds; said in order, each more impatient
    "leave",  # the customer stops waiting (patience.seconds) — also the fallback of give_up
    "slow",  # prefix of the answer to a slow reply
    "thanks_close",  # resolved
    "escalate",  # escalated
    "give_up",  # abandoned after patience.turns replies while calm
    *EVENT_ANSWER_POOLS,
    *VIOLATION_POOLS,
    "want_close",  # staying in an agreement state
    "repeat_demand",  # staying elsewhere after a remedy
    "idle",  # nothing else applies
    "reminder",  # an issue left open (000)
    "warning",  # furious but not escalating yet (patience.warnings): the customer warns
    "reveal_fact",  # telling a fact with no `reveal` line ({value})
)
"""Every line pool keyed by an event (docs/engine.md, 'Line pools'); any state name is a pool key too."""

PREDICATE_NAMES: tuple[str, ...] = tuple(sorted((
    "acceptable_remedy", "accepted_remedy", "acknowledged", "agreed", "all_issues_addressed",
    "all_issues_resolved", "angrier", "apologized", "apology_only", "asked_open_question",
    "asked_question", "asked_review", "breezy", "brushed_off", "casual_address", "doubted_customer",
    "respectful_address", "short_reply", "beyond_policy", "calm", "calmer", "canned", "carries_on", "closed_properly", "conceded", "said_yes_before",
    "concrete_commitment", "demand_granted", "empathized", "furious", "generic_reply", "handed_over", "heard",
    "held_line", "insulted", "issue_left", "limit_with_handoff", "lost_patience", "nonsense", "offered_choice",
    "offered_compensation", "offered_contact_courier", "offered_escalate", "offered_exchange",
    "offered_follow_up", "offered_instructions", "offered_refund", "offered_repair", "offered_reship",
    "offered_shipping_cost", "offered_solution", "offered_voucher", "out_of_turns", "polite_limit",
    "premature_solution", "refused", "refused_remedy", "reluctant_remedy", "revealed_fact", "slow",
    "supervisor_handoff", "thanked", "time_frame_given", "upset", "violated", "weak_action",
    "within_policy_solution",
)))
"""Names usable in a persona machine's `conditions`/`unless` (simulator.engine.predicates defines each)."""

READER_ACTS: tuple[str, ...] = (
    "breezy", "brushed_off", "doubted_customer", "asked_review", "respectful_address", "casual_address",
    "short_reply",
)
"""Conditions that name what the reader saw in a reply whatever the case (issue 21 §1): a breezy tone
(哈哈, 么么哒), a brush-off (多大点事), doubting the customer (您确定没穿过吗？), a review request, the form of
address (您/女士 vs 亲/你), a short reply. All but short_reply need the reader acts of issue 18."""

CUE_PREFIX = "cue:"
"""A condition `cue:<name>` holds when the reply hit the persona's or scenario's cue of that name."""

# The scripted-reply format ("[+45s] 您好…") is parsed by simulator.content.replies alone.
MAX_REPLY_SECONDS = 86400.0
"""The longest a scripted reply may take (24 hours), also the bound of a persona's patience."""
