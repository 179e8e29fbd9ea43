"""The `kefu` command: parses arguments and hands over to the layers below.

Heavy modules (Textual, jieba, the engine) are imported inside each command so that
`kefu --help` and `kefu lint` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DESCRIPTION = """\
kefu (客服) — 客服培训模拟器 / a training simulator for customer-service staff.

Practise against scripted angry customers, author your own cases in YAML, and get every
point of your score explained. Runs offline.

commands:
  play [SCENARIO]        open the trainer (the default when no command is given)
  run SCENARIO --replies FILE [--seed N]
                         play a scenario with no screen; prints one JSON document
  check [PATH ...]       run every scenario's examples like tests
  lint [PATH ...]        check content files; problems as path:line:col
  graph ID               print a persona's (or scenario's) state machine as Mermaid
  score [FILE]           analyse trainee replies given as JSON lines (stdin when no FILE)
  rubric                 print what is graded and how
  schema [--out DIR]     write the JSON Schemas for content files (for editors)
  exam list|show|start|run   certification exams (start: the trainer in exam mode)
  results [--exam ID] [--trainee NAME] [--format table|csv|json]
                         list exam attempts
  export ATTEMPT --out FILE / verify FILE / keys init / db upgrade
                         checkable results and the records database (--db URL or $KEFU_DB)

content: the built-in personas and scenarios, plus folders given with --content DIR
(repeatable) or in $KEFU_CONTENT (separated by '%s'); a trainer's file overrides a built-in
one with the same id.
""" % os.pathsep


class _Parser(argparse.ArgumentParser):
    """Usage errors exit with status 2 and a one-line hint, never a traceback."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def _content_dirs(args: argparse.Namespace) -> list[Path]:
    # --content may stand before the command (`kefu --content DIR play`) or after it.
    given = (getattr(args, "top_content", None) or []) + (getattr(args, "content", None) or [])
    return [Path(p) for p in given]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `kefu` command."""
    parser = _Parser(
        prog="kefu", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version="kefu 0.1.0")
    # Its own dest: a subcommand's default for --content would otherwise overwrite this one.
    parser.add_argument(
        "--content", action="append", metavar="DIR", dest="top_content",
        help="extra content folder (repeatable); also accepted after the command",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--content", action="append", metavar="DIR",
        help="extra content folder with personas/ and scenarios/ (repeatable; overrides built-ins by id)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("play", parents=[common], help="open the trainer (default)",
                       description="Open the practice room. With SCENARIO, go straight to the chat.")
    p.add_argument("scenario", nargs="?", help="scenario id, e.g. wig-wrong-color")
    p.add_argument("--seed", type=int, default=None, help="seed for the customer's lines (default: random)")
    p.add_argument("--no-typing", action="store_true", help="show customer lines at once (no 正在输入… pause)")
    p.add_argument("--exam", action="store_true", help="exam mode: no coaching after each reply")

    p = sub.add_parser("run", parents=[common], help="play a scenario with no screen (JSON out)",
                       description=(
                           "Play SCENARIO with the trainee replies in FILE, one reply a line ('-' for stdin). "
                           "A line may begin with '[+45s]' to say the trainee took 45 seconds (default 15 s; at most 24 h). "
                           "Blank lines and lines starting with '#' are skipped. Prints one JSON document: "
                           "scenario, seed, outcome, policy_breach, turns and scorecard. "
                           "回复文件最大 1 MB；全角的［＋45ｓ］、【+45s】也算时间前缀；"
                           "FILE 是命名管道（FIFO）时会一直等到有程序向它写入。"))
    p.add_argument("scenario", help="scenario id")
    p.add_argument("--replies", required=True, metavar="FILE", help="trainee replies, one a line")
    p.add_argument("--seed", type=int, default=0, help="seed (default 0)")

    p = sub.add_parser("check", parents=[common], help="run the scenarios' examples like tests",
                       description="Run every example conversation of the scenarios in use (or in PATHs) "
                                   "and report pass/fail; on failure, the first differing turn.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders (default: all in use)")
    p.add_argument("-v", "--verbose", action="store_true", help="print every turn of failing examples")

    p = sub.add_parser("lint", parents=[common], help="check content files",
                       description="Report every problem in every content file as path:line:col: message. "
                                   "Warnings are printed but do not fail. Exit 0 when there are no errors, 1 when there are, "
                                   "2 on usage errors (a path that does not exist or holds no content).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: all content in use)")

    p = sub.add_parser("graph", parents=[common], help="print a state machine as a Mermaid diagram",
                       description="Print the state machine of persona ID (or of the persona of scenario ID) "
                                   "as a Mermaid stateDiagram-v2.")
    p.add_argument("id", help="persona or scenario id")

    p = sub.add_parser("score", help="analyse replies given as JSON lines",
                       description=(
                           'Read JSON lines {"id": ..., "text": ..., "context": {...}} (id and context optional) '
                           "from FILE or stdin; write one JSON line per input line with apology, empathy, question, "
                           "solution (0-2), violations and evidence. A malformed line gives {\"id\":…, \"error\":…} "
                           "and processing goes on; exit 1 if any line failed. With --eval FILE, compare with "
                           "labels and print precision, recall and F1. "
                           "每行最大 1 MB（--eval 文件最大 64 MB）；FILE 是命名管道（FIFO）时会一直等到有程序向它写入。"))
    p.add_argument("file", nargs="?", help="JSON lines file (default: stdin)")
    p.add_argument("--eval", metavar="LABELLED", help="evaluate against a labelled JSON lines file")

    sub.add_parser("rubric", help="print what is graded and how", description="Print the grading rubric.")

    p = sub.add_parser("schema", help="write JSON Schemas for content files",
                       description="Write persona.schema.json and scenario.schema.json for editors.")
    p.add_argument("--out", default=None, metavar="DIR", help="folder to write to (default: print persona+scenario)")
    from simulator.certify.commands import register as register_certification  # exam, results, db, export, verify, keys

    register_certification(sub, common)
    from simulator.desk.commands import register as register_desk  # report, desk, writeup, history

    register_desk(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `kefu`; returns the exit status (write errors: see simulator.cliio)."""
    from simulator.cliio import run_guarded

    return run_guarded(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
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

            return lint_command(args.paths, content_dirs=_content_dirs(args))
        if command == "graph":
            from simulator.content.graph import graph_command

            return graph_command(args.id, content_dirs=_content_dirs(args))
        if command == "score":
            from scoring.jsonl import eval_command, score_command

            if args.eval:
                if args.file:
                    print("kefu score: give either FILE to score or --eval LABELLED, not both", file=sys.stderr)
                    return 2
                return eval_command(args.eval)
            return score_command(args.file)
        if command == "rubric":
            from scoring.rubric import render_rubric

            print(render_rubric())
            return 0
        if command == "schema":
            from simulator.content.schema import schema_command

            return schema_command(args.out)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    print(f"kefu: unknown command {command!r}", file=sys.stderr)
    return 2
