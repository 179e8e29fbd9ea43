"""The certification commands: `kefu exam …`, `kefu results`, `kefu db upgrade`, `kefu export`,
`kefu verify`, `kefu keys init`. `register()` adds them to the `kefu` parser; each sets `handler`.

Every failure is a Chinese message on stderr and a non-zero exit: 1 when the work could not be
done (refused attempt, unusable database, a bundle that does not hold), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator import clikit
from simulator.i18n import _
from simulator.records.verdict import final
from simulator.safetext import csv_cell, json_text, terminal

OUTCOME_NAMES = {"resolved": "问题解决", "escalated": "投诉升级", "abandoned": "顾客离开", "unfinished": "提前结束"}
STATUS_NAMES = {"in_progress": "进行中", "completed": "已完成", "interrupted": "中断"}


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the certification commands to the `kefu` subparsers."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="数据库地址", default=None,
                    help=_("记录数据库：postgresql://用户:密码@主机/库名，或一个 .db 文件（默认 $KEFU_DB，否则 $KEFU_HOME/kefu.db）"))

    exam = sub.add_parser("exam", help=_("认证考试：list 列出、show 查看、start 在练习室里考、run 无界面考"),
                          description=_("认证考试（exams/<id>.yaml）。"))
    exam_sub = exam.add_subparsers(dest="exam_command", metavar="操作", parser_class=type(exam))
    exam_sub.required = True
    p = exam_sub.add_parser("list", parents=[common], help=_("列出可用的考试"))
    p.set_defaults(handler=exam_list)
    p = exam_sub.add_parser("show", parents=[common], help=_("查看一场考试"))
    p.add_argument("id", metavar="编号", help=_("考试 id，例如 after-sales-basic"))
    p.set_defaults(handler=exam_show)
    p = exam_sub.add_parser("start", parents=[common, db], help=_("在练习室里参加考试（不显示辅导）"))
    p.add_argument("id", metavar="编号", help=_("考试 id"))
    p.add_argument("--trainee", metavar="姓名", default=None,
                   help=_("学员姓名（以学员的数据库角色连接时可省略：身份取自连接）"))
    p.add_argument("--no-typing", action="store_true", help=_("顾客的话立即显示（不等“正在输入…”）"))
    p.set_defaults(handler=exam_start)
    p = exam_sub.add_parser("run", parents=[common, db], help=_("用回复文件参加考试（输出 JSON）"),
                            description=_("用 FILE 里的回复依次考考试 ID 的每个场景（每个场景一个文件，按顺序；- 表示标准输入）。输出一个 JSON：attempt、exam、trainee、scenarios、total、passed。"))
    p.add_argument("id", metavar="编号", help=_("考试 id"))
    p.add_argument("--trainee", metavar="姓名", default=None,
                   help=_("学员姓名（以学员的数据库角色连接时可省略：身份取自连接）"))
    p.add_argument("--replies", required=True, nargs="+", metavar="文件", help=_("回复文件，每个场景一个"))
    p.add_argument("--quiet", action="store_true", help=_("不在标准错误上显示进度"))
    p.set_defaults(handler=exam_run)

    p = sub.add_parser("results", parents=[db], help=_("列出考试记录（表格、CSV、JSON 或 xAPI）"),
                       description=_("列出考试记录。CSV 是带 BOM 的 UTF-8（可直接用 Excel/WPS 打开）。"))
    p.add_argument("--exam", metavar="编号", default=None, help=_("只看这场考试"))
    p.add_argument("--trainee", metavar="姓名", default=None, help=_("只看这名学员"))
    p.add_argument("--format", choices=("table", "csv", "json", "xapi"), default="table",
                   help=_("输出格式：table 表格（默认）、csv（电子表格）、json、xapi（xAPI 1.0.3 语句，每行一个 JSON，可导入 LRS/LMS）"))
    p.add_argument("--verify", action="store_true",
                   help=_("按组长发布的考试版本重放并重新评分每条记录，标出 已核验 / 不一致 / 未核验"))
    p.set_defaults(handler=results_command)

    p = sub.add_parser("db", help=_("记录数据库（kefu db upgrade）"))
    db_sub = p.add_subparsers(dest="db_command", metavar="操作", parser_class=type(p))
    db_sub.required = True
    q = db_sub.add_parser("upgrade", parents=[db], help=_("把数据库结构升级到最新（请先备份）"))
    q.set_defaults(handler=db_upgrade)

    p = sub.add_parser("export", parents=[db], help=_("把一次考试导出成自带全部内容、可核验的文件"),
                       description=_("把考试记录 ATTEMPT（它的 id，或 id 的开头几位）写成一个 JSON 文件：带用时的对话、所用内容、哈希、成绩单。"))
    p.add_argument("attempt", metavar="考试记录", help=_("考试记录 id（或能唯一确定的开头几位）"))
    p.add_argument("--out", required=True, metavar="文件", help=_("写到哪个文件"))
    p.add_argument("--sign", action="store_true", help=_("用 kefu keys init 生成的密钥签名"))
    p.add_argument("--key", metavar="文件", default=None, help=_("私钥文件（默认 $KEFU_HOME/keys/）"))
    p.set_defaults(handler=export_command)

    p = sub.add_parser("verify", help=_("重放并重新评分一个导出文件；一致退出码 0，不一致 1"),
                       description=_("用文件里固定的内容重放对话、重新评分，并逐项核对（回复、用时、分数、内容、哈希、签名）。"))
    p.add_argument("file", metavar="文件", help=_("kefu export 导出的文件"))
    p.add_argument("--trust", metavar="公钥文件", default=None, help=_("要求有这个公钥文件对应的签名"))
    p.add_argument("--db", metavar="数据库地址", default=None,
                   help=_("组长的记录数据库：按其中发布的考试版本核验（默认 $KEFU_DB；都没有时只按记录包自身核验并注明）"))
    p.add_argument("--sign", action="store_true", help=_("核验通过后用你的密钥签名（写回原文件）"))
    p.add_argument("--key", metavar="文件", default=None, help=_("--sign 用的私钥文件"))
    p.set_defaults(handler=verify_command)

    p = sub.add_parser("keys", help=_("签名密钥（kefu keys init）"))
    keys_sub = p.add_subparsers(dest="keys_command", metavar="操作", parser_class=type(p))
    keys_sub.required = True
    q = keys_sub.add_parser("init", help=_("生成用于给成绩签名的 Ed25519 密钥对"))
    q.add_argument("--out", metavar="文件夹", default=None, help=_("文件夹（默认 $KEFU_HOME/keys）"))
    q.set_defaults(handler=keys_init)

    from simulator.certify.lead_commands import register as register_lead

    register_lead(sub, common, db, exam_sub, keys_sub)


_content_dirs = clikit.content_dirs


# The plumbing every command shares lives in simulator/clikit.py; these names stay for this module.
_write = clikit._write
_err = clikit.err
_err_line = clikit.err_line
_emit = clikit.emit
_guard = clikit.guard


_load = clikit.load_exams


def _exam(args, exams):
    exam = exams.exams.get(args.id)
    if exam is None:
        known = ", ".join(sorted(exams.exams)) or "（无）"
        _err(f"没有这个考试：{args.id}。可用的考试：{known}")
    return exam


def _store(args, **kwargs):
    return clikit.open_records(args, **kwargs)


# ---- kefu exam --------------------------------------------------------------------------


def _load_exam(args):
    """(library, exam) of `args.id`, or the exit status when the content or the id is not usable."""
    loaded = _load(args)
    if loaded is None:
        return 1
    library, exams = loaded
    exam = _exam(args, exams)
    if exam is None:
        return 2
    if _lexicon_broken():
        return 2
    return library, exam


def _lexicon_broken() -> bool:
    """A broken $KEFU_LEXICON would fail mid-exam and count as an attempt: say so and stop first (issue 21 §2)."""
    from simulator.content.lexicons import lexicon_problems

    broken = lexicon_problems()
    for problem in broken:
        _err(str(problem))
    if broken:
        _err("词库有错，考试没有开始（不算一次考试）；修好后用 kefu lint 确认")
    return bool(broken)


@_guard
def exam_list(args) -> int:
    """`kefu exam list`."""
    loaded = _load(args)
    if loaded is None:
        return 1
    _, exams = loaded
    if not exams.exams:
        _emit("（没有考试）")
        return 0
    for exam in exams.exams.values():
        count = len(exam.scenarios) or sum(r.count for r in exam.draw)
        _emit(f"{exam.id}\t{exam.title}\t{count} 个场景\t及格 {exam.pass_mark.total}\t可考 {exam.attempts} 次")
    return 0


@_guard
def exam_show(args) -> int:
    """`kefu exam show ID`."""
    opened = _load_exam(args)
    if isinstance(opened, int):
        return opened
    library, exam = opened
    from simulator.certify.grading import pass_rules

    lines = [f"{exam.title}（{exam.id}）", exam.description, "", "场景："]
    if exam.scenarios:
        for n, sid in enumerate(exam.scenarios, 1):
            s = library.scenarios[sid]
            lines.append(f"  {n}. {s.title}（{sid}，难度 {s.difficulty}）")
    for rule in exam.draw:
        where = f"{rule.category} 类" if rule.category else "所有类别"
        lines.append(f"  随机抽 {rule.count} 个：{where}，难度 {rule.min_difficulty}-{rule.max_difficulty}"
                     + (f"，从 {', '.join(rule.pool)} 中" if rule.pool else ""))
    lines += ["", *pass_rules(exam)]
    limit = exam.time_limit
    lines.append(f"可考次数：{exam.attempts}（中断的也算一次）")
    if limit.scenario_seconds:
        lines.append(f"每个场景限时：{limit.scenario_seconds:g} 秒")
    if limit.reply_seconds:
        lines.append(f"每句回复限时：{limit.reply_seconds:g} 秒")
    lines.append("考试中不显示辅导和问题清单" if exam.hide_feedback else "考试中显示辅导")
    if exam.validity_days:
        lines.append(f"通过后有效：{exam.validity_days} 天")
    _emit("\n".join(lines))
    return 0


def _load_all(args):
    """(library, exams) from the content folders, or the exit status when the content is not usable."""
    loaded = _load(args)
    if loaded is None:
        return 1
    if _lexicon_broken():
        return 2
    if getattr(args, "trainee", None) is not None:
        from simulator.records.store import check_name

        check_name(args.trainee)  # a bad name is refused before anything starts
    return loaded  # an id not in the local content may still be published: exam_for_attempt decides


def _trainee_of(args, store) -> str:
    """Who takes the exam: the connection's trainee role, else --trainee."""
    from simulator.records.errors import RecordsError
    from simulator.records.store import check_name

    if args.trainee is None:
        if store.identity is None:
            raise RecordsError("请用 --trainee 姓名 说明是谁在考试。", exit_code=2)
        return store.identity
    return check_name(args.trainee)


@_guard
def exam_run(args) -> int:
    """`kefu exam run ID [--trainee NAME] --replies FILE…`."""
    from simulator.certify.attempt import ExamAttempt, exam_for_attempt, infrastructure_failure
    from simulator.certify.runner import play_attempt, read_replies_file, stdin_replies
    from simulator.engine.replay import ReplyError
    from simulator.records.errors import RecordsError
    from simulator.records.store import AttemptClosed

    loaded = _load_all(args)
    if isinstance(loaded, int):
        return loaded
    library, exams = loaded
    if args.replies.count("-") > 1:
        _err("只有一个回复文件可以是 -（标准输入）")
        return 2
    try:
        replies = [stdin_replies() if path == "-" else read_replies_file(path) for path in args.replies]
    except ReplyError as exc:
        _err(exc.message)
        return 2
    if sys.stdout is None:
        raise OSError(9, "标准输出已关闭，考试结果无处可写；没有开始考试")
    progress = None if args.quiet else (lambda line: _err_line(line))
    with _store(args) as store:
        trainee = _trainee_of(args, store)
        published = exam_for_attempt(store, library, exams, args.id, say=progress)
        exam = published.exam
        count = len(exam.scenarios) or sum(r.count for r in exam.draw)
        if len(args.replies) != count:
            _err(f"考试 {exam.id} 有 {count} 个场景，需要 {count} 个回复文件（按顺序，每个场景一个），收到 {len(args.replies)} 个")
            return 2
        attempt = ExamAttempt.begin(store, published.library, exam, trainee, version=published.version)
        if progress:
            from simulator.certify.grading import pass_rules

            # The published version's rules, shown before the first reply is graded (issue 16 §4).
            progress("\n".join([f"{exam.title}：开始前请看清及格要求", *pass_rules(exam)]))
            attempt.on_pause = lambda note: progress(note or "记录数据库已恢复，考试继续")
        try:
            document = play_attempt(attempt, replies, progress)
        except ReplyError as exc:
            attempt.interrupt(f"回复有误：{exc.message}")
            _err(f"{exc.message}（这次考试已记为中断）")
            return 2
        except AttemptClosed:
            attempt._stop_pulse()
            raise
        except RecordsError as exc:
            if infrastructure_failure(exc):
                attempt.interrupt(exc.message, cause="infrastructure")
                raise RecordsError(f"{exc.message}（这次考试已记为因记录系统故障中断，不计入考试次数）") from exc
            attempt.interrupt(exc.message)
            raise
        except BaseException as exc:
            attempt.interrupt(f"考试中途出错：{type(exc).__name__}")
            if isinstance(exc, KeyboardInterrupt):
                raise
            _err(f"考试中途出错（已记为中断）：{type(exc).__name__}: {exc}")
            return 1
    _emit(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


@_guard
def exam_start(args) -> int:
    """`kefu exam start ID [--trainee NAME]`: the practice room in exam mode."""
    loaded = _load_all(args)
    if isinstance(loaded, int):
        return loaded
    library, exams = loaded
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _err("kefu exam start 需要在终端里运行；脚本里请用 kefu exam run")
        return 2
    from simulator.certify.attempt import ExamAttempt, exam_for_attempt
    from simulator.tui.exam import run_exam_app

    with _store(args) as store:
        trainee = _trainee_of(args, store)
        published = exam_for_attempt(store, library, exams, args.id)
        attempt = ExamAttempt.begin(store, published.library, published.exam, trainee, version=published.version)
        return run_exam_app(library, attempt, typing=not args.no_typing)


# ---- kefu results -------------------------------------------------------------------------

COLUMNS = ("attempt", "exam", "trainee", "number", "status", "started_at", "finished_at", "total", "passed",
           "policy_breach", "valid_until", "scenarios", "override_total", "override_reason",
           # since issue 19 (appended, so existing spreadsheets keep their columns):
           "override_author", "final_total", "final_passed", "voided", "void_reason", "exam_version", "cause",
           "verification",
           # since the one-truth merge (appended too): why the final result is what it is
           "final_state", "review_state", "review_reason", "grants")
HEADERS = {"final_state": "最终依据", "review_state": "复核", "review_reason": "复核理由", "grants": "加考次数",
           "override_total": "组长改分", "override_reason": "改分理由", "override_author": "改分人",
           "exam_version": "考试版本", "cause": "中断原因", "final_total": "最终总分", "final_passed": "最终通过",
           "voided": "作废", "void_reason": "作废理由", "verification": "核验",
           "attempt": "考试记录", "exam": "考试", "trainee": "学员", "number": "第几次", "status": "状态",
           "started_at": "开始时间", "finished_at": "结束时间", "total": "总分", "passed": "通过",
           "policy_breach": "超出政策", "valid_until": "有效期至", "scenarios": "各场景得分"}


CAUSE_NAMES = {"trainee": "考生退出或出错", "abandoned": "程序中途消失", "infrastructure": "记录系统故障（不计次数）"}
VERIFIED, MISMATCH, UNVERIFIED = "已核验", "不一致", "未核验"
"""The verification states every lead view shows (`kefu results --verify`)."""


def final_result(attempt: dict, override: dict | None, void: dict | None,
                 review: dict | None = None) -> tuple[int | None, bool | None]:
    """The one score and verdict every output shows (simulator.records.verdict.final)."""
    result = final(attempt, override, void, review)
    return result.total, result.passed


def result_rows(attempts: list[dict], overrides: dict[str, dict] | None = None,
                voids: dict[str, dict] | None = None, checks: dict[str, str] | None = None,
                reviews: dict[str, dict] | None = None, grants: dict[tuple[str, str], list] | None = None) -> list[dict]:
    """One plain row per attempt (what results prints in every format): the computed score, the final
    one (records.verdict: override, review decision, void), the lead's override with its reason, a
    void, the review state, grants and (with --verify) the verification state."""
    from simulator.records.calibration import STATE_NAMES as REVIEW_NAMES

    rows = []
    for a in attempts:
        override = (overrides or {}).get(a["id"])
        void = (voids or {}).get(a["id"])
        review = (reviews or {}).get(a["id"])
        result = final(a, override, void, review)
        rows.append({
            "attempt": a["id"], "exam": a["exam_id"], "trainee": a["trainee"], "number": a["number"],
            "status": a["status"],
            "started_at": a["started_at"].isoformat(timespec="seconds") if a["started_at"] else None,
            "finished_at": a["finished_at"].isoformat(timespec="seconds") if a["finished_at"] else None,
            "total": a["total"], "passed": a["passed"], "policy_breach": a["policy_breach"],
            "valid_until": a["valid_until"].date().isoformat() if a["valid_until"] else None,
            "scenarios": [{"scenario": s["scenario_id"], "seed": s["seed"], "status": s["status"],
                           "outcome": s["outcome"], "policy_breach": s["policy_breach"], "total": s["total"]}
                          for s in a["sessions"]],
            "override_total": override["total"] if override else None,
            "override_reason": override["reason"] if override else None,
            "override_author": override["author"] if override else None,
            "exam_version": a.get("exam_version"), "cause": a.get("cause"),
            "final_total": result.total, "final_passed": result.passed,
            "voided": void is not None, "void_reason": void["reason"] if void else None,
            "verification": (checks or {}).get(a["id"]),
            "final_state": result.state_name,
            "review_state": REVIEW_NAMES[review["action"]] if review else None,
            "review_reason": review.get("reason") if review else None,
            "grants": len((grants or {}).get((a["trainee"], a["exam_id"]), [])),
        })
    return rows


TIME_COLUMNS = ("started_at", "finished_at")
TEXT_COLUMNS = ("attempt", "exam", "trainee", "override_reason", "override_author", "void_reason", "scenarios",
                "review_reason")
"""Cells that carry text from trainees, trainers or leads: neutralised for spreadsheets (OWASP)."""


def _cell(key: str, value, attempt: dict | None = None) -> str:
    """A row value as a person reads it: Chinese words, local times; never 'None'."""
    if value is None:
        return ""
    if key == "status":
        return STATUS_NAMES.get(value, value)
    if key == "cause":
        return CAUSE_NAMES.get(value, value)
    if key in TIME_COLUMNS and attempt is not None:
        from simulator.desk.when import stamp

        return stamp(attempt[key])
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "scenarios":
        return "; ".join(f"{s['scenario']}={'' if s['total'] is None else s['total']}" for s in value)
    return str(value)


def _header(key: str) -> str:
    if key in TIME_COLUMNS:
        from simulator.desk.when import zone_label

        return f"{HEADERS[key]}（{zone_label()}）"
    return HEADERS[key]


@_guard
def results_command(args) -> int:
    """`kefu results`: every format linear in the attempts."""
    import csv
    import io

    from simulator.records.verdict import lead_facts

    with clikit.open_records(args, read_only=True) as store:
        found = store.attempts(exam_id=args.exam, trainee=args.trainee)
        facts = lead_facts(store)
        if args.format == "xapi":
            from simulator.desk.xapi import statement

            if sys.stdout is None:
                raise OSError(9, "标准输出已关闭")
            _write(sys.stdout, json_text("".join(
                json.dumps(statement(a, facts.overrides.get(a["id"]), facts.voids.get(a["id"]),
                                     facts.reviews.get(a["id"])), ensure_ascii=False) + "\n" for a in found)))
            return 0
        checks = verify_attempts(store, found) if getattr(args, "verify", False) else None
    rows = result_rows(found, facts.overrides, facts.voids, {k: v[0] for k, v in checks.items()} if checks else None,
                       facts.reviews, facts.grants)
    if args.format == "json":
        _emit(json_text(json.dumps(rows, ensure_ascii=False, indent=2)))
        return 0
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # RFC 4180 quoting, CRLF line ends: what spreadsheets expect
        writer.writerow([_header(c) for c in COLUMNS])
        for attempt, row in zip(found, rows):
            writer.writerow([csv_cell(terminal(_cell(c, row[c], attempt))) if c in TEXT_COLUMNS else _cell(c, row[c], attempt)
                             for c in COLUMNS])
        clikit.emit_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))  # the BOM makes Excel read UTF-8
        return 0
    if not rows:
        _emit("（没有考试记录）")
        return 0
    shown = ("attempt", "exam", "trainee", "number", "status", "total", "final_total", "final_passed",
             "final_state", "started_at") + (("verification",) if checks is not None else ())
    table = [[_header(c) for c in shown]]
    for attempt, row in zip(found, rows):
        table.append([row[c][:8] if c == "attempt"
                      else terminal(attempt["exam_title"] or row[c], one_line=True) if c == "exam"  # its name
                      else terminal(_cell(c, row[c], attempt), one_line=True) for c in shown])
    widths = [max(_width(line[i]) for line in table) for i in range(len(shown))]  # once per column: linear
    _emit("\n".join("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(line)).rstrip() for line in table))
    for row in rows:  # why an attempt no longer counts, under the table (the CSV and JSON carry it too)
        if row["voided"]:
            _emit(f"{row['attempt'][:8]} 作废：{terminal(row['void_reason'] or '', one_line=True)}")
    if checks:
        for attempt_id, (state, why) in checks.items():
            if state != VERIFIED and why:
                _emit(f"{attempt_id[:8]} {state}：{terminal(why, one_line=True)}")
    return 0


def verify_attempts(store, found: list[dict]) -> dict[str, tuple[str, str]]:
    """{attempt id: (已核验 | 不一致 | 未核验, why)}: each attempt replayed and re-graded against the
    published exam version it was taken under (never the exam its own row or bundle carries)."""
    from simulator.certify.bundle import build_bundle, verify_bundle
    from simulator.records import publish

    out: dict[str, tuple[str, str]] = {}
    versions: dict[tuple[str, int], object] = {}
    for a in found:
        if a["status"] == "in_progress":
            out[a["id"]] = (UNVERIFIED, "考试还在进行中")
            continue
        if a.get("exam_version") is None:
            out[a["id"]] = (UNVERIFIED, "这次考试不是按发布版考的（旧记录），没有可对照的发布版")
            continue
        key = (a["exam_id"], a["exam_version"])
        if key not in versions:
            versions[key] = publish.version(store, *key)
        if versions[key] is None:
            out[a["id"]] = (MISMATCH, f"记录说按第 {a['exam_version']} 版考，但没有这个发布版")
            continue
        report = verify_bundle(build_bundle(store, a["id"]), published=versions[key], trusted=[])
        out[a["id"]] = (MISMATCH, "；".join(report.problems[:3])) if report.problems else (VERIFIED, "")
    return out


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# ---- kefu db upgrade ----------------------------------------------------------------------


@_guard
def db_upgrade(args) -> int:
    """`kefu db upgrade`."""
    from simulator.records.store import display_url, resolve_url, upgrade_database

    before, after = upgrade_database(args.db)
    where = display_url(resolve_url(args.db))
    if before == after:
        _emit(f"记录数据库已是最新结构（{after}）：{where}")
    else:
        _emit(f"记录数据库已升级：{before or '空'} → {after}：{where}")
    return 0


# ---- export / verify / keys -----------------------------------------------------------------


@_guard
def export_command(args) -> int:
    """`kefu export ATTEMPT --out FILE`."""
    from simulator.certify.bundle import build_bundle, write_bundle
    from simulator.certify.keys import load_private_key, sign_bundle

    clikit.check_target(Path(args.out), args.db)  # before any work: not through a link, not over the records
    with clikit.open_records(args, read_only=True) as store:
        bundle = build_bundle(store, args.attempt)
    if args.sign:
        sign_bundle(bundle, load_private_key(args.key))
    clikit.check_target(Path(args.out), args.db)
    write_bundle(Path(args.out), bundle)
    _emit(f"已导出考试记录 {bundle['attempt']['id']} → {args.out}")
    return 0


@_guard
def verify_command(args) -> int:
    """`kefu verify FILE`."""
    from simulator.certify.bundle import read_bundle, verify_bundle, write_bundle
    from simulator.certify.keys import load_private_key, sign_bundle

    import os

    from simulator.records import publish

    bundle = read_bundle(Path(args.file))
    published = None
    if args.db or os.environ.get("KEFU_DB"):
        with clikit.open_records(args, read_only=True) as store:
            head = bundle.get("attempt") or {}
            if isinstance(head, dict) and head.get("exam_version") is not None:
                published = publish.version(store, str(head.get("exam_id")), head.get("exam_version"))
                if published is None:
                    _emit(f"不成立：{terminal(args.file, one_line=True)} 说按考试 "
                          f"{terminal(str(head.get('exam_id')), one_line=True)} 第 "
                          f"{terminal(str(head.get('exam_version')), one_line=True)} 版考，"
                          f"但 {store.where} 里没有这个发布版")
                    return 1
            else:
                published = publish.latest(store, str(head.get("exam_id")))
    report = verify_bundle(bundle, trust=Path(args.trust) if args.trust else None, published=published)
    if published is None:
        report.notes.append("没有对照组长发布的考试版本（用 --db 指定组长的记录数据库），只按记录包自身的考试定义核验")
    # A tampered bundle's text must not reach the terminal raw (it could clear the screen, draw a fake 成立).
    shown = terminal(args.file, one_line=True)
    for line in report.notes:
        _emit(f"注意：{terminal(line, one_line=True)}")
    if report.problems:
        _emit(f"不成立：{shown} 与重新评分的结果不一致（{len(report.problems)} 处）：")
        for line in report.problems:
            _emit(f"  - {terminal(line, one_line=True)}")
        return 1
    _emit(f"成立：{shown} 重放并重新评分后完全一致（{terminal(report.summary, one_line=True)}）")
    if args.sign:
        clikit.check_target(Path(args.file))  # signed in place: never through a link
        sign_bundle(bundle, load_private_key(args.key))
        write_bundle(Path(args.file), bundle)
        _emit(f"已签名：{args.file}")
    return 0


@_guard
def keys_init(args) -> int:
    """`kefu keys init`."""
    from simulator.certify.keys import init_keys

    private, public, fingerprint = init_keys(Path(args.out) if args.out else None)
    _emit(f"已创建签名密钥：{private}（私钥，请妥善保管）\n公钥：{public}\n指纹：{fingerprint}")
    return 0
