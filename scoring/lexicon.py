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

import yaml

try:  # the regex parser, to find the characters each pattern needs (see pattern_gate)
    import re._compiler as _compiler
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # Python < 3.11
    import sre_compile as _compiler  # type: ignore[no-redef]
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

try:
    import _sre
except ImportError:  # pragma: no cover - CPython always has it
    _sre = None  # type: ignore[assignment]

try:  # libyaml's loader is several times faster than the pure-Python one
    _YAML_LOADER = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _YAML_LOADER = yaml.SafeLoader

from scoring.inputfile import InputError, read_bounded
from scoring.normalize import script_variants

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


class Hit(NamedTuple):
    """A match of an entry in normalised text."""

    entry: Entry
    start: int
    end: int


# Characters so frequent that gating a pattern on them saves nothing.
_COMMON = set("您你我们的是了不有在这个好请亲一为给帮会可以就也都吗呢哦")


def _gates_seq(items) -> list[frozenset[str]]:
    """Character sets a match of this regex sequence must each meet (one character of every set)."""
    gates: list[frozenset[str]] = []
    for op, av in items:
        gates.extend(_gates_node(op, av))
    return gates


def _gates_node(op, av) -> list[frozenset[str]]:
    if op is _c.LITERAL:
        return [frozenset([chr(av)])]
    if op is _c.IN:
        return [frozenset(chr(v) for o, v in av)] if all(o is _c.LITERAL for o, _ in av) else []
    if op is _c.SUBPATTERN:
        return _gates_seq(av[3])
    if op is _c.BRANCH:  # one character of the union of each alternative's rarest set
        firsts = [min(g, key=_cost) if (g := _gates_seq(alt)) else None for alt in av[1]]
        return [] if any(f is None for f in firsts) else [frozenset().union(*firsts)]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _gates_seq(av[2])
    return []


def _cost(chars: frozenset[str]) -> int:
    return sum(20 if ch in _COMMON else 1 for ch in chars)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex ('a(b|c)|d' -> ['a(b|c)', 'd']).

    Compiled one by one they keep the regex engine's first-character scan (an alternation of
    groups defeats it), which makes matching several times faster.
    """
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return [p for p in parts if p] if all(parts) else [pattern]  # an empty branch: keep it whole


def pattern_gates(pattern: str) -> list[frozenset[str]]:
    """Character sets a text must meet (one character of each) for `pattern` to match; rarest first.

    An empty list means unknown: the pattern always runs.
    """
    try:
        return _sorted_gates(_parser.parse(pattern))
    except Exception:  # an exotic construct: no gate
        return []


def _sorted_gates(parsed) -> list[frozenset[str]]:
    try:
        gates = _gates_seq(parsed)
    except Exception:  # an exotic construct: no gate
        return []
    return sorted(set(gates), key=_cost)


# Character classes recur in almost every pattern ([^,。!?;] alone ~100 times) and re rebuilds each
# one's 64 KB map for a CJK negated class: while compile_pattern runs, identical ones are reused.
_ORIGINAL_CHARSET = getattr(_compiler, "_optimize_charset", None)
_CHARSETS: dict = {}
_CHARSET_LOCK = threading.Lock()


def _memo_charset(charset, iscased=None, fixup=None, fixes=None):
    if fixup is not None or fixes is not None:  # case-insensitive classes: not worth a key
        return _ORIGINAL_CHARSET(charset, iscased, fixup, fixes)
    try:
        key = (tuple(charset), iscased)
        done = _CHARSETS.get(key)
    except TypeError:  # an unhashable item: compute it
        return _ORIGINAL_CHARSET(charset, iscased, fixup, fixes)
    if done is None:
        done = _CHARSETS[key] = _ORIGINAL_CHARSET(charset, iscased, fixup, fixes)
    return list(done[0]), done[1]


def _code(parsed):
    """re's compiled code for a parsed pattern, reusing identical character classes."""
    if _ORIGINAL_CHARSET is None:  # pragma: no cover - another Python's internals
        return _compiler._code(parsed, 0)
    with _CHARSET_LOCK:
        _compiler._optimize_charset = _memo_charset
        try:
            return _compiler._code(parsed, 0)
        finally:
            _compiler._optimize_charset = _ORIGINAL_CHARSET


# pattern -> (compiled regex, gates): each lexicon pattern is parsed and compiled once per process,
# whether it is checked while loading (_entry) or indexed by a CueSet (reloads reuse it too).
_COMPILED: dict[str, tuple[re.Pattern, list[frozenset[str]]]] = {}


def compile_pattern(pattern: str) -> tuple[re.Pattern, list[frozenset[str]]]:
    """The compiled regex and the character gates of `pattern`, parsing it only once.

    Raises re.error for an invalid pattern. (re.compile would parse it again: its own cache holds
    only 512 patterns and knows nothing of the gates.)
    """
    done = _COMPILED.get(pattern)
    if done is not None:
        return done
    regex = None
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        raise
    except Exception:  # pragma: no cover - parser internals changed: let re do it all
        parsed = None
    gates = _sorted_gates(parsed) if parsed is not None else []
    if parsed is not None and _sre is not None:
        try:  # what re._compiler.compile does after parsing, keeping the pattern text
            groupindex = parsed.state.groupdict
            indexgroup = [None] * parsed.state.groups
            for k, i in groupindex.items():
                indexgroup[i] = k
            regex = _sre.compile(pattern, parsed.state.flags, _code(parsed),
                                 parsed.state.groups - 1, groupindex, tuple(indexgroup))
        except re.error:
            raise
        except Exception:  # pragma: no cover - another Python's internals: the public way
            regex = None
    if regex is None:
        regex = re.compile(pattern)
    _COMPILED[pattern] = done = (regex, gates)
    return done


def pattern_gate(pattern: str) -> frozenset[str] | None:
    """The rarest character set of pattern_gates(), or None when unknown."""
    gates = pattern_gates(pattern)
    return gates[0] if gates else None


@dataclass
class CueSet:
    """All entries of one category, each pattern compiled on its own with a character gate.

    A pattern runs only when the text holds one of the characters every match needs (most
    patterns are skipped on most replies), and each compiled pattern keeps the regex engine's
    own literal-prefix speed-ups; this is several times faster than one big alternation.
    """

    entries: list[Entry]
    _compiled: list[tuple[Entry, re.Pattern, list[frozenset[str]]]] = field(init=False, default_factory=list)
    _by_char: dict[str, list[int]] = field(init=False, default_factory=dict)
    _always: list[int] = field(init=False, default_factory=list)
    _keys: frozenset[str] = field(init=False, default=frozenset())
    _gates: dict[int, list[frozenset[str]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = sorted(self.entries, key=lambda e: -e.level)  # strong cues first at a position
        compiled = [(e, *compile_pattern(p)) for e in self.entries for p in e.patterns]
        self._index(compiled)

    def _index(self, compiled: list[tuple[Entry, re.Pattern, list[frozenset[str]]]]) -> None:
        for e, regex, gates in compiled:
            i = len(self._compiled)
            self._compiled.append((e, regex, gates[1:4]))  # the rarest set indexes, the others check
            if not gates:
                self._always.append(i)
            for ch in gates[0] if gates else ():
                self._by_char.setdefault(ch, []).append(i)
        self._keys = frozenset(self._by_char)
        self._gates = {i: gates for i, (_, _, gates) in enumerate(compiled)}

    @classmethod
    def union(cls, sets: Iterable["CueSet"]) -> "CueSet":
        """One CueSet scanning the entries of several (no recompiling): one pass for all categories."""
        merged = cls([])
        compiled = [(e, regex, list(s._gates[i])) for s in sets for i, (e, regex, _) in enumerate(s._compiled)]
        compiled.sort(key=lambda c: -c[0].level)
        merged.entries = [c[0] for c in compiled]
        merged._index(compiled)
        return merged

    def find(self, text: str, chars: set[str] | frozenset[str] | None = None) -> list[Hit]:
        """Every match of every entry, by position (strong entries first at the same position)."""
        if chars is None:
            chars = set(text)
        selected = set(self._always)
        for ch in self._keys.intersection(chars):  # set intersection in C: few dictionary lookups
            selected.update(self._by_char[ch])
        hits = []
        for i in sorted(selected):
            entry, regex, more = self._compiled[i]
            for gate in more:  # the pattern's other required characters (a plain loop: hot path)
                if gate.isdisjoint(chars):
                    break
            else:
                for m in regex.finditer(text):
                    if m.end() > m.start():
                        hits.append(Hit(entry, m.start(), m.end()))
        hits.sort(key=lambda h: (h.start, -h.entry.level))
        return hits


@dataclass
class Lexicon:
    """Every category of the merged lexicon, compiled."""

    categories: dict[str, CueSet]
    sources: list[Path]
    scanner: CueSet = field(init=False)

    # Categories matched on other text than the whole reply (see scoring.analyzer).
    NOT_SCANNED = frozenset({"negation", "refused_before", "question_generic", "time_described", "amount_deducted"})

    def __post_init__(self) -> None:
        self.scanner = CueSet.union(c for name, c in self.categories.items() if name not in self.NOT_SCANNED)

    def __getitem__(self, name: str) -> CueSet:
        return self.categories.get(name) or CueSet([])

    def scan(self, text: str, chars: set[str] | None = None) -> dict[str, list[Hit]]:
        """Matches of every scanned category in one pass, by category (each in text order)."""
        out: dict[str, list[Hit]] = {}
        for hit in self.scanner.find(text, chars):
            out.setdefault(hit.entry.category, []).append(hit)
        return out


def lexicon_paths(extra: Iterable[str | Path] | None = None) -> list[Path]:
    """Built-in lexicon files, then $KEFU_LEXICON's, then `extra` (folders expand to *.yaml)."""
    paths = sorted(DATA_DIR.glob("*.yaml"))
    raw = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    for p in [*raw, *(extra or [])]:
        path = Path(p).expanduser()
        if path.is_dir():
            paths.extend(sorted(p for p in path.glob("*.yaml") if p.is_file()))  # not a FIFO: it would wait
        else:
            paths.append(path)
    return paths


def _read(path: Path) -> dict:
    try:
        data = yaml.load(read_bounded(path, MAX_LEXICON_BYTES).decode("utf-8"), Loader=_YAML_LOADER)
    except InputError as exc:  # missing, a folder, a device, a FIFO's endless stream, too large
        raise LexiconError(f"无法读取词库：{exc.message}") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: 不是 UTF-8 文本（请把词库存为 UTF-8）") from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: a lexicon must map category names to lists of entries")
    return data


def _entry(path: Path, category: str, raw: dict) -> Entry | None:
    rule = raw["rule"]
    unknown = set(raw) - _FIELDS
    if unknown:
        raise LexiconError(f"{path}: {category}/{rule}: unknown field(s) {sorted(unknown)}")
    if raw.get("enabled", True) is False:
        return None
    patterns = raw.get("patterns") or ([raw["pattern"]] if raw.get("pattern") else [])
    if isinstance(patterns, str):
        patterns = [patterns]
    if not patterns:
        raise LexiconError(f"{path}: {category}/{rule}: no patterns")
    converted: list[str] = []
    seen: set[str] = set()
    for raw_pattern in patterns:
        base, *variants = script_variants(str(raw_pattern))
        if "(?P<" in base:
            raise LexiconError(f"{path}: {category}/{rule}: named groups are not allowed in patterns")
        for n, form in enumerate([base, *variants]):  # Taiwan / traditional vocabulary (萤幕, 想像) too
            for alt in split_alternatives(form):
                if alt in seen:
                    continue
                try:  # compiled once here; the CueSet reuses it (compile_pattern's cache)
                    compile_pattern(alt)
                except re.error as exc:
                    if n == 0:  # the pattern as written: is the whole of it valid?
                        try:
                            re.compile(base)
                        except re.error:
                            raise LexiconError(f"{path}: {category}/{rule}: bad pattern {base!r}: {exc}") from None
                    continue  # a variant that is no longer a valid regex
                seen.add(alt)
                converted.append(alt)
    level = raw.get("level", 1)
    if level not in (1, 2):
        raise LexiconError(f"{path}: {category}/{rule}: level must be 1 or 2")
    return Entry(category, str(rule), tuple(converted), level, raw.get("kind"), raw.get("code"),
                 bool(raw.get("negatable", True)), bool(raw.get("word", False)), bool(raw.get("alone", False)))


def load_lexicon(extra: Iterable[str | Path] | None = None) -> Lexicon:
    """Read and merge every lexicon file (later files override earlier ones by category/rule)."""
    merged: dict[str, dict[str, dict]] = {}
    paths = lexicon_paths(extra)
    origin: dict[tuple[str, str], Path] = {}
    for path in paths:
        for category, entries in _read(path).items():
            if not isinstance(entries, list):
                raise LexiconError(f"{path}: {category}: expected a list of entries")
            bucket = merged.setdefault(str(category), {})
            for raw in entries:
                if not isinstance(raw, dict) or "rule" not in raw:
                    raise LexiconError(f"{path}: {category}: every entry needs a 'rule' name: {raw!r}")
                rule = str(raw["rule"])
                base = dict(bucket.get(rule, {}))
                if "pattern" in raw or "patterns" in raw:  # new patterns replace, not extend
                    base.pop("pattern", None)
                    base.pop("patterns", None)
                base.update(raw)
                bucket[rule] = base
                origin[(category, rule)] = path
    categories = {}
    for category, bucket in merged.items():
        entries = [e for rule, raw in bucket.items() if (e := _entry(origin[(category, rule)], category, raw))]
        categories[category] = CueSet(entries)
    return Lexicon(categories, paths)
