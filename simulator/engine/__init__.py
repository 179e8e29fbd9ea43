"""The conversation engine: customers as state machines, sessions, the clock, scripted replay.

No Textual imports here: the TUI, `kefu run`/`kefu check` and the tests are all clients.
"""

from simulator.engine.clock import Clock, ManualClock, SystemClock
from simulator.engine.session import CustomerMessage, Session, SessionFinished, Turn, TurnResult

__all__ = [
    "Clock", "CustomerMessage", "ManualClock", "Session", "SessionFinished", "SystemClock", "Turn", "TurnResult",
]
