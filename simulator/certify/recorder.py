"""RecordingSession: an engine Session whose every line is recorded the moment it is said.

It wraps `simulator.engine.Session` (same methods: start, reply, poll, end, record, scorecard, and
every attribute), and after each call hands the new transcript lines, all at once, to a sink: the
records store's SessionWriter when recording (one transaction per call, so a stopped process never
leaves half a call behind), a list when verifying. Time is frozen during each call, so
the seconds the engine measures are exactly the clock readings recorded as `at` — replaying the
calls at the recorded `at` values reproduces the conversation to the last digit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from simulator.engine.clock import Clock

TRAINEE_KIND = "trainee"
Sink = Callable[[list[dict]], None]
"""Receives the lines one engine call produced, together."""


class FreezableClock:
    """A clock that can hold still during one engine call (so every reading inside it agrees), and that
    leaves out time spent recording (`skip`): waiting for the records is not the trainee's time."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self._frozen: float | None = None
        self.skipped = 0.0

    def now(self) -> float:
        return self.base.now() - self.skipped if self._frozen is None else self._frozen

    def skip(self, seconds: float) -> None:
        self.skipped += max(0.0, seconds)

    def freeze(self) -> float:
        self._frozen = self.base.now() - self.skipped
        return self._frozen

    def thaw(self) -> None:
        self._frozen = None

    def __getattr__(self, name: str) -> Any:  # advance / skip_seconds of a ManualClock
        return getattr(self.base, name)


class RecordingSession:
    """An engine Session plus a sink receiving each call's new lines as a list of dicts (`turn fields` below).

    Turn fields: role, kind (opening/reply/nudge/reminder/leave/close, 'trainee' for the trainee),
    text, seconds (trainee), at (clock seconds since start), mood, state, quick_reply, analysis.
    `end_reason` is 'customer' (the customer ended it), 'trainee', 'reply_limit' or 'scenario_limit'.
    """

    def __init__(self, scenario, persona, seed: int, clock: Clock, sink: Sink,
                 on_finish: Callable[["RecordingSession"], None] | None = None, analyzer=None) -> None:
        from simulator.engine import Session

        self.clock = FreezableClock(clock)
        self.session = Session(scenario, persona, seed=seed, clock=self.clock, analyzer=analyzer)
        self.sink = sink
        self.on_finish = on_finish
        self.t0: float | None = None
        self.end_reason: str | None = None
        self.end_at: float | None = None
        self.limit_reason: str | None = None
        """Set by whoever enforces an exam's time limits before calling end()."""
        self._recorded = 0
        self._card = None
        self._lock = threading.RLock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)

    # ---- the conversation ----------------------------------------------------------------

    def _at(self) -> float:
        return self.clock.now() - (self.t0 or 0.0)

    def start(self):
        with self._lock:
            self.t0 = self.clock.freeze()
            try:
                messages = self.session.start()
                self._flush([m.kind for m in messages], None)
            finally:
                self.clock.thaw()
            return messages

    def reply(self, text: str, quick_reply: bool = False):
        with self._lock:
            self.clock.freeze()
            try:
                result = self.session.reply(text, quick_reply=quick_reply)
                self._flush([m.kind for m in result.messages], (result.analysis, quick_reply))
                self._note_end()
            finally:
                self.clock.thaw()
            return result

    def poll(self):
        # Never blocks the app's timer while a reply is being written (as Session.poll).
        if not self._lock.acquire(blocking=False):
            return []
        try:
            self.clock.freeze()
            try:
                messages = self.session.poll()
                if messages:
                    self._flush([m.kind for m in messages], None)
                    self._note_end()
            finally:
                self.clock.thaw()
            return messages
        finally:
            self._lock.release()

    def end(self, reason: str | None = None) -> None:
        with self._lock:
            self.clock.freeze()
            try:
                if not self.session.finished:
                    self.end_reason = reason or self.limit_reason or "trainee"
                    self.end_at = self._at()
                self.session.end()
            finally:
                self.clock.thaw()

    def scorecard(self):
        """Grade (once) and report the finished conversation to on_finish."""
        with self._lock:
            if self._card is None:
                if not self.session.finished:
                    self.end()
                self._card = self.session.scorecard()
                if self.on_finish is not None:
                    self.on_finish(self)
            return self._card

    # ---- internals -------------------------------------------------------------------------

    def _note_end(self) -> None:
        if self.session.finished and self.end_reason is None:
            self.end_reason, self.end_at = "customer", self._at()

    def _flush(self, customer_kinds: list[str], trainee: tuple | None) -> None:
        kinds = iter(customer_kinds)
        at = self._at()
        batch = []
        for turn in self.session.transcript[self._recorded:]:
            item = {"role": turn.role, "text": turn.text, "mood": int(turn.mood), "state": turn.state, "at": at,
                    "seconds": turn.seconds, "quick_reply": False, "analysis": None}
            if turn.role == "trainee":
                item["kind"] = TRAINEE_KIND
                if trainee is not None:
                    item["analysis"] = trainee[0].model_dump(mode="json")
                    item["quick_reply"] = bool(trainee[1])
            else:
                item["kind"] = next(kinds, "reply")
            batch.append(item)
        if batch:
            before = self.clock.base.now()
            try:
                self.sink(batch)  # a failing sink leaves _recorded as it was: these lines were not recorded
            finally:
                self.clock.skip(self.clock.base.now() - before)  # an outage paused the attempt's clock
            self._recorded += len(batch)
