"""Ctrl+E asks first: ending the chat early cannot be undone (the case is graded as 提前结束)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from simulator.tui.widgets.cjk_text import CJKStatic


class ConfirmEndScreen(ModalScreen[bool]):
    """结束对话吗？ Y / Enter ends and shows the scorecard, N / Esc goes back to the chat."""

    DEFAULT_CSS = """
    ConfirmEndScreen { align: center middle; }
    #confirm-box {
        width: 56;
        max-width: 90%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    #confirm-buttons { height: auto; align-horizontal: center; margin-top: 1; }
    #confirm-buttons Button { margin: 0 1; min-width: 14; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "结束", show=False),
        Binding("n,escape", "answer(False)", "继续聊", show=False),
    ]

    def __init__(self, unresolved: bool = True) -> None:
        super().__init__()
        self.unresolved = unresolved

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield CJKStatic("[b]结束这次对话吗？[/b]", id="confirm-title")
            if self.unresolved:
                yield CJKStatic("顾客的问题还没有解决，结束后按“提前结束”评分，不能再回复。", id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button("结束并评分 Y", id="yes", variant="error")
                yield Button("继续聊 N/Esc", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # Enter on the default answer keeps the conversation

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
