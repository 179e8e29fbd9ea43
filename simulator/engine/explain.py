"""Why an example conversation did not end as its scenario says: the reply where it diverged, and why.

`kefu check` prints `explain_failure()` under a failing example: which reply crossed which policy
limit, which issue is still open (with its keywords), and the state and mood after each reply;
`walk()` is the whole conversation reply by reply (`kefu check -v`).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.content.models import Example, Scenario
from simulator.engine.playthrough import Playthrough
from simulator.i18n import _


@dataclass(frozen=True)
class Step:
    """One trainee reply of a played example and where it left the customer."""

    number: int  # 1-based
    text: str
    seconds: float
    state: str
    state_label: str
    mood: int
    breaches: list[str]


def steps(play: Playthrough) -> list[Step]:
    """The replies actually sent, with the state, mood and policy breaches after each."""
    session = play.session
    labels = {s.name: s.label for s in session.persona.machine.states}
    trainee = [t for t in session.transcript if t.role == "trainee"]
    records = session.record().turns
    out = []
    for n, turn in enumerate(trainee):
        breaches = list(records[n].policy_breaches) if n < len(records) else []
        out.append(Step(n + 1, turn.text, turn.seconds or 0.0, turn.state, labels.get(turn.state, ""), turn.mood, breaches))
    return out


def _quote(text: str, limit: int = 30) -> str:
    return "「" + (text if len(text) <= limit else text[: limit - 1] + "…") + "」"


def describe_step(step: Step) -> str:
    """'第 2 条回复「…」（用时 15 秒）→ 状态 listening（愿意沟通），心情 52'."""
    label = _("（{label}）").format(label=step.state_label) if step.state_label else ""
    line = _("第 {n} 条回复{text}（用时 {seconds} 秒）→ 状态 {state}{label}，心情 {mood}").format(
        n=step.number, text=_quote(step.text), seconds=f"{step.seconds:g}", state=step.state, label=label, mood=step.mood)
    if step.breaches:
        line += _("；{breaches}").format(breaches=_("；").join(step.breaches))
    return line


def walk(play: Playthrough) -> list[str]:
    """The whole conversation (`kefu check -v`): the customer's lines, each reply with the state and mood after it."""
    described = iter(describe_step(s) for s in steps(play))
    lines = []
    for turn in play.session.transcript:
        if turn.role == "trainee":
            lines.append(next(described, ""))
        else:
            lines.append(_("  顾客：{text}").format(text=turn.text))
    return lines


def explain_failure(scenario: Scenario, example: Example, play: Playthrough) -> list[str]:
    """What differs from the example's expectations, each with the reply and the reason; [] when it passes."""
    session = play.session
    walked = steps(play)
    reasons: list[str] = []
    if example.states is not None:
        for n in range(max(len(example.states), len(play.states))):
            want = example.states[n] if n < len(example.states) else None
            got = play.states[n] if n < len(play.states) else None
            if want == got:
                continue
            if got is None:
                reasons.append(_("第 {n} 条回复没有发出：对话在第 {last} 条回复后已经结束（结局 {outcome}），"
                                 "期望状态 {want}").format(n=n + 1, last=len(play.states), outcome=session.outcome, want=want))
            elif want is None:
                reasons.append(_("示例只列了 {count} 个状态，但对话还在继续：{step}").format(
                    count=len(example.states), step=describe_step(walked[n])))
            else:
                reasons.append(_("从第 {n} 条回复开始不一样：期望这条回复之后状态是 {want}，实际是：{step}").format(
                    n=n + 1, want=want, step=describe_step(walked[n])))
            break
    if example.policy_breach is not None and session.policy_breach != example.policy_breach:
        breached = [s for s in walked if s.breaches]
        if breached:
            first = breached[0]
            breach = _("；").join(first.breaches)
            quoted = breach.startswith("“")  # the engine may quote the words that crossed the limit itself
            reasons.append(_("期望不超出权限，但第 {n} 条回复{text}{breach}").format(
                n=first.number, text="" if quoted else _quote(first.text), breach=breach))
        else:
            policy = scenario.policy
            reasons.append(_("期望有回复超出权限，但没有一条超出（允许：{allowed}；补偿上限 {limit} 元；全额退款：{full}）").format(
                allowed="、".join(r.value for r in policy.allowed) or _("（无）"),
                limit=f"{policy.max_compensation_yuan:g}", full=_("可以") if policy.full_refund else _("不可以")))
    if session.outcome != example.outcome:
        reasons.append(_("期望结局 {want}，实际是 {got}").format(want=example.outcome, got=session.outcome)
                       + _outcome_reason(scenario, play, walked))
    return reasons


def _outcome_reason(scenario: Scenario, play: Playthrough, walked: list[Step]) -> str:
    session = play.session
    mood = session.persona.mood
    parts: list[str] = []
    open_issues = [i for i in scenario.issues if not session.issue_status.get(i.id, False)]
    for issue in open_issues:
        parts.append(_("问题 {id}（{summary}）还没解决，回复里要提到它的关键词：{keywords}").format(
            id=issue.id, summary=issue.summary, keywords=_("、").join(issue.keywords)))
    if walked:
        last = walked[-1]
        parts.append(_("最后一条是第 {n} 条回复，之后状态 {state}，心情 {mood}（calm ≤ {calm}，escalate ≥ {escalate}）").format(
            n=last.number, state=last.state, mood=last.mood, calm=mood.calm, escalate=mood.escalate))
    if session.outcome == "abandoned":
        patience = session.persona.patience
        parts.append(_("顾客离开了：等待超过 {seconds} 秒，或回复超过 {turns} 条").format(
            seconds=f"{patience.seconds:g}", turns=patience.turns))
    return (_("：") + _("；").join(parts)) if parts else ""
