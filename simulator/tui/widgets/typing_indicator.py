"""'林小姐 正在输入…' while the customer's next line is being 'typed'."""

from __future__ import annotations

from textual.widgets import Static


class TypingIndicator(Static):
    """Hidden unless the customer is typing."""

    def show_typing(self, name: str | None) -> None:
        self.display = name is not None
        if name is not None:
            self.update(f"{name} 正在输入…  [dim](F4 跳过)[/]")
