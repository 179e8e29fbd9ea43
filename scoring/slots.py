"""Slots: WHAT each remedy or promise clause offers (issue 17 §1).

The analyzer says *that* a remedy was mentioned; a slot says what it is: its kind and object (with
the attributes the reply names: colour, size, model), the amount in any order and number form
(赔您3000元, 三千块我们赔, 3k, 两百, 一半, 全额), the time resolved against the case's calendar
(下下周一, 周日前, 明天中午前, 24小时内, 三个工作日), who acts (the shop, the customer, the courier,
a colleague) and the modality: offered, negated (不是换新机, 没办法直接给您退198元), conditional
(如果确认丢件…), past (下单时是包邮的), quoted or echoing the customer's words, or asked about.

The forms are data (scoring/data/slots.yaml); its `examples` are tests. `attach_slots()` runs at the
end of the analysis: it gives `ReplyAnalysis.slots`, drops remedies that are no offer (negated, past,
quoted, echoed, asked, a pickup read as a repair), adds a money offer the lexicon missed
(三千块我们赔), and drops an "excuse" whose clause has the shop as the one acting
(丢件的事我们自己找快递理赔). Everything works on the normalised text, so both scripts read alike.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from scoring.gates import pattern_gates
from scoring.models import Claim, Evidence, Remedy, RemedyKind, ReplyAnalysis, Slot, Span, builder
from scoring.normalize import normalize
from scoring.quantities import TOTAL_AMOUNT, parse_number
from scoring.segments import Segments

DATA = Path(__file__).parent / "data" / "slots.yaml"
_new_slot, _new_span = builder(Slot), builder(Span)  # Slot(**fields) without BaseModel.__init__ (models.builder)

_CN = "零〇一二两三四五六七八九十百千万"
_NUM = rf"(?:[0-9]+(?:\.[0-9]+)?[万千]?|[{_CN}]+)"  # 3万 / 1.5万 / 三万
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5,
             "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
# (Taiwan writers space digits: 12 月 2 日, 2 天内, 24 小時內 — one space either side of a number is read through)
_TIME = re.compile(
    rf"(?P<date>(?P<month>[0-9]{{1,2}}|[{_CN}]+) ?月 ?(?P<day>[0-9]{{1,2}}|[{_CN}]+) ?[日号])"
    # 12月初 / 下月中旬 / 月底: a part of a month, by its last day (初 the 10th, 中 the 20th, 底 the last)
    rf"|(?P<monthpart>(?:(?P<pmonth>[0-9]{{1,2}}|[{_CN}]+) ?月|(?P<pnext>下个?月|本月|这个月)|(?<![0-9{_CN}个])月)"
    r"(?P<ppart>初|上旬|中旬|中(?!心|转|间|途)|下旬|底|末))"
    rf"|(?<![0-9月])(?P<dayonly>[0-9]{{1,2}}) ?(?:号(?![楼房室线])|日(?=之前|以前|前|左右|当天)"  # 25号前到 / 25日前送达: a day of
    # 周六28日送到: a day named with its weekday is a date (round 19), never 28 days
    r"|日(?:(?<=[周期拜][一二三四五六日天][0-9]日)|(?<=[周期拜][一二三四五六日天][0-9]{2}日)))"
    # this month (or the next) — not 3日内, a span
    # 24小时内 / 3天内; 3-5天 (the upper bound) and 7天左右 only when it says when it arrives (…能到)
    rf"|(?<![晚迟了])(?:{_NUM}\s*[-~到至]\s*)?(?P<span>(?P<n>{_NUM}|半) ?(?:个)?(?P<unit>分钟|小时|钟头|工作日|个工作日|工作天|天|日|星期|周|礼拜))"
    r"(?:(?:之内|以内|内)|(?!才)(?=左右|[^,。!?;才]{0,3}(?:到|送达|送到|发出|寄出|发货)"
    # 清关加运输大概10到12个工作日，预计12月初就能到: the duration of the arrival told after a comma
    r"|[,][^。!?;,才]{0,10}(?:能到|就到|会到|送到|送达|到您手上|到手|到货)))"  # not 晚了三天 / 三天才到
    r"|(?P<week>(?P<next>下下|下|这|本)?(?:个)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7末]))"
    r"|(?P<word>大后天|明后天|后天|明天|明日|今天|今日|今晚|当天|当日)"
)
# 明天上午 / 下午5点 / 今天5点前 / 明天（周一）上午9点到12点 (the end of the span: 12点)
_PART = re.compile(r"(?:\([^)]{0,4}\))?\W{0,1}(?P<part>早上|上午|中午|下午|傍晚|晚上|今晚)?"
                   r"(?:(?P<hour>[0-9]{1,2}|[一二三四五六七八九十]{1,3})点(?:半)?"
                   r"(?:[-~到至](?P<until>[0-9]{1,2}|[一二三四五六七八九十]{1,3})点)?)?")
_BEFORE = re.compile(r"(?:之前|以前|前)")  # 周日前: before that day (by the end of the day before)
_PART_HOURS = {"早上": 9, "上午": 12, "中午": 12, "下午": 18, "傍晚": 18, "晚上": 23.99, "今晚": 23.99}


_DIGITS_TIMES = re.compile(r"([0-9]+(?:\.[0-9]+)?)([万千])")


def cn_number(s: str) -> float | None:
    """'3000' -> 3000, '三千' -> 3000, '两百' -> 200, '二十四' -> 24; None if not a number (or absurdly large)."""
    m = _DIGITS_TIMES.fullmatch(s.strip())
    if m:  # 3万 / 1.5千: digits with a Chinese multiplier
        return float(m.group(1)) * (10000 if m.group(2) == "万" else 1000)
    value = parse_number(s)  # the reader's one number parser (scoring.quantities)
    return value if value is not None and abs(value) < 1e12 else None  # 400 nines: no amount


@dataclass(frozen=True)
class Calendar:
    """The story's now (a case's `calendar`): relative times resolve against it."""

    now: datetime

    @classmethod
    def parse(cls, day: str | date, at: str = "09:00") -> "Calendar":
        d = day if isinstance(day, date) else date.fromisoformat(str(day))
        hh, mm = (int(x) for x in (at or "09:00").split(":")[:2])
        return cls(datetime.combine(d, time(hh, mm)))


def _end_of(d: date, hour: float | None = None) -> datetime:
    if hour is None:
        return datetime.combine(d, time(23, 59))
    h = int(hour)
    return datetime.combine(d, time(min(h, 23), 59 if hour - h > 0.5 else 0))


def _add_workdays(start: datetime, days: int) -> datetime:
    out = start
    while days > 0:
        out += timedelta(days=1)
        if out.weekday() < 5:
            days -= 1
    return out


@dataclass(frozen=True)
class TimeFound:
    start: int
    end: int
    text: str
    due: datetime | None


# Every alternative of _TIME needs one of these characters (月 / 号 / 分钟 小时 钟头 / 天 日 / 星期 周 礼拜 / 今晚):
# a reply with none of them names no time, and the one-character-class scan is far cheaper than _TIME's.
_TIME_CHAR = re.compile(r"[月号钟时天日期周拜晚]")


def resolve_times(norm: str, calendar: Calendar | None) -> list[TimeFound]:
    """Every time word of `norm` with the point in time it names (None without a calendar)."""
    out: list[TimeFound] = []
    if not _TIME_CHAR.search(norm):
        return out
    for m in _TIME.finditer(norm):
        end = m.end()
        due: datetime | None = None
        part = _PART.match(norm, end)
        hour = None
        if part and (part.group("part") or part.group("hour")):
            end = part.end()
            if part.group("hour"):
                hour = float(cn_number(part.group("until") or part.group("hour")) or 0)
                if part.group("part") in ("下午", "傍晚", "晚上", "今晚") and hour < 12:
                    hour += 12  # 下午5点 = 17:00
            else:
                hour = _PART_HOURS[part.group("part")]
        else:
            part = None
        before = not part and not m.group("span") and _BEFORE.match(norm, end) is not None
        if calendar is not None:
            now = calendar.now
            if m.group("dayonly"):
                day = int(m.group("dayonly"))
                month, year = now.month, now.year
                # 5号 said on the 20th: next month's, unless its clause tells a past event (20号晚上付的款)
                if day < now.day and not forms().past_event.match(norm, end):
                    month, year = (1, year + 1) if month == 12 else (month + 1, year)
                try:
                    due = _end_of(date(year, month, day), hour)
                except ValueError:
                    due = None
            elif m.group("date"):
                month, day = cn_number(m.group("month")), cn_number(m.group("day"))
                try:
                    d = date(now.year, int(month or 0), int(day or 0))
                    if d < now.date() - timedelta(days=180):
                        d = date(now.year + 1, d.month, d.day)  # 1月3日 said in December
                    due = _end_of(d, hour)
                except ValueError:
                    due = None
            elif m.group("monthpart"):
                month, year = now.month, now.year
                if m.group("pmonth"):
                    month = int(cn_number(m.group("pmonth")) or 0)
                    if 1 <= month < now.month - 6:
                        year += 1  # 1月初 said in November
                elif m.group("pnext") and m.group("pnext").startswith("下"):
                    month, year = (1, year + 1) if month == 12 else (month + 1, year)
                if 1 <= month <= 12:
                    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
                    day = {"初": 10, "上旬": 10, "中": 20, "中旬": 20}.get(m.group("ppart"), last)
                    due = _end_of(date(year, month, day), hour)
            elif m.group("span"):
                n = m.group("n")
                count = 0.5 if n == "半" else cn_number(n)
                unit = m.group("unit")
                if count is not None:
                    if "工作" in unit:
                        due = _add_workdays(now, int(count))
                    else:
                        hours = {"分钟": 1 / 60, "小时": 1, "钟头": 1, "天": 24, "日": 24,
                                 "星期": 168, "周": 168, "礼拜": 168}[unit]
                        due = now + timedelta(hours=count * hours)
            elif m.group("week"):
                target = _WEEKDAYS[m.group("wd")]
                monday = now.date() - timedelta(days=now.weekday())
                weeks = {"下下": 2, "下": 1}.get(m.group("next") or "", 0)
                d = monday + timedelta(days=7 * weeks + target)
                if not weeks and d < now.date():
                    d += timedelta(days=7)  # 周一前 said on a Thursday: the coming Monday
                due = _end_of(d, hour)
            else:
                word = m.group("word")
                offset = {"大后天": 3, "明后天": 2, "后天": 2, "明天": 1, "明日": 1}.get(word, 0)  # 明后天: by the later
                if word == "今晚" and hour is None:
                    hour = 23.99
                due = _end_of(now.date() + timedelta(days=offset), hour)
        if before and due is not None:
            due = datetime.combine(due.date() - timedelta(days=1), time(23, 59))
        out.append(TimeFound(m.start(), end, norm[m.start():end], due))
    return out


class SlotForms:
    """The compiled forms of scoring/data/slots.yaml."""

    def __init__(self, data: dict) -> None:
        self._examples = data.get("examples")  # None: not given (the lexicon cache's data): read when asked
        self.kinds = {RemedyKind(k): re.compile("|".join(v)) for k, v in data["kinds"].items()}
        self.any_kind = re.compile("|".join(p for v in data["kinds"].values() for p in v))
        # A character every kind match needs (its rarest gate): without one (4 replies in 5) the union is not run.
        self.kind_chars = _char_gate(self.any_kind.pattern)
        self.not_remedy = {RemedyKind(k): re.compile("|".join(v)) for k, v in data.get("not_remedy", {}).items()}
        self.returned_after_repair = re.compile(data["returned_after_repair"])
        self.compensation_paid_back = re.compile(data["compensation_paid_back"])
        # The actors as one pattern, a named group each: its leftmost match is the earliest actor, and at a tie
        # the first in slots.yaml's order (alternatives are tried in order at each position).
        self.actor = re.compile("|".join(f"(?P<{name}>{'|'.join(v)})" for name, v in data["actors"].items()))
        mod = data["modality"]
        self.modality = {name: re.compile("|".join(mod[name])) for name in mod}
        money = data["money"]
        self.amount = re.compile(rf"(?P<n>{_NUM})\s*{money['unit']}|[¥]\s*(?P<n2>[0-9]+(?:\.[0-9]+)?)|{money['thousand']}")
        self.bare_after = re.compile(rf"(?:退|赔|补偿|补|返)(?:给)?(?:您|你)?(?P<n>{_NUM})(?![0-9{_CN}]*\s*(?:天|小时|日|个|号|点|月|半|%|积分|京豆|金币|豆|币|分(?!钱)))")
        self.half = re.compile(money["half"])
        self.deduct = re.compile(money["deduct"])
        self.full = re.compile(money["full"])
        self.percent = re.compile(rf"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*%|百分之(?P<n2>{_NUM})")
        self.attributes = {name: re.compile(p) for name, p in data["attributes"].items()}
        # One scan tells whether a clause names any attribute at all (most do not), before one scan per family.
        self.any_attribute = re.compile("|".join(f"(?:{p})" for p in data["attributes"].values()))
        obj = data.get("object", {})
        self.object_lead = re.compile(obj.get("lead", "(?!)"))
        self.object_stop = re.compile(obj.get("stop", "(?!)"))
        self.not_a_thing = re.compile(obj.get("not_a_thing", "^$"))
        self.object_swap = re.compile(obj.get("swap", "(?!)"))
        self.store_credit = re.compile(data.get("store_credit", "(?!)"))
        self.promise = re.compile("|".join(data.get("promises", [])) or "(?!)")
        # Searched in every reply: a character every match needs first (as kind_chars; 2 replies in 3 lack one).
        self.promise_chars = _char_gate(self.promise.pattern)
        claims = data.get("claims", {})
        self.order_money = re.compile(claims.get("order_money", "(?!)"))
        self.not_order_money = re.compile(claims.get("not_order_money", "(?!)"))
        self.bought = re.compile(claims.get("bought", "(?!)"))
        self.date = re.compile(claims.get("date", "(?!)"))
        self.date_events = re.compile(claims.get("date_events", "(?!)"))
        self.charge = re.compile(claims.get("charge", "(?!)"))
        self.charge_chars = _char_gate(self.charge.pattern)  # (4 replies in 5 lack one)
        self.charged = re.compile(claims.get("charged", "(?!)"))
        self.not_charge = re.compile(claims.get("not_charge", "(?!)"))
        self.request = re.compile(claims.get("request", "(?!)"))
        self.not_request = re.compile(claims.get("not_request", "(?!)"))
        self.request_gate = re.compile(claims.get("request_gate", "(?!)"))
        self.delivery = re.compile("|".join([*data["time"]["arrival"], "发出", "寄出", "发货", "上门"]))
        self.estimate = re.compile("|".join(data["time"]["estimate"]))
        self.arrival = re.compile("|".join(data["time"]["arrival"]))
        self.not_goods = re.compile(data["time"].get("not_goods", "(?!)"))
        self.past_event = re.compile(data["time"].get("past_event", "(?!)"))
        look = data.get("look", {})
        self.look_asks = re.compile(look.get("asks", "(?!)"))
        self.look_chase = re.compile(look.get("chase", "(?!)"))

    @property
    def examples(self) -> list[dict]:
        """slots.yaml's tested examples (the tests read them; the analyzer never does)."""
        if self._examples is None:
            self._examples = read_data().get("examples", [])
        return self._examples


def _char_gate(pattern: str) -> re.Pattern | None:
    """A one-character class that every match of `pattern` holds a character of (scoring.gates'
    rarest gate), or None when none is known; a case-insensitive pattern gets none."""
    gates = [] if re.compile(pattern).flags & re.IGNORECASE else pattern_gates(pattern)
    return re.compile("[" + "".join(map(re.escape, sorted(gates[0]))) + "]") if gates else None


def _gated_search(pattern: re.Pattern, chars: re.Pattern | None, text: str) -> re.Match | None:
    """pattern.search(text), not run when `text` holds no character of its gate `chars` (_char_gate)."""
    if chars is not None and chars.search(text) is None:
        return None
    return pattern.search(text)


def read_data(path: Path = DATA) -> dict:
    """slots.yaml's data."""
    import yaml  # here: with a current lexicon cache the analyzer reads no YAML at all (scoring.lexicon)

    # libyaml when present: same data, faster
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def cacheable_data(path: Path = DATA) -> dict:
    """slots.yaml's data but its examples (which hold dates, no JSON), as the lexicon cache holds it."""
    return {key: value for key, value in read_data(path).items() if key != "examples"}


_forms: SlotForms | None = None
_cached: dict | None = None  # cacheable_data() from a current lexicon cache (use_cached_data)
_lock = threading.Lock()


def use_cached_data(data: dict) -> None:
    """slots.yaml's data from the lexicon cache, whose key covers slots.yaml: forms() builds from it instead of
    parsing the YAML (~3 ms, and PyYAML's import, ~8 ms, in `kefu score`)."""
    global _cached
    _cached = data


def forms() -> SlotForms:
    """The slot forms, loaded once (thread-safe)."""
    global _forms
    if _forms is None:
        with _lock:
            if _forms is None:
                _forms = SlotForms(_cached if _cached is not None else read_data())
    return _forms


def _clauses(norm: str, segs: Segments | None = None) -> list[tuple[int, int, int]]:
    """(start, end, sentence number) of every clause: the analyzer's own boundaries (scoring.segments),
    so a space typed for a comma (做不到 不过可以给您退一半) ends a clause here too. `segs`: Segments.of(norm)
    when the caller has it already (the analyzer's)."""
    segs = Segments.of(norm) if segs is None else segs
    bounds = [*segs.clause_starts, len(norm)]
    return [(s, e, segs.sentence(s)) for s, e in zip(bounds, bounds[1:]) if s < e]


def _clause_of(clauses, pos: int) -> int:
    for i, (s, e, _n) in enumerate(clauses):
        if s <= pos < e:
            return i
    return max(0, len(clauses) - 1)


def attribute_family(value: str) -> str | None:
    """The attribute family ('colour', 'size', 'model') a wanted value belongs to."""
    norm = normalize(value)
    for name, pattern in forms().attributes.items():
        if pattern.search(norm):
            return name
    return None


def _nearest(matches, at: int):
    """The match closest to position `at` (the remedy's cue): 291元加8元券 -> 8元 for the 券."""
    best = None
    for m in matches:
        gap = at - m.end() if m.end() <= at else (m.start() - at if m.start() > at else 0)
        if best is None or abs(gap) < best[0]:
            best = (abs(gap), m)
    return best[1] if best else None


def _amount(f: SlotForms, text: str, at: int = 0) -> tuple[float | None, float | None, bool]:
    """(yuan, percent, full) stated in `text`, nearest to position `at`."""
    full = bool(f.full.search(text))
    d = f.deduct.search(text)
    if d:
        text = text[:d.start()]  # 扣除运费8元: a deduction is not the amount given back
    m = _nearest(f.amount.finditer(text), at)
    yuan = None
    if m:
        if m.group("n") or m.group("n2"):
            yuan = cn_number(m.group("n") or m.group("n2"))
        else:
            k = cn_number(m.group(3)) if m.lastindex and m.group(m.lastindex) else None
            yuan = k * 1000 if k is not None else None
    if yuan is None:
        m = f.bare_after.search(text)
        if m:
            yuan = cn_number(m.group("n"))
    percent = None
    p = f.percent.search(text)
    if p:
        percent = cn_number(p.group("n") or p.group("n2"))
    elif f.half.search(text):
        percent = 50.0
    return yuan, percent, full


def _modality(f: SlotForms, norm: str, clauses, i: int, cue_start: int, customer: str, goods: bool = False) -> str:
    s, e, sentence = clauses[i]
    clause = norm[s:e]
    before = norm[s:cue_start]
    mod = f.modality
    if mod["negated"].search(before) or mod["negated_after"].match(norm, cue_start, e):
        return "negated"
    if mod["quoted"].search(before):
        return "quoted"
    # (免一年会费、再赔两万，……这确实超出了我的权限: a demand with no one giving it, refused right after)
    if not f.actor.search(clause) and mod["refused_later"].match(norm, e):
        return "quoted"
    if not f.actor.search(clause) and mod["limited_next"].match(norm, e):
        return "negated"
    # 下单不到半天申请退款: the customer applied; 帮您申请退款 is the shop acting (an actor word before it).
    if mod["applied"].search(before) and not f.actor.search(before):
        return "quoted"
    # 我们今天上午10点就发出了: the original shipment told, no remedy (补发 / 帮您加急发出了 are remedies).
    if goods and mod["reported_shipment"].search(clause) and not mod["not_reported"].search(clause):
        return "past"
    if mod["outcome_after"].match(norm, cue_start, e):
        return "past"
    if mod["past"].search(before) or (mod["past"].search(clause[cue_start - s:]) and "过" in clause[cue_start - s:]):
        return "past"
    # The condition stands in this clause or the clause just before it in the same sentence (如果确认丢件，
    # 当天给您补发); 一旦揽收运费就产生了，所以退款是291元 explains, it sets no condition.
    lead = norm[clauses[i - 1][0]:clauses[i - 1][1]] if i and clauses[i - 1][2] == sentence else ""
    if _CONSEQUENCE.match(clause):
        lead = ""
    cond_text = lead + before
    if mod["conditional"].search(cond_text) or mod["conditional"].search(clause):
        if not mod["choice"].search(cond_text + clause):
            return "conditional"
    if customer and _echoes(clause, customer, cue_start - s):
        return "echo"
    if mod["asked"].search(clause) and not mod["asked_offer"].search(clause):
        return "asked"
    return "offered"


def _echoes(clause: str, customer: str, at: int) -> bool:
    """The clause repeats the customer's own words around the remedy (下单时是包邮的 said back)."""
    core = re.sub(r"\W", "", clause)
    if len(core) < 4:
        return False
    window = re.sub(r"\W", "", clause[max(0, at - 4):at + 6])
    return len(window) >= 4 and window in customer


_CLOSED_CONDITION = re.compile(r"(?:的话|后|之后|以后)$")


def _open_condition(f: SlotForms, before: str) -> bool:
    """`before` (a clause up to a time word) is inside a condition still open at its end (如果今天派送不出来),
    not one already closed by 的话 / 后 (清关顺利的话预计12月2日到)."""
    found = list(f.modality["conditional"].finditer(before))
    return bool(found) and not _CLOSED_CONDITION.search(found[-1].group(0))


def _in_condition(f: SlotForms, norm: str, clauses, t: TimeFound) -> bool:
    """The time word stands inside a condition: after an open one (如果今天派送不出来) or before the 的话 that
    closes its clause (周六要先试跑的话 — the customer's plan, not when the offer comes)."""
    s, e, _n = clauses[_clause_of(clauses, t.start)]
    return _open_condition(f, norm[s:t.start]) or "的话" in norm[t.end:e]


_MEASURE = re.compile(r"^[台个套顶件双批份罐只瓶盒张条箱包]")
# A clause that starts by counting the thing (一台全新的…, 两罐…) or naming a spec (规格为…, 颜色是…): it describes what
# the remedy before it sends.
_DESCRIBING = re.compile(r"\W*(?:(?:[一两二三四五1-5])(?:台|个|套|顶|件|双|份|罐|只|瓶|盒|张|条|箱|包|款)|(?:规格|型号|颜色|尺码|尺寸|款式|段数|口味)(?:为|是|:)?"
                         # what there is to send (本地仓现有的是700ml透明杯: round 19)
                         r"|[^,。!?;:]{0,4}(?:现有|现货|有货|库存|能发|可发|能调)的?(?:是|只有|为))")
_CLAUSE_END = " ,.。!?;~、，\u3000"


def _describes(f: SlotForms, norm: str, start: int, end: int) -> bool:
    """Whether a clause describes the goods of the clause before it: led by a count or a spec word, or an attribute alone."""
    if _DESCRIBING.match(norm, start):
        return True
    i = start  # 同城补发一批：700ml透明杯2000只 — what follows the colon (the marks before it, walked back: no slice)
    while i > 0 and norm[i - 1] in _CLAUSE_END:
        i -= 1
    if i > 0 and norm[i - 1] == ":":
        return True
    clause = norm[start:end].strip(_CLAUSE_END)
    return bool(clause) and f.any_attribute.fullmatch(clause) is not None


def _object(f: SlotForms, text: str, norm: str, end: int, clause_end: int) -> str | None:
    """What a goods remedy sends, as written: the words after its cue in the clause, between the lead words
    (换成 / 补发给您) and the first stop (the time, the cost bearer, the question, 的话…); None when no thing is named."""
    tail = re.split(r"[,。!?;~、:：()（）]", norm[end:clause_end])[0]
    lead = f.object_lead.match(tail)
    start = lead.end() if lead else 0
    stop = f.object_stop.search(tail, start)
    stop_at = stop.start() if stop else len(tail)
    if start == 0 and end > 0 and _MEASURE.match(tail) and norm[end - 1] in "一两二三四五六七八九十":
        start, end = 0, end - 1  # 换一台…: the cue took the numeral, the object keeps it
        stop_at += 1
        tail = norm[end:clause_end]
    words = text[end + start:end + stop_at].strip().rstrip("哦呢吧啊呀哈了")
    words = words.removesuffix("的") if words.endswith("的") and len(words) > 1 else words
    return None if f.not_a_thing.match(words) else words


def _actor(f: SlotForms, clause: str) -> str:
    """The actor whose words come first in `clause` ('shop' when none does)."""
    m = f.actor.search(clause)
    return m.lastgroup if m and m.lastgroup else "shop"


def read_slots(text: str, remedies: list[Remedy], customer_message: str = "",
               calendar: Calendar | None = None, norm: str | None = None,
               segs: Segments | None = None) -> tuple[list[Slot], list[Slot]]:
    """(slots of the analyzer's remedies in order, slots of remedies it missed); `norm`: normalised `text`,
    `segs`: its Segments (the analyzer's: not worked out again)."""
    f = forms()
    norm = normalize(text) if norm is None else norm
    # Without a cue of slots.yaml's own (the union of its kinds) only the analyzer's remedies get slots.
    cued = (f.kind_chars is None or f.kind_chars.search(norm) is not None) and f.any_kind.search(norm) is not None
    if not remedies and not cued:
        return [], []  # most replies offer nothing: no clause work
    customer = re.sub(r"\W", "", normalize(customer_message)) if customer_message else ""
    clauses = _clauses(norm, segs)
    if not clauses:
        return [], []
    all_times = times = resolve_times(norm, calendar)

    goods_times: list[TimeFound] | None = None  # the times not in a clause that sends news, worked out once

    def _goods_times() -> list[TimeFound]:
        nonlocal goods_times
        if goods_times is None:
            goods_times = [t for t in all_times if f.not_goods.search(norm, *clauses[_clause_of(clauses, t.start)][:2])
                           is None]
        return goods_times

    sentences: dict[int, tuple[int, int]] = {}  # sentence number -> (start, end) of its clauses
    for cs, ce, n in clauses:
        first = sentences.get(n)
        sentences[n] = (first[0], ce) if first else (cs, ce)

    def build(kind: RemedyKind, start: int, end: int, remedy: Remedy | None) -> Slot:
        i = _clause_of(clauses, start)
        s, e, sentence = clauses[i]
        sent_s, sent_e = sentences[sentence]
        clause = norm[s:e]
        modality = _modality(f, norm, clauses, i, start, customer, kind in (RemedyKind.reship, RemedyKind.exchange))
        window = (s, e) if kind is RemedyKind.compensation else (max(0, start - 2), min(len(norm), end + 4))
        if kind in f.not_remedy and f.not_remedy[kind].search(norm, *window):
            modality = "none"
        elif kind is RemedyKind.reship and f.returned_after_repair.search(norm, sent_s, sent_e):
            modality = "none"  # the repaired thing sent back is the repair, not goods sent again
        elif kind is RemedyKind.refund and any(m.start() <= start < m.end()
                                               for m in f.compensation_paid_back.finditer(norm, sent_s, sent_e)):
            modality = "none"  # the compensation's payout (补偿30元，退回您的账户), not money of the order back
        elif (modality == "offered" and kind in _MONEY and "申请" in norm[max(s, start - 4):end + 4]
              and f.modality["pending_approval"].search(norm, sent_s, sent_e)):
            modality = "conditional"  # 把您的退款申请提交给主管了: the money waits on the manager's yes
        elif modality == "offered" and kind in _MONEY and f.modality["passed_up_after"].match(norm, end, e):
            modality = "conditional"  # 12800的全额赔偿我也帮您报给主管: her demand handed on, not granted
        yuan = percent = None
        full = False
        value = kind.value  # (read once: an enum's value is a property)
        if value in ("refund", "compensation", "voucher", "shipping_cost"):
            yuan, percent, full = _amount(f, clause, max(0, end - 1 - s))  # the cue's last character (…8元券)
            if remedy is not None:
                # The amount nearest the remedy in its own clause wins (291元加8元券: the 券 is 8元).
                yuan = yuan if yuan is not None else remedy.amount_yuan
                # (给您补200，一共1000块: the total the reader found after it is the sum offered)
                if value != "voucher" and remedy.amount_yuan is not None and yuan is not None and remedy.amount_yuan > yuan \
                        and TOTAL_AMOUNT.search(norm, sent_s, sent_e):
                    yuan = remedy.amount_yuan
                percent = remedy.percent if remedy.percent is not None else percent
                full = remedy.full or full
            if value == "compensation" and yuan is not None:
                # (补偿这样算：每晚差价160元，5晚800元；交通费200元，合计1000元: the total said after it is the sum offered;
                # 高铁和酒店一共620元…先补偿您300元: a total before it is the loss, not the offer)
                total = TOTAL_AMOUNT.search(norm, end)
                m = f.amount.match(norm, total.end() - 1) if total else None
                n = cn_number(m.group("n")) if m and m.group("n") else None
                yuan = n if n is not None and n > yuan else yuan
        t = _time_of(s, e, sent_s, sent_e, kind in (RemedyKind.reship, RemedyKind.exchange)) if times else None
        if (modality == "offered" and t is not None and t.due is not None and calendar is not None
                and kind in (RemedyKind.reship, RemedyKind.exchange) and s <= t.start < e and t.due < calendar.now):
            modality = "past"  # 今天上午10点发出 when it is already afternoon: told as done, not offered
        due_text = text[t.start:t.end] if t else (remedy.time_frame if remedy else None)  # as written (明天（24号）下午)
        attrs: list[str] = []
        ae = e
        # (整台换新：一台全新的米驼色KS-360 — the thing described in the next clauses of the sentence: led by a count or a
        # spec word, or an attribute alone: 补发同款奶粉两罐，规格为800克×2罐，2段)
        j = i + 1
        while j < len(clauses) and j <= i + 2 and clauses[j][2] == sentence and _describes(f, norm, *clauses[j][:2]):
            ae = clauses[j][1]
            j += 1
        a_s = s
        if value in ("reship", "exchange"):
            # (补发同品牌奶粉两罐；由于3段暂时缺货，为您调整为2段: what is sent instead is the thing sent)
            swap = next((k for k in range(i + 1, min(len(clauses), i + 4)) if clauses[k][2] in (sentence, sentence + 1)
                         and f.object_swap.match(norm, clauses[k][0]) and f.any_attribute.search(norm, *clauses[k][:2])), None)
            if swap is not None:
                a_s, ae = clauses[swap][:2]
        for pattern in f.attributes.values() if f.any_attribute.search(norm, a_s, ae) else ():
            # the remedy's own clause (把41码寄回来 in the next clause is the return, not what is sent)
            for m in pattern.finditer(norm, a_s, ae):
                word = text[m.start():m.end()]
                if m.end() - m.start() >= 2 and word not in attrs:
                    attrs.append(word)
        obj = _object(f, text, norm, end, e) if value in ("reship", "exchange", "repair") else None
        scope = norm[sent_s:sent_e]
        quoted = text[s:e].rstrip(_CLAUSE_END)
        return _new_slot(dict(
            kind=kind, object=obj, attributes=attrs, amount_yuan=yuan, percent=percent, full=full,
            time_text=due_text, due=t.due.strftime("%Y-%m-%dT%H:%M") if t and t.due else None,
            estimate=bool(f.estimate.search(scope)) if t else False,
            arrival=bool(f.arrival.search(scope)) if t else False,
            actor=_actor(f, clause), modality=modality,
            span=_new_span({"text": quoted, "start": s, "end": s + len(quoted)}),
        ))

    def _time_of(s: int, e: int, sent_s: int, sent_e: int, goods: bool = False) -> TimeFound | None:
        # The time of this clause, else of its sentence (补发，大概下下周一左右能到).
        # (补发单号我明天发给您: for goods, a time in a clause that sends the tracking number is not theirs)
        times = _goods_times() if goods else all_times
        in_clause = [t for t in times if s <= t.start < e]
        # (如果今天派送不出来，给您同城补发: the condition's 今天 is not when the reship comes)
        # (清关顺利的话预计12月2日到: a condition closed by 的话/后 before the time leaves the time its consequence)
        in_sentence = [t for t in times if sent_s <= t.start < sent_e and not _in_condition(f, norm, clauses, t)]
        # 给您补发两只杯子。…下周一调货后发出，周三周四能收到: the next sentences say when, if they offer nothing else.
        later = [t for t in times if sent_e <= t.start and not any(
            sent_e <= r_s < t.start for r_s in cue_starts if r_s >= sent_e)
            and f.delivery.search(norm, t.start, min(len(norm), t.end + 12))][:1]
        # 周五出库，…周六就能收到: for goods, the time the sentence says they ARRIVE is the one a deadline is held against.
        arriving = [t for t in in_sentence if f.arrival.search(norm, t.end, min(sent_e, t.end + 8))]
        if goods and arriving:
            return arriving[-1]
        return (in_clause or in_sentence or later or [None])[0]

    cue_starts = [r.span.start for r in remedies] + ([m.start() for m in f.any_kind.finditer(norm)] if cued else [])
    slots = [build(r.kind, r.span.start, r.span.end, r) for r in remedies]
    if not cued:
        return slots, []  # no kind pattern can match where their union does not
    # A clause the lexicon read only as a next step (登记 / 跟进) may still send goods (重新登记一顶…发出).
    taken = {_clause_of(clauses, r.span.start) for r in remedies if r.kind.value not in _PROCESS}
    extra: list[Slot] = []
    for kind, pattern in f.kinds.items():
        for m in pattern.finditer(norm):
            i = _clause_of(clauses, m.start())
            if i in taken:
                continue
            if f.modality["choice"].search(norm, clauses[i][0], m.start()):
                continue  # 如果您想要退款: the customer's option named in a condition, not an offer
            slot = build(kind, m.start(), m.end(), None)
            taken.add(i)
            extra.append(slot)
    extra.sort(key=lambda s: s.span.start)
    return slots, extra


def arrives_by(text: str, slot: Slot) -> bool:
    """The slot's time stands in a clause that says when the goods arrive (一般2到3个工作日内会安排派送), not when
    someone answers (1小时内把进度告诉您)."""
    if not slot.time_text:
        return False
    norm = normalize(text)
    at = norm.find(normalize(slot.time_text))
    if at < 0:
        return False
    clauses = _clauses(norm)
    s, e, _n = clauses[_clause_of(clauses, at)]
    return bool(forms().arrival.search(norm, s, e))


def _remedy_clause(norm: str, remedy: Remedy, kind: RemedyKind,
                   segs: Segments | None = None) -> tuple[int, int] | None:
    """(start, end) of the clause holding `remedy` when it is of `kind`, else None (`segs`: norm's Segments
    when the caller has them, as for _clauses)."""
    if remedy.kind is not kind:
        return None
    clauses = _clauses(norm, segs)
    if not clauses:
        return None
    s, e, _n = clauses[_clause_of(clauses, remedy.span.start)]
    return s, e


def _a_look(norm: str, remedy: Remedy, segs: Segments | None = None) -> bool:
    """A contact_courier remedy whose clause only asks the warehouse or looks at the records (我马上去问仓库)."""
    where = _remedy_clause(norm, remedy, RemedyKind.contact_courier, segs)
    if where is None:
        return False
    f = forms()
    return f.look_asks.search(norm, *where) is not None and f.look_chase.search(norm, *where) is None


def _keeps_posted(norm: str, remedy: Remedy, segs: Segments | None = None) -> bool:
    """An 'instructions' remedy whose clause is the shop's promise to keep the customer posted (进度我跟您同步)."""
    where = _remedy_clause(norm, remedy, RemedyKind.instructions, segs)
    if where is None:
        return False
    s, e = where
    return forms().promise.search(norm, s, e) is not None and _actor(forms(), norm[s:e]) == "shop"


def deducted(text: str, slot: Slot) -> str | None:
    """The deduction a refund slot's clause names (已发货订单退款需扣除运费 -> '运费'; 扣除运费8元 -> '运费'), so the
    refund is not the whole order; None when it names none."""
    if slot.kind is not RemedyKind.refund:
        return None
    f = forms()
    norm = normalize(slot.span.text)
    m = f.deduct.search(norm)
    if not m:
        return None
    cost = f.charged.search(norm, m.end()) or f.charged.search(norm)
    return slot.span.text[cost.start():cost.end()] if cost else slot.span.text[m.start():m.end()]


def paid_in_credit(text: str, slot: Slot) -> str | None:
    """The store credit a refund slot's clause says the money is paid in (退款会以店铺购物金的形式退到您账户 ->
    '购物金'); None when it is money back."""
    if slot.kind is not RemedyKind.refund:
        return None
    # the whole sentence: 给您办理全额退款，159元会以购物金的方式退到您的账户 says it in the next clause
    norm = normalize(text)
    if norm[slot.span.start:slot.span.end] != normalize(slot.span.text):
        norm, lo, hi = normalize(slot.span.text), 0, len(slot.span.text)  # a slot of other text: its own words
        text = slot.span.text
    else:
        lo = max((m.end() for m in _SENTENCE_END.finditer(norm, 0, slot.span.start)), default=0)
        after = _SENTENCE_END.search(norm, slot.span.end)
        hi = after.start() if after else len(norm)
        if _ALTERNATIVE.search(norm, lo, hi):  # 退回原账户还是换成优惠券？ offers credit as a choice: the slot's own words
            lo, hi = slot.span.start, slot.span.end
            # (直接退款还是换成50元券 / 换成券还是直接退款: only the option that pays the money back — the one with 退)
            cuts = [lo, *(c for a in _ALTERNATIVE.finditer(norm, lo, hi) for c in a.span()), hi]
            options = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
            lo, hi = next(((a, b) for a, b in options if "退" in norm[a:b]), (lo, hi))
    m = forms().store_credit.search(norm, lo, hi)
    if not m and hi < len(norm) and (back := _REFERS_BACK.match(norm, hi + 1)):
        # 退款1000块给你。这笔退款会以旅游代金券形式发到你账户: the next sentence says what that money is paid in
        after = _SENTENCE_END.search(norm, back.end())
        m = forms().store_credit.search(norm, back.start(), after.start() if after else len(norm))
    if not m:
        return None
    start, end = m.span("w1") if m.group("w1") else m.span("w2")
    return text[start:end]


# A sentence that opens on the money just named (这笔退款…, 呢笔钱…, 退款会…).
_REFERS_BACK = re.compile(r"\W*(?:这笔|呢笔|该笔|此笔|这些|这部分)?(?:退款|钱|款项?|金额)")
_ADDRESSED = re.compile("您|你|亲")
_ALTERNATIVE = re.compile("还是|或者|或是|要么")


def date_event(text: str, start: int, end: int, reach: int = 8) -> str | None:
    """The event word nearest a date at text[start:end] (after it first, within `reach` characters, not past a
    clause mark): 11月15日入住 -> '入住', 女儿11月27日（周五）过生日 -> '生日'; None when there is none."""
    f = forms()
    after = re.split(r"[,。!?;，、]", text[end:end + reach])[0]
    m = f.date_events.search(after)
    if not m:
        before = re.split(r"[,。!?;，、]", text[max(0, start - reach):start])[-1]
        found = list(f.date_events.finditer(before))
        m = found[-1] if found else None
    return re.sub("[的了]", "", m.group(0)) if m else None  # 付的款 is 付款


def _requests(text: str, norm: str) -> list[Claim]:
    """Each sentence that asks the customer for something first and does not waive it (Claim kind `request`, the
    sentence as written)."""
    f = forms()
    if not f.request.search(norm):
        return []
    return [Claim(kind="request", said=text[m.start():m.end()].strip(),
                  span=Span(text=text[m.start():m.end()].strip(), start=m.start(), end=m.end()))
            for m in _SENTENCE_TEXT.finditer(norm) if f.request.search(m.group(0)) and not f.not_request.search(m.group(0))]


def read_claims(text: str, norm: str, slots: list[Slot], segs: Segments | None = None) -> list[Claim]:
    """What the reply states as a fact of the case outside its offers: the order's money (您这单实付199元),
    what the customer bought (您买的是浅棕色), the day of an event (您是11月16日入住的) — clauses with an offer are left
    out — and, in any clause, a cost put on the customer (寄回运费先由您支付); in any sentence, what the customer is asked
    for first (请先将故障内存条寄回检测中心, a `request`)."""
    f = forms()
    # (asked beside an offer: only a reply that offers, or one that holds a remedy back until it is done: 收到后才能)
    requests = _requests(text, norm) if slots or f.request_gate.search(norm) else []
    # The event words first: one scan of plain words, where the date pattern tries each position (the same answer).
    dated = f.date_events.search(norm) is not None and f.date.search(norm) is not None
    charging = _gated_search(f.charge, f.charge_chars, norm) is not None
    if not f.bought.search(norm) and not (f.order_money.search(norm) and f.amount.search(norm)) and not dated \
            and not charging:
        return requests  # most replies state no such fact: no clause work
    offered = [(s.span.start, s.span.end) for s in slots]
    out: list[Claim] = requests
    for s, e, _n in _clauses(norm, segs):
        clause = norm[s:e]
        # A cost put on the customer is read in offer clauses too (寄回运费由您支付 beside the exchange).
        if charging and f.charge.search(clause) and not f.not_charge.search(clause):
            cost = f.charged.search(norm, s, e) or f.charged.search(norm, max(0, s - 12), s)  # (运费，麻烦您先垫付)
            if cost:
                out.append(Claim(kind="charge", said=text[cost.start():cost.end()],
                                 span=Span(text=text[s:e].rstrip(" ,.。!?;~、，；"), start=s, end=e)))
        if any(a < e and s < b for a, b in offered):
            continue
        clause = norm[s:e]
        if f.order_money.search(clause) and not f.not_order_money.search(clause):
            m = f.amount.search(clause)
            if m and (m.group("n") or m.group("n2")):
                value = cn_number(m.group("n") or m.group("n2"))
                if value is not None:
                    out.append(Claim(kind="order_money", said=text[s + m.start():s + m.end()], amount_yuan=value,
                                     span=Span(text=text[s:e], start=s, end=e)))
        for d in f.date.finditer(clause) if dated else ():
            if d.group("rel") and not _ADDRESSED.search(clause):
                continue  # 今天下单立减50 is an advert about any order; 您是昨天签收的 is about hers
            event = date_event(clause, d.start(), d.end())
            if event:
                out.append(Claim(kind="date", said=text[s + d.start():s + d.end()], about=event,
                                 span=Span(text=text[s:e], start=s, end=e)))
        b = f.bought.search(clause)
        if b:
            for pattern in f.attributes.values():
                a = pattern.search(clause, b.end())
                if a and a.end() - a.start() >= 2:
                    out.append(Claim(kind="bought", said=text[s + a.start():s + a.end()],
                                     span=Span(text=text[s:e], start=s, end=e)))
                    break
    return out


def _arrivals(text: str, norm: str, calendar: Calendar, segs: Segments | None = None) -> list[Claim]:
    """When goods arrive, in a reply that offers nothing (预计下周二，就是12月1号前后能到您手上, after the reship was
    offered in an earlier reply): a clause with an arrival word and a time on the case's calendar; the latest time
    said in it is when (下周二，就是12月1号 names one day twice)."""
    f = forms()
    if not f.arrival.search(norm):
        return []
    times = [t for t in resolve_times(norm, calendar) if t.due is not None]
    out: list[Claim] = []
    clauses = _clauses(norm, segs)
    for s, e, n in clauses:
        if not f.arrival.search(norm, s, e):
            continue
        # (the time may stand in an earlier clause of the sentence: 预计下周二，就是12月1号前后能到)
        start = min((cs for cs, _ce, cn in clauses if cn == n), default=s)
        in_reach = [t for t in times if start <= t.start < e]
        if in_reach:
            t = max(in_reach, key=lambda t: t.due)
            out.append(Claim(kind="arrival", said=text[t.start:t.end], due=t.due.strftime("%Y-%m-%dT%H:%M"),
                             span=Span(text=text[start:e].rstrip(" ,.。!?;~、，；"), start=start, end=e)))
            break
    return out


_PROCESS = frozenset({"follow_up", "contact_courier", "escalate"})

_CONSEQUENCE = re.compile(r"\W*(?:所以|因此|因而|这样)")

# Modalities under which nothing is offered.
NOT_OFFERED = frozenset({"negated", "past", "quoted", "echo", "asked", "none"})
_MONEY = {RemedyKind.refund, RemedyKind.compensation, RemedyKind.voucher}
# The shop as the one taking action (丢件的事我们自己找快递理赔 / 我们来负责), not justifying itself
# (我们也是按流程办事 stays an excuse).
_SHOP_SUBJECT = re.compile(
    r"^\W*(?:[^,。!?;]{0,8}的事)?\W*(?:我们|我这边|我|本店|店铺)(?:这边)?(?:自己|来|会|去|负责|直接|马上|立刻|替您|帮您)")


_TOPIC_LEAD = re.compile(r"^\W*(?:至于|关于|说到|对于)")
_SENTENCE_END = re.compile(r"[。!?;\n…~]")
_SENTENCE_TEXT = re.compile(r"[^。!?;\n…~]+")  # a sentence, as _SENTENCE_END ends it


def _barred(analysis: ReplyAnalysis, norm: str, slot: Slot) -> bool:
    """The reader's clause marks say nothing is offered around this slot: a stated limit or a refusal in
    its sentence, a topic raised (至于全额赔偿), quoted, past or conditional words."""
    if _TOPIC_LEAD.search(norm, slot.span.start):
        return True
    start = max((m.end() for m in _SENTENCE_END.finditer(norm, 0, slot.span.start)), default=0)
    end_m = _SENTENCE_END.search(norm, slot.span.end)
    end = end_m.start() if end_m else len(norm)
    for act in analysis.acts:
        if act.span.end <= start or act.span.start >= end:
            continue
        if act.kind.value in ("limit", "refusal", "violation"):
            return True
        if act.span.start < slot.span.end and slot.span.start < act.span.end and (act.quoted or act.past or act.conditional):
            return True
    return False


def attach_slots(analysis: ReplyAnalysis, customer_message: str = "", calendar: Calendar | None = None,
                 norm: str | None = None, update: dict | None = None) -> ReplyAnalysis:
    """`analysis` with its slots; remedies that are no offer dropped, a missed money offer added,
    an 'excuse' in which the shop itself acts dropped. `update`: further fields to set on the result (the
    caller's own reading), so that the reply is copied once, not once per stage."""
    update = slot_update(analysis, customer_message, calendar, norm, update)
    return analysis.model_copy(update=update) if update else analysis


def slot_update(analysis, customer_message: str = "", calendar: Calendar | None = None,
                norm: str | None = None, update: dict | None = None, segs: Segments | None = None) -> dict:
    """The fields attach_slots() sets, `update`'s among them. `analysis` is a ReplyAnalysis or any object
    with its fields (the analyzer's draft: the reply is then built once, with these, not built and copied).
    `segs`: the Segments of `norm` when the caller has them (the analyzer's; else worked out here)."""
    update = dict(update or {})

    def result() -> dict:
        return update

    if analysis.not_a_reply:
        return result()
    norm = normalize(analysis.text) if norm is None else norm
    slots, extra = read_slots(analysis.text, analysis.remedies, customer_message, calendar, norm, segs)
    claims = read_claims(analysis.text, norm, [*slots, *extra], segs)
    if calendar is not None and not slots and not extra:
        claims = [*claims, *_arrivals(analysis.text, norm, calendar, segs)]
    if claims:
        update["claims"] = claims
    evidence = analysis.evidence
    promise = None if analysis.commitment else _gated_search(forms().promise, forms().promise_chars, norm)
    if promise and not forms().modality["negated"].search(norm, max(0, promise.start() - 6), promise.start()):
        # 单号一出来我就发您 / 我会一直跟到您签收 / 仓库加一道核对: a promise to follow through or improve.
        evidence = [*evidence, Evidence(
            kind="commitment", rule="slots.promise",
            span=Span(text=analysis.text[promise.start():promise.end()], start=promise.start(), end=promise.end()))]
        update["commitment"] = True
        update["evidence"] = evidence
    if not slots and not extra and not any(v.code.value == "excuse" for v in analysis.violations):
        return result()
    # A remedy keeps what its slot read and the lexicon missed (给您补偿3k, 退一半).
    remedies = [r if (r.amount_yuan == s.amount_yuan or s.amount_yuan is None) and (r.percent is not None or s.percent is None)
                else r.model_copy(update={"amount_yuan": s.amount_yuan if s.amount_yuan is not None else r.amount_yuan,
                                          "percent": r.percent if r.percent is not None else s.percent})
                for r, s in zip(analysis.remedies, slots) if s.modality not in NOT_OFFERED]
    # 我马上去问仓库 / 我去查一下物流: asking or looking, no chase of the courier — a look (follow_up), not a contact.
    # 派送进度我每小时跟您同步一次: the shop keeping her posted (a promise form) is a follow-up, not instructions to her.
    looks = [i for i, r in enumerate(analysis.remedies) if _a_look(norm, r, segs) or _keeps_posted(norm, r, segs)]
    if looks:  # (slots[i] is the slot of analysis.remedies[i])
        starts = {analysis.remedies[i].span.start for i in looks}
        remedies = [r.model_copy(update={"kind": RemedyKind.follow_up})
                    if r.kind in (RemedyKind.contact_courier, RemedyKind.instructions)
                    and r.span.start in starts else r for r in remedies]
        slots = [s.model_copy(update={"kind": RemedyKind.follow_up}) if i in looks else s for i, s in enumerate(slots)]
    kinds = {r.kind for r in remedies}
    for s in extra:
        # 三千块我们赔: a money offer with its amount the lexicon missed; the shop gives it.
        if (s.kind in _MONEY and s.kind not in kinds and s.modality == "offered" and s.actor == "shop"
                and (s.amount_yuan is not None or s.full) and not _barred(analysis, norm, s)):
            remedies.append(Remedy(kind=s.kind, amount_yuan=s.amount_yuan, percent=s.percent, full=s.full,
                                   span=s.span))
            kinds.add(s.kind)
    violations = analysis.violations
    if any(v.code.value == "excuse" for v in violations):
        clauses = _clauses(norm, segs)
        kept = []
        for v in violations:
            if v.code.value == "excuse":
                s, e, _n = clauses[_clause_of(clauses, v.span.start)]
                if _SHOP_SUBJECT.search(norm[s:e]) and "您" not in norm[s:v.span.start]:
                    continue  # 我们自己找快递理赔: the shop acting is no excuse
            kept.append(v)
        violations = kept
    update["slots"] = sorted([*slots, *extra], key=lambda s: s.span.start)
    if len(remedies) != len(analysis.remedies) or any(a is not b for a, b in zip(remedies, analysis.remedies)):
        update["remedies"] = remedies
        if not remedies and analysis.solution and not analysis.handoff:
            update["solution"] = 0
    if len(violations) != len(analysis.violations):
        update["violations"] = violations
        gone = {(v.span.start, v.span.end) for v in analysis.violations} - {(v.span.start, v.span.end) for v in violations}
        update["evidence"] = [ev for ev in evidence if (ev.span.start, ev.span.end) not in gone
                              or ev.kind != "excuse"]
    return result()
