"""`kefu calibrate …`: the blind grading sheet, importing it, agreement, item analysis, a suggested
pass mark, and the review before a result counts. `register()` adds them to the `kefu` parser (like
simulator.certify.commands); failures are Chinese messages with a non-zero exit.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from simulator.clikit import emit as _emit
from simulator.clikit import err as _err
from simulator.clikit import guard as _guard
from simulator.clikit import open_records as _store
from simulator.safetext import json_text, terminal


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add `calibrate` and its actions to the `kefu` subparsers."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="数据库地址", default=None,
                    help="记录数据库：postgresql://用户:密码@主机/库名，或 .db 文件（默认：$KEFU_DB，否则 $KEFU_HOME/kefu.db）")
    cal = sub.add_parser("calibrate", help="校准：请组员盲评对话，看 kefu 的评分和人的评分有多一致",
                         description="校准 kefu 的评分：出盲评表（sheet）、导入评分（import）、一致性报告（report）、"
                                     "题目分析（items）、建议及格分（passmark）、复核待定的成绩（review / decide）。")
    cal_sub = cal.add_subparsers(dest="calibrate_command", metavar="操作", parser_class=type(cal))
    cal_sub.required = True

    p = cal_sub.add_parser("sheet", parents=[db], help="抽样已完成的考试对话，写出盲评表（CSV）和对话（HTML）",
                           description="按 kefu 的分数段分层抽样（给定 --seed 时每次抽到同样的对话），写出 CSV 评分表"
                                       "（带 BOM 的 UTF-8，Excel/WPS 可直接打开）和同名的 HTML 对话文件。不显示机器的分数。")
    p.add_argument("--exam", required=True, metavar="编号", help="考试 id")
    p.add_argument("--sample", type=int, default=30, metavar="数量", help="抽多少段对话（默认 30；不够时全部）")
    p.add_argument("--seed", type=int, default=0, metavar="种子", help="抽样的随机种子（默认 0）")
    p.add_argument("--out", required=True, metavar="表格.csv", help="评分表写到哪里（对话写到同名 .html）")
    p.set_defaults(handler=sheet_command)

    p = cal_sub.add_parser("import", parents=[db], help="导入填好的评分表",
                           description="读入填好的 CSV 评分表，连同评分人和时间记入数据库。每行必须写评分人；"
                                       "完全没填的行跳过。有任何一格不对时列出 文件:行 并且什么都不记录。")
    p.add_argument("file", metavar="表格.csv", help="填好的评分表")
    p.set_defaults(handler=import_command)

    p = cal_sub.add_parser("report", parents=[db], help="人机评分一致性报告",
                           description="每位评分人与 kefu、评分人之间：各维度和总分的加权 κ（按十个分数段）、"
                                       "是否通过的 κ、平均差、对话数；差得最多的对话和 kefu 的依据；数字的意思。")
    p.add_argument("--exam", metavar="编号", default=None, help="只看这场考试")
    p.add_argument("--format", choices=("table", "json", "html"), default="table", help="输出格式（默认 table）")
    p.add_argument("--out", metavar="文件", default=None, help="写到文件（默认：标准输出）")
    p.add_argument("--top", type=int, default=5, metavar="数量", help="列出差得最多的几段对话（默认 5）")
    p.set_defaults(handler=report_command)

    p = cal_sub.add_parser("items", parents=[db], help="题目分析：每条评分规则触发多少、和总分的关系",
                           description="这场考试的所有对话里，每条评分规则和每个维度：触发率、与其余总分的相关；"
                                       "标出几乎人人触发、几乎没人触发、与总分负相关的规则。")
    p.add_argument("--exam", required=True, metavar="编号", help="考试 id")
    p.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    p.set_defaults(handler=items_command)

    p = cal_sub.add_parser("passmark", parents=[db], help="根据评分人的通过/不通过判断建议及格分",
                           description="边界回归法：找出评分人的判断从不通过变为通过的那个分数，并说明依据了多少个判断。")
    p.add_argument("--exam", required=True, metavar="编号", help="考试 id")
    p.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    p.set_defaults(handler=passmark_command)

    p = cal_sub.add_parser("review", parents=[db], help="列出待复核的考试成绩",
                           description="考试写了 review: required 时，考完的成绩先是“待复核”，组长决定后才算数。")
    p.add_argument("--exam", metavar="编号", default=None, help="只看这场考试")
    p.set_defaults(handler=review_command)

    p = cal_sub.add_parser("decide", parents=[db], help="复核一次待复核的考试：通过、不通过、改分或退回练习",
                           description="approve 按 kefu 的结果算数；reject 判为不通过；adjust 改分（--total、--passed）；"
                                       "practise 退回去练习。除 approve 外都要写 --reason。记录谁、何时、为什么。")
    p.add_argument("attempt", metavar="考试记录", help="考试记录编号（或唯一的开头几位）")
    p.add_argument("action", choices=("approve", "reject", "adjust", "practise"), help="复核结果")
    p.add_argument("--lead", metavar="姓名", default="组长", help="复核人（默认：组长）")
    p.add_argument("--reason", metavar="文字", default=None, help="理由")
    p.add_argument("--total", type=int, default=None, metavar="数量", help="adjust：改后的总分（0-100）")
    p.add_argument("--passed", choices=("是", "否"), default=None, help="adjust：改后是否通过")
    p.set_defaults(handler=decide_command)


def _write_file(path: Path, data: bytes | str) -> None:
    """Write atomically (simulator.atomic): a full disk never leaves half a sheet or report."""
    from simulator.atomic import atomic_write_text
    from simulator.records.errors import RecordsError

    try:
        atomic_write_text(path, data.decode("utf-8") if isinstance(data, bytes) else data)
    except OSError as exc:
        raise RecordsError(f"无法写入 {path}：{exc.strerror or exc}") from exc


def _exam_title(conversations: list[dict], exam_id: str | None) -> str:
    if exam_id is None:
        return "全部考试"
    titles = [c["exam_title"] for c in conversations if c.get("exam_title")]
    return f"{titles[-1]}（{exam_id}）" if titles else exam_id


@_guard
def sheet_command(args) -> int:
    """`kefu calibrate sheet --exam ID --out FILE.csv`."""
    from simulator.calibrate.sheet import draw_sample, sheet_csv, sheet_html
    from simulator.records.calibration import exam_conversations, session_turns

    if args.sample < 1:
        _err(f"--sample 至少是 1，收到 {args.sample}")
        return 2
    out = Path(args.out)
    html_path = out.with_suffix(".html")
    if html_path == out:
        _err("--out 应是 .csv 文件（对话会写到同名的 .html）")
        return 2
    with _store(args) as store:
        conversations = exam_conversations(store, args.exam)
        if not conversations:
            _err(f"考试 {args.exam} 还没有已完成的对话可以抽样。")
            return 1
        sample = draw_sample(conversations, args.sample, args.seed)
        turns = session_turns(store, [c["id"] for c in sample])
    _write_file(out, sheet_csv(sample))
    _write_file(html_path, sheet_html(sample, turns, _exam_title(conversations, args.exam), out.name))
    _emit(f"已抽出 {len(sample)} 段对话（共 {len(conversations)} 段，种子 {args.seed}）：\n"
          f"  评分表：{out}\n  对话：{html_path}\n请评分人对照对话填表（每人一行，写上名字），"
          f"然后运行 kefu calibrate import {out.name}")
    return 0


@_guard
def import_command(args) -> int:
    """`kefu calibrate import FILE.csv`."""
    import sqlalchemy as sa

    from simulator.calibrate.importing import read_sheet
    from simulator.records.calibration import add_grades
    from simulator.records.schema import sessions

    path = Path(args.file)
    with _store(args) as store:
        with store.read() as conn:
            known = {(r.attempt_id, r.scenario_id): r.id for r in
                     conn.execute(sa.select(sessions.c.id, sessions.c.attempt_id, sessions.c.scenario_id))}
        read = read_sheet(path, known)
        if read.problems:
            for line in read.problems:
                _err(line)
            _err(f"评分表有 {len(read.problems)} 处问题，什么都没有记录；改好后再导入。")
            return 1
        if not read.grades:
            _err(f"{path}: 没有填写任何评分（每行要写评分人、总分、是否通过）。")
            return 1
        add_grades(store, read.grades, source="sheet")
    _emit(terminal(read.summary() + "\n已记录。看一致性：kefu calibrate report"))
    return 0


@_guard
def report_command(args) -> int:
    """`kefu calibrate report`."""
    from simulator.calibrate import report
    from simulator.records.calibration import exam_conversations, latest_grades

    if args.top < 0:
        _err("--top 不能是负数")
        return 2
    with _store(args) as store:
        conversations = exam_conversations(store, args.exam)
        grades = latest_grades(store, args.exam)
    data = report.build(conversations, grades, top=args.top)
    title = _exam_title(conversations, args.exam)
    if args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif args.format == "html":
        text = report.as_html(data, title)
    else:
        text = report.as_text(data, title)
    if args.out:
        _write_file(Path(args.out), text)
        _emit(f"已写出一致性报告：{args.out}")
    else:  # JSON keeps its data exact (terminal-unsafe characters as \u escapes); table and HTML as text
        _emit(json_text(text) if args.format == "json" else terminal(text))
    return 0


@_guard
def items_command(args) -> int:
    """`kefu calibrate items --exam ID`."""
    from simulator.calibrate import items
    from simulator.records.calibration import exam_conversations

    with _store(args) as store:
        conversations = exam_conversations(store, args.exam)
    result = items.analyse(conversations)
    if args.format == "json":
        _emit(json_text(json.dumps(result, ensure_ascii=False, indent=2)))
    else:
        _emit(terminal(items.as_text(result, _exam_title(conversations, args.exam))))
    return 0


@_guard
def passmark_command(args) -> int:
    """`kefu calibrate passmark --exam ID`."""
    from simulator.calibrate import passmark
    from simulator.records.calibration import exam_conversations, latest_grades

    with _store(args) as store:
        conversations = exam_conversations(store, args.exam)
        grades = latest_grades(store, args.exam)
    current = conversations[-1]["pass_mark"].get("total") if conversations else None
    result = passmark.suggest(conversations, grades, current)
    if args.format == "json":
        _emit(json_text(json.dumps(result, ensure_ascii=False, indent=2)))
    else:
        _emit(terminal(passmark.as_text(result, _exam_title(conversations, args.exam))))
    return 0


@_guard
def review_command(args) -> int:
    """`kefu calibrate review`: attempts waiting as 待复核."""
    from simulator.records.calibration import pending_attempts

    with _store(args) as store:
        waiting = pending_attempts(store, args.exam)
    if not waiting:
        _emit("（没有待复核的考试）")
        return 0
    lines = [f"待复核：{len(waiting)} 次考试"]
    for a in waiting:
        result = "通过" if a["passed"] else "未通过"
        when = a["finished_at"].strftime("%Y-%m-%d %H:%M") if a["finished_at"] else ""
        lines.append(f"  {a['id'][:8]}  {a['exam_id']}  {a['trainee']}  kefu 给 {a['total']} 分（{result}）  {when}")
    lines.append("复核：kefu calibrate decide 编号 approve|reject|adjust|practise --reason 理由")
    _emit(terminal("\n".join(lines)))  # names, notes and reasons as text, escapes made visible
    return 0


@_guard
def decide_command(args) -> int:
    """`kefu calibrate decide ATTEMPT ACTION`."""
    from simulator.certify.bundle import _find
    from simulator.records.calibration import STATE_NAMES, decide

    if args.action == "adjust" and (args.total is None or args.passed is None):
        _err("adjust（改分）要同时给 --total 分数 和 --passed 是/否")
        return 2
    if args.action != "adjust" and (args.total is not None or args.passed is not None):
        _err("--total 和 --passed 只用于 adjust（改分）")
        return 2
    with _store(args) as store:
        attempt = _find(store, args.attempt)
        decide(store, attempt["id"], args.action, args.lead, args.reason, total=args.total,
               passed=None if args.passed is None else args.passed == "是")
    _emit(f"已复核：{attempt['id'][:8]} {attempt['trainee']} → {STATE_NAMES[args.action]}（{args.lead}）")
    return 0
