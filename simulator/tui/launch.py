"""`kefu play`: load the content, build the app, run it. Content errors are printed as
path:line:col problems (exit 1), never as a traceback."""

from __future__ import annotations

import time

STARTED_AT = time.perf_counter()  # the clock for time-to-first-customer-line (app.first_line_at)

import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def play_command(scenario: str | None = None, content_dirs: list[Path] | None = None,
                 seed: int | None = None, typing: bool = True, exam: bool = False) -> int:
    """Open the practice room (straight into SCENARIO's chat when given); returns the exit status."""
    from simulator.content.library import ContentError, load_library

    try:
        library = load_library(extra_dirs=list(content_dirs or []))
    except ContentError as error:
        print(str(error), file=sys.stderr)
        return 1
    if scenario is not None and scenario not in library.scenarios:
        from simulator.i18n import _

        known = "、".join(sorted(library.scenarios)) or "（无）"
        print(_("kefu：没有案例“{id}”。现有案例：{known}").format(id=scenario, known=known), file=sys.stderr)
        return 2

    from simulator.tui.terminal import require_terminal

    if (status := require_terminal()) is not None:  # no terminal: say so instead of drawing into a file
        return status
    if scenario is not None:
        preload_engine()
    from simulator.tui.app import make_app
    from simulator.tui.settings import Settings

    settings = Settings(seed=seed, typing=typing, coaching=not exam, exam=exam)
    app = make_app(library, settings, scenario_id=scenario, started_at=STARTED_AT)
    app.run()
    return app.return_code or 0


def preload_engine() -> None:
    """Import the engine before Textual starts, when the app opens straight into a chat.

    The chat's worker then builds the session in a millisecond, so the opening lines make the
    screen's first paint instead of a second layout and paint (bench/bench_tui_start.py).
    """
    import simulator.engine  # noqa: F401
