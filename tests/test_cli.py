"""The `kefu` command's own argument handling (each layer's commands are tested in its folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main

FIXTURES = Path(__file__).parent / "content" / "fixtures"


def _files_line(out: str) -> str:
    return [line for line in out.splitlines() if " 个文件，" in line][-1]


def test_content_before_or_after_the_command_is_the_same(capsys, monkeypatch):
    monkeypatch.delenv("KEFU_CONTENT", raising=False)
    main(["lint"])
    builtin = _files_line(capsys.readouterr().out)
    main(["--content", str(FIXTURES / "override"), "lint"])
    before = _files_line(capsys.readouterr().out)
    main(["lint", "--content", str(FIXTURES / "override")])
    after = _files_line(capsys.readouterr().out)
    assert before == after != builtin  # the trainer's folder was read either way


def test_a_missing_content_folder_is_a_usage_error(capsys):
    assert main(["--content", "/nonexistent/kefu", "lint"]) == 2
    assert "/nonexistent/kefu" in capsys.readouterr().err


def test_score_file_and_eval_together_is_a_usage_error(capsys, tmp_path):
    assert main(["score", str(tmp_path / "a.jsonl"), "--eval", str(tmp_path / "b.jsonl")]) == 2
    assert "不能两个都给" in capsys.readouterr().err


def test_usage_errors_exit_2_with_a_hint(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    # argparse's own words are Chinese too (the zh catalog of the 'argparse' domain).
    # Placeholders are Chinese too (issue 21 §3): no DIR or SEED.
    assert err.startswith("用法：kefu run [-h] [--content 文件夹] --replies 文件 [--seed 种子] 案例\n")
    assert "kefu run：错误：缺少必需的参数：案例, --replies\n（看 “kefu run --help”）" in err


def test_lint_of_a_folder_without_content_is_an_error(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("not content", encoding="utf-8")
    assert main(["lint", str(tmp_path)]) == 2
    assert "里没有内容文件" in capsys.readouterr().err


def test_every_help_placeholder_is_chinese():
    """Issue 21 §3: `--help` shows 文件, 编号, 姓名 … never DIR, ID, NAME, FILE, URL, SEED."""
    import argparse
    import re

    from simulator.cli import build_parser

    english = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif action.option_strings or action.dest != "help":
                shown = parser._get_formatter()._metavar_formatter(action, action.dest.upper() if action.option_strings
                                                                    else action.dest)(1)[0]
                if action.nargs != 0 and isinstance(shown, str) and re.fullmatch(r"[A-Za-z_.|-]+", shown) \
                        and action.choices is None and shown != "scenario|persona":
                    english.append(f"{path} {'/'.join(action.option_strings) or action.dest}: {shown}")

    walk(build_parser(), "kefu")
    assert english == []


def test_score_builds_its_parser_without_the_other_commands(capsys, tmp_path):
    """`kefu score` first: the parser leaves the other modules' commands out (their imports are not paid),
    and what a user sees of it, its help, usage and errors, is what the whole parser gives."""
    import subprocess
    import sys

    from simulator.cli import build_parser

    whole, alone = build_parser(), build_parser("score")
    assert alone.format_usage() == whole.format_usage()
    for parser in (whole, alone):
        with pytest.raises(SystemExit):
            parser.parse_args(["score", "--help"])
    helps = capsys.readouterr().out
    assert helps[:len(helps) // 2] == helps[len(helps) // 2:] and "--eval" in helps
    assert vars(alone.parse_args(["score", "a.jsonl"])) == vars(whole.parse_args(["score", "a.jsonl"]))
    replies = tmp_path / "r.jsonl"
    replies.write_text('{"id": 1, "text": "非常抱歉，马上为您补发"}\n', encoding="utf-8")
    probe = ("import sys; from simulator.cli import main; status = main(['score', sys.argv[1]]); "
             "print(status, 'simulator.certify.commands' in sys.modules, 'simulator.desk.commands' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe, str(replies)], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent, check=True)
    assert done.stdout.splitlines()[-1] == "0 False False"
    assert '"apology": 2' in done.stdout
