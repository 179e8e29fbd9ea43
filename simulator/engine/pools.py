"""The names the engine gives meaning to in content: machine triggers and event line pools.

Dependency-free on purpose: the content linter (`simulator.content.lint`) imports these to check
persona and scenario files, and docs/engine.md ('Line pools') describes each pool.
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
