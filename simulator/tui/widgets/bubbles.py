"""Chat bubbles: the customer's on the left, the trainee's on the right, notes in the middle."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message
from rich.cells import cell_len

from simulator.tui.text import display_text
from simulator.tui.widgets.cjk_text import CJKStatic

NAME_TAG_CELLS = 6  # the border title needs two corners, a line either side and a blank either side


class Bubble(CJKStatic):
    """One chat message; its sender's name is the border title. Text is never read as markup;
    lines break by the Chinese rules (simulator.tui.linebreak)."""

    def __init__(self, text: str, sender: str, **kwargs) -> None:
        super().__init__(display_text(text), markup=False, **kwargs)
        self.text = text
        self.border_title = sender
        # A bubble as short as "好的" is still wide enough for its name tag (林小姐, not 林 …).
        self.styles.min_width = cell_len(sender) + NAME_TAG_CELLS


class CustomerBubble(Bubble):
    """A customer's line (left)."""

    @dataclass
    class Shown(Message):
        """The line is mounted (on screen from the next refresh): the start-up time is measured here."""

        bubble: CustomerBubble

    def on_mount(self) -> None:
        self.post_message(self.Shown(self))


class TraineeBubble(Bubble):
    """The trainee's reply (right)."""


class SystemNote(CJKStatic):
    """A line from the room itself, e.g. 顾客已离开."""


class MessageRow(Container):
    """A full-width row holding one bubble, so each bubble can be aligned on its own side."""

    def __init__(self, bubble: Bubble | SystemNote) -> None:
        side = "-trainee" if isinstance(bubble, TraineeBubble) else (
            "-customer" if isinstance(bubble, CustomerBubble) else "-note")
        super().__init__(classes=side)
        self.bubble = bubble

    def compose(self) -> ComposeResult:
        yield self.bubble
