"""The reply box: multi-line, Enter sends, Shift+Enter or Ctrl+J adds a line, length-limited."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

MAX_REPLY_CHARS = 500  # like real chat tools


class ChatInput(TextArea):
    """A TextArea that sends on Enter and refuses text beyond max_chars."""

    @dataclass
    class Submitted(Message):
        """The trainee sends a reply."""

        chat_input: ChatInput
        text: str
        quick_reply: bool
        """A quick-reply phrase is (still) part of the reply: the scorer counts these (003 禁区6)."""

        @property
        def control(self) -> ChatInput:
            return self.chat_input

    def __init__(self, max_chars: int = MAX_REPLY_CHARS, **kwargs) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("show_line_numbers", False)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(**kwargs)
        self.max_chars = max_chars
        self._quick_texts: list[str] = []

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit()
            return
        if event.key in ("shift+enter", "ctrl+j"):
            # Many terminals send Ctrl+J (a bare newline) for Shift+Enter.
            event.stop()
            event.prevent_default()
            self._replace_via_keyboard("\n", *self.selection)
            return
        await super()._on_key(event)

    def _replace_via_keyboard(self, insert, start, end):
        selected = len(self.get_text_range(*sorted((start, end))))
        room = self.max_chars - (len(self.text) - selected)
        if len(insert) > room:
            insert = insert[: max(0, room)]
            self.app.bell()
            if not insert and selected == 0:
                return None
        return super()._replace_via_keyboard(insert, start, end)

    def insert_quick_reply(self, text: str) -> None:
        """Put a quick-reply phrase at the cursor and remember it was canned."""
        result = self._replace_via_keyboard(text, *self.selection)
        if result is not None:
            self.move_cursor(result.end_location)
            self._quick_texts.append(text)
        self.focus()

    def submit(self) -> None:
        """Announce the reply (if not blank) and empty the box."""
        text = self.text.strip()
        if not text:
            return
        quick = any(q in text for q in self._quick_texts)
        self.post_message(self.Submitted(self, text, quick))

    def clear_reply(self) -> None:
        """Empty the box after the reply was accepted."""
        self._quick_texts.clear()
        self.clear()
