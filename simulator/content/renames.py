"""Trainers' files keep working when a field changes: a table of renamed and retired fields.

When kefu renames a field, add a `Rename` here instead of breaking every trainer's file: loading
moves the old key to the new one (the file still plays) and lint warns at the old key, saying
what to write instead; `kefu lint --fix` rewrites the key in place (only the key's text changes,
so comments and layout stay). A retired field (`new=None`) is dropped with a warning.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
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


def fix_file(path: Path) -> list[tuple[int, str, str]]:
    """Rewrite the renamed keys of one file in place; (line, old, new) for each change."""
    from yaml.nodes import MappingNode, ScalarNode

    from simulator.content.loader import load_file

    loaded = load_file(path)
    if loaded.node is None:
        return []
    data_renames = [(loc, r) for loc, r in _renamed_locs(loaded) if r.new is not None]
    edits: list[tuple[int, int, str, int, str]] = []
    for loc, rename in data_renames:
        node = loaded.node
        key_node = None
        for part in loc:  # walk the node tree to the old key
            if isinstance(node, MappingNode):
                pair = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(part)), None)
                if pair is None:
                    break
                key_node, node = pair
            elif isinstance(part, int) and hasattr(node, "value") and isinstance(node.value, list):
                node, key_node = node.value[part], None
        if key_node is None or key_node.value != rename.path[-1] or key_node.style not in (None, ""):
            continue  # only plain keys are rewritten: a quoted key is left for the trainer
        edits.append((key_node.start_mark.index, key_node.end_mark.index, rename.new,
                      key_node.start_mark.line + 1, key_node.value))
    if not edits:
        return []
    text = path.read_bytes().decode("utf-8-sig")
    offset = 1 if path.read_bytes().startswith(b"\xef\xbb\xbf") else 0  # marks count the BOM as a character
    for start, end, new, _line, _old in sorted(edits, reverse=True):
        text = text[: start - offset] + new + text[end - offset:]
    path.write_text(text, encoding="utf-8")
    return [(line, old, new) for _s, _e, new, line, old in sorted(edits)]


def _renamed_locs(loaded) -> list[tuple[tuple[str | int, ...], Rename]]:
    import yaml

    try:
        data = yaml.safe_load(loaded.path.read_bytes().decode("utf-8-sig"))
    except yaml.YAMLError:
        return []
    return apply_renames(loaded.kind, data)


def fix_command(paths: Sequence[str | Path], content_dirs: Sequence[Path] = ()) -> int:
    """`kefu lint --fix [PATH...]`: rewrite renamed fields, then lint as usual."""
    from simulator.content.library import content_files, content_roots
    from simulator.content.lint import lint_command

    roots = [Path(p) for p in paths] if paths else content_roots(content_dirs)[1:]  # never the built-ins
    for root in roots:
        if not root.exists():
            continue
        for path, _kind in content_files(root):
            for line, old, new in fix_file(path):
                print(_("已修改 {path}:{line}：{old} → {new}").format(path=path, line=line, old=old, new=new))
    sys.stdout.flush()
    return lint_command(paths, content_dirs)
