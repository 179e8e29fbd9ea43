"""A prebuilt form of the built-in lexicons, so that a process need not re-derive them (issue 18 §4).

Loading the built-in lexicon files means parsing YAML, validating every entry, converting every
pattern to its traditional and Taiwan variants (opencc) and parsing each regex for its character
gates: ~0.13 s of every `kefu score`. scoring/data/lexicon_cache.json holds the result: the entries
by category, in load order, with every pattern's character gates, pair gate and string gates (each a
set of fixed strings one of which a match holds: a pattern is not compiled for a reply that misses one
of its gates). It is

- derived: `python -m tools.build_lexicon_cache` (scoring.lexicon.write_lexicon_cache) writes it from the YAML (deterministically: the
  same files give the same bytes), and tests/scoring/test_lexicon_cache.py checks the shipped file
  is what the YAML gives now;
- keyed: it is used only when its key, a SHA-256 over the built-in lexicon files, the code that
  derives entries from them (lexicon.py, gates.py, normalize.py), the normalisation rules
  (data/normalization.yaml, cached with their gates too: scoring.normalize.rule_rows), the slot forms
  (data/slots.yaml but its examples: scoring.slots.cacheable_data, so that no YAML is read), the opencc,
  Unicode and Python versions, equals the key of the files at hand; any edit of a lexicon makes the
  cache stale;
- never required: a stale, missing or unreadable cache, or any trainer lexicon ($KEFU_LEXICON or
  extra files, merged over the built-ins), means the YAML is read as always.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from pathlib import Path

__all__ = ["CACHE_FILE", "cache_key", "environment", "read_cache", "build_cache", "write_cache"]

_HERE = Path(__file__).resolve().parent
CACHE_FILE = _HERE / "data" / "lexicon_cache.json"
FORMAT = 4  # 2: with each pattern's pair gate (scoring.gates.pattern_pairs); 3: and its literal gate;
# 4: all its string gates (scoring.gates.pattern_strings), not only the best one, the normalisation rules and
# the slot forms' data
# The code that turns a lexicon file into entries and gates: a change there makes the cache stale too.
_CODE = ("lexicon.py", "gates.py", "normalize.py", "lexicon_cache.py", "data/normalization.yaml", "data/slots.yaml")


def environment() -> str:
    """What the cache depends on besides the files: opencc's tables (the script variants), the Unicode
    data and the Python version (how patterns parse into gates). A cache built under another one is
    not used: the YAML is read instead (correct, only slower)."""
    import opencc

    return (f"opencc {getattr(opencc, '__version__', '?')}; unicode {unicodedata.unidata_version}; "
            f"python {sys.version_info[0]}.{sys.version_info[1]}")


def cache_key(paths: list[Path]) -> str:
    """The key of the built-in lexicon files `paths` (see the module docstring)."""
    h = hashlib.sha256()
    h.update(f"kefu lexicon cache {FORMAT}\0{environment()}\0".encode())
    for path in [*paths, *(_HERE / name for name in _CODE)]:
        data = path.read_bytes()
        h.update(f"{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def read_cache(paths: list[Path]) -> dict | None:
    """The cached lexicon of the built-in files `paths`, or None when there is none for them now.

    {"categories": {category: [entry fields, …]}, "gates": {pattern: [gate, …]},
    "pairs": {pattern: [two characters, …]}, "literals": {pattern: [[string, …], …]}} (see build_cache; []
    means no pair or string gate; the literals, each pattern's string gates, best first),
    "normalization": {stage: [[match, to, gate characters, string gates], …]} (scoring.normalize.rule_rows),
    "slots": slots.yaml's data but its examples (scoring.slots.cacheable_data).
    """
    try:
        data = json.loads(CACHE_FILE.read_bytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != cache_key(paths):
            return None
        if not all(isinstance(data.get(k), dict)
                   for k in ("categories", "gates", "pairs", "literals", "normalization", "slots")):
            return None
    except (OSError, ValueError):
        return None
    return data


def build_cache(paths: list[Path], categories: dict) -> dict:
    """The cache contents for the built-in files `paths`, whose categories (name -> CueSet) were read
    from the YAML (scoring.lexicon.load_from_files)."""
    from scoring.gates import _cost, pattern_gates, pattern_pairs, pattern_strings
    from scoring.normalize import rule_rows
    from scoring.slots import cacheable_data

    out: dict[str, list] = {}
    gates: dict[str, list[str]] = {}
    pairs: dict[str, list[str]] = {}
    literals: dict[str, list[list[str]]] = {}
    for category, cues in categories.items():
        rows = out[category] = []
        for e in cues.entries:  # CueSet's own (stable) order: rebuilding keeps it
            if e.linear:  # only trusted built-ins are cached
                raise ValueError(f"{category}/{e.rule}: not a built-in entry")
            rows.append([e.rule, list(e.patterns), e.level, e.kind, e.code, e.negatable, e.word, e.alone,
                         list(e.softened)])
            for p in e.patterns:
                # Ties in rarity in a fixed order, so that the file does not depend on hash seeds.
                gates[p] = ["".join(sorted(g)) for g in sorted(pattern_gates(p), key=lambda g: (_cost(g), sorted(g)))]
                pairs[p] = sorted(pattern_pairs(p) or ())
                literals[p] = [sorted(g) for g in pattern_strings(p)]
    return {"format": FORMAT, "key": cache_key(paths), "built_for": environment(), "categories": out, "gates": gates,
            "pairs": pairs, "literals": literals, "normalization": rule_rows(), "slots": cacheable_data()}


def write_cache(path: Path, paths: list[Path], categories: dict) -> Path:
    """Write the cache of the built-in files `paths` to `path` (see build_cache and
    scoring.lexicon.write_lexicon_cache, the build step)."""
    data = build_cache(paths, categories)
    dump = lambda x: json.dumps(x, ensure_ascii=False)  # noqa: E731
    lines = ["{", f'"format": {data["format"]},', f'"key": {dump(data["key"])},', f'"built_for": {dump(data["built_for"])},',
             '"categories": {']
    cats = list(data["categories"].items())
    for n, (category, rows) in enumerate(cats):  # one entry a line: a lexicon edit shows as a readable diff
        lines.append(f"{dump(category)}: [")
        lines += [dump(row) + ("," if i < len(rows) - 1 else "") for i, row in enumerate(rows)]
        lines.append("]" + ("," if n < len(cats) - 1 else ""))
    lines.append("},")
    lines.append('"gates": {')
    gates = list(data["gates"].items())
    lines += [f"{dump(k)}: {dump(v)}" + ("," if i < len(gates) - 1 else "") for i, (k, v) in enumerate(gates)]
    lines.append("},")
    lines.append('"pairs": {')
    pairs = list(data["pairs"].items())
    lines += [f"{dump(k)}: {dump(v)}" + ("," if i < len(pairs) - 1 else "") for i, (k, v) in enumerate(pairs)]
    lines.append("},")
    lines.append('"literals": {')
    literals = [(k, v) for k, v in data["literals"].items() if v]  # only patterns that have one
    lines += [f"{dump(k)}: {dump(v)}" + ("," if i < len(literals) - 1 else "") for i, (k, v) in enumerate(literals)]
    lines.append("},")
    lines.append('"normalization": {')
    stages = list(data["normalization"].items())
    for n, (stage, rows) in enumerate(stages):  # one rule a line
        lines.append(f"{dump(stage)}: [")
        lines += [dump(row) + ("," if i < len(rows) - 1 else "") for i, row in enumerate(rows)]
        lines.append("]" + ("," if n < len(stages) - 1 else ""))
    lines.append("},")
    lines.append(f'"slots": {dump(data["slots"])}')
    lines += ["}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
