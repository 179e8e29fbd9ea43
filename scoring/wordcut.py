"""jieba's word cuts without building jieba's whole prefix dictionary first (issue 18 §4, start-up).

jieba's Tokenizer turns its 349,046-word dictionary into a prefix dictionary (every word and every
prefix of it) before the first cut: about 0.4 s even from its marshal cache, paid by every process
that cuts a single reply. Cutting a text only ever looks up fragments of that text (get_DAG, calc
and the HMM fallback read substrings of the block being cut), so each lookup starts with one of the
text's own characters. `LazyTokenizer` therefore indexes jieba's dict.txt by first character when
first used and fills the prefix dictionary one first character at a time, just before it cuts a text
holding characters not seen yet. The index (runs of lines by first character, and the total) comes
from scoring/data/jieba_index.json when that was built from the very same dict.txt bytes (SHA-256;
`python -m tools.build_jieba_index` writes it, a test checks it), else it is computed (~0.1 s). The shipped
index gives byte offsets, so the dictionary's 5 MB are not decoded as a whole: only the lines of the
characters met (~6 ms of CPU less in the process that loads jieba).

For every key it holds, the value is the one jieba's own initialize() + load_userdict() give it:
the dictionary's words in file order (the last frequency wins, a prefix that is no word is 0),
then the user words; `total` is the same sum. The cuts are therefore jieba's own
(tests/scoring/test_wordcut.py compares both over real replies). Only jieba's public Tokenizer
methods are overridden (initialize, get_DAG, add_word); anything unexpected in the dictionary file
falls back to jieba's own loading.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
from itertools import accumulate, groupby
from operator import itemgetter
from pathlib import Path

__all__ = ["lazy_tokenizer", "import_jieba", "index_dictionary", "write_index", "INDEX_FILE"]

_ASCII_SPACE = " \t\r\x0b\x0c"  # what bytes.strip() removes besides "\n" (jieba strips each line as bytes)
_FREQ_FIELD = re.compile(r"(?m)^[^ \n]+ ([^ \n]*)")  # the second space-separated field of each line


def lazy_tokenizer(userdict: Path | None = None):
    """A jieba Tokenizer on jieba's default dictionary (+ `userdict`), filled on demand."""
    tokenizer = _tokenizer_class()()
    tokenizer.initialize()
    if userdict is not None and userdict.exists():
        tokenizer.load_userdict(str(userdict))
    return tokenizer


_import_lock = threading.Lock()


def import_jieba():
    """The jieba module, imported without setuptools' pkg_resources when nothing imported that yet.

    jieba's _compat module imports pkg_resources (~55 ms of CPU, a deprecated setuptools API) only to
    open jieba's own data files, and opens them with open() when it cannot be imported; this process
    needs nothing else of it. So for the import of jieba, pkg_resources is marked absent
    (sys.modules[name] = None, the documented way to make an import fail), then unmarked. The same
    files are read either way (jieba's dictionary is opened by LazyTokenizer.get_dict_file).
    """
    with _import_lock:
        if "jieba" in sys.modules or "pkg_resources" in sys.modules:  # nothing to spare: a plain import
            import jieba
            return jieba
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            import jieba
        finally:
            if "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
                del sys.modules["pkg_resources"]
    return jieba


_class = None


def _tokenizer_class():
    """The LazyTokenizer class (defined on first use: importing jieba takes ~25 ms, see import_jieba)."""
    global _class
    if _class is not None:
        return _class
    jieba = import_jieba()
    from jieba import finalseg

    class LazyTokenizer(jieba.Tokenizer):
        """jieba.Tokenizer whose prefix dictionary is filled per first character (module docstring)."""

        def __init__(self) -> None:
            super().__init__()  # jieba's default dictionary only
            self._text: str | bytes = ""  # the dictionary file's text, or its bytes (the shipped index's offsets)
            self._runs: dict[str, list[tuple[int, int]]] = {}  # first character -> spans of its lines
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
                    raw = f.read()
                found = _shipped_index(raw)  # byte offsets into raw
                text: str | bytes = raw
                if found is None:  # character offsets into the decoded text
                    text = raw.decode("utf-8").removesuffix("\n")
                    found = index_dictionary(text)
                if found is None:
                    super().initialize()  # something unusual in the file: jieba's own way
                    self._whole = True
                    return
                self.total, runs = found
                by_char: dict[str, list[tuple[int, int]]] = {}
                for ch, start, end in runs:
                    by_char.setdefault(ch, []).append((start, end))
                self._text, self._runs = text, by_char
                self.initialized = True

        def get_dict_file(self):
            if self.dictionary != jieba.DEFAULT_DICT:
                return super().get_dict_file()
            # jieba's own dictionary, from jieba's folder (jieba's fallback opener without pkg_resources
            # joins the path to os.getcwd(), which fails when the working directory is gone)
            return open(Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME), "rb")

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
                        lines = self._text[start:end]
                        lines = lines.decode("utf-8") if isinstance(lines, bytes) else lines
                        for line in lines.split("\n"):
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


def index_dictionary(text: str) -> tuple[int, list[tuple[str, int, int]]] | None:
    """(total frequency, runs) of a jieba dictionary's text (without its final newline): each run is
    (first character, start, end), text[start:end] being consecutive lines with that first
    character, in file order. None when a line is not plain "word freq [tag]" (jieba's own loader
    then decides, errors included)."""
    if not text or "\n\n" in text or any(c in text for c in _ASCII_SPACE[1:]) \
            or text.startswith(" ") or "\n " in text or " \n" in text or text.endswith(" "):
        return None  # lines jieba would strip or refuse: not this reader's business
    lines = text.split("\n")
    freqs = _FREQ_FIELD.findall(text)
    if len(freqs) != len(lines):
        return None
    try:
        total = sum(map(int, freqs))
    except ValueError:
        return None
    cum = list(accumulate(map(len, lines), initial=0))  # line k starts at cum[k] + k
    runs = []
    first_line = 0
    for ch, group in groupby(map(itemgetter(0), lines)):
        end_line = first_line + len(list(group))
        runs.append((ch, cum[first_line] + first_line, cum[end_line] + end_line - 1))
        first_line = end_line
    return total, runs


INDEX_FILE = Path(__file__).with_name("data") / "jieba_index.json"
INDEX_FORMAT = 2  # 2: byte offsets (1: character offsets)


def _shipped_index(raw: bytes) -> tuple[int, list[tuple[str, int, int]]] | None:
    """index_dictionary() of jieba's dictionary as shipped in INDEX_FILE, with byte offsets into `raw`
    instead of character offsets, if it was built from these very bytes (SHA-256); None otherwise (then it
    is computed, ~0.1 s)."""
    try:
        data = json.loads(INDEX_FILE.read_bytes())
        if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT \
                or data.get("sha256") != hashlib.sha256(raw).hexdigest():
            return None
        chars, bounds, total = data["chars"], data["bounds"], data["total"]
        if not (isinstance(chars, str) and isinstance(bounds, list) and len(bounds) == len(chars) + 1
                and isinstance(total, int)):
            return None
    except (OSError, ValueError, KeyError):
        return None
    return total, [(ch, bounds[i], bounds[i + 1] - 1) for i, ch in enumerate(chars)]


def write_index(path: Path = INDEX_FILE) -> Path:
    """Write INDEX_FILE for the installed jieba's dictionary (`python -m tools.build_jieba_index`)."""
    jieba = import_jieba()

    with jieba.Tokenizer().get_dict_file() as f:
        raw = f.read()
    found = index_dictionary(raw.decode("utf-8").removesuffix("\n"))
    if found is None:
        raise ValueError("jieba's dictionary has lines this index does not read; nothing written")
    total, runs = found
    text = raw.decode("utf-8").removesuffix("\n") + "\n"  # the last bound is one past the last line's end
    bounds = _byte_offsets(text, [start for _, start, _ in runs] + [runs[-1][2] + 1])
    data = {"format": INDEX_FORMAT, "sha256": hashlib.sha256(raw).hexdigest(), "total": total,
            "chars": "".join(ch for ch, _, _ in runs), "bounds": bounds}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def _byte_offsets(text: str, offsets: list[int]) -> list[int]:
    """The UTF-8 byte offsets of the ascending character offsets `offsets` of `text`."""
    out, at, size = [], 0, 0
    for offset in offsets:
        size += len(text[at:offset].encode("utf-8"))
        at = offset
        out.append(size)
    return out


def _enter(freq: dict[str, int], word: str, n: int) -> None:
    """jieba's gen_pfdict / add_word step: the word's frequency, and 0 for each prefix not yet known."""
    freq[word] = n
    for i in range(1, len(word)):
        frag = word[:i]
        if frag not in freq:
            freq[frag] = 0

