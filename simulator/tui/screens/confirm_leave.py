"""Leaving an exam asks first (issue 20 §5): the attempt is recorded as interrupted and counts as one
of the attempts allowed — the trainee must know that before the exam is gone."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from simulator.tui.widgets.cjk_text import CJKStatic


class ConfirmLeaveExamScreen(ModalScreen[bool]):
    """离开考试吗？ Y leaves (the attempt counts), N / Esc / Enter goes back to the exam."""

    DEFAULT_CSS = """
    ConfirmLeaveExamScreen { align: center middle; }
    #leave-box { width: 60; max-width: 95%; height: auto; border: round $error; background: $surface; padding: 0 1; }
    #leave-buttons { height: auto; align-horizontal: center; margin-top: 1; }
    #leave-buttons Button { margin: 0 1; min-width: 16; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "离开", show=False),
        Binding("n,escape", "answer(False)", "继续考试", show=False),
        Binding("ctrl+q,ctrl+c", "answer(False)", "继续考试", show=False, priority=True),
    ]

    def __init__(self, number: int | None, allowed: int | None) -> None:
        super().__init__()
        self.number = number
        self.allowed = allowed

    def compose(self) -> ComposeResult:
        used = ""
        if self.number and self.allowed:
            left = max(0, self.allowed - self.number)
            used = f"这是你第 {self.number} 次（共可考 {self.allowed} 次），离开后还剩 {left} 次。"
        with Vertical(id="leave-box"):
            yield CJKStatic(Text("离开考试吗？", style="bold"), id="leave-title")
            yield CJKStatic(Text("现在离开，这次考试会记为“中断”，并且算作一次考试机会，不能回来接着考。"
                                 + used), id="leave-text")
            with Horizontal(id="leave-buttons"):
                yield Button("离开 Y", id="leave", variant="error")
                yield Button("继续考试 N/Esc", id="stay", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()  # Enter on the default answer keeps the exam going

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "leave")

    def action_answer(self, leave: bool) -> None:
        self.dismiss(leave)
