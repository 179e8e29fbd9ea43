"""The customer's issues, ticked once the trainee has addressed them (session.issue_status)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.markup import escape

from simulator.tui.widgets.cjk_text import CJKStatic


class IssueChecklist(CJKStatic):
    """☑/☐ per issue of the scenario."""

    def __init__(self, issues: Sequence[tuple[str, str]], **kwargs) -> None:
        """issues: (issue id, Chinese summary) in the scenario's order."""
        super().__init__(**kwargs)
        self.issues = list(issues)
        self.border_title = "顾客的问题"
        self.show({})

    def show(self, status: Mapping[str, bool]) -> None:
        lines = []
        for issue_id, summary in self.issues:
            done = bool(status.get(issue_id))
            mark = "[$success]☑[/]" if done else "[$warning]☐[/]"
            lines.append(f"{mark}{escape(summary)}")  # no space: Textual breaks lines only at spaces
        self.update("\n".join(lines))
