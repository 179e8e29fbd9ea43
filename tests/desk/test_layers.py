"""Issue 20 §6: one way through. The desk's screens use the desk's logic and the shared command
plumbing (simulator.clikit), never the desk's commands; the desk's logic never imports a screen; no
command borrows another module's private helpers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "simulator"


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in the file, at any depth (lazy imports too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
    return found


def test_the_desk_screens_never_import_the_desk_commands():
    for path in (ROOT / "tui" / "desk").glob("*.py"):
        assert not any(m.startswith("simulator.desk.commands") for m, _ in _imports(path)), path.name


def test_the_desk_logic_never_imports_a_screen():
    for path in (ROOT / "desk").glob("*.py"):
        if path.name == "commands.py":  # `kefu desk` starts the app: the one edge from commands to the screen
            continue
        assert not any(m.startswith(("simulator.tui", "textual")) for m, _ in _imports(path)), path.name


def test_no_command_borrows_private_helpers_of_another_module():
    for path in [*(ROOT / "desk").glob("*.py"), *(ROOT / "tui" / "desk").glob("*.py")]:
        for module, names in _imports(path):
            if module.startswith("simulator.") and module.rsplit(".", 1)[-1] != path.stem:
                borrowed = [n for n in names if n.startswith("_")]
                assert not borrowed, f"{path.name} borrows {borrowed} from {module}"
