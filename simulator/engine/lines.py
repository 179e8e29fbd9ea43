"""The customer's line pools: merged from persona and scenario, filled from the facts, picked with a seed."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping

from scoring.normalize import normalize
from simulator.content.models import Persona, Scenario

SILENCE = "……"  # said when no pool has anything fresh to offer
SILENCES = ("……", "嗯……", "……然后呢？")  # so that even silence does not repeat itself
# Issue 17 §5: no line twice word for word in one conversation. When a pool runs dry the customer says
# it again in character, each lead-in once.
AGAIN = ("我刚才已经说过了，", "我再说一遍：", "还是那句话，", "我都说了好几遍了：", "你到底听没听见？")
_WORDS = re.compile(r"[\u4e00-\u9fff]")
# A line that opens by throwing the trainee's words back ("不可能"？ 讹钱？ 包装没问题？): its opening words before
# the first question mark, short, not a question of the customer's own (你敢保证？ 还要等？ 凭什么？).
_ECHO = re.compile(r"^[“\"「『]?([^？?！!，,。；;“”\"「」『』\s]{1,8})[”\"」』]?[？?]")
_OWN_QUESTION = re.compile(r"^(你|您|我|还|又|怎么|什么|凭什么|等什么|谁|哪|啥|为什么|干嘛|就这)")


# A quote of the trainee's words: 又是“帮您反馈一下”！ 你一开口又是“尽快发货”？！ “看看”是看多久？
_QUOTED = re.compile(r"(?:^|又是|还是|就是|你说|您说|说什么|什么叫|一句|开口)[^“”「」\"]{0,3}[“「\"]([^”」\"]{2,12})[”」\"]")


def echoes_unsaid(line: str, said: str) -> bool:
    """Whether `line` throws back words that the reply (`said`, normalised) does not hold (002: the customer quotes
    what was said, never what was not): its opening echo, or a quote of what "you said" (又是“帮您反馈一下”),
    shares no two characters in a row with the reply."""
    m = _ECHO.match(line)
    echoes = [m.group(1)] if m is not None and not _OWN_QUESTION.match(m.group(1)) else []
    echoes += [q.group(1) for q in _QUOTED.finditer(line)]
    return any(_unsaid(normalize(echo), said) for echo in echoes)


def _unsaid(echo: str, said: str) -> bool:
    if len(echo) <= 2:
        return echo not in said
    return not any(echo[i:i + 2] in said for i in range(len(echo) - 1))


class _KeepUnknown(dict):
    """Placeholders the scenario does not define stay visible as written, e.g. '{colour}'."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(line: str, values: Mapping[str, object]) -> str:
    """Fill `{placeholders}` from `values`; a malformed template is returned unchanged, never raised."""
    try:
        return line.format_map(_KeepUnknown(values))
    except (ValueError, IndexError, AttributeError, KeyError, TypeError):
        return line


def scenario_values(scenario: Scenario) -> dict[str, object]:
    """The placeholder values every line may use: facts by topic, the demand, the wish, the limit."""
    values: dict[str, object] = {
        "customer_name": scenario.customer_name,
        "demand": scenario.wish.demand or scenario.wish.summary,
        "wish": scenario.wish.summary,
        "limit": _yuan(scenario.policy.max_compensation_yuan),
    }
    for fact in scenario.facts:
        values[fact.topic] = fact.value
    return values


def _yuan(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else f"{amount:g}"


class LinePicker:
    """Chooses customer lines: scenario pools override persona pools by key; no line twice in a row."""

    def __init__(self, persona: Persona, scenario: Scenario, rng: random.Random) -> None:
        self._pools: dict[str, list[str]] = {**persona.lines, **scenario.lines}
        self._values = scenario_values(scenario)
        self._rng = rng
        self._previous: set[str] = set()  # lines of the previous customer message
        self._current: set[str] = set()  # lines of the message being composed
        self._said: set[str] = set()  # every line said so far in this conversation

    def pool(self, key: str) -> list[str]:
        """The lines of pool `key` as written (empty when there is none)."""
        return list(self._pools.get(key, ()))

    def fill(self, line: str) -> str:
        """`line` with its placeholders filled, counted as said in this message."""
        text = fill(line, self._values)
        self._current.add(text)
        return text

    def has(self, key: str) -> bool:
        """Whether a non-empty pool `key` exists."""
        return bool(self._pools.get(key))

    def pick(self, key: str, extra: Mapping[str, object] | None = None) -> str | None:
        """A fresh line from pool `key`, filled; None when the pool is missing or has nothing fresh."""
        return self.pick_from(self._pools.get(key, ()), extra)

    def pick_from(self, lines: Iterable[str], extra: Mapping[str, object] | None = None,
                  repeatable: bool = False, again: bool = True) -> str | None:
        """A fresh line from `lines` (never said in this conversation; a timer's `repeatable` nudge: not in
        the previous or the current message), filled. A dry pool says a line again with a lead-in."""
        values = {**self._values, **(extra or {})}
        filled = [fill(line, values) for line in lines]
        fresh = [t for t in filled if t not in self._previous and t not in self._current
                 and (repeatable or t not in self._said or not _WORDS.search(t))]
        if not fresh:
            return None if (repeatable or not again) else self._again(filled)
        # Sort-free choice over the pool's own order keeps replays byte-identical.
        text = fresh[self._rng.randrange(len(fresh))]
        self._current.add(text)
        return text

    def _again(self, filled: list[str]) -> str | None:
        """A line of the pool said again with a lead-in not used with it before (我刚才已经说过了，…)."""
        for text in filled:
            if text in self._previous or text in self._current or not _WORDS.search(text):
                continue
            for lead in AGAIN:
                again = lead + text
                if again not in self._said:
                    self._current.add(again)
                    return again
        # Every lead-in used: a line not in the previous message, as before (a very long conversation).
        tired = [t for t in filled if t not in self._previous and t not in self._current]
        if not tired:
            return None
        text = tired[self._rng.randrange(len(tired))]
        self._current.add(text)
        return text

    def first(self, keys: Iterable[str], extra: Mapping[str, object] | None = None,
              keep: Callable[[str, str], bool] | None = None) -> str | None:
        """A line from the first pool in `keys` that has a fresh one; `keep(key, line)`, when given, leaves out the
        lines it refuses (a pool with none kept counts as dry)."""
        for key in keys:
            lines = self._pools.get(key, ())
            text = self.pick_from([t for t in lines if keep(key, t)] if keep else lines, extra)
            if text is not None:
                return text
        return None

    def mark_said(self, text: str) -> None:
        """Count a line that did not come from a pool (an opening, a reveal) as said in this message."""
        self._current.add(text)

    def end_message(self) -> None:
        """The message is complete: its lines become the ones not to repeat next."""
        if self._current:
            self._said |= self._current
            self._previous, self._current = self._current, set()
