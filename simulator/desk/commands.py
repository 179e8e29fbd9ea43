"""The team lead's commands: `kefu report`, `kefu desk`, `kefu writeup`. `register()` adds them to the
`kefu` parser (like simulator.certify.commands); failures are Chinese messages with a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path

from simulator.certify.commands import _emit, _err, _guard, _store


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exam", metavar="ID", default=None, help="only this exam")
    p.add_argument("--cohort", metavar="NAME", default=None, help="only trainees of this cohort")
    p.add_argument("--since", metavar="YYYY-MM-DD", default=None, help="attempts started on or after this day")
    p.add_argument("--until", metavar="YYYY-MM-DD", default=None, help="attempts started on or before this day")


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add report, desk and writeup to the `kefu` subparsers."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="URL", default=None, help="records database (default: $KEFU_DB, else $KEFU_HOME/kefu.db)")

    p = sub.add_parser("report", parents=[db], help="write the cohort's results as one HTML file",
                       description="One self-contained HTML file (no network): pass rates, score distribution, "
                                   "per-dimension averages, trends, and every attempt's transcript.")
    _filter_args(p)
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the HTML")
    p.set_defaults(handler=report_command)

    p = sub.add_parser("desk", parents=[db], help="the team lead's desk (TUI): cohort, replay, comments")
    _filter_args(p)
    p.add_argument("--lead", metavar="NAME", default="组长", help="your name on comments, verdicts and overrides")
    p.add_argument("--attempt", metavar="ID", default=None,
                   help="open straight into the replay of this attempt or practice session (id or prefix)")
    p.set_defaults(handler=desk_command)

    p = sub.add_parser("history", parents=[db], help="a trainee's own attempts with the lead's comments",
                       description="Every exam attempt of the trainee: score, the lead's override beside it, "
                                   "the verdict and each comment with the line it is on.")
    p.add_argument("--trainee", required=True, metavar="NAME", help="the trainee's name")
    p.set_defaults(handler=history_command)

    p = sub.add_parser("writeup", parents=[db], help="export an attempt with comments as Markdown (case library)")
    p.add_argument("attempt", help="attempt id (or a unique prefix)")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the Markdown")
    p.set_defaults(handler=writeup_command)


def _day(value: str | None, flag: str):
    from simulator.records.errors import RecordsError

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RecordsError(f"{flag} 的日期格式不对：{value!r}（应为 YYYY-MM-DD，如 2026-03-01）", exit_code=2) from None


def filters_from(args):
    """The --exam/--cohort/--since/--until filters."""
    from simulator.desk.cohort import Filters

    return Filters(exam=args.exam, cohort=args.cohort, since=_day(args.since, "--since"),
                   until=_day(args.until, "--until"))


def write_text(path: Path, text: str) -> None:
    """Write atomically (temp file + rename): a full disk never leaves half a file."""
    from simulator.records.errors import RecordsError

    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise RecordsError(f"无法写入 {path}：{exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


@_guard
def report_command(args) -> int:
    """`kefu report --out FILE`."""
    from simulator.desk.report import build_report

    filters = filters_from(args)
    with _store(args) as store:
        html = build_report(store, filters)
    write_text(Path(args.out), html)
    _emit(f"已写出报告：{args.out}")
    return 0


@_guard
def writeup_command(args) -> int:
    """`kefu writeup ATTEMPT --out FILE.md`."""
    from simulator.certify.bundle import _find
    from simulator.desk.writeup import case_markdown

    with _store(args) as store:
        attempt = _find(store, args.attempt)
        text = case_markdown(attempt, store.review_of(attempt["id"]))
    write_text(Path(args.out), text)
    _emit(f"已导出案例：{attempt['id'][:8]} → {args.out}")
    return 0


@_guard
def desk_command(args) -> int:
    """`kefu desk`: the Textual desk."""
    import sys

    from simulator.records.store import check_name

    filters = filters_from(args)
    check_name(args.lead)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _err("kefu desk 需要在终端里运行；脚本里请用 kefu results 或 kefu report")
        return 2
    from simulator.tui.desk.app import DeskApp

    with _store(args) as store:
        attempt = None
        if args.attempt:
            from simulator.certify.bundle import _find

            attempt = _find(store, args.attempt)["id"]
        DeskApp(store, filters=filters, lead=args.lead, attempt=attempt).run()
    return 0


@_guard
def history_command(args) -> int:
    """`kefu history --trainee NAME`: what the trainee sees of the lead's review."""
    from simulator.desk.history import history_text
    from simulator.records.store import check_name

    name = check_name(args.trainee)
    with _store(args) as store:
        attempts = store.attempts(trainee=name)
        reviews = {a["id"]: store.review_of(a["id"]) for a in attempts}
        turns_by_id = {}
        for a in attempts:
            if reviews[a["id"]]["comments"]:
                full = store.attempt(a["id"])
                turns_by_id.update({t["id"]: t for s in full["sessions"] for t in s["turns"]})
    _emit(f"{name} 的考试记录\n" + history_text(attempts, reviews, turns_by_id))
    return 0
