"""Stepping through a recorded attempt turn by turn (UI-free; the desk's replay screen shows it).

A step is one line of one conversation. For a trainee line it carries the reader's acts and the
scorecard items graded at that reply (ScoreItem.turn is the 0-based trainee reply); the
conversation's session-wide items belong to its last step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Step:
    """One line of the attempt, where it sits, and what was graded there."""

    session: dict[str, Any]
    turn: dict[str, Any]
    index: int  # position within its session's turns
    reply: int | None  # 0-based trainee reply number, None for a customer line
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def acts(self) -> list[str]:
        analysis = self.turn.get("analysis") or {}
        return [a.get("kind", "") for a in analysis.get("acts") or []]


class Replay:
    """An attempt (store.attempt()) as steps, with a cursor."""

    def __init__(self, attempt: dict[str, Any]) -> None:
        self.attempt = attempt
        self.steps: list[Step] = []
        for session in attempt["sessions"]:
            items = (session.get("scorecard") or {}).get("items") or []
            reply = 0
            first = len(self.steps)
            for index, turn in enumerate(session.get("turns", [])):
                mine = None
                if turn["role"] == "trainee":
                    mine, reply = reply, reply + 1
                graded = [i for i in items if mine is not None and i.get("turn") == mine]
                self.steps.append(Step(session, turn, index, mine, graded))
            if len(self.steps) > first:
                self.steps[-1].items += [i for i in items if i.get("turn") is None]
        self.position = 0

    @property
    def current(self) -> Step | None:
        return self.steps[self.position] if self.steps else None

    def move(self, delta: int) -> bool:
        """Step forward (+1) or back (-1); False at either end."""
        target = self.position + delta
        if not 0 <= target < len(self.steps):
            return False
        self.position = target
        return True

    def session_steps(self) -> list[Step]:
        """The steps of the current step's conversation."""
        step = self.current
        return [] if step is None else [s for s in self.steps if s.session is step.session]

    def moods(self) -> tuple[list[int], int]:
        """The current conversation's mood after each line, and the current line's index in it."""
        steps = self.session_steps()
        return [s.turn["mood"] for s in steps], (self.current.index if self.current else 0)
