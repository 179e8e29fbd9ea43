"""The analyzer's phrase lexicons: YAML files under scoring/data/ plus a trainer's own files.

A lexicon file maps a category name to a list of entries::

    apology:
      - rule: apology.intensified      # unique name within the category (shown as evidence)
        level: 2                       # 1 weak, 2 strong (dimension categories)
        patterns: ['(非常|十分)抱歉']    # regular expressions on normalised SIMPLIFIED text
      - rule: apology.plain
        enabled: false                 # a later file can switch a built-in entry off

Patterns are matched against normalised text (simplified, half-width punctuation: ``?`` ``!``
``,`` ``:`` ``;``, lower-case Latin), so write them in simplified characters; traditional ones are
converted when loaded. Extra files named in $KEFU_LEXICON (separated by os.pathsep; a folder means
its *.yaml files) are read after the built-ins: an entry with the same category and rule replaces
(field by field) the built-in one, new rules are added.

Other entry fields: ``kind`` (remedy kind, or question kind open/closed), ``code`` (violation
code), ``negatable`` (default true: a negation right before the match cancels it, see the
``negation`` category), ``word`` (the match must start and end on jieba word boundaries),
``alone`` (violations: only when the reply offers nothing else, e.g. a bare 请稍等).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

import difflib
from operator import add as _add
from operator import itemgetter

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from typing import Literal


def _yaml():
    """PyYAML and its fastest safe loader, imported when a lexicon file is first read: with a current lexicon
    cache (and slots.yaml's forms in it) `kefu score` reads no YAML and does not import it (~8 ms of CPU)."""
    import yaml

    # libyaml's loader is several times faster than the pure-Python one
    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from scoring.inputfile import InputError, read_bounded
from scoring.models import RemedyKind, ViolationCode
from scoring.gates import pattern_gates, pattern_pairs, split_alternatives  # noqa: F401 - public here too
from scoring.normalize import PAD, script_variants, use_cached_rules

DATA_DIR = Path(__file__).with_name("data")
USERDICT = DATA_DIR / "userdict.txt"
ENV_VAR = "KEFU_LEXICON"
MAX_LEXICON_BYTES = 1024 * 1024  # a lexicon file larger than this is refused (the built-ins are ~20 KB)

_FIELDS = {"rule", "level", "patterns", "pattern", "kind", "code", "negatable", "word", "alone", "enabled", "note"}


class LexiconError(ValueError):
    """A lexicon file is unreadable or an entry is malformed (message names the file and rule)."""


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a named group of patterns with what a match means."""

    category: str
    rule: str
    patterns: tuple[str, ...]
    level: int = 1
    kind: str | None = None
    code: str | None = None
    negatable: bool = True
    word: bool = False
    alone: bool = False
    softened: tuple[str, ...] = ()  # violations: not one when the reply also has a cue of these categories
    linear: bool = False  # a trainer's patterns: matched by RE2 in linear time


class Hit(NamedTuple):
    """A match of an entry in normalised text."""

    entry: Entry
    start: int
    end: int


_START = itemgetter(1)  # Hit.start, as a C-level sort key
_tuple_new = tuple.__new__


# pattern -> (compiled regex, gates): each lexicon pattern is parsed and compiled once per process,
# whether it is checked while loading (_entry) or indexed by a CueSet (reloads reuse it too).
_COMPILED: dict[str, tuple[re.Pattern, list[frozenset[str]]]] = {}


def compile_pattern(pattern: str, linear: bool = False) -> tuple[re.Pattern, list[frozenset[str]]]:
    """The compiled regex and the character gates of `pattern`, each computed once per process.

    Raises re.error for an invalid pattern (re.compile's own cache holds only 512 patterns and
    knows nothing of the gates, hence this one). With `linear`, the pattern is matched by
    RE2 (a trainer's pattern: linear time whatever the reply), with the same gates.
    """
    if linear:
        key = "\0re2\0" + pattern
        done = _COMPILED.get(key)
        if done is None:
            re.compile(pattern)  # the same syntax errors as for built-ins
            _COMPILED[key] = done = (_re2().compile(pattern, options=_RE2_OPTIONS), pattern_gates(pattern))
        return done
    done = _COMPILED.get(pattern)
    if done is not None:
        return done
    regex = re.compile(pattern)  # the public API only: nothing of the interpreter's internals is patched
    gates = _KNOWN_GATES.get(pattern)
    _COMPILED[pattern] = done = (regex, gates if gates is not None else pattern_gates(pattern))
    return done


# pattern -> gates of a known-valid built-in pattern (from the lexicon cache) not compiled yet: a
# CueSet compiles it the first time a text meets its gates, or all at once in Lexicon.compile_all().
_KNOWN_GATES: dict[str, list[frozenset[str]]] = {}


# pattern -> its pair gate (scoring.gates.pattern_pairs; None: none), filled from the lexicon cache
# for the built-ins or worked out once per process for any other pattern.
_PAIRS: dict[str, frozenset[str] | None] = {}


# pattern -> its string gates (scoring.gates.pattern_strings: each a tuple of fixed strings one of which a
# match holds, best first), from the lexicon cache: checked only while the pattern is not compiled yet, so
# that a pattern whose other gates pass on replies it can never match is not compiled for them.
_LITERALS: dict[str, tuple[tuple[str, ...], ...]] = {}


def pair_gate(pattern: str) -> frozenset[str] | None:
    """pattern_pairs(pattern), computed once per process (or taken from the lexicon cache)."""
    if pattern in _PAIRS:
        return _PAIRS[pattern]
    gate = _PAIRS[pattern] = pattern_pairs(pattern)
    return gate


def _regex_and_gates(pattern: str, linear: bool) -> tuple[re.Pattern | None, list[frozenset[str]]]:
    """compile_pattern(), except that a pattern whose gates are known is left uncompiled (None)."""
    if not linear and pattern not in _COMPILED:
        gates = _KNOWN_GATES.get(pattern)
        if gates is not None:
            return None, gates
    return compile_pattern(pattern, linear)


def pattern_gate(pattern: str) -> frozenset[str] | None:
    """The rarest character set of pattern_gates(), or None when unknown."""
    gates = pattern_gates(pattern)
    return gates[0] if gates else None


GATE_SLOTS = 4  # gates checked per pattern (the rarest ones): more rarely spare a regex run


@dataclass
class CueSet:
    """All entries of one category, each pattern compiled on its own with its character gates.

    A pattern runs only when the text holds a character of each of its (up to GATE_SLOTS rarest)
    gates, so most patterns are skipped on most replies, and each compiled pattern keeps the regex
    engine's own literal-prefix speed-ups; this is several times faster than one big alternation.
    Which patterns may run is worked out on integers used as bit sets (bit i: pattern i): for each
    gate slot, the union over the text's characters of the patterns whose gate in that slot holds
    the character, intersected over the slots; a few dozen C-level operations a reply instead of a
    Python loop over every candidate pattern. A pattern with a pair gate (scoring.gates.pattern_pairs:
    two adjacent characters a match needs, e.g. 要求 for (的)?(要求|诉求)) runs only when the text
    also holds one of its pairs, worked out the same way over the text's pairs of adjacent characters:
    this halves the patterns run on a reply (36 to 18 on the helpdesk replies).
    """

    entries: list[Entry]
    _compiled: list[tuple[Entry, re.Pattern | None]] = field(init=False, default_factory=list)  # None: later
    _patterns: list[str] = field(init=False, default_factory=list)
    # char -> the GATE_SLOTS bit sets (one a slot) side by side in one integer, slot s at bit s * _width:
    # one OR a character instead of one a slot.
    _masks: dict[str, int] = field(init=False, default_factory=dict)
    _lacking: int = field(init=False, default=0)  # per slot, the patterns without a gate in that slot
    _width: int = field(init=False, default=0)  # the number of patterns: the bits of one slot
    _keys: frozenset[str] = field(init=False, default=frozenset())
    _gates: dict[int, list[frozenset[str]]] = field(init=False, default_factory=dict)
    _pair_masks: dict[str, int] = field(init=False, default_factory=dict)  # two characters -> a bit set
    _pair_lacking: int = field(init=False, default=0)  # patterns without a pair gate
    _pair_keys: frozenset[str] = field(init=False, default=frozenset())
    _pairs: dict[int, frozenset[str] | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = sorted(self.entries, key=lambda e: -e.level)  # strong cues first at a position
        compiled = [(e, *_regex_and_gates(p, e.linear), p, pair_gate(p)) for e in self.entries for p in e.patterns]
        self._index(compiled)

    def _index(self, compiled: list[tuple[Entry, re.Pattern | None, list[frozenset[str]], str,
                                          frozenset[str] | None]]) -> None:
        masks: dict[str, list[int]] = {}
        lacking = [0] * GATE_SLOTS
        pair_masks: dict[str, int] = {}
        pair_lacking = 0
        for e, regex, gates, pattern, pairs in compiled:
            i = len(self._compiled)
            self._compiled.append((e, regex))
            self._patterns.append(pattern)
            bit = 1 << i
            if pairs is None:
                pair_lacking |= bit
            else:
                for pair in pairs:
                    pair_masks[pair] = pair_masks.get(pair, 0) | bit
            for slot in range(GATE_SLOTS):
                if slot >= len(gates):
                    lacking[slot] |= bit  # no gate left: this slot never holds it back
                    continue
                for ch in gates[slot]:
                    masks.setdefault(ch, [0] * GATE_SLOTS)[slot] |= bit
        width = self._width = len(self._compiled)
        side_by_side = lambda slots: sum(m << (s * width) for s, m in enumerate(slots))  # noqa: E731
        self._masks = {ch: side_by_side(m) for ch, m in masks.items()}
        self._lacking = side_by_side(lacking)
        self._keys = frozenset(masks)
        self._gates = {i: gates for i, (_, _, gates, _, _) in enumerate(compiled)}
        self._pair_masks = pair_masks
        self._pair_lacking = pair_lacking
        self._pair_keys = frozenset(pair_masks)
        self._pairs = {i: pairs for i, (_, _, _, _, pairs) in enumerate(compiled)}

    def _compile(self, i: int) -> re.Pattern:
        """Pattern i's regex, compiled now if it was left for later (thread-safe: at worst twice)."""
        entry, regex = self._compiled[i]
        if regex is None:
            regex = compile_pattern(self._patterns[i], entry.linear)[0]
            self._compiled[i] = (entry, regex)
        return regex

    def compile_all(self) -> None:
        """Compile every pattern left for later (so that no reply pays for it)."""
        for i in range(len(self._compiled)):
            self._compile(i)

    @classmethod
    def union(cls, sets: Iterable["CueSet"]) -> "CueSet":
        """One CueSet scanning the entries of several (no recompiling): one pass for all categories."""
        merged = cls([])
        compiled = [(e, regex, list(s._gates[i]), s._patterns[i], s._pairs[i])
                    for s in sets for i, (e, regex) in enumerate(s._compiled)]
        compiled.sort(key=lambda c: -c[0].level)
        merged.entries = [c[0] for c in compiled]
        merged._index(compiled)
        return merged

    def find(self, text: str, chars: set[str] | frozenset[str] | None = None) -> list[Hit]:
        """Every match of every entry, by position (strong entries first at the same position)."""
        a = self._lacking
        masks = self._masks
        # set intersection in C: few dictionary lookups (over the text itself when no set of its characters
        # is given: building one first costs more, ~1 us a reply)
        for ch in self._keys.intersection(text if chars is None else chars):
            a |= masks[ch]
        w = self._width  # GATE_SLOTS == 4: the slots' bit sets intersected, unrolled (hot path)
        found = a & (a >> w) & (a >> 2 * w) & (a >> 3 * w) & ((1 << w) - 1)
        if found & ~self._pair_lacking:  # some candidates need two adjacent characters: check those
            pairs = self._pair_lacking
            pair_masks = self._pair_masks
            for pair in self._pair_keys.intersection(map(_add, text, text[1:])):
                pairs |= pair_masks[pair]
            found &= pairs
        bits = bin(found)[:1:-1]  # character i is pattern i's bit: ascending, as before
        hits = []
        compiled = self._compiled
        i = bits.find("1")
        while i >= 0:
            entry, regex = compiled[i]
            if regex is None:  # a built-in pattern met for the first time (see _KNOWN_GATES)
                for gate in _LITERALS.get(self._patterns[i], ()):
                    for s in gate:
                        if s in text:
                            break
                    else:
                        break  # the reply holds none of this gate's strings
                else:
                    gate = None
                if gate is not None:
                    i = bits.find("1", i + 1)  # it cannot match this reply: no compile for it
                    continue
                regex = self._compile(i)
            # finditer's matches, by search() from where the last one ended: most candidates match nothing,
            # and one search() returning None costs less than a finditer iterator (~0.25 us a run). After a
            # non-empty match finditer searches on from its end exactly so; after an empty one it must move
            # on, its own rule: such a pattern (rare) is read with finditer from the start instead.
            search = regex.search
            m = search(text)
            if m is not None:
                mark = len(hits)
                while m is not None:
                    start, end = m.span()
                    if end <= start:
                        del hits[mark:]
                        hits.extend(_tuple_new(Hit, (entry, *m.span())) for m in regex.finditer(text) if m.end() > m.start())
                        break
                    hits.append(_tuple_new(Hit, (entry, start, end)))  # Hit(entry, start, end), without a Python frame
                    m = search(text, end)
            i = bits.find("1", i + 1)
        # By position; at the same position strong entries first, which is pattern order (patterns are
        # indexed strongest first and the sort is stable): the position alone is the key.
        hits.sort(key=_START)
        return hits


@dataclass
class Lexicon:
    """Every category of the merged lexicon, compiled."""

    categories: dict[str, CueSet]
    sources: list[Path]
    scanner: CueSet = field(init=False)

    # Categories matched on other text than the whole reply (see scoring.analyzer).
    NOT_SCANNED = frozenset({"negation", "refused_before", "question_generic", "time_described", "amount_deducted",
                             "remedy_as_noun", "generic_case_word", "remedy_as_noun_before"})

    def __post_init__(self) -> None:
        self.scanner = CueSet.union(c for name, c in self.categories.items() if name not in self.NOT_SCANNED)

    def compile_all(self) -> None:
        """Compile every pattern now (warm_up: no reply pays for a first compile)."""
        for cues in [*self.categories.values(), self.scanner]:
            cues.compile_all()

    def __getitem__(self, name: str) -> CueSet:
        return self.categories.get(name) or CueSet([])

    def scan(self, text: str, chars: set[str] | None = None) -> dict[str, list[Hit]]:
        """Matches of every scanned category in one pass, by category (each in text order).

        A shorter rewrite's padding (normalize.PAD: 跟你更新\u3000\u3000物流 from 同你update物流) is read through:
        the patterns see the words side by side, the hits keep the padded text's positions."""
        out: dict[str, list[Hit]] = {}
        if PAD in text:
            kept = [i for i, ch in enumerate(text) if ch != PAD]
            kept.append(len(text))
            hits = [Hit(h.entry, kept[h.start], kept[h.end - 1] + 1 if h.end > h.start else kept[h.start])
                    for h in self.scanner.find(text.replace(PAD, ""))]
        else:
            hits = self.scanner.find(text, chars)
        for hit in hits:
            out.setdefault(hit.entry.category, []).append(hit)
        return out


def builtin_paths() -> list[Path]:
    """The built-in lexicon files (scoring/data/*.yaml but the other data files), in load order."""
    return sorted(p for p in DATA_DIR.glob("*.yaml") if p.name not in NOT_LEXICONS)


def lexicon_paths(extra: Iterable[str | Path] | None = None) -> list[Path]:
    """Built-in lexicon files, then $KEFU_LEXICON's, then `extra` (folders expand to *.yaml)."""
    paths = builtin_paths()
    raw = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    for p in [*raw, *(extra or [])]:
        path = Path(p).expanduser()
        if path.is_dir():
            paths.extend(sorted(p for p in path.glob("*.yaml") if p.is_file()))  # not a FIFO: it would wait
        else:
            paths.append(path)
    return paths


NOT_LEXICONS = frozenset({"rubric.yaml", "phrasebook.yaml", "normalization.yaml", "slots.yaml"})  # other data beside the lexicons

# Every category the analyzer reads (a trainer's file may use only these: a typo never fires).
CATEGORIES = frozenset({
    "apology", "empathy", "thanks", "commitment", "preference", "negation", "action", "question",
    "question_generic", "question_open", "embedded", "rhetorical", "remedy", "refused", "refused_before",
    "remedy_demand", "remedy_described", "time_described", "amount_deducted", "tentative", "hedge", "firm",
    "offer", "violation", "clause_quote", "clause_past", "clause_demand_condition", "clause_condition",
    "clause_customer_acts", "clause_limit", "handoff_target", "clause_filler", "remedy_as_noun", "stuffing_cue", "clause_policy_info", "listening", "generic_case_word", "remedy_as_noun_before", "clause_topic", "clause_retracted", "clause_gloss",
    "breezy", "brush_off", "doubt", "review_request", "choice", "address_respectful", "address_casual",
    "understanding_asked", "clears_customer", "own_conduct",
})
QUESTION_KINDS = ("specific", "open", "closed")


class EntryModel(BaseModel):
    """One lexicon entry as written in a file (validated; unknown fields are errors)."""

    model_config = ConfigDict(extra="forbid")

    rule: str = Field(min_length=1, description="规则名（在类别内唯一，作为证据显示）")
    level: Literal[1, 2] = Field(default=1, description="1 弱 / 2 强")
    patterns: list[str] | str | None = Field(default=None, description="正则表达式（简体）")
    pattern: str | None = None
    kind: RemedyKind | Literal["specific", "open", "closed"] | None = Field(
        default=None, description="补救种类（remedy 类）或问题种类（question 类）")
    code: ViolationCode | None = Field(default=None, description="违规代码（violation 类）")
    negatable: bool = True
    word: bool = False
    alone: bool = False
    softened: list[str] = Field(default_factory=list, description="有这些类别的词时不算违规")
    enabled: bool = True
    note: str | None = None

    @field_validator("softened")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"未知的类别 {unknown}；可用：{', '.join(sorted(CATEGORIES))}")
        return value


def _read(path: Path) -> tuple[dict, dict[tuple[str, int], int]]:
    """The file's data and the line of each entry ((category, index) -> 1-based line)."""
    try:
        raw = read_bounded(path, MAX_LEXICON_BYTES)  # missing, a folder, a device, a FIFO, too large
    except InputError as exc:
        raise LexiconError(f"无法读取词库：{exc.message}") from None
    yaml, loader = _yaml()
    try:
        text = raw.decode("utf-8")
        data = yaml.load(text, Loader=loader)
        node = yaml.compose(text, Loader=loader)
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: 不是 UTF-8 文本（请把词库存为 UTF-8）") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise LexiconError(f"{path}{where}: 不是合法的 YAML：{getattr(exc, 'problem', None) or exc}") from None
    lines: dict[tuple[str, int], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    lines[(str(key.value), i)] = item.start_mark.line + 1
    if data is None:
        return {}, lines
    if not isinstance(data, dict):
        raise LexiconError(f"{path}:1: 词库的顶层必须是“类别: 条目列表”的映射")
    return data, lines


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field_name = ".".join(str(x) for x in err["loc"]) or "条目"
        if err["type"] == "extra_forbidden":
            parts.append(f"未知字段 `{field_name}`（可用：{', '.join(sorted(EntryModel.model_fields))}）")
        elif field_name == "code":
            parts.append(f"`code` 必须是 {', '.join(c.value for c in ViolationCode)} 之一")
        elif field_name.startswith("kind"):
            kinds = [k.value for k in RemedyKind] + list(QUESTION_KINDS)
            parts.append(f"`kind` 必须是 {', '.join(kinds)} 之一")
        elif field_name == "level":
            parts.append("`level` 必须是 1 或 2")
        elif field_name.startswith(("patterns", "pattern")):  # a list in a list, a mapping, …
            parts.append(f"`{field_name.split('.')[0]}` 必须是一个正则表达式，或一列正则表达式（每个都是一行文字，不能再嵌套列表或映射）")
        else:
            parts.append(f"`{field_name}`：{err['msg']}")
    return "；".join(dict.fromkeys(parts))


def _trusted(path: Path) -> bool:
    """Built-in lexicons may use the full `re` syntax; a trainer's patterns must be linear-time."""
    try:
        return path.resolve().parent == DATA_DIR.resolve()
    except OSError:
        return False


def _entry(path: Path, category: str, raw: dict, line: int | None = None,
           patterns_from: Path | None = None) -> Entry | None:
    try:
        return _checked_entry(path, category, raw, line, patterns_from)
    except RecursionError:  # ((((…)))) nested beyond what the regex parser can take
        raise LexiconError(f"{path}:{line or '?'}: {category}/{raw.get('rule')}: "
                           "正则的括号嵌套太深，请拆成几条简单的规则") from None


def _checked_entry(path: Path, category: str, raw: dict, line: int | None = None,
                   patterns_from: Path | None = None) -> Entry | None:
    where = f"{path}:{line}" if line else str(path)
    rule = raw.get("rule")
    try:
        model = EntryModel.model_validate(raw)
    except ValidationError as exc:
        raise LexiconError(f"{where}: {category}/{rule}: {_validation_message(exc)}") from None
    if not model.enabled:
        return None
    if category == "violation" and model.code is None:
        raise LexiconError(f"{where}: {category}/{rule}: violation 类的条目必须写 `code`"
                           f"（{', '.join(c.value for c in ViolationCode)}）")
    if category == "remedy" and not isinstance(model.kind, RemedyKind):
        raise LexiconError(f"{where}: {category}/{rule}: remedy 类的条目必须写 `kind`"
                           f"（{', '.join(k.value for k in RemedyKind)}）")
    patterns = model.patterns or ([model.pattern] if model.pattern else [])
    if isinstance(patterns, str):
        patterns = [patterns]
    if not patterns:
        raise LexiconError(f"{where}: {category}/{rule}: 没有 patterns")
    trusted = _trusted(patterns_from or path)
    converted: list[str] = []
    seen: set[str] = set()
    for raw_pattern in patterns:
        base, *variants = (_unprotect(v) for v in script_variants(_protect(str(raw_pattern))))
        if "(?P<" in base:
            raise LexiconError(f"{where}: {category}/{rule}: 规则里不能用命名分组 (?P<…>)")
        if not trusted:
            try:
                re.compile(base)
            except re.error as exc:
                raise LexiconError(f"{where}: {category}/{rule}: 正则写错了 {base!r}：{exc}") from None
            linear_time_check(base, f"{where}: {category}/{rule}")
        for n, form in enumerate([base, *variants]):  # Taiwan / traditional vocabulary (萤幕, 想像) too
            for alt in split_alternatives(form):
                if alt in seen:
                    continue
                try:  # compiled once here; the CueSet reuses it (compile_pattern's cache)
                    compile_pattern(alt, linear=not trusted)
                except re.error as exc:
                    if n == 0:  # the pattern as written: the whole, or one of its top-level branches alone
                        try:
                            re.compile(base)
                        except re.error:
                            raise LexiconError(f"{where}: {category}/{rule}: 正则写错了 {base!r}：{exc}") from None
                        # Each top-level | branch is matched on its own: a back-reference (\1) must name a
                        # group of its own branch, or the branch would silently never match.
                        raise LexiconError(f"{where}: {category}/{rule}: 正则 {base!r} 的分支 {alt!r} 单独编译失败"
                                           f"（{exc}）：顶层用 | 分开的每个分支会单独匹配，反向引用 \\1 只能指向同一分支里的分组，"
                                           "请把它写成单独一行") from None
                    continue  # a variant that is no longer a valid regex
                seen.add(alt)
                converted.append(alt)
    code = model.code.value if model.code else None
    kind = model.kind.value if isinstance(model.kind, RemedyKind) else model.kind
    return Entry(category, str(rule), tuple(converted), model.level, kind, code,
                 model.negatable, model.word, model.alone, tuple(model.softened), not trusted)


# Upper-case escapes (\W \S \D \B) would be lower-cased with the pattern (\W -> \w, the opposite
# class): they cross the script conversion as private-use characters.
_ESCAPES = {"\\W": "\ue000", "\\S": "\ue001", "\\D": "\ue002", "\\B": "\ue003", "\\A": "\ue004",
            "\\Z": "\ue005"}


def _protect(pattern: str) -> str:
    for escape, mark in _ESCAPES.items():
        pattern = pattern.replace(escape, mark)
    return pattern


def _unprotect(pattern: str) -> str:
    for escape, mark in _ESCAPES.items():
        pattern = pattern.replace(mark, escape)
    return pattern


def linear_time_check(pattern: str, where: str) -> None:
    """A trainer's pattern must compile under RE2 (no look-arounds, no back-references), so that no
    reply can make matching it take more than linear time (a `(好+)+$` hangs Python's `re`)."""
    try:
        _re2().compile(pattern, options=_RE2_OPTIONS)
    except LexiconError:
        raise
    except Exception as exc:  # re2.error
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise LexiconError(
            f"{where}: 这条规则 {pattern!r} 用了线性时间引擎 RE2 不支持的写法（{detail}）：自定义词库不能用"
            "后顾/前瞻断言 (?<=…) (?<!…) (?=…) (?!…) 和反向引用 \\1，请改写成不需要它们的样子"
        ) from None


_RE2_OPTIONS = None


def _re2():
    global _RE2_OPTIONS
    try:
        import re2
    except ImportError:  # pragma: no cover - a dependency of kefu
        raise LexiconError("需要 google-re2 才能加载自定义词库：pip install google-re2") from None
    if _RE2_OPTIONS is None:
        options = re2.Options()
        options.log_errors = False  # errors come back as exceptions, not lines on stderr
        _RE2_OPTIONS = options
    return re2


def load_lexicon(extra: Iterable[str | Path] | None = None) -> Lexicon:
    """Read and merge every lexicon file (later files override earlier ones by category/rule).

    The built-ins alone come from their prebuilt form when it is current (scoring.lexicon_cache)."""
    paths = lexicon_paths(extra)
    if paths == builtin_paths():
        from scoring.lexicon_cache import read_cache

        cached = read_cache(paths)
        if cached is not None:
            return Lexicon(_from_cache(cached), paths)
    return Lexicon(load_from_files(paths), paths)


def write_lexicon_cache(path: Path | None = None) -> Path:
    """Write the built-in lexicons' prebuilt form (scoring.lexicon_cache) from their YAML."""
    from scoring.lexicon_cache import CACHE_FILE, write_cache

    paths = builtin_paths()
    return write_cache(path or CACHE_FILE, paths, load_from_files(paths))


def _from_cache(data: dict) -> dict[str, CueSet]:
    """The categories of a current lexicon cache (its gates spare parsing every pattern again)."""
    for pattern, gates in data["gates"].items():  # compiled when first needed (CueSet._compile)
        if pattern not in _COMPILED:
            _KNOWN_GATES[pattern] = [frozenset(g) for g in gates]
    for pattern, pairs in data["pairs"].items():
        _PAIRS.setdefault(pattern, frozenset(pairs) if pairs else None)
    for pattern, literals in data["literals"].items():
        if literals:
            _LITERALS.setdefault(pattern, tuple(map(tuple, literals)))
    use_cached_rules(data["normalization"])  # the normalisation rules and their gates, current with the cache
    from scoring.slots import use_cached_data

    use_cached_data(data["slots"])  # slots.yaml's data (but its examples), current with the cache too
    return {category: CueSet([Entry(category, rule, tuple(patterns), level, kind, code, negatable, word, alone,
                                    tuple(softened))
                              for rule, patterns, level, kind, code, negatable, word, alone, softened in rows])
            for category, rows in data["categories"].items()}


def load_from_files(paths: list[Path]) -> dict[str, CueSet]:
    """Every category of the lexicon files `paths`, read and merged in that order (see load_lexicon)."""
    merged: dict[str, dict[str, dict]] = {}
    origin: dict[tuple[str, str], Path] = {}
    lines: dict[tuple[str, str], int] = {}
    patterns_from: dict[tuple[str, str], Path] = {}
    for path in paths:
        data, positions = _read(path)
        seen_here: dict[tuple[str, str], int | None] = {}  # a rule named twice in one file would lose the first
        for category, entries in data.items():
            if str(category) not in CATEGORIES:
                near = difflib.get_close_matches(str(category), sorted(CATEGORIES), n=1)
                hint = f"，是不是 `{near[0]}`？" if near else ""
                raise LexiconError(f"{path}: 未知的类别 `{category}`{hint}（可用：{', '.join(sorted(CATEGORIES))}）")
            if not isinstance(entries, list):
                raise LexiconError(f"{path}: {category}: 应该是条目列表（每条以 - 开头）")
            bucket = merged.setdefault(str(category), {})
            for index, raw in enumerate(entries):
                line = positions.get((str(category), index))
                if not isinstance(raw, dict) or "rule" not in raw:
                    raise LexiconError(f"{path}:{line or '?'}: {category}: 每个条目都要有 `rule` 名字")
                rule = str(raw["rule"])
                if (str(category), rule) in seen_here:
                    first = seen_here[(str(category), rule)]
                    raise LexiconError(f"{path}:{line or '?'}: {category}: 规则名 `{rule}` 在本文件第 {first or '?'} 行已经用过；"
                                       "同一文件里每个规则名只能出现一次（后一条会整条盖掉前一条），请换一个名字")
                seen_here[(str(category), rule)] = line
                base = dict(bucket.get(rule, {}))
                if "pattern" in raw or "patterns" in raw:  # new patterns replace, not extend
                    patterns_from[(category, rule)] = path
                    base.pop("pattern", None)
                    base.pop("patterns", None)
                base.update(raw)
                bucket[rule] = base
                origin[(category, rule)] = path
                lines[(category, rule)] = line
    categories = {}
    for category, bucket in merged.items():
        entries = [e for rule, raw in bucket.items()
                   if (e := _entry(origin[(category, rule)], category, raw, lines.get((category, rule)),
                                   patterns_from.get((category, rule))))]
        categories[category] = CueSet(entries)
    return categories
