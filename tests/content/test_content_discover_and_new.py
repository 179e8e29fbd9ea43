"""`kefu lint FILE` / `kefu check DIR` find their content folder; `kefu new` writes starters that run."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.discover import content_root_of
from simulator.content.newfile import starter_text


def _new(tmp_path: Path, capsys, *args: str) -> str:
    assert main(["new", *args, "--dir", str(tmp_path / "my_content")]) == 0
    return capsys.readouterr().out


@pytest.fixture
def my_content(tmp_path: Path, capsys) -> Path:
    """A trainer's folder as the guide builds it: a new persona and a case it plays."""
    _new(tmp_path, capsys, "persona", "impatient-boss")
    _new(tmp_path, capsys, "scenario", "phone-case-cracked", "--persona", "impatient-boss")
    return tmp_path / "my_content"


def test_content_root_of_a_file_a_subfolder_and_the_folder(my_content: Path) -> None:
    for path in (my_content / "scenarios" / "phone-case-cracked.yaml", my_content / "scenarios", my_content):
        assert content_root_of(path) == my_content
    assert content_root_of(my_content.parent) is None


def test_check_a_scenarios_folder_finds_the_personas_next_to_it(my_content: Path, capsys) -> None:
    assert main(["check", str(my_content / "scenarios")]) == 0
    out = capsys.readouterr().out
    assert "通过 phone-case-cracked::诚恳道歉，补发加代金券" in out
    assert out.splitlines()[-1] == "3 个通过，0 个失败"


def test_check_one_file_needs_no_content_option(my_content: Path, capsys) -> None:
    assert main(["check", str(my_content / "scenarios" / "phone-case-cracked.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 个通过，0 个失败"


def test_lint_one_file_loads_its_neighbours(my_content: Path, capsys) -> None:
    assert main(["lint", str(my_content / "scenarios" / "phone-case-cracked.yaml")]) == 0
    assert capsys.readouterr().out == "1 个文件，0 个错误，0 个警告\n"


def test_new_starters_lint_clean(my_content: Path, capsys) -> None:
    assert main(["lint", str(my_content)]) == 0
    assert capsys.readouterr().out == "2 个文件，0 个错误，0 个警告\n"


def test_new_scenario_alone_plays_the_builtin_persona(tmp_path: Path, capsys) -> None:
    out = _new(tmp_path, capsys, "scenario", "first-case")
    target = tmp_path / "my_content" / "scenarios" / "first-case.yaml"
    assert out.splitlines()[0] == f"已写好 {target}"
    assert "persona: disappointed" in target.read_text(encoding="utf-8")
    assert main(["check", str(target)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 个通过，0 个失败"


def test_every_starter_line_with_a_field_is_commented_in_chinese() -> None:
    text = starter_text("scenario", "x")
    assert text.count("# ") >= 20 and "# 唯一的 id" in text
    assert "# 心情：0 平静 … 100 暴怒" in starter_text("persona", "x")


def test_new_never_overwrites(my_content: Path, capsys) -> None:
    assert main(["new", "persona", "impatient-boss", "--dir", str(my_content)]) == 1
    assert "已经存在，没有覆盖它" in capsys.readouterr().err


def test_new_refuses_a_bad_id(tmp_path: Path, capsys) -> None:
    assert main(["new", "scenario", "手机壳", "--dir", str(tmp_path)]) == 2
    assert "id“手机壳”不行：只能用小写字母、数字、连字符和下划线" in capsys.readouterr().err
    assert not (tmp_path / "scenarios").exists()


@pytest.mark.parametrize("persona", ["disappointed", "venting", "stubborn", "extortion", "my-own"])
def test_a_new_case_for_any_persona_lints_clean_and_passes_check(tmp_path: Path, capsys, persona: str) -> None:
    """Issue 21 §2: the starter writes lines for that persona's own states, and its examples hold for it."""
    if persona == "my-own":
        _new(tmp_path, capsys, "persona", "my-own")
        text = (tmp_path / "my_content" / "personas" / "my-own.yaml").read_text(encoding="utf-8")
        # A trainer's persona with its own state names: rename one state everywhere.
        (tmp_path / "my_content" / "personas" / "my-own.yaml").write_text(
            text.replace("listening", "hearing_out"), encoding="utf-8")
    _new(tmp_path, capsys, "scenario", "case-one", "--persona", persona)
    case = tmp_path / "my_content" / "scenarios" / "case-one.yaml"
    assert main(["lint", str(case)]) == 0
    assert capsys.readouterr().out.endswith("0 个错误，0 个警告\n")
    assert main(["check", str(case)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 个通过，0 个失败"


def test_a_new_case_for_a_persona_nobody_wrote_says_how_to_get_one(tmp_path: Path, capsys) -> None:
    assert main(["new", "scenario", "x", "--persona", "nosuch", "--dir", str(tmp_path)]) == 2
    assert "没有顾客类型“nosuch”" in capsys.readouterr().err
    assert not (tmp_path / "scenarios").exists()
