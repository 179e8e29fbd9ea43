"""Where the engine gets the time from: an injected clock, never the system time directly."""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything with `now()` returning seconds as a float (only differences matter)."""

    def now(self) -> float:
        """The current time in seconds."""
        ...


class SystemClock:
    """The real clock for the trainer app: monotonic, so system time changes do not count."""

    def now(self) -> float:
        """Seconds from `time.monotonic()`."""
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to: for tests, `kefu run` and `kefu check`."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        """The current (manual) time in seconds."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds` (never backwards)."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += float(seconds)
