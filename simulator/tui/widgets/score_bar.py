"""One scorecard dimension as a labelled bar: 道歉 ██████████░░░░ 72."""

from __future__ import annotations

from textual.widgets import Static

BAR_CELLS = 24


class ScoreBar(Static):
    """A 0-100 score as a bar; coloured by CSS class -good / -fair / -poor."""

    def __init__(self, label: str, score: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.score = max(0, min(100, int(score)))
        self.add_class("-good" if self.score >= 80 else "-fair" if self.score >= 60 else "-poor")

    def render(self) -> str:
        filled = round(self.score * BAR_CELLS / 100)
        return f"{self.label} [b]{'█' * filled}[/b][dim]{'░' * (BAR_CELLS - filled)}[/dim] {self.score:>3}"
