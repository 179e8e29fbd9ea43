"""Atomic file writes: a temporary file in the same folder, fsync, then one rename.

A crash or a full disk never leaves half a file under the real name. Used by the practice room's
saves, certification bundles and the desk's reports (a module of its own so none imports the TUI).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def temp_name(path: Path) -> tuple[str, str]:
    """(prefix, suffix) of the temp files written for `path` (leftovers are found by them)."""
    return f".{path.name}.", ".tmp"


def write_temp(path: Path, text: str) -> str:
    """Write `text` to a synced temp file beside `path`; its name (removed again on failure)."""
    prefix, suffix = temp_name(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def atomic_write_text(path: Path, text: str) -> None:
    """Write text to path atomically (temp file in the same folder, fsync, os.replace)."""
    tmp = write_temp(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
