"""CueSet.find runs a candidate pattern by search() from where its last match ended (issue 18 §4, round 8):
its hits must be finditer's, for patterns that can match empty, look behind, anchor or overlap too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scoring.lexicon import CueSet, Entry
from scoring.normalize import normalize

REPO = Path(__file__).resolve().parents[2]

# Patterns the built-in lexicons never hold as well as ones they do: empty matches (finditer's own rule after
# them), a look-behind before where the search resumes, anchors, adjacent and repeated matches.
PATTERNS = [
    "退款", "a*", "(?<=您)的", "^您好", "好$", "(您|你)(好)?", "x?", "(?<![不没])理解", "谢谢|谢",
    "[0-9]+元", "(?=退)", "哈+", "\\b", "对不起(?!了)",
]
TEXTS = ["", "您好", "您的订单您的退款", "退款退款退款", "aaa退款a", "哈哈哈哈，谢谢谢", "不理解，理解您的心情",
         "100元和200元", "对不起对不起了", "好 好", "您好您好好"]


def _by_finditer(patterns: list[str], text: str) -> list[tuple[str, int, int]]:
    out = []
    for p in patterns:
        out += [(p, m.start(), m.end()) for m in re.finditer(p, text) if m.end() > m.start()]
    return sorted(out, key=lambda h: (h[1], h[2], h[0]))


def _texts() -> list[str]:
    corpus = sorted((REPO / "tests" / "data" / "corpus").glob("*.jsonl"))[:3]
    lines = [json.loads(line)["text"] for path in corpus
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return TEXTS + [normalize(t) for t in lines[:300]]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_pattern_finds_what_finditer_finds(pattern):
    cues = CueSet([Entry(category="apology", rule="t.0", patterns=(pattern,))])
    for text in _texts():
        got = sorted(((h.entry.patterns[0], h.start, h.end) for h in cues.find(text)), key=lambda h: (h[1], h[2], h[0]))
        assert got == _by_finditer([pattern], text), (pattern, text)


def test_all_patterns_together_in_finditer_order_by_position():
    entries = [Entry(category="apology", rule=f"t.{i}", patterns=(p,)) for i, p in enumerate(PATTERNS)]
    cues = CueSet(entries)
    for text in _texts():
        hits = cues.find(text)
        assert [h.start for h in hits] == sorted(h.start for h in hits)
        got = sorted(((h.entry.patterns[0], h.start, h.end) for h in hits), key=lambda h: (h[1], h[2], h[0]))
        assert got == _by_finditer(PATTERNS, text), text
