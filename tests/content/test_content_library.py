"""load_library: built-ins plus a trainer's folders, overriding by id; ContentError when broken."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.library import ContentError, load_library
from simulator.content.problems import Problem

from content_helpers import FIXTURES

GOOD = FIXTURES / "good"
OVERRIDE = FIXTURES / "override"
OVERRIDE_FILE = OVERRIDE / "scenarios" / "wig-wrong-color.yaml"


def test_extra_dirs_add_personas_scenarios_and_quick_replies() -> None:
    library = load_library([GOOD], strict=False)
    assert "grumpy" in library.personas and "parcel-missing" in library.scenarios
    assert library.source_of("parcel-missing") == GOOD / "scenarios" / "parcel-missing.yaml"
    assert library.source_of("grumpy") == GOOD / "personas" / "grumpy.yaml"
    labels = [q.label for q in library.quick_replies]
    assert "道歉" in labels and "询问" in labels
    assert library.persona_of("parcel-missing").id == "grumpy"


def test_a_trainer_file_overrides_a_builtin_by_id() -> None:
    library = load_library([GOOD, OVERRIDE], strict=False)
    assert library.scenarios["wig-wrong-color"].title == "培训师版：假发颜色不对"
    assert library.source_of("wig-wrong-color") == OVERRIDE_FILE


def test_override_through_kefu_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_CONTENT", os.pathsep.join([str(GOOD), str(OVERRIDE)]))
    library = load_library(strict=False)
    assert library.source_of("wig-wrong-color") == OVERRIDE_FILE
    assert library.scenarios["wig-wrong-color"].persona == "grumpy"
    assert load_library(include_env=False, strict=False).source_of("wig-wrong-color") != OVERRIDE_FILE


def test_command_line_content_wins_over_kefu_content(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    mine = tmp_path / "scenarios" / "wig-wrong-color.yaml"
    mine.parent.mkdir()
    mine.write_text(OVERRIDE_FILE.read_text(encoding="utf-8").replace("培训师版", "命令行版"), encoding="utf-8")
    monkeypatch.setenv("KEFU_CONTENT", os.pathsep.join([str(GOOD), str(OVERRIDE)]))
    library = load_library([tmp_path], strict=False)
    assert library.scenarios["wig-wrong-color"].title.startswith("命令行版")


def test_override_via_the_cli(capsys) -> None:
    # The overriding scenario uses persona 'grumpy', so its graph is grumpy's machine.
    code = main(["graph", "wig-wrong-color", "--content", str(GOOD), "--content", str(OVERRIDE)])
    assert code == 0
    assert "title: grumpy — 暴躁型客户" in capsys.readouterr().out


def test_broken_content_raises_content_error_listing_problems() -> None:
    with pytest.raises(ContentError) as info:
        load_library([FIXTURES / "broken"])
    text = str(info.value)
    assert "找不到顾客类型（persona）“nobody”" in text
    assert "案例（scenario） 里没有字段“opning”" in text
    assert all(isinstance(p, Problem) for p in info.value.problems)


def test_non_strict_returns_what_loaded_plus_problems() -> None:
    library = load_library([FIXTURES / "broken"], strict=False)
    assert "tangled" in library.personas and "orphan" in library.scenarios
    assert "typos" not in library.scenarios
    assert any("opning" in p.message for p in library.errors)


def test_a_missing_content_dir_is_a_content_error() -> None:
    with pytest.raises(ContentError, match="内容文件夹“nowhere”不存在"):
        load_library([Path("nowhere")], strict=False)


def test_a_flat_folder_of_yaml_files_is_sorted_by_keys() -> None:
    library = load_library([FIXTURES / "flat"], strict=False)
    assert library.personas["calm-buyer"].name == "平静型客户"
    assert library.scenarios["flat-case"].persona == "calm-buyer"


def test_problem_format() -> None:
    assert str(Problem(Path("a.yaml"), 3, 5, "bad")) == "a.yaml:3:5: bad"
    assert str(Problem(Path("a.yaml"), 3, 5, "hmm", "warning")) == "a.yaml:3:5: 警告：hmm"


def test_builtin_quick_replies_are_loaded() -> None:
    from simulator.content.paths import builtin_root

    if not (builtin_root() / "scenarios" / "_quick_replies.yaml").exists():
        pytest.skip("no built-in quick replies yet")
    replies = load_library(strict=False).quick_replies
    assert replies and all(q.label and q.text for q in replies)
    assert str(replies[0]) == replies[0].text
