"""Ids are ids (issue 20 §1): an exam, scenario or persona id names files (case write-ups, saved
transcripts), so lint refuses one that could point outside its folder or hide in a terminal."""

from __future__ import annotations

import re

from simulator.content.loader import LoadedFile
from simulator.content.problems import Problem

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BAD_ID = re.compile(r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|\u202a-\u202e\u2066-\u2069]")


def id_problem(loaded: LoadedFile, value: str, what: str) -> Problem | None:
    """An id is an id (issue 20): it names files (case write-ups, reports), so no path separator, no
    `..`, no control character, no leading dot or space; None when `value` is a good id."""
    if _BAD_ID.search(value) or ".." in value or value[:1] in (".", " ", "") or value != value.strip() or len(value) > 100:
        shown = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)  # visible, not acted on
        return loaded.problem(("id",), f"{what} id“{shown}”不合适：id 会用作文件名，只能用字母、数字、汉字和 - _ ."
                              "（不能以点或空格开头，不能含 / \\ .. : 或控制字符，最多 100 个字）")
    return None
