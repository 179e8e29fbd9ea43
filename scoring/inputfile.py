"""Bounded reading of the files and streams a user hands to a command.

Every input a command reads — a replies file, JSON lines, a labelled file, a trainer's lexicon —
goes through here, so that no input can exhaust memory (`/dev/zero`, a 20 MB file without a
newline), hang on a device, or end in a traceback (a closed stdin, a folder, a missing file).

- `open_input(path)` opens a file, or stdin for None / "-", as a binary stream. A folder, a
  missing or unreadable file, a closed stdin and a device (other than the null device or a
  terminal) are refused with an `InputError` whose message is Chinese and names the input.
  A FIFO (named pipe) is read like a pipe: opening it waits until a writer opens the other end.
- `read_bounded(path, limit)` reads a whole input of at most `limit` bytes.
- `bounded_lines(stream, max_line)` yields the lines of a stream, split on b"\\n" only (never on
  U+2028, U+0085 or a lone CR), each at most `max_line` bytes.

It lives in `scoring`, the innermost layer, so that the scorer's own commands can use it too.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from typing import BinaryIO

from scoring.i18n import _

MiB = 1024 * 1024


class InputError(ValueError):
    """An input that cannot be read (or not within its limit); `message` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def size_text(limit: int) -> str:
    """A byte count as the user reads it: '1 MB', '64 MB', '512 KB'."""
    if limit >= MiB and limit % MiB == 0:
        return f"{limit // MiB} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return _("{n} 字节").format(n=limit)


def source_name(path: str | os.PathLike[str] | None) -> str:
    """How an input is named in messages: its path, or 标准输入 for stdin."""
    return _("标准输入") if path is None or str(path) == "-" else str(path)


def _refuse_device(name: str, mode: int, fd: int) -> None:
    # A character or block device other than a terminal or the null device never ends (/dev/zero,
    # /dev/urandom) or is not text at all (a disk): refused rather than read.
    if not (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)):
        return
    if os.isatty(fd):
        return
    try:
        if os.path.samestat(os.fstat(fd), os.stat(os.devnull)):
            return
    except OSError:
        pass
    raise InputError(_("{name}：是设备文件，不能作为输入（请给普通文件、管道或 -）").format(name=name))


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return _("文件不存在")
    if isinstance(exc, IsADirectoryError):
        return _("这是文件夹，不是文件")
    if isinstance(exc, PermissionError):
        return _("没有读取权限")
    if isinstance(exc, NotADirectoryError):
        return _("路径中有一段不是文件夹")
    return _("无法读取（{reason}）").format(reason=exc.strerror or exc)


def open_input(path: str | os.PathLike[str] | None) -> BinaryIO:
    """A binary stream of the file at `path`, or of stdin for None or "-"; InputError when refused."""
    name = source_name(path)
    if path is None or str(path) == "-":
        stream = sys.stdin
        if stream is None:  # the process was started with stdin closed (`<&-`)
            raise InputError(_("标准输入已关闭，没有可读的内容"))
        binary = getattr(stream, "buffer", None)
        if binary is None:  # a text-only stdin (a test's io.StringIO): hand its text over as UTF-8
            return io.BytesIO(stream.read().encode("utf-8", "surrogatepass"))
        try:
            fd = stream.fileno()
            _refuse_device(name, os.fstat(fd).st_mode, fd)
        except InputError:
            raise
        except (OSError, ValueError, AttributeError):
            pass  # no file descriptor (a test's stream): nothing to check
        return binary
    try:
        if os.path.isdir(path):
            raise InputError(_("{name}：这是文件夹，不是文件").format(name=name))
        # Not O_NONBLOCK: a FIFO waits for its writer, as a pipe would (documented in --help).
        binary = open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as exc:
        raise InputError(_("{name}：{reason}").format(name=name, reason=_os_reason(exc))) from None
    try:
        _refuse_device(name, os.fstat(binary.fileno()).st_mode, binary.fileno())
    except InputError:
        binary.close()
        raise
    return binary


def read_bounded(path: str | os.PathLike[str] | None, limit: int) -> bytes:
    """All bytes of the input (stdin for None or "-"), which must hold at most `limit` bytes."""
    stream = open_input(path)
    try:
        data = _read(stream, limit + 1, source_name(path))
    finally:
        if stream is not getattr(sys.stdin, "buffer", None):
            stream.close()
    if len(data) > limit:
        raise InputError(_("{name}：太大，超过 {size} 的上限").format(name=source_name(path), size=size_text(limit)))
    return data


def _read(stream: BinaryIO, size: int, name: str) -> bytes:
    try:
        return stream.read(size) or b""
    except OSError as exc:
        raise InputError(_("{name}：{reason}").format(name=name, reason=_os_reason(exc))) from None


def bounded_lines(stream: BinaryIO, max_line: int, name: str, total: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) for each line of `stream`, split on b"\\n" only, without the newline.

    Raises InputError when a line is longer than `max_line` bytes or, with `total`, when the input
    holds more than `total` bytes.
    """
    number = 0
    seen = 0
    while True:
        try:
            line = stream.readline(max_line + 1)
        except OSError as exc:
            raise InputError(_("{name}：{reason}").format(name=name, reason=_os_reason(exc))) from None
        if not line:
            return
        number += 1
        seen += len(line)
        if total is not None and seen > total:
            raise InputError(_("{name}：太大，超过 {size} 的上限（读到第 {number} 行时）").format(
                name=name, size=size_text(total), number=number))
        if line.endswith(b"\n"):
            line = line[:-1]
        elif len(line) > max_line:
            raise InputError(_("{name}:{number}: 这一行太长：超过每行 {size} 的上限").format(
                name=name, number=number, size=size_text(max_line)))
        yield number, line
