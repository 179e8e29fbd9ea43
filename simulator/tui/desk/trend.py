"""Weekly score averages as bars whose height is the score out of 100 (issue 20 §4): a week at 1 is
a sliver and a week at 87 is nearly full, however few weeks there are (Textual's Sparkline scales
to the data's own minimum and maximum, so one week always looked full)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▁▂▃▄▅▆▇█"
ROWS = 2
MAX_WEEKS = 30


class ScoreTrend(Static):
    """One column per week (the latest weeks when there are many), height = average score / 100."""

    values: list[float] = []

    def show(self, values: list[float]) -> None:
        """Draw these weekly averages (0-100), oldest first."""
        self.values = list(values)
        shown = self.values[-MAX_WEEKS:]
        text = Text()
        if not shown:
            self.update(Text("（还没有评分的考试）", style="dim"))
            return
        for row in range(ROWS - 1, -1, -1):
            for value in shown:
                level = round(max(0.0, min(100.0, value)) * ROWS * 8 / 100) - row * 8
                text.append(BLOCKS[max(0, min(8, level))], style="cyan")
            text.append("\n")
        weeks = len(self.values)
        text.append(f"最近一周 {shown[-1]:.0f} 分，共 {weeks} 周", style="dim")
        self.update(text)
