"""The customer model of a session, and one shared `transitions.Machine` per persona."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache

from transitions import Machine

from simulator.content.models import Persona, Scenario
from simulator.content.vocabulary import CUE_PREFIX
from simulator.engine.predicates import PREDICATES
from simulator.engine.reading import Reading, misfit_key


_LOOKING = {"follow_up", "contact_courier"}  # next steps that only look into it (查一下 / 联系快递核实)


class PersonaMachineError(ValueError):
    """A persona's machine cannot be built (unknown predicate, state or outcome)."""


class Customer:
    """A plain object the persona's machine drives: mood, counters and the reading of the last reply.

    Every named predicate is a method of the same name (the machine looks conditions up on the
    model); `state` is set by the machine.
    """

    state: str

    def __init__(self, persona: Persona, scenario: Scenario) -> None:
        self.persona = persona
        self.scenario = scenario
        self.mood: int = persona.mood.start
        self.reading: Reading = Reading()
        self.turns = 0  # trainee replies so far
        self.acknowledgements = 0  # replies with apology or empathy and no violation
        self.apologies = 0
        self.empathies = 0
        self.limit_holds = 0  # polite repetitions of the limits (001 礼貌的重复)
        self.open_asked = False  # an open question has been asked (001 澄清问题)
        self.in_agreement = False  # in an agreement state before the current reply
        self.issue_status: dict[str, bool] = {i.id: False for i in scenario.issues}
        # Each issue: open -> addressed (talked about, acknowledged) -> resolved (a concrete remedy the
        # customer accepted, or a hand-off naming who and by when; issue 8 §2).
        self.issue_resolution: dict[str, str] = {i.id: "open" for i in scenario.issues}
        self.acceptable_offered = False  # a concrete remedy they would take has been offered
        self.acceptable_kinds: list[str] = []  # the kinds of those remedies, in the order offered
        self.took_offer = False  # the customer has said yes to an offer (granted / accepted reluctantly)
        self._invited = False
        self.refunded_in_full = False  # the order's money was given back in full
        self.goods_given = False  # a reship or an exchange was offered
        self.listened = False  # acknowledged and invited to say it all (您先说，我听着), then heard out
        self.revealed: list[str] = []  # fact topics told, in order
        self.missing_parts: tuple[str, ...] = ()  # wanted parts an offer left out (补发两只杯子, no lid)
        self.money_offered: float | None = None  # the most money offered within policy so far
        self.loss_money: float | None = None  # the most money offered toward her loss (Reading.loss_money)
        self.faults = 0  # replies with a forbidden move (violation)
        self.amended = 0  # faults already apologised for (an apology after them: Reading.amends)
        self.questions_only = 0  # replies that asked (maybe promising to look), offering nothing: listening (heard)
        self.offered_before = False  # some reply offered a solution (a remedy, a hand-off)
        self.warned = 0  # blows before this reply, each of which only brought a warning (lost_patience)
        self.misfit_pending: set[str] = set()  # misfits (wrong_item, too_late…) no fitting offer has put right yet
        self.blow = False  # this reply is a blow: it leaves the customer furious and neither soothes nor owns up
        self.handed_off = False  # a hand-off naming who and by when was made (001 四.4): the bargaining is over
        self.concrete_kinds: set[str] = set()  # kinds of the concrete, fitting remedies offered so far
        # issues talked about in a reply that made her a concrete offer she would take, fitting (补偿这样算：…交通费补您
        # 200元，合计1000元 names the beach too): when she takes that offer later, they are settled with it
        self.offered_for: set[str] = set()
        self.choice_put = False  # the previous reply put a choice to the customer (您看是…还是…？您定)
        self.carried_on = False  # since she agreed, a reply carried the arrangement on (Reading.closing_word)

    def __getattr__(self, name: str):
        # A machine condition `cue:<name>` (issue 21 §1): the reply hit the case's cue of that name.
        if name.startswith(CUE_PREFIX):
            cue = name[len(CUE_PREFIX):]
            return lambda *_args, **_kwargs: cue in self.reading.cues.names
        raise AttributeError(name)

    def absorb(self, reading: Reading, mood: int) -> None:
        """Take in a reply's reading: the new mood, counters, issues and facts (before the machine fires)."""
        self.reading = reading
        # The previous reply was a blow and the customer is still here: it brought a warning (lost_patience).
        self.warned += int(self.blow)
        self.mood = mood
        # A blow leaves her furious without soothing her; owning up to one's own earlier forbidden move
        # (Reading.amends), a reply that lowers the mood, or one that makes an offer she would take (the other issue
        # still waiting: 加急派送，1小时内回您进度) is no blow, however angry she still is; nor is a question she answers
        # with a fact of the case (订单号发我一下？): she is being listened to, and the answer is on its way.
        self.blow = (mood >= self.persona.mood.escalate and not reading.amends
                     and (bool(reading.violations)
                          or (reading.mood_delta >= 0 and not reading.acceptable_offer and not reading.revealed)))
        self.turns += 1
        self.offered_before = self.offered_before or reading.offered
        # Asking lets the customer talk (麻烦您发我订单号，我马上调物流记录: with a promise to look, still listening);
        # a reply that acknowledges and asks is two listening moves.
        # (我现在就去问仓库: going to look, offering nothing yet, also leaves her the floor)
        self.questions_only += int((reading.question > 0 or reading.looks_into) and not reading.violations
                                   and not reading.repeated and set(reading.remedy_kinds) <= _LOOKING)
        # 不对，是3段的: what she agreed to is off until an offer puts that very thing right.
        self.misfit_pending -= set(reading.settles_misfits)
        # (also beside a forbidden move: she answers the blow first, but the wrong thing is still not what she wants)
        self.misfit_pending |= {misfit_key(m) for m in reading.misfits}
        if reading.amends:
            self.amended = self.faults
        self.faults += int(bool(reading.violations))
        self.acknowledgements += int(reading.acknowledges)
        self.apologies += int(reading.apology > 0)
        self.empathies += int(reading.empathy > 0)
        self.limit_holds += int(reading.polite_limit)
        self.open_asked = self.open_asked or (reading.question > 0 and reading.question_kind == "open")
        if reading.acceptable_offer and not reading.misfits:
            self.offered_for |= set(reading.addressed)
        for issue_id in reading.addressed:
            self.issue_status[issue_id] = True
            if self.issue_resolution[issue_id] == "open":
                self.issue_resolution[issue_id] = "addressed"
        self.acceptable_offered = self.acceptable_offered or reading.acceptable_offer
        # (a counter takes her yes back: 退款我马上给您办 taken, then 退款是276元 — 就276元？我说的是299元, round 18)
        self.took_offer = (self.took_offer and reading.counter is None) or bool({"granted", "accept_reluctant"} & set(reading.events))
        self.acceptable_kinds.extend(k for k in reading.acceptable_kinds if k not in self.acceptable_kinds)
        # Options put to her as a choice (全额退159元…如果您愿意换墨绿色也可以，您选哪个都行) are not both given: what
        # she picks is given when the next reply carries it out. Nor is an offer she was not ready to hear (a rushed
        # 您可以寄回来换一件 in a bad start) or refused: a later refund replaces it, it does not add to it.
        offer_stands = not (reading.puts_choice or reading.premature or reading.refused)
        self.refunded_in_full = self.refunded_in_full or (reading.refunds_in_full and offer_stands)
        self.goods_given = self.goods_given or (reading.gives_goods and offer_stands)
        # Invited to say it all, the customer has had the next turn to vent: from then on heard.
        self.listened = self.listened or self._invited
        self._invited = reading.invites_story
        for issue_id in reading.resolved:
            self.issue_resolution[issue_id] = "resolved"
        for issue_id in reading.reopened:  # what was taken turns out to be the wrong thing: open again
            self.issue_resolution[issue_id] = "addressed"
        self.revealed.extend(f.topic for f in reading.revealed)
        self.missing_parts = reading.missing_parts
        self.money_offered = reading.money_offered
        self.loss_money = reading.loss_money
        self.handed_off = self.handed_off or reading.limit_handoff
        self.choice_put = reading.puts_choice
        # (kept while she stays agreed: the reply that brought her there with a hand-off counts, and so does one after)
        self.carried_on = (self.carried_on and self.in_agreement) or reading.closing_word
        self.concrete_kinds.update(reading.concrete_kinds)


def _predicate_method(name: str):
    fn = PREDICATES[name]

    def method(self: Customer, *_args, **_kwargs) -> bool:
        return bool(fn(self))

    method.__name__ = name
    method.__doc__ = fn.__doc__
    return method


_INSTANCE_ATTRIBUTES = (
    "persona", "scenario", "mood", "reading", "turns", "acknowledgements", "apologies", "empathies",
    "limit_holds", "open_asked", "in_agreement", "issue_status", "issue_resolution", "acceptable_offered", "acceptable_kinds", "took_offer", "listened", "_invited", "refunded_in_full", "goods_given", "revealed", "missing_parts", "money_offered", "loss_money", "handed_off", "choice_put", "carried_on", "concrete_kinds", "offered_for", "warned", "blow", "misfit_pending", "faults", "amended", "offered_before", "questions_only", "state", "trigger",
    "reply", "timeout",
)
for _name in PREDICATES:
    # A predicate shadowed by an attribute (or a machine trigger) would silently read the wrong thing.
    if _name in Customer.__dict__ or _name in _INSTANCE_ATTRIBUTES:
        raise RuntimeError(f"predicate {_name!r} collides with a Customer attribute")
    setattr(Customer, _name, _predicate_method(_name))


@dataclass(frozen=True)
class PersonaMachine:
    """A persona's shared machine plus what the engine needs to know about its states."""

    machine: Machine
    labels: dict[str, str]
    outcomes: dict[str, str]  # final state -> outcome
    agreement_states: frozenset[str]  # non-final states with a transition to a resolved state
    has_timeout: bool

    def first_state_with(self, outcome: str) -> str | None:
        """The first final state (in file order) whose outcome is `outcome`."""
        return next((s for s, o in self.outcomes.items() if o == outcome), None)


def machine_for(persona: Persona) -> PersonaMachine:
    """The shared machine of `persona` (cached by the machine's content, so edited personas rebuild)."""
    return _build(json.dumps(persona.machine.model_dump(mode="json"), sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=64)
def _build(spec_json: str) -> PersonaMachine:
    spec = json.loads(spec_json)
    names = [s["name"] for s in spec["states"]]
    outcomes = {s["name"]: s["outcome"] for s in spec["states"] if s.get("outcome")}
    live = [n for n in names if n not in outcomes]
    problems: list[str] = []
    if spec["initial"] not in names:
        problems.append(f"initial state {spec['initial']!r} is not a state")
    transitions = []
    for t in spec["transitions"]:
        for name in t["conditions"] + t["unless"]:
            if name not in PREDICATES and not name.startswith(CUE_PREFIX):
                close = difflib.get_close_matches(name, PREDICATES, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else " (the named conditions are in docs/engine.md)"
                problems.append(f"unknown predicate '{name}'{hint}")
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        # '*' means every state still in play; a final state never moves again.
        sources = [s for src in sources for s in (live if src == "*" else [src])]
        bad = [s for s in sources + [t["dest"]] if s not in names]
        if bad:
            problems.append(f"transition {t['trigger']}: unknown state(s) {', '.join(bad)}")
        transitions.append(
            {"trigger": t["trigger"], "source": sources, "dest": t["dest"],
             "conditions": list(t["conditions"]), "unless": list(t["unless"])}
        )
    if problems:
        raise PersonaMachineError("; ".join(problems))
    machine = Machine(
        model=None, states=names, transitions=transitions, initial=spec["initial"],
        auto_transitions=False, ignore_invalid_triggers=True,
    )
    resolved = {s for s, o in outcomes.items() if o == "resolved"}
    # A state the customer waits for the close in: it moves to `resolved` on the close alone. A
    # transition that must also settle every issue (all_issues_resolved) is not such a wait.
    agreement = frozenset(
        s for t in transitions if t["dest"] in resolved and "all_issues_resolved" not in t["conditions"]
        for s in t["source"] if s not in outcomes
    )
    return PersonaMachine(
        machine=machine,
        labels={s["name"]: s.get("label") or s["name"] for s in spec["states"]},
        outcomes=outcomes,
        agreement_states=agreement,
        has_timeout=any(t["trigger"] == "timeout" for t in transitions),
    )
