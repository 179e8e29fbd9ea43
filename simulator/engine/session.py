"""Session: one conversation between a trainee and a scripted customer.

Reply by reply: analyse (scorer) -> read (mood, issues, facts, remedies, policy) -> fire the
persona's machine -> compose the customer's answer from the line pools. Time only from the
injected clock, randomness only from `random.Random(seed)`, so the same content, seed and
replies give the same conversation.
"""

from __future__ import annotations

import math

import random
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from scoring.models import AnalysisContext, MisfitNote, ReplyAnalysis, Scorecard, SessionRecord, Topic, TurnRecord
from simulator.content.models import Persona, Scenario
from simulator.engine.clock import Clock, SystemClock
from simulator.engine.answer import DEFAULT_LINES, Composer
from simulator.engine.customer import Customer, machine_for
from simulator.engine.lines import LinePicker
from simulator.engine.mood import clamp
from simulator.engine.reading import misfit_key, read_reply

Analyzer = Callable[[str, AnalysisContext], ReplyAnalysis]

# DEFAULT_LINES is re-exported for older clients; the pool names themselves live in simulator.content.vocabulary.
__all__ = ["DEFAULT_LINES", "CustomerMessage", "Session", "SessionFinished", "Turn", "TurnResult"]


class SessionFinished(RuntimeError):
    """`Session.reply` was called after the conversation had ended."""


@dataclass(frozen=True)
class CustomerMessage:
    """One message from the customer. kind: opening, reply, nudge, reminder, leave or close."""

    text: str
    kind: str
    mood: int
    state: str
    state_label: str


@dataclass(frozen=True)
class Turn:
    """One line of the transcript; `seconds` is the time the trainee took (None for the customer)."""

    role: str  # 'customer' or 'trainee'
    text: str
    mood: int
    state: str
    seconds: float | None = None


@dataclass(frozen=True)
class TurnResult:
    """What one trainee reply led to."""

    analysis: ReplyAnalysis
    messages: list[CustomerMessage]
    mood: int
    state: str
    state_label: str
    finished: bool
    outcome: str | None
    policy_breaches: list[str] = field(default_factory=list)
    misfits: list = field(default_factory=list)  # simulator.engine.fit.Misfit: offers that do not fit the case


@dataclass
class _ReplyLog:
    text: str
    seconds: float
    analysis: ReplyAnalysis
    quick_reply: bool
    customer_message: str
    customer_upset: bool
    policy_breaches: list[str]
    addressed: list[str] = field(default_factory=list)
    misfits: list = field(default_factory=list)
    short_money: tuple[str, str, str] | None = None  # (offered, demanded, quote): money the customer countered
    settles: tuple[str, ...] = ()  # misfit keys this reply's fitting offer put right (Reading.settles_misfits)


class Session:
    """A conversation: `start()`, then `reply()` for each trainee message and `poll()` on a timer.

    `reply()` after the session has finished raises `SessionFinished`.
    """

    def __init__(
        self,
        scenario: Scenario,
        persona: Persona,
        seed: int = 0,
        clock: Clock | None = None,
        analyzer: Analyzer | None = None,
        quick_replies: list[str] | tuple[str, ...] = (),
    ) -> None:
        self.scenario = scenario
        self.persona = persona
        self.seed = seed
        self.clock: Clock = clock or SystemClock()
        self._analyze: Analyzer = analyzer or _default_analyzer
        self._quick_replies = tuple(str(q) for q in quick_replies)  # the palette: pasted, it reads as canned
        self._rng = random.Random(seed)
        self._pm = machine_for(persona)
        self._customer = Customer(persona, scenario)
        self._pm.machine.add_model(self._customer)
        # The shared machine must not keep the customers of abandoned Session objects alive.
        weakref.finalize(self, _release, self._pm.machine, self._customer)
        self._lines = LinePicker(persona, scenario, self._rng)
        self._say = Composer(self._lines, scenario, self._pm.agreement_states)
        self.transcript: list[Turn] = []
        self.mood_history: list[int] = [self._customer.mood]
        self._replies: list[_ReplyLog] = []
        self._since_reply: list[str] = []  # customer lines since the trainee's last reply
        self._waiting_since: float = self.clock.now()
        self._nudges = 0
        self._started = False
        self._outcome: str | None = None
        self._breaches: list[str] = []
        # The app polls from a timer while a worker sends replies: one change at a time.
        self._lock = threading.RLock()

    # ---- state ---------------------------------------------------------------------------

    @property
    def mood(self) -> int:
        """The customer's mood now, 0 calm … 100 furious."""
        return self._customer.mood

    @property
    def state(self) -> str:
        """The customer's state id."""
        return self._customer.state

    @property
    def state_label(self) -> str:
        """The customer's state as the trainee sees it (Chinese)."""
        return self._pm.labels.get(self.state, self.state)

    @property
    def finished(self) -> bool:
        """Whether the conversation is over."""
        return self._outcome is not None

    @property
    def outcome(self) -> str | None:
        """resolved, escalated, abandoned, unfinished — or None while the conversation goes on."""
        return self._outcome

    @property
    def policy_breach(self) -> bool:
        """Whether any reply offered more than the scenario's policy allows."""
        return bool(self._breaches)

    @property
    def issue_status(self) -> dict[str, bool]:
        """Each issue id -> whether a reply has addressed it."""
        return dict(self._customer.issue_status)

    @property
    def issue_resolution(self) -> dict[str, str]:
        """Each issue id -> 'open', 'addressed' (talked about) or 'resolved' (remedied or handed off)."""
        return dict(self._customer.issue_resolution)

    @property
    def heard(self) -> bool:
        """Whether the customer feels heard (001 平息怨气): the `heard` predicate, now."""
        from simulator.engine.predicates import PREDICATES

        return PREDICATES["heard"](self._customer)

    @property
    def meter_label(self) -> str:
        """The name of the customer's mood meter (怒气, or the persona's own, e.g. 不安)."""
        return self.persona.mood.label

    @property
    def offer_on_table(self) -> bool:
        """A concrete remedy the customer would take has been offered (coaching moves on to the close)."""
        return self._customer.acceptable_offered

    @property
    def revealed_facts(self) -> list[str]:
        """Topics of the facts the customer has told, in order."""
        return list(self._customer.revealed)

    def waiting_seconds(self) -> float:
        """Seconds since the customer's last message (nudges do not restart the wait)."""
        return max(0.0, self.clock.now() - self._waiting_since)

    # ---- the conversation ----------------------------------------------------------------

    def start(self) -> list[CustomerMessage]:
        """The customer's opening: persona `opening` pool, one scenario opening, each issue's complaint."""
        if self._started:
            raise RuntimeError("the session has already started")
        self._started = True
        texts: list[str] = []
        outburst = self._lines.pick("opening")
        if outburst:
            texts.append(outburst)
        opening = self._lines.pick_from(self.scenario.opening)
        if opening:
            texts.append(opening)
        for issue in self.scenario.issues:
            if issue.complaint and issue.complaint not in texts:
                self._lines.mark_said(issue.complaint)
                texts.append(issue.complaint)
        messages = [self._message(t, "opening") for t in texts]
        self._after_customer(messages, restart_wait=True)
        return messages

    def poll(self) -> list[CustomerMessage]:
        """Call on a timer: a nudge past the response limit, the customer leaving past their patience.

        Never blocks: while a reply is being processed (another thread) it returns [] at once.
        """
        if not self._lock.acquire(blocking=False):
            return []  # a reply is on its way; the next tick catches up
        try:
            return self._poll()
        finally:
            self._lock.release()

    def next_timer_event(self) -> float:
        """The waiting time (seconds since the last customer message) at which poll() next acts.

        That is the next nudge (a whole multiple of the response limit) or the customer leaving
        (past patience.seconds), whichever comes first; infinity once the session is over.
        Scripted replay uses it to skip the seconds in which polling cannot do anything.
        """
        if self.finished:
            return math.inf
        return min(self.persona.patience.seconds, self.scenario.response_limit_seconds * (self._nudges + 1))

    def _poll(self) -> list[CustomerMessage]:
        if self.finished or not self._started:
            return []
        waited = self.waiting_seconds()
        if waited > self.persona.patience.seconds:
            return self._leave()
        due = int(waited // self.scenario.response_limit_seconds)
        if waited > self.scenario.response_limit_seconds and due > self._nudges:
            self._nudges = due  # one nudge per elapsed limit, never a burst
            text = self._say.nudge(due - 1)
            messages = [self._message(text, "nudge")]
            self._after_customer(messages, restart_wait=False)
            return messages
        return []

    def reply(self, text: str, quick_reply: bool = False) -> TurnResult:
        """The trainee's reply; returns the analysis and the customer's answer.

        Raises SessionFinished when the conversation has already ended.
        """
        with self._lock:
            return self._reply(text, quick_reply)

    def _reply(self, text: str, quick_reply: bool) -> TurnResult:
        if not self._started:
            self.start()
        if self.finished:
            raise SessionFinished(f"the conversation has ended ({self._outcome}); start a new session")
        early = self._poll()
        seconds = self.waiting_seconds()
        customer_message = "\n".join(self._since_reply)
        context = AnalysisContext(
            customer_message=customer_message,
            issue_topics=[Topic(id=i.id, keywords=i.keywords) for i in self.scenario.issues],
            fact_topics=[Topic(id=f.topic, keywords=f.keywords) for f in self.scenario.facts],
            previous_replies=[r.text for r in self._replies],
            case_terms=list(self.scenario.case_terms),
            calendar=self.scenario.calendar.iso if self.scenario.calendar else None,
        )
        analysis = self._analyze(text, context)
        upset_before = self._customer.mood > self.persona.mood.calm
        if self.finished:
            # The customer left before this reply arrived; it is still graded.
            self.transcript.append(Turn("trainee", text, self.mood, self.state, round(seconds, 3)))
            self._log(text, seconds, analysis, quick_reply, customer_message, upset_before, [])
            return self._result(analysis, early, [])

        customer = self._customer
        customer.in_agreement = customer.state in self._pm.agreement_states
        reading = read_reply(customer, analysis, seconds, customer_message, self._quick_replies, quick_reply)
        customer.absorb(reading, clamp(customer.mood + reading.mood_delta))
        state_before = customer.state
        customer.trigger("reply")
        breaches = [f"“{_excerpt(text)}”{b}" for b in reading.breaches]  # the reply and the limit it crossed
        self._breaches.extend(breaches)
        self._log(text, seconds, analysis, quick_reply, customer_message, upset_before, breaches,
                  # (an issue this reply settled it answered too: 另赠30元代金券 for the lateness owned before)
                  list(dict.fromkeys([*reading.addressed, *reading.resolved])), list(reading.misfits),
                  tuple(reading.settles_misfits))
        if reading.counter:
            self._replies[-1].short_money = (*reading.counter, _money_quote(analysis))
        self.mood_history.append(customer.mood)
        if customer.state in self._pm.outcomes:
            self._finish(self._pm.outcomes[customer.state])
        # A blow and still here (patience.warnings): the customer warns (predicate lost_patience).
        warning = self._outcome is None and customer.blow
        said = self._say.answer(reading, customer.state, state_before, self._outcome, warning)
        answer = [self._message(text, kind) for text, kind in said]
        # The trainee's line carries the mood and state their reply led to.
        self.transcript.append(Turn("trainee", text, self.mood, self.state, round(seconds, 3)))
        self._after_customer(answer, restart_wait=True)
        messages = early + answer
        return self._result(analysis, messages, breaches, list(reading.misfits))

    def end(self) -> None:
        """The trainee stops: the outcome becomes 'unfinished' unless the session had already ended — or
        'resolved' when the customer was left agreed to an arrangement that settles everything (`left_agreed`)."""
        with self._lock:
            if self.finished:
                return
            resolved = self._pm.first_state_with("resolved")
            if resolved and self.left_agreed:
                self._pm.machine.set_state(resolved, model=self._customer)
                self._finish("resolved")
            else:
                self._finish("unfinished")

    @property
    def left_agreed(self) -> bool:
        """A trainee who stops now leaves a customer who has come round (an agreement state) to an arrangement that
        settles every issue, within the policy, with nothing offered that did not fit and was not put right; a reply
        since she agreed carried the arrangement on (a commitment, following up what was agreed, carrying it out, a
        hand-off naming who and by when); and the last reply was no forbidden move, template or repeat and did not
        make her angrier (再说一次抱歉，提前祝叔叔生日快乐 after the arrangement is fine). A team lead counts that resolved —
        the substance is fixed; the closing sentences the reply lacks (apology, thanks) cost points on the scorecard.
        Nice words alone never get here: the agreement state needs every issue settled."""
        c = self._customer
        return (c.state in self._pm.agreement_states and bool(self._replies)
                and all(v == "resolved" for v in c.issue_resolution.values())
                and not c.misfit_pending and not self._breaches
                and c.carried_on and c.reading.courteous and c.reading.mood_delta <= 0 and not c.blow)

    # ---- results -------------------------------------------------------------------------

    def record(self) -> SessionRecord:
        """The conversation for grading (scoring's SessionRecord)."""
        return SessionRecord(
            scenario_id=self.scenario.id, category=self.scenario.category, better=dict(self.scenario.better),
            issues=[Topic(id=i.id, keywords=i.keywords, summary=i.summary,
                          resolved_by=[getattr(k, "value", k) for k in i.resolved_by]) for i in self.scenario.issues],
            response_limit_seconds=self.scenario.response_limit_seconds,
            outcome=self._outcome or "unfinished",
            turns=[
                TurnRecord(
                    index=n, customer_message=r.customer_message, reply=r.text, seconds=r.seconds,
                    analysis=r.analysis, quick_reply=r.quick_reply, customer_upset=r.customer_upset,
                    policy_breaches=r.policy_breaches, addressed_issues=r.addressed,
                    misfits=[MisfitNote(why=m.why, reason=m.reason, quote=m.quote, key=misfit_key(m)) for m in r.misfits]
                    + self._short_note(r),
                    settles_misfits=list(r.settles),
                )
                for n, r in enumerate(self._replies)
            ],
        )

    def scorecard(self) -> Scorecard:
        """Grade the conversation so far (scoring.grade_session); the outcome counts once it is over."""
        from scoring import grade_session

        return grade_session(self.record(), ended=self.finished)

    # ---- internals -----------------------------------------------------------------------

    def _leave(self) -> list[CustomerMessage]:
        c, pm = self._customer, self._pm
        c.trigger("timeout")
        if c.state not in pm.outcomes:
            target = pm.first_state_with("abandoned")
            if target:
                pm.machine.set_state(target, model=c)
        self._finish("abandoned")
        messages = [self._message(self._say.leave(c.state), "leave")]
        self._after_customer(messages, restart_wait=False)
        return messages

    def _message(self, text: str, kind: str) -> CustomerMessage:
        return CustomerMessage(text, kind, self.mood, self.state, self.state_label)

    def _after_customer(self, messages: list[CustomerMessage], restart_wait: bool) -> None:
        for m in messages:
            self.transcript.append(Turn("customer", m.text, m.mood, m.state))
            self._since_reply.append(m.text)
        self._lines.end_message()
        if restart_wait:
            self._waiting_since = self.clock.now()
            self._nudges = 0

    def _log(self, text, seconds, analysis, quick_reply, customer_message, upset, breaches, addressed=(),
             misfits=(), settles=()) -> None:
        self._replies.append(
            _ReplyLog(text, round(seconds, 3), analysis, quick_reply, customer_message, upset, breaches,
                      list(addressed), list(misfits), settles=tuple(settles))
        )
        self._since_reply = []

    def _short_note(self, r: _ReplyLog) -> list[MisfitNote]:
        """Issue 17 §4: money far below the customer's claim, which she countered, is part of what she asked for
        (`incomplete`) — unless the conversation then held the limit politely a second time or handed the rest to
        someone by a time (001 四.4, 002): then the sum is what the policy allows and the claim is passed on."""
        c = self._customer
        if not r.short_money or c.handed_off or c.limit_holds >= 2:
            return []
        said, wanted, quote = r.short_money
        reason = f"只给了“{said}”，顾客要的是“{wanted}”：差得太远，也没有说明权限、把超出的部分转交给谁、几天内答复"
        return [MisfitNote(why="incomplete", reason=reason, quote=quote)]

    def _finish(self, outcome: str) -> None:
        self._outcome = outcome
        _release(self._pm.machine, self._customer)

    def _result(self, analysis: ReplyAnalysis, messages: list[CustomerMessage], breaches: list[str],
                misfits: list | None = None) -> TurnResult:
        return TurnResult(
            analysis=analysis, messages=messages, mood=self.mood, state=self.state,
            state_label=self.state_label, finished=self.finished, outcome=self._outcome,
            policy_breaches=breaches, misfits=misfits or [],
        )


def _excerpt(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _release(machine, customer: Customer) -> None:
    if customer in machine.models:
        machine.remove_model(customer)


def _default_analyzer(text: str, context: AnalysisContext) -> ReplyAnalysis:
    from scoring import analyze

    return analyze(text, context)


def _money_quote(analysis: ReplyAnalysis) -> str:
    """The clause of the largest sum offered (为表歉意给您申请了一张10元的店铺优惠券)."""
    money = [sl for sl in analysis.slots if sl.offered and sl.amount_yuan]
    best = max(money, key=lambda sl: sl.amount_yuan or 0, default=None)
    return best.span.text if best else _excerpt(analysis.text)
