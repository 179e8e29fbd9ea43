"""Does an offer fit what the customer needs (issue 17 §3)? The right thing, in time, really offered.

The reader gives each remedy clause a slot (scoring.slots): kind, attributes, time resolved on the
case's calendar, modality. Here the slots are held against the case's wish (and each issue's own
`wish`): a goods remedy promised after `needed_by` is too late; one naming another value of a wanted
attribute's family (浅棕色 for 深棕色) is the wrong thing; a conditional one (如果确认丢件…) is no
commitment yet. A misfit is no acceptable remedy: the customer says why, the issue stays open, and the
scorecard quotes it (`Misfit.reason`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scoring.models import RemedyKind, ReplyAnalysis, Slot
from scoring.normalize import normalize, normalize_keyword
from scoring.slots import arrives_by, attribute_family, date_event, forms, paid_in_credit
from simulator.content.fit import parse_moment
from simulator.content.models import Scenario
from simulator.engine.policy import KIND_NAMES, scenario_amounts

# Remedies that deliver a thing by a time: only these can come too late or be the wrong thing.
GOODS = frozenset({RemedyKind.reship, RemedyKind.exchange, RemedyKind.repair})
# Chasing the courier or following up: weighed against the deadline when they say when the goods come.
CHASE = frozenset({RemedyKind.contact_courier, RemedyKind.follow_up})
MATERIAL = GOODS | {RemedyKind.refund, RemedyKind.compensation, RemedyKind.voucher, RemedyKind.shipping_cost}
# A plan beside which a conditional remedy is a fallback or a demand handed on: something material, or the hand-off.
PLANS = MATERIAL | {RemedyKind.escalate}
# Beside goods that wait on a condition, the plan must stand for the goods: goods, the money back or the hand-off — not a
# sweetener (再送您一张20元优惠券, 运费我们出) beside 确认丢了以后…补发 (round 20, the spent style hold-out au).
GOODS_PLANS = GOODS | {RemedyKind.refund, RemedyKind.escalate}
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Misfit:
    """One offer that does not fit: why (too_late, wrong_item, incomplete, too_little, impossible, customer_pays,
    conditional) and the words for it."""

    why: str
    kind: RemedyKind
    quote: str  # the reply's clause
    said: str = ""  # the reply's time or attribute
    wanted: str = ""  # the case's deadline or attribute
    issue: str | None = None

    @property
    def reason(self) -> str:
        """The scorecard's explanation, in Chinese."""
        if self.why == "too_late":
            return f"“{self.said}”赶不上顾客的时间：顾客{self.wanted}之前就要"
        if self.why == "wrong_item":
            return f"说的是“{self.said}”，顾客要的是“{self.wanted}”"
        if self.why == "impossible":
            return f"方案卡在顾客做不到的事上：“{self.said}”"
        if self.why == "too_little":
            return f"只给了“{self.said}”，顾客实际损失了{self.wanted}"
        if self.why == "customer_pays":
            return f"让顾客自己出“{self.said}”，顾客说过这笔钱不该她出"
        if self.why == "incomplete":
            if self.said:
                return f"只给了“{self.said}”，还缺“{self.wanted}”"
            return f"没说“{self.wanted}”怎么办，顾客要的东西不全"
        return "方案带着条件（如果…），不是明确的答复"


def say_when(moment: datetime) -> str:
    """'11月27日（周五）' (with the time when it is not the end of the day)."""
    text = f"{moment.month}月{moment.day}日（周{_WEEKDAYS[moment.weekday()]}）"
    if (moment.hour, moment.minute) != (23, 59):
        text += f"{moment.hour}点" + (f"{moment.minute}分" if moment.minute else "")
    return text


def _needs(scenario: Scenario, kind: RemedyKind):
    """(issue id, needed_by, attributes, parts) that apply to a remedy of `kind`: each issue with its own wish
    that this kind can settle, else the case's wish."""
    out = []
    for issue in scenario.issues:
        if issue.wish and (not issue.resolved_by or kind.value in [str(getattr(k, "value", k)) for k in issue.resolved_by]):
            out.append((issue.id, issue.wish.needed_by or scenario.wish.needed_by,
                        issue.wish.attributes or scenario.wish.attributes, issue.wish.parts or scenario.wish.parts))
    if not out:
        out.append((None, scenario.wish.needed_by, scenario.wish.attributes, scenario.wish.parts))
    return out


# The whole thing again (整套换新 / 一套新的): every part is in it.
_WHOLE = re.compile(r"整套|全套|一整套|一套(?:新的|完整|全新)|整个|整件|整台|全部")
_SENTENCE = re.compile(r"[^。!?;\n]+")


def _part_forms(part: str) -> tuple[str, ...]:
    """A wanted part as a reply may name it: 杯子 is also the 杯 of 两只青花杯 (a noun suffix dropped)."""
    norm = normalize_keyword(part)
    if len(norm) >= 2 and norm[-1] in "子儿":
        return (norm, norm[:-1])
    return (norm,)


def _missing(norm: str, slot: Slot, parts: list[str], missing_before: tuple[str, ...]) -> tuple[str, str] | None:
    """(named, missing) when the goods offer's sentence names some of the wanted parts and not the others
    (补发两只杯子 when the lid broke too), or names none while parts are still missing from an earlier offer."""
    if not parts:
        return None
    sentence = next((m.group(0) for m in _SENTENCE.finditer(norm) if m.start() <= slot.span.start < m.end()), "")
    if _WHOLE.search(sentence):
        return None
    named = [p for p in parts if any(form in sentence for form in _part_forms(p))]
    if named:
        missing = [p for p in parts if p not in named]
        return ("、".join(named), "、".join(missing)) if missing else None
    return ("", "、".join(missing_before)) if missing_before else None


def _too_late(slot: Slot, needed_by: str | None) -> datetime | None:
    return _late(slot.due, needed_by)


def _late(due_at: str | None, needed_by: str | None) -> datetime | None:
    """The deadline, when `due_at` (ISO) is after it."""
    if not needed_by or not due_at:
        return None
    try:
        need = parse_moment(needed_by)
        due = datetime.fromisoformat(due_at)
    except ValueError:
        return None
    # (今天派送 for 17:00 today: a time naming only the deadline's own day is given the benefit of the doubt)
    if (due.hour, due.minute) == (23, 59) and due.date() == need.date():
        return None
    return need if due > need else None


# A measure (1.8米, 2.0米, 25公分): a number and its unit, for wanted attributes the reader has no family for.
_MEASURE = re.compile(r"(\d+(?:\.\d+)?)\s*(米|公分|厘米|cm|m)(?![a-z])")


def _wrong_measure(slot: Slot, wanted: list[str]) -> tuple[str, str] | None:
    """(said, wanted) when a wanted attribute is a measure (1.8米) and the goods offer's object names only other
    measures in that unit (换成2.0米的同款 / 换成1.5米的加高床笠款): the wrong size, in the case's own terms."""
    text = normalize(" ".join([slot.object or "", *slot.attributes]))
    for w in wanted:
        want = _MEASURE.fullmatch(normalize(w).strip())
        if not want:
            continue
        said = [m for m in _MEASURE.finditer(text) if m.group(2) == want.group(2)]
        if said and not any(abs(float(m.group(1)) - float(want.group(1))) < 1e-6 for m in said):
            return said[0].group(0), w
    return None


def _wrong_name(norm: str, wanted: list[str]) -> tuple[str, str] | None:
    """(said, wanted) when a wanted product name the reader has no family for (心湖城甜品店) has its series — the first
    half of the name, 心湖城 — named in the reply with another ending (同系列的心湖城面包房): another product of the
    same line is the wrong thing, whatever the reply's verb."""
    for w in wanted:
        want = normalize_keyword(w)
        if attribute_family(want) or _MEASURE.fullmatch(want) or len(want) < 4:
            continue
        head, tail = want[:len(want) // 2], want[len(want) // 2:]
        for m in re.finditer(re.escape(head), norm):
            after = norm[m.end():m.end() + len(tail)]
            if after != tail and len(after) == len(tail) and all("\u4e00" <= ch <= "\u9fff" for ch in after):
                return head + after, w
    return None


# The kind-of-thing word a wanted attribute ends in (泌尿护理配方, 三段奶粉, 旗舰版): another value ending in it is a sibling.
_KIND_WORD = re.compile(r"(配方|口味|套餐|系列|版本|型号|规格|款|版|段)$")


def _wrong_kind(slot: Slot, wanted: list[str]) -> tuple[str, str] | None:
    """(said, wanted) when a wanted value the reader has no family for ends in a kind word (泌尿护理配方) and the goods
    offer names another value with that ending and not the wanted one (补发一包室内猫配方): a sibling is the wrong thing."""
    text = normalize(" ".join([slot.object or "", *slot.attributes]))
    for w in wanted:
        want = normalize_keyword(w)
        kind = _KIND_WORD.search(want)
        if not kind or attribute_family(want) or want in text:
            continue
        sibling = re.search(r"[\u4e00-\u9fff]{2,5}" + re.escape(kind.group(1)), text)
        if sibling and sibling.group(0) not in want and want not in sibling.group(0):
            return sibling.group(0), w
    return None


# Goods of another make named as such (补发另一个牌子的3段, 给您换别的品牌的): not what she bought, whatever its grade.
_OTHER_MAKE = re.compile(r"(另一个|另一|别的|其他|其它|另外的?|换个|换一个)(牌子|品牌|厂家|厂牌|牌)|替代(品|款)")


def _other_make(slot: Slot) -> tuple[str, str] | None:
    """(said, wanted) when the goods offered are expressly another make than the one she bought."""
    hit = _OTHER_MAKE.search(normalize(" ".join([slot.object or "", slot.span.text])))
    return (hit.group(0), "原来那个牌子") if hit else None


# What she wanted said to be unavailable (手绘青花这款…仓库暂时没现货了): the goods offered beside it are a stand-in.
_UNAVAILABLE = r"[^。!?;]{0,14}(没现货|没有现货|没货|缺货|断货|断码|停产|卖完|售罄|没有库存|没库存|无货)"


def _stand_in(norm: str, slot: Slot, wanted: list[str]) -> tuple[str, str] | None:
    """(said, wanted) when the reply says a wanted attribute is out of stock and the goods it offers do not name it
    (青花…没现货了，我给您补两只粉彩牡丹的杯子): another thing in its place, whatever the reply's verb."""
    if not slot.object:  # (the thing must be named: its clause may hold the wanted word it says is out of stock)
        return None
    offered = normalize(slot.object)
    for w in wanted:
        want = normalize_keyword(w)
        if want and want not in offered and re.search(re.escape(want) + _UNAVAILABLE, norm):
            return slot.object, w
    return None


def _wrong(slot: Slot, wanted: list[str]) -> tuple[str, str] | None:
    """(said, wanted) when the slot names another value of a wanted attribute's family and no wanted one."""
    if wanted and (measure := _wrong_measure(slot, wanted)):
        return measure
    if not wanted or not slot.attributes:
        return None
    said_norm = [normalize_keyword(a) for a in slot.attributes]  # 墨綠色 is 墨绿色
    # Family by family (1.8米 and 燕麦色 wanted: 1.8米的雾霾蓝 is the right size in the wrong colour); values of one
    # family are alternatives (墨绿色 or 深绿色: either fits).
    for w in wanted:
        family = attribute_family(w)
        if not family:
            continue
        same = [(a, n) for a, n in zip(slot.attributes, said_norm) if attribute_family(a) == family]
        ok = [normalize_keyword(x) for x in wanted if attribute_family(x) == family]
        if same and not any(wn in n or n in wn for _a, n in same for wn in ok):
            return same[0][0], w
    return None


MONEY = frozenset({RemedyKind.refund, RemedyKind.compensation, RemedyKind.voucher})
REAL_MONEY = frozenset({RemedyKind.refund, RemedyKind.compensation})  # money, not credit
# What a customer owed a refund wants instead of store credit.
REFUND_WANTED = "退钱"


def short_of_demand(scenario: Scenario, analysis: ReplyAnalysis) -> tuple[str, str] | None:
    """(said, wanted) when the reply offers money below what the customer demands (`demand_yuan`):
    the largest amount offered, e.g. ('200元', '3000元'); None when there is no demand or no amount."""
    wanted = scenario.wish.demand_yuan
    for issue in scenario.issues:
        if issue.wish and issue.wish.demand_yuan:
            wanted = max(wanted or 0, issue.wish.demand_yuan)
    if not wanted:
        return None
    offered = [s.amount_yuan for s in analysis.slots if s.offered and s.kind in MONEY and s.amount_yuan and not s.full]
    if not offered or max(offered) >= wanted:
        return None
    return f"{max(offered):g}元", f"{wanted:g}元"


def _least(scenario: Scenario, topics: list[str]) -> tuple[float, str | None] | None:
    """(least_yuan, issue id) of the loss this reply's money must make up: the own loss of an issue the reply talks
    about (a refund for the cake is not weighed against the ruined evening's loss), else the case's."""
    for issue in scenario.issues:
        if issue.wish and issue.wish.least_yuan and issue.id in topics:
            return issue.wish.least_yuan, issue.id
    return (scenario.wish.least_yuan, None) if scenario.wish.least_yuan else None


def too_little(scenario: Scenario, analysis: ReplyAnalysis, before: float | None) -> Misfit | None:
    """The money offer of this reply when it, and the most offered before (`before`), fall short of the customer's
    real loss (`least_yuan`): a 300-yuan voucher for an 800-yuan room difference, 200 京豆, a 满5000减50 coupon.
    Vouchers count at face value only for a customer who accepts them; points and coupons with no yuan count
    nothing. A full refund is never too little; a reply with no money offer is not weighed here."""
    least = _least(scenario, analysis.issue_topics)
    if least is None:
        return None
    money = [s for s in analysis.slots if s.modality == "offered" and s.kind in MONEY]
    if not money or any(s.full for s in money):
        return None
    # (换新还是退货？/ 退货退款8999元: the goods' price back for the goods is no money toward her loss)
    money = [s for s in money if s.kind is not RemedyKind.refund
             or (s.amount_yuan is not None and not price_back(s.kind, s.amount_yuan, scenario))]
    if not money:
        return None
    vouchers_count = RemedyKind.voucher in scenario.wish.accepts
    by_span: dict[tuple[int, int], float] = {}  # one clause's amount once (补偿300元的折价券: one sum, two kinds)
    for s in money:
        if s.amount_yuan and (s.kind is not RemedyKind.voucher or vouchers_count):
            key = (s.span.start, s.span.end)
            by_span[key] = max(by_span.get(key, 0.0), s.amount_yuan)
    total = max(sum(by_span.values()), before or 0.0)
    if total >= least[0]:
        return None
    first = money[0]
    said = "、".join(dict.fromkeys(_money_words(s) for s in money))
    return Misfit("too_little", first.kind, first.span.text, said, f"{least[0]:g}元", least[1])


def price_back(kind: RemedyKind, amount_yuan: float | None, scenario: Scenario) -> bool:
    """A refund of the order's whole price (退货退款8999元): the goods' money back for the goods, not money toward a
    loss — a 50元 voucher for the engineer's two days late is weighed alone."""
    order = scenario_amounts(scenario).order_value
    return (kind == RemedyKind.refund and order is not None and amount_yuan is not None
            and abs(amount_yuan - order) <= 0.5)


def needs_what_she_lacks(scenario: Scenario, analysis: ReplyAnalysis, offered_before: Iterable[str] = ()) -> Misfit | None:
    """A remedy that first asks the customer for what she cannot bring or do (`wish.cannot_provide`: the faulty part
    the engineer took away, a paper signed at a hotel she has left, a trip to the depot): a sentence the reader reads
    as a request (Claim kind `request`: 请先寄回…, 需要您提供…) naming one of them, in a reply that offers a remedy
    or after one (`offered_before`: kinds offered earlier — 补偿1000元, then 需要您先请酒店经理开证明才能申请)."""
    items = [(w, normalize_keyword(w)) for w in scenario.wish.cannot_provide if w]
    promised = [s.kind for s in analysis.slots if s.kind in MATERIAL and s.modality in ("offered", "conditional")]
    before = set(offered_before)
    promised = promised or sorted((k for k in MATERIAL if k.value in before), key=lambda k: k.value)
    # (or the way she is asked to go is the whole plan — 您今天下午到嘉兴仓库自提, beside 我跟仓库核实过了: the errand
    # she cannot run is what is offered her)
    promised = promised or [s.kind for s in analysis.slots if s.modality == "offered"]
    if not items or not promised:
        return None
    for claim in analysis.claims:
        said = normalize(claim.said) if claim.kind == "request" else ""
        lacking = next((w for w, key in items if key and (key in said or _asks_her_to(said, key))), None)
        if lacking:
            return Misfit("impossible", promised[0], claim.said, lacking)
    return None


# The way to a thing in a `cannot_provide` entry (去网点, 亲自拦截, 自己去拦截): the entry also matches when the request
# names the thing itself after 您 (麻烦您自己跑一趟网点, 请您到网点拦截) — not when we do it (麻烦您同意我们去拦截).
_WAY_TO = re.compile(r"^(?:您|你)?(?:亲自|自己)?(?:去|到|跑|前往|上)?")


def _asks_her_to(said: str, key: str) -> bool:
    """The request `said` asks the customer herself for the thing of the entry `key` (its way-to words dropped)."""
    thing = _WAY_TO.sub("", key)
    if len(thing) < 2 or thing == key:
        return False
    # (请您本人今天18:00前携带身份证到揽收网点: the way there may be long)
    # (看能不能帮您拦截 is the shop doing it for her, not a request; 我会把您的要求反映给网点主管: her demand, taken there by us)
    # (您今天下午带上身份证，到发货的本地网点: past a comma when the next clause is the way there — not 谢谢您的理解，拦截…)
    return re.search(rf"(?<![帮替为给])[您你](?!的)(?:(?![我])[^,。!?;]){{0,20}}(?:,(?:到|去|跑|前往)(?:(?![我])[^,。!?;]){{0,12}})?"
                     rf"{re.escape(thing)}", said) is not None


def still_needs_her(scenario: Scenario, analysis: ReplyAnalysis) -> bool:
    """The reply still rests on something in `wish.cannot_provide` (拦截成功、退货入库后…退回 after she was told to go to
    the depot to stop the parcel): a clause names the thing (its way-to words dropped) with no sign that the shop does
    it (我们去拦截) or that she need not (不用您跑网点)."""
    norm = normalize(analysis.text)
    for entry in scenario.wish.cannot_provide:
        key = normalize_keyword(entry or "")
        thing = _WAY_TO.sub("", key) or key
        if len(thing) < 2:
            continue
        for m in re.finditer(re.escape(thing), norm):
            start = max((c.end() for c in _ANY_END.finditer(norm, 0, m.start())), default=0)
            before = norm[start:m.start()]
            shop_does = _SHOP.search(before) and not _HER.search(before)  # 我现在就联系快递拦截 / 帮您拦截
            if not shop_does and not _WAIVED.search(before):
                return True
    return False


_ANY_END = re.compile(r"[。!?;,、]")
_SHOP = re.compile(r"我们|我|这边|小店|店里|仓库|帮您|替您|为您|帮你|替你")
_HER = re.compile(r"(?<![帮替为给])(?:您|你)")
_WAIVED = re.compile(r"(?:不用|无需|不需要|不必|免得|省得)(?:您|你)?")


# Sentence and clause ends: a cost and its lifting in one clause, or in the next clause of the sentence (差价30元，不用您补).
_SENTENCE_END = re.compile(r"[。!?;]")
_CLAUSE_END = re.compile(r"[,、]")


def lifts_cost(analysis: ReplyAnalysis) -> bool:
    """The reply takes a cost off the customer (运费我们出 / 差价不用您补 / 来回运费由我们承担)."""
    if any(s.kind == RemedyKind.shipping_cost and s.modality == "offered" for s in analysis.slots):
        return True
    f = forms()
    for sentence in _SENTENCE_END.split(normalize(analysis.text)):
        clauses = _CLAUSE_END.split(sentence)
        for i, clause in enumerate(clauses):
            if f.charged.search(clause) and f.not_charge.search(",".join(clauses[i:i + 2])):
                return True
    return False


def _money_words(slot: Slot) -> str:
    """What a money offer gives, as the reply says it (300元的旅游折价券 / 200京豆)."""
    clause = slot.span.text
    m = _GIVEN.search(clause)
    # (no amount at all — 补偿您看是直接退回原账户？ — is "this bit of compensation", not the clause's tail quoted back)
    return m.group(0) if m else (f"{slot.amount_yuan:g}元" if slot.amount_yuan else f"这点{KIND_NAMES.get(slot.kind, '钱')}")


# The money words of an offer: an amount with what it is paid in (300元的折价券, 200京豆, 满5000减50的配件券).
_GIVEN = re.compile(r"(?:满\d+减\d+|\d+(?:\.\d+)?\s*(?:元|块钱|块)?)[^,，。!?;；]{0,8}?(?:券|京豆|积分|金币|红包|购物金|抵用金)"
                    r"|\d+(?:\.\d+)?\s*(?:元|块钱|块|京豆|积分|金币)")


# Days named relative to the story's today (昨晚11点下单 / 今天中午签收).
_RELATIVE = {"今天": 0, "今日": 0, "今早": 0, "今晚": 0, "昨天": -1, "昨日": -1, "昨晚": -1, "前天": -2}


def _today(scenario: Scenario) -> date | None:
    try:
        return date.fromisoformat(str(scenario.calendar.date)[:10]) if scenario.calendar else None
    except ValueError:
        return None


def _resolve(match, today: date | None, month: int | None) -> date | None:
    """The day a date match names: 11月15日, 15号 (in `month`, else today's), 昨天 (against today)."""
    if match.group("rel"):
        return today + timedelta(days=_RELATIVE[match.group("rel")]) if today else None
    mon = int(match.group("mon")) if match.group("mon") else (month or (today.month if today else None))
    if mon is None:
        return None
    try:
        return date(today.year if today else 2000, mon, int(match.group("day")))
    except ValueError:
        return None


def case_dates(scenario: Scenario) -> dict[str, tuple[date, str]]:
    """The days the case's facts give, by event word: 11月15日入住，住5晚，11月20日退房 -> {入住: 11-15, 退房: 11-20},
    昨晚11点下单 -> {下单: the day before the calendar's today}, with the words to say it (11月15日 / 昨晚). A day
    without a month takes the month of the date before it (本来说11月15日前到，18日才收到), else the calendar's.
    Dates with no event word near them are left out."""
    out: dict[str, tuple[date, str]] = {}
    today = _today(scenario)
    month = None
    for fact in scenario.facts:
        value = normalize(str(fact.value))
        for m in forms().date.finditer(value):
            day = _resolve(m, today, month)
            event = date_event(value, m.start(), m.end())
            if day is None:
                continue
            month = day.month if not m.group("rel") else month
            if event and event not in out:
                out[event] = (day, m.group("rel") or f"{day.month}月{day.day}日")
    return out


def wrong_facts(scenario: Scenario, analysis: ReplyAnalysis, order_value: float | None) -> list[tuple[str, str]]:
    """(said, right) for each fact the reply states wrongly: the order's money against the case's order value,
    what the customer bought against the wanted attributes (您买的是浅棕色 when she bought 深棕色), the day of an
    event of the case against the facts' (您是11月16日入住的 when she checked in on the 15th; 您是昨天签收的 when
    she signed for it today)."""
    out: list[tuple[str, str]] = []
    dates = case_dates(scenario) if any(c.kind == "date" for c in analysis.claims) else {}
    today = _today(scenario)
    wanted = list(scenario.wish.attributes) + [a for i in scenario.issues if i.wish for a in i.wish.attributes]
    for claim in analysis.claims:
        if claim.kind == "order_money" and order_value is not None and claim.amount_yuan is not None \
                and abs(claim.amount_yuan - order_value) > 0.5 \
                and not any(abs(claim.amount_yuan - y) <= 0.5 for y in _case_yuan(scenario)):
            out.append((claim.said, f"{order_value:g}元"))
        elif claim.kind == "bought" and wanted:
            said = normalize_keyword(claim.said)
            family = attribute_family(claim.said)
            same = [w for w in wanted if attribute_family(w) == family]
            if same and not any(normalize_keyword(w) in said or said in normalize_keyword(w) for w in same):
                out.append((claim.said, same[0]))
        elif claim.kind == "date" and claim.about in dates:
            m = forms().date.search(normalize(claim.said))
            day, right = dates[claim.about]
            said = _resolve(m, today, day.month) if m else None
            # (新的预计11月25日收到 after a receipt on the 18th is a new event, not the case's date told wrongly)
            new_event = today is not None and said is not None and day <= today < said
            if said and said != day and not new_event:
                out.append((claim.said, right))
    return out


def _case_yuan(scenario: Scenario) -> list[float]:
    """Every money figure the case's facts and complaints state (货款1380元，另付加急运费30元): a reply naming one
    of them (您还多付了30块加急费) names a figure of the case, not the order's money told wrongly."""
    texts = [f.value for f in scenario.facts] + [i.complaint for i in scenario.issues if i.complaint]
    return [float(m.group(1)) for t in texts for m in _CASE_YUAN.finditer(t or "")]


_CASE_YUAN = re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块)")


def blocked_issues(scenario: Scenario, found: list[Misfit]) -> set[str]:
    """The issues a misfit leaves open: its own issue, else those its kind settles, else the main complaint."""
    out: set[str] = set()
    for m in found:
        if m.issue:
            out.add(m.issue)
            continue
        named = [i.id for i in scenario.issues if m.kind.value in [str(getattr(k, "value", k)) for k in i.resolved_by]]
        out.update(named or [scenario.issues[0].id])
    return out


# A condition that the plan fails (万一下午还派不出来 / 如果明天还没到): what follows is a fallback beside that plan.
_FALLBACK = re.compile(r"万一|(?:如果|要是|假如|若是?|倘若)[^,。!?;]{0,12}(?:不|没|未|失败)")


def _fallback(text: str, slot: Slot) -> bool:
    """The conditional remedy `slot` waits on the reply's plan failing, not on a check coming out her way."""
    start = max(text.rfind(mark, 0, slot.span.start) for mark in "。！？!?\n") + 1
    return bool(_FALLBACK.search(normalize(text[start:slot.span.end])))


def misfits(scenario: Scenario, analysis: ReplyAnalysis, missing_before: tuple[str, ...] = (),
            money_before: float | None = None, offered_before: Iterable[str] = ()) -> list[Misfit]:
    """The offers of this reply that do not fit the case; `missing_before`: parts an earlier offer left out;
    `money_before`: the most money offered before (an earlier 800元 makes a later 20元券 no shortfall)."""
    out: list[Misfit] = []
    if short := too_little(scenario, analysis, money_before):
        out.append(short)
    if lacking := needs_what_she_lacks(scenario, analysis, offered_before):
        out.append(lacking)
    norm = normalize(analysis.text)
    offered_kinds = {s.kind for s in analysis.slots if s.modality == "offered"}
    # Options put to the customer (退款还是换货？/ 要退钱的话…) wait on their choice, not on a condition.
    choosing = analysis.asks_preference or analysis.names_options or analysis.offers_choice
    # A cost the customer will not bear put on them (寄回运费先由您支付 / 差价麻烦您补一下): the offer it comes with
    # does not fit, whatever else it gets right.
    refused_costs = [normalize_keyword(c) for c in scenario.wish.not_paying]
    for claim in analysis.claims if refused_costs else ():
        cost = normalize_keyword(claim.said)
        if claim.kind == "charge" and any(c in cost or cost in c for c in refused_costs):
            kind = next((s.kind for s in analysis.slots if s.modality == "offered" and s.kind in MATERIAL),
                        RemedyKind.shipping_cost)
            out.append(Misfit("customer_pays", kind, claim.span.text, claim.said))
            break
    # When the goods offered in an earlier reply arrive, said in a reply that offers nothing (预计下周二能到您手上):
    # too late for what she needs is the earlier offer's misfit now told.
    goods_before = [k for k in (RemedyKind.reship, RemedyKind.exchange) if k.value in set(offered_before)]
    for claim in analysis.claims if goods_before and not analysis.slots else ():
        if claim.kind == "arrival" and claim.due:
            late = next(((issue, need) for issue, needed_by, _a, _p in _needs(scenario, goods_before[0])
                         if (need := _late(claim.due, needed_by)) is not None), None)
            if late:
                out.append(Misfit("too_late", goods_before[0], claim.span.text, claim.said, say_when(late[1]), late[0]))
                break
    for slot in analysis.slots:
        # (万一下午还派不出来，我们同城补发 beside a firm plan is a fallback, not a condition on the plan)
        # (确认丢件之后我们马上给您补发 beside a courier check only: the goods wait on the check, no fallback to a plan;
        # 把退款要求报给主管 hands her demand on, the hand-off being the plan)
        if (slot.modality == "conditional" and slot.kind in MATERIAL and slot.kind not in offered_kinds
                and not choosing and (not offered_kinds or (not offered_kinds & (GOODS_PLANS if slot.kind in GOODS else PLANS)
                                                            and not _fallback(analysis.text, slot)))):
            out.append(Misfit("conditional", slot.kind, slot.span.text))
            continue
        # Money back paid as store credit (退款会以店铺购物金的形式退到您账户) is no refund, and the credit in that
        # clause is no voucher they asked for: the wrong thing, whatever the reply calls it.
        credit = paid_in_credit(analysis.text, slot) if slot.modality == "offered" else None
        if credit:
            out.append(Misfit("wrong_item", slot.kind, slot.span.text, credit, REFUND_WANTED))
            out.extend(Misfit("wrong_item", o.kind, o.span.text, credit, REFUND_WANTED) for o in analysis.slots
                       if o.kind is RemedyKind.voucher and o.span == slot.span)
            continue
        # A courier chase that says when the parcel comes (一般2到3个工作日内会安排派送) is weighed against the deadline
        # like a reship: chasing what arrives too late is no remedy for a customer who needs it by then.
        if (slot.modality == "offered" and slot.kind in CHASE and slot.due
                and not any(m.why == "too_late" and m.kind in CHASE for m in out) and arrives_by(analysis.text, slot)):
            late = next(((issue, need) for issue, needed_by, _a, _p in _needs(scenario, slot.kind)
                         if (need := _too_late(slot, needed_by)) is not None), None)
            if late:
                out.append(Misfit("too_late", slot.kind, slot.span.text, slot.time_text or "", say_when(late[1]), late[0]))
            continue
        if slot.modality != "offered" or slot.kind not in GOODS:
            continue
        for issue, needed_by, attributes, parts in _needs(scenario, slot.kind):
            need = _too_late(slot, needed_by)
            if need is not None:
                out.append(Misfit("too_late", slot.kind, slot.span.text, slot.time_text or "", say_when(need), issue))
                break
            wrong = (_other_make(slot) or _wrong(slot, attributes) or _wrong_kind(slot, attributes)
                     or _wrong_name(norm, attributes) or _stand_in(norm, slot, attributes))
            if wrong:
                out.append(Misfit("wrong_item", slot.kind, slot.span.text, wrong[0], wrong[1], issue))
                break
            gap = _missing(norm, slot, parts, missing_before) if slot.kind in (RemedyKind.reship, RemedyKind.exchange) else None
            if gap:
                out.append(Misfit("incomplete", slot.kind, slot.span.text, gap[0], gap[1], issue))
                break
    return out
