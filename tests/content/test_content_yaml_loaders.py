"""libyaml's C composer and PyYAML's pure-Python one read content alike.

The loader composes with libyaml (`yaml.CSafeLoader`) when it is installed and the file is safe for it
(few nesting indicators, no YAML error), and with the pure-Python SafeLoader otherwise. Whichever
reads a file, the models, the problems (path:line:col and message) and the node positions must be
the same: these tests read every built-in file, every fixture and some tricky snippets both ways.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.content import loader
from simulator.content.library import content_files, load_roots
from simulator.content.loader import load_file
from simulator.content.paths import builtin_root

from content_helpers import FIXTURES

needs_libyaml = pytest.mark.skipif(loader._C_LOADER is None, reason="PyYAML without libyaml")

BUILTIN_FILES = [path for path, _ in content_files(builtin_root())]
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml"))

TRICKY = {
    "tab-indent.yaml": "id: x\nissues:\n\t- a\n",
    "two-docs.yaml": "id: a\n---\nid: b\n",
    "dup-anchor.yaml": "a: &x 1\nb: &x 2\nc: *x\n",
    "unknown-alias.yaml": "a: *nope\n",
    "unclosed-quote.yaml": 'id: "abc\ntitle: x\n',
    "unclosed-flow.yaml": "id: [a, b\ntitle: x\n",
    "colon-value.yaml": "id: a: b\n",
    "bad-indent.yaml": "id: a\n  title: b\n c: d\n",
    "dup-keys.yaml": "id: a\npersona: p\nid: b\nopening: {x: 1, x: 2}\n",
    "merge.yaml": "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
    "chinese-columns.yaml": "id: 假发\n标题: 颜色不对 [错, 1]\npersona: 失望\nissues: [好的, {名字: 值, 数: 1}]\n",
    "line-separators.yaml": "id: a\u2028b\ntitle: c\u2029d\nx: \x85e\n",
    "mid-bom.yaml": "id: a\ufeffb\ntitle: x\n",
    "mid-bom-2.yaml": "id: [a\ufeffb, c]\ntitle: x\nissues: [1, {a: 1, b: 2}]\n",
    "emoji.yaml": "id: 😀😀 [x]\ntitle: 😀\nissues: [😀, {😀: 1, 𠀀: [2, x]}]\nopening: 1\n",
    "combining.yaml": "id: e\u0301e\u0301\ntitle: [a\u0301, {b: 1}]\n",
    "block-scalars.yaml": "id: x\nopening: |\n  第一行\n  第二行\nwish: >-\n  a\n  b\n",
    "quoted.yaml": "id: 'it''s'\ntitle: \"\\u4e2d\\t\"\nopening: plain # comment\n",
    "tags.yaml": "id: !!str 1\npersona: !custom x\n",
    "dates.yaml": "id: 2024-01-01\npersona: yes\nissues: [0x1F, 1e3, .inf, ~, null]\n",
    "bad-date.yaml": "id: 2024-13-45\n",
    "complex-key.yaml": "? [a, b]\n: c\n? d\n",
    "empty.yaml": "",
    "comment-only.yaml": "# nothing\n",
    "scalar-top.yaml": "just text\n",
    "list-top.yaml": "- a\n- b\n",
    "compact.yaml": "- - - a\n  - b\n- k: v\n  j: [1, {z: 2}]\n",
    "explicit-doc.yaml": "--- \nid: a\n...\n",
    "directive.yaml": "%YAML 1.1\n---\nid: a\n",
    "bad-directive.yaml": "%YAML 2.0\n---\nid: a\n",
    "crlf.yaml": "id: a\r\ntitle: b\r\nissues:\r\n  - c\r\n",
    "trailing-space-key.yaml": "id : a\n'title'  :   b   \n",
    "recursive.yaml": "a: &x [*x]\n",
    "deep-150.yaml": "[" * 150 + "]" * 150 + "\n",
    "deep-300.yaml": "a: " + "[" * 300 + "]" * 300 + "\nb: {x: [1, 2]}\n",
    "deep-anchored.yaml": "b: " + "[" * 200 + "&x " + "[" * 100 + "1" + "]" * 300 + "\nc: *x\n",
    "alias-bomb.yaml": "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)),
    "deep-block.yaml": "".join(" " * i + "k:\n" for i in range(120)) + " " * 120 + "v\n",
}


def _tree(node: Node | None) -> list[tuple]:
    """Every node as (kind, tag, scalar value, start line, start col, end line, end col), in order."""
    out: list[tuple] = []
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        value = n.value if isinstance(n, ScalarNode) else None
        out.append((type(n).__name__, n.tag, value, n.start_mark.line, n.start_mark.column,
                    n.end_mark.line, n.end_mark.column, id(n) in seen))
        if id(n) in seen:  # an alias: the same node again
            continue
        seen.add(id(n))
        if isinstance(n, MappingNode):
            stack.extend(child for pair in reversed(n.value) for child in reversed(pair))
        elif isinstance(n, SequenceNode):
            stack.extend(reversed(n.value))
    return out


def _summary(result: loader.LoadedFile) -> tuple:
    model = result.model.model_dump(mode="json") if result.model is not None else None
    return (result.kind, model, [(str(p), p.severity) for p in result.problems], _tree(result.node))


def _both(monkeypatch: pytest.MonkeyPatch, read):
    """`read()` with libyaml allowed, then with the pure-Python composer only."""
    with_c = read()
    monkeypatch.setenv(loader.PURE_YAML_ENV, "1")
    try:
        pure = read()
    finally:
        monkeypatch.delenv(loader.PURE_YAML_ENV)
    return with_c, pure


@pytest.mark.parametrize("path", BUILTIN_FILES + FIXTURE_FILES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_content_files_read_alike(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    kind = dict(content_files(path.parent.parent if path.parent.name in ("personas", "scenarios") else path.parent)).get(path)
    with_c, pure = _both(monkeypatch, lambda: _summary(load_file(path, kind)))
    assert with_c == pure


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_yaml_reads_alike(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = folder / name
    path.write_bytes(TRICKY[name].encode("utf-8"))
    with_c, pure = _both(monkeypatch, lambda: _summary(load_file(path)))
    assert with_c == pure


@pytest.mark.parametrize("roots", [[builtin_root()], [builtin_root(), FIXTURES / "good", FIXTURES / "override"],
                                   [FIXTURES / "broken"], [FIXTURES / "flat"]], ids=["builtin", "overrides", "broken", "flat"])
def test_libraries_read_alike(monkeypatch: pytest.MonkeyPatch, roots: list[Path]) -> None:
    def read() -> tuple:
        lib = load_roots(roots)
        return (
            {k: v.model_dump(mode="json") for k, v in lib.scenarios.items()},
            {k: v.model_dump(mode="json") for k, v in lib.personas.items()},
            [r.model_dump(mode="json") for r in lib.quick_replies],
            [str(p) for p in lib.problems],
            {k: str(f.path) for k, f in lib.scenario_files.items()},
        )

    with_c, pure = _both(monkeypatch, read)
    assert with_c == pure


def test_builtin_library_is_complete() -> None:
    """Every scenario file in scenarios/ is a scenario except `_quick_replies.yaml` (shared content)."""
    lib = load_roots([builtin_root()])
    scenario_files = [p for p in (builtin_root() / "scenarios").glob("*.yaml") if not p.name.startswith("_")]
    assert len(lib.scenarios) == len(scenario_files) and lib.scenarios
    assert len(lib.personas) == len(list((builtin_root() / "personas").glob("*.yaml")))
    assert lib.quick_replies and not lib.errors


@needs_libyaml
def test_builtin_files_use_libyaml() -> None:
    for path in BUILTIN_FILES:
        used, node = loader._compose(path.read_text(encoding="utf-8-sig"))
        assert isinstance(used, yaml.CSafeLoader), path
        assert node is not None


@needs_libyaml
def test_errors_and_deep_files_fall_back_to_pure_python() -> None:
    for name in ("deep-300.yaml", "mid-bom.yaml"):
        used, _ = loader._compose(TRICKY[name])
        assert type(used) is yaml.SafeLoader, name
    for name in ("tab-indent.yaml", "two-docs.yaml", "dup-anchor.yaml", "unclosed-flow.yaml"):
        with pytest.raises(yaml.YAMLError) as composed:
            loader._compose(TRICKY[name])
        with pytest.raises(yaml.YAMLError) as pure:
            yaml.SafeLoader(TRICKY[name]).get_single_node()
        assert str(composed.value) == str(pure.value), name
    with pytest.raises(RecursionError):
        loader._compose("[" * 2000)


@needs_libyaml
def test_depth_is_measured_where_an_anchor_writes_a_node() -> None:
    """An anchor written deep and its alias written shallow: the tree is as deep as written."""
    deep, shallow = loader.C_MAX_DEPTH - 50, 100
    text = "b: " + "[" * deep + "&x " + "[" * shallow + "1" + "]" * (deep + shallow) + "\nc: *x\n"
    composed = yaml.SafeLoader(text).get_single_node()
    assert loader._depth(composed) == deep + shallow + 2
    used, _ = loader._compose(text)
    assert not isinstance(used, yaml.CSafeLoader)


@needs_libyaml
def test_duplicate_keys_found_with_libyaml(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(TRICKY["dup-keys.yaml"], encoding="utf-8")
    assert isinstance(loader._compose(path.read_text(encoding="utf-8"))[0], yaml.CSafeLoader)
    messages = [p.message for p in load_file(path, "scenario").problems]
    assert any("字段“id”重复了（第一次在第 1 行）" in m for m in messages)
    assert any("字段“x”重复了" in m for m in messages)


def test_very_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    """libyaml's composer overflows the C stack on 100,000 `[`: such a file must never reach it."""
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code = (
        "import sys; from simulator.content.loader import load_file; "
        "print(load_file(sys.argv[1], 'scenario').problems[0].message)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "文件嵌套太深" in done.stdout
