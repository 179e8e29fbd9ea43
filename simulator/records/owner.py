"""Who writes an attempt, as a label for people reading the records: this host, process id and
process start. Never used to decide whether a writer is alive — host names repeat across lab PCs
and containers; liveness comes from the writer's own lock file and heartbeat (heartbeat.py)."""

from __future__ import annotations

import os
import socket
from functools import lru_cache


def _start_ticks(pid: int) -> str:
    # /proc/PID/stat after the command name: the start time (ticks since boot) is field 22.
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read(4096).decode("ascii", "replace")
        fields = data.rsplit(")", 1)[1].split()
        return fields[19] if len(fields) > 19 else "?"
    except (OSError, IndexError):
        return "?"


@lru_cache(maxsize=1)
def host() -> str:
    """This machine's name."""
    return socket.gethostname() or "localhost"


def current_owner() -> str:
    """'host:pid:start' of this process."""
    pid = os.getpid()
    return f"{host()}:{pid}:{_start_ticks(pid)}"
