"""The `kefu` command: parses arguments and hands over to the layers below.

Heavy modules (Textual, jieba, the engine) are imported inside each command so that
`kefu --help` and `kefu lint` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from simulator.i18n import N_, _, localize_argparse, set_language_from_argv

DESCRIPTION = N_("""\
kefu（客服）— 客服培训模拟器。

和脚本化的愤怒顾客练习对话，用 YAML 写自己的顾客和案例，每一项得分都有解释。完全离线运行。

命令：
  play [案例]            打开练习室（不写命令时就是它）
  run 案例 --replies 文件 [--seed N]
                         不开界面跑一个案例；输出一个 JSON 文档
  check [路径 ...]       像测试一样运行每个案例的示例对话
  lint [路径 ...]        检查内容文件；问题按 路径:行:列 列出
  graph ID               把顾客类型（或案例）的状态机打印成 Mermaid 图
  score [文件]           分析以 JSON lines 给出的客服回复（不写文件时读标准输入）
  rubric                 打印评分标准
  schema [--out 文件夹]  写出内容文件的 JSON Schema（给编辑器用）
  new scenario|persona ID
                         写一个带注释的新案例或新顾客类型起步文件
  exam list|show|start|run   认证考试（start：以考试模式打开练习室）
  results [--exam ID] [--trainee 姓名] [--format table|csv|json|xapi]
                         列出考试记录
  export 考试记录 --out 文件 / verify 文件 / keys init / db upgrade
                         可验证的成绩文件和记录数据库（--db URL 或 $KEFU_DB）
  desk / report --out 文件 / history --trainee 姓名 / writeup 考试记录
                         组长工作台、HTML 报告、学员自己的记录、Markdown 案例
  calibrate sheet|import|report|items|passmark|review|decide
                         校准：请组员盲评，看 kefu 与人的评分有多一致；复核待定的成绩

内容：内置的顾客类型和案例，加上 --content 文件夹（可写多次）或 $KEFU_CONTENT 里的文件夹
（用“{sep}”分隔）；培训师的文件会替换同 id 的内置文件。
加 --lang en（或设 KEFU_LANG=en）显示英文。
""")


class _Parser(argparse.ArgumentParser):
    """Usage errors exit with status 2 and a one-line hint, never a traceback."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}：错误：{message}\n（看 “{prog} --help”）\n").format(prog=self.prog, message=message))


def _content_dirs(args: argparse.Namespace) -> list[Path]:
    from simulator.clikit import content_dirs  # one definition for every command

    return content_dirs(args)


# Commands that need no other module's command registered: given first, the parser is built without them
# (`kefu score` then imports none of the records, exam, desk and calibration commands: ~5 ms of every run).
_SELF_CONTAINED = frozenset({"score"})


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the `kefu` command; `command`: the first argument, when it is one of
    _SELF_CONTAINED (its own parser and the top-level options are then the same, the others are left out)."""
    localize_argparse()  # argparse's own words (usage:, options, …) in the user's language
    parser = _Parser(
        prog="kefu", description=_(DESCRIPTION).format(sep=os.pathsep),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version="kefu 0.1.0", help=_("显示版本号后退出"))
    parser.add_argument("--lang", choices=["zh", "en"], help=_("界面语言：zh（中文，默认）或 en（英文，给开发者）"))
    # Its own dest: a subcommand's default for --content would otherwise overwrite this one.
    parser.add_argument(
        "--content", action="append", metavar=_("文件夹"), dest="top_content",
        help=_("额外的内容文件夹（可写多次）；也可以写在命令后面"),
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--content", action="append", metavar=_("文件夹"),
        help=_("额外的内容文件夹，内含 personas/ 和 scenarios/（可写多次；同 id 替换内置内容）"),
    )
    sub = parser.add_subparsers(dest="command", metavar=_("命令"), parser_class=_Parser)

    p = sub.add_parser("play", parents=[common], help=_("打开练习室（默认）"),
                       description=_("打开练习室。写了案例 id 就直接进入对话。"))
    p.add_argument("scenario", nargs="?", metavar=_("案例"), help=_("案例 id，例如 wig-wrong-color"))
    p.add_argument("--seed", metavar="种子", type=int, default=None, help=_("顾客台词的随机种子（默认：随机）"))
    p.add_argument("--no-typing", action="store_true", help=_("顾客的话立刻显示（没有“正在输入…”的停顿）"))
    p.add_argument("--exam", action="store_true", help=_("考试模式：每条回复后不给辅导"))

    p = sub.add_parser("run", parents=[common], help=_("不开界面跑一个案例（输出 JSON）"),
                       description=_(
                           "用“文件”里的客服回复跑案例，每行一条回复（写 - 表示读标准输入）。"
                           "一行可以用 [+45s] 开头，表示客服用了 45 秒（默认 15 秒，最多 24 小时）。"
                           "全角的［＋45ｓ］、【+45s】也算时间前缀。"
                           "空行和以 # 开头的行会跳过。输出一个 JSON 文档："
                           "scenario、seed、outcome、policy_breach、turns 和 scorecard。"
                           "回复文件最大 1 MB；“文件”是命名管道（FIFO）时会一直等到有程序向它写入。"))
    p.add_argument("scenario", metavar=_("案例"), help=_("案例 id"))
    p.add_argument("--replies", required=True, metavar=_("文件"), help=_("客服回复，每行一条"))
    p.add_argument("--seed", metavar="种子", type=int, default=0, help=_("随机种子（默认 0）"))

    p = sub.add_parser("check", parents=[common], help=_("像测试一样运行案例的示例对话"),
                       description=_("运行当前使用的（或“路径”下的）每个案例的每段示例对话，报告通过/失败；"
                                     "失败时说明从哪条回复开始不一样、为什么。路径所在的内容文件夹"
                                     "（同级的 personas/ 和 scenarios/）会一起读入。"))
    p.add_argument("paths", nargs="*", metavar=_("路径"), help=_("案例文件或文件夹（默认：当前使用的全部）"))
    p.add_argument("-v", "--verbose", action="store_true", help=_("打印每条回复之后的状态和心情"))

    p = sub.add_parser("lint", parents=[common], help=_("检查内容文件"),
                       description=_("把每个内容文件的每个问题按 路径:行:列: 说明 列出。"
                                     "警告会打印但不算失败。没有错误时退出码 0，有错误时 1，"
                                     "用法错误（路径不存在或里面没有内容）时 2。"))
    p.add_argument("paths", nargs="*", metavar=_("路径"), help=_("文件或文件夹（默认：当前使用的全部内容）"))
    p.add_argument("--fix", action="store_true", help=_("把改了名的旧字段自动改成新写法（只改安全的）"))

    p = sub.add_parser("graph", parents=[common], help=_("把状态机打印成 Mermaid 图"),
                       description=_("把顾客类型 ID（或案例 ID 所用顾客类型）的状态机打印成 Mermaid stateDiagram-v2。"))
    p.add_argument("id", metavar="编号", help=_("顾客类型或案例的 id"))

    p = sub.add_parser("score", help=_("分析以 JSON lines 给出的回复"),
                       description=_(
                           '从“文件”或标准输入读 JSON lines：{"id": ..., "text": ..., "context": {...}}（id 和 context 可省）；'
                           "每行输出一行 JSON：apology、empathy、question、solution（0-2）、violations 和 evidence。"
                           '格式不对的行输出 {"id":…, "error":…}，然后继续处理；有任何一行失败时退出码为 1。'
                           "加 --eval 文件 时，和标注比较，打印精确率、召回率和 F1。"
                           "每行最大 1 MB（--eval 文件最大 64 MB）；“文件”是命名管道（FIFO）时会一直等到有程序向它写入。"))
    p.add_argument("file", nargs="?", metavar=_("文件"), help=_("JSON lines 文件（默认：标准输入）"))
    p.add_argument("--eval", metavar=_("标注文件"), help=_("和带标注的 JSON lines 文件比较"))

    sub.add_parser("rubric", help=_("打印评分标准"), description=_("打印评分标准：评什么、怎么评。"))

    p = sub.add_parser("schema", help=_("写出内容文件的 JSON Schema"),
                       description=_("写出 persona.schema.json 和 scenario.schema.json，供编辑器补全和检查。"))
    p.add_argument("--out", default=None, metavar=_("文件夹"), help=_("写到哪个文件夹（默认：打印两个 schema）"))

    if command in _SELF_CONTAINED:
        return parser
    from simulator.content.newfile import add_new_command  # `kefu new scenario|persona ID`

    add_new_command(sub, common)
    from simulator.certify.commands import register as register_certification  # exam, results, db, export, verify, keys

    register_certification(sub, common)
    from simulator.desk.commands import register as register_desk  # report, desk, writeup, history

    register_desk(sub, common)
    from simulator.calibrate.commands import register as register_calibration  # calibrate sheet|import|report|…

    register_calibration(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `kefu`; returns the exit status (write errors: see simulator.cliio)."""
    set_language_from_argv(sys.argv[1:] if argv is None else argv)  # before any help text is built
    from simulator.cliio import run_guarded

    return run_guarded(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = build_parser(given[0] if given and given[0] in _SELF_CONTAINED else None).parse_args(argv)
    command = args.command or "play"
    try:
        if getattr(args, "handler", None) is not None:  # commands registered by other modules
            return args.handler(args)
        if command == "play":
            from simulator.tui.launch import play_command

            return play_command(
                scenario=getattr(args, "scenario", None), content_dirs=_content_dirs(args),
                seed=getattr(args, "seed", None), typing=not getattr(args, "no_typing", False),
                exam=getattr(args, "exam", False),
            )
        if command == "run":
            from simulator.engine.replay import run_command

            return run_command(args.scenario, args.replies, seed=args.seed, content_dirs=_content_dirs(args))
        if command == "check":
            from simulator.engine.replay import check_command

            return check_command(args.paths, content_dirs=_content_dirs(args), verbose=args.verbose)
        if command == "lint":
            from simulator.content.lint import lint_command

            if args.fix:
                from simulator.content.fix import fix_command

                return fix_command(args.paths, content_dirs=_content_dirs(args))
            return lint_command(args.paths, content_dirs=_content_dirs(args))
        if command == "graph":
            from simulator.content.graph import graph_command

            return graph_command(args.id, content_dirs=_content_dirs(args))
        if command == "score":
            from scoring.jsonl import eval_command, score_command

            if args.eval:
                if args.file:
                    print(_("kefu score：要么给要评分的文件，要么给 --eval 标注文件，不能两个都给"), file=sys.stderr)
                    return 2
                return eval_command(args.eval)
            return score_command(args.file)
        if command == "rubric":
            from scoring.rubric import render_rubric

            print(render_rubric())
            return 0
        if command == "new":
            from simulator.content.newfile import new_command

            return new_command(args.kind, args.id, args.dir, persona=args.persona, content_dirs=_content_dirs(args))
        if command == "schema":
            from simulator.content.schema import schema_command

            return schema_command(args.out)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    print(_("kefu：没有命令“{command}”").format(command=command), file=sys.stderr)
    return 2
