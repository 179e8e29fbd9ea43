"""The lead's input dialogs: a comment or a verdict (one line of text), an override (score, passed, reason)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label


class TextDialog(ModalScreen[str | None]):
    """Ask for one line of text; Enter saves, Esc cancels (returns None)."""

    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder=self.placeholder, id="dialog-text")
            yield Label("Enter 保存　Esc 取消", classes="dialog-hint")

    @on(Input.Submitted, "#dialog-text")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class OverrideDialog(ModalScreen[tuple[str, bool, str] | None]):
    """Ask for the lead's score, whether it passes, and the reason; returns raw strings to validate."""

    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, computed: int | None) -> None:
        super().__init__()
        self.computed = computed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"改分（原分 {'—' if self.computed is None else self.computed}，原分会保留）",
                        classes="dialog-title")
            yield Input(placeholder="新分数 0-100", id="override-total", type="integer")
            yield Checkbox("通过", id="override-passed")
            yield Input(placeholder="改分理由（必填）", id="override-reason")
            yield Label("在理由处按 Enter 保存　Esc 取消", classes="dialog-hint")

    @on(Input.Submitted, "#override-total")
    def _next(self) -> None:
        self.query_one("#override-reason", Input).focus()

    @on(Input.Submitted, "#override-reason")
    def _save(self) -> None:
        self.dismiss((self.query_one("#override-total", Input).value,
                      self.query_one("#override-passed", Checkbox).value,
                      self.query_one("#override-reason", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
