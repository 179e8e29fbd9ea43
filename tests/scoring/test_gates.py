"""Pair gates and negation ends (issue 18 §4): pre-checks that skip a regex run must never skip a match.

Both are necessary conditions worked out from a pattern's parse (scoring.gates); these tests check
the derivation on hand-written patterns and then, for real, every built-in lexicon pattern and the
negation pattern against the replies of tests/data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.analyzer import default_analyzer
from scoring.cues import ReplyCues
import copy

from scoring import lexicon as lexicon_module
from scoring.gates import last_chars, pattern_literals, pattern_pairs, pattern_strings
from scoring.normalize import normalize

DATA = Path(__file__).resolve().parents[1] / "data"


def _replies() -> list[str]:
    texts = []
    for path in sorted([*DATA.glob("*.jsonl"), *DATA.glob("corpus/*.jsonl")]):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                texts.append(normalize(row["text"][:2000]))
    return texts


@pytest.mark.parametrize("pattern, pairs", [
    ("很(抱歉|对不起|过意不去)", {"很抱", "很对", "很过"}),
    ("(您|你)(们)?(要求|诉求)", {"要求", "诉求"}),  # 您 alone is one character: no pair from it
    ("(的)?(要求|诉求|请求)", {"要求", "诉求", "请求"}),
    ("不(?![对错])(行|可以)", {"不行", "不可"}),  # a lookahead consumes nothing: 不 and 行 stay adjacent
])
def test_pair_gates_hold_two_adjacent_characters_every_match_needs(pattern, pairs):
    assert pattern_pairs(pattern) == frozenset(pairs)


@pytest.mark.parametrize("pattern", ["谢", "(您|你|亲)", "[^,]{2,}", ".*", "(?i)ab"])
def test_no_pair_gate_when_a_match_may_hold_no_known_pair(pattern):
    assert pattern_pairs(pattern) is None


def test_last_chars_of_anchored_patterns():
    assert last_chars("ab?$") == frozenset("ab")
    assert last_chars("(?:不|没有)(是|给)*$") == frozenset("不有是给")
    assert last_chars("a*$") is None  # may match the empty string: no gate
    assert last_chars("(x|y[^z])$") is None  # a negated class may end it with anything


def test_every_builtin_match_meets_its_pair_gate():
    """Run every pattern of the merged lexicon on every test reply: a match always holds a pair of its gate."""
    lexicon = default_analyzer().lexicon
    texts = _replies()
    assert len(texts) > 100
    checked = 0
    for cues in lexicon.categories.values():
        cues.compile_all()
        for i, (_entry, regex) in enumerate(cues._compiled):
            gate = cues._pairs[i]
            if gate is None:
                continue
            for text in texts:
                m = regex.search(text)
                if m is not None:
                    checked += 1
                    assert any(p in text for p in gate), (cues._patterns[i], text)
    assert checked > 1000


def test_the_scan_finds_what_running_every_pattern_finds():
    """The gated scan (characters and pairs) against every pattern run on every reply, ungated."""
    lexicon = default_analyzer().lexicon
    scanner = lexicon.scanner
    scanner.compile_all()
    for text in _replies()[:400]:
        expected = sorted(((h.start, -h.entry.level, i, h.end) for i, (entry, regex) in enumerate(scanner._compiled)
                           for h in [type("H", (), {"start": m.start(), "end": m.end(), "entry": entry})
                                     for m in regex.finditer(text) if m.end() > m.start()]))
        got = scanner.find(text)
        assert [(h.start, h.end, h.entry.rule) for h in got] == [
            (s, e, scanner._compiled[i][0].rule) for s, _lv, i, e in expected], text


@pytest.mark.parametrize("pattern, literals", [
    ("退款金额", {"退款金额"}),
    ("这边(给您|为您)(申请|处理)", {"这边给您申请", "这边给您处理", "这边为您申请", "这边为您处理"}),
    ("不(?![对错])(可以|能够)办", {"不可以办", "不能够办"}),  # a lookahead consumes nothing
    ("(抱歉了|对不起)[^,]*等", {"抱歉了", "对不起"}),
])
def test_literal_gates_hold_a_whole_fixed_string_every_match_needs(pattern, literals):
    assert pattern_literals(pattern) == frozenset(literals)


@pytest.mark.parametrize("pattern", ["谢谢", "(的)?(要求|诉求)", "a(b|c)d+", "(退货)?款", "[^退]款项", "(?i)abc", ".*"])
def test_no_literal_gate_when_a_match_may_hold_fewer_than_three_fixed_characters(pattern):
    assert pattern_literals(pattern) is None


def test_every_builtin_match_meets_its_literal_gate():
    """Every pattern of the merged lexicon on every test reply: a reply it matches holds one of its literals."""
    lexicon = default_analyzer().lexicon
    literals = lexicon_module._LITERALS
    if not literals:  # the shipped cache is built for another interpreter: the YAML is read, with no literal gates
        pytest.skip("the lexicon cache (which holds the literal gates) is not used under this interpreter")
    assert len(literals) > 500  # read from the shipped cache (test_lexicon_cache checks it is current)
    texts = _replies()
    checked = 0
    for cues in lexicon.categories.values():
        cues.compile_all()
        for i, (_entry, regex) in enumerate(cues._compiled):
            gates = literals.get(cues._patterns[i])
            if gates is None:
                continue
            assert gates == tuple(tuple(sorted(g)) for g in pattern_strings(cues._patterns[i])), cues._patterns[i]
            best = pattern_literals(cues._patterns[i])
            assert best is None or frozenset(gates[0]) == best  # the best gate first
            for text in texts:
                if regex.search(text) is not None:
                    checked += 1
                    for gate in gates:
                        assert any(s in text for s in gate), (cues._patterns[i], text, gate)
    assert checked > 500


def test_the_scan_before_any_compile_finds_what_the_compiled_scan_finds():
    """A scanner whose patterns are not compiled yet (literal gates in force) against the compiled one."""
    scanner = default_analyzer().lexicon.scanner
    scanner.compile_all()
    fresh = copy.copy(scanner)
    fresh._compiled = [(entry, None) for entry, _regex in scanner._compiled]  # as a process starts
    for text in _replies():
        got = fresh.find(text)
        assert [(h.start, h.end, h.entry.rule) for h in got] == [
            (h.start, h.end, h.entry.rule) for h in scanner.find(text)], text
        fresh._compiled = [(entry, None) for entry, _regex in fresh._compiled]  # every reply a first meeting


def test_the_negation_shortcut_agrees_with_the_negation_pattern():
    analyzer = default_analyzer()
    analyzer.load()
    aux = analyzer._aux
    assert aux.negation_ends  # the built-in negation pattern has known last characters
    negated = 0
    for text in [*_replies()[:600], "不\n退款", "没有\n"]:
        cues = ReplyCues(text, {}, aux)
        for start in range(len(text) + 1):
            slow = aux.negation.search(text, max(0, start - 12), start) is not None
            assert cues.negated(start) == slow, (text, start)
            negated += slow
    assert negated > 50


def test_normalize_checks_exactly_the_characters_it_folds():
    """normalize() skips the 著/妳/祢 fold when none is present: the skip must name every folded character."""
    import inspect

    from scoring import normalize as module

    folded = {chr(k) for k in module._FOLD}
    assert folded == {"著", "妳", "祢"}
    source = inspect.getsource(module.normalize)
    assert all(f'"{ch}" in text' in source for ch in folded)
    assert module.normalize("等著妳") == "等着你"


# -- hand-written character gates of the time patterns (scoring.slots / scoring.quantities) ----------

# One phrase per alternative and per unit of slots._TIME and quantities.TIME_RE.
_TIME_PHRASES = ["3月5日", "十二月三日", "25号前", "24小时内", "半小时内", "10分钟内", "三个钟头内", "3个工作日内",
                 "两个工作天内", "3天内", "5日内", "两个星期内", "两周内", "一个礼拜内", "下周一", "这个星期天",
                 "下下礼拜三", "大后天", "后天", "明天", "明日", "今天", "今日", "今晚", "当天", "当日", "本周",
                 "这周", "周末", "5点前", "三个月", "几天", "7天左右能到"]


_MONEY_PHRASES = ["退50元", "三十块", "赔20块钱", "100rmb", "50人民币", "¥30", "退30%", "百分之二十", "退一半", "半价"]


def test_time_gates_never_skip_a_time_word():
    """The one-character-class pre-checks before the time, money and percent patterns hold for every match,
    on every reply of tests/data and on one phrase per alternative."""
    from scoring.quantities import AMOUNT_RE, PERCENT_RE, TIME_RE, find_amounts, find_percents, find_time_frames
    from scoring.slots import _TIME, resolve_times

    texts = [normalize(t) for t in _replies()] + [f"亲，{p}给您补发" for p in _TIME_PHRASES + _MONEY_PHRASES]
    found = 0
    for norm in texts:
        assert [a.start for a in find_amounts(norm)] == [m.start() for m in AMOUNT_RE.finditer(norm)], norm
        assert [a.start for a in find_percents(norm)] == [m.start() for m in PERCENT_RE.finditer(norm)], norm
        assert [t.start for t in resolve_times(norm, None)] == [m.start() for m in _TIME.finditer(norm)], norm
        assert [t.start for t in find_time_frames(norm)] == [m.start() for m in TIME_RE.finditer(norm)], norm
        found += bool(_TIME.search(norm))
    assert found >= len(_TIME_PHRASES) - 3  # the phrases do reach the patterns (a few are TIME_RE's only)


def test_slot_union_patterns_read_as_the_families_one_by_one():
    """slots.yaml's attributes gated by their union, and its actors read as one pattern, give what each
    pattern run on its own gives: the first actor in the clause (ties to the first in the file)."""
    import re

    import yaml

    from scoring.slots import DATA, _actor, _clauses, forms

    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    actors = [(name, re.compile("|".join(v))) for name, v in data["actors"].items()]
    f = forms()
    checked = 0
    for norm in (normalize(t) for t in _replies()):
        for s, e, _n in _clauses(norm):
            clause = norm[s:e]
            starts = [(m.start(), name) for name, p in actors if (m := p.search(clause))]
            assert _actor(f, clause) == (min(starts, key=lambda x: x[0])[1] if starts else "shop"), clause
            assert (f.any_attribute.search(norm, s, e) is not None) == any(
                p.search(norm, s, e) for p in f.attributes.values()), clause
            checked += bool(starts)
    assert checked > 100


def test_the_slot_kind_gate_never_skips_a_kind_word():
    """slots.yaml's kind union runs only on replies holding a character of its rarest gate: on every reply
    of tests/data, every slots.yaml example and each kind pattern's own words, a match is never skipped."""
    import re

    from scoring.gates import split_alternatives
    from scoring.slots import forms

    f = forms()
    assert f.kind_chars is not None
    words = []  # one phrase per alternative of every kind pattern, built from its literal characters
    for pattern in f.kinds.values():
        for alt in split_alternatives(pattern.pattern):
            words.append(re.sub(r"\(\?<?[!=][^)]*\)|[()?|\\]", "", alt))
    texts = [normalize(t) for t in _replies()] + [normalize(e["text"]) for e in f.examples] + \
        [f"亲，{w}给您" for w in words]
    reached = 0
    for norm in texts:
        if f.any_kind.search(norm):
            reached += 1
            assert f.kind_chars.search(norm), norm
    assert reached > 300


def test_the_promise_and_charge_gates_never_skip_a_match():
    """slots.yaml's promises and claims.charge run only on replies holding a character of their rarest gate:
    on every reply of tests/data and every slots.yaml example a match is never skipped."""
    from scoring.slots import _gated_search, forms

    f = forms()
    assert f.promise_chars is not None and f.charge_chars is not None
    texts = [normalize(t) for t in _replies()] + [normalize(e["text"]) for e in f.examples]
    reached = {"promise": 0, "charge": 0}
    for norm in texts:
        for name, chars in (("promise", f.promise_chars), ("charge", f.charge_chars)):
            pattern = getattr(f, name)
            found = pattern.search(norm)
            if found:
                reached[name] += 1
                assert chars.search(norm), (name, norm)
            gated = _gated_search(pattern, chars, norm)
            assert (gated and gated.span()) == (found and found.span()), (name, norm)
    assert reached["promise"] > 200 and reached["charge"] > 10, reached


def test_the_six_character_check_agrees_with_counting():
    """stuffing_reason's early exit (fewer than six content characters) by one regex search, not a count."""
    import random

    from scoring.clauses import _CONTENT, _SIX

    rnd = random.Random(7)
    alphabet = "ab19 ,.。!?\n~…好的亲您抱歉"
    texts = [normalize(t) for t in _replies()] + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
                                                 for _ in range(5000)]
    assert {bool(_SIX.search(t)) for t in texts} == {True, False}
    for text in texts:
        assert bool(_SIX.search(text)) == (len(_CONTENT.findall(text)) >= 6), text
