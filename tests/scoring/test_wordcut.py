"""scoring.wordcut: jieba's cuts with a prefix dictionary filled on demand, and jieba loaded only when needed."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from scoring.lexicon import USERDICT
from scoring.normalize import normalize
from scoring import wordcut
from scoring.wordcut import index_dictionary, lazy_tokenizer

ROOT = Path(__file__).resolve().parents[2]
CORPORA = sorted((ROOT / "tests" / "data").glob("corpus*/*.jsonl"))


@pytest.fixture(scope="module")
def full_jieba():
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(USERDICT))
    return tokenizer


def _replies() -> list[str]:
    texts = []
    for path in CORPORA:
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


@pytest.mark.parametrize("index", ["shipped", "computed"])
def test_cuts_equal_jiebas_own_on_every_corpus_reply(full_jieba, index, monkeypatch, tmp_path):
    if index == "computed":  # no shipped index: the dictionary is indexed when first needed
        monkeypatch.setattr(wordcut, "INDEX_FILE", tmp_path / "missing.json")
    texts = _replies()
    assert len(texts) > 3000  # six writers and the hold-out: simplified, traditional, Cantonese, typos
    lazy = lazy_tokenizer(USERDICT)
    assert lazy.total == full_jieba.total
    for text in texts:
        for form in (text, normalize(text)):  # the analyzer cuts the normalised text
            assert list(lazy.tokenize(form)) == list(full_jieba.tokenize(form)), form
    # Only what those texts needed was entered, and each entry holds jieba's own value.
    assert 0 < len(lazy.FREQ) < len(full_jieba.FREQ)
    assert all(full_jieba.FREQ.get(k) == v for k, v in lazy.FREQ.items())


def test_the_shipped_index_is_the_installed_dictionarys():
    """Fails after a jieba upgrade until `python -m tools.build_jieba_index` is run (until then the
    index is unused: correct, only slower)."""
    with jieba.Tokenizer().get_dict_file() as f:
        raw = f.read()
    shipped = wordcut._shipped_index(raw)
    assert shipped is not None, "scoring/data/jieba_index.json is stale: run `python -m tools.build_jieba_index`"
    text = raw.decode("utf-8").removesuffix("\n")
    total, runs = index_dictionary(text)
    # The same runs, in byte offsets: each spans the very lines of the decoded text's run.
    assert shipped[0] == total and len(shipped[1]) == len(runs)
    for (ch, start, end), (byte_ch, byte_start, byte_end) in zip(runs, shipped[1]):
        assert ch == byte_ch and raw[byte_start:byte_end].decode("utf-8") == text[start:end]


def test_the_index_gives_each_first_characters_lines_and_the_total():
    text = "ab 3 n\nac 4\nb 5 v\naz 1"
    assert index_dictionary(text) == (13, [("a", 0, 11), ("b", 12, 17), ("a", 18, 22)])
    assert text[0:11].split("\n") == ["ab 3 n", "ac 4"] and text[18:22] == "az 1"


@pytest.mark.parametrize("text", ["", "a 1\n\nb 2", "a 1\r\nb 2", " a 1", "a x n", "a\nb 2", "a  1", "a 1 \nb 2"])
def test_an_unusual_dictionary_is_left_to_jieba(text):
    assert index_dictionary(text) is None


def test_user_words_override_the_dictionary_whenever_they_are_added(full_jieba):
    # 还是 is in jieba's dictionary; the user dictionary raises its frequency (是退/还是换).
    lazy = lazy_tokenizer(USERDICT)
    assert list(lazy.tokenize("是退还是换")) == list(full_jieba.tokenize("是退还是换"))
    assert lazy.FREQ["还是"] == full_jieba.FREQ["还是"] == 200000
    late = lazy_tokenizer(None)
    list(late.tokenize("退还是换"))  # 还 already entered from jieba's dictionary
    late.add_word("还是", 200000)  # a user word added afterwards still wins
    assert late.FREQ["还是"] == 200000
    assert late.total == lazy_tokenizer(None).total + 200000


def test_a_word_without_frequency_fills_the_whole_dictionary(full_jieba):
    lazy = lazy_tokenizer(USERDICT)
    lazy.add_word("退还是换")  # jieba suggests the frequency by cutting with everything it knows
    reference = jieba.Tokenizer()
    reference.initialize()
    reference.load_userdict(str(USERDICT))
    reference.add_word("退还是换")
    assert lazy.FREQ["退还是换"] == reference.FREQ["退还是换"]
    assert len(lazy.FREQ) == len(reference.FREQ)


def test_scoring_a_reply_without_word_cues_does_not_load_jieba():
    # kefu score starts without jieba (issue 18 §4: 0.4 s of every run); a reply that needs word
    # boundaries loads it and is read as before.
    code = ("import sys; from scoring import analyze; a = analyze('非常抱歉，给您添麻烦了，马上给您补发');"
            "print('jieba' in sys.modules, a.apology, a.solution); b = analyze('您是要退还是换？');"
            "print('jieba' in sys.modules, b.solution, b.question)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    first, second = out.stdout.split("\n")[:2]
    assert first == "False 2 2"
    assert second.startswith("True ")


def test_jieba_loads_without_pkg_resources_and_cuts_as_jiebas_own(full_jieba):
    # jieba's _compat imports setuptools' pkg_resources (~55 ms) only to open its own files:
    # the analyzer's tokenizer loads jieba without it, reads the same dictionary and cuts alike.
    texts = ["是退还是换", "您是要退还是换？", "亲，給您退还全款，请注意查收"]
    code = ("import sys, json; from scoring.cues import jieba_tokenizer; t = jieba_tokenizer();"
            f"cuts = [list(t.tokenize(x)) for x in {texts!r}];"
            "print(json.dumps(['pkg_resources' in sys.modules, sys.modules.get('pkg_resources', 0) is None,"
            " t.get_dict_file().name, cuts], ensure_ascii=False))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    imported, marked, dict_file, cuts = json.loads(out.stdout)
    assert not imported and not marked  # not imported, and not left marked absent for later imports
    assert Path(dict_file) == Path(jieba.__file__).with_name("dict.txt")
    assert [[tuple(w) for w in cut] for cut in cuts] == [list(full_jieba.tokenize(x)) for x in texts]


def test_jieba_already_imported_is_taken_as_it_is():
    assert wordcut.import_jieba() is jieba
    assert sys.modules.get("pkg_resources", 0) is not None
