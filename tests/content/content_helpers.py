"""Helpers for the content tests: fixture folders and where a snippet sits in a file."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def where(path: Path, needle: str, nth: int = 1) -> str:
    """`path:line:col` of the nth occurrence of `needle` in the file (1-based, like lint output)."""
    text = path.read_text(encoding="utf-8")
    offset = -1
    for _ in range(nth):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{path}:{line}:{col}"


