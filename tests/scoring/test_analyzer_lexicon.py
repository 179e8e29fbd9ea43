"""Lexicon files, trainer extensions ($KEFU_LEXICON), lazy loading and thread safety of the analyzer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import re
import threading
from pathlib import Path

import pytest

from scoring.analyzer import Analyzer, default_analyzer
from scoring.lexicon import DATA_DIR, USERDICT, LexiconError, load_lexicon, pattern_gate


def test_builtin_lexicons_load_and_cover_every_category():
    lex = load_lexicon()
    for category in ("apology", "empathy", "question", "remedy", "violation", "negation", "thanks", "commitment"):
        assert lex[category].entries, category
    codes = {e.code for e in lex["violation"].entries}
    assert codes == {"insult", "refusal", "excuse", "contradict", "overpromise", "stall"}  # 001 四, 000, 003
    assert USERDICT.exists() and "给您添麻烦" in USERDICT.read_text(encoding="utf-8")


def test_trainer_lexicon_extends_and_overrides(tmp_path, monkeypatch):
    # A trainer adds a shop-specific excuse and switches a built-in weak apology off.
    extra = tmp_path / "shop.yaml"
    extra.write_text(textwrap.dedent("""\
        violation:
          - rule: excuse.weather
            code: excuse
            patterns: ['天氣不好']        # traditional is fine: converted when loaded
        apology:
          - rule: apology.plain
            enabled: false
    """), encoding="utf-8")
    monkeypatch.setenv("KEFU_LEXICON", str(extra))
    analyzer = Analyzer()
    a = analyzer.analyze("天气不好，快递晚了")
    assert a.violation_codes == ["excuse"] and a.violations[0].rule == "excuse.weather"
    assert analyzer.analyze("抱歉亲").apology == 0  # the built-in entry is off
    assert analyzer.analyze("非常抱歉").apology == 2  # other entries stay


def test_folder_in_kefu_lexicon(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("thanks:\n  - rule: thanks.dialect\n    patterns: ['多谢晒']\n", encoding="utf-8")
    monkeypatch.setenv("KEFU_LEXICON", str(tmp_path))
    assert Analyzer().analyze("多谢晒").thanks


@pytest.mark.parametrize("content, message", [
    ("violation:\n  - {rule: x, code: insult, patterns: ['(']}", "bad.yaml:2: violation/x: 正则写错了"),
    ("violation:\n  - {code: insult, patterns: ['a']}", "bad.yaml:2: violation: 每个条目都要有 `rule`"),
    ("violation:\n  - {rule: x, code: insult, pattrens: ['a']}", "bad.yaml:2: violation/x: 未知字段 `pattrens`"),
    ("- just a list", "bad.yaml:1: 词库的顶层必须是"),
    ("apology:\n  - {rule: x, level: 3, patterns: ['a']}", "bad.yaml:2: apology/x: `level` 必须是 1 或 2"),
    # issue 7 §4: a typo in a code or a kind is an error at file:line, never a rule that never fires.
    ("violation:\n  - {rule: x, code: insult, patterns: ['a']}\n  - {rule: y, code: insullt, patterns: ['b']}",
     "bad.yaml:3: violation/y: `code` 必须是 insult, refusal"),
    ("remedy:\n  - {rule: x, kind: refnd, patterns: ['a']}", "bad.yaml:2: remedy/x: `kind` 必须是 refund"),
    ("violaton:\n  - {rule: x, code: insult, patterns: ['a']}", "未知的类别 `violaton`，是不是 `violation`"),
    ("violation:\n  - {rule: x, code: insult, softened: [apolgy], patterns: ['a']}", "未知的类别"),
    # a rule named twice in one file: the second would silently replace the first (as 32 built-in patterns once were)
    ("violation:\n  - {rule: x, code: insult, patterns: ['a']}\n  - {rule: y, code: insult, patterns: ['b']}\n"
     "  - {rule: x, code: stall, patterns: ['c']}", "bad.yaml:4: violation: 规则名 `x` 在本文件第 2 行已经用过"),
])
def test_bad_lexicon_files_are_reported_with_the_file(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon([bad])
    assert message in str(info.value)


def test_a_trainer_pattern_that_could_backtrack_forever_is_refused_or_linear(tmp_path):
    """Issue 10: a trainer's `(好+)+$` must not hang the scorer; RE2 runs it in linear time, and
    constructs RE2 cannot run (look-arounds, back-references) are refused at file:line."""
    good = tmp_path / "good.yaml"
    good.write_text("violation:\n  - {rule: x, code: insult, patterns: ['(好+)+$']}\n", encoding="utf-8")
    analyzer = Analyzer([good])
    import time

    started = time.perf_counter()
    analyzer.analyze("好" * 30 + "！")
    assert time.perf_counter() - started < 5  # backtracking re would take hours on this
    bad = tmp_path / "bad.yaml"
    bad.write_text("violation:\n  - {rule: x, code: insult, patterns: ['(?<!不)好']}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon([bad])
    assert "bad.yaml:2" in str(info.value) and "RE2" in str(info.value)


def test_pattern_gate_finds_required_characters():
    assert pattern_gate("(请|麻烦)?(您|你)[^,]{0,3}(笨|蠢)") == frozenset("笨蠢")
    assert pattern_gate(".*") is None  # no gate: the pattern always runs


def test_importing_scoring_does_not_import_jieba():
    # The TUI's first screen must not wait for jieba (~1 s): it loads in warm_up / first analyze.
    code = "import sys, scoring, scoring.analyzer, scoring.jsonl; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_warm_up_is_idempotent_and_thread_safe():
    analyzer = Analyzer()
    results: list[int] = []

    def work():
        analyzer.warm_up()
        results.append(analyzer.analyze("非常抱歉，给您添麻烦了").apology)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [2] * 8
    tokenizer = analyzer._tokenizer
    analyzer.warm_up()
    assert analyzer._tokenizer is tokenizer


def test_default_analyzer_is_a_singleton():
    assert default_analyzer() is default_analyzer()


def test_data_files_are_yaml_in_the_package():
    # The built-in lexicons must ship inside the `scoring` package (found through importlib.resources,
    # as an installed wheel would), and DATA_DIR must be that folder, not a path into a source checkout.
    from importlib.resources import files

    packaged = files("scoring").joinpath("data")
    names = sorted(r.name for r in packaged.iterdir() if r.name.endswith(".yaml"))
    assert {"apology_empathy.yaml", "flags.yaml", "question.yaml", "solution.yaml", "violations.yaml"} <= set(names)
    assert packaged.joinpath("userdict.txt").is_file()
    assert DATA_DIR.resolve() == Path(str(packaged)).resolve()
    assert sorted(p.name for p in DATA_DIR.glob("*.yaml")) == names
    for name in names:  # the packaged text is what load_lexicon reads
        assert packaged.joinpath(name).read_text(encoding="utf-8") == (DATA_DIR / name).read_text(encoding="utf-8")


def test_loading_the_lexicon_patches_nothing_in_re():
    """Patterns compile through the public re API: re's internals are left as they were."""
    import re._compiler as compiler

    before = compiler._optimize_charset
    from scoring.lexicon import compile_pattern

    regex, gates = compile_pattern("(非常|十分)抱歉[^,。!?;]{0,4}")
    assert compiler._optimize_charset is before
    assert isinstance(regex, re.Pattern) and regex.search("真的非常抱歉呀")
    assert gates and any("歉" in g for g in gates)


def test_upper_case_escapes_keep_their_meaning():
    """A pattern is lower-cased with the reply's text, but \\W must not become \\w (its opposite):
    the filler rule ^\\W*(…|亲|…)\\W*$ once swallowed every clause that held 亲."""
    lex = default_analyzer().lexicon
    filler = [p for e in lex["clause_filler"].entries for p in e.patterns]
    assert any("\\W" in p for p in filler) and not any("\\w*(您好" in p for p in filler)
    assert default_analyzer().analyze("一定没问题的亲").violation_codes == ["overpromise"]


def test_a_built_in_branch_whose_back_reference_points_outside_it_is_an_error(tmp_path, monkeypatch):
    """Top-level | branches are matched one by one: (.)a|b\\1 would leave b\\1 silently unmatched
    (it happened to 你爱退就退); a built-in lexicon saying so fails to load at file:line instead."""
    import scoring.lexicon as lexicon

    monkeypatch.setattr(lexicon, "_trusted", lambda path: True)  # built-in rules: the full re syntax
    bad = tmp_path / "bad.yaml"
    bad.write_text("violation:\n  - {rule: x, code: insult, patterns: ['爱(.)不\\1|(你|您)爱(.)就\\3']}\n",
                   encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon([bad])
    assert "bad.yaml:2: violation/x" in str(info.value) and "单独编译失败" in str(info.value)
    good = tmp_path / "good.yaml"
    good.write_text("violation:\n  - {rule: x, code: insult, patterns: ['爱(.)不\\1', '(?:你|您)爱(.)就\\1']}\n",
                    encoding="utf-8")
    x = next(e for e in load_lexicon([good])["violation"].entries if e.rule == "x")
    assert len(x.patterns) >= 2  # both lines kept: each one a pattern of its own
