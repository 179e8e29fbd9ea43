"""The remedy stage of scoring.analyzer: what is offered, with its amount and time frame.

Remedies are offers, not mentions: a remedy named as the customer's demand (您的退款要求), as what
happened (晚了两天才上门), inside an improvement (会改进发货前的核对) or after a stated limit
(没有权限直接给您退款) is dropped. Values attach by clause: a time frame or amount in the remedy's
own clause, else in a later clause of its sentence, a bare leading clause or the clause right
before (unless that clause apologises, i.e. describes the problem); the problem's own durations
(晚到三天, 才用两天) and deductions (扣除8元运费) are never attached. Only money remedies (refund,
compensation, voucher, shipping cost) carry an amount, a percentage or 全额, and an amount goes to
the nearest money remedy of its clause.
"""

from __future__ import annotations

import dataclasses
import re

from scoring.clauses import NOT_OFFERED, ClauseMarks
from scoring.cues import Auxiliary
from scoring.lexicon import Hit
from scoring.models import Remedy, RemedyKind, builder
from scoring.quantities import TOTAL_BEFORE, Found, find_amounts, find_full, find_percents, find_time_frames
from scoring.segments import CONTENT as _CONTENT
from scoring.segments import distance as _distance
from scoring.segments import overlaps as _overlaps

__all__ = ["find_remedies", "MATERIAL", "MONEY"]

# Remedies that give the customer something (not just a next step such as 跟进 or 反馈).
_MATERIAL = {RemedyKind.refund, RemedyKind.exchange, RemedyKind.reship, RemedyKind.compensation,
             RemedyKind.voucher, RemedyKind.shipping_cost, RemedyKind.repair}
# Forwarding and answering: quoting the demand or stating a limit does not cancel these (001 四.4).
_PROCESS = {RemedyKind.escalate.value, RemedyKind.follow_up.value, RemedyKind.contact_courier.value}
# Remedies that carry money: only these take an amount, a percentage or 全额 (换货 has no price).
_MONEY = {RemedyKind.refund.value, RemedyKind.compensation.value, RemedyKind.voucher.value,
          RemedyKind.shipping_cost.value}
MATERIAL, MONEY = frozenset(_MATERIAL), frozenset(_MONEY)
_INSTRUCTIONS = RemedyKind.instructions.value  # (read once: an enum's value is a property)
_new_remedy = builder(Remedy)  # Remedy(**fields) without BaseModel.__init__ (models.builder)
# Words that may stand in a bare leading clause with a time frame or amount (24小时内，为您补发).
_FILLER = re.compile(r"[在于之内以前后最迟晚我们这边会将亲您]")
# A sentence that ends by asking the customer to confirm what was said (001 封闭式确认).
_CONFIRM = re.compile(r"(对吗|对吧|是吗|是吧|是这样吗|没错吧|是不是)\W*$")


_TRIED = ("一下", "看看", "试试", "试下", "下")


def _reach(h: Hit, found: list[Hit]) -> int:
    """Where the remedy word ends, counting an overlapping cue of the same kind (全额赔 within 全额赔偿 ends after 偿)."""
    return max([h.end] + [o.end for o in found if o.entry.kind == h.entry.kind and o.start < h.end <= o.end])


def find_remedies(norm, segs, hits, blocked, hostile_spans, span, marks: ClauseMarks, aux: Auxiliary, overpromises=()):
    """[(Remedy, rule)] one per kind, and the solution level (see the strength rules below)."""
    found = hits("remedy", blocked)
    if not found:
        return [], 0
    # §10: a remedy quoted, told as history, demanded in a condition or named in a stated limit is
    # not offered; a remedy the customer carries out (您可以自己申请退款) is instructions.
    noun = aux.remedy_noun
    kept = []
    for h in found:
        clause = segs.clause(h.start)
        # (a step ending in 一下/看看 takes an object after it: 您下拉刷新一下页面 is no 退款页面-like noun)
        tried = h.entry.kind == _INSTRUCTIONS and norm.endswith(_TRIED, h.start, h.end)
        if (noun.match(norm, h.end) and not tried) or aux.noun_before.search(norm, max(0, h.start - 8), h.start):
            continue
        blockers = marks.of(clause) & NOT_OFFERED
        if h.entry.kind in _PROCESS:
            blockers -= {"quoted", "limit", "past"}  # 反馈您提到的问题 / 已经联系过快递了: still the act
        if blockers:
            continue
        if marks.has(clause, "customer_acts") and h.entry.kind != RemedyKind.instructions.value:
            h = Hit(dataclasses.replace(h.entry, kind=RemedyKind.instructions.value), h.start, h.end)
        kept.append(h)
    # 送您一张8元优惠券，算是把这8块补给您: a gloss on the offer before it is no second offer.
    found = [h for h in kept if not marks.has(segs.clause(h.start), "gloss")
             or not any(segs.clause(o.start) < segs.clause(h.start) for o in kept)]
    if not found:
        return [], 0
    hostile = {segs.clause(s) for s, _ in hostile_spans}  # 全额退款想都别想: a remedy named to refuse it
    questions = {segs.sentence(h.start) for h in hits("preference")} | {
        segs.sentence(h.start) for h in hits("question") if h.entry.rule == "question.preference"}
    offers = hits("offer")
    refused = hits("refused")
    before = aux.refused_before
    # Describing, not offering: 您的退款要求 (the customer's demand, 001 四.4), 晚了两天才上门
    # (what happened), 会改进发货前的核对 (an improvement, not a remedy for this customer).
    demands = {x.start for x in hits("remedy_demand")}
    described = {x.end for x in hits("remedy_described")}
    improving = [x for x in hits("commitment") if x.entry.rule == "commitment.improve"]
    # (`not refused or`, `not improving or`: no generator to build when there is none, as on most replies)
    found = [h for h in found if segs.clause(h.start) not in hostile
             and (not refused or not any(segs.clause(r.start) == segs.clause(h.start) and r.start >= h.end
                                         for r in refused))
             and not before.search(norm, segs.clause_span(h.start)[0], h.start)
             and _reach(h, found) not in demands and h.start not in described
             and (not improving or not any(segs.clause(x.start) == segs.clause(h.start) and x.start < h.start
                                           for x in improving))
             and _offered(norm, segs, h, questions, offers)]
    if not found:
        return [], 0
    tentative, hedges, firm = hits("tentative"), hits("hedge"), hits("firm")
    # 晚到三天 / 才用两天: a duration of the problem, not the remedy's time frame.
    past = aux.past_span
    times = [t for t in find_time_frames(norm) if not past.search(norm, max(0, t.start - 4), t.start)]
    # 扣除8元运费: a deduction, not the amount given back (其余291元 is).
    deduct = aux.deduction
    amounts, deducted = [], []
    for a in find_amounts(norm):
        (deducted if deduct.search(norm, segs.clause_span(a.start)[0], a.start) else amounts).append(a)
    fulls = find_full(norm)
    # 保证百分之百合适 is an overpromise, not a percentage of a remedy (its 明天 still counts).
    percents = [x for x in find_percents(norm) if not any(_overlaps((x.start, x.end), b) for b in blocked)]
    remedy_clauses = {segs.clause(h.start) for h in found}
    # A value inside a stated limit, a quote or history (全额赔偿超出我的权限) belongs to no offer.
    barred = {i for i, m in marks.mods.items() if m & NOT_OFFERED}
    times = [x for x in times if segs.clause(x.start) not in barred]
    fulls = [x for x in fulls if segs.clause(x.start) not in barred]
    amounts = [x for x in amounts if segs.clause(x.start) not in barred]
    percents = [x for x in percents if segs.clause(x.start) not in barred]
    money_hits = [h for h in found if h.entry.kind in _MONEY]
    # 给您补200，一共1000块: a total after the money given is the sum offered (差价800 and 补200), not a voucher's value.
    totals = [a for a in amounts if TOTAL_BEFORE.search(norm, max(0, a.start - 3), a.start)]
    amounts = [a for a in amounts if a not in totals]

    def bare(clause: int, f: Found) -> bool:
        """The clause holds little besides the value itself (24小时内，为您补发)."""
        cs, ce = segs.clause_starts[clause], (segs.clause_starts[clause + 1]
                                              if clause + 1 < len(segs.clause_starts) else segs.length)
        rest = norm[cs:f.start] + norm[f.end:ce]
        return len(_CONTENT.findall(_FILLER.sub("", rest))) == 0

    # A clause that apologises or sympathises describes the problem (晚到三天给您添了麻烦).
    feeling_clauses = {segs.clause(x.start) for x in hits("apology", blocked) + hits("empathy", blocked)}

    def near(items: list[Found], h: Hit, money: bool = False) -> Found | None:
        """The value of h's own clause nearest to it; else one in a later clause of its sentence
        (补发，24小时内发出), a bare leading one (24小时内，为您补发) or the clause right before
        when it does not describe the problem; never another remedy's clause. An amount
        belongs to the nearest money remedy (300元补偿加换新机: the 补偿)."""
        clause, sentence = segs.clause(h.start), segs.sentence(h.start)
        same = [f for f in items if segs.clause(f.start) == clause]
        if money:
            same = [f for f in same if not any(
                o is not h and segs.clause(o.start) == clause and _distance(o, f) < _distance(h, f)
                for o in money_hits)]
        if not same:  # fall back to the sentence, but not to another remedy's clause
            same = [f for f in items if segs.sentence(f.start) == sentence
                    and segs.clause(f.start) not in remedy_clauses
                    and (segs.clause(f.start) > clause or bare(segs.clause(f.start), f)
                         or (segs.clause(f.start) == clause - 1
                             and segs.clause(f.start) not in feeling_clauses))]
        return min(same, key=lambda f: abs(f.start - h.start)) if same else None

    voucher_clauses = {segs.clause(h.start) for h in found if h.entry.kind == "voucher"}
    by_kind: dict[str, tuple[int, Remedy, str]] = {}
    for h in found:
        try:
            kind = RemedyKind(h.entry.kind)
        except ValueError:
            continue
        clause, sentence = segs.clause(h.start), segs.sentence(h.start)
        if kind is RemedyKind.compensation and clause in voucher_clauses:
            continue  # 送您一张代金券作为补偿: the voucher is the compensation
        t = near(times, h)
        money = kind.value in _MONEY  # (the enum's value read once: a property, ~0.3 us a read)
        if money:  # only money remedies carry an amount, a percentage or 全额
            a, p, f = near(amounts, h, True), near(percents, h, True), near(fulls, h, True)
            if kind is not RemedyKind.voucher and (total := next(
                    (x for x in totals if segs.sentence(x.start) == segs.sentence(h.start)
                     and (x.start > h.start or kind is RemedyKind.refund)), None)):
                a = total if a is None or (total.value or 0) > (a.value or 0) else a
        else:
            a = p = f = None
        found_specifics = [x for x in (t, a, p, f) if x is not None]
        specifics = len(found_specifics)
        if money and any(h.start <= d.start and d.end <= h.end for d in deducted):
            specifics += 1  # 只扣运费8元: the deduction is the offer's concrete term, not its amount
        in_clause = [x for x in found_specifics if segs.clause(x.start) == clause]
        if any(segs.clause(x.start) == clause for x in hedges):
            strength = 1  # 预计明天发出: an estimate, not a commitment
        elif kind is RemedyKind.instructions:
            strength = 1  # steps to try: their durations (充电一个小时) are not a commitment
        elif any(segs.clause(x.start) == clause for x in tentative) and not (
                in_clause and (any(segs.clause(o.start) == clause for o in offers) or sentence in questions)):
            strength = 0  # an option or a policy (可以申请退货, 7天内可以退货): weak; 我们可以24小时内补发: strong
        elif in_clause:
            strength = 2  # amount or time frame right with the remedy
        elif specifics or _firm(segs, h, kind, firm):
            strength = 2
        else:
            strength = 1
        to_whom = weak = None
        if kind is RemedyKind.escalate:
            to_whom = marks.targets.get(clause)
            if to_whom is None:  # 我这边反馈一下: forwarding to nobody named is a weak action
                kind, weak = RemedyKind.follow_up, t is None
                strength = min(strength, 1)
        elif kind is RemedyKind.follow_up and t is None and not _firm(segs, h, kind, firm):
            weak = True  # 帮您看看: no who, no when
        whole_fee = f is not None and _WHOLE_FEE.search(norm, max(0, f.start - 2), f.start + 1) is not None
        remedy = _new_remedy(dict(kind=kind, amount_yuan=a.value if a else None, percent=p.value if p else None,
                                  full=f is not None and not whole_fee, time_frame=t.text if t else None,
                                  hours=t.value if t else None, to_whom=to_whom, weak=bool(weak),
                                  span=span(h.start, h.end)))
        # (补偿我一项一项跟您算：每晚约160元… 两项合计补偿您1000元: of two like strength, the one with its amount in its
        # own clause says what is offered)
        score = strength * 100 + specifics * 10 + int(a is not None and segs.clause(a.start) == clause)
        value = kind.value
        if value not in by_kind or score > by_kind[value][0]:
            by_kind[value] = (score, remedy, h.entry.rule)
    ordered = sorted(by_kind.values(), key=lambda x: x[1].span.start)
    strengths = [s // 100 for s, _, _ in ordered]
    # Two material remedies given outright (补发 + 运费我们出) are a clear commitment.
    firm_material = sum(1 for sc, r, _ in ordered if sc // 100 == 1 and r.kind in _MATERIAL)
    level = 2 if max(strengths) == 2 or firm_material >= 2 else 1
    return [(r, rule) for _, r, rule in ordered], level

# 运费全退给您 / 30块加急费全额退: 全 of a fee is the whole fee (a term of the offer), not the whole order.
_WHOLE_FEE = re.compile(r"费(?:都|也)?全")


def _firm(segs, h, kind, firm) -> bool:
    """马上/今天 right before the remedy (我马上帮您查询物流), or anywhere in the sentence
    of a material remedy (退款可以的, 我看到马上同意)."""
    for x in firm:
        if segs.clause(x.start) == segs.clause(h.start) and (
                0 <= h.start - x.end <= 4 or h.start <= x.start < h.end):  # 我马上帮您查 / 我们马上核实
            return True
        if kind in _MATERIAL and segs.sentence(x.start) == segs.sentence(h.start):
            return True
    return False

def _offered(norm, segs, h, preference_sentences, offers) -> bool:
    """A remedy in a question is an offer only with a choice or an agent (给您/我们):
    全额赔偿? and 您是想换货对吧? echo the customer."""
    if h.entry.kind == _INSTRUCTIONS:
        return True  # 请您尝试一下…可以吗? is still a step to try
    sentence = segs.sentence(h.start)
    s, e = segs.clause_span(h.start)
    ss, se = segs.sentences[sentence] if sentence < len(segs.sentences) else (s, e)
    if _CONFIRM.search(norm[ss:se]) and not any(s <= o.start < e for o in offers):
        return False  # 您是今天中午申请的退款，对吗? confirms a fact: nothing is offered
    if "?" not in norm[s:e] and not re.search(r"(吗|(?<!什)么|嘛|对吧|是吧)\W*$", norm[s:e]):
        return True
    return sentence in preference_sentences or any(s <= o.start < e for o in offers)
