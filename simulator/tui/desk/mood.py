"""The mood curve of a conversation with the current line marked (a column of block characters)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▁▂▃▄▅▆▇█"


class MoodCurve(Static):
    """One column per line of the conversation, height = mood (0-100); the current one highlighted."""

    def show(self, moods: list[int], current: int) -> None:
        rows = 4
        text = Text()
        for row in range(rows - 1, -1, -1):
            for i, mood in enumerate(moods):
                level = max(0, min(rows * 8, round(mood * rows * 8 / 100))) - row * 8
                ch = BLOCKS[max(0, min(8, level))]
                text.append(ch * 2, style="bold magenta" if i == current else "cyan")
            text.append("\n")
        text.append("".join("▲ " if i == current else "  " for i in range(len(moods))), style="bold magenta")
        if moods:
            text.append(f"\n情绪 {moods[current]}（第 {current + 1}/{len(moods)} 句）")
        self.update(text)
