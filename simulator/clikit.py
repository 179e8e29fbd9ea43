"""What every `kefu` records command shares (beside cli.py and cliio.py): printing, failing in Chinese,
opening the records, finding an attempt by its id prefix, and writing a file only where asked.

- `emit` / `err` / `err_line`: UTF-8 output whatever the locale; text from the records must pass
  through `simulator.safetext.terminal` before it gets here (the caller knows what is user text).
- `guard(fn)`: RecordsError -> its Chinese message and exit status; an unwritable stdout -> a message.
- `open_records(args, read_only=…)`: the store of `--db` / $KEFU_DB; reading commands open read-only
  (nothing written, a missing SQLite file is an error).
- `find_attempt(store, ref)`: an attempt by id or unique prefix.
- `write_file(path, text, db=…)`: atomic; refuses a symbolic link and the records database itself.
- `content_dirs(args)` / `load_exams(args)`: the trainer's content folders (`--content` before or after
  the command) and the exams with their scenarios, or None after printing why.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from simulator.records.errors import RecordsError


def _write(stream, text: str) -> None:
    # UTF-8 whatever the locale says (PYTHONIOENCODING=ascii must not turn Chinese into a traceback).
    if stream is None:
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8", "replace"))
        buffer.flush()
    else:
        stream.write(text)
        stream.flush()


def err(message: str) -> None:
    """One `kefu: …` message on stderr (dropped when stderr is gone: the exit status still says it).
    Messages quote names, ids and bundle text: control characters are made visible."""
    from simulator.safetext import terminal

    err_line(f"kefu: {terminal(message)}")


def err_line(line: str) -> None:
    """One line on stderr, as given."""
    try:
        _write(sys.stderr, line + "\n")
    except (OSError, ValueError):
        pass


def emit(text: str) -> None:
    """Text (and a final newline) on stdout; OSError when stdout is closed."""
    if sys.stdout is None:
        raise OSError(9, "标准输出已关闭")
    _write(sys.stdout, text if text.endswith("\n") else text + "\n")


def emit_bytes(data: bytes) -> None:
    """Raw bytes on stdout (a CSV with its BOM)."""
    if sys.stdout is None:
        raise OSError(9, "标准输出已关闭")
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        out.write(data)
        out.flush()


def guard(fn):
    """RecordsError -> its Chinese message and exit code; a full disk on stdout -> a message."""
    def run(args) -> int:
        try:
            return fn(args)
        except RecordsError as exc:
            err(exc.message)
            return exc.exit_code
        except BrokenPipeError:
            return 0
        except OSError as exc:
            err(f"无法写出：{exc.strerror or exc}")
            return 1
        except (AttributeError, ValueError):
            if sys.stdout is None or getattr(sys.stdout, "closed", False):
                return 1  # standard output is closed: nothing can be printed
            raise
    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


def open_records(args: Any, *, read_only: bool = False, **kwargs):
    """The records store named by `args.db` (or $KEFU_DB, or the default SQLite file)."""
    from simulator.records.store import open_store

    return open_store(getattr(args, "db", None), read_only=read_only, **kwargs)


def find_attempt(store, ref: str) -> dict:
    """The attempt (with its turns) whose id is `ref` or starts with it (at least 4 characters)."""
    from simulator.safetext import terminal

    ref = ref.strip().lower()
    if len(ref) < 4:
        raise RecordsError("考试记录编号太短：至少给出前 4 位（kefu results 里可以看到）。", exit_code=2)
    exact = store.attempt(ref)
    if exact is not None:
        return exact
    import sqlalchemy as sa

    from simulator.records.schema import attempts

    with store.read() as conn:  # ids only: a prefix search must not read every transcript
        matches = [i for (i,) in conn.execute(sa.select(attempts.c.id)) if i.startswith(ref)]
    if not matches:
        raise RecordsError(f"没有这条考试记录：{terminal(ref, one_line=True)}（在 {store.where}）。")
    if len(matches) > 1:
        raise RecordsError(f"编号 {ref} 对应多条考试记录（{', '.join(m[:12] for m in matches[:5])}…），请多给几位。",
                           exit_code=2)
    return store.attempt(matches[0])


def records_files(db: str | None) -> list[Path]:
    """The files of the SQLite records database `db` names (with its journal files); [] for a server."""
    from simulator.records.store import resolve_url

    url = resolve_url(db)
    if not url.startswith("sqlite:///"):
        return []
    base = Path(url[len("sqlite:///"):].split("?", 1)[0])
    return [base, *(base.with_name(base.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def check_target(path: Path, db: str | None = None) -> None:
    """Refuse to write at `path` when it is a symbolic link or the records database (RecordsError)."""
    from simulator.safetext import terminal

    shown = terminal(str(path), one_line=True)
    if path.is_symlink():
        raise RecordsError(f"{shown} 是符号链接：kefu 不会顺着链接写到别处。请给一个普通文件的路径。", exit_code=2)
    target = os.path.realpath(path)
    for records in records_files(db):
        if target == os.path.realpath(records):
            raise RecordsError(f"{shown} 是记录数据库本身，不能写到这里（会毁掉所有记录）。请换一个文件名。",
                               exit_code=2)


def write_file(path: Path, text: str, *, db: str | None = None) -> None:
    """Write atomically (simulator.atomic) where asked: never through a link, never over the records."""
    from simulator.atomic import atomic_write_text

    check_target(path, db)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise RecordsError(f"无法写入 {path}：{exc.strerror or exc}") from exc


def content_dirs(args: Any) -> list[Path]:
    """The folders of `--content`, which may stand before the command (`kefu --content DIR …`) or after it."""
    given = (getattr(args, "top_content", None) or []) + (getattr(args, "content", None) or [])
    return [Path(p) for p in given]


def load_exams(args: Any):
    """The exam library (exams, scenarios, personas) of the content in use; None after printing its problems."""
    from simulator.content.exams import load_exam_library
    from simulator.content.problems import ContentError

    try:
        return load_exam_library(content_dirs(args))
    except ContentError as exc:
        print(str(exc), file=sys.stderr)
        return None
