"""Fault injection for the kill tests: stop this process at the Nth point a write can be cut off.

`KEFU_CRASH_AT=N` (and `KEFU_CRASH_HOW=KILL|TERM|INT|FULL`, default KILL) makes the Nth call of
`reached()` send this process that signal (FULL: raise the error SQLite gives on a full disk). The
store calls it before each write transaction, after its statements but before the commit, and after
the commit — the moments a real kill -9, Ctrl+C or full disk can fall between. Unset, it costs one
dictionary lookup; nothing in normal use sets these variables.
"""

from __future__ import annotations

import os
import signal

ENV_AT, ENV_HOW = "KEFU_CRASH_AT", "KEFU_CRASH_HOW"
_count = 0


def reached(where: str) -> None:
    """One point a write can be cut off at (`where` names it, for debugging)."""
    global _count
    target = os.environ.get(ENV_AT)
    if not target:
        return
    how = os.environ.get(ENV_HOW, "KILL")
    if how == "FULL" and where == "after":
        return  # a full disk fails a write, never one already committed
    _count += 1
    if _count != int(target):
        return
    if how == "FULL":
        import sqlite3

        import sqlalchemy as sa

        raise sa.exc.OperationalError(f"crash point {where}", None, sqlite3.OperationalError("database or disk is full"))
    os.kill(os.getpid(), {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM, "INT": signal.SIGINT}[how])


def passed() -> int:
    """How many crash points this process has passed so far (counted only while KEFU_CRASH_AT is set): the kill
    tests measure an attempt's length with a child that is never stopped."""
    return _count
