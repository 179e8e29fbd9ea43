"""Chinese first, English for developers: gettext catalogs, current and complete, and what each language shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from simulator.cli import main
from tools import i18n as catalogs

ROOT = Path(__file__).parents[1]
BROKEN = ROOT / "tests" / "content" / "fixtures" / "broken"


def test_catalogs_are_current_and_every_message_has_an_english_translation(capsys) -> None:
    # Extraction (Babel) of every _() / N_() string matches the shipped .po, each has an msgstr,
    # and each .mo is compiled from its .po. Fix: `python -m tools.i18n`, then translate the new entries.
    assert catalogs.main(["--check"]) == 0, capsys.readouterr().err


def test_translations_keep_every_placeholder() -> None:
    field = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")
    for domain in catalogs.DOMAINS:
        for message in read_po(domain.po("en").open("rb")):
            if message.id:
                assert set(field.findall(message.string)) == set(field.findall(message.id)), message.id


def _lint_broken(capsys) -> str:
    assert main(["lint", str(BROKEN)]) == 1
    return capsys.readouterr().out


@pytest.mark.parametrize("env", [{}, {"LANG": "C.UTF-8"}, {"LANG": "zh_CN.UTF-8"}, {"KEFU_LANG": "zh", "LANG": "en_US.UTF-8"}])
def test_chinese_by_default(monkeypatch: pytest.MonkeyPatch, capsys, env: dict[str, str]) -> None:
    for var in ("KEFU_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert _lint_broken(capsys).splitlines()[-1] == "4 个文件，15 个错误，6 个警告"


@pytest.mark.parametrize("env", [{"KEFU_LANG": "en"}, {"LANG": "en_US.UTF-8"}, {"LANGUAGE": "en_GB:zh"}])
def test_english_for_developers(monkeypatch: pytest.MonkeyPatch, capsys, env: dict[str, str]) -> None:
    for var in ("KEFU_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    out = _lint_broken(capsys)
    assert out.splitlines()[-1] == "4 file(s), 15 error(s), 6 warning(s)"
    assert "unknown predicate 'acceptd_remedy' in conditions; did you mean 'accepted_remedy'?" in out


def test_help_is_chinese_including_argparse_words(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["lint", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：kefu lint [-h] [--content 文件夹] [--fix] [路径 ...]\n")
    assert "\n选项:\n" in out and "显示这段帮助后退出" in out and "\n位置参数:\n" in out
    assert "把每个内容文件的每个问题按 路径:行:列: 说明 列出。" in out


def test_lang_option_gives_english_help(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("KEFU_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    with pytest.raises(SystemExit):
        main(["--lang", "en", "check", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: kefu check [-h] [--content DIR] [-v] [PATH ...]\n")
    assert "show this help message and exit" in out and "print the state and mood after every reply" in out


def test_an_unknown_argparse_choice_is_explained_in_chinese(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["new", "case", "x"])
    assert exc.value.code == 2
    assert "kefu new：错误：参数 scenario|persona：无效的选项：'case'（可选：'persona', 'scenario'）" in capsys.readouterr().err


def test_the_scorer_side_translates_without_importing_simulator() -> None:
    code = ("import sys; from scoring.i18n import _; _('缺少 \\'text\\''); "
            "print(sorted(m for m in sys.modules if m.startswith('simulator')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"
