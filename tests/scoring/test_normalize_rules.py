"""The normalisation rules of scoring/data/normalization.yaml: each example is read as it says, and
a reply in dialect or with typing slips scores like the same reply in plain Mandarin."""

from __future__ import annotations

import pytest
import yaml

from scoring import analyze
from scoring.normalize import PAD, RULES_FILE, load_rewrite_rules, normalize

_DATA = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
_EXAMPLES = [(stage, rule["match"], str(typed), str(read))
             for stage in ("dialect", "typing") for rule in _DATA[stage]
             for typed, read in (rule.get("examples") or {}).items()]


def test_every_rule_has_an_example():
    for stage in ("dialect", "typing"):
        for rule in _DATA[stage]:
            assert rule.get("examples"), f"{stage} rule {rule['match']} has no example"


@pytest.mark.parametrize("stage,match,typed,read", _EXAMPLES, ids=[f"{e[0]}:{e[2]}" for e in _EXAMPLES])
def test_rule_example(stage, match, typed, read):
    assert normalize(typed) == read.replace(" ", PAD)  # a space in the file's reading is the padding
    assert len(normalize(typed)) == len(typed)  # offsets still point into the trainee's words


def test_a_rule_may_not_lengthen_the_text(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("typing:\n  - match: 'bq'\n    to: '非常抱歉'\n", encoding="utf-8")
    rules = load_rewrite_rules(path)["typing"]
    with pytest.raises(ValueError):
        rules.apply("bq")


@pytest.mark.parametrize("typed,plain", [
    ("bq让您久等了，我马上帮您查一下物流", "抱歉让您久等了，我马上帮您查一下物流"),
    ("dbq，非常理届您的心情", "对不起，非常理解您的心情"),
    ("sorry让您久等了，我马上帮您查一下", "对不起让您久等了，我马上帮您查一下"),
    ("很抱谦给您添麻烦了", "很抱歉给您添麻烦了"),
    ("真係好對唔住，係我哋嘅錯，聽日幫你補寄一個", "真是好对不住，是我们的错，明天帮你补寄一个"),
    ("我哋唔接受退換貨，請唔好再提", "我们不接受退换货，请不好再提"),
])
def test_dialect_and_slips_score_like_plain_mandarin(typed, plain):
    a, b = analyze(typed), analyze(plain)
    assert (a.apology, a.empathy, a.question, a.solution, a.violation_codes) == (
        b.apology, b.empathy, b.question, b.solution, b.violation_codes)
    # the slip was read, not skipped (我哋唔接受退換貨: read as a negated exchange slot, issue 17 — no offer)
    assert a.apology or a.empathy or a.solution or a.violation_codes or a.slots


def test_a_padded_rewrite_quotes_the_whole_word():
    a = analyze("sorry让您久等了")
    assert a.apology and any(e.kind == "apology" and e.span.text == "sorry" for e in a.evidence)


def test_every_example_match_holds_one_string_of_each_of_its_rules_string_gates(monkeypatch):
    """The string gates (scoring.gates.rule_gates) are checked before a rule runs: a match lacking one
    would be lost. Every match of every rule in the text its stage reads (each example normalised) must
    meet them."""
    import re

    from scoring.gates import rule_gates
    from scoring.normalize import RewriteRules

    seen: list[str] = []  # the texts a stage was given
    apply = RewriteRules.apply
    monkeypatch.setattr(RewriteRules, "apply", lambda self, text: (seen.append(text), apply(self, text))[1])
    for _stage, _match, typed, _read in _EXAMPLES:
        normalize(typed)
    checked = 0
    for stage in ("dialect", "typing"):
        for rule in _DATA[stage]:
            strings = rule_gates(rule["match"])[1]
            for text in seen:
                for m in re.finditer(rule["match"], text):
                    for gate in strings:
                        assert any(s in text for s in gate), (stage, rule["match"], text, sorted(gate))
                        checked += 1
    assert checked > 100  # most rules have a string gate (理届|理介 …), and their examples match


def test_string_gates_are_fixed_strings_every_match_holds():
    from scoring.gates import rule_gates

    assert rule_gates("理届|理介|礼解")[1] == [frozenset({"理届", "理介", "礼解"})]
    assert rule_gates("对不qi|对8起|对不7")[1] == [frozenset({"对不qi", "对8起", "对不7"})]
    assert rule_gates("保正(?=[^,。!?;]{0,8}(到|好))")[1] == [frozenset({"保正"})]
    assert rule_gates("呢(?=[個个度])")[1] == []  # one fixed character: the character gate says it all
    assert rule_gates("(?i)bq")[1] == []  # a literal stands for more than itself


def test_the_rules_from_the_lexicon_cache_rewrite_as_the_yaml_rules_do():
    """The built-in rules come from the lexicon cache (scoring.normalize.use_cached_rules: gates cached, each rule
    compiled when first run) once the analyzer loads: the same gates and the same rewrites as from the YAML."""
    import json

    from scoring.lexicon_cache import CACHE_FILE
    from scoring.normalize import RewriteRules, rule_rows

    rows = rule_rows()
    assert json.loads(CACHE_FILE.read_bytes())["normalization"] == rows  # (test_lexicon_cache: the cache is current)
    from_yaml = load_rewrite_rules()
    texts = [typed for _s, _m, typed, _r in _EXAMPLES] + ["理届您的心情，bq让您久等了", "真係好對唔住，係我哋嘅錯"]
    for stage in ("dialect", "typing"):
        cached = RewriteRules([(m, to) for m, to, _g, _s in rows[stage]], [(g, s) for _m, _to, g, s in rows[stage]])
        yaml_rules = from_yaml[stage]
        assert cached.matches == yaml_rules.matches and cached.replacement == yaml_rules.replacement
        assert cached._strings == yaml_rules._strings and cached._always == yaml_rules._always
        assert all(r is None for r in cached._compiled)  # compiled when first run
        for text in texts:
            assert cached.apply(text.lower()) == yaml_rules.apply(text.lower()), (stage, text)
        assert any(r is not None for r in cached._compiled)
