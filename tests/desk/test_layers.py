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


async def test_the_desk_reads_and_writes_off_the_event_loop(desk, store):
    """Every database call of the desk (cohort, replay, comment) runs in a worker thread, so a slow
    remote server never freezes the screen."""
    import threading

    from desk_cohort import settle

    threads: list[str] = []
    read, write = store.read, store.write

    def spy(fn):
        def wrapped(*args, **kwargs):
            threads.append(threading.current_thread().name)
            return fn(*args, **kwargs)
        return wrapped

    store.read, store.write = spy(read), spy(write)
    try:
        app = desk()
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.open_replay(store.items[0].id)
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
            for ch in "ok":
                await pilot.press(ch)
            await pilot.press("enter")
            await settle(pilot)
            assert any("已保存批注" in str(n.message) for n in app._notifications)
            await pilot.press("escape")
            await settle(pilot)
    finally:
        store.read, store.write = read, write
    main = threading.main_thread().name
    assert threads and main not in threads, threads
