"""Helpers for the engine tests (imported as `engine_helpers`, like tests/tui's tui_helpers)."""

from __future__ import annotations

from pathlib import Path

from simulator.engine import ManualClock, Session

FIXTURES = Path(__file__).parent / "fixtures"


def say(session: Session, clock: ManualClock, text: str, seconds: float = 15):
    """The trainee takes `seconds` to type `text` (polling like the app's timer), then sends it."""
    clock.advance(seconds)
    session.poll()
    return session.reply(text)


def texts(result) -> list[str]:
    """The customer's lines in a TurnResult."""
    return [m.text for m in result.messages]


def played(new_session, case: str, *lines: str):
    """(session, clock) of `case` after each of `lines` was said in turn."""
    session, clock = new_session(case)
    for line in lines:
        say(session, clock, line)
    return session, clock
