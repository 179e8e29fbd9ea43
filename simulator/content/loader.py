"""Content files (YAML, safe) -> typed models; every problem located as path:line:col.

The file is composed into a node tree first (so every value keeps its line and column), checked
(size, text encoding, tags, duplicate keys, alias bombs), constructed with PyYAML's SafeConstructor
(the semantics of `yaml.safe_load`) and validated with the pydantic models. Each pydantic error's
`loc` is walked back down the node tree to the node's start mark, the way Rasa reports schema errors.
No input, however broken, raises: every problem becomes a `Problem`.
"""

from __future__ import annotations

import datetime
import os
import re
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.content.models import Persona, QuickReplies, Scenario
from simulator.content.problems import Problem
from simulator.content.renames import apply_renames, rename_message
from simulator.content.yaml_errors import explain as explain_yaml_error
from simulator.content.yaml_errors import scan as scan_yaml_mistakes
from simulator.i18n import N_, _

MAX_BYTES = 1024 * 1024
"""Content files larger than this are refused before parsing."""

ALIAS_EXPANSION_LIMIT = 10_000
"""Aliases may add at most this many nodes (plus ten times the file's own): stops 'billion laughs'."""

Kind = Literal["persona", "scenario", "shared"]
MODELS: dict[str, type[BaseModel]] = {"persona": Persona, "scenario": Scenario, "shared": QuickReplies}
KIND_NAMES = {"persona": N_("顾客类型（persona）"), "scenario": N_("案例（scenario）"), "shared": N_("共用内容")}
YAML_SUFFIXES = (".yaml", ".yml")

PURE_YAML_ENV = "KEFU_PURE_YAML"
"""Set (to anything) to read every file with the pure-Python composer (for comparisons)."""

C_MAX_INDICATORS = 1000
"""libyaml composes a file only when it holds at most this many nesting indicators (so it nests at
most this deep): far below the depth that overflows the C stack (tens of thousands of levels with an
8 MB stack, a few thousand with a 512 kB thread stack)."""

C_MAX_DEPTH = 250
"""A tree libyaml composed deeper than this is composed again in pure Python, whose recursion limit
decides what 'nested too deeply' means (about 490 levels with Python's default limit). A file with
fewer indicators than this cannot nest deeper, so its tree is not even measured."""

_C_LOADER = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None

_SAFE_TAGS = frozenset(tag for tag in yaml.SafeLoader.yaml_constructors if tag is not None)
# The characters YAML does not allow (the complement of its printable set
# [^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]): the same set, but
# written this way the pattern compiles in a fraction of the time (it is compiled at every start).
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_YAML_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


@dataclass
class LoadedFile:
    """One content file: its model when valid, its node tree (for positions) and its problems."""

    path: Path
    kind: Kind | None = None
    model: BaseModel | None = None
    node: Node | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no errors (warnings allowed)."""
        return self.model is not None and not any(p.is_error for p in self.problems)

    def position(self, *loc: str | int, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at `loc`, or of its deepest existing ancestor.

        With key=True, the position of the mapping key rather than of its value.
        """
        if self.node is None:
            return (1, 1)
        found = _resolve(self.node, list(loc))
        target = found.key_node if key and found.key_node is not None and not found.rest else found.node
        return _mark(target)

    def problem(self, loc: tuple[str | int, ...], message: str, severity: str = "error", *, key: bool = False) -> Problem:
        """A problem located at the node at `loc`."""
        line, col = self.position(*loc, key=key)
        return Problem(self.path, line, col, message, severity)  # type: ignore[arg-type]


def declared_id(loaded: LoadedFile) -> str:
    """The id a file declares (its top-level `id`, read from the node tree even when the file is
    invalid), else its file name without the suffix."""
    node = loaded.node
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)
    return loaded.path.stem


def kind_from_folder(path: Path) -> Kind | None:
    """The kind a file's place says: `_name.yaml` is shared content, personas/ and scenarios/ say theirs."""
    if path.name.startswith("_"):
        return "shared"
    parent = path.parent.name.lower()
    if parent == "personas":
        return "persona"
    if parent == "scenarios":
        return "scenario"
    return None


def kind_from_keys(data: Any) -> Kind | None:
    """The kind a mapping's keys suggest, for files outside personas/ and scenarios/ folders."""
    if not isinstance(data, dict):
        return None
    keys = {str(k) for k in data}
    if keys & {"machine", "mood", "patience"}:
        return "persona"
    if keys & {"persona", "issues", "opening", "wish", "policy", "examples", "facts"}:
        return "scenario"
    if "quick_replies" in keys:
        return "shared"
    return None


def load_file(path: Path, kind: Kind | None = None) -> LoadedFile:
    """Read and validate one content file; never raises (problems are in the result)."""
    path = Path(path)
    loaded = LoadedFile(path, kind or kind_from_folder(path))
    try:
        _load_into(loaded)
    except RecursionError:
        loaded.model = None
        loaded.problems.append(Problem(path, 1, 1, _("文件嵌套太深，读不了；内容文件应当是扁平的几层")))
    except Exception as exc:  # the last guard: no traceback for any input
        loaded.model = None
        loaded.problems.append(Problem(path, 1, 1, _("读不了这个文件（{error}: {detail}）").format(
            error=type(exc).__name__, detail=exc)))
    return loaded


# --- reading -----------------------------------------------------------------------------------


def _load_into(loaded: LoadedFile) -> None:
    path = loaded.path
    text = _read_text(loaded)
    if text is None:
        return
    mistakes = scan_yaml_mistakes(text)  # full-width colons, tabs, unquoted [+45s]: said on their own line
    if mistakes:
        loaded.problems.extend(Problem(path, m.line, m.col, m.message) for m in mistakes)
        return
    node, data = _parse(loaded, text)
    if loaded.problems and data is None:
        return
    loaded.node = node
    if loaded.kind is None:
        loaded.kind = kind_from_keys(data)
    if data is None:
        loaded.problems.append(Problem(path, 1, 1, _("文件是空的；应当写{expected}").format(
            expected=_expected_mapping(loaded.kind))))
        return
    if not isinstance(data, dict):
        line, col = _mark(node)
        loaded.problems.append(
            Problem(path, line, col, _("最外层应当是{expected}，这里却是{found}").format(
                expected=_expected_mapping(loaded.kind), found=_describe(data, node)))
        )
        return
    looks_like = kind_from_keys(data)
    if loaded.kind in ("persona", "scenario") and looks_like in ("persona", "scenario") and looks_like != loaded.kind:
        loaded.problems.append(
            Problem(
                path, *_mark(node),
                _("这个文件看起来是{looks}，但因为所在文件夹被当作{read}来读；请把它移到 {folder}/ 文件夹").format(
                    looks=_(KIND_NAMES[looks_like]), read=_(KIND_NAMES[loaded.kind]), folder=looks_like + "s"),
            )
        )
        return
    if loaded.kind is None:
        loaded.problems.append(
            Problem(
                path, *_mark(node),
                _("看不出这是顾客类型还是案例：请把它放进 personas/ 或 scenarios/ 文件夹"
                  "（顾客类型有 machine，案例有 persona）"),
            )
        )
        return
    model_cls = MODELS[loaded.kind]
    for loc, rename in apply_renames(loaded.kind, data):  # an old field still loads, with a warning
        loaded.problems.append(loaded.problem(loc, rename_message(rename), "warning", key=True))
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        loaded.problems.extend(_validation_problems(path, node, model_cls, _(KIND_NAMES[loaded.kind]), exc))
        return
    if not any(p.is_error for p in loaded.problems):  # duplicate keys found earlier make the model untrustworthy
        loaded.model = model


def _read_text(loaded: LoadedFile) -> str | None:
    path = loaded.path
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            loaded.problems.append(
                Problem(path, 1, 1, _("文件太大（{size} MB）；内容文件必须小于 1 MB").format(size=f"{size / MAX_BYTES:.1f}"))
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        loaded.problems.append(Problem(path, 1, 1, _("读不了这个文件：{reason}").format(reason=exc.strerror or exc)))
        return None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        loaded.problems.append(
            Problem(path, line, col, _("不是 UTF-8 文本：文件里有二进制数据（NUL 字节）；请另存为 UTF-8 编码的 YAML"))
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        loaded.problems.append(
            Problem(path, line, col, _("不是 UTF-8 文本：{why}；请在编辑器里“另存为”并选择 UTF-8 编码").format(
                why=_encoding_guess(raw)))
        )
        return None
    bad = _NON_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        loaded.problems.append(
            Problem(path, line, col, _("不是 UTF-8 文本：有控制字符 U+{code}（二进制数据？）").format(
                code=f"{ord(bad.group()):04X}"))
        )
        return None
    return text


def _encoding_guess(raw: bytes) -> str:
    """Why the bytes are not UTF-8, in a trainer's words: which Chinese encoding they most likely are."""
    for codec, name in (("gb18030", _("GBK/GB18030（简体中文 Windows 记事本、WPS 的旧默认编码）")),
                        ("big5", _("Big5（繁体中文 Windows 的旧编码）"))):
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return _("这个文件看起来是用 {name}存的").format(name=name)
    return _("这一处的文字不是 UTF-8 编码，读不出来（可能是别的编码或损坏的文件）")


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, col


def composer_name() -> str:
    """Which YAML composer reads well-formed, shallow files (for benchmarks and reports)."""
    if _C_LOADER is not None and not os.environ.get(PURE_YAML_ENV):
        return "libyaml C loader (yaml.CSafeLoader), pure Python for errors and deep files"
    return "pure Python (yaml.SafeLoader)"


def _indicator_count(text: str) -> int | None:
    """How many nesting indicators `text` holds, or None when libyaml must not compose it.

    libyaml's composer (PyYAML's Cython `_compose_node`) recurses once per nesting level with no
    limit and crashes the interpreter (a segfault, not an exception) on very deep input such as
    100,000 `[`. Every collection in a chain of nested ones owns at least one indicator character
    (`[` or `{` for a flow collection, `-` for block sequence entries, `:` or `?` for block mapping
    entries), so the nesting depth is at most this count plus one: a cheap bound, no parse needed.
    """
    if _C_LOADER is None or os.environ.get(PURE_YAML_ENV) or "\ufeff" in text:
        return None  # (libyaml counts a byte order mark inside the text differently in its marks)
    count = 0
    for ch in "[{-:?":
        count += text.count(ch)
        if count > C_MAX_INDICATORS:
            return None
    return count


def _depth(root: Node) -> int:
    """The nesting depth of a node tree as written (an alias is not followed).

    Nodes are visited in document order, so a node met again through an alias is first met
    where its anchor wrote it.
    """
    deepest = 0
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > deepest:
            deepest = depth
        children = _children(node)
        children.reverse()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _compose(text: str) -> tuple[Any, Node | None]:
    """The document's node tree, and the loader that composed it (to construct the data with).

    libyaml's C composer when that is safe (`_indicator_count`) and it reads the file without error
    into a tree no deeper than C_MAX_DEPTH, which the pure-Python composer reads alike; otherwise
    PyYAML's pure-Python SafeLoader. The pure-Python one words every YAML error (libyaml words them
    differently) and reports too-deep files as RecursionError, so the problems found do not depend on
    whether libyaml is installed. Both use the same resolver and give the same nodes, tags and marks
    (tests/content/test_content_yaml_loaders.py compares them). Raises what SafeLoader raises.
    """
    indicators = _indicator_count(text)
    if indicators is not None:
        loader = _C_LOADER(text)
        try:
            node = loader.get_single_node()
        except Exception:  # noqa: BLE001 - any error: the pure-Python composer finds and words it
            loader.dispose()
        else:
            if node is None or indicators < C_MAX_DEPTH or _depth(node) <= C_MAX_DEPTH:
                return loader, node
            loader.dispose()
    loader = yaml.SafeLoader(text)
    try:
        return loader, loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise


def _parse(loaded: LoadedFile, text: str) -> tuple[Node | None, Any]:
    """Compose, check and construct; returns (node, data)."""
    path = loaded.path
    try:
        loader, node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        loaded.problems.append(_yaml_error(path, exc, text))
        return None, None
    except yaml.YAMLError as exc:
        loaded.problems.append(Problem(path, 1, 1, _("YAML 错误：{detail}").format(detail=exc)))
        return None, None
    try:
        if node is None:
            return None, None
        nodes = _distinct_nodes(loaded, node)
        if nodes is None:
            return node, None
        bad_tags = [n for n in nodes if n.tag not in _SAFE_TAGS and not _is_merge_key(n)]
        for n in bad_tags:
            loaded.problems.append(
                Problem(
                    path, *_mark(n),
                    _("不允许用标签“{tag}”：内容文件只写普通数据（文字、数字、列表、键值），不会执行任何代码").format(
                        tag=_short_tag(n.tag)),
                )
            )
        if bad_tags:
            return node, None
        _check_duplicate_keys(loaded, nodes)
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            loaded.problems.append(_yaml_error(path, exc, text, _("YAML 错误")))
            return node, None
        return node, data
    finally:
        loader.dispose()


def _yaml_error(path: Path, exc: yaml.MarkedYAMLError, text: str = "", kind: str | None = None) -> Problem:
    explained = explain_yaml_error(text, exc) if text else None
    if explained is not None:
        return Problem(path, explained.line, explained.col, explained.message)
    kind = kind or _("YAML 语法错误")
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    # The parser's own words stay (in English) after a Chinese lead and a hint: they name the token.
    message = f"{kind}：{problem}"
    if exc.context:
        where = _("（第 {line} 行）").format(line=exc.context_mark.line + 1) if exc.context_mark and exc.context_mark is not mark else ""
        message += f"，{exc.context}{where}"
    if "'\\t'" in problem or "\\t" in problem:
        message += _("；请用空格缩进，不要用 Tab")
    elif "expected a single document" in (exc.context or "") + problem:
        message += _("；一个内容文件只能有一个文档（不要再写第二个 ---）")
    else:
        message += _("；请检查这一行和上一行的缩进、冒号和引号")
    return Problem(path, line, col, message)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _distinct_nodes(loaded: LoadedFile, root: Node) -> list[Node] | None:
    """Every node once; None (with a problem) for recursive aliases and alias bombs."""
    seen: dict[int, Node] = {}
    stack = [root]
    shared = False
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared = True
            continue
        seen[id(node)] = node
        stack.extend(_children(node))
    nodes = list(seen.values())
    if not shared:  # no node reached twice: no alias, so nothing recursive and nothing to expand
        return nodes
    limit = 10 * len(nodes) + ALIAS_EXPANSION_LIMIT
    sizes: dict[int, int] = {}
    path_ids: set[int] = set()
    work: list[tuple[Node, bool]] = [(root, False)]
    while work:
        node, done = work.pop()
        if done:
            path_ids.discard(id(node))
            size = 1 + sum(sizes[id(c)] for c in _children(node))
            if size > limit:
                loaded.problems.append(
                    Problem(
                        loaded.path, *_mark(node),
                        _("别名太多：这里的锚点和别名展开后超过 {limit} 个值（“billion laughs”文件？）；"
                          "一个锚点最多复用几次").format(limit=limit),
                    )
                )
                return None
            sizes[id(node)] = size
            continue
        if id(node) in sizes:
            continue
        if id(node) in path_ids:
            loaded.problems.append(
                Problem(loaded.path, *_mark(node), _("递归别名：锚点引用了它自己"))
            )
            return None
        path_ids.add(id(node))
        work.append((node, True))
        work.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return nodes


def _is_merge_key(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:merge"


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _check_duplicate_keys(loaded: LoadedFile, nodes: list[Node]) -> None:
    for node in nodes:
        if not isinstance(node, MappingNode):
            continue
        first: dict[tuple[str, str], Node] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, ScalarNode) or _is_merge_key(key_node):
                continue
            ident = (key_node.tag, key_node.value)
            if ident in first:
                line0, _col0 = _mark(first[ident])
                loaded.problems.append(
                    Problem(
                        loaded.path, *_mark(key_node),
                        _("字段“{key}”重复了（第一次在第 {line} 行）；YAML 只会悄悄保留最后一个，请删掉一个").format(
                            key=key_node.value, line=line0),
                    )
                )
            else:
                first[ident] = key_node


def _mark(node: Node | None) -> tuple[int, int]:
    if node is None or node.start_mark is None:
        return (1, 1)
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _expected_mapping(kind: Kind | None) -> str:
    if kind is None:
        return _("顾客类型的键值（{persona}）或案例的键值（{scenario}）").format(
            persona=_required_keys(Persona), scenario=_required_keys(Scenario))
    if kind == "shared":
        return _("带 quick_replies 字段的键值")
    return _("{kind}的键值，字段有 {keys}").format(kind=_(KIND_NAMES[kind]), keys=_required_keys(MODELS[kind]))


def _required_keys(model: type[BaseModel]) -> str:
    return ", ".join(name for name, f in model.model_fields.items() if f.is_required()) + ", …"


# --- mapping pydantic errors back to nodes -------------------------------------------------------


@dataclass
class _Resolved:
    node: Node
    key_node: Node | None
    clean: list[str | int]  # loc parts found in the tree (union member tags dropped)
    rest: list[str | int]  # loc parts not found (e.g. a missing key)
    tag_at: int | None = None  # len(clean) where a union member tag was met
    tag: str | None = None


def _lookup(node: MappingNode, part: str | int) -> tuple[Node, Node] | None:
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == str(part):
            found = (key_node, value_node)  # the last one wins, as in the constructed data
    return found


def _resolve(root: Node, loc: list[str | int]) -> _Resolved:
    node, key_node = root, None
    clean: list[str | int] = []
    tag_at: int | None = None
    tag: str | None = None
    for i, part in enumerate(loc):
        if part == "[key]" and key_node is not None:
            node = key_node
            continue
        if isinstance(node, MappingNode):
            found = _lookup(node, part)
            if found is None:
                return _Resolved(node, key_node, clean, list(loc[i:]), tag_at, tag)
            key_node, node = found
            clean.append(part)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node, key_node = node.value[part], None
            clean.append(part)
        elif isinstance(part, str):  # a union member tag such as 'str' or 'list[str]'
            if tag_at is None:
                tag_at, tag = len(clean), part
        else:
            return _Resolved(node, key_node, clean, list(loc[i:]), tag_at, tag)
    return _Resolved(node, key_node, clean, [], tag_at, tag)


def display_path(loc: list[str | int] | tuple[str | int, ...]) -> str:
    """`machine.transitions[2].source` for ('machine', 'transitions', 2, 'source')."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(model: type[BaseModel], loc: list[str | int]) -> type[BaseModel] | None:
    """The model class describing the mapping at `loc` (list items and dict values followed)."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation, part)
        if annotation is None:
            return None
    annotation = _unwrap(annotation, None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _unwrap(annotation: Any, part: str | int | None) -> Any:
    """Follow one loc step (None: just strip Optional / containers) through an annotation."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        members = [a for a in get_args(annotation) if a is not type(None)]
        for member in members:
            result = _unwrap(member, part)
            if result is not None:
                return result
        return None
    if part is None:
        return annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(part, str):
        info = annotation.model_fields.get(part)
        return info.annotation if info else None
    if origin is list and isinstance(part, int):
        return get_args(annotation)[0]
    if origin is dict and isinstance(part, str):
        return get_args(annotation)[1]
    return None


def _field_description(model: type[BaseModel], loc: list[str | int], key: str) -> str:
    from simulator.content.descriptions import FIELDS  # the Chinese words a trainer reads

    owner = _model_at(model, loc)
    info = owner.model_fields.get(key) if owner else None
    if owner is not None and f"{owner.__name__}.{key}" in FIELDS:
        return FIELDS[f"{owner.__name__}.{key}"]
    return (info.description or "") if info else ""


def _describe(value: Any, node: Node | None = None) -> str:
    raw = node.value if isinstance(node, ScalarNode) else None
    if value is None:
        return _("空值")
    if isinstance(value, bool):
        if raw is not None and raw.lower() in _YAML_BOOL_WORDS and raw.lower() not in ("true", "false"):
            return _("“{raw}”——YAML 把它读成了真假值 {value}；要写文字“{raw}”，请加引号：\"{raw}\"").format(
                raw=raw, value=str(value).lower())
        return str(value).lower()
    if isinstance(value, (int, float)):
        return _("数字 {value}").format(value=raw if raw is not None else value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return _("日期 {value}（要写文字，请加引号）").format(value=raw if raw is not None else value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return _("文字“{text}”").format(text=shown)
    if isinstance(value, list):
        return _("一个列表")
    if isinstance(value, dict):
        return _("一组键值")
    return type(value).__name__


_EXPECTED = {
    "string_type": N_("文字"),
    "int_type": N_("整数"),
    "int_parsing": N_("整数"),
    "int_from_float": N_("整数"),
    "float_type": N_("数字"),
    "float_parsing": N_("数字"),
    "bool_type": N_("true 或 false"),
    "bool_parsing": N_("true 或 false"),
    "list_type": N_("列表（每项以“- ”开头，或写成 [a, b]）"),
    "dict_type": N_("一组键值（每行“名字: 值”）"),
    "model_type": N_("一组键值（每行“名字: 值”）"),
    "model_attributes_type": N_("一组键值（每行“名字: 值”）"),
}
_UNION_MEMBER_NAMES = {"str": N_("文字"), "list[str]": N_("文字列表"), "int": N_("整数"), "float": N_("数字")}


def _close_matches(word: str, choices: list[str], n: int, cutoff: float) -> list[str]:
    import difflib  # only for messages about broken files: not imported to load good ones

    return difflib.get_close_matches(word, choices, n=n, cutoff=cutoff)


def _choices(ctx: dict[str, Any]) -> list[str]:
    return re.findall(r"'([^']*)'", str(ctx.get("expected", "")))


def _error_message(err: dict[str, Any], where: str, node: Node, model: type[BaseModel], res: _Resolved) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in ("literal_error", "enum"):
        choices = _choices(ctx)
        shown = f"'{value}'" if isinstance(value, str) else _describe(value, node)
        message = _("{where}：不能写 {shown}；只能写其中之一：{choices}").format(
            where=where, shown=shown, choices=", ".join(choices))
        close = _close_matches(str(value), choices, n=1, cutoff=0.6) if isinstance(value, str) else []
        return message + (_("；是不是想写“{name}”？").format(name=close[0]) if close else "")
    if kind in _EXPECTED:
        return _("{where}：应当是{expected}，这里却是{found}").format(
            where=where, expected=_(_EXPECTED[kind]), found=_describe(value, node))
    if kind == "too_short":
        return _("{where}：至少要有 {n} 项，现在有 {found} 项").format(
            where=where, n=ctx.get("min_length", 1), found=ctx.get("actual_length", 0))
    if kind == "too_long":
        return _("{where}：项数太多；最多 {n} 项").format(where=where, n=ctx.get("max_length"))
    bounds = {
        "greater_than_equal": (N_("太小"), N_("至少为"), "ge"),
        "greater_than": (N_("太小"), N_("必须大于"), "gt"),
        "less_than_equal": (N_("太大"), N_("最多为"), "le"),
        "less_than": (N_("太大"), N_("必须小于"), "lt"),
    }
    if kind in bounds:
        what, rule, key = bounds[kind]
        allowed = ""
        owner = _model_at(model, res.clean[:-1]) if res.clean else None
        info = owner.model_fields.get(str(res.clean[-1])) if owner and res.clean else None
        limits = {type(m).__name__.lower(): getattr(m, type(m).__name__.lower()) for m in (info.metadata if info else [])
                  if type(m).__name__ in ("Ge", "Le", "Gt", "Lt")}
        if "ge" in limits and "le" in limits:
            allowed = _("（{low} 到 {high}）").format(low=limits["ge"], high=limits["le"])
        return _("{where}：{value} {what}；{rule} {bound}{allowed}").format(
            where=where, value=value, what=_(what), rule=_(rule), bound=ctx.get(key), allowed=allowed)
    return _("{where}：{detail}").format(where=where, detail=err["msg"])


def _validation_problems(
    path: Path, root: Node, model: type[BaseModel], kind_name: str, exc: ValidationError
) -> list[Problem]:
    resolved = [(err, _resolve(root, list(err["loc"]))) for err in exc.errors(include_url=False)]
    # Union members (e.g. `source: str | list[str]`) each report an error: when one went deeper
    # (the author clearly chose that form) keep only the deeper ones; otherwise merge them.
    unions: dict[tuple, list[tuple[dict, _Resolved]]] = {}
    plain: list[tuple[dict, _Resolved]] = []
    for err, res in resolved:
        if res.tag_at is not None:
            unions.setdefault(tuple(res.clean[: res.tag_at]), []).append((err, res))
        else:
            plain.append((err, res))
    problems: list[Problem] = []
    for prefix, group in unions.items():
        deeper = [(e, r) for e, r in group if len(r.clean) > len(prefix)]
        if deeper:
            plain.extend(deeper)
            continue
        err, res = group[0]
        tags = [r.tag for _, r in group if r.tag]
        expected = _("或").join(dict.fromkeys(_(_UNION_MEMBER_NAMES[t]) if t in _UNION_MEMBER_NAMES else t for t in tags))
        where = display_path(list(prefix)) or kind_name
        problems.append(
            Problem(path, *_mark(res.node), _("{where}：应当是{expected}，这里却是{found}").format(
                where=where, expected=expected, found=_describe(err.get("input"), res.node)))
        )
    for err, res in plain:
        if err["type"] == "missing" and res.rest:
            key = str(res.rest[0])
            where = display_path(res.clean) or kind_name
            description = _field_description(model, res.clean, key)
            message = _("{where} 缺少必填字段“{key}”").format(where=where, key=key)
            if description:
                message += _("（{description}）").format(description=description.rstrip("。."))
            problems.append(Problem(path, *_mark(res.node), message))
        elif err["type"] == "extra_forbidden" and res.clean:
            key = str(res.clean[-1])
            parent = res.clean[:-1]
            owner = _model_at(model, parent)
            allowed = list(owner.model_fields) if owner else []
            close = _close_matches(key, allowed, n=1, cutoff=0.6)
            where = display_path(parent) or kind_name
            message = _("{where} 里没有字段“{key}”").format(where=where, key=key) + (
                _("；是不是想写“{name}”？").format(name=close[0]) if close
                else _("；可以写的字段：{keys}").format(keys=", ".join(allowed))
            )
            problems.append(Problem(path, *_mark(res.key_node or res.node), message))
        elif err["type"] == "invalid_key":
            parent = res.clean[:-1] if not res.rest else res.clean
            where = display_path(parent) or kind_name
            key = res.clean[-1] if not res.rest else res.rest[0]
            target = res.key_node if not res.rest and res.key_node is not None else res.node
            shown = target.value if isinstance(target, ScalarNode) and target is res.key_node else key
            problems.append(Problem(path, *_mark(target), _("{where}：字段名“{key}”不是文字；"
                                    "字段名是 id、title 这样的名字").format(where=where, key=shown)))
        elif "[key]" in err["loc"] and res.clean:
            where = display_path(res.clean[:-1]) or kind_name
            shown = _describe(res.clean[-1], res.key_node)
            problems.append(Problem(path, *_mark(res.node), _("{where}：键必须是文字，这里却是{found}").format(
                where=where, found=shown)))
        else:
            where = display_path(res.clean) or kind_name
            problems.append(Problem(path, *_mark(res.node), _error_message(err, where, res.node, model, res)))
    return problems
