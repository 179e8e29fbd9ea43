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


class PausableClock:
    """Another clock with the time while paused left out: a trainee reading the help in practice
    mode is not keeping the customer waiting (no nudge, no slow-reply penalty)."""

    def __init__(self, inner: Clock) -> None:
        self.inner = inner
        self._paused_total = 0.0
        self._paused_at: float | None = None

    @property
    def paused(self) -> bool:
        """Whether the clock is stopped now."""
        return self._paused_at is not None

    def now(self) -> float:
        """The inner clock's time less every paused stretch (frozen while paused)."""
        end = self._paused_at if self._paused_at is not None else self.inner.now()
        return end - self._paused_total

    def pause(self) -> None:
        """Stop the clock (no effect when already paused)."""
        if self._paused_at is None:
            self._paused_at = self.inner.now()

    def resume(self) -> None:
        """Let the clock run again from where it stopped (no effect when running)."""
        if self._paused_at is not None:
            self._paused_total += self.inner.now() - self._paused_at
            self._paused_at = None
