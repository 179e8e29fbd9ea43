"""The lead's commands: `kefu exam publish`, `kefu trainee add|list|cohort`, `kefu attempt void|grant`,
`kefu keys trust`. `register()` is called by simulator.certify.commands.register."""

from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path

from simulator.clikit import emit as _emit
from simulator.clikit import guard as _guard
from simulator.clikit import load_exams as _load
from simulator.clikit import open_records as _store
from simulator.i18n import _


def register(sub, common: argparse.ArgumentParser, db: argparse.ArgumentParser, exam_sub, keys_sub) -> None:
    """Add the lead's commands (the `exam` and `keys` groups exist already)."""
    lead = argparse.ArgumentParser(add_help=False)
    lead.add_argument("--lead", metavar="姓名", default=None, help=_("组长姓名（记入操作记录；默认是系统用户名）"))

    p = exam_sub.add_parser("publish", parents=[common, db, lead], help=_("把考试（及其场景、顾客）发布到记录数据库：之后的考试都用这一版"),
                            description=_("把考试 ID 现在的内容（考试定义、所有可能用到的场景和顾客）存进记录数据库，作为新的一版。"
                                          "考试只按最新发布版进行；学员本地的同名文件不能改变它。旧版本保留，供按旧版考过的记录核验。"))
    p.add_argument("id", metavar="编号", help=_("考试 id"))
    p.set_defaults(handler=exam_publish)

    trainee = sub.add_parser("trainee", help=_("学员：add 添加、list 列出、cohort 设期次"))
    t_sub = trainee.add_subparsers(dest="trainee_command", metavar="操作", parser_class=type(trainee))
    t_sub.required = True
    p = t_sub.add_parser("add", parents=[db, lead], help=_("添加学员；PostgreSQL 上可为其创建或指定登录角色"),
                         description=_("添加学员 NAME。在 PostgreSQL 上用 --role 给学员一个自己的数据库角色（没有就用 --password 创建）："
                                       "学员用这个角色连接时，只能写自己的考试、读自己的成绩。"))
    p.add_argument("name", metavar="姓名", help=_("学员姓名"))
    p.add_argument("--role", metavar="角色", default=None, help=_("学员的 PostgreSQL 登录角色（小写字母、数字、下划线）"))
    p.add_argument("--password", metavar="密码", default=None, help=_("创建角色时的密码（角色已存在时不用）"))
    p.set_defaults(handler=trainee_add)
    p = t_sub.add_parser("list", parents=[db], help=_("列出学员：期次、数据库角色、考试次数"))
    p.add_argument("--format", choices=("table", "json"), default="table", help=_("输出格式"))
    p.set_defaults(handler=trainee_list)
    p = t_sub.add_parser("cohort", parents=[db, lead], help=_("把学员放进一个期次（空字符串：移出）"))
    p.add_argument("name", metavar="姓名", help=_("学员姓名"))
    p.add_argument("cohort", metavar="期次", help=_("期次，例如 2026年12月"))
    p.set_defaults(handler=trainee_cohort)

    attempt = sub.add_parser("attempt", help=_("考试记录：void 作废、grant 加考"))
    a_sub = attempt.add_subparsers(dest="attempt_command", metavar="操作", parser_class=type(attempt))
    a_sub.required = True
    p = a_sub.add_parser("void", parents=[db, lead], help=_("作废一次考试（记录保留，写明原因）"))
    p.add_argument("attempt", metavar="考试记录", help=_("考试记录 id（或能唯一确定的开头几位）"))
    p.add_argument("--reason", metavar="理由", required=True, help=_("为什么作废"))
    p.set_defaults(handler=attempt_void)
    p = a_sub.add_parser("grant", parents=[db, lead], help=_("给学员加一次考试机会"))
    p.add_argument("trainee", metavar="学员", help=_("学员姓名"))
    p.add_argument("exam", metavar="考试", help=_("考试 id"))
    p.add_argument("--reason", metavar="理由", required=True, help=_("为什么加考"))
    p.set_defaults(handler=attempt_grant)

    p = keys_sub.add_parser("trust", help=_("信任一把公钥：只有受信任的密钥签名才算成立"))
    p.add_argument("file", metavar="文件", help=_("公钥文件（.pub）"))
    p.set_defaults(handler=keys_trust)


def _lead(args, store) -> str:
    """Who acts: --lead, else the database user (PostgreSQL), else this machine's user name."""
    if args.lead:
        return args.lead
    if store.dialect == "postgresql":
        return store.engine.url.username or getpass.getuser()
    return getpass.getuser()


@_guard
def exam_publish(args) -> int:
    """`kefu exam publish ID`."""
    from simulator.records import publish
    from simulator.records.errors import RecordsError

    loaded = _load(args)
    if loaded is None:
        return 1
    library, exams = loaded
    exam = exams.exams.get(args.id)
    if exam is None:
        raise RecordsError(f"没有这个考试：{args.id}。可用的考试：{', '.join(sorted(exams.exams)) or '（无）'}", exit_code=2)
    with _store(args) as store:
        current, created = publish.publish_exam(store, exam, library, _lead(args, store))
    scenarios = len(current.scenario_hashes)
    if created:
        _emit(f"已发布考试 {exam.id} 第 {current.version} 版（{scenarios} 个场景，内容指纹 {current.snapshot_hash[:12]}）")
    else:
        _emit(f"考试 {exam.id} 的内容与已发布的第 {current.version} 版相同，没有新建版本")
    return 0


@_guard
def trainee_add(args) -> int:
    """`kefu trainee add NAME [--role ROLE --password …]`."""
    from simulator.records.lead import add_trainee

    with _store(args) as store:
        done = add_trainee(store, args.name, _lead(args, store), role=args.role, password=args.password)
    role = ""
    if done["role"]:
        role = f"，数据库角色 {done['role']}（{'新建' if done['role_created'] else '已有，已关联'}）"
    _emit(f"学员 {done['name']} 已登记{role}")
    return 0


@_guard
def trainee_list(args) -> int:
    """`kefu trainee list`."""
    from simulator.records.lead import list_trainees

    with _store(args) as store:
        rows = list_trainees(store)
    if args.format == "json":
        _emit(json.dumps([{**r, "created_at": r["created_at"].isoformat() if r["created_at"] else None} for r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    if not rows:
        _emit("（没有学员）")
        return 0
    for r in rows:
        _emit(f"{r['name']}\t期次 {r['cohort'] or '—'}\t角色 {r['role_name'] or '—'}\t考试 {r['attempts']} 次")
    return 0


@_guard
def trainee_cohort(args) -> int:
    """`kefu trainee cohort NAME 期次`."""
    from simulator.records.lead import set_cohort

    with _store(args) as store:
        set_cohort(store, args.name, args.cohort, _lead(args, store))
    _emit(f"学员 {args.name.strip()} 的期次：{args.cohort.strip() or '（无）'}")
    return 0


@_guard
def attempt_void(args) -> int:
    """`kefu attempt void ID --reason …`."""
    from simulator.certify.bundle import _find
    from simulator.records.lead import void_attempt

    with _store(args) as store:
        attempt = _find(store, args.attempt)
        void_attempt(store, attempt["id"], _lead(args, store), args.reason)
    _emit(f"已作废考试记录 {attempt['id'][:8]}（{attempt['trainee']}，{attempt['exam_id']} 第 {attempt['number']} 次）")
    return 0


@_guard
def attempt_grant(args) -> int:
    """`kefu attempt grant TRAINEE EXAM --reason …`."""
    from simulator.records.lead import grant_attempt

    with _store(args) as store:
        count = grant_attempt(store, args.trainee, args.exam, _lead(args, store), args.reason)
    _emit(f"已给 {args.trainee.strip()} 加考一次：{args.exam}（共加考 {count} 次）")
    return 0


@_guard
def keys_trust(args) -> int:
    """`kefu keys trust FILE.pub`."""
    from simulator.certify.keys import trust_key

    target, digest, new = trust_key(Path(args.file))
    _emit(f"{'已信任' if new else '早已信任'}公钥 {digest}：{target}")
    return 0
