"""Practice-mode coaching after each reply: ✓/✗ per dimension with the quoted words and a better phrasing."""

from __future__ import annotations

from collections.abc import Sequence

from textual.markup import escape
from simulator.tui.widgets.cjk_text import CJKStatic

from scoring.coaching import CoachContext, coach


def coaching_markup(analysis, policy_breaches: Sequence[str] = (), context: CoachContext | None = None) -> str:
    """Textual markup for one ReplyAnalysis: scoring.coaching's notes, rendered (one reading with the
    scorecard: the TUI decides nothing here)."""
    ctx = context or CoachContext()
    if policy_breaches and not ctx.breaches:
        ctx = CoachContext(ctx.category, ctx.better, ctx.must_be_heard_pending, ctx.open_issues,
                           tuple(policy_breaches))
    lines: list[str] = []
    for note in coach(analysis, ctx):
        style = "$success" if note.ok else "$error"
        lines.append(f"[{style}]{'✓' if note.ok else '✗'} {escape(note.title)}[/]")
        lines += [f"  “{escape(q)}”" for q in note.quotes]
        if note.advice:
            advice = escape(note.advice)
            if advice.startswith("可以说："):
                advice = "[dim]可以说：[/]" + advice[len("可以说："):]
            lines.append(f"  {advice}")
    return "\n".join(lines)


class CoachingPanel(CJKStatic):
    """Shows the coaching for the latest reply (hidden in exam mode or when toggled off)."""

    def __init__(self, **kwargs) -> None:
        super().__init__("发出第一句回复后，这里会逐项点评。", **kwargs)
        self.border_title = "辅导（F2 开关）"

    def show_analysis(self, analysis, policy_breaches: Sequence[str] = (), context: CoachContext | None = None) -> None:
        self.update(coaching_markup(analysis, policy_breaches, context))
