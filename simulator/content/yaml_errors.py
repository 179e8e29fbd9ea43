"""YAML mistakes a trainer makes, explained as what to change and on which line.

Two parts: `scan(text)` finds mistakes that are never intended before the file is parsed (a
full-width colon after a field name, a full-width bracket around a list, a tab in the indentation,
an unquoted `[+45s]` starting a list item), each on its own line; `explain(text, error)` turns a
PyYAML syntax error into an instruction (indentation, a ': ' inside a value, full-width quotes),
located on the line the trainer has to change rather than where the parser gave up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from simulator.i18n import _


@dataclass(frozen=True)
class YamlMistake:
    """A mistake at a 1-based line and column, with what to write instead (Chinese)."""

    line: int
    col: int
    message: str


# A field name followed by a full-width colon: `keywords：[单号]`, `- id：a`.
_FULLWIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)\s*(：)")
# A value that is a list written with full-width brackets: `keywords: ［单号, 订单］`.
_FULLWIDTH_LIST = re.compile(r"^\s*(?:-\s+|[A-Za-z_][A-Za-z0-9_-]*\s*:\s+)([［【〔])(?![＋+]\s*\d).*([］】〕])\s*(?:#.*)?$")
# A list item starting with an unquoted time prefix: `- [+45s] 您好`.
_UNQUOTED_PREFIX = re.compile(
    r"^(\s*-\s+)(\[\s*(?:[+＋]\s*\d+(?:\.\d+)?\s*[sS秒]?|\d+(?:\.\d+)?\s*[sS秒])\s*\])"
)  # '[+45s]', '[+45]', '[45s]' — not a plain nested list such as '[5]'

# A field name with a full-width colon inside a flow mapping: `- {name: venting, label：情绪激动}`.
_FULLWIDTH_FLOW_KEY = re.compile(r"[{,]\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(：)")
# Lists of names or keywords, where an IME's full-width comma silently makes one item of several.
_WORD_LISTS = ("keywords", "accepts", "reluctant", "refuses", "allowed", "conditions", "unless", "states", "source")
_FULLWIDTH_COMMA_LIST = re.compile(r"^\s*(?:-\s+)?(" + "|".join(_WORD_LISTS) + r")\s*:\s*\[([^\]]*，[^\]]*)\]")
_BRACKET_PAIRS = {"［": "[", "【": "[", "〔": "[", "］": "]", "】": "]", "〕": "]"}
_FULLWIDTH_QUOTES = "“”‘’＂＇"
# A field name glued to its value: `title:七天` (YAML reads one plain word, not a key and a value).
_GLUED_COLON = re.compile(r"^(\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*):)(?=[^\s:])")
_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:(?:\s|$)")


@lru_cache(maxsize=1)
def _field_names() -> frozenset[str]:
    """Every field name a content file may use (a glued `name:value` is only a mistake for these)."""
    from simulator.content import models  # the models never import this module

    names: set[str] = set()
    for obj in vars(models).values():
        if isinstance(obj, type) and issubclass(obj, models.BaseModel):
            names.update(obj.model_fields)
    return frozenset(names)


def scan(text: str) -> list[YamlMistake]:
    """Mistakes visible line by line, before parsing; block scalars (`|`, `>`) are skipped."""
    mistakes: list[YamlMistake] = []
    block_indent: int | None = None  # inside a `key: |` block: lines indented deeper are text
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" \t"))
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        lead = line[:indent]
        if "\t" in lead:
            mistakes.append(YamlMistake(number, lead.index("\t") + 1, _(
                "这一行用 Tab 键缩进了：YAML 只认空格。请把行首的 Tab 换成空格（和上一行对齐）")))
            continue
        m = _FULLWIDTH_KEY.match(line)
        if m:
            mistakes.append(YamlMistake(number, m.start(3) + 1, _(
                "这里用了全角冒号“：”，请改成半角“:”（冒号后面再加一个空格），例如 `{key}: …`").format(key=m.group(2))))
            continue
        m = _GLUED_COLON.match(line)
        if m and m.group(2) in _field_names():
            mistakes.append(YamlMistake(number, m.end(1) + 1, _(
                "“{key}:”后面少了一个空格：字段要写成 `{key}: 值`（半角冒号后面加一个空格）").format(key=m.group(2))))
            continue
        m = _FULLWIDTH_FLOW_KEY.search(line) if "{" in line else None
        if m:
            mistakes.append(YamlMistake(number, m.start(2) + 1, _(
                "这里用了全角冒号“：”，请改成半角“:”（冒号后面再加一个空格），例如 `{key}: …`").format(key=m.group(1))))
            continue
        m = _FULLWIDTH_COMMA_LIST.match(line)
        if m:
            mistakes.append(YamlMistake(number, line.index("，", m.start(2)) + 1, _(
                "{key} 列表里用了全角逗号“，”：YAML 会把“{items}”当成一项。请改成半角逗号“,”，例如 [订单号, 单号]").format(
                key=m.group(1), items=m.group(2).strip())))
            continue
        m = _FULLWIDTH_LIST.match(line)
        if m:
            wrong = m.group(1)
            mistakes.append(YamlMistake(number, m.start(1) + 1, _(
                "这里用了全角方括号“{wrong}”，请改成半角“[”和“]”（列表要用半角方括号），"
                "例如 [订单号, 单号]").format(wrong=wrong)))
            continue
        m = _UNQUOTED_PREFIX.match(line)
        if m:
            rest = line[m.end(1):].rstrip()
            mistakes.append(YamlMistake(number, m.start(2) + 1, _(
                "以 {prefix} 开头的回复要加引号：不加引号时 YAML 会把方括号读成列表。"
                "请写成 - \"{reply}\"").format(prefix=m.group(2), reply=rest.replace('"', '\\"'))))
            continue
        if re.search(r"(?::|^\s*-)\s*[|>][+-]?\d*\s*(?:#.*)?$", line):
            block_indent = indent
    return mistakes


def _content_lines(text: str) -> list[str]:
    return text.splitlines()


def _previous_content_line(lines: list[str], index: int) -> int | None:
    for i in range(index - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _head(line: str) -> str:
    """What a line starts with, to name it: its key, or its list item."""
    m = _KEY.match(line)
    if m:
        return m.group(1)
    stripped = line.strip()
    return stripped if len(stripped) <= 20 else stripped[:19] + "…"


def explain(text: str, exc: yaml.MarkedYAMLError) -> YamlMistake | None:
    """An instruction for a PyYAML syntax error, or None when there is nothing better to say."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    lines = _content_lines(text)
    problem = exc.problem or ""
    row = min(mark.line, len(lines) - 1) if lines else 0
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        row = exc.context_mark.line  # the key without its colon is on the line the scan started
        glued = _GLUED_COLON.match(lines[row])
        if glued:  # `title:七天` — the colon is there, the space after it is not
            return YamlMistake(row + 1, glued.end(1) + 1, _(
                "“{key}:”后面少了一个空格：字段要写成 `{key}: 值`（半角冒号后面加一个空格）").format(key=glued.group(2)))
        return YamlMistake(row + 1, _indent(lines[row]) + 1, _(
            "这一行缺少半角冒号“:”：字段要写成 `名字: 值`（冒号后面加一个空格）；"
            "如果这是上一行的接续，请把它和上一行写在一起，或给整段文字加引号"))
    context = exc.context or ""
    if context.startswith("while parsing a flow") and exc.context_mark is not None:
        opened = exc.context_mark  # the bracket that was never closed
        pair = "]" if "sequence" in context else "}"
        return YamlMistake(opened.line + 1, opened.column + 1, _(
            "这里的“{open}”没有配对的“{close}”：请补上“{close}”；如果这是一段文字，请给整段加上半角引号：\"…\"").format(
            open="[" if pair == "]" else "{", close=pair))
    if row < len(lines):
        line = lines[row]
        quote = next((c for c in line if c in _FULLWIDTH_QUOTES), None)
        if quote and ("mapping values" in problem or "expected" in problem):
            return YamlMistake(row + 1, line.index(quote) + 1, _(
                "这里用了全角引号 {quote} ：YAML 不把它当作引号。要给值加引号，请改成半角 \"…\"").format(quote=quote))
        prev = _previous_content_line(lines, row)
        if prev is not None and ("expected <block end>" in problem or "mapping values are not allowed" in problem):
            here, there = _indent(line), _indent(lines[prev])
            opens_block = lines[prev].rstrip().endswith(":")
            if here != there and not opens_block:
                return YamlMistake(row + 1, 1, _(
                    "缩进不对：这一行应与上一行的 `{key}` 对齐（行首 {want} 个空格，现在是 {have} 个）").format(
                    key=_head(lines[prev]), want=there, have=here))
            if opens_block and here <= there:
                return YamlMistake(row + 1, 1, _(
                    "缩进不对：这一行属于上一行的 `{key}`，应比它多缩进两个空格").format(key=_head(lines[prev])))
        if "mapping values are not allowed" in problem:
            return YamlMistake(row + 1, mark.column + 1, _(
                "这个值里有“: ”（冒号加空格），YAML 会把它当成新的字段。请给整个值加上半角引号：\"…\""))
        if "expected <block end>" in problem and "'<scalar>'" in problem:
            return YamlMistake(row + 1, mark.column + 1, _(
                "这一行的列表或引号后面还跟着文字：要把整行当作文字，请给整行加上半角引号：\"…\""))
    return None
