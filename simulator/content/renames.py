"""Trainers' files keep working when a field changes: a table of renamed and retired fields.

When kefu renames a field, add a `Rename` here instead of breaking every trainer's file: loading
moves the old key to the new one (the file still plays) and lint warns at the old key, saying
what to write instead; `kefu lint --fix` (simulator.content.fix) rewrites the key in place (only the key's text changes,
so comments and layout stay). A retired field (`new=None`) is dropped with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from simulator.i18n import _


@dataclass(frozen=True)
class Rename:
    """Field `path[-1]` of the mapping at `path[:-1]` ('*' matches every list item or mapping value)."""

    kind: str  # "persona" or "scenario"
    path: tuple[str, ...]
    new: str | None  # the new key; None when the field is retired (its value is ignored)
    since: str = ""  # the kefu version that changed it
    note: str = ""  # why, or how to carry the value over (Chinese)


RENAMES: list[Rename] = []
"""Every renamed or retired field, oldest first. Empty today: no field has changed since 0.1."""


def _walk(data: Any, pattern: tuple[str, ...], loc: tuple[str | int, ...] = ()) -> Iterator[tuple[dict, tuple]]:
    """The mappings matching `pattern` (a parent path), with their concrete loc."""
    if not pattern:
        if isinstance(data, dict):
            yield data, loc
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = enumerate(data) if isinstance(data, list) else (data.items() if isinstance(data, dict) else ())
        for key, value in items:
            yield from _walk(value, rest, (*loc, key))
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest, (*loc, head))


def apply_renames(kind: str | None, data: Any) -> list[tuple[tuple[str | int, ...], Rename]]:
    """Move each old key of `data` to its new name (in place); the loc of each old key and its rename."""
    found: list[tuple[tuple[str | int, ...], Rename]] = []
    for rename in RENAMES:
        if rename.kind != kind:
            continue
        old = rename.path[-1]
        for mapping, loc in _walk(data, rename.path[:-1]):
            if old not in mapping:
                continue
            value = mapping.pop(old)
            if rename.new is not None and rename.new not in mapping:
                mapping[rename.new] = value
            found.append(((*loc, old), rename))
    return found


def rename_message(rename: Rename) -> str:
    """What lint says at an old key: what to write instead."""
    old = rename.path[-1]
    since = _("（kefu {version} 起）").format(version=rename.since) if rename.since else ""
    if rename.new is None:
        message = _("字段“{old}”已不再使用{since}，它的值会被忽略；请删掉这一项").format(old=old, since=since)
    else:
        message = _("字段“{old}”已改名为“{new}”{since}：请写成 `{new}: …`（kefu lint --fix 可以自动改）").format(
            old=old, new=rename.new, since=since)
    return message + (_("；{note}").format(note=rename.note) if rename.note else "")
