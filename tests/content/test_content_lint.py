"""`kefu lint`: cross-references and machine checks, the summary line and the exit codes."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.paths import builtin_root

from content_helpers import FIXTURES, where

BROKEN = FIXTURES / "broken"
TANGLED = BROKEN / "personas" / "tangled.yaml"
ORPHAN = BROKEN / "scenarios" / "orphan.yaml"
BAD_EXAMPLES = BROKEN / "scenarios" / "bad-examples.yaml"


@pytest.fixture(scope="module")
def broken_output() -> tuple[int, str]:
    """`kefu lint` of the broken fixtures, run once for the module."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["lint", str(BROKEN)])
    assert err.getvalue() == ""
    return code, out.getvalue()


def test_clean_content_exits_0(capsys) -> None:
    code = main(["lint", str(FIXTURES / "good"), str(FIXTURES / "flat")])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == "5 个文件，0 个错误，0 个警告\n"


def test_problems_exit_1_with_a_summary(broken_output) -> None:
    code, out = broken_output
    assert code == 1
    assert out.splitlines()[-1] == "4 个文件，15 个错误，6 个警告"


def test_a_path_that_does_not_exist_exits_2(capsys) -> None:
    assert main(["lint", "no/such/folder"]) == 2
    assert "找不到文件或文件夹：no/such/folder" in capsys.readouterr().err


def test_a_content_dir_that_does_not_exist_exits_2(capsys) -> None:
    assert main(["lint", "--content", "no/such/dir"]) == 2
    assert "内容文件夹“no/such/dir”不存在" in capsys.readouterr().err


def test_scenario_referencing_a_missing_persona(broken_output) -> None:
    _, out = broken_output
    assert f"{where(ORPHAN, 'nobody')}: 找不到顾客类型（persona）“nobody”" in out


def test_unknown_predicate_with_did_you_mean(broken_output) -> None:
    _, out = broken_output
    assert (
        f"{where(TANGLED, 'acceptd_remedy')}: conditions 里的条件名“acceptd_remedy”不存在；"
        "是不是想写“accepted_remedy”？"
    ) in out


def test_unknown_destination_state(broken_output) -> None:
    _, out = broken_output
    assert f"{where(TANGLED, 'resovled')}: 目标状态“resovled”不是这台状态机的状态；是不是想写“resolved”？" in out


def test_unreachable_state_is_a_warning(broken_output) -> None:
    code, out = broken_output
    assert f"{where(TANGLED, 'forgotten')}: 警告：状态“forgotten”到不了" in out


def test_dead_end_is_a_warning(broken_output) -> None:
    _, out = broken_output
    assert f"{where(TANGLED, 'sulking')}: 警告：死胡同：状态“sulking”不是终止状态" in out


def test_final_state_with_an_outgoing_transition(broken_output) -> None:
    _, out = broken_output
    assert f"{where(TANGLED, 'resolved, dest: arguing')}: 终止状态“resolved”（结局 resolved）还有转出的转换" in out


def test_outcome_no_example_reaches(broken_output) -> None:
    _, out = broken_output
    assert f"{where(TANGLED, 'abandoned')}: 警告：用顾客类型“tangled”的案例（" in out and "没有示例走到结局“abandoned”（状态“gone”）" in out


def test_examples_lines_and_ids_are_checked(broken_output) -> None:
    _, out = broken_output
    quoted_reply = where(BAD_EXAMPLES, '"[45s]')
    expected = [
        f"{where(BAD_EXAMPLES, 'sulkng')}: 示例“wrong state”：状态“sulkng”不是顾客类型“tangled”的状态；"
        "是不是想写“sulking”？",
        f"{where(BAD_EXAMPLES, 'escalated')}: 示例“impossible outcome”期望结局“escalated”，但顾客类型“tangled”"
        "不会以它结束（可能的结局：resolved、abandoned、unfinished）",
        f"{quoted_reply}: 示例“wrong state”：看不懂时间前缀 [45s]：请写成 [+45s]",
        f"{where(BAD_EXAMPLES, 'sulkin:')}: 台词池“sulkin”既不是顾客类型“tangled”的状态，也不是事件；"
        "是不是想写“sulking”？",
        f"{where(BAD_EXAMPLES, '我的订单')}: 警告：占位符 {{order_numbr}} 不是这个案例的事实 topic；"
        "是不是想写“order_number”？",
        f"{where(BAD_EXAMPLES, 'order_number', 2)}: 事实 topic“order_number”重复了（第一次在第 9 行）",
        f"{where(BAD_EXAMPLES, '订单{')}: 警告：问题的 complaint里的占位符 {{order_number}} 不会被填上",
    ]
    for message in expected:
        assert message in out


def test_warnings_alone_exit_0(tmp_path: Path, capsys) -> None:
    personas = tmp_path / "personas"
    personas.mkdir()
    text = (FIXTURES / "good" / "personas" / "grumpy.yaml").read_text(encoding="utf-8")
    (personas / "grumpy.yaml").write_text(text.replace("    - name: gone\n", "    - name: lonely\n    - name: gone\n"),
                                          encoding="utf-8")
    code = main(["lint", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "警告：状态“lonely”到不了" in out
    assert out.splitlines()[-1] == "1 个文件，0 个错误，1 个警告"


def test_duplicate_ids_in_one_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "personas").mkdir()
    source = FIXTURES / "good" / "personas" / "grumpy.yaml"
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / "personas" / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["lint", str(tmp_path)])
    out, _ = capsys.readouterr()
    second = tmp_path / "personas" / "b.yaml"
    assert code == 1
    assert f"{where(second, 'grumpy')}: 顾客类型（persona） id“grumpy”重复了：{tmp_path / 'personas' / 'a.yaml'}:" in out


def _has_builtin_scenarios() -> bool:
    return any((builtin_root() / "scenarios").glob("[!_]*.yaml"))


@pytest.mark.skipif(not _has_builtin_scenarios(), reason="scenarios/ has no built-in cases yet")
def test_builtin_content_is_clean(capsys) -> None:
    code = main(["lint"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert "，0 个错误，" in out.splitlines()[-1]


def test_a_single_file_is_checked_against_the_content_in_use(tmp_path: Path, capsys) -> None:
    from simulator.content.library import load_library

    builtin_personas = sorted(load_library(strict=False).personas)
    if not builtin_personas:
        pytest.skip("no built-in personas yet")
    text = (FIXTURES / "override" / "scenarios" / "wig-wrong-color.yaml").read_text(encoding="utf-8")
    case = tmp_path / "my-case.yaml"  # not in a scenarios/ folder: its keys say it is a scenario
    case.write_text(text.replace("id: wig-wrong-color", "id: my-case")
                    .replace("persona: grumpy", f"persona: {builtin_personas[0]}"), encoding="utf-8")
    assert main(["lint", str(case)]) == 0
    # No errors; a warning only that the case has no lines of its own for its persona's states.
    assert capsys.readouterr().out.splitlines()[-1] in ("1 个文件，0 个错误，0 个警告", "1 个文件，0 个错误，1 个警告")


def test_a_file_in_the_wrong_folder(tmp_path: Path, capsys) -> None:
    misplaced = tmp_path / "personas" / "case.yaml"
    misplaced.parent.mkdir()
    misplaced.write_text((FIXTURES / "good" / "scenarios" / "parcel-missing.yaml").read_text(encoding="utf-8"),
                         encoding="utf-8")
    assert main(["lint", str(tmp_path)]) == 1
    assert (f"{misplaced}:1:1: 这个文件看起来是案例（scenario），但因为所在文件夹被当作顾客类型（persona）来读；"
            "请把它移到 scenarios/ 文件夹") in capsys.readouterr().out


def test_lint_reads_kefu_content(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("KEFU_CONTENT", str(BROKEN))
    assert main(["lint"]) == 1
    assert f"{where(ORPHAN, 'nobody')}: 找不到顾客类型（persona）“nobody”" in capsys.readouterr().out


def test_example_time_prefixes_are_checked_like_kefu_run(tmp_path, capsys):
    # The same reply format as `kefu run` files (simulator.content.vocabulary): what run refuses, lint reports.
    import shutil

    from simulator.cli import main

    src = Path(__file__).parent.parent.parent / "scenarios" / "wig-wrong-color.yaml"
    (tmp_path / "scenarios").mkdir()
    text = src.read_text(encoding="utf-8")
    first = text.index("    replies:\n") + len("    replies:\n")
    bad = '      - "[+-5s] 你好"\n      - "[+45s]"\n      - "[+999999s] 抱歉"\n'
    (tmp_path / "scenarios" / "wig-wrong-color.yaml").write_text(text[:first] + bad + text[first:], encoding="utf-8")
    shutil.copytree(src.parent.parent / "personas", tmp_path / "personas")
    assert main(["lint", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "看不懂时间前缀 [+-5s]" in out
    assert "时间前缀 [+45s] 后面没有回复内容" in out
    assert "时间前缀 [+999999s] 太长" in out


def test_lint_warns_when_a_state_has_no_case_lines(capsys):
    """Issue 8 §5: a state without the case's own lines falls back to the persona's generic lines."""
    from simulator.content.library import load_library
    from simulator.content.lint import lint_library

    fixtures = Path(__file__).parents[1] / "engine" / "fixtures"
    library = load_library([fixtures], include_env=False)
    warnings = [p for p in lint_library(library) if not p.is_error and "engine-wig.yaml" in str(p.path)]
    texts = [p.message for p in warnings]
    assert any("listening" in t and "closing" in t and "通用台词" in t for t in texts)
    assert not any("disappointed、" in t or " disappointed " in t for t in texts)  # the fixture has its lines
    builtin = [p for p in lint_library(load_library(include_env=False)) if "通用台词" in p.message]
    assert builtin == []  # every built-in case has its own lines for every state
