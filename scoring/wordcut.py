"""jieba's word cuts without building jieba's whole prefix dictionary first (issue 18 §4, start-up).

jieba's Tokenizer turns its 349,046-word dictionary into a prefix dictionary (every word and every
prefix of it) before the first cut: about 0.4 s even from its marshal cache, paid by every process
that cuts a single reply. Cutting a text only ever looks up fragments of that text (get_DAG, calc
and the HMM fallback read substrings of the block being cut), so each lookup starts with one of the
text's own characters. `LazyTokenizer` therefore indexes jieba's dict.txt by first character when
first used (~0.1 s) and fills the prefix dictionary one first character at a time, just before it
cuts a text holding characters not seen yet.

For every key it holds, the value is the one jieba's own initialize() + load_userdict() give it:
the dictionary's words in file order (the last frequency wins, a prefix that is no word is 0),
then the user words; `total` is the same sum. The cuts are therefore jieba's own
(tests/scoring/test_wordcut.py compares both over real replies). Only jieba's public Tokenizer
methods are overridden (initialize, get_DAG, add_word); anything unexpected in the dictionary file
falls back to jieba's own loading.
"""

from __future__ import annotations

import re
import threading
from itertools import groupby
from operator import itemgetter
from pathlib import Path

__all__ = ["lazy_tokenizer"]

_ASCII_SPACE = " \t\r\x0b\x0c"  # what bytes.strip() removes besides "\n" (jieba strips each line as bytes)
_FREQ_FIELD = re.compile(r"(?m)^[^ \n]+ ([^ \n]*)")  # the second space-separated field of each line


def lazy_tokenizer(userdict: Path | None = None):
    """A jieba Tokenizer on jieba's default dictionary (+ `userdict`), filled on demand."""
    tokenizer = _tokenizer_class()()
    tokenizer.initialize()
    if userdict is not None and userdict.exists():
        tokenizer.load_userdict(str(userdict))
    return tokenizer


_class = None


def _tokenizer_class():
    """The LazyTokenizer class (defined on first use: importing jieba takes ~50 ms)."""
    global _class
    if _class is not None:
        return _class
    import jieba
    from jieba import finalseg

    class LazyTokenizer(jieba.Tokenizer):
        """jieba.Tokenizer whose prefix dictionary is filled per first character (module docstring)."""

        def __init__(self) -> None:
            super().__init__()  # jieba's default dictionary only
            self._lines: list[str] = []
            self._runs: dict[str, list[tuple[int, int]]] = {}  # first character -> line ranges
            self._user: dict[str, list[tuple[str, int]]] = {}  # first character -> user words, in order
            self._filled: set[str] = set()
            self._whole = False  # the whole dictionary is in (jieba's own loading, or everything filled)

        def initialize(self, dictionary=None):
            if dictionary is not None:  # another dictionary: jieba's own loading
                return super().initialize(dictionary)
            with self.lock:
                if self.initialized:
                    return
                with self.get_dict_file() as f:
                    data = f.read().decode("utf-8")
                if not self._index(data):
                    super().initialize()  # something unusual in the file: jieba's own way
                    self._whole = True
                    return
                self.initialized = True

        def _index(self, data: str) -> bool:
            """Index the dictionary's lines by first character and sum the frequencies; False when
            a line is not plain "word freq [tag]" (then jieba's own loader decides, errors included)."""
            if data.endswith("\n"):
                data = data[:-1]
            if not data or "\n\n" in data or any(c in data for c in _ASCII_SPACE[1:]) \
                    or data.startswith(" ") or "\n " in data or " \n" in data or data.endswith(" "):
                return False
            lines = data.split("\n")
            freqs = _FREQ_FIELD.findall(data)
            if len(freqs) != len(lines):
                return False
            try:
                total = sum(map(int, freqs))
            except ValueError:
                return False
            runs: dict[str, list[tuple[int, int]]] = {}
            start = 0
            for first, group in groupby(map(itemgetter(0), lines)):
                end = start + len(list(group))
                runs.setdefault(first, []).append((start, end))
                start = end
            self._lines, self._runs, self.total = lines, runs, total
            return True

        def get_DAG(self, sentence):  # noqa: N802 - jieba's name
            self.check_initialized()
            if not self._whole and not self._filled.issuperset(sentence):
                self._fill(sentence)
            return super().get_DAG(sentence)

        def _fill(self, text) -> None:
            """Enter the dictionary's words (then the user words) that start with a character of `text`."""
            with self.lock:
                freq = self.FREQ
                for ch in set(text) - self._filled:
                    for start, end in self._runs.get(ch, ()):
                        for line in self._lines[start:end]:
                            word, n = line.split(" ")[:2]
                            _enter(freq, word, int(n))
                    for word, n in self._user.get(ch, ()):
                        _enter(freq, word, n)
                    self._filled.add(ch)

        def add_word(self, word, freq=None, tag=None):
            self.check_initialized()
            if freq is None or self._whole:
                # jieba suggests a frequency by cutting with the whole dictionary: fill all of it.
                if not self._whole:
                    self._fill("".join(self._runs) + "".join(self._user))
                    self._whole = True
                return super().add_word(word, freq, tag)
            word = word.decode("utf-8") if isinstance(word, bytes) else word
            freq = int(freq)
            with self.lock:
                self.total += freq
                if tag:
                    self.user_word_tag_tab[word] = tag
                self._user.setdefault(word[:1], []).append((word, freq))
                if word[:1] in self._filled:  # already filled: enter it now, as jieba would
                    _enter(self.FREQ, word, freq)
            if freq == 0:
                finalseg.add_force_split(word)

    _class = LazyTokenizer
    return _class


def _enter(freq: dict[str, int], word: str, n: int) -> None:
    """jieba's gen_pfdict / add_word step: the word's frequency, and 0 for each prefix not yet known."""
    freq[word] = n
    for i in range(1, len(word)):
        frag = word[:i]
        if frag not in freq:
            freq[frag] = 0

