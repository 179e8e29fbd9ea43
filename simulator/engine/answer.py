"""What the customer says: the line-pool rules of docs/engine.md ('Line pools') applied to a reply."""

from __future__ import annotations

from collections.abc import Collection

from simulator.content.models import Fact, Scenario
from simulator.engine.lines import SILENCE, SILENCES, LinePicker
from simulator.content.vocabulary import CLOSING_POOLS
from simulator.engine.reading import Reading

# Built-in lines for the structural pools, used when content has none (or none fresh).
DEFAULT_LINES: dict[str, list[str]] = {
    "nudge": ["人呢？", "在吗？有人吗？", "还在不在啊？"],
    "leave": ["算了，不等了，我去投诉。", "没人管是吧？那我给差评了。"],
    "reminder": ["还有{issue}，这个你们怎么说？", "{issue}的事你还没回我呢。"],
    "thanks_close": ["好吧，那就这样，谢谢。", "行，那就麻烦你们了。"],
    "escalate": ["我不跟你说了，我要投诉！叫你们经理来！", "算了，我直接给差评，再去平台投诉。"],
    "give_up": ["算了，说了这么多也没用，我不想再聊了。"],
}

Said = tuple[str, str]  # (text, kind) of one customer line


class Composer:
    """Picks the customer's lines for a session; all randomness goes through the session's LinePicker."""

    def __init__(self, lines: LinePicker, scenario: Scenario, agreement_states: Collection[str]) -> None:
        self._lines = lines
        self._scenario = scenario
        self._agreement = agreement_states

    def pick(self, key: str) -> str:
        """A line of pool `key`, else of the built-in pool, else a short silence."""
        return self._lines.pick(key) or self._lines.pick_from(DEFAULT_LINES.get(key, [])) or SILENCE

    def leave(self, state: str) -> str:
        """The line of a customer who stops waiting: pool `<state>` if the content has one, else `leave`."""
        return self.pick(state) if self._lines.has(state) else self.pick("leave")

    def answer(self, reading: Reading, state: str, state_before: str, outcome: str | None) -> list[Said]:
        """The customer's answer to a reply that left them in `state` (`outcome` set when final)."""
        lines = self._lines
        out: list[Said] = []
        if reading.slow and outcome is None:
            slow = lines.pick("slow")
            if slow:
                out.append((slow, "reply"))
        if outcome is not None:
            keys = list(CLOSING_POOLS.get(outcome, ("leave",)))
            main = lines.first([state, *keys]) or lines.pick_from(DEFAULT_LINES[keys[0]]) or SILENCE
            out.append((main, "leave" if outcome == "abandoned" else "close"))
            return out
        reveals = [self._reveal(f) for f in reading.revealed]
        main = lines.first(reading.events)
        if main is None and state != state_before:
            main = lines.pick(state)
        if main is None and reveals:
            main, reveals = reveals[0], reveals[1:]
        if main is None:
            if state in self._agreement:
                stay = ["want_close", state]
            elif reading.offered:
                stay = ["repeat_demand", state]
            else:
                stay = [state]
            main = lines.first([*stay, "idle"]) or lines.pick_from(SILENCES) or SILENCE
        out.append((main, "reply"))
        out.extend((t, "reply") for t in reveals)
        if reading.reminder_issue:
            reminder = self._reminder(reading.reminder_issue)
            if reminder:
                out.append((reminder, "reminder"))
        return out

    def _reveal(self, fact: Fact) -> str:
        if fact.reveal:
            text = fact.reveal
        else:
            text = self._lines.pick("reveal_fact", {"value": fact.value, "topic": fact.topic}) or fact.value
        self._lines.mark_said(text)
        return text

    def _reminder(self, issue_id: str) -> str | None:
        issue = next(i for i in self._scenario.issues if i.id == issue_id)
        extra = {"issue": issue.summary}
        return (
            self._lines.pick_from(issue.reminder, extra)
            or self._lines.pick("reminder", extra)
            or self._lines.pick_from(DEFAULT_LINES["reminder"], extra)
        )
