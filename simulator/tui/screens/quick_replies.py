"""The quick-reply palette: pick a canned phrase to put into the reply box (counted by the scorer)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.tui.widgets.cjk_text import CJKStatic, LineBrokenContent


def quick_reply_parts(item) -> tuple[str, str]:
    """(label, text) of a quick reply: a QuickReply model or a plain string."""
    text = getattr(item, "text", None) or str(item)
    label = getattr(item, "label", None) or text[:6]
    return label, text


class QuickReplyScreen(ModalScreen[str | None]):
    """A list of canned phrases; Enter picks one, Esc closes."""

    BINDINGS = [Binding("escape", "dismiss(None)", "关闭")]

    def __init__(self, items: Sequence, paused: bool = False) -> None:
        """paused: the chat stopped its response clock while the palette is open (practice mode)."""
        super().__init__()
        self.items = [quick_reply_parts(i) for i in items]
        self.paused = paused

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-box"):
            yield CJKStatic("快捷回复（一次对话最好不超过3个，其余手打）"
                            + (" · [b]⏸ 计时已暂停[/b]" if self.paused else ""), id="quick-title")
            yield OptionList(
                # Each phrase breaks its lines by the Chinese rules, like the chat's bubbles.
                *(Option(LineBrokenContent(Content.from_markup(f"[b]{escape(label)}[/b]  {escape(text)}")), id=str(i))
                  for i, (label, text) in enumerate(self.items)),
                id="quick-list",
            )

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.items[int(event.option.id)][1])
