"""Text normalisation shared by the analyzer and the lexicons.

`normalize(text)` returns a string of the SAME LENGTH as `text` (so offsets into it are offsets
into the trainee's original words): full-width ASCII becomes half-width (？ -> ?, ２４ -> 24),
Latin letters become lower case, Cantonese words become Mandarin (係 -> 是, 我哋 -> 我们),
traditional characters become simplified (opencc t2s), and pinyin abbreviations and input-method
slips become the words meant (bq -> 抱歉, 理届 -> 理解). The last two come from
scoring/data/normalization.yaml (`dialect` and `typing` rules, each with tested examples).
`similarity(a, b)` compares two replies for near-duplicate detection (seed 003 禁区6).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from scoring.gates import rule_gates

RULES_FILE = Path(__file__).with_name("data") / "normalization.yaml"
# Pads a rewrite shorter than what was typed (sorry -> 对不起 + 2 PAD). U+3000 never survives the
# half-width step, so a PAD in normalised text always belongs to the word before it.
PAD = "\u3000"

_converter = None
_converter_lock = threading.RLock()
_HAS_LETTERS = re.compile("[a-z]")
_variant_converters: list = []

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, ideographic space -> space; 1:1 so lengths stay equal.
_HALFWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
_HALFWIDTH[0xFFE5] = ord("¥")  # ￥
# _HALFWIDTH as a table of every BMP code point (most map to themselves): str.translate looks each character
# up, and a dict raises (and clears) a KeyError for every character it lacks, i.e. nearly all of a Chinese
# reply; a list index does not (~1 us a reply less). Beyond the BMP the list's IndexError leaves the
# character as it is, as the dict's KeyError does.
_HALFWIDTH_TABLE = list(range(0x10000))
for _code, _to in _HALFWIDTH.items():
    _HALFWIDTH_TABLE[_code] = _to


def _t2s():
    """The opencc t2s converter, created once (it takes a few ms)."""
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


def to_simplified(text: str) -> str:
    """Traditional -> simplified, keeping the length (falls back to per-character conversion)."""
    if text.isascii():
        return text
    conv = _t2s()
    try:
        out = conv.convert(text)
    except UnicodeEncodeError:  # lone surrogates: opencc encodes to UTF-8; convert around them
        out = None
    if out is not None and len(out) == len(text):
        return out
    # A phrase rule changed the length (or a character cannot be encoded): one character at a time.
    chars = []
    for ch in text:
        try:
            c = conv.convert(ch)
        except UnicodeEncodeError:
            c = ch
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# Traditional forms t2s keeps because they are also valid simplified characters (等著 -> 等着).
_FOLD = str.maketrans({"著": "着", "妳": "你", "祢": "你"})


class RewriteRules:
    """Same-length rewrites of one stage (dialect before t2s, typing after).

    Each rule is gated by characters every match needs (scoring.gates.pattern_gates), then by the fixed
    strings every match holds (scoring.gates.rule_gates: 理届 or 理介 …, not only 理): a reply runs only the
    rules it could trigger, so plain Mandarin pays almost nothing. Where matches
    overlap, the leftmost wins, and at the same place the rule written first (as one alternation
    would). A shorter replacement is padded with PAD; a longer one is an error.
    """

    def __init__(self, rules: list[tuple[str, str]],
                 gates: list[tuple[str, list[list[str]]]] | None = None) -> None:
        """`gates`: each rule's (characters of one of its character gates, its string gates) when known
        (rule_rows(), from the lexicon cache): the rules are then known to compile and are compiled when
        first run; without them each is parsed and compiled now (a broken rule fails when loaded)."""
        self.matches = [m for m, _ in rules]
        self.replacement = tuple(to for _, to in rules)
        if gates is None:
            self._compiled: list[re.Pattern | None] = [re.compile(m) for m in self.matches]
            gates = [_rule_row_gates(m) for m in self.matches]
        else:
            self._compiled = [None] * len(self.matches)
        # Rule i is bit i of each of three slots side by side in one integer (slot s at bit s * width): per
        # character, the rules whose gate in that slot holds it; a slot without a gate lets every rule through.
        # Slot 0 is the rule's character gate; slots 1 and 2 the first and the last characters of the strings of
        # its first string gate (a match holds one of those strings, so one of their first and one of their
        # last characters): 下五 runs its string check only on a text holding both 下 and 五 (~30,000 -> ~5,000
        # string checks over the 7,841 replies), and the three gates cost one OR a character of the text.
        width = self._width = len(self.matches)
        lacking = [0, 0, 0]
        slots: dict[str, list[int]] = {}
        # Rule i's string gates: each a tuple of strings, one of which the text must hold, checked with `in`
        # for a rule its characters let through.
        self._strings: list[tuple[tuple[str, ...], ...]] = []
        for i, (chars, strings) in enumerate(gates):
            strings = tuple(map(tuple, strings))
            self._strings.append(strings)
            first = strings[0] if strings and all(strings[0]) else None
            for slot, gate in enumerate((chars, first and {s[0] for s in first}, first and {s[-1] for s in first})):
                if not gate:
                    lacking[slot] |= 1 << i
                for ch in gate or ():
                    slots.setdefault(ch, [0, 0, 0])[slot] |= 1 << i
        self._always = sum(m << (s * width) for s, m in enumerate(lacking))
        self._masks = {ch: sum(m << (s * width) for s, m in enumerate(ms)) for ch, ms in slots.items()}
        self._keys = frozenset(slots)

    def _regex(self, i: int) -> re.Pattern:
        """Rule i's regex, compiled when first needed (thread-safe: at worst twice, the same regex)."""
        regex = self._compiled[i]
        if regex is None:
            regex = self._compiled[i] = re.compile(self.matches[i])
        return regex

    def apply(self, text: str) -> str:
        a = self._always
        masks = self._masks
        for ch in self._keys.intersection(text):  # C-level: only the text's gate characters
            a |= masks[ch]
        w = self._width
        run = a & (a >> w) & (a >> 2 * w) & ((1 << w) - 1)  # the rules all three of whose gates let them through
        if not run:
            return text
        found = []
        strings = self._strings
        bits = bin(run)[:1:-1]  # character i is rule i's bit
        i = bits.find("1")
        while i >= 0:
            for gate in strings[i]:
                for s in gate:
                    if s in text:
                        break
                else:
                    break  # the text holds none of this gate's strings: the rule cannot match
            else:
                found.extend((m.start(), i, m.end()) for m in self._regex(i).finditer(text) if m.end() > m.start())
            i = bits.find("1", i + 1)
        if not found:
            return text
        found.sort()
        out, at = [], 0
        for start, i, end in found:
            if start < at:
                continue  # overlaps a rewrite already made
            to = self.replacement[i]
            if len(to) > end - start:
                raise ValueError(f"normalisation rule would lengthen {text[start:end]!r} to {to!r}")
            out.append(text[at:start])
            out.append(to + PAD * (end - start - len(to)))
            at = end
        out.append(text[at:])
        return "".join(out)


def _read_rules(path: Path) -> dict[str, list[tuple[str, str]]]:
    import yaml

    # libyaml's safe loader when present: the same data, ~10x faster than the pure-Python one
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return {stage: [(str(r["match"]), str(r["to"])) for r in data.get(stage) or []] for stage in ("dialect", "typing")}


def load_rewrite_rules(path: Path = RULES_FILE) -> dict[str, RewriteRules]:
    """The `dialect` and `typing` rules of a normalisation file."""
    return {stage: RewriteRules(rules) for stage, rules in _read_rules(path).items()}


def _rule_row_gates(match: str) -> tuple[str, list[list[str]]]:
    """(the characters of one character gate of a rule, its string gates): the least costly character gate
    (ties in a fixed order, so that the lexicon cache does not depend on hash seeds)."""
    from scoring.gates import _cost

    gates, strings = rule_gates(match)
    first = min(gates, key=lambda g: (_cost(g), sorted(g))) if gates else frozenset()
    return "".join(sorted(first)), [sorted(g) for g in strings]


def rule_rows(path: Path = RULES_FILE) -> dict[str, list[list]]:
    """The rules of a normalisation file with their gates, as the lexicon cache holds them (by stage:
    [match, to, gate characters, string gates]); every rule is compiled here (a broken one raises re.error)."""
    out: dict[str, list[list]] = {}
    for stage, rules in _read_rules(path).items():
        for match, _to in rules:
            re.compile(match)
        out[stage] = [[match, to, *_rule_row_gates(match)] for match, to in rules]
    return out


def use_cached_rules(rows: dict[str, list[list]]) -> None:
    """The built-in rules from the lexicon cache's rows (rule_rows() of RULES_FILE, current: the cache's key
    covers the file), unless the rules are loaded already: no YAML to parse, no rule to parse for its gates,
    and a rule compiled only when a text first gets past its gates (~9 ms of CPU less at start)."""
    global _rules
    if _rules is not None:
        return
    with _converter_lock:
        if _rules is None:
            _rules = {stage: RewriteRules([(m, to) for m, to, _g, _s in rows[stage]],
                                          [(g, s) for _m, _to, g, s in rows[stage]])
                      for stage in ("dialect", "typing")}


_rules: dict[str, RewriteRules] | None = None


def _rewrite_rules() -> dict[str, RewriteRules]:
    global _rules
    if _rules is None:
        with _converter_lock:
            if _rules is None:
                _rules = load_rewrite_rules()
    return _rules


def normalize(text: str) -> str:
    """Half-width, lower-case, Mandarin, simplified text with typing slips read, of exactly the
    same length as `text`."""
    text = _lower_same_length(text.translate(_HALFWIDTH_TABLE))
    if text.isascii():
        return _rewrite_rules()["typing"].apply(text) if _HAS_LETTERS.search(text) else text
    rules = _rewrite_rules()
    text = to_simplified(rules["dialect"].apply(text))
    if "著" in text or "妳" in text or "祢" in text:  # _FOLD's keys (rare): three C-level scans spare the translate
        text = text.translate(_FOLD)
    return rules["typing"].apply(text)


def normalize_keyword(word: str) -> str:
    """A lexicon or topic keyword in the same form as normalised text (NFKC is fine here)."""
    return to_simplified(unicodedata.normalize("NFKC", word).lower()).translate(_FOLD).strip()


def script_variants(word: str) -> list[str]:
    """`word` normalised, plus the forms a traditional writer produces for it: opencc s2t and
    Taiwan phrasing s2twp, each brought back with t2s (想象 -> 想像, 屏幕分辨率 -> 萤幕解析度).
    Lexicon patterns and topic keywords match all of them, so both scripts score alike."""
    if not _variant_converters:
        with _converter_lock:
            if not _variant_converters:
                import opencc

                _variant_converters.extend(opencc.OpenCC(c) for c in ("s2t", "s2twp"))
    base = normalize_keyword(word)
    out = [base]
    for conv in _variant_converters:
        v = normalize_keyword(conv.convert(base))
        if v not in out:
            out.append(v)
    return out


# Everything that is not a letter, digit or CJK character is ignored when comparing replies.
_NOISE = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=2048)  # earlier replies are compared again at every turn
def comparable(text: str) -> str:
    """The text stripped to what matters for near-duplicate detection."""
    return strip_noise(normalize(text))


def strip_noise(normalized: str) -> str:
    """comparable() of text that is already normalised."""
    return _NOISE.sub("", normalized)


def similarity(a: str, b: str) -> float:
    """How alike two replies are, 0..1, ignoring script, punctuation, spacing and case."""
    return comparable_ratio(comparable(a), comparable(b))


def comparable_ratio(x: str, y: str, at_least: float = 0.0) -> float:
    """Similarity 0..1 of two texts already passed through comparable().

    With `at_least`, a pair that cannot reach it returns its cheap upper bound instead (fast path
    for near-duplicate checks: most earlier replies are nothing like the new one).
    """
    if not x and not y:
        return 1.0
    if not x or not y:
        return 0.0
    if at_least and 2 * min(len(x), len(y)) / (len(x) + len(y)) < at_least:
        return 2 * min(len(x), len(y)) / (len(x) + len(y))  # the length bound, without a matcher
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    if at_least:
        bound = matcher.real_quick_ratio()  # from the lengths only
        if bound < at_least:
            return bound
        bound = matcher.quick_ratio()  # from the character counts
        if bound < at_least:
            return bound
    return matcher.ratio()
