"""A trainer's own lexicon files ($KEFU_LEXICON) checked like content (issue 21 §2).

`kefu lint` reports a broken lexicon as it reports a broken content file, and `kefu exam start/run`
refuse to begin an attempt on it (a broken lexicon would otherwise fail mid-exam and count as one).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from scoring.lexicon import CATEGORIES, ENV_VAR, LexiconError, load_lexicon
from simulator.content.problems import Problem

_WHERE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+|\?))?: (?P<message>.*)$", re.S)


def lexicon_problems(files: list[Path] | tuple[Path, ...] = ()) -> list[Problem]:
    """The error of the lexicon files $KEFU_LEXICON names, and of `files` (none when they load)."""
    if not files and not os.environ.get(ENV_VAR, "").strip():
        return []
    try:
        load_lexicon(list(files))
    except LexiconError as exc:
        return [_problem(str(exc))]
    return []


def is_lexicon_file(path: Path) -> bool:
    """A YAML file whose top-level keys are all lexicon categories (apology:, remedy:, …): `kefu lint
    mine.yaml` checks it as a lexicon, not as a persona or a scenario."""
    if not (path.is_file() and path.suffix in (".yaml", ".yml")):
        return False
    try:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")[:1_000_000])
    except Exception:  # not readable YAML: content checks report it
        return False
    return isinstance(data, dict) and bool(data) and all(str(k) in CATEGORIES for k in data)


def _problem(message: str) -> Problem:
    """A LexiconError's `path:line: message` as a Problem (the whole file when no line is known)."""
    found = _WHERE.match(message)
    if found is None or not found.group("path") or found.group("path").startswith(("无法读取", "需要")):
        return Problem(Path(os.environ.get(ENV_VAR, "")), 0, 0, message, "error")
    line = found.group("line")
    return Problem(Path(found.group("path")), int(line) if line and line.isdigit() else 0, 1 if line else 0,
                   f"词库：{found.group('message')}", "error")
