"""Practice-mode coaching after each reply: ✓/✗ per dimension with the quoted words and a better phrasing."""

from __future__ import annotations

from collections.abc import Sequence

from textual.markup import escape
from simulator.tui.widgets.cjk_text import CJKStatic

from scoring.phrasebook import PHRASES
from scoring.rubric import DIMENSION_NAMES, VIOLATION_RULES, rule

# The rubric rule whose phrasing is suggested when a dimension is missing from a reply.
BETTER_RULE = {
    "apology": "apology.early",
    "empathy": "empathy.early",
    "question": "question.first",
    "solution": "solution.issues",
}
LEVEL_WORDS = {1: "（弱）", 2: ""}


def coaching_markup(analysis, policy_breaches: Sequence[str] = ()) -> str:
    """Textual markup for one ReplyAnalysis (scoring.models) and the engine's policy breaches."""
    lines: list[str] = []
    for dim, rule_id in BETTER_RULE.items():
        level = getattr(analysis, dim)
        name = DIMENSION_NAMES[dim]
        if level > 0:
            quotes = [ev.span.text for ev in analysis.evidence if ev.kind == dim]
            if dim == "solution":
                quotes += [r.span.text for r in analysis.remedies if r.span.text not in quotes]
            lines.append(f"[$success]✓ {name}[/]{LEVEL_WORDS.get(level, '')}")
            lines += [f"  “{escape(q)}”" for q in dict.fromkeys(quotes)]
        else:
            lines.append(f"[$error]✗ {name}[/]")
            lines.append(f"  [dim]可以说：[/]{escape(PHRASES[rule_id].text)}")
    for v in analysis.violations:
        rule_id = VIOLATION_RULES.get(v.code.value, "")
        title = rule(rule_id).title if rule_id else v.code.value
        lines.append(f"[$error]✗ 违规：{title}[/]")
        lines.append(f"  “{escape(v.span.text)}”")
        if rule_id:
            lines.append(f"  [dim]可以说：[/]{escape(PHRASES[rule_id].text)}")
    for breach in policy_breaches:
        lines.append(f"[$error]✗ 越权：[/]{escape(breach)}")
        lines.append(f"  [dim]可以说：[/]{escape(PHRASES['policy.breach'].text)}")
    if not analysis.violations and not policy_breaches:
        lines.append("[$success]✓ 没有违规[/]")
    return "\n".join(lines)


class CoachingPanel(CJKStatic):
    """Shows the coaching for the latest reply (hidden in exam mode or when toggled off)."""

    def __init__(self, **kwargs) -> None:
        super().__init__("发出第一句回复后，这里会逐项点评。", **kwargs)
        self.border_title = "辅导（F2 开关）"

    def show_analysis(self, analysis, policy_breaches: Sequence[str] = ()) -> None:
        self.update(coaching_markup(analysis, policy_breaches))
