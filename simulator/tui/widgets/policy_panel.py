"""Practice mode: what the trainee may offer without a supervisor (the scenario's policy, 002 确定界限)."""

from __future__ import annotations

from textual.markup import escape

from simulator.content.glossary import REMEDY_NAMES
from simulator.tui.text import display_text
from simulator.tui.widgets.cjk_text import CJKStatic



def _yuan(amount: float) -> str:
    return f"{amount:g}元"


def policy_markup(policy, pronoun: str = "对方", notes: bool = True) -> str:
    """The policy (content.models.Policy) in plain Chinese: allowed remedies, the caps and, when
    `notes`, the shop's rule in words."""
    kinds = [getattr(r, "value", r) for r in policy.allowed]
    allowed = "、".join(REMEDY_NAMES.get(k, str(k)) for k in kinds) or "（无）"
    lines = [f"不请示主管可以给{escape(pronoun)}：{escape(allowed)}"]
    caps = []
    if policy.max_compensation_yuan > 0:
        caps.append(f"钱款最多[b]{_yuan(policy.max_compensation_yuan)}[/b]（补偿、券、部分退款）")
    elif "compensation" in kinds or "voucher" in kinds:
        caps.append("不能承诺具体金额")
    caps.append("可全额退款" if policy.full_refund else "[$warning]不能全额退款[/]")
    lines.append("；".join(caps) + "。")
    if notes and policy.notes.strip():
        lines.append(f"[dim]{escape(display_text(policy.notes.strip()))}[/]")
    elif policy.notes.strip():
        lines.append("[dim]F1 看店铺的原话[/]")
    return "\n".join(lines)


class PolicyPanel(CJKStatic):
    """The shop's limits for this case, shown beside the chat in practice mode (hidden in exam mode)."""

    def __init__(self, policy, pronoun: str = "对方", notes: bool = True, **kwargs) -> None:
        super().__init__(policy_markup(policy, pronoun, notes), **kwargs)
        self.policy = policy
        self.pronoun = pronoun
        self.border_title = "店铺政策"

    def show_notes(self, notes: bool) -> None:
        """With or without the shop's rule in words (left out unless the terminal is tall: coaching needs the room)."""
        self.update(policy_markup(self.policy, self.pronoun, notes))
