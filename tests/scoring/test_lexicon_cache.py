"""scoring/data/lexicon_cache.json: the built-in lexicons' prebuilt form must be exactly what the YAML gives."""

from __future__ import annotations

import json

import pytest

import scoring.lexicon_cache as lexicon_cache
from scoring.gates import pattern_gates
from scoring.lexicon import builtin_paths, load_from_files, load_lexicon, write_lexicon_cache


def _as_rows(categories) -> dict[str, list[tuple]]:
    return {name: [(e.rule, e.patterns, e.level, e.kind, e.code, e.negatable, e.word, e.alone, e.softened, e.linear)
                   for e in cues.entries] for name, cues in categories.items()}


def _skip_unless_built_for_this_interpreter():
    """The shipped cache is built for one Python/opencc/Unicode; under another the YAML is read."""
    built_for = json.loads(lexicon_cache.CACHE_FILE.read_bytes()).get("built_for")
    if built_for != lexicon_cache.environment():
        pytest.skip(f"the shipped cache was built for {built_for}; here ({lexicon_cache.environment()}) "
                    "the lexicons are read from the YAML, which test_the_cached_lexicon_equals_the_one_read_from_yaml checks")


def test_the_shipped_cache_is_current(tmp_path):
    """Fails after a lexicon edit until `python -m tools.build_lexicon_cache` is run (the cache is
    then stale and unused: correct, only slower)."""
    _skip_unless_built_for_this_interpreter()
    assert lexicon_cache.read_cache(builtin_paths()) is not None, \
        "scoring/data/lexicon_cache.json is stale: run `python -m tools.build_lexicon_cache`"
    rebuilt = write_lexicon_cache(tmp_path / "cache.json")
    assert rebuilt.read_bytes() == lexicon_cache.CACHE_FILE.read_bytes(), \
        "scoring/data/lexicon_cache.json differs from the YAML: run `python -m tools.build_lexicon_cache`"


def test_the_cached_lexicon_equals_the_one_read_from_yaml():
    from_yaml = load_from_files(builtin_paths())
    cached = load_lexicon()  # the built-ins alone: from the cache
    assert _as_rows(cached.categories) == _as_rows(from_yaml)
    assert list(cached.categories) == list(from_yaml)  # the scanner's order too
    data = json.loads(lexicon_cache.CACHE_FILE.read_text(encoding="utf-8"))
    for pattern, gates in data["gates"].items():
        assert {frozenset(g) for g in gates} == set(pattern_gates(pattern)), pattern


def test_an_edited_lexicon_makes_the_cache_stale(tmp_path):
    paths = builtin_paths()
    edited = tmp_path / paths[0].name
    edited.write_bytes(paths[0].read_bytes() + b"\n# a comment is an edit too\n")
    assert lexicon_cache.read_cache([edited, *paths[1:]]) is None


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": 1, "key": "0"}', b"[]"])
def test_a_broken_cache_is_ignored(tmp_path, monkeypatch, content):
    broken = tmp_path / "lexicon_cache.json"
    broken.write_bytes(content)
    monkeypatch.setattr(lexicon_cache, "CACHE_FILE", broken)
    assert lexicon_cache.read_cache(builtin_paths()) is None
    lex = load_lexicon()  # read from the YAML instead
    assert _as_rows(lex.categories) == _as_rows(load_from_files(builtin_paths()))


def test_cached_patterns_compile_when_first_needed_and_all_at_warm_up():
    """load() leaves the built-in patterns uncompiled until a reply meets their gates (kefu score
    pays only for those it uses); warm_up() compiles the rest, so that no reply pays later."""
    _skip_unless_built_for_this_interpreter()
    import subprocess
    import sys
    from pathlib import Path

    code = """
from scoring.analyzer import Analyzer
a = Analyzer(); a.load()
pending = lambda: sum(r is None for c in [*a.lexicon.categories.values(), a.lexicon.scanner] for _, r in c._compiled)
before = pending()
reading = a.analyze("非常抱歉，给您添麻烦了，我们马上给您补发一件")
after = pending()
a.warm_up()
print(before, after, pending(), reading.apology, reading.solution)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    before, after, left = map(int, out[:3])
    assert before > 1000 and 0 < before - after < before and left == 0
    assert out[3:] == ["2", "2"]


def test_the_slot_forms_from_the_cache_are_the_yamls():
    """slots.yaml's data comes from the lexicon cache when it is current (scoring.slots.use_cached_data): the
    same forms as from the YAML, and `kefu score` then reads no YAML at all (PyYAML is not even imported)."""
    import subprocess
    import sys
    from pathlib import Path

    from scoring.slots import SlotForms, cacheable_data, read_data

    _skip_unless_built_for_this_interpreter()
    cached = json.loads(lexicon_cache.CACHE_FILE.read_bytes())["slots"]
    assert cached == cacheable_data() and "examples" not in cached and read_data()["examples"]
    from_cache, from_yaml = SlotForms(cached), SlotForms(read_data())
    names = [n for n in vars(from_yaml) if not n.startswith("_")]
    assert len(names) > 30
    for name in names:
        a, b = getattr(from_cache, name), getattr(from_yaml, name)
        if isinstance(b, dict):
            assert {k: getattr(v, "pattern", v) for k, v in a.items()} == {k: getattr(v, "pattern", v) for k, v in b.items()}
        else:
            assert getattr(a, "pattern", a) == getattr(b, "pattern", b), name
    assert from_cache.examples == from_yaml.examples  # read from the YAML when asked
    replies = Path(__file__).parent.parent / "data" / "corpus" / "tw.jsonl"
    probe = ("import sys; from simulator.cli import main; status = main(['score', sys.argv[1]]); "
             "print(status, 'yaml' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, str(replies)], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent.parent, check=True)
    assert done.stderr.splitlines()[-1] == "0 False" and done.stdout.count("\n") > 100
