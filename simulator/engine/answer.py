"""What the customer says: the line-pool rules of docs/engine.md ('Line pools') applied to a reply."""

from __future__ import annotations

import re
from collections.abc import Collection

from simulator.content.glossary import REMEDY_MENTIONS, REMEDY_NAMES
from simulator.content.models import Fact, Scenario
from simulator.engine.lines import SILENCE, SILENCES, LinePicker, echoes_unsaid
from simulator.content.vocabulary import CLOSING_POOLS
from simulator.engine.reading import Reading

# The events that answer an offer that does not fit (simulator.engine.fit): said with its {said} and {wanted}.
MISFIT_EVENTS = ("too_late", "wrong_item", "incomplete", "too_little", "impossible", "customer_pays")
# Built-in lines for the structural pools, used when content has none (or none fresh).
DEFAULT_LINES: dict[str, list[str]] = {
    # Said in order, each more impatient (the last one again if the wait goes on).
    "nudge": ["人呢？", "还在吗？我已经等了很久了。", "再不回我就走了。"],
    "nonsense": ["你到底在说什么？", "你这说的是什么意思？我一句都没看懂。"],
    "generic": ["你这是复制的模板吧？我说的事你到底看了没有？", "说了半天，跟我的问题有什么关系？"],
    "violated_insult": ["你这是什么态度？！", "你怎么说话的？我要投诉你。"],
    "violated_refusal": ["你们就是这么处理问题的？一句话就把我打发了？"],  # quotes nothing the trainee may not have said
    "violated_excuse": ["别找借口，这明明是你们的问题。", "怎么都成了别人的错？"],
    "violated_contradict": ["你的意思是我在撒谎？", "怎么还成我的问题了？"],
    "violated_overpromise": ["你敢保证？到时候做不到怎么说？", "话别说这么满，我只看结果。"],
    "violated_stall": ["又让我等？等到什么时候？", "别让我等了，现在就给我个说法。"],
    "weak_action": ["反馈完然后呢？什么时候给我答复？", "“看看”是看多久？给我个准话。"],
    "asked_again": ["我刚不是说了吗？", "这个我前面已经说过了。"],
    "unknown_question": ["这个我不清楚，你们那边查不到吗？", "这跟我的问题有什么关系？"],
    "granted": ["好，这样还差不多。", "行，那就这么办吧。"],
    "too_late": ["{said}？那赶不上了，我{wanted}之前就要用。", "等到{said}就来不及了，我{wanted}之前必须拿到。",
                 "这太晚了，{wanted}之前到不了有什么用？"],
    "wrong_item": ["我要的是{wanted}，不是{said}。", "不对，是{wanted}的，你别再弄成{said}了。"],
    "incomplete": ["那{wanted}呢？只补一部分还是不全。", "{wanted}怎么办？少了{wanted}还是不完整。",
                   "你还没说{wanted}，光这样我收到的还是不全的。"],
    "wrong_fact": ["不对，不是{said}，是{wanted}。", "你看清楚，是{wanted}，不是{said}。"],
    "counter": ["{said}？差得远了，我要的是{wanted}。", "就{said}？打发谁呢，我说的是{wanted}。",
                "{said}不行，少于{wanted}免谈。"],
    "too_little": ["{said}？我光损失就有{wanted}，这点不够。", "就给{said}？我实际损失了{wanted}，这不是打发人吗？",
                   "{said}补不了我的损失，我损失的是{wanted}。"],
    "impossible": ["{said}？我上哪儿去弄，这个我拿不出来。", "让我先{said}，我做不到，你们自己想办法。",
                   "{said}我根本办不到，你这等于没给办法。"],
    "customer_pays": ["{said}凭什么要我出？明明是你们的问题。", "这是你们弄错的，{said}我可不出。",
                      "让我自己出{said}？这个我不接受。"],
    "want_firm": ["“如果”是什么意思？到底给不给办，给我个准话。", "别跟我说如果，能办就说什么时候办好。",
                  "有条件的话我听不明白，你就说能不能办、哪天办好。"],
    "accept_reluctant": ["那……也只能这样了。", "行吧，虽然我不太满意。"],
    "choose": ["那就{remedy}吧，尽快给我办。", "我选{remedy}，别再拖了。"],
    "limit_handoff": ["行，那我就等你们主管的答复。", "好，我等着，到时候别又拖。"],
    "leave": ["算了，不等了，我去投诉。", "没人管是吧？那我给差评了。"],
    "reminder": ["还有{issue}，这个你们怎么说？", "{issue}的事你还没回我呢。"],
    "thanks_close": ["好吧，那就这样，谢谢。", "行，那就麻烦你们了。"],
    "escalate": ["我不跟你说了，我要投诉！叫你们经理来！", "算了，我直接给差评，再去平台投诉。"],
    "give_up": ["算了，说了这么多也没用，我不想再聊了。"],
    "warning": ["你要是还这个态度，我马上投诉。", "我最后给你一次机会，好好说话。", "再这样我就直接找平台投诉了。"],
}

Said = tuple[str, str]  # (text, kind) of one customer line

_MENTIONS = {kind: re.compile(forms) for kind, forms in REMEDY_MENTIONS.items()}
# The pools in which the customer takes what was offered or closes on it: their lines may name only remedies offered.
_TAKING = frozenset({"granted", "accept_reluctant", "closing", "resolved", "want_close", "limit_handoff", "choose"})


def names_unoffered(line: str, offered: Collection[str]) -> bool:
    """Whether `line` takes or waits for a remedy not offered in the conversation (新机什么时候能到？ after money only)."""
    return any(kind not in offered and pattern.search(line) for kind, pattern in _MENTIONS.items())


class Composer:
    """Picks the customer's lines for a session; all randomness goes through the session's LinePicker."""

    def __init__(self, lines: LinePicker, scenario: Scenario, agreement_states: Collection[str]) -> None:
        self._lines = lines
        self._scenario = scenario
        self._agreement = agreement_states

    def pick(self, key: str) -> str:
        """A line of pool `key`, else of the built-in pool, else a short silence."""
        return self._lines.pick(key) or self._lines.pick_from(DEFAULT_LINES.get(key, [])) or SILENCE

    def nudge(self, n: int) -> str:
        """The n-th nudge (0-based) of one wait: the pool's lines in order, each more impatient."""
        lines = self._lines.pool("nudge") or DEFAULT_LINES["nudge"]
        # Past the last one, any nudge not just said (a line never follows itself).
        # A nudge not said yet in this conversation, the n-th first and then the more impatient ones (a second
        # wait goes on where the first stopped); in a very long wait the same nudges come back.
        fresh = next((t for line in lines[n:] + lines[:n] if (t := self._lines.pick_from([line], again=False))), None)
        again = self._lines.pick_from(lines[min(n, len(lines) - 1):][:1]) if lines else None  # 我再说一遍：人呢？
        return (fresh or again or self._lines.pick_from(lines[n:n + 1], repeatable=True)
                or self._lines.pick_from(lines, repeatable=True)
                or self._lines.pick_from(SILENCES, repeatable=True) or SILENCE)

    def _event_line(self, event: str, reading: Reading) -> str | None:
        """The line answering one event; a violation answers with its code's pool (a case's excuse first)."""
        lines = self._lines
        if event == "violated":
            for pool in reading.violation_pools:
                if pool.startswith("excuse:"):
                    excuse = next((e for e in self._scenario.excuses if e.name == pool[7:]), None)
                    text = lines.pick_from(excuse.lines) if excuse else None
                else:
                    # A code's own line, never a general one that may not fit (a promise is no blame); a line
                    # throwing back words the reply does not hold (别做梦了？ after 不退) is left out.
                    text = self._said_line(pool, reading)
                if text:
                    return text
            return lines.pick("violated")
        if event in MISFIT_EVENTS and reading.misfits:
            misfit = next((m for m in reading.misfits if m.why == event), reading.misfits[0])
            extra = {"said": misfit.said, "wanted": misfit.wanted}
            return lines.pick(event, extra) or lines.pick_from(DEFAULT_LINES[event], extra)
        if event == "wrong_fact" and reading.wrong_facts:
            extra = {"said": reading.wrong_facts[0][0], "wanted": reading.wrong_facts[0][1]}
            return lines.pick(event, extra) or lines.pick_from(DEFAULT_LINES[event], extra)
        if event == "counter" and reading.counter:
            extra = {"said": reading.counter[0], "wanted": reading.counter[1]}
            return lines.pick(event, extra) or lines.pick_from(DEFAULT_LINES[event], extra)
        if event == "choose":
            extra = {"remedy": REMEDY_NAMES.get(reading.chosen_remedy or "", "第一个")}
            return lines.pick(event, extra) or lines.pick_from(DEFAULT_LINES[event], extra)
        return self._said_line(event, reading)

    def _said_line(self, pool: str, reading: Reading) -> str | None:
        """A fresh line of `pool` (the content's, else the built-in one) that quotes only words the reply holds:
        又是“帮您反馈一下” or 别做梦了？ answers another reply (002)."""
        taking = pool in _TAKING
        for lines in (self._lines.pool(pool), DEFAULT_LINES.get(pool, [])):
            text = self._lines.pick_from([t for t in lines if not echoes_unsaid(t, reading.said)
                                          and not (taking and names_unoffered(t, reading.kinds_so_far))])
            if text:
                return text
        return None

    def _taking_line(self, keys: list[str], reading: Reading) -> str | None:
        """A line from the first pool in `keys` with a fresh one; in a pool that takes an offer or closes on it, only
        lines that name no remedy left unoffered (else the pool counts as dry: the next pool or the built-in close)."""
        return self._lines.first(keys, keep=lambda key, line: key not in _TAKING
                                 or not names_unoffered(line, reading.kinds_so_far))

    def _cue_line(self, reading: Reading) -> str | None:
        """The answer of the first cue the reply hit that has lines or a pool (issue 21 §1)."""
        cues = reading.cues
        if cues.lines:
            return self._lines.pick_from(list(cues.lines))
        if cues.pool:
            return self._lines.pick(cues.pool) or self._lines.pick_from(DEFAULT_LINES.get(cues.pool, []))
        return None

    def leave(self, state: str) -> str:
        """The line of a customer who stops waiting: pool `<state>` if the content has one, else `leave`."""
        return self.pick(state) if self._lines.has(state) else self.pick("leave")

    def answer(self, reading: Reading, state: str, state_before: str, outcome: str | None,
               warning: bool = False) -> list[Said]:
        """The customer's answer to a reply that left them in `state` (`outcome` set when final);
        `warning`: furious but still talking (patience.warnings), the customer adds a warning (pool `warning`)."""
        lines = self._lines
        out: list[Said] = []
        if reading.slow and outcome is None:
            slow = lines.pick("slow")
            if slow:
                out.append((slow, "reply"))
        if outcome is not None:
            keys = list(CLOSING_POOLS.get(outcome, ("leave",)))
            main = self._taking_line([state, *keys], reading) or lines.pick_from(DEFAULT_LINES[keys[0]]) or SILENCE
            out.append((main, "leave" if outcome == "abandoned" else "close"))
            return out
        reveals = [self._reveal(f) for f in reading.revealed]
        main = self._cue_line(reading)
        also: list[str] = []
        events = list(reading.events)
        if "not_heard" in events and "refuse_remedy" in events:
            # Rushed with an offer they refuse: they answer the offer, then say they were not heard.
            events.remove("not_heard")
            heard = self._event_line("not_heard", reading)
            also = [heard] if heard else []
        if main is None:
            main = next((t for t in (self._event_line(e, reading) for e in events) if t), None)
        elif "nonsense" in events or "canned" in events:
            main = next((t for t in (self._event_line(e, reading) for e in events) if t), main)
        if main is None and state != state_before:
            main = lines.pick(state)
        if main is None and reveals:
            main, reveals = reveals[0], reveals[1:]
        if main is None:
            if state in self._agreement or (reading.took_offer_before and not reading.misfits):
                stay = ["want_close", state]  # an accepted remedy stays accepted: no demanding it again
            elif reading.offered:
                stay = ["repeat_demand", state]
            else:
                stay = [state]
            main = self._taking_line([*stay, "idle"], reading) or lines.pick_from(SILENCES) or SILENCE
        out.append((main, "reply"))
        out.extend((t, "reply") for t in also)
        out.extend((t, "reply") for t in reveals)
        if warning:
            out.append((self.pick("warning"), "reply"))
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
