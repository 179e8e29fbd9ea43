"""Issue 21 §2: a trainer's lexicon patterns compile as written (\\D is not \\d) and any nesting is a
file:line message, never a traceback."""

from __future__ import annotations

import pytest

from scoring.lexicon import LexiconError, load_lexicon


def _rule(lexicon, rule: str):
    cues = lexicon["apology"]
    return next(e for e in cues.entries if e.rule == rule)


@pytest.mark.parametrize("escape", ["\\D", "\\S", "\\W", "\\B"])
def test_upper_case_escapes_keep_their_meaning(tmp_path, escape):
    path = tmp_path / "mine.yaml"
    path.write_text(f"apology:\n  - rule: mine\n    patterns: ['抱歉{escape}', 'ABC抱歉']\n", encoding="utf-8")
    patterns = _rule(load_lexicon([path]), "mine").patterns
    assert f"抱歉{escape}" in patterns  # not lower-cased into its opposite
    assert "abc抱歉" in patterns  # letters still match lower-cased text


@pytest.mark.parametrize("pattern", ["(" * 1000 + "抱歉" + ")" * 1000, "(?:" * 2000 + "抱歉" + ")" * 2000])
def test_deep_nesting_is_a_message_at_the_line(tmp_path, pattern):
    path = tmp_path / "mine.yaml"
    path.write_text(f"apology:\n  - rule: ok\n    patterns: ['抱歉']\n  - rule: deep\n    patterns: ['{pattern}']\n",
                    encoding="utf-8")
    with pytest.raises(LexiconError, match=f"^{path}:4: apology/deep: 正则的括号嵌套太深"):
        load_lexicon([path])


def test_deeply_nested_yaml_is_a_message_at_the_line(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("apology:\n  - rule: x\n    patterns: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=f"^{path}:3: "):
        load_lexicon([path])


@pytest.mark.parametrize("value", ["[[抱歉]]", "[{a: 抱歉}]", "{a: [抱歉]}"])
def test_nested_patterns_are_a_chinese_message_at_the_line(tmp_path, value):
    path = tmp_path / "mine.yaml"
    path.write_text(f"apology:\n  - rule: nested\n    patterns: {value}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=f"^{path}:2: apology/nested: `patterns` 必须是一个正则表达式，或一列正则表达式"):
        load_lexicon([path])
