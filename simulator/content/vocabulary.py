"""The vocabulary content is written in: machine triggers, event line pools, predicate names.

The engine gives these names their meaning (docs/engine.md); they live here, in the content layer,
so that lint can check persona and scenario files without importing the engine (dependencies
point inward: engine -> content). A test keeps PREDICATE_NAMES equal to the engine's registry.
"""

from __future__ import annotations


TRIGGERS: tuple[str, ...] = ("reply", "timeout")
"""Machine triggers the engine fires: `reply` after each trainee reply, `timeout` past the patience."""

EVENT_ANSWER_POOLS: tuple[str, ...] = (
    "canned", "violated", "not_heard", "raise_demand", "refuse_remedy", "apology_only",
)
"""Pools answering a reply by what it did, in the order the engine tries them."""

CLOSING_POOLS: dict[str, tuple[str, ...]] = {
    "resolved": ("thanks_close",),
    "escalated": ("escalate",),
    "abandoned": ("give_up", "leave"),
}
"""The pools of a final state's last line, by outcome (tried after pool `<state>`)."""

EVENT_POOLS: tuple[str, ...] = (
    "opening",  # persona: the first outburst before the scenario's opening
    "nudge",  # the trainee is slower than response_limit_seconds
    "leave",  # the customer stops waiting (patience.seconds) — also the fallback of give_up
    "slow",  # prefix of the answer to a slow reply
    "thanks_close",  # resolved
    "escalate",  # escalated
    "give_up",  # abandoned after patience.turns replies while calm
    *EVENT_ANSWER_POOLS,
    "want_close",  # staying in an agreement state
    "repeat_demand",  # staying elsewhere after a remedy
    "idle",  # nothing else applies
    "reminder",  # an issue left open (000)
    "reveal_fact",  # telling a fact with no `reveal` line ({value})
)
"""Every line pool keyed by an event (docs/engine.md, 'Line pools'); any state name is a pool key too."""

PREDICATE_NAMES: tuple[str, ...] = (
    "acceptable_remedy", "accepted_remedy", "acknowledged", "agreed", "all_issues_addressed", "angrier",
    "apologized", "apology_only", "asked_open_question", "asked_question", "beyond_policy", "calm", "calmer",
    "canned", "closed_properly", "conceded", "empathized", "furious", "heard", "held_line", "insulted",
    "issue_left", "offered_choice", "offered_solution", "out_of_turns", "polite_limit", "premature_solution",
    "refused", "refused_remedy", "reluctant_remedy", "revealed_fact", "slow", "supervisor_handoff", "thanked",
    "upset", "violated", "within_policy_solution",
)
"""Names usable in a persona machine's `conditions`/`unless` (simulator.engine.predicates defines each)."""

# The scripted-reply format ("[+45s] 您好…") is parsed by simulator.content.replies alone.
MAX_REPLY_SECONDS = 86400.0
"""The longest a scripted reply may take (24 hours), also the bound of a persona's patience."""
