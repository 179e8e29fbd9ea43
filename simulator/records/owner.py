"""Who writes an attempt: this host, process id and process start, so a dead writer can be told apart
from a live one (and from a new process that happens to reuse the id)."""

from __future__ import annotations

import os
import socket
from functools import lru_cache


def _stat(pid: int) -> list[str] | None:
    # /proc/PID/stat after the command name: state is field 3, the start time (ticks since boot) field 22.
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read(4096).decode("ascii", "replace")
        return data.rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _start_ticks(pid: int) -> str:
    fields = _stat(pid)
    return fields[19] if fields and len(fields) > 19 else "?"


@lru_cache(maxsize=1)
def host() -> str:
    """This machine's name."""
    return socket.gethostname() or "localhost"


def current_owner() -> str:
    """'host:pid:start' of this process."""
    pid = os.getpid()
    return f"{host()}:{pid}:{_start_ticks(pid)}"


def owner_alive(owner: str) -> bool | None:
    """True/False for a writer on this machine; None when it ran elsewhere (cannot be told here)."""
    try:
        name, pid_text, start = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if name != host():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by someone else
    except OSError:
        return False
    fields = _stat(pid)
    if fields and fields[0] in ("Z", "X"):
        return False  # killed, not yet reaped by its parent
    return start == "?" or _start_ticks(pid) == start
