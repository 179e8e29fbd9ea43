"""Where every `kefu` command writes: stdout and stderr guarded, in UTF-8 whatever the locale.

`run_guarded(body)` runs a command with `sys.stdout` and `sys.stderr` replaced by `GuardedOutput`
streams and turns what can go wrong on the way out into an exit status:

- a reader that went away (broken pipe, `kefu check | head -1`): quiet, status 141 (as a program
  killed by SIGPIPE);
- a full disk (`>/dev/full`), a closed stdout (`>&-`) or any other write error: one Chinese line on
  stderr ("kefu: 无法写出结果：磁盘已满") and status 1 — never status 0 with nothing written;
- stderr itself unwritable (closed, full): messages are dropped; the status still says what happened.

Text is always encoded as UTF-8 (JSON output is UTF-8 by definition, and a `PYTHONIOENCODING=ascii`
or C locale must not turn Chinese into a UnicodeEncodeError); characters UTF-8 cannot hold (lone
surrogates) become "?".
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from typing import Any

from simulator.i18n import N_, _

STATUS_BROKEN_PIPE = 141
STATUS_WRITE_FAILED = 1

_REASONS = {
    errno.ENOSPC: N_("磁盘已满"),
    errno.EDQUOT: N_("超出磁盘配额"),
    errno.EIO: N_("输入输出错误"),
    errno.EFBIG: N_("文件太大"),
    errno.EROFS: N_("只读文件系统"),
}


class OutputError(Exception):
    """Writing a command's output failed; `errno` is the OS error number, `stream` the stream's name."""

    def __init__(self, stream: str, err: int | None, detail: str = "") -> None:
        super().__init__(stream, err, detail)
        self.stream = stream
        self.errno = err
        self.detail = detail

    @property
    def reason(self) -> str:
        """The Chinese reason shown to the user."""
        if self.errno == errno.EBADF:
            return _("{stream}已关闭").format(stream=_(self.stream))
        if self.errno in _REASONS:
            return _(_REASONS[self.errno])
        return self.detail or (os.strerror(self.errno) if self.errno else _("未知错误"))


def _encode(text: str) -> bytes:
    try:  # surrogateescape: a file name that is not UTF-8 comes back as its own bytes
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


class GuardedOutput:
    """A text stream that writes UTF-8 to `stream` and raises OutputError for any failure.

    With `quiet` (stderr), failures are swallowed instead: there is nowhere left to report them.
    """

    def __init__(self, stream: Any, name: str, quiet: bool = False) -> None:
        self._stream = stream
        self._name = name
        self._quiet = quiet
        self._binary = getattr(stream, "buffer", None) if stream is not None else None
        try:
            self._tty = bool(stream is not None and stream.isatty())
        except (OSError, ValueError, AttributeError):
            self._tty = False
        if self._binary is not None:
            self._call(stream.flush)  # whatever an earlier writer left in the text layer goes first

    @property
    def wrapped(self) -> Any:
        """The stream this one writes to (None when the process started with it closed)."""
        return self._stream

    encoding = "utf-8"
    errors = "replace"

    def _call(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except OSError as exc:
            if not self._quiet:
                raise OutputError(self._name, exc.errno, exc.strerror or "") from None
        except ValueError as exc:  # "I/O operation on closed file"
            if not self._quiet:
                raise OutputError(self._name, errno.EBADF, str(exc)) from None

    def write(self, text: str) -> int:
        if self._stream is None:
            if not self._quiet and text:
                raise OutputError(self._name, errno.EBADF)
            return len(text)
        if self._binary is not None:
            self._call(self._binary.write, _encode(text))
            if self._tty and "\n" in text:
                self._call(self._binary.flush)
        else:  # a text-only stream (a test's io.StringIO)
            self._call(self._stream.write, text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._stream is None:
            return
        self._call(self._binary.flush if self._binary is not None else self._stream.flush)

    def isatty(self) -> bool:
        return self._tty

    def writable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:  # fileno, buffer, … of the real stream
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def stderr_line(message: str) -> None:
    """Write one line to stderr, if anything can still be written there."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(message + "\n")
        stream.flush()
    except (OSError, ValueError, OutputError):
        pass


def _silence_stdout(stream: Any) -> None:
    # Point fd 1 at /dev/null so that the interpreter's last flush of what is still buffered neither
    # fails again nor prints "Exception ignored" (the recipe of Python's signal documentation).
    if stream is None or stream is not sys.__stdout__:
        return
    try:
        fd = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError):
        pass


def run_guarded(body: Callable[[], int]) -> int:
    """Run a command with guarded stdout/stderr; its exit status, or the status of a failed write.

    SystemExit (argparse's --help and usage errors) passes through once its output is flushed.
    """
    saved_out, saved_err = sys.stdout, sys.stderr
    out = GuardedOutput(saved_out, N_("标准输出"))
    sys.stdout = out  # type: ignore[assignment]
    sys.stderr = GuardedOutput(saved_err, N_("标准错误"), quiet=True)  # type: ignore[assignment]
    leaving: SystemExit | None = None
    try:
        try:
            status = body()
        except SystemExit as exc:
            leaving, status = exc, 0
        out.flush()
    except OutputError as exc:
        sys.stdout = saved_out
        _silence_stdout(saved_out)
        if exc.errno == errno.EPIPE:
            return STATUS_BROKEN_PIPE
        stderr_line(_("kefu: 无法写出结果：{reason}").format(reason=exc.reason))
        return STATUS_WRITE_FAILED
    except KeyboardInterrupt:
        return 130
    finally:
        sys.stdout, sys.stderr = saved_out, saved_err
    if leaving is not None:
        raise leaving
    return status
