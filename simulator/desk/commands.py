"""The team lead's commands: `kefu report`, `kefu desk`, `kefu writeup`. `register()` adds them to the
`kefu` parser (like simulator.certify.commands); failures are Chinese messages with a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from simulator.clikit import check_target, emit, err, find_attempt, guard, open_records, write_file
from simulator.safetext import terminal


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exam", metavar="编号", default=None, help="只看这个考试")
    p.add_argument("--cohort", metavar="姓名", default=None, help="只看这一期的学员")
    p.add_argument("--since", metavar="年-月-日", default=None, help="只看这天及以后开始的考试")
    p.add_argument("--until", metavar="年-月-日", default=None, help="只看这天及以前开始的考试")


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add report, desk and writeup to the `kefu` subparsers."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="数据库地址", default=None, help="记录数据库：postgresql://用户:密码@主机/库名，或 .db 文件（默认：$KEFU_DB，否则 $KEFU_HOME/kefu.db）")

    p = sub.add_parser("report", parents=[db], help="把学员成绩写成一个 HTML 报告",
                       description="一个独立的 HTML 文件（不联网）：通过率、分数分布、各维度平均分、趋势，"
                                   "以及每次考试的对话全文。")
    _filter_args(p)
    p.add_argument("--out", required=True, metavar="文件", help="报告写到哪个文件")
    p.add_argument("--verify", action="store_true",
                   help="按发布的考试版本重放并重新评分每条记录，在报告里标出 已核验 / 不一致 / 未核验（较慢）")
    p.set_defaults(handler=report_command)

    p = sub.add_parser("desk", parents=[db], help="组长工作台（终端界面）：学员总览、回放、批注")
    _filter_args(p)
    p.add_argument("--lead", metavar="姓名", default="组长", help="批注、结论和改分上署的名字（默认：组长）")
    p.add_argument("--attempt", metavar="编号", default=None,
                   help="直接打开这次考试或练习的回放（编号或编号开头几位）")
    p.set_defaults(handler=desk_command)

    p = sub.add_parser("history", parents=[db], help="学员自己的考试记录，含组长的批注",
                       description="学员的每次考试：得分、组长改分（与原分并列）、结论，"
                                   "以及每条批注和它所在的那句话。")
    p.add_argument("--trainee", required=True, metavar="姓名", help="学员姓名")
    p.set_defaults(handler=history_command)

    p = sub.add_parser("writeup", parents=[db], help="把一次考试连同批注导出为 Markdown 案例")
    p.add_argument("attempt", metavar="考试记录", help="考试记录编号（或唯一的开头几位）")
    p.add_argument("--out", required=True, metavar="文件", help="案例写到哪个文件")
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


def write_report(out: Path, report, db: str | None) -> int:
    """The report page at `out` and its transcript pages in the folder beside it; how many pages.

    The folder is written fresh beside the old one and then swapped in, so a failure leaves the
    previous report's transcripts whole; the report page is written last (atomically).
    """
    import shutil
    import tempfile

    from simulator.desk.report import transcripts_dir
    from simulator.records.errors import RecordsError

    folder = transcripts_dir(out)
    check_target(out, db)
    check_target(folder, db)
    try:
        fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=out.parent if str(out.parent) else "."))
    except OSError as exc:
        raise RecordsError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    try:
        os.chmod(fresh, 0o755)  # mkdtemp makes it private; the report's pages are meant to be shared
        for name, page in report.transcripts.items():
            # O_EXCL in a folder just made: no link can be waiting at the name.
            fd = os.open(fresh / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(page)
        old = None
        if folder.exists():
            if not folder.is_dir():
                raise RecordsError(f"{folder} 已存在且不是文件夹：对话全文无处可放。请换一个报告文件名。", exit_code=2)
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=fresh.parent))
            os.replace(folder, old / folder.name)
        os.replace(fresh, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise RecordsError(f"无法写入 {folder}：{exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    write_file(out, report.index, db=db)
    return len(report.transcripts)


@guard
def report_command(args) -> int:
    """`kefu report --out FILE`."""
    from simulator.desk.report import build_report, transcripts_dir

    filters = filters_from(args)
    out = Path(args.out)
    check_target(out, args.db)  # before reading anything: not through a link, not over the records
    with open_records(args, read_only=True) as store:
        pages = build_report(store, filters, out.name, verify=args.verify)
    written = write_report(out, pages, args.db)
    pages_at = terminal(str(transcripts_dir(out)), one_line=True)
    emit(f"已写出报告：{terminal(args.out, one_line=True)}"
         + (f"（另有 {written} 个对话全文文件在 {pages_at}）" if written else ""))
    return 0


@guard
def writeup_command(args) -> int:
    """`kefu writeup ATTEMPT --out FILE.md`."""
    from simulator.desk.writeup import case_markdown

    check_target(Path(args.out), args.db)
    with open_records(args, read_only=True) as store:
        attempt = find_attempt(store, args.attempt)
        text = case_markdown(attempt, store.review_of(attempt["id"]))
    write_file(Path(args.out), text, db=args.db)
    emit(f"已导出案例：{attempt['id'][:8]} → {terminal(args.out, one_line=True)}")
    return 0


@guard
def desk_command(args) -> int:
    """`kefu desk`: the Textual desk."""
    import sys

    from simulator.records.store import check_name

    filters = filters_from(args)
    check_name(args.lead)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        err("kefu desk 需要在终端里运行；脚本里请用 kefu results 或 kefu report")
        return 2
    from simulator.tui.desk.app import DeskApp

    # Opened without housekeeping or schema changes: the desk reads, and writes only the lead's review.
    with open_records(args, read_only=False, housekeeping=False) as store:
        attempt = None
        if args.attempt:
            attempt = find_attempt(store, args.attempt)["id"]
        DeskApp(store, filters=filters, lead=args.lead, attempt=attempt).run()
    return 0


@guard
def history_command(args) -> int:
    """`kefu history --trainee NAME`: what the trainee sees of the lead's review."""
    from simulator.desk.history import history_text
    from simulator.records.store import check_name

    name = check_name(args.trainee)
    with open_records(args, read_only=True) as store:
        attempts = store.attempts(trainee=name)
        reviews = {a["id"]: store.review_of(a["id"]) for a in attempts}
        turns_by_id = {}
        for a in attempts:
            if reviews[a["id"]]["comments"]:
                full = store.attempt(a["id"])
                turns_by_id.update({t["id"]: t for s in full["sessions"] for t in s["turns"]})
        from simulator.records.calibration import review_states

        from simulator.records.lead import voids_by_attempt

        states = review_states(store, [a["id"] for a in attempts])
        voids = voids_by_attempt(store)
    emit(terminal(f"{name} 的考试记录\n" + history_text(attempts, reviews, turns_by_id, states, voids)))
    return 0
