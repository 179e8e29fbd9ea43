"""What one analysed reply means to this customer: computed in full before the machine fires."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.models import Remedy, RemedyKind, ReplyAnalysis
from simulator.content.models import Fact, PersonaType
from simulator.engine.mood import SHORT_REPLY_CHARS, MoodInputs, mood_change
from simulator.engine.policy import judge_remedies, scenario_amounts
from simulator.content.vocabulary import EVENT_ANSWER_POOLS


@dataclass(frozen=True)
class Reading:
    """The customer's reading of one trainee reply; predicates look at nothing else of the reply."""

    apology: int = 0
    empathy: int = 0
    question: int = 0
    question_kind: str | None = None
    solution: int = 0
    remedies: tuple[Remedy, ...] = ()
    violations: tuple[str, ...] = ()
    asks_preference: bool = False
    thanks: bool = False
    commitment: bool = False
    repeated: bool = False
    slow: bool = False
    short: bool = False
    premature: bool = False
    hollow_apology: bool = False
    accepted: bool = False
    reluctant: bool = False
    refused: bool = False
    concrete: bool = False
    handoff: bool = False
    breaches: tuple[str, ...] = ()
    polite_limit: bool = False
    close_parts: int = 0
    addressed: tuple[str, ...] = ()  # issue ids this reply addressed (new or again)
    revealed: tuple[Fact, ...] = ()  # facts told in answer to this reply
    reminder_issue: str | None = None  # an open issue the customer comes back to (000)
    mood_delta: int = 0
    offered: bool = False
    acknowledges: bool = False
    events: tuple[str, ...] = field(default=())


def read_reply(customer, analysis: ReplyAnalysis, seconds: float, customer_message: str) -> Reading:
    """Read `analysis` against `customer` (not changed here) and return everything the reply changes."""
    persona, scenario = customer.persona, customer.scenario
    violations = tuple(analysis.violation_codes)
    verdict = judge_remedies(list(analysis.remedies), scenario.wish, scenario.policy, scenario_amounts(scenario))
    offered = analysis.solution > 0 or verdict.concrete
    heard_before = customer.acknowledgements > 0 and customer.mood <= persona.mood.calm
    # An explanation: talks about the problem with no apology, empathy or question (事情不是您想的那样).
    explains = bool(analysis.issue_topics) and not (analysis.apology or analysis.empathy or analysis.question)
    # 001 平息怨气: a venting customer must be heard before any solution or explanation.
    premature = persona.type == PersonaType.venting and (offered or explains) and not heard_before
    acknowledges = (analysis.apology > 0 or analysis.empathy > 0) and not violations
    repeated = analysis.repeats_turn is not None

    addressed = _addressed_issues(customer, analysis, violations, premature)
    status_after = {i: (done or i in addressed) for i, done in customer.issue_status.items()}
    still_open = [i for i, done in status_after.items() if not done]
    # 000: a solution for one problem and silence on the other brings the other back.
    reminder_issue = still_open[0] if still_open and offered and not premature else None

    revealed = _revealed_facts(customer, analysis, offered)
    hollow = (
        analysis.apology > 0
        and customer.apologies >= 2
        and analysis.empathy == 0
        and analysis.question == 0
        and not offered
        and not analysis.thanks
        and not analysis.commitment
    )
    slow = seconds > scenario.response_limit_seconds
    length = analysis.length
    short = length < SHORT_REPLY_CHARS and length * 2 < len(customer_message.strip())
    polite_limit = (
        (analysis.apology > 0 or analysis.empathy > 0) and verdict.concrete and not verdict.breaches and not violations
    )
    inputs = MoodInputs(
        apology=analysis.apology,
        empathy=analysis.empathy,
        question=analysis.question,
        question_kind=analysis.question_kind,
        offered=offered,
        accepted=verdict.accepted,
        reluctant=verdict.reluctant,
        refused=verdict.refused,
        concrete=verdict.concrete,
        beyond_policy=bool(verdict.breaches),
        premature=premature,
        repeated=repeated,
        hollow_apology=hollow,
        violations=len(violations),
        slow=slow,
        short=short,
        ignored_issue=reminder_issue is not None,
        apologies_before=customer.apologies,
        empathies_before=customer.empathies,
        open_asked_before=customer.open_asked,
    )
    happened = {
        "canned": repeated,
        "violated": bool(violations),
        "not_heard": premature,
        "raise_demand": bool(verdict.breaches),
        "refuse_remedy": verdict.refused and not premature,
        "apology_only": hollow,
    }
    events = [name for name in EVENT_ANSWER_POOLS if happened[name]]
    return Reading(
        apology=analysis.apology,
        empathy=analysis.empathy,
        question=analysis.question,
        question_kind=analysis.question_kind,
        solution=analysis.solution,
        remedies=tuple(analysis.remedies),
        violations=violations,
        asks_preference=analysis.asks_preference,
        thanks=analysis.thanks,
        commitment=analysis.commitment,
        repeated=repeated,
        slow=slow,
        short=short,
        premature=premature,
        hollow_apology=hollow,
        accepted=verdict.accepted and not premature,
        reluctant=verdict.reluctant and not premature,
        refused=verdict.refused,
        concrete=verdict.concrete,
        handoff=verdict.handoff,
        breaches=verdict.breaches,
        polite_limit=polite_limit,
        close_parts=int(analysis.apology > 0) + int(analysis.thanks) + int(analysis.commitment),
        addressed=tuple(addressed),
        revealed=tuple(revealed),
        reminder_issue=reminder_issue,
        mood_delta=mood_change(persona.mood.effects, inputs),
        offered=offered,
        acknowledges=acknowledges,
        events=tuple(events),
    )


def promise_to_look(remedy: Remedy) -> bool:
    """'我帮您看一下' / '我帮您查一下': a follow-up with no time frame promises a look, not a remedy."""
    return remedy.kind == RemedyKind.follow_up and remedy.time_frame is None


def _addressed_issues(customer, analysis: ReplyAnalysis, violations, premature: bool) -> list[str]:
    """The issues this reply answers: it talks about the issue's topic and acknowledges it (apology,
    empathy), explains it, or offers a real remedy for it. A promise to look into it is none of these."""
    if violations or premature:
        return []  # an excuse or a rushed answer does not count as answering (000)
    remedies = [r for r in analysis.remedies if not promise_to_look(r)]
    looks_only = bool(analysis.remedies) and not remedies
    solution = analysis.solution > 1 or (analysis.solution > 0 and not looks_only)
    # An explanation: talks about the problem without asking (事情是这样的…), and not just "我看一下".
    explains = bool(analysis.issue_topics) and analysis.question == 0 and not looks_only
    substantive = analysis.apology > 0 or analysis.empathy > 0 or solution or bool(remedies) or explains
    if not substantive:
        return []
    ids = [i.id for i in customer.scenario.issues if i.id in analysis.issue_topics]
    if not ids and remedies:
        # A real remedy that names no issue answers the main complaint (the first one still open).
        open_ids = [i for i, done in customer.issue_status.items() if not done]
        ids = open_ids[:1]
    return ids


# Clauses of a reply, and which of them ask something (a fact is told only when asked about).
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_CLAUSE = re.compile(r"[^，,、：:]+[，,、：:]*")
_ASKS = re.compile(
    r"[？?]|吗|呢|什么|哪|怎么|怎样|如何|多少|几|是否|有没有|能不能|可不可以|是不是"
    r"|(?:方便|麻烦|请)[^，,。]*(?:提供|发|告诉|说|讲|拍)"
)
_ASKS_BACK = re.compile(r"^\s*(?:方便|麻烦|能|可以|可否|请|是|有|发|告诉|提供)")  # "订单号，方便发我一下吗?"


def _asking_clauses(text: str) -> tuple[list[str], list[str]]:
    """The clauses of `text` that ask something, and the clauses just before an ask that has no object
    of its own ("订单号，方便发我一下吗?": '订单号' is what is asked for)."""
    asking: list[str] = []
    lead_ins: list[str] = []
    for sentence in _SENTENCE.finditer(text):
        clauses = [m.group(0) for m in _CLAUSE.finditer(sentence.group(0))]
        for n, clause in enumerate(clauses):
            if _ASKS.search(clause):
                asking.append(clause)
                if n and _ASKS_BACK.search(clause):
                    lead_ins.append(clauses[n - 1])
    return asking, lead_ins


_NOT_WORDS = re.compile(r"[\W_]+")


def _topic_only(clause: str, word: str) -> bool:
    """The clause is the topic word alone, give or take '您的'/'那' ("您的订单号，…")."""
    rest = _NOT_WORDS.sub("", clause.replace(word, "", 1))
    return len(rest) <= 2


def _asked_topics(analysis: ReplyAnalysis, facts: list[Fact]) -> set[str]:
    """The fact topics the reply's questions ask about: the topic must be named in a clause that asks,
    not merely stated elsewhere in the reply ("订单号我记下了" asks nothing)."""
    named = set(analysis.fact_topics)
    questions, lead_ins = _asking_clauses(analysis.text)
    if not questions:
        return named  # the scorer heard a question we cannot place: trust its topics
    spans: dict[str, list[str]] = {}
    for ev in analysis.evidence:
        if ev.kind == "topic":
            spans.setdefault(ev.rule, []).append(ev.span.text)
    asked: set[str] = set()
    for fact in facts:
        if fact.topic not in named:
            continue
        words = [w for w in (*fact.keywords, *spans.get(fact.topic, [])) if w]
        if any(w in q for q in questions for w in words) or any(
            w in c and _topic_only(c, w) for c in lead_ins for w in words
        ):
            asked.add(fact.topic)
    return asked


def _relevant(fact: Fact, issues) -> bool:
    """A fact bears on an issue when the customer's words for it name the issue (a keyword of it)."""
    said = f"{fact.value} {fact.reveal}"
    return any(kw and kw in said for issue in issues for kw in issue.keywords)


def _revealed_facts(customer, analysis: ReplyAnalysis, offered: bool) -> list[Fact]:
    """001 澄清问题: facts come out only when asked. A question tells the facts whose topic it asks about;
    an open question about the case that names no fact ('能具体说说是什么情况吗?') lets the customer tell
    one more fact, and only one that bears on the issue it asks about (or on any issue)."""
    if analysis.question == 0:
        return []
    facts = list(customer.scenario.facts)
    asked = _asked_topics(analysis, facts)
    unrevealed = [f for f in facts if f.topic not in customer.revealed]
    told = [f for f in unrevealed if f.topic in asked]
    # "您看哪种方式可以?" asks about the offer, not the case; "有没有别的不舒服?" asks about one fact only.
    if analysis.question_kind == "open" and not offered and not asked:
        issues = customer.scenario.issues
        named = [i for i in issues if i.id in analysis.issue_topics]
        told += [f for f in unrevealed if _relevant(f, named or issues)][:1]
    return told
