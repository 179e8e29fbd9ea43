"""The customer's mood: 0 calm … 100 furious, with the state label in words and a Sparkline history."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Sparkline, Static

from simulator.tui.widgets.cjk_text import CJKStatic

BAR_CELLS = 20


def mood_level(mood: int, calm: int = 45, angry: int = 80) -> str:
    """'calm', 'upset' or 'angry' — a CSS class for the bar's colour."""
    if mood <= calm:
        return "calm"
    return "angry" if mood >= angry else "upset"


class MoodMeter(Vertical):
    """Mood value, state label, a bar and the mood history."""

    def compose(self) -> ComposeResult:
        yield CJKStatic(id="mood-label")
        yield Static(id="mood-bar")
        yield Sparkline([], id="mood-history")

    def show(self, mood: int, label: str, history: Sequence[int], calm: int = 45, meter: str = "怒气") -> None:
        """Show the current mood (0-100), the customer's state label and the mood so far; `meter` is
        the persona's own name for it (怒气, 不安…)."""
        mood = max(0, min(100, int(mood)))
        self.query_one("#mood-label", Static).update(f"{escape(meter)} [b]{mood}[/b]/100  {escape(label)}")
        filled = round(mood * BAR_CELLS / 100)
        bar = self.query_one("#mood-bar", Static)
        bar.update("█" * filled + "░" * (BAR_CELLS - filled))
        bar.set_classes(f"-{mood_level(mood, calm)}")
        self.query_one("#mood-history", Sparkline).data = [float(m) for m in history] or [float(mood)]
