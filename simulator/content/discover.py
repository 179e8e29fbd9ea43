"""Which content folder a file or folder belongs to, so `kefu lint FILE` and `kefu check DIR` need no --content.

A scenario in `my_content/scenarios/` plays a persona from `my_content/personas/`: linting or checking
the scenario alone must load its neighbours too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SUBFOLDERS = ("personas", "scenarios")


def content_root_of(path: Path) -> Path | None:
    """The content folder holding `path` (a folder with personas/ or scenarios/), or None.

    `my_content/scenarios/a.yaml`, `my_content/scenarios` and `my_content` all give `my_content`.
    """
    path = Path(path)
    if path.is_dir() and any((path / name).is_dir() for name in SUBFOLDERS):
        return path
    for folder in [path, *path.parents] if path.is_dir() else list(path.parents):
        if folder.name.lower() in SUBFOLDERS:
            return folder.parent
    return None


def with_content_roots(paths: Iterable[Path]) -> list[Path]:
    """Each path preceded by the content folder it belongs to (when it has one and is not that folder)."""
    out: list[Path] = []
    for path in paths:
        root = content_root_of(Path(path))
        if root is not None and root.resolve() != Path(path).resolve():
            out.append(root)
        out.append(Path(path))
    return out
