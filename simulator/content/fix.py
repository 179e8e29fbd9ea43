"""`kefu lint --fix`: rewrite renamed fields in place (only the key's text changes), then lint as usual.

Kept apart from renames.py, which loading uses: the fix needs the loader, the library and lint, and
loading must not need them back (one line through content/, no circle).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode

from simulator.content.library import content_files, content_roots
from simulator.content.lint import lint_command
from simulator.content.loader import load_file
from simulator.content.renames import Rename, apply_renames
from simulator.i18n import _


def fix_file(path: Path) -> list[tuple[int, str, str]]:
    """Rewrite the renamed keys of one file in place; (line, old, new) for each change."""
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
    try:
        data = yaml.safe_load(loaded.path.read_bytes().decode("utf-8-sig"))
    except yaml.YAMLError:
        return []
    return apply_renames(loaded.kind, data)


def fix_command(paths: Sequence[str | Path], content_dirs: Sequence[Path] = ()) -> int:
    """`kefu lint --fix [PATH...]`: rewrite renamed fields, then lint as usual."""
    roots = [Path(p) for p in paths] if paths else content_roots(content_dirs)[1:]  # never the built-ins
    for root in roots:
        if not root.exists():
            continue
        for path, _kind in content_files(root):
            for line, old, new in fix_file(path):
                print(_("已修改 {path}:{line}：{old} → {new}").format(path=path, line=line, old=old, new=new))
    sys.stdout.flush()
    return lint_command(paths, content_dirs)
