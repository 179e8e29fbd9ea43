"""Session grading: a whole conversation (SessionRecord) -> Scorecard.

Follows the seeds' five steps (001: 接受投诉, 平息怨气, 澄清问题, 协商解决, 感谢客户), the wig case
(000) and the chat taboos (003), read through HEARD / HEAT: apologise and empathise early, ask
before solving, solve every issue with a remedy and a time frame, close properly. All weights,
thresholds and caps come from scoring.rubric; every point gained or lost becomes a ScoreItem
quoting the trainee's own words. Pure and deterministic: no clock, no randomness, no jieba.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scoring.models import DIMENSIONS, RemedyKind, Scorecard, ScoreItem, SessionRecord, Topic, TurnRecord
from scoring.normalize import normalize
from scoring.relevance import is_template
from scoring.rubric import (
    CLOSING_REPLIES,
    DEDUCTION_CAP,
    DEDUCTION_SHARE,
    DIMENSION_WEIGHTS,
    EARLY_REPLIES,
    MIN_REPLY_RATIO,
    QUICK_REPLY_LIMIT,
    VIOLATION_RULES,
    Rule,
    better_phrasing,
    rule,
)

QUOTE_CHARS = 40  # a quoted reply excerpt is cut after this many characters
TIP_COUNT = 3
_SURROGATE = re.compile("[\ud800-\udfff]")
# What the customer did when the conversation ended without their agreement (outcome.unsettled's detail).
UNSETTLED = {"unfinished": "顾客还没有接受任何方案", "escalated": "顾客投诉升级了", "abandoned": "顾客已经离开了"}
PREFERENCE_QUESTION = "question.preference"  # the analyzer's rule for "您希望…？" questions
GREETING_QUESTION = "question.greeting"  # 请问有什么可以帮您？ — an offer of help, not a question about the case
# Steps towards a solution rather than a solution: they earn half of an issue's share at most.
PROCESS_REMEDIES = frozenset({RemedyKind.contact_courier, RemedyKind.escalate, RemedyKind.follow_up})


def grade_session(record: SessionRecord, ended: bool = True) -> Scorecard:
    """Grade a whole conversation; every point of the result is explained by a ScoreItem. `ended`: the conversation
    is over (a record read back, a finished session); a conversation still going (the practice room's preview) is
    not charged for an outcome it has not reached yet."""
    return _Grader(record, ended).grade()


# ---- small helpers ----------------------------------------------------------------------------


def _printable(text: str) -> str:
    """Lone surrogates (undecodable terminal bytes, JSON escapes) become U+FFFD so that a scorecard
    always serialises to JSON; everything else is kept as the trainee typed it."""
    return _SURROGATE.sub("\ufffd", text)


def _chars(text: str) -> int:
    """Characters that count for 答问比 (003 禁区4): whitespace ignored, counted on the normalised text so that a
    Taiwan word (藍色畫面 for 蓝屏, 許可權 for 权限) makes a reply no longer than its mainland twin (issue 17 §5)."""
    return sum(1 for c in normalize(text) if not c.isspace())


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def _nth(turn: TurnRecord) -> str:
    return f"第{turn.index + 1}句回复"


def _quote(turn: TurnRecord, *kinds: str) -> str:
    """The trainee's words behind a finding: the first evidence span of these kinds (or rules, e.g. a
    topic id), else an excerpt of the reply."""
    for ev in turn.analysis.evidence:
        if ev.kind in kinds or ev.rule in kinds:
            return ev.span.text
    return _excerpt(turn.reply)


def _acts(turn: TurnRecord) -> bool:
    """The reply offers some action: a remedy, or at least checking, escalating or following up."""
    return bool(turn.analysis.remedies) or turn.analysis.solution > 0


def _offers_solution(turn: TurnRecord) -> bool:
    """The reply offers a concrete remedy (000: 补发, 代金券…); 核实 / 转主管 / 跟进 alone are not one yet."""
    a = turn.analysis
    if a.remedies:
        return any(m.kind not in PROCESS_REMEDIES for m in a.remedies)
    return a.solution > 0


def _settles_service(turn: TurnRecord, issue) -> bool:
    """A complaint about the service itself (`resolved_by: [apology]`, the pre-sales agent's wrong advice) is
    settled by an apology with a commitment to improve, or by the fault owned by name (责任在我们), as the customer
    takes it (000 诚恳道歉; 001 感谢客户 第三句)."""
    a = turn.analysis
    return "apology" in issue.resolved_by and a.apology > 0 and (a.commitment or a.owns_fault)


def _closes(turn: TurnRecord) -> bool:
    """Two of the three closing sentences (001 感谢客户): sorry again, thanks, improvement or follow-up."""
    a = turn.analysis
    return int(a.apology > 0) + int(a.thanks) + int(a.commitment) >= 2


_WORDS = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")
ECHO_MIN_CHARS = 8  # a shorter reply (好的，明白了) may share words with anything


def _echoes_customer(turn: TurnRecord) -> bool:
    """003 禁区6: the reply says back, word for word, what the customer has just said or quoted — the very
    quick reply she complains about (你们说“亲，我们会按顺序尽快为您发货的哦~”), or her own complaint."""
    mine = _WORDS.sub("", normalize(turn.reply))
    return len(mine) >= ECHO_MIN_CHARS and mine in _WORDS.sub("", normalize(turn.customer_message))


def _consults(a) -> bool:
    """The reply asks the customer to choose or what she thinks (001 协商解决), with no forbidden move."""
    return (a.asks_preference or a.offers_choice or a.names_options) and a.question > 0 and not a.violations


def clarifies(analysis) -> bool:
    """A clarifying question (001 澄清问题) — the scorecard's reading, shared with coaching."""
    return _clarifies_analysis(analysis)


def _clarifies(turn: TurnRecord) -> bool:
    return _clarifies_analysis(turn.analysis)


def _clarifies_analysis(a) -> bool:
    """A clarifying question (001 澄清问题). "您希望换货还是退款？" / "您看这样可以吗？" is consultation
    (协商解决), not clarification: a reply whose only question is the analyzer's preference rule does not count."""
    if a.question == 0:
        return False
    rules = [e.rule for e in a.evidence if e.kind == "question"]
    if rules:
        # (请问有什么可以帮您？ after the complaint is told is a greeting, not a question about the case)
        return any(r not in (PREFERENCE_QUESTION, GREETING_QUESTION) for r in rules)
    return not a.asks_preference


def _solution_quote(turn: TurnRecord, topic: str | None = None) -> str:
    """The remedy offered, the one nearest to where the topic is mentioned when there are several."""
    remedies = turn.analysis.remedies
    if not remedies:
        return _quote(turn, "solution")
    at = [e.span.start for e in turn.analysis.evidence if e.kind == "topic" and e.rule == topic]
    if not at:
        return remedies[0].span.text
    return min(remedies, key=lambda m: abs(m.span.start - at[0])).span.text


def _issue_name(issue: Topic) -> str:
    """The issue as the trainee knows it: the case's summary, else its first keyword, else its id."""
    return f"“{issue.summary or (issue.keywords[0] if issue.keywords else issue.id)}”"


def _best(positions: Iterable[int], level: dict[int, int]) -> int | None:
    """The earliest position with the highest level, or None."""
    best: int | None = None
    for i in positions:
        if best is None or level[i] > level[best]:
            best = i
    return best


def _shares(total: int, n: int) -> list[int]:
    """Split total points into n integer shares that sum to total (earlier shares get the remainder)."""
    base, extra = divmod(total, n)
    return [base + (1 if k < extra else 0) for k in range(n)]


@dataclass
class _Loss:
    """Points missed (dimension rules, weighted by the dimension's share of the total) or taken off."""

    rule: Rule
    points: float
    detail: str = ""


# ---- the grader -------------------------------------------------------------------------------


class _Grader:
    def __init__(self, record: SessionRecord, ended: bool = True) -> None:
        self.record = record
        self.ended = ended
        self.turns = sorted(record.turns, key=lambda t: t.index)
        self.items: list[ScoreItem] = []
        self.losses: list[_Loss] = []
        n = len(self.turns)
        self.closing = range(max(0, n - CLOSING_REPLIES), n)
        # docs/scoring.md §10: a template (claims handling, names nothing of the case) earns apology and
        # empathy at most once and no solution credit; the close at the end is no template.
        # Nor, as the customer reads it (docs/engine.md "Template"), is asking the customer to choose or what she thinks
        # once a remedy was offered (您看是直接同城补发，还是再等这一单？您定): it is about the offers on the table; nor
        # is carrying out what she chose with a commitment (好，就照您说的办。1小时内我主动打给您).
        offered_before = [any(_acts(p) for p in self.turns[:i]) for i in range(n)]
        self.templates = {i for i, t in enumerate(self.turns) if is_template(t.analysis)
                          and not (i in self.closing and _closes(t))
                          and not (offered_before[i] and (_consults(t.analysis) or (
                              t.analysis.commitment and i > 0 and _consults(self.turns[i - 1].analysis))))}
        first_template = min(self.templates) if self.templates else None
        # The same comfort pasted again (a near-repeat, 003 禁区6) earns nothing the second time.
        self.no_comfort = {i for i in self.templates if i != first_template} | {
            i for i, t in enumerate(self.turns) if t.analysis.repeats_turn is not None}
        offers = [i for i, t in enumerate(self.turns) if _offers_solution(t) and i not in self.templates]
        self.first_solution = offers[0] if offers else None
        self.engine_addressed = any(t.addressed_issues is not None for t in self.turns)
        self._template_indexes = {self.turns[i].index for i in self.templates}

    # -- item builders --

    def _better(self, r: Rule) -> str:
        """The better phrasing for this case: its own, its category's, else the rule's."""
        return better_phrasing(r.id, self.record.category, self.record.better)

    def _credit(self, r: Rule, points: int, turn: TurnRecord | None, detail: str, quote: str = "",
                *, full: int | None = None) -> None:
        """Credit `points` of rule r (whose full marks are `full`, default r.points)."""
        full = r.points if full is None else full
        where = f"{_nth(turn)}" if turn is not None else "整场对话"
        self.items.append(ScoreItem(
            dimension=r.dimension, points=points, turn=turn.index if turn is not None else None,
            rule=r.id, reason=f"{r.title}：{where}{detail}（{points}/{full}分）", quote=quote,
            better=self._better(r) if points < full else "",
        ))
        if points < full:
            self._lose(r, full - points, f"{where}{detail}")

    def _miss(self, r: Rule, detail: str = "", *, full: int | None = None, turn: TurnRecord | None = None,
              quote: str = "") -> None:
        """Zero credit for rule r, with the advice; the whole weight of the rule is lost."""
        full = r.points if full is None else full
        self.items.append(ScoreItem(
            dimension=r.dimension, points=0, turn=turn.index if turn is not None else None, rule=r.id,
            reason=f"{r.title}：{detail or '没有做到'}（0/{full}分）。{r.tip}。", quote=quote, better=self._better(r),
        ))
        self._lose(r, full, detail)

    def _lose(self, r: Rule, points: float, detail: str = "") -> None:
        weight = DIMENSION_WEIGHTS.get(r.dimension, 100) / 100
        self.losses.append(_Loss(r, points * weight, detail))

    def _misfit_open(self, i: int) -> bool:
        """A misfit of reply i that no later reply put right (the engine's `settles_misfits`)."""
        later = {k for t in self.turns[i + 1:] for k in t.settles_misfits}
        return any(n.key and n.key not in later for n in self.turns[i].misfits)

    def _mentions(self, t: TurnRecord, issue_id: str) -> bool:
        """The reply answered this issue: as the customer counted it when the engine says (one source
        for the scorecard and the customer), else by the reply's topics."""
        if self.engine_addressed:
            return issue_id in (t.addressed_issues or [])
        return issue_id in t.analysis.issue_topics

    # -- dimensions --

    def _opening_credit(self, positions: list[int], level: dict[int, int], early: Rule, late: Rule,
                        kinds: tuple[str, ...], what: str) -> int | None:
        """Credit for the first apology / empathy: early (first replies) or late; strong beats weak."""
        pick = _best([i for i in positions if i < EARLY_REPLIES], level)
        r = early
        if pick is None:
            pick, r = _best(positions, level), late
        if pick is None:
            self._miss(early, f"整场没有{what}")
            return None
        turn = self.turns[pick]
        strong = level[pick] >= 2
        points = r.points if strong else (r.weak_points or 0)
        detail = ("诚恳地" if strong else "简单地") + what
        if r is late:
            detail += f"，但前{EARLY_REPLIES}句回复都没有"
        self._credit(r, points, turn, detail, _quote(turn, *kinds), full=early.points)
        return pick

    def _apology(self) -> None:
        level = {i: (0 if i in self.no_comfort else t.analysis.apology) for i, t in enumerate(self.turns)}
        apologised = [i for i, lv in level.items() if lv > 0]
        opening = self._opening_credit(apologised, level, rule("apology.early"), rule("apology.late"),
                                       ("apology",), "道歉")
        closing = [i for i in apologised if i in self.closing and i != opening]
        r = rule("apology.closing")
        if closing:
            t = self.turns[closing[-1]]
            self._credit(r, r.points, t, "在结束时再次致歉", _quote(t, "apology"))
        else:
            self._miss(r, "结束时没有再次致歉")
        r = rule("apology.sincere")
        excuses = [(t, v) for t in self.turns for v in t.analysis.violations if v.code.value == "excuse"]
        if opening is None:
            self._miss(r, "没有道歉")
        elif excuses:
            t, v = excuses[0]
            self._miss(r, f"{_nth(t)}在找借口", turn=t, quote=v.span.text)
        else:
            t = self.turns[opening]
            self._credit(r, r.points, None, "都没有找借口、辩解", _quote(t, "apology"))

    def _empathy(self) -> None:
        upset = [i for i, t in enumerate(self.turns) if t.customer_upset] or list(range(len(self.turns)))
        level = {i: (0 if i in self.no_comfort else t.analysis.empathy) for i, t in enumerate(self.turns)}
        shown = [i for i in upset if level[i] > 0]
        self._opening_credit(shown, level, rule("empathy.early"), rule("empathy.late"),
                             ("empathy",), "表达理解")
        r = rule("empathy.sustained")
        needed = min(2, len(upset))
        if needed and len(shown) >= needed:
            t = self.turns[shown[needed - 1]]
            self._credit(r, r.points, t, "在顾客仍然不满时继续表达理解", _quote(t, "empathy"))
        elif shown:
            self._miss(r, "顾客还没消气，只在一句回复里表达了理解")
        else:
            self._miss(r, "顾客生气时没有表达理解")
        r = rule("empathy.thanks")
        thanked = [i for i in self.closing if self.turns[i].analysis.thanks]
        if thanked:
            t = self.turns[thanked[-1]]
            self._credit(r, r.points, t, "感谢了顾客", _quote(t, "thanks"))
        else:
            self._miss(r, "结束时没有感谢顾客")

    def _question(self) -> None:
        asked = [i for i, t in enumerate(self.turns) if _clarifies(t)]
        level = {i: t.analysis.question for i, t in enumerate(self.turns)}
        first, late = rule("question.first"), rule("question.late")
        before = [i for i in asked if self.first_solution is None or i <= self.first_solution]
        if before:
            pick, r, detail = _best(before, level), first, "在给方案之前提问"
        elif asked:
            pick, r, detail = _best(asked, level), late, "在给出方案之后才提问"
        else:
            pick = None
        if pick is None:
            self._miss(first, "整场没有提出澄清问题")
        else:
            t = self.turns[pick]
            points = r.points if level[pick] >= 2 else (r.weak_points or 0)
            self._credit(r, points, t, detail, _quote(t, "question"), full=first.points)

        r = rule("question.open")
        open_ = [i for i in asked if self.turns[i].analysis.question_kind == "open"]
        if open_:
            t = self.turns[open_[0]]
            self._credit(r, r.points, t, "用开放式问题请顾客讲述", _quote(t, "question"))
        else:
            self._miss(r, "没有开放式提问")
        r = rule("question.closed")
        closed = [i for i in asked if self.turns[i].analysis.question_kind == "closed"]
        after_open = [i for i in closed if open_ and i > open_[0]]
        if after_open:
            t = self.turns[after_open[0]]
            self._credit(r, r.points, t, "在开放式提问之后用封闭式问题确认", _quote(t, "question"))
        elif closed:
            self._miss(r, "只有封闭式问题，没有先让顾客讲清经过")
        else:
            self._miss(r, "没有用封闭式问题确认症结")
        r = rule("question.specific")
        specific = [i for i in asked if self.turns[i].analysis.fact_topics]
        if specific:
            t = self.turns[specific[0]]
            self._credit(r, r.points, t, "问到了案情的关键事实", _quote(t, "question", "topic"))
        else:
            self._miss(r, "没有问到订单、照片、时间等关键事实")

    def _solution(self) -> list[str]:
        """Solution items; returns the ids of the issues never answered."""
        r = rule("solution.issues")
        issues = self.record.issues
        unanswered: list[str] = []
        if not issues:
            acting = [t for t in self.turns if _acts(t)]
            if self.first_solution is not None:
                t = self.turns[self.first_solution]
                self._credit(r, r.points, t, "给出了具体方案", _solution_quote(t))
            elif acting:
                self._credit(r, r.points // 2, acting[0], "在处理，但还没有给出具体方案", _solution_quote(acting[0]))
            else:
                self._miss(r, "整场没有给出具体方案")
        for issue, share in zip(issues, _shares(r.points, len(issues)) if issues else []):
            name = _issue_name(issue)
            mentioned = [i for i, t in enumerate(self.turns) if self._mentions(t, issue.id) and i not in self.templates]
            # Issue 17 §4: a remedy that does not fit (too late, the wrong thing, on a condition) is no solution.
            solved = [i for i in mentioned if (_offers_solution(self.turns[i]) or _settles_service(self.turns[i], issue))
                      and not self.turns[i].misfits]
            # (a misfit the customer corrected is not counted as answering the issue, yet it is about it)
            unfit = [i for i, t in enumerate(self.turns) if t.misfits and i not in self.templates
                     and (i in mentioned or issue.id in t.analysis.issue_topics)]
            acting = [i for i in mentioned if _acts(self.turns[i])]
            # A misfit no later fitting offer put right (the 雾霾蓝 after 我来给您办理换货, never named again in
            # 燕麦色) leaves the issue unsolved, as the customer judges it, whatever was credited before.
            if still_open := [i for i in unfit if self._misfit_open(i)]:
                solved, unfit = [], [still_open[-1]]
            if not solved and unfit:
                t = self.turns[unfit[0]]
                note = t.misfits[0]
                self._credit(r, share // 2, t, f"针对{name}问题给的方案不合适：{note.reason}", note.quote, full=share)
            elif solved:
                t = self.turns[solved[0]]
                self._credit(r, share, t, f"针对{name}问题给出了具体方案", _solution_quote(t, issue.id),
                             full=share)
            elif acting:
                t = self.turns[acting[0]]
                self._credit(r, share // 2, t, f"回应了{name}问题并着手处理，但还没有给出具体方案",
                             _solution_quote(t, issue.id), full=share)
            elif mentioned and self.first_solution is not None:
                t = self.turns[mentioned[0]]
                self._credit(r, share // 2, t, f"回应了{name}问题，但方案没有对上这个问题",
                             _quote(t, issue.id), full=share)
            elif mentioned:
                t = self.turns[mentioned[0]]
                self._miss(r, f"回应了{name}问题，但没有给出方案", full=share, turn=t, quote=_quote(t, issue.id))
            elif early := [i for i, t in enumerate(self.turns) if self.engine_addressed and i not in self.templates
                           and issue.id in t.analysis.issue_topics]:
                # Talked about, but the customer did not take it as an answer (too early, or beside a breach).
                t = self.turns[early[0]]
                self._miss(r, f"{_nth(t)}提到了{name}问题，但顾客没有把它当作回应（说得太早，或同一句里有不当说法），"
                              f"之后也没有再回应", full=share, turn=t, quote=_quote(t, issue.id))
            else:
                unanswered.append(issue.id)
                self._miss(r, f"顾客提出的{name}问题没有回应", full=share)

        # Issue 17 §4: every offer that does not fit is quoted with why, also where the issue's share came
        # from elsewhere (0 points here: the share above already says what was earned).
        r = rule("solution.issues")
        told = {(i.turn, i.quote) for i in self.items if "不合适" in i.reason}
        for t in self.turns:
            for note in t.misfits:
                if (t.index, note.quote) not in told:
                    told.add((t.index, note.quote))
                    self.items.append(ScoreItem(
                        dimension=r.dimension, points=0, turn=t.index, rule=r.id,
                        reason=f"{r.title}：{_nth(t)}的方案不合适：{note.reason}", quote=note.quote,
                        better=self._better(r)))

        r = rule("solution.time_frame")
        # (a time the customer said is too late — 一般2到3个工作日内会安排派送 for a 17:00 deadline — is no time frame
        # she can use: issue 17 §4, the scorecard judges the time as the customer does)
        timed = [(t, m) for i, t in enumerate(self.turns) if i not in self.templates
                 and not any(n.why == "too_late" for n in t.misfits)
                 for m in t.analysis.remedies if m.time_frame or m.hours is not None]
        if timed:
            t, m = timed[0]
            self._credit(r, r.points, t, "给出了处理期限", m.time_frame or m.span.text)
        else:
            self._miss(r, "方案没有给出时间")

        r = rule("solution.consult")
        consulted = [i for i, t in enumerate(self.turns) if t.analysis.asks_preference and i not in self.templates]
        early = [i for i in consulted if self.first_solution is None or i <= self.first_solution]
        if early:
            t = self.turns[early[0]]
            self._credit(r, r.points, t, "征求了顾客的意见", _quote(t, "preference", PREFERENCE_QUESTION))
        elif consulted:
            t = self.turns[consulted[0]]
            self._credit(r, r.weak_points or 0, t, "在给出方案之后才征求顾客意见",
                         _quote(t, "preference", PREFERENCE_QUESTION))
        else:
            self._miss(r, "没有征求顾客的意见，方案是单方面决定的")

        r = rule("solution.follow_up")
        committed = [i for i, t in enumerate(self.turns) if i not in self.templates
                     and (t.analysis.commitment or RemedyKind.follow_up in t.analysis.remedy_kinds())]
        at_close = [i for i in committed if i in self.closing]
        if at_close:
            t = self.turns[at_close[-1]]
            self._credit(r, r.points, t, "在结束时承诺跟进或改进", _quote(t, "commitment", "remedy.follow_up"))
        elif committed:
            t = self.turns[committed[0]]
            self._credit(r, r.weak_points or 0, t, "承诺了跟进，但结束时没有再表态",
                         _quote(t, "commitment", "remedy.follow_up"))
        else:
            self._miss(r, "没有承诺跟进处理或改进工作")
        return unanswered

    # -- deductions --

    def _deductions(self, unanswered: list[str], cap: int = DEDUCTION_CAP) -> tuple[int, list[int], float]:
        """Deduction items (capped per rule, then overall); returns (deductions, slow turns, ratio)."""
        found: list[tuple[Rule, TurnRecord | None, str, str]] = []  # rule, turn, detail, quote
        limit = self.record.response_limit_seconds
        slow: list[int] = []
        quick = 0
        for t in self.turns:
            a = t.analysis
            for code in a.violation_codes:
                quote = "、".join(dict.fromkeys(v.span.text for v in a.violations if v.code.value == code))
                found.append((rule(VIOLATION_RULES[code]), t, f"{_nth(t)}说了“{quote}”", quote))
            if t.seconds > limit:
                slow.append(t.index)
                found.append((rule("reply.slow"), t, f"{_nth(t)}用了{t.seconds:.0f}秒，超过{limit:.0f}秒的时限",
                              _excerpt(t.reply)))
            customer, mine = _chars(t.customer_message), _chars(t.reply)
            if customer and mine < customer:
                found.append((rule("reply.short"), t, f"{_nth(t)}只有{mine}个字，顾客说了{customer}个字",
                              _excerpt(t.reply)))
            if t.index == 0 and t.customer_upset and not a.apology and not a.empathy and not a.not_a_reply:
                # 001 平息怨气: an angry customer's first answer explains, asks or quotes the rules with no word for her
                found.append((rule("reply.cold_open"), t, f"{_nth(t)}没有道歉，也没有表达理解", _excerpt(t.reply)))
            if a.not_a_reply:
                found.append((rule("reply.not_a_reply"), t, f"{_nth(t)}：{a.not_a_reply_reason}", _excerpt(t.reply)))
            elif t.index in self._template_indexes:
                found.append((rule("reply.generic"), t, f"{_nth(t)}没有提到本案的任何情况（商品、问题、事实）",
                              _excerpt(t.reply)))
            if a.repeats_turn is not None:
                found.append((rule("reply.repeat"), t, f"{_nth(t)}和第{a.repeats_turn + 1}句回复（几乎）一样",
                              _excerpt(t.reply)))
            elif _echoes_customer(t):
                found.append((rule("reply.repeat"), t, f"{_nth(t)}照搬了顾客刚说过的话，像在敷衍",
                              _excerpt(t.reply)))
            if t.quick_reply:
                quick += 1
                if quick > QUICK_REPLY_LIMIT:
                    found.append((rule("reply.quick"), t,
                                  f"{_nth(t)}是第{quick}个快捷回复（不超过{QUICK_REPLY_LIMIT}个）", _excerpt(t.reply)))
            for breach in t.policy_breaches:
                found.append((rule("policy.breach"), t, f"{_nth(t)}{breach}", _excerpt(t.reply)))
        by_id = {i.id: i for i in self.record.issues}
        for issue_id in unanswered:
            found.append((rule("issue.unanswered"), None,
                          f"顾客提出的{_issue_name(by_id[issue_id])}问题整场都没有回应", ""))
        if self.ended and self.turns and self.record.outcome != "resolved":
            # 000 / 004: how it was said never makes up for what the customer did not get
            found.append((rule("outcome.unsettled"), None, f"对话结束时{UNSETTLED[self.record.outcome]}", ""))
        customer_chars = sum(_chars(t.customer_message) for t in self.turns)
        ratio = sum(_chars(t.reply) for t in self.turns) / customer_chars if customer_chars else 0.0
        if customer_chars and ratio < MIN_REPLY_RATIO:
            found.append((rule("reply.ratio"), None,
                          f"整场回复字数是顾客的{ratio:.0%}，应不低于{MIN_REPLY_RATIO:.0%}", ""))

        left = {r.id: r.cap if r.cap is not None else DEDUCTION_CAP for r, *_ in found}
        total = 0
        for r, t, detail, quote in found:
            reason = f"{r.title}：{detail}"
            points = min(r.points, left[r.id])
            left[r.id] -= points
            if points < r.points:
                reason += f"（本项最多扣{r.cap}分，已扣满）"
            if points:
                self.losses.append(_Loss(r, points, detail))
            if points > cap - total:
                points = cap - total
                reason += (f"（总扣分已到上限{cap}分）" if cap == DEDUCTION_CAP
                           else f"（扣分最多扣到得分的{DEDUCTION_SHARE}%，即{cap}分）")
            total += points
            self.items.append(ScoreItem(
                dimension="deduction", points=-points, turn=t.index if t is not None else None,
                rule=r.id, reason=reason, quote=quote, better=self._better(r),
            ))
        return total, slow, ratio

    # -- the card --

    def _tips(self) -> list[str]:
        """The most valuable advice: rules ranked by the points they cost, first detail kept."""
        by_rule: dict[str, _Loss] = {}
        for loss in self.losses:
            if loss.rule.id in by_rule:
                by_rule[loss.rule.id].points += loss.points
            else:
                by_rule[loss.rule.id] = _Loss(loss.rule, loss.points, loss.detail)
        ranked = sorted((x for x in by_rule.values() if x.points > 0), key=lambda x: -x.points)  # stable
        tips = []
        for loss in ranked[:TIP_COUNT]:
            detail = f"（{loss.detail}）" if loss.detail else ""
            tips.append(f"{loss.rule.tip}{detail}。参考说法：“{self._better(loss.rule)}”")
        return tips

    def grade(self) -> Scorecard:
        self._apology()
        self._empathy()
        self._question()
        unanswered = self._solution()
        scores = {d: sum(i.points for i in self.items if i.dimension == d) for d in DIMENSIONS}
        base = (sum(DIMENSION_WEIGHTS[d] * scores[d] for d in DIMENSIONS) + 50) // 100
        # Deductions take at most DEDUCTION_SHARE% of what was earned (and never more than DEDUCTION_CAP):
        # a clumsy but polite reply keeps a little of its credit, so the scores still rank people.
        cap = min(DEDUCTION_CAP, base * DEDUCTION_SHARE // 100)
        deductions, slow, ratio = self._deductions(unanswered, cap)
        items = [i.model_copy(update={"reason": _printable(i.reason), "quote": _printable(i.quote)})
                 for i in self.items]
        return Scorecard(
            **scores, deductions=deductions, total=max(0, base - deductions), items=items,
            tips=[_printable(t) for t in self._tips()], unanswered_issues=unanswered, slow_turns=slow,
            reply_ratio=round(ratio, 2),
        )
