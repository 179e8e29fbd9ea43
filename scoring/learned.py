"""The learned reader: a linear model over character n-grams, beside the rules.

Trained by `tools/train_reader.py` (scikit-learn, development only) and shipped as a JSON file,
gzip-compressed (scoring/data/reader_model.json.gz: 5 MB of text is 1.5 MB in the package): for every
feature string the weight it gives each head
(apology, empathy, question, solution: present or not; violation: any; and one head per violation
code), a bias per head, and the thresholds of the combination rule. Running it needs no library:
the features of a reply are looked up and each head's weights summed exactly (the correctly rounded
sum math.fsum gives, computed on integers: see _EXP), so the same reply gives the same probabilities
on every platform.

Features of a normalised reply (the same function serves training and analysis): character 2- and
3-grams over its content characters (whitespace dropped, digits folded to ``#``, ``^`` and ``$``
marking the start and the end): ``c:抱歉``, ``c:吧?$``. Each present feature counts
1/sqrt(number of features of the reply), so a long reply does not pile up weak evidence. (jieba
words and word pairs were features too at first; leave-one-writer-out gave the same figures without
them - macro 0.911 both, any-violation 0.906 against 0.904 - at 60 % of the model's time, so the
model reads characters only.)

Explainable: `Reading.because(head)` gives the features that pushed a decision most, each with the
span of its first occurrence, so a model decision quotes the trainee's words like a rule does.
How its decisions combine with the rules' is scoring.combine (docs/scoring.md §11).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import marshal
import math
import re
import sys
import threading
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from scoring.normalize import PAD

__all__ = ["HEADS", "DIMENSION_HEADS", "CODE_HEADS", "MODEL_FILE", "FAST_FILE", "LearnedReader", "Reading",
           "features", "default_reader", "is_phrase", "feature_set", "fast_key", "write_fast_form", "model_data",
           "fast_path"]

MODEL_FILE = Path(__file__).with_name("data") / "reader_model.json.gz"
# The model's derived fast form (see write_fast_form): every feature's weights already packed.
FAST_FILE = MODEL_FILE.with_name("reader_model.fast")
_GZIP_MAGIC = b"\x1f\x8b"


def model_data(raw: bytes) -> dict:
    """A model file's contents: JSON, gzip-compressed (the shipped form) or plain."""
    return json.loads((gzip.decompress(raw) if raw[:2] == _GZIP_MAGIC else raw).decode("utf-8"))


def fast_path(model: Path) -> Path:
    """Where the fast form of the model file `model` lives: beside it, named reader_model.fast for reader_model.json(.gz)."""
    name = model.name.removesuffix(".gz").removesuffix(".json")
    return model.with_name(name + ".fast")
DIMENSION_HEADS = ("apology", "empathy", "question", "solution")
CODE_HEADS = ("insult", "refusal", "excuse", "contradict", "overpromise", "stall")
HEADS = (*DIMENSION_HEADS, "violation", *CODE_HEADS)
MIN_N, MAX_N = 2, 3  # character n-grams of these lengths (single characters carry noise, not meaning)

_SKIP = frozenset(" \t\r\n" + PAD)
_DIGIT = re.compile("[0-9]")


def features(norm: str) -> dict[str, tuple[int, int]]:
    """Every feature of a normalised reply with the span of its first occurrence."""
    text, starts, ends = _folded(norm)
    out: dict[str, tuple[int, int]] = {}
    last = len(text)
    for n in range(MIN_N, MAX_N + 1):
        for i in range(last - n + 1):
            key = "c:" + text[i:i + n]
            if key not in out:
                out[key] = (starts[i], ends[i + n - 1])
    return out


def _folded(norm: str) -> tuple[str, list[int], list[int]]:
    """features()'s text (content characters, digits folded to #, between ^ and $) and where each of
    its characters starts and ends in the reply."""
    idx = [i for i, ch in enumerate(norm) if ch not in _SKIP]
    text = "^" + _DIGIT.sub("#", "".join(norm[i] for i in idx)) + "$"
    starts = [idx[0] if idx else 0, *idx, len(norm)]  # where each character of `text` is in the reply
    ends = [starts[1] if idx else 0, *(i + 1 for i in idx), len(norm)]
    return text, starts, ends


def _first_spans(norm: str, grams: Iterable[str]) -> dict[str, tuple[int, int]]:
    """features(norm)'s span of each of `grams` (n-grams of the reply, without "c:"): its first
    occurrence, found by str.find instead of walking every n-gram of the reply."""
    text, starts, ends = _folded(norm)
    out: dict[str, tuple[int, int]] = {}
    for gram in grams:
        i = text.find(gram)
        out[gram] = (starts[i], ends[i + len(gram) - 1])
    return out


def feature_set(norm: str) -> set[str]:
    """The keys of features(norm), without their spans."""
    return {"c:" + gram for gram in _grams(norm)}


# Content characters only, digits folded to # (features()'s text, in one str.translate).
_FOLD = {ord(ch): None for ch in _SKIP} | {ord(d): "#" for d in "0123456789"}
_FOLDED = re.compile("[" + re.escape("".join(sorted(_SKIP))) + "0-9]")  # what _FOLD changes


def _grams(norm: str) -> set[str]:
    """feature_set(norm) without the "c:" prefix (the fast path of LearnedReader.read)."""
    # Most replies hold no space or digit: one regex scan spares the per-character translate.
    text = "^" + (norm.translate(_FOLD) if _FOLDED.search(norm) else norm) + "$"
    return {text[i:i + n] for n in range(MIN_N, MAX_N + 1) for i in range(len(text) - n + 1)}


# Exact sums without math.fsum per head: a weight times 2**_EXP is an integer for every weight of
# at least 2**-(_EXP-52) in magnitude (the shipped weights have 4 decimals: >= 1e-4), and an
# integer sum divided by 2**_EXP is correctly rounded in Python, as fsum's result is: the same float.
# A feature's weights are packed into one integer, _FIELD bits a head (offset by _OFFSET so that every
# field stays non-negative), so that the sum over a reply's features is one C-level sum().
_EXP = 80
_OFFSET = 1 << (_EXP + 8)  # weights below 256 in magnitude
_FIELD = _EXP + 8 + 1 + 16  # room for 2**16 features in one reply (a reply has at most ~4,000)
_MASK = (1 << _FIELD) - 1
_SCALE = 1 << _EXP
_SCALE_F = float(_SCALE)  # exactly 2**_EXP
_UNPACKABLE = -1  # a weight that is not an exact multiple of 2**-_EXP, or too large: fsum instead


def _pack(row: list[float]) -> int:
    """One feature's weights as one integer (see _EXP), or _UNPACKABLE."""
    scaled = [w * _SCALE_F for w in row]  # exact: a power of two (a float: no int-to-float conversion a weight)
    try:
        ints = list(map(int, scaled))
    except (OverflowError, ValueError):  # inf, nan
        return _UNPACKABLE
    if ints != scaled or max(ints) >= _OFFSET or min(ints) <= -_OFFSET:  # int == float compares exactly
        return _UNPACKABLE
    packed = 0
    for value in reversed(ints):
        packed = (packed << _FIELD) | (value + _OFFSET)
    return packed


def _unpack(packed: int, heads: int) -> list[float]:
    """The weights _pack(row) packed, as floats: each field is exactly a weight times 2**_EXP, and an
    integer over a power of two divides correctly rounded in Python: the very floats of the row."""
    return [(((packed >> (i * _FIELD)) & _MASK) - _OFFSET) / _SCALE for i in range(heads)]


class _PackedRows(Mapping):
    """feature name ("c:" + n-gram) -> its weights, unpacked from the fast form when asked (the few
    replies whose decisions are explained), so that loading the model builds no float lists."""

    def __init__(self, packed: dict[str, int], rows: dict[str, list[float]], heads: int) -> None:
        self._packed, self._rows, self._heads = packed, rows, heads

    def __getitem__(self, name: str) -> list[float]:
        gram = name[2:] if name.startswith("c:") else None
        if gram is None or gram not in self._packed:
            raise KeyError(name)
        row = self._rows.get(gram)
        return row if row is not None else _unpack(self._packed[gram], self._heads)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.startswith("c:") and name[2:] in self._packed

    def __iter__(self):
        return ("c:" + gram for gram in self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def is_phrase(name: str) -> bool:
    """Whether a feature quotes at least two characters of the reply (start and end marks do not count)."""
    return len(name.partition(":")[2].replace("^", "").replace("$", "")) >= 2


class Reading:
    """The model's probabilities for one reply; what carried each is worked out when asked."""

    def __init__(self, probabilities: dict[str, float], norm: str, weights: dict[str, list[float]],
                 heads: tuple[str, ...], scale: float, bias: list[float],
                 present: frozenset[str] | set[str] | None = None) -> None:
        self.probabilities = probabilities
        self._present = present  # the reply's n-grams the model knows (read() found them), if given
        self._bias = bias
        self._norm, self._weights, self._heads, self._scale = norm, weights, heads, scale
        self._found: dict[str, tuple[int, int]] | None = None
        self._known: list[tuple[str, list[float] | int, tuple[int, int]]] | None = None
        self._is_packed = False  # whether _known holds packed integers (the fast form) or weight lists

    def __getitem__(self, head: str) -> float:
        return self.probabilities[head]

    def contributions(self, head: str) -> list[tuple[float, str, tuple[int, int]]]:
        """(weight × scale, feature, span) of every feature of the reply that moves `head`."""
        if self._known is None:
            # The reply's features the model knows, by name, worked out once for every head (sorting
            # only these: the sort of every feature was most of the time here).
            weights = self._weights
            fast = isinstance(weights, _PackedRows) and not weights._rows
            if fast and self._present is not None:
                # The known n-grams read() found: only their spans are looked for (building every
                # n-gram's span with features() was most of the time left here).
                packed = weights._packed
                spans = _first_spans(self._norm, self._present)
                self._known = [("c:" + gram, packed[gram], spans[gram]) for gram in sorted(self._present)]
            else:
                found = self._found = self._found or features(self._norm)
                if fast:
                    # The fast form: each feature's packed integer, one head's field read when asked
                    # (unpacking all 11 weights of every feature was most of the time here).
                    packed = weights._packed
                    known = sorted(name for name in found if name[2:] in packed and name.startswith("c:"))
                    self._known = [(name, packed[name[2:]], found[name]) for name in known]
                else:
                    self._known = [(name, weights[name], found[name])
                                   for name in sorted(filter(weights.__contains__, found))]
            self._is_packed = fast
        i = self._heads.index(head)
        scale = self._scale
        if self._is_packed:  # the field _unpack reads: the very float of the row
            shift = i * _FIELD
            return [(((((p >> shift) & _MASK) - _OFFSET) / _SCALE) * scale, name, where)
                    for name, p, where in self._known if ((p >> shift) & _MASK) != _OFFSET]
        return [(w[i] * scale, name, where) for name, w, where in self._known if w[i]]

    def because(self, head: str, toward: bool = True, k: int = 3) -> list[tuple[str, tuple[int, int]]]:
        """The k features that pushed `head` most toward yes (or no), with their spans."""
        items = self.contributions(head)
        ranked = sorted(items, key=lambda c: (-c[0], c[1])) if toward else sorted(items, key=lambda c: (c[0], c[1]))
        return [(name, where) for weight, name, where in ranked if (weight > 0) == toward][:k]

    def beside(self, head: str, spans: list[tuple[int, int]]) -> float:
        """The probability of `head` without the features that lie inside `spans` (a rule's own
        words): what the rest of the reply says. The model takes a rule's level back only on that,
        never on the rule's keyword alone (道歉 in 向您道歉 is the rule's word, not a reason to doubt it), and
        only when the rest pushes against it (1.0 when it does not: a short reply the model knows little
        of sits at the prior, which is no reason to take a rule's level back)."""
        i = self._heads.index(head)
        kept = [w for w, _, (s, e) in self.contributions(head) if not any(a <= s and e <= b for a, b in spans)]
        if math.fsum(kept) >= 0:
            return 1.0  # the rest of the reply says nothing against it: only the prior would doubt the rule
        return _sigmoid(self._bias[i] + math.fsum(kept))

    def from_phrases(self, head: str) -> float:
        """The probability of `head` counting only phrases (no single characters): a decision that
        holds without them is carried by words, not by a lone 不 or 吧."""
        i = self._heads.index(head)
        kept = [w for w, name, _ in self.contributions(head) if is_phrase(name)]
        return _sigmoid(self._bias[i] + math.fsum(kept))


class LearnedReader:
    """A trained linear model (see the module docstring); thread-safe and read-only."""

    def __init__(self, data: dict) -> None:
        self.heads: tuple[str, ...] = tuple(data["heads"])
        self.bias: list[float] = [float(b) for b in data["bias"]]
        self.weights: dict[str, list[float]] = data["features"]
        self.thresholds: dict[str, float] = {k: float(v) for k, v in data.get("thresholds", {}).items()}
        self.meta: dict = data.get("meta", {})
        # n-gram -> the "c:" feature's weights, and their packed integer (filled as features are met).
        self._rows: dict[str, list[float]] = {k[2:]: v for k, v in self.weights.items() if k.startswith("c:")}
        self._packed: dict[str, int] = {}
        # The n-grams the model knows, as a frozenset: vocabulary.intersection(found) walks the reply's ~90
        # n-grams with their cached hashes, ~2.5x faster than found & dict.keys() (a generic path).
        self._vocabulary: frozenset[str] = frozenset(self._rows)
        self._row = self._rows.__getitem__  # n-gram -> its weights
        self._all_packed = False  # whether every feature is packed already and packable (the fast form's case)
        self._max_features = (1 << (_FIELD - _EXP - 9)) - 1
        self._shifts = [i * _FIELD for i in range(len(self.bias))]
        self._head_fields = list(zip(self.heads, self.bias, self._shifts))  # (head, bias, its field's shift)

    @classmethod
    def _from_fast(cls, fast: dict) -> "LearnedReader":
        """The model from its fast form (read_fast_form): every feature packed already."""
        reader = cls({"heads": fast["heads"], "bias": fast["bias"], "features": {},
                      "thresholds": fast["thresholds"], "meta": fast["meta"]})
        packed, rows = fast["packed"], fast["rows"]
        reader.weights = _PackedRows(packed, rows, len(reader.heads))
        reader._packed = packed  # every feature packed: read() never packs
        reader._vocabulary = frozenset(packed)
        reader._all_packed = not rows  # no feature kept as floats (none so far): read() sums at once
        reader._row = lambda gram: reader.weights["c:" + gram]
        return reader

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "LearnedReader | None":
        """The model in `path`, or None when there is no such file (from its fast form when that
        is there and fresh: the same model, see write_fast_form)."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        fast = read_fast_form(raw, fast_path(path)) if path.name.endswith((".json", ".json.gz")) else None
        if fast is not None:
            return cls._from_fast(fast)
        return cls(model_data(raw))

    def read(self, norm: str) -> Reading:
        """Probabilities of every head for a normalised reply."""
        found = _grams(norm)
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0  # each reply's feature vector has length 1
        present = self._vocabulary.intersection(found)
        packed = self._packed
        if self._all_packed and len(present) <= self._max_features:
            # The fast form with every weight packable: no feature to pack, none unpackable, no list.
            exact, total = True, sum(map(packed.__getitem__, present))
        else:
            parts = list(map(packed.get, present))
            if None in parts:  # features met for the first time: pack them once
                for gram in present:
                    if gram not in packed:
                        packed[gram] = _pack(self._row(gram))
                parts = list(map(packed.__getitem__, present))
            exact = _UNPACKABLE not in parts and len(parts) <= self._max_features
            total = sum(parts) if exact else 0
        exp = math.exp
        probabilities: dict[str, float] = {}
        if not exact:
            for h, b, t in zip(self.heads, self.bias, self._fsums(present)):
                s = b + scale * t
                probabilities[h] = 1.0 / (1.0 + exp(-s)) if s >= 0 else exp(s) / (1.0 + exp(s))
        else:  # the exact sum of each head's weights (see _EXP), with one integer addition per feature
            bias = len(present) * _OFFSET
            for h, b, shift in self._head_fields:  # each head's field, its sum, its sigmoid: one pass
                s = b + scale * ((((total >> shift) & _MASK) - bias) / _SCALE)
                # _sigmoid, inlined (the same operations: the same floats)
                probabilities[h] = 1.0 / (1.0 + exp(-s)) if s >= 0 else exp(s) / (1.0 + exp(s))
        return Reading(probabilities, norm, self.weights, self.heads, scale, self.bias, present)

    def _fsums(self, present: set[str]) -> list[float]:
        """Each head's sum of the weights of the `present` n-grams, by math.fsum."""
        rows = [self._row(gram) for gram in present]
        # math.fsum is exactly rounded whatever the order: the same sums on every platform and run.
        columns = zip(*rows) if rows else ([] for _ in self.bias)
        return [math.fsum(column) for column in columns]


# The fast form: reader_model.json.gz's model with every feature's weights packed (_pack) and stored
# with marshal, ~0.1 s of CPU less in every process than parsing the JSON and packing the features a
# run meets. It is derived (`python -m tools.build_reader_fast`, write_fast_form), keyed by a SHA-256
# over the model file's bytes (as shipped, compressed), this module's source (the packing) and the Python version (marshal's format),
# and never required: a missing, stale or unreadable fast form means the JSON is read as always.
_FAST_MAGIC = b"kefu reader fast 2\n"  # 2: the marshal body zlib-compressed (6.9 MB -> under 2 MB in the package)
_MARSHAL_VERSION = 2  # no object references: the same model gives the same bytes


def fast_key(model_bytes: bytes) -> bytes:
    """The key a fast form of the model `model_bytes` must carry (see above), 64 hex digits."""
    h = hashlib.sha256()
    h.update(f"python {sys.version_info[0]}.{sys.version_info[1]} marshal {_MARSHAL_VERSION}\0".encode())
    h.update(Path(__file__).read_bytes())
    h.update(b"\0")
    h.update(model_bytes)
    return h.hexdigest().encode()


def fast_form(data: dict) -> dict:
    """The fast form's contents for a model `data` (the model file's contents, model_data)."""
    packed: dict[str, int] = {}
    rows: dict[str, list[float]] = {}  # the features whose weights cannot be packed (none so far)
    for name, row in data["features"].items():
        if not name.startswith("c:"):
            raise ValueError(f"feature {name!r}: only character n-grams have a fast form")
        packed[name[2:]] = p = _pack(row)
        if p == _UNPACKABLE:
            rows[name[2:]] = [float(w) for w in row]
    return {"heads": list(data["heads"]), "bias": [float(b) for b in data["bias"]],
            "thresholds": {k: float(v) for k, v in data.get("thresholds", {}).items()},
            "meta": data.get("meta", {}), "packed": packed, "rows": rows}


def read_fast_form(model_bytes: bytes, path: Path = FAST_FILE) -> dict | None:
    """The fast form in `path` of the model `model_bytes`, or None when there is none fresh."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(_FAST_MAGIC) + 65)
            if head != _FAST_MAGIC + fast_key(model_bytes) + b"\n":
                return None
            data = marshal.loads(zlib.decompress(f.read()))
    except (OSError, ValueError, EOFError, TypeError, zlib.error):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("packed"), dict) else None


def write_fast_form(model: Path = MODEL_FILE, path: Path | None = None) -> Path:
    """Write the fast form of the model file `model` (beside it unless `path`); returns its path."""
    raw = model.read_bytes()
    out = path or fast_path(model)
    body = zlib.compress(marshal.dumps(fast_form(model_data(raw)), _MARSHAL_VERSION), 6)
    out.write_bytes(_FAST_MAGIC + fast_key(raw) + b"\n" + body)
    return out


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


_default: LearnedReader | None = None
_loaded = False
_lock = threading.Lock()


def default_reader() -> LearnedReader | None:
    """The shipped model (scoring/data/reader_model.json.gz), loaded once; None if it is absent."""
    global _default, _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                _default = LearnedReader.load()
                _loaded = True
    return _default
