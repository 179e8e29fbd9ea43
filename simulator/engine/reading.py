"""What one analysed reply means to this customer: computed in full before the machine fires."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from scoring.models import Remedy, RemedyKind, ReplyAnalysis
from scoring.normalize import normalize, normalize_keyword, similarity
from scoring.relevance import is_template
from scoring.slots import deducted
from simulator.content.models import Fact
from simulator.engine.cues import CueReading, act_mood, case_cues, read_acts, read_cues
from simulator.engine import fit
from simulator.engine.mood import MoodInputs, mood_change
from simulator.engine.predicates import HEARD_AFTER
from simulator.engine.policy import DOUBLE_BREACH, judge_remedies, scenario_amounts, whole_refund
from simulator.content.vocabulary import EVENT_ANSWER_POOLS

PARROT_SIMILARITY = 0.6  # a reply this close to the customer's own complaint parrots it back (003 禁区6)
QUICK_REPLY_SIMILARITY = 0.85  # a reply this close to a palette phrase is that quick reply
_LOOKING = frozenset({RemedyKind.follow_up, RemedyKind.contact_courier, RemedyKind.escalate})
_GOODWILL = frozenset({"voucher", "compensation"})  # money given as an apology, for no one problem in particular


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
    # Once agreed, words that carry the arrangement on (a commitment, following up what was agreed, carrying it out)
    # or a hand-off naming who and by when, with no forbidden move (Session.left_agreed)
    closing_word: bool = False
    # Neither a forbidden move, nor nonsense, a template or a near-repeat: a last reply that leaves an agreement standing
    courteous: bool = False
    addressed: tuple[str, ...] = ()  # issue ids this reply addressed (new or again)
    invites_story: bool = False  # 您先说，我听着 (001 平息怨气)
    resolved: tuple[str, ...] = ()  # issue ids this reply resolved: a concrete accepted remedy or a hand-off
    acceptable_offer: bool = False  # a concrete remedy the customer would take (gladly or grudgingly)
    refunds_in_full: bool = False  # the order's money back in full
    gives_goods: bool = False  # a reship or an exchange
    nonsense: bool = False  # keyword stuffing: no reply at all
    generic: bool = False  # a template that names nothing of the case
    granted: bool = False  # a concrete remedy the customer wants
    limit_handoff: bool = False  # a hand-off naming who and by when (001 四.4 礼貌的重复)
    weak_action: bool = False  # only a vague action (我帮您反馈一下)
    looks_into: bool = False  # only a promise to look into it, not vague (我现在就去问仓库为什么还没出库)
    time_frame: bool = False  # a remedy with a time frame
    concrete_commitment: bool = False  # a non-vague remedy with a time, an amount or a firm commitment
    remedy_kinds: tuple[str, ...] = ()  # kinds of the remedies offered
    acceptable_kinds: tuple[str, ...] = ()  # kinds of this reply's remedies the customer would take
    settles_misfits: tuple[str, ...] = ()  # misfit kinds (wrong_item, too_late…) this reply's fitting offer puts right
    chosen_remedy: str | None = None  # asked to choose, the kind the customer picks of those offered
    asked_again: bool = False  # asked about facts already told
    unknown_question: bool = False  # asked about something no fact answers
    violation_pools: tuple[str, ...] = ()  # violated_<code> pools, excuse first
    revealed: tuple[Fact, ...] = ()  # facts told in answer to this reply
    reminder_issue: str | None = None  # an open issue the customer comes back to (000)
    mood_delta: int = 0
    offered: bool = False
    acknowledges: bool = False
    events: tuple[str, ...] = field(default=())
    acts: tuple[str, ...] = ()  # reader acts by condition name (breezy, brushed_off, …; engine.cues)
    cues: CueReading = CueReading()  # the case's cues this reply hit (issue 21 §1)
    wrong_facts: tuple[tuple[str, str], ...] = ()  # (said, right): facts the reply states wrongly
    counter: tuple[str, str] | None = None  # (offered, demanded) money when the customer counters
    took_offer_before: bool = False  # the customer said yes to an offer before this reply (issue 17 §3)
    concrete_kinds: tuple[str, ...] = ()  # kinds of the concrete remedies that fit (a hand-off's own answer left out)
    puts_choice: bool = False  # the reply asks the customer to choose (您看是…还是…？), with no forbidden move
    reopened: tuple[str, ...] = ()  # issues settled before that this reply's misfit shows were not (issue 17 §3)
    misfits: tuple[fit.Misfit, ...] = ()  # offers that do not fit the case (too late, wrong item, incomplete, conditional)
    amends: bool = False  # apologises after the trainee's own earlier forbidden move
    missing_parts: tuple[str, ...] = ()  # wanted parts no goods offer has covered yet (issue 17 §3)
    money_offered: float | None = None  # the most money offered so far within the policy (a later bare 退回 pays it)
    loss_money: float | None = None  # the most money offered so far toward her loss (the order's price back left out)
    kinds_so_far: tuple[str, ...] = ()  # the remedy kinds offered in the conversation up to this reply (a hand-off too)
    said: str = ""  # the reply, normalised: a line that throws words back is said only when they were said


_SENTENCE_END = re.compile(r"[。!?;！？；\n]")


def _in_handoff(analysis: ReplyAnalysis, remedy) -> bool:
    """`remedy` stands in a sentence that hands the case to a supervisor (an escalate remedy in it)."""
    text = analysis.text
    def sentence(at: int) -> tuple[int, int]:
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
        end_m = _SENTENCE_END.search(text, at)
        return start, end_m.start() if end_m else len(text)
    here = sentence(remedy.span.start)
    return any(r.kind is RemedyKind.escalate and sentence(r.span.start) == here for r in analysis.remedies)


def read_reply(customer, analysis: ReplyAnalysis, seconds: float, customer_message: str,
               quick_replies: tuple[str, ...] = (), quick_reply: bool = False) -> Reading:
    """Read `analysis` against `customer` (not changed here) and return everything the reply changes."""
    persona, scenario = customer.persona, customer.scenario
    nonsense = analysis.not_a_reply is not None
    if nonsense:  # keyword stuffing is no reply: nothing offered, asked or acknowledged
        analysis = analysis.model_copy(update={"remedies": [], "violations": [], "issue_topics": [],
                                               "fact_topics": [], "asks_preference": False})
    violations = tuple(analysis.violation_codes)
    remedies = _net_of_deductions(analysis, scenario_amounts(scenario))
    # A template about nothing in the case offers nothing for this case, whatever its words.
    # One definition of a template for the customer and the scorecard (scoring.relevance); a remedy
    # this customer cares about, or the close once they agreed, is about the case even so.
    wanted = {*scenario.wish.accepts, *scenario.wish.reluctant, *scenario.wish.refuses}
    closing_words = int(analysis.apology > 0) + int(analysis.thanks) + int(analysis.commitment) >= 2
    # Asking what the customer thinks of the offers already made (您看这样处理可以吗？) is about them, too.
    # So is carrying out what was offered (好的，我今天就提交，24小时内到账，后续我都会跟进).
    # And so is answering the choice she was just asked to make (好，就照您说的办。1小时内我主动打给您), and, once she
    # agreed, following up what she agreed to (要得，进度我盯着，有消息马上告诉您).
    checks_offer = customer.offered_before and not analysis.violations and (
        ((analysis.asks_preference or analysis.offers_choice) and analysis.question > 0)
        or (analysis.commitment and (analysis.apology > 0 or analysis.thanks))
        or (analysis.commitment and customer.in_agreement))
    # Owning up (对不起，我刚才的话不对): the first apology after the trainee's own forbidden move is a new apology,
    # not a worn-out one; it is how a bad start is repaired.
    amends = analysis.apology > 0 and not violations and not nonsense and customer.faults > customer.amended
    # Owning up answers what was said before (我刚刚讲错了，不该把您推给快递): it is about this conversation, no template.
    generic = (not nonsense and is_template(analysis) and not amends
               and not any(r.kind in wanted for r in remedies)
               and not (closing_words and customer.in_agreement) and not checks_offer)
    if generic:
        remedies = []
    alternatives = analysis.offers_alternatives
    # Issue 17 §3: an offer too late for what the customer needs, of the wrong colour or size, or on a
    # condition is no remedy they can take (it still counts against the policy).
    misfit = [] if (nonsense or generic) else fit.misfits(scenario, analysis, customer.missing_parts,
                                                          customer.loss_money, customer.concrete_kinds)
    # The parts still missing after this reply: an incomplete offer names them; a complete goods offer settles them.
    gaps = [m for m in misfit if m.why == "incomplete"]
    goods_offered = any(s.offered and s.kind in fit.GOODS for s in analysis.slots) and not (nonsense or generic)
    missing_parts = tuple(gaps[0].wanted.split("、")) if gaps else (() if goods_offered else customer.missing_parts)
    unfit = {m.kind for m in misfit}
    verdict = judge_remedies(remedies, scenario.wish, scenario.policy, scenario_amounts(scenario),
                             alternatives=alternatives, on_table=customer.money_offered)
    if unfit:
        fitting = [r for r in remedies if r.kind not in unfit]
        breaches = verdict.breaches
        verdict = dataclasses.replace(
            judge_remedies(fitting, scenario.wish, scenario.policy, scenario_amounts(scenario),
                           alternatives=alternatives, on_table=customer.money_offered), breaches=breaches)
    # The money back in full in one reply and the goods again in another is the same double remedy.
    # (An option offered — 退款还是换货, 如果您不想等也可以退款 — is not given yet.)
    full_now = not alternatives and any(whole_refund(r, scenario.policy, scenario_amounts(scenario)) for r in remedies)
    goods_now = not alternatives and any(r.kind in (RemedyKind.reship, RemedyKind.exchange) for r in remedies)
    if ((full_now and customer.goods_given) or (goods_now and customer.refunded_in_full)) \
            and DOUBLE_BREACH not in verdict.breaches:
        verdict = dataclasses.replace(verdict, breaches=(*verdict.breaches, DOUBLE_BREACH))
    if unfit:
        remedies = [r for r in remedies if r.kind not in unfit]
    offered = (analysis.solution > 0 and not generic and not nonsense) or verdict.concrete or bool(misfit)
    heard_before = customer.acknowledgements > 0 and (
        customer.acknowledgements + customer.questions_only >= HEARD_AFTER
        or customer.mood <= persona.mood.calm or customer.listened)
    # An explanation: talks about the problem with no apology, empathy or question (事情不是您想的那样).
    # (我现在就去问仓库为什么还没出库 promises a look: it names the problem, it does not explain it away)
    # (已经为您加急处理，请您耐心等待 is a vague stall, no look: it still pushes a customer not yet heard)
    looks_only = (bool(analysis.remedies) and all(r.kind in _LOOKING and not r.weak for r in analysis.remedies)
                  and not nonsense)
    explains = bool(analysis.issue_topics) and not (analysis.apology or analysis.empathy or analysis.question
                                                     or looks_only)
    # 001 平息怨气: a customer who must be heard takes any solution or explanation before that badly
    # (a template's "会尽快处理" too).
    # (我马上帮您查 / 联系快递核实 is looking into it, not answering: only a remedy rushes her.)
    material = [r for r in analysis.remedies if r.kind not in _LOOKING and not r.weak]
    rushed = not nonsense and bool(material)
    premature = persona.must_be_heard and (rushed or explains) and not heard_before
    acknowledges = (analysis.apology > 0 or analysis.empathy > 0) and not violations and not nonsense
    if generic and customer.apologies > 0:
        acknowledges = False  # the same comfort pasted again is no longer comfort
    # A quick reply pasted as the very first reply repeats nothing yet ("又是这句" would be wrong):
    # it is read for what it says (a template about nothing in the case is `generic`).
    repeated = (analysis.repeats_turn is not None or _parrots(analysis.text, customer)
                or (customer.turns > 0 and (quick_reply or _is_quick_reply(analysis.text, quick_replies))))
    concrete = [r for r in remedies if not r.weak and not promise_to_look(r, analysis)]
    # Once agreed, following up what was agreed (拦截跟退款进度我都会帮您追, 退款进度我会盯着) is the close's commitment,
    # not a vague action: the customer does not ask again for what she just accepted (issue 17 §3).
    follows_up = customer.in_agreement and not violations and (
        analysis.commitment or any(r.kind in _LOOKING for r in remedies))
    weak_action = bool(remedies) and not concrete and not analysis.handoff and not closing_words and not follows_up
    time_frame = any(r.time_frame or r.hours is not None for r in concrete)
    concrete_commitment = bool(concrete) and (analysis.solution >= 2 or time_frame
                                              or any(r.amount_yuan or r.percent or r.full for r in concrete))
    handoff = analysis.handoff
    limit_handoff = (handoff is not None and handoff.time_frame is not None and not violations
                     and not premature and not generic)
    # Given what they asked, the customer is relieved — also when it goes beyond policy (the breach is the
    # shop's problem; an extortion-minded customer's raise_demand pool answers that first).
    granted = verdict.accepted and concrete_commitment and not premature

    addressed = [] if (generic or nonsense) else _addressed_issues(customer, analysis, violations, premature)
    # An issue is resolved by a concrete remedy the customer takes (a concession beyond policy too:
    # it is given, and costs its breach), by a hand-off naming who and by when, or — for an issue
    # whose `resolved_by` lists `apology` — by a sincere apology with a commitment to improve.
    polite_limit = (
        (analysis.apology > 0 or analysis.empathy > 0) and verdict.concrete and not verdict.breaches and not violations
    )
    # 001 礼貌的重复 / 002: a customer who holds out answers the first offer with the demand again;
    # the issue is settled only once the line is held a second time (or handed off).
    holding_out = persona.holds_out == "always" or (persona.holds_out == "reluctant" and not verdict.accepted)
    # (001 四.3 征求对方意见: a choice within the limits makes them feel respected, and ends the hold-out.)
    choice = (analysis.asks_preference and bool(concrete) and not verdict.breaches and not violations
              and analysis.names_options)
    # (once a hand-off named who and by when, the demand is the supervisor's to answer: no more haggling here)
    bargaining = (holding_out and customer.limit_holds + int(polite_limit) < 2 and not limit_handoff and not choice
                  and not customer.handed_off)
    resolving = ((verdict.accepted or verdict.reluctant) and concrete_commitment and not premature
                 and not (bargaining and not verdict.breaches))
    # The line held a second time (001 礼貌的重复) or a hand-off with who and when settles what was
    # already talked about: the customer stops holding out on the offers made so far.
    acceptable_offer = (verdict.accepted or verdict.reluctant) and concrete_commitment and not premature
    held = limit_handoff or (holding_out and polite_limit and customer.limit_holds >= 1
                             and (acceptable_offer or customer.acceptable_offered))
    resolved_ids = []
    blocked = fit.blocked_issues(scenario, misfit)
    money_short = None if (nonsense or generic) else fit.short_of_demand(scenario, analysis)
    wrong_facts = [] if (nonsense or generic) else fit.wrong_facts(scenario, analysis, scenario_amounts(scenario).order_value)
    # The answer a hand-off promises (反映给主管，2天内给您答复) is the hand-off's, not a follow-up of the goods.
    # (the payout of money offered before settles no issue the goods' own remedies settle)
    own_kinds = {r.kind.value for r in concrete if not (r.kind is RemedyKind.follow_up and _in_handoff(analysis, r))
                 and not _payout(r, customer.loss_money, scenario)}
    for issue in scenario.issues:
        kinds = set(issue.resolved_by)
        # An issue talked about before is settled by a later remedy of a kind it names (lost parcel:
        # the reship offered for the baby's milk settles the lost parcel too).
        earlier = customer.issue_resolution[issue.id] == "addressed"
        named_kind = bool(kinds & own_kinds)
        # A complaint about the service talked about before is settled by a later apology with a
        # commitment to improve (仓库核单我们会加强，不再出这种错).
        apology_later = "apology" in kinds and bool(analysis.apology) and analysis.commitment
        settles_by_hold = held and (not kinds - {"apology"} or "escalate" in kinds
                                    or bool(kinds & (own_kinds | set(customer.concrete_kinds))))
        # 000: the other problem, owned before with an apology and named by no remedy kind, is settled by the goodwill
        # money of the reply that settles the first (晚到三天…真诚向您道歉; then 补发深棕色…另赠30元代金券).
        goodwill_later = (not kinds and resolving and bool(own_kinds & _GOODWILL) and bool(addressed)
                          and (issue.wish is None or issue.wish.demand_yuan is None) and scenario.wish.demand_yuan is None)
        # An offer made for it before (in the reply that talked about it), which she has said yes to since (就按这个办),
        # is settled when it is carried out; an offer she only countered (是299元，不是283元) is not.
        # (not while this reply counts the money out short of her demand: 退款是276元 — she counters, round 18)
        offered_then = ((resolving or analysis.commitment or bool(concrete)) and customer.took_offer
                        and not customer.misfit_pending and not violations and not (money_short and bargaining)
                        and issue.id in customer.offered_for and not kinds - {"apology"})
        if issue.id not in addressed and not (earlier and (settles_by_hold or (resolving and named_kind) or apology_later
                                                           or goodwill_later or offered_then)):
            continue
        if issue.id in blocked:
            continue  # the offer for it does not fit (too late, the wrong thing, on a condition)
        # (a hand-off or the line held settles the demand and what was offered for the rest; an issue that names the
        # remedies that settle it — the goods chased or sent again — needs one of them offered, now or before)
        held_here = settles_by_hold
        # An issue talked about now that a remedy she already took covers (lost parcel: she said yes to the reship
        # for the baby's milk; the parcel, answered afterwards, is settled by that same reship) needs no new offer.
        taken = (customer.took_offer and not customer.misfit_pending and not violations
                 and bool(kinds & set(customer.acceptable_kinds) & customer.concrete_kinds))
        if held_here or offered_then or (resolving and (not kinds - {"apology"} or kinds & own_kinds)) or (
                issue.id in addressed and taken):
            resolved_ids.append(issue.id)
        elif "apology" in kinds and not violations and _settles_service(
                customer, analysis, earlier, issue.id in addressed, bool(concrete)):
            resolved_ids.append(issue.id)
    resolved = tuple(resolved_ids)
    wanted_kinds = (*scenario.wish.accepts, *scenario.wish.reluctant)
    acceptable_kinds = tuple(dict.fromkeys(r.kind.value for r in concrete if r.kind.value in wanted_kinds)) \
        if acceptable_offer else ()
    # 001 四.3 征求对方意见: "您看选哪种？" with the options already offered — the customer picks one.
    chosen_remedy = None
    asks_choice = analysis.asks_preference or analysis.names_options or analysis.offers_choice  # 您看哪种？
    if asks_choice and not concrete and not violations and not nonsense and not premature:
        chosen_remedy = next((k for k in wanted_kinds if k in customer.acceptable_kinds), None)
    status_after = {i: (done or i in addressed) for i, done in customer.issue_status.items()}
    still_open = [i for i, done in status_after.items() if not done]
    # 000: a solution for one problem and silence on the other brings the other back.
    reminder_issue = still_open[0] if still_open and offered and not premature else None
    ignored = reminder_issue is not None
    # An acceptable offer is on the table but an issue is not settled yet: the customer comes back to
    # that issue rather than asking "你们打算怎么解决？" as if nothing had been offered.
    unsettled = [i.id for i in scenario.issues
                 if customer.issue_resolution[i.id] != "resolved" and i.id not in resolved]
    if (reminder_issue is None and not premature and not violations and unsettled
            and (customer.acceptable_offered or offered) and not generic and not nonsense):
        reminder_issue = unsettled[0]

    settles = _settles_misfits(analysis, misfit, acceptable_offer, fit.still_needs_her(scenario, analysis)) \
        if not violations else ()
    side_offer = granted and _relief_withheld(scenario, customer, own_kinds, unsettled, settles)
    revealed, asked_again, unknown_question = ([], False, False) if (nonsense or generic) else \
        _answer_questions(customer, analysis, offered)
    # (once she has agreed, nothing is left to do: an apology now is the close's, not words instead of action)
    hollow = (
        not customer.in_agreement
        and analysis.apology > 0
        and customer.apologies >= persona.mood.wear_out.hollow_after_apologies
        and analysis.empathy == 0
        and analysis.question == 0
        and not offered
        and not analysis.thanks
        and not analysis.commitment
    )
    slow = seconds > scenario.response_limit_seconds
    length = analysis.length
    # (once she has agreed, a short close — 我先去跟进，再讲声唔好意思 — is a close, not a brush-off)
    short = (length < persona.mood.wear_out.short_reply_chars and length * 2 < len(customer_message.strip())
             and not (customer.in_agreement and not violations))
    inputs = MoodInputs(
        apology=analysis.apology if (acknowledges or not generic) else 0,
        empathy=analysis.empathy if (acknowledges or not generic) else 0,
        question=0 if generic else analysis.question,
        question_kind=analysis.question_kind,
        offered=offered,
        accepted=verdict.accepted,
        reluctant=verdict.reluctant,
        refused=verdict.refused,
        concrete=verdict.concrete,
        beyond_policy=bool(verdict.breaches),
        premature=premature,
        repeated=repeated or nonsense or generic,
        hollow_apology=hollow,
        violations=len(violations),
        slow=slow,
        short=short,
        ignored_issue=ignored,
        apologies_before=customer.apologies,
        empathies_before=customer.empathies,
        open_asked_before=customer.open_asked,
        # the close that settles her is the one closed_properly accepts once she agreed: two of sorry, thanks, a commitment
        closes=customer.in_agreement and closing_words and not violations,
        amends=amends,
    )
    happened = {
        "nonsense": nonsense,
        "generic": generic and not repeated,
        "canned": repeated,
        "violated": bool(violations),
        "not_heard": premature,
        "wrong_fact": bool(wrong_facts) and not violations,
        "too_late": any(m.why == "too_late" for m in misfit) and not violations,
        "wrong_item": any(m.why == "wrong_item" for m in misfit) and not violations,
        "incomplete": any(m.why == "incomplete" for m in misfit) and not violations,
        "too_little": any(m.why == "too_little" for m in misfit) and not violations,
        "impossible": any(m.why == "impossible" for m in misfit) and not violations,
        "customer_pays": any(m.why == "customer_pays" for m in misfit) and not violations,
        "want_firm": any(m.why == "conditional" for m in misfit) and not violations and not premature,
        # 002: a customer who holds out answers money below their demand with a counter (才200？我要的是3000).
        "counter": money_short is not None and bargaining and not verdict.breaches and not violations and not premature,
        "raise_demand": bool(verdict.breaches),
        "granted": granted and not repeated and not bargaining and not side_offer,
        "limit_handoff": limit_handoff and not granted,
        # A customer who must be heard still answers the offer itself (你以为给点券就完了？), while
        # showing they were not heard (the answer adds the not_heard line; issue 21 §1).
        "refuse_remedy": verdict.refused,
        "accept_reluctant": (verdict.reluctant and not verdict.accepted and not premature and concrete_commitment
                             and not bargaining),
        "choose": chosen_remedy is not None,
        "weak_action": weak_action and not premature,
        "asked_again": asked_again,
        "unknown_question": unknown_question,
        "apology_only": hollow,
    }
    events = [name for name in EVENT_ANSWER_POOLS if happened[name]]
    acts = read_acts(analysis, short)
    cues = read_cues(case_cues(persona, scenario), analysis.text)
    counter = money_short if "counter" in events else None
    violation_pools = _violation_pools(scenario, analysis, violations)
    return Reading(
        kinds_so_far=tuple(sorted(set(customer.concrete_kinds) | own_kinds
                                  | ({RemedyKind.escalate.value} if handoff or customer.handed_off else set()))),
        said=normalize(analysis.text),
        apology=analysis.apology,
        empathy=analysis.empathy,
        question=analysis.question,
        question_kind=analysis.question_kind,
        solution=analysis.solution,
        remedies=tuple(remedies),
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
        handoff=handoff is not None and not generic,
        breaches=verdict.breaches,
        polite_limit=polite_limit,
        # Once agreed, confirming the arrangement (就按整套换新给您安排) is the commitment of the close. Once agreed and
        # asked to choose (001 四.3), carrying out her choice with a commitment and its time (就按您说的来，11点前给您
        # 回电话，一直盯到您签收) is a close in itself: the arrangement is hers, nothing is left to settle — when it says
        # sorry or thanks too (without either she waits for the trainee's own close, which would otherwise never be sent).
        close_parts=int(analysis.apology > 0) + int(analysis.thanks)
        + int(analysis.commitment or follows_up or (customer.in_agreement and bool(concrete) and not violations))
        + int(analysis.commitment and customer.in_agreement and customer.choice_put and (time_frame or bool(concrete))
              and not violations and (analysis.apology > 0 or analysis.thanks)),
        # A whole close (sorry, thanks and following up) in the very reply that brings her to agree carries the
        # arrangement on too: the trainee who stops after it has closed, not merely settled.
        closing_word=not violations and not nonsense and not generic and (
            limit_handoff or (customer.in_agreement and (analysis.commitment or follows_up or bool(concrete)))
            # (or she said yes to an offer before, and this reply carries out what she took with a commitment: 要得，补发，
            # 物流我每天跟你同步 — the reply that settles the last issue is the arrangement carried on)
            or (customer.took_offer and not customer.misfit_pending and analysis.commitment and bool(concrete))
            or (analysis.apology > 0 and analysis.thanks
                and (analysis.commitment or any(r.kind in _LOOKING for r in remedies)))
            # (or, after a choice was put to her, the reply carries out one of the options offered: 退款已經幫您送出申請)
            or (customer.choice_put and bool(own_kinds) and own_kinds <= set(customer.acceptable_kinds))
            # (or the reply arranges the last of it outright — what she wants, with its time, nothing left open: 24小时内
            # 顺丰补发深棕色，预计25日前送达…另赠30元代金券 — the arrangement is made, not merely proposed)
            or (granted and time_frame and not misfit and not verdict.breaches and not premature
                and all(state == "resolved" or i in resolved for i, state in customer.issue_resolution.items()))),
        courteous=not violations and not nonsense and not generic and not repeated,
        puts_choice=asks_choice and not violations and not nonsense,
        concrete_kinds=tuple(sorted(own_kinds)),
        addressed=tuple(addressed),
        resolved=resolved,
        invites_story=analysis.invites_story and acknowledges,
        acceptable_offer=acceptable_offer,
        refunds_in_full=full_now,
        gives_goods=goods_now,
        nonsense=nonsense,
        generic=generic,
        granted=granted,
        limit_handoff=limit_handoff,
        weak_action=weak_action,
        looks_into=looks_only and not generic,
        time_frame=time_frame,
        concrete_commitment=concrete_commitment,
        acceptable_kinds=acceptable_kinds,
        chosen_remedy=chosen_remedy,
        remedy_kinds=tuple(sorted({r.kind.value for r in remedies})),
        asked_again=asked_again,
        unknown_question=unknown_question,
        violation_pools=violation_pools,
        revealed=tuple(revealed),
        reminder_issue=reminder_issue,
        mood_delta=mood_change(persona.mood.effects, inputs) + act_mood(persona.mood.effects, acts) + cues.mood,
        offered=offered,
        acknowledges=acknowledges,
        events=tuple(events),
        acts=acts,
        cues=cues,
        misfits=tuple(misfit),
        settles_misfits=settles,
        # (给您全额退款159元 settled it; 退款会以购物金的形式退到您账户 next says what that refund really was)
        # (退款我马上给您办 read as the whole refund settled it; 退款是276元 next counts the money out short of her
        # demand: what she took is not what she gets, and she counters)
        reopened=tuple(i for i in sorted(set(blocked) | (set(addressed) if counter else set()))
                       if customer.issue_resolution.get(i) == "resolved"
                       and (counter or any(m.why == "wrong_item" for m in misfit)) and not violations),
        took_offer_before=customer.took_offer,
        missing_parts=missing_parts,
        amends=amends,
        money_offered=max([r.amount_yuan for r in remedies if r.amount_yuan and r.kind in fit.MONEY and not verdict.breaches]
                          + [customer.money_offered or 0]) or None,
        loss_money=max([r.amount_yuan for r in remedies if r.amount_yuan and r.kind in fit.MONEY and not verdict.breaches
                        and not fit.price_back(r.kind, r.amount_yuan, scenario)] + [customer.loss_money or 0]) or None,
        counter=counter,
        wrong_facts=tuple(wrong_facts),
    )


def _relief_withheld(scenario, customer, own_kinds: set[str], unsettled, settles) -> bool:
    """A coupon on the side is no relief: she is not 'granted' (no 今天能发出来就好) and comes back to what is open.

    Two ways: goodwill alone while the thing she came for is still not offered (另外送您一张20元优惠券 and the
    parcel not sent), or while what was offered wrongly still stands (goods that come too late)."""
    gifts = own_kinds - {"escalate", "follow_up"}  # (a hand-off of another complaint beside it changes nothing)
    if gifts and gifts <= _GOODWILL and any(
            set(i.resolved_by) - {"apology"} and not set(i.resolved_by) & (own_kinds | customer.concrete_kinds)
            for i in scenario.issues if i.id in unsettled):
        return True
    return bool(customer.misfit_pending - set(settles))


def _settles_misfits(analysis: ReplyAnalysis, misfit: list, acceptable_offer: bool,
                     needs_her: bool = False) -> tuple[str, ...]:
    """What an earlier misfit needs to be put right: the wrong attribute only by an offer naming one
    (补发3段的, not a bare 补发单已经提交, which still means the 2段 just offered), a cost put on her only by an offer
    taking it off (运费我们出), a late time only by an offer saying the goods arrive in time (补发单号我明天发给您 is
    when the tracking number comes, not the goods); the rest
    by any material offer the customer would take — a hand-off of the rest of the claim or a promise to follow up
    puts right nothing that was offered wrongly, except a promise made on a condition, which the supervisor now
    answers. What she cannot do or bring is put right only by an offer that no longer rests on it. Nothing if this
    reply misfits the same way."""
    whys = {misfit_key(m) for m in misfit}
    # (运费我们出，差价也不用您补: the cost put on her is taken off, whatever else the reply offers or not)
    lifted = ("customer_pays",) if "customer_pays" not in whys and fit.lifts_cost(analysis) else ()
    if not acceptable_offer:
        return lifted
    offered = [s for s in analysis.slots if s.offered and s.kind in fit.MATERIAL]
    if not offered:  # (a hand-off takes over a promise made on a condition — 如果5点前没到就全赔 — and nothing else)
        return lifted + (("conditional",) if analysis.handoff is not None and "conditional" not in whys else ())
    named = {"wrong_item": any(s.attributes for s in offered),
             "too_late": any(s.due and s.arrival for s in offered),
             # (money too little is put right by money that says how much: 补偿到账我都会跟进 adds none)
             "too_little": any(s.kind in fit.MONEY and (s.amount_yuan is not None or s.percent is not None or s.full)
                               for s in offered),
             # what she cannot do, by an offer that no longer rests on it (拦截成功后退款 still needs her at the depot)
             # (and by goods or real money: a coupon beside it does not do the errand she could not run)
             "impossible": not needs_her and any(s.kind in fit.GOODS | fit.REAL_MONEY for s in offered),
             # money paid wrongly (credit called a refund) by goods or money itself, not by a coupon or the postage
             "wrong_item_money": any(s.kind in fit.GOODS | fit.REAL_MONEY for s in offered),
             # a cost put on her only by taking it off (运费我们出), not by an offer that leaves it unsaid
             "customer_pays": fit.lifts_cost(analysis)}
    return tuple(w for w in MISFIT_KEYS if w not in whys and named.get(w, True))


MISFIT_KEYS = ("wrong_item", "wrong_item_money", "too_late", "incomplete", "too_little", "impossible", "conditional",
              "customer_pays")


def _settles_service(customer, analysis: ReplyAnalysis, earlier: bool, addressed: bool, concrete: bool) -> bool:
    """A complaint about the service itself (`resolved_by: [apology]`) gets the 态度 the customer asked for: an
    apology with a commitment, a remedy or thanks (再次代表同事跟您说声对不起，谢谢您的信任); apologised for a second time
    by name; the fault owned by name (责任在我们，我代同事向您道歉); or the apology before and the commitment now, in
    another reply (我代表同事向您道歉 … 这件事我也会反馈给售前组长); a first apology that comes with the commitment
    about the service itself (我替前面几次一起道歉，从现在起全部手打: 001's apology with a commitment to improve)."""
    if analysis.apology and (analysis.apology >= 2 or customer.apologies or (addressed and analysis.commitment)) and (
            analysis.commitment or concrete or analysis.thanks or (addressed and (earlier or analysis.owns_fault))):
        return True
    # (or sorry said before for the whole mess, and now this complaint taken up with a commitment to improve and
    # sympathy: 图片是墨绿发来浅绿，您觉得被骗了我完全理解，这个我们会改)
    return addressed and bool(customer.apologies) and analysis.commitment and (earlier or analysis.empathy > 0)


def misfit_key(m) -> str:
    """A misfit as the customer remembers it: a wrong thing sent is not a refund paid in credit."""
    return "wrong_item_money" if m.why == "wrong_item" and m.kind not in fit.GOODS else m.why


def _net_of_deductions(analysis: ReplyAnalysis, amounts) -> list[Remedy]:
    """The reply's remedies, a refund whose clause names a deduction (已发货订单退款需扣除运费) and no amount read as
    the refund the shop's rule gives (fact `refund_due`), not the whole order."""
    remedies = list(analysis.remedies)
    if amounts.refund_due is None or not any(r.kind == RemedyKind.refund for r in remedies):
        return remedies
    out = []
    for r in remedies:
        if r.kind == RemedyKind.refund and r.amount_yuan is None and r.percent is None and not r.full and any(
                s.kind == RemedyKind.refund and s.span.start <= r.span.start < max(s.span.end, s.span.start + 1)
                and deducted(analysis.text, s) for s in analysis.slots):
            r = r.model_copy(update={"amount_yuan": amounts.refund_due})
        out.append(r)
    return out


def _payout(remedy: Remedy, loss_money: float | None, scenario) -> bool:
    """Money back of exactly the sum already offered toward her loss (300元您希望退回原付款账户，还是换成等额优惠券？ after
    补偿300元): that compensation's payout, not the order's money back for the goods."""
    return (loss_money is not None and remedy.kind in (RemedyKind.refund, RemedyKind.voucher)
            and remedy.amount_yuan is not None and not remedy.full and abs(remedy.amount_yuan - loss_money) <= 0.5
            and not fit.price_back(remedy.kind, remedy.amount_yuan, scenario))


def promise_to_look(remedy: Remedy, analysis: ReplyAnalysis | None = None) -> bool:
    """'我帮您看一下' / '我帮您查一下': a follow-up with no time frame promises a look, not a remedy. So does asking the
    warehouse or the courier while still asking the customer for the facts (您订单号发我一下，我马上去问仓库): with
    nothing checked yet, no time and nothing sent, 马上 is when the look starts (001 澄清问题 before 协商解决)."""
    if remedy.time_frame is not None or remedy.hours is not None:
        return False
    if remedy.kind == RemedyKind.follow_up:
        return True
    return (remedy.kind == RemedyKind.contact_courier and analysis is not None and analysis.question > 0
            and bool(analysis.asked_fact_topics))


def _addressed_issues(customer, analysis: ReplyAnalysis, violations, premature: bool) -> list[str]:
    """The issues this reply answers: it talks about the issue's topic and acknowledges it (apology,
    empathy), explains it, or offers a real remedy for it. A promise to look into it is none of these."""
    if violations or premature:
        return []  # an excuse or a rushed answer does not count as answering (000)
    remedies = [r for r in analysis.remedies if not promise_to_look(r, analysis)]
    looks_only = bool(analysis.remedies) and not remedies
    solution = analysis.solution > 1 or (analysis.solution > 0 and not looks_only)
    # An explanation: talks about the problem without asking (事情是这样的…), and not just "我看一下".
    explains = bool(analysis.issue_topics) and analysis.question == 0 and not looks_only
    substantive = analysis.apology > 0 or analysis.empathy > 0 or solution or bool(remedies) or explains
    if not substantive:
        return []
    ids = [i.id for i in customer.scenario.issues if i.id in analysis.issue_topics]
    if not ids and remedies:
        # A real remedy that names no issue answers the main complaint (the first one not settled yet) — a later one
        # only when it comes with an apology or sympathy for the trouble (再送您一张券，是我们的一点歉意); a bare
        # 另外给您300元补偿 after the first problem is settled answers no other (000: two problems, one answer).
        open_ids = [i for i, state in customer.issue_resolution.items() if state != "resolved"]
        main = customer.scenario.issues[0].id if customer.scenario.issues else None
        ids = open_ids[:1] if open_ids and (open_ids[0] == main or analysis.apology or analysis.empathy) else []
    return ids


_CJK = re.compile(r"[\u4e00-\u9fff0-9a-z]+")


_CLAUSE_MARK = re.compile(r"[,，、:：;；]")


def _bigrams(text: str) -> set[str]:
    return {run[i:i + 2] for run in _CJK.findall(text) for i in range(len(run) - 1)}


def _states(sentence: str, fact: Fact) -> bool:
    """A confirming sentence states this fact: it shares enough of the fact's words (both normalised)."""
    said = _bigrams(sentence)
    known = _bigrams(normalize(f"{fact.value} {fact.reveal}"))
    shared = said & known
    if len(shared) >= 3 and len(shared) * 3 >= len(said):
        return True
    # A check of several facts at once (15号入住5晚，合同是高级海景房，离海滩2公里多，对吗？): one of its clauses states this one.
    return len(shared) >= 3 and any(len(part & known) >= 3 and len(part & known) * 2 >= len(part)
                                    for part in map(_bigrams, _CLAUSE_MARK.split(sentence)))


def _relevant(fact: Fact, issues) -> bool:
    """A fact bears on an issue when the customer's words for it name the issue (a keyword of it)."""
    said = f"{fact.value} {fact.reveal}"
    return any(kw and kw in said for issue in issues for kw in issue.keywords)


def _answer_questions(customer, analysis: ReplyAnalysis, offered: bool) -> tuple[list[Fact], bool, bool]:
    """001 澄清问题: facts come out only when asked. Returns (facts told, asked again, unknown question).

    A question tells the facts whose topic it asks about; asked about facts already told, the
    customer says so (我刚不是说了吗). An open question about the case that names no fact
    ('能具体说说是什么情况吗?') lets the customer tell one more fact that bears on the issue it asks
    about; any other question that no fact answers gets an in-character answer, never another fact.
    """
    if analysis.question == 0:
        return [], False, False
    facts = list(customer.scenario.facts)
    asked = set(analysis.asked_fact_topics)  # the reader places each question (scoring/asking.py)
    # 碎的是两只杯子和壶盖，对吗? states a fact back to confirm: the customer confirms it (issue 17 §3).
    asked |= {f.topic for f in facts for sentence in analysis.confirms if _states(sentence, f)}
    unrevealed = [f for f in facts if f.topic not in customer.revealed]
    told = [f for f in unrevealed if f.topic in asked]
    again = bool(asked) and not told and all(t in customer.revealed for t in asked)
    if told or again:
        return told, again, False
    # "您看哪种方式可以?" asks about the offer, not the case.
    if offered or analysis.asks_preference or analysis.names_options or analysis.offers_choice:
        return [], False, False
    if analysis.question_kind == "open" and analysis.invites_account:
        issues = customer.scenario.issues
        named = [i for i in issues if i.id in analysis.issue_topics]
        more = [f for f in unrevealed if _relevant(f, named or issues)][:1]
        if more:
            return more, False, False
        return [], bool(customer.revealed), not customer.revealed
    return [], False, analysis.question >= 2


def _parrots(text: str, customer) -> bool:
    """The reply repeats the customer's own complaint back (003 禁区6: reads as canned)."""
    if len(text) < 8:
        return False
    said = [i.complaint for i in customer.scenario.issues if i.complaint]
    return any(similarity(text, line) >= PARROT_SIMILARITY for line in said)


def _is_quick_reply(text: str, quick_replies: tuple[str, ...]) -> bool:
    """The reply is one of the shop's palette phrases, typed or pasted (003 禁区6)."""
    return any(similarity(text, q) >= QUICK_REPLY_SIMILARITY for q in quick_replies if q)


def _violation_pools(scenario, analysis: ReplyAnalysis, violations: tuple[str, ...]) -> tuple[str, ...]:
    """The reaction pools of this reply's violations: a case's own excuse first, then by code."""
    pools: list[str] = []
    text = normalize(analysis.text)  # both scripts name the same excuse
    if "excuse" in violations:
        for excuse in scenario.excuses:
            if any(k and normalize_keyword(k) in text for k in excuse.keywords):
                pools.append(f"excuse:{excuse.name}")
    pools.extend(f"violated_{code}" for code in violations)
    return tuple(pools)
