"""Is the writer of an in-progress attempt still there? Its own signs of life, never host names and pids.

Two signs, both written by the running process itself:
- a lock file, `$KEFU_HOME/locks/<attempt>.lock`, held (flock) for as long as the process runs. The
  kernel drops the lock the instant the process dies (kill -9 included), so another kefu that sees
  the same file and can take the lock knows the writer is gone. Lab PCs or containers that share a
  host name but not a file system do not see each other's lock files, so they never guess.
- the attempt's `heartbeat_at`, renewed every HEARTBEAT_SECONDS by the running attempt (and by every
  recorded turn). With no lock file to look at, only a heartbeat older than LEASE means gone.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

HEARTBEAT_SECONDS = 30.0
LEASE = timedelta(minutes=5)
"""No sign of life for this long (and no lock file to ask) and the writer is taken to be gone."""


class Liveness:
    """The lock files of one kefu home."""

    def __init__(self, home: Path) -> None:
        self.folder = home / "locks"
        self._held: dict[str, int] = {}

    def _path(self, attempt_id: str) -> Path:
        return self.folder / f"{attempt_id}.lock"

    def hold(self, attempt_id: str) -> None:
        """Take the attempt's lock for as long as this process runs (best effort: no folder, no lock).

        The file is locked under a private name and only then renamed into place, so no other kefu
        can ever find it unlocked and take a slow but live writer for a dead one."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = self.folder / f".{attempt_id}.{os.getpid()}.{threading.get_ident()}.tmp"
            fd = os.open(staging, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.replace(staging, self._path(attempt_id))
        except OSError:
            os.close(fd)
            try:
                staging.unlink(missing_ok=True)
            except OSError:
                pass
            return
        self._held[attempt_id] = fd

    def release(self, attempt_id: str) -> None:
        """The attempt is closed: drop its lock file."""
        fd = self._held.pop(attempt_id, None)
        if fd is None:
            return
        try:
            self._path(attempt_id).unlink(missing_ok=True)
        except OSError:
            pass
        os.close(fd)

    def leave_cause(self, attempt_id: str, cause: str) -> None:
        """Say why this process gave up an attempt it could not close itself (the records were
        unreachable): whoever reconciles it here later closes it with that cause."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{attempt_id}.cause").write_text(cause, encoding="ascii")
        except OSError:
            pass

    def cause(self, attempt_id: str) -> str | None:
        """The cause a process left for its attempt (leave_cause), if any; read once."""
        path = self.folder / f"{attempt_id}.cause"
        try:
            text = path.read_text(encoding="ascii").strip()
            path.unlink(missing_ok=True)
        except OSError:
            return None
        return text if text in ("infrastructure", "trainee") else None

    def let_go(self) -> None:
        """This writer is done with every attempt it holds (the store is closed): drop the locks but
        keep the files, so the next kefu here knows at once that these attempts have no writer."""
        for fd in self._held.values():
            try:
                os.close(fd)
            except OSError:
                pass
        self._held.clear()

    def gone(self, attempt_id: str) -> bool | None:
        """True: its writer on this file system has died; False: it runs; None: cannot be told here."""
        if attempt_id in self._held:
            return False
        try:
            fd = os.open(self._path(attempt_id), os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            return None
        finally:
            os.close(fd)
        try:
            self._path(attempt_id).unlink(missing_ok=True)
        except OSError:
            pass
        return True


class Pulse:
    """A daemon thread calling `beat` every `interval` seconds until stopped (a headless attempt's heartbeat)."""

    def __init__(self, beat: Callable[[], None], interval: float = HEARTBEAT_SECONDS) -> None:
        self._beat = beat
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="kefu-heartbeat")

    def start(self) -> "Pulse":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._beat()
            except Exception:  # noqa: BLE001 - the next recorded line reports database trouble itself
                pass
