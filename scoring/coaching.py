"""Coaching after one reply: what it did, in the trainee's own words, and what to do next in THIS
conversation — from the same reading and the same phrasings as the scorecard, so the two never
disagree (issue 7 §4; issue 13).

Pure and deterministic: `coach()` takes the analysis and what the conversation knows (the case's
better phrasings and category, whether the customer must still be heard, the issues still open) and
returns notes; the practice room only renders them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scoring.models import ReplyAnalysis
from scoring.relevance import is_template
from scoring.rubric import DIMENSION_NAMES, VIOLATION_RULES, better_phrasing, rule
from scoring.session import clarifies

LEVEL_WORDS = {1: "（弱）", 2: ""}
# The rubric rule whose phrasing is suggested when a dimension is missing from a reply.
BETTER_RULE = {
    "apology": "apology.early",
    "empathy": "empathy.early",
    "question": "question.first",
    "solution": "solution.issues",
}


@dataclass(frozen=True)
class CoachNote:
    """One line of coaching: done (✓) or not (✗), a title, the trainee's words, and advice."""

    ok: bool
    title: str
    quotes: tuple[str, ...] = ()
    advice: str = ""


@dataclass(frozen=True)
class CoachContext:
    """What the conversation knows beyond the reply itself."""

    category: str | None = None
    better: dict[str, str] = field(default_factory=dict)
    must_be_heard_pending: bool = False  # a customer who must be heard has not been heard yet
    open_issues: tuple[str, ...] = ()  # summaries of the issues not answered yet
    breaches: tuple[str, ...] = ()
    # Where the conversation stands (issue 21 §6: advice fits the moment, not the same line every turn).
    done_before: tuple[str, ...] = ()  # dimensions an earlier reply already did (apology, empathy, question)
    told: tuple[str, ...] = ()  # words of the facts the customer has already told (订单号, 照片)
    nothing_to_ask: bool = False  # every fact of the case is told
    offer_on_table: bool = False  # a remedy the customer would take has been offered


def coach(analysis: ReplyAnalysis, context: CoachContext | None = None) -> list[CoachNote]:
    """The coaching notes for one reply."""
    ctx = context or CoachContext()
    say = lambda rule_id: better_phrasing(rule_id, ctx.category, ctx.better)  # noqa: E731
    notes: list[CoachNote] = []
    if analysis.not_a_reply:
        notes.append(CoachNote(False, "不是回复", (), analysis.not_a_reply_reason or "用完整的句子回复顾客。"))
        notes.append(CoachNote(False, "下一步", (), say("apology.early")))
        return notes
    template = is_template(analysis)
    for dim, rule_id in BETTER_RULE.items():
        name = DIMENSION_NAMES[dim]
        level = getattr(analysis, dim)
        if dim == "question":
            done = clarifies(analysis)  # the scorecard's reading: 您看可以吗 consults, it does not clarify
        elif dim == "solution":
            done = level > 0 and not template
        else:
            done = level > 0
        if done:
            quotes = [ev.span.text for ev in analysis.evidence if ev.kind == dim]
            if dim == "solution":
                quotes += [r.span.text for r in analysis.remedies if r.span.text not in quotes]
            notes.append(CoachNote(True, name + LEVEL_WORDS.get(level, ""), tuple(dict.fromkeys(quotes))))
        elif _not_now(dim, ctx):
            continue  # done earlier, or past that stage: the same advice again would not fit the moment
        elif dim == "question" and any(w and w in say(rule_id) for w in ctx.told):
            named = [w for w in dict.fromkeys(ctx.told) if w and w in say(rule_id)]
            told = "、".join(w for w in named if not any(w != o and w in o for o in named))  # 订单号, not also 单号
            notes.append(CoachNote(False, name, (), f"顾客已经告诉您{told}了，别再问一遍；还不清楚的地方再问。"))
        elif dim == "solution" and ctx.must_be_heard_pending:
            # 001 平息怨气: this customer must be heard first — a solution now earns 你根本没在听我说.
            notes.append(CoachNote(False, name, (), "先别急着给方案：顾客还在气头上，先道歉、表示理解，请对方把话说完。"
                                   f"可以说：{say('empathy.early')}"))
        else:
            notes.append(CoachNote(False, name, (), f"可以说：{say(rule_id)}"))
    if template:
        notes.append(CoachNote(False, "套话", (), "这句没有提到本案的任何情况（商品、问题、事实），顾客会觉得是模板。"
                               f"可以说：{say('solution.issues')}"))
    for v in analysis.violations:
        rule_id = VIOLATION_RULES.get(v.code.value, "")
        title = rule(rule_id).title if rule_id else v.code.value
        notes.append(CoachNote(False, f"违规：{title}", (v.span.text,), f"可以说：{say(rule_id)}" if rule_id else ""))
    for breach in ctx.breaches:
        notes.append(CoachNote(False, "越权", (breach,), f"可以说：{say('policy.breach')}"))
    if not analysis.violations and not ctx.breaches:
        notes.append(CoachNote(True, "没有违规"))
    if ctx.open_issues:
        notes.append(CoachNote(False, "还没回应", tuple(ctx.open_issues), f"可以说：{say('issue.unanswered')}"))
    elif ctx.offer_on_table and not analysis.violations and not ctx.breaches:
        # 001 感谢客户: the solution is on the table and every issue answered — what is left is the close.
        notes.append(CoachNote(False, "下一步：收尾", (), "方案已经给出：确认顾客同意后，再次致歉、感谢顾客、说清后续跟进。"
                               f"可以说：{say('apology.closing')}{say('empathy.thanks')}"))
    return notes


def _not_now(dim: str, ctx: CoachContext) -> bool:
    """A missing dimension that needs no advice at this point of the conversation."""
    if dim in ("apology", "empathy"):
        return dim in ctx.done_before  # said once already; saying it every turn wears out
    if dim == "question":
        return ctx.nothing_to_ask or ctx.offer_on_table  # nothing left to clarify
    return dim == "solution" and ctx.offer_on_table


def coach_lines(notes: Sequence[CoachNote]) -> list[str]:
    """Plain text of the notes (for tests and headless use)."""
    out = []
    for n in notes:
        out.append(("✓ " if n.ok else "✗ ") + n.title)
        out += [f"  “{q}”" for q in n.quotes]
        if n.advice:
            out.append(f"  {n.advice}")
    return out
