"""Loading single files: every problem a trainer can make shows as path:line:col with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.content.loader import MAX_BYTES, load_file
from simulator.content.models import Persona, Scenario

from content_helpers import FIXTURES, where

TYPOS = FIXTURES / "broken" / "scenarios" / "typos.yaml"
TANGLED = FIXTURES / "broken" / "personas" / "tangled.yaml"


def lint_output(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str, str]:
    code = main(["lint", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def messages(path: Path) -> list[str]:
    return [str(p) for p in load_file(path).problems]


def write(tmp_path: Path, name: str, content: str | bytes, folder: str = "scenarios") -> Path:
    target = tmp_path / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return target


def test_good_files_load_into_models() -> None:
    persona = load_file(FIXTURES / "good" / "personas" / "grumpy.yaml")
    scenario = load_file(FIXTURES / "good" / "scenarios" / "parcel-missing.yaml")
    assert persona.ok and isinstance(persona.model, Persona) and persona.model.machine.initial == "venting"
    assert scenario.ok and isinstance(scenario.model, Scenario) and scenario.model.persona == "grumpy"


def test_typo_key_with_did_you_mean(capsys) -> None:
    code, out, _ = lint_output(capsys, TYPOS)
    assert code == 1
    assert f"{where(TYPOS, 'opning')}: 案例（scenario） 里没有字段“opning”；是不是想写“opening”？" in out


def test_wrong_enum_names_the_field_and_what_is_allowed(capsys) -> None:
    _, out, _ = lint_output(capsys, TYPOS)
    assert (
        f"{where(TYPOS, 'logistic')}: category：不能写 'logistic'；"
        "只能写其中之一：product, service, logistics, buyer；是不是想写“logistics”？"
    ) in out


def test_wrong_type(capsys) -> None:
    _, out, _ = lint_output(capsys, TYPOS)
    assert f"{where(TYPOS, 'seven')}: difficulty：应当是整数，这里却是文字“seven”" in out


def test_missing_key_points_at_the_parent_mapping(capsys) -> None:
    _, out, _ = lint_output(capsys, TYPOS)
    # issues[0] is the mapping starting at 'id: slow'; the whole scenario starts at 'id: typos'.
    assert f"{where(TYPOS, 'id: slow')}: issues[0] 缺少必填字段“summary”" in out
    assert f"{where(TYPOS, 'id: typos')}: 案例（scenario） 缺少必填字段“opening”" in out


def test_duplicate_keys_are_reported(capsys) -> None:
    _, out, _ = lint_output(capsys, TYPOS)
    second = where(TYPOS, "summary: 态度很差")
    first_line = where(TYPOS, "summary: 态度差").split(":")[1]
    assert f"{second}: 字段“summary”重复了（第一次在第 {first_line} 行）" in out


def test_every_problem_in_a_file_is_reported(capsys) -> None:
    _, out, _ = lint_output(capsys, TYPOS)
    assert out.count(str(TYPOS)) == 6
    assert out.strip().splitlines()[-1] == "1 个文件，6 个错误，0 个警告"


def test_nested_unknown_key_and_union_type(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", TANGLED.read_text(encoding="utf-8").replace(
        "{trigger: reply, source: arguing, dest: sulking, conditions: [upset]}",
        "{trigger: reply, source: 5, dest: sulking, conditon: [upset]}",
    ), folder="personas")
    found = messages(path)
    assert f"{where(path, 'conditon')}: machine.transitions[0] 里没有字段“conditon”；是不是想写“conditions”？" in found
    assert f"{where(path, '5, dest')}: machine.transitions[0].source：应当是文字或文字列表，这里却是数字 5" in found


def test_yaml_yes_no_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", TYPOS.read_text(encoding="utf-8").replace("title: 错字连篇", "title: no"))
    assert f"{where(path, 'no')}: title：应当是文字，这里却是“no”——YAML 把它读成了真假值 false；要写文字“no”，请加引号：\"no\"" in messages(path)


def test_broken_yaml_reports_the_marker(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "id: x\ntitle: [unclosed\nsummary: y\n")
    (message,) = messages(path)
    assert message == f"{path}:2:8: 这里的“[”没有配对的“]”：请补上“]”；如果这是一段文字，请给整段加上半角引号：\"…\""


def test_tabs(tmp_path: Path) -> None:
    path = write(tmp_path, "tabs.yaml", "id: x\n\ttitle: y\n")
    (message,) = messages(path)
    assert message.startswith(f"{path}:2:1: 这一行用 Tab 键缩进了") and "请把行首的 Tab 换成空格" in message


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", "")
    assert messages(path) == [
        f"{path}:1:1: 文件是空的；应当写案例（scenario）的键值，字段有 id, title, category, difficulty, "
        "persona, summary, issues, wish, policy, opening, …"
    ]
    persona = write(tmp_path, "empty.yaml", "# only a comment\n", folder="personas")
    assert messages(persona) == [
        f"{persona}:1:1: 文件是空的；应当写顾客类型（persona）的键值，字段有 id, name, type, mood, machine, …"
    ]


@pytest.mark.parametrize(("content", "found"), [("- a\n- b\n", "一个列表"), ("hello\n", "文字“hello”")])
def test_top_level_list_or_scalar(tmp_path: Path, content: str, found: str) -> None:
    path = write(tmp_path, "x.yaml", content, folder="personas")
    (message,) = messages(path)
    assert message == (
        f"{path}:1:1: 最外层应当是顾客类型（persona）的键值，字段有 id, name, type, mood, machine, …，"
        f"这里却是{found}"
    )


def test_binary_junk(tmp_path: Path) -> None:
    path = write(tmp_path, "junk.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8")
    (message,) = messages(path)
    assert "不是 UTF-8 文本" in message and message.startswith(f"{path}:")


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.yaml", "title: caf".encode() + b"\xe9\n")
    assert messages(path) == [f"{path}:1:11: 不是 UTF-8 文本：这一处的文字不是 UTF-8 编码，读不出来（可能是别的编码或损坏的文件）；"
                              "请在编辑器里“另存为”并选择 UTF-8 编码"]


def test_a_file_saved_as_gbk_is_named_in_words_not_bytes(tmp_path: Path) -> None:
    """Issue 21 §3: "字节 0xce" means nothing to a trainer; say which encoding the file is in."""
    path = write(tmp_path, "gbk.yaml", "title: 假发发错颜色\n".encode("gbk"))
    (message,) = messages(path)
    assert message == (f"{path}:1:8: 不是 UTF-8 文本：这个文件看起来是用 GBK/GB18030（简体中文 Windows 记事本、WPS 的旧默认编码）存的；"
                       "请在编辑器里“另存为”并选择 UTF-8 编码")
    assert "0x" not in message


def test_a_10_mb_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", b"# padding\n" * (1024 * 1024))
    assert path.stat().st_size > MAX_BYTES
    assert messages(path) == [f"{path}:1:1: 文件太大（10.0 MB）；内容文件必须小于 1 MB"]


def test_python_tags_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "evil.yaml", 'id: !!python/object/apply:os.system ["echo pwned"]\ntitle: x\n')
    (message,) = messages(path)
    assert message.startswith(f"{path}:1:5: 不允许用标签“!!python/object/apply:os.system”")
    assert "不会执行任何代码" in message


def test_billion_laughs_is_stopped(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "lol.yaml", "\n".join(lines) + "\n")
    (message,) = messages(path)
    assert "别名太多" in message


def test_recursive_alias_and_deep_nesting(tmp_path: Path) -> None:
    assert "递归别名" in messages(write(tmp_path, "rec.yaml", "a: &a [*a]\n"))[0]
    assert "文件嵌套太深" in messages(write(tmp_path, "deep.yaml", "[" * 2_000))[0]


def test_cli_never_shows_a_traceback_for_junk(tmp_path: Path, capsys) -> None:
    write(tmp_path, "junk.yaml", bytes(range(256)) * 4)
    write(tmp_path, "two.yaml", "id: a\n---\nid: b\n", folder="personas")
    code, out, err = lint_output(capsys, tmp_path)
    assert code == 1 and "Traceback" not in out + err
    assert out.strip().splitlines()[-1] == "2 个文件，2 个错误，0 个警告"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*"ab:-[]{}&*!|>'\"\n #?,\t@`%2", "!!python/name:os.system ", "<<", "&x", "*x", "\u00e9"]),
                max_size=60).map("".join))
def test_fuzz_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "scenarios" / "fuzz.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    loaded = load_file(path)
    assert loaded.ok or loaded.problems
