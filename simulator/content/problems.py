"""A problem found in a content file, located as path:line:col (1-based), like a compiler message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

from simulator.i18n import _

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem in one content file; `str(problem)` is `path:line:col: message`.

    Lines and columns count from 1; line 0 means the whole file or folder (printed as `path: message`).
    """

    path: Path
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = _("警告：") if self.severity == "warning" else ""
        if self.line <= 0:  # about the file or folder as a whole (e.g. it does not exist)
            return f"{self.path}: {prefix}{self.message}"
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        """True for errors (which make content unusable), False for warnings."""
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position."""
        return (str(self.path), self.line, self.col, self.message)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems by file and position, without exact duplicates."""
    return sorted(set(problems), key=Problem.sort_key)


class ContentError(Exception):
    """Content could not be loaded; `problems` says where and why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted_problems(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        errors = sum(p.is_error for p in self.problems)
        head = _("内容中有 {n} 处错误：").format(n=errors)
        return "\n".join([head, *(str(p) for p in self.problems)])
