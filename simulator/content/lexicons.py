"""A trainer's own lexicon files ($KEFU_LEXICON) checked like content (issue 21 §2).

`kefu lint` reports a broken lexicon as it reports a broken content file, and `kefu exam start/run`
refuse to begin an attempt on it (a broken lexicon would otherwise fail mid-exam and count as one).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from scoring.lexicon import ENV_VAR, LexiconError, load_lexicon
from simulator.content.problems import Problem

_WHERE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+|\?))?: (?P<message>.*)$", re.S)


def lexicon_problems() -> list[Problem]:
    """The error of the lexicon files $KEFU_LEXICON names (none when it is unset or they load)."""
    if not os.environ.get(ENV_VAR, "").strip():
        return []
    try:
        load_lexicon()
    except LexiconError as exc:
        return [_problem(str(exc))]
    return []


def _problem(message: str) -> Problem:
    """A LexiconError's `path:line: message` as a Problem (the whole file when no line is known)."""
    found = _WHERE.match(message)
    if found is None or not found.group("path") or found.group("path").startswith(("无法读取", "需要")):
        return Problem(Path(os.environ.get(ENV_VAR, "")), 0, 0, message, "error")
    line = found.group("line")
    return Problem(Path(found.group("path")), int(line) if line and line.isdigit() else 0, 1 if line else 0,
                   f"词库：{found.group('message')}", "error")
