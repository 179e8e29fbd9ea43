"""Trainee and lead names: the one form a name identifies someone in."""

from __future__ import annotations

import re
import unicodedata

from simulator.records.errors import RecordsError

MAX_NAME = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalize_name(name: str) -> str:
    """The form a name identifies someone in: NFKC, zero-width, format and control characters removed,
    every run of spaces (full-width ones included) folded to one and dropped beside a Chinese
    character, trimmed.

    郑测试, 郑\u200b测试 and 郑测试 with a full-width space at the end are the same trainee."""
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs"))
    words = text.split()
    # A space beside a Chinese character is never part of the name (郑 测试 is 郑测试); between Latin words it is.
    out = ""
    for word in words:
        glue = "" if not out or _wide(out[-1]) or _wide(word[0]) else " "
        out += glue + word
    return out


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def check_name(name: str) -> str:
    """A trainee name as stored: normalised (normalize_name), 1..200 characters."""
    cleaned = normalize_name(name)
    if not cleaned:
        raise RecordsError("学员姓名不能为空（--trainee 姓名）。", exit_code=2)
    if len(cleaned) > MAX_NAME or _CONTROL.search(cleaned):
        raise RecordsError(f"学员姓名不合适：最多 {MAX_NAME} 个字，不能含控制字符。", exit_code=2)
    return cleaned
