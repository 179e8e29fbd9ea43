"""Each deliberate mistake a trainer makes gets a Chinese message at path:line:col saying how to fix it.

The files start from a built-in scenario or persona (the way a trainer works: copy, then edit) and
introduce one mistake; the test asserts the exact line and the instruction a trainer reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.library import ContentError, load_library
from simulator.content.loader import load_file
from simulator.content.paths import builtin_root

WIG = builtin_root() / "scenarios" / "wig-wrong-color.yaml"
DISAPPOINTED = builtin_root() / "personas" / "disappointed.yaml"


def _edited(tmp_path: Path, source: Path, old: str, new: str, folder: str | None = None) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / (folder or source.parent.name) / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


def _messages(path: Path) -> list[str]:
    return [str(p) for p in load_file(path).problems]


def test_over_indented_key_says_align_with_the_previous_key(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "    summary: 深棕色发成了浅棕色", "     summary: 深棕色发成了浅棕色")
    line = _line_of(path, "     summary: 深棕色")
    assert _messages(path) == [
        f"{path}:{line}:1: 缩进不对：这一行应与上一行的 `keywords` 对齐（行首 4 个空格，现在是 5 个）"
    ]


def test_under_indented_key_says_align_with_the_previous_key(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "    summary: 包裹晚到了三天", "   summary: 包裹晚到了三天")
    line = _line_of(path, "   summary: 包裹晚到了三天")
    assert _messages(path) == [
        f"{path}:{line}:1: 缩进不对：这一行应与上一行的 `keywords` 对齐（行首 4 个空格，现在是 3 个）"
    ]


def test_a_tab_in_the_indentation(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "  reluctant: [refund, escalate]", "\treluctant: [refund, escalate]")
    line = _line_of(path, "\treluctant")
    assert _messages(path) == [
        f"{path}:{line}:1: 这一行用 Tab 键缩进了：YAML 只认空格。请把行首的 Tab 换成空格（和上一行对齐）"
    ]


def test_full_width_colon_is_named_on_its_own_line(tmp_path: Path) -> None:
    # The parser itself only notices on the next line; the trainer must be sent to this one.
    path = _edited(tmp_path, WIG, "difficulty: 2", "difficulty：2")
    line = _line_of(path, "difficulty：2")
    assert _messages(path) == [
        f"{path}:{line}:11: 这里用了全角冒号“：”，请改成半角“:”（冒号后面再加一个空格），例如 `difficulty: …`"
    ]


def test_full_width_colon_inside_a_list_item(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "  - topic: photo", "  - topic：photo")
    line = _line_of(path, "topic：photo")
    assert _messages(path) == [
        f"{path}:{line}:10: 这里用了全角冒号“：”，请改成半角“:”（冒号后面再加一个空格），例如 `topic: …`"
    ]


def test_full_width_colon_inside_a_flow_mapping(tmp_path: Path) -> None:
    path = _edited(tmp_path, DISAPPOINTED, "{name: listening, label: 愿意沟通}", "{name: listening, label：愿意沟通}")
    line = _line_of(path, "label：愿意沟通")
    assert _messages(path) == [
        f"{path}:{line}:30: 这里用了全角冒号“：”，请改成半角“:”（冒号后面再加一个空格），例如 `label: …`"
    ]


def test_full_width_commas_in_a_keyword_list(tmp_path: Path) -> None:
    # Without the check, "订单号，订单编号，单号" would be one keyword that no reply ever contains.
    path = _edited(tmp_path, WIG, "keywords: [订单号, 订单编号, 单号, 哪一单, 订单信息]", "keywords: [订单号，订单编号，单号]")
    line = _line_of(path, "[订单号，订单编号")
    assert _messages(path) == [
        f"{path}:{line}:19: keywords 列表里用了全角逗号“，”：YAML 会把“订单号，订单编号，单号”当成一项。"
        "请改成半角逗号“,”，例如 [订单号, 单号]"
    ]


def test_a_full_width_colon_in_chinese_text_is_fine(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "summary: 顾客在店里", "summary: 情况：顾客在店里")
    assert _messages(path) == []


def test_full_width_brackets_around_a_list(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "  refuses: [instructions]", "  refuses: ［instructions］")
    line = _line_of(path, "refuses: ［")
    assert _messages(path) == [
        f"{path}:{line}:12: 这里用了全角方括号“［”，请改成半角“[”和“]”（列表要用半角方括号），例如 [订单号, 单号]"
    ]


def test_full_width_quotes_around_a_value_with_a_colon(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "title: 假发发错颜色，还晚到了三天", "title: “假发: 发错颜色”")
    line = _line_of(path, "title: “")
    assert _messages(path) == [
        f"{path}:{line}:8: 这里用了全角引号 “ ：YAML 不把它当作引号。要给值加引号，请改成半角 \"…\""
    ]


def test_unquoted_time_prefix_in_a_list(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, '      - "[+130s] 亲，在的，请问有什么可以帮您？"', "      - [+130s] 亲，在的，请问有什么可以帮您？")
    line = _line_of(path, "- [+130s]")
    assert _messages(path) == [
        f"{path}:{line}:9: 以 [+130s] 开头的回复要加引号：不加引号时 YAML 会把方括号读成列表。"
        "请写成 - \"[+130s] 亲，在的，请问有什么可以帮您？\""
    ]


def test_yes_and_no_read_as_true_and_false(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "    keywords: [订单号, 订单编号, 单号, 哪一单, 订单信息]", "    keywords: [订单号, no]")
    line = _line_of(path, "[订单号, no]")
    assert _messages(path) == [
        f"{path}:{line}:21: facts[0].keywords[1]：应当是文字，这里却是“no”——YAML 把它读成了真假值 false；"
        "要写文字“no”，请加引号：\"no\""
    ]


def test_an_unclosed_bracket_points_at_the_bracket(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "  refuses: [instructions]", "  refuses: [instructions")
    line = _line_of(path, "refuses: [instructions")
    assert _messages(path) == [
        f"{path}:{line}:12: 这里的“[”没有配对的“]”：请补上“]”；如果这是一段文字，请给整段加上半角引号：\"…\""
    ]


# --- one source of truth: what lint reports as an error, loading reports too --------------------


def _load_error(tmp_path: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_library([tmp_path], include_env=False)
    return str(caught.value)


def test_predicate_typo_is_a_load_error_at_its_line(tmp_path: Path) -> None:
    path = _edited(tmp_path, DISAPPOINTED, "conditions: [lost_patience]", "conditions: [lost_patiense]")
    line = _line_of(path, "[lost_patiense]")
    col = path.read_text(encoding="utf-8").splitlines()[line - 1].index("lost_patiense") + 1
    assert (f"{path}:{line}:{col}: conditions 里的条件名“lost_patiense”不存在；是不是想写“lost_patience”？"
            "（可用的条件名见 docs/authoring.md“条件名”一节）") in _load_error(tmp_path)


def test_trigger_typo_is_a_load_error_at_its_line(tmp_path: Path) -> None:
    path = _edited(tmp_path, DISAPPOINTED, "{trigger: timeout,", "{trigger: timout,")
    line = _line_of(path, "timout")
    assert f"{path}:{line}:17: 不认识的触发事件（trigger）“timout”；是不是想写“timeout”？；只能写：reply、timeout" in _load_error(tmp_path)


def test_pool_typo_in_a_persona_is_a_load_error(tmp_path: Path) -> None:
    path = _edited(tmp_path, DISAPPOINTED, "  nudge:\n", "  nugde:\n")
    line = _line_of(path, "  nugde:")
    assert f"{path}:{line}:3: 台词池“nugde”既不是这个顾客类型的状态，也不是事件；是不是想写“nudge”？" in _load_error(tmp_path)


def test_pool_typo_in_a_scenario_is_a_load_error(tmp_path: Path) -> None:
    path = _edited(tmp_path, WIG, "lines:\n  disappointed:", "lines:\n  dissapointed:")
    line = _line_of(path, "  dissapointed:")
    assert (f"{path}:{line}:3: 台词池“dissapointed”既不是顾客类型“disappointed”的状态，也不是事件；"
            "是不是想写“disappointed”？") in _load_error(tmp_path)


def test_a_predicate_typo_stops_kefu_run_before_any_chat(tmp_path: Path, capsys) -> None:
    path = _edited(tmp_path, DISAPPOINTED, "conditions: [lost_patience]", "conditions: [lost_patiense]")
    replies = tmp_path / "replies.txt"
    replies.write_text("您好\n", encoding="utf-8")
    assert main(["run", "wig-wrong-color", "--replies", str(replies), "--content", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("内容中有 1 处错误：") and f"{path}:{_line_of(path, '[lost_patiense]')}:" in err


def test_loading_and_lint_report_the_same_errors(capsys) -> None:
    from simulator.content.library import load_roots
    from simulator.content.lint import lint_library
    from tests.content.content_helpers import FIXTURES

    library = load_roots([builtin_root(), FIXTURES / "broken"])
    linted = lint_library(library)
    assert {str(p) for p in linted if p.is_error} == {str(p) for p in library.errors}
    assert any(not p.is_error for p in linted)  # lint only adds warnings


def test_loading_does_not_import_lint() -> None:
    # The library <-> lint cycle is broken: loading builds on checks.py; lint builds on the library.
    import subprocess
    import sys

    code = ("import sys; from simulator.content.library import load_library; load_library(include_env=False);"
            " print('simulator.content.lint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_resolved_by_written_as_one_word_as_the_guide_words_it(tmp_path: Path) -> None:
    """Issue 21 §2: `resolved_by: apology` (one word) means the same as `[apology]`."""
    source = builtin_root() / "scenarios" / "canned-replies-urge.yaml"
    text = source.read_text(encoding="utf-8")
    assert "resolved_by: [apology]" in text
    path = _edited(tmp_path, source, "resolved_by: [apology]", "resolved_by: apology")
    loaded = load_file(path)
    assert loaded.problems == []
    issues = [i for i in loaded.model.issues if i.resolved_by == ["apology"]]
    assert issues, "the one-word form is read as a list of one"


@pytest.mark.parametrize("old,new,needle,key", [
    ("title: 假发", "title:假发", "title:假发", "title"),
    ("  - topic: order_number", "  - topic:order_number", "topic:order_number", "topic"),
])
def test_a_colon_with_no_space_after_it_is_named_as_such(tmp_path: Path, old, new, needle, key) -> None:
    """Issue 21 §2: `title:七天` is not "a missing colon" — the space after the colon is missing."""
    path = _edited(tmp_path, WIG, old, new)
    line = _line_of(path, needle)
    col = path.read_text(encoding="utf-8").splitlines()[line - 1].index(":") + 2
    assert _messages(path) == [
        f"{path}:{line}:{col}: “{key}:”后面少了一个空格：字段要写成 `{key}: 值`（半角冒号后面加一个空格）"
    ]


def test_keywords_written_as_regular_expressions_are_warned_about(tmp_path: Path, capsys) -> None:
    """Issue 21 §2: keywords are plain words; `订单.*号` or `单号|编号` would silently never match."""
    path = _edited(tmp_path, WIG, "keywords: [订单号, 订单编号", 'keywords: [订单号, "订单.*号", "单号|编号", 订单编号')
    assert main(["lint", str(path)]) == 0  # warnings only: the file still plays
    out = capsys.readouterr().out
    line = _line_of(path, '"订单.*号"')
    assert f"{path}:{line}:" in out
    assert "关键词“订单.*号”看起来像正则表达式" in out and "关键词“单号|编号”看起来像正则表达式" in out
    assert out.splitlines()[-1] == "1 个文件，0 个错误，2 个警告"


def test_plain_keywords_with_punctuation_are_not_warned_about(tmp_path: Path, capsys) -> None:
    path = _edited(tmp_path, WIG, "keywords: [订单号, 订单编号", "keywords: [订单号, 订单编号?, 单号（编号）, 订单编号")
    assert main(["lint", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 个文件，0 个错误，0 个警告"
