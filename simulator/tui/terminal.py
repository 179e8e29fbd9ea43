"""Whether the practice room can run here: Textual needs a terminal on stdin, stdout and stderr.

Without one (`kefu play </dev/null`, `kefu play >log`, a CI job) the app would draw escape codes
into a file or wait for keys that never come; `kefu play` says so and exits instead.
"""

from __future__ import annotations

import os
import sys

_STREAMS = (("标准输入", 0), ("标准输出", 1), ("标准错误", 2))


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:  # closed
        return False


def terminal_problem() -> str | None:
    """The Chinese message `kefu play` prints when a standard stream is not a terminal, else None."""
    missing = [name for name, fd in _STREAMS if not _is_terminal(fd)]
    if not missing:
        return None
    return (
        f"kefu play: 练习室需要在终端里运行，但{'、'.join(missing)}不是终端。"
        "没有终端时可以用 kefu run 场景 --replies 文件 来练习（见 kefu run --help）。"
    )


def require_terminal() -> int | None:
    """Exit status 2 (after printing why) when the practice room cannot run here, else None."""
    problem = terminal_problem()
    if problem is None:
        return None
    print(problem, file=sys.stderr)
    return 2
