"""Sentence and clause boundaries of a normalised reply (a pipeline stage of scoring.analyzer)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["Segments", "overlaps", "distance", "CONTENT"]

# Sentence ends (an ASCII '.' only when not inside a number); clause ends add commas and colons.
# The '.' written as \.(?<![0-9]\.) rather than (?<![0-9])\. (the same test): every alternative then starts
# with a character, so the regex engine skips to the candidates instead of trying each position.
_SENTENCE_END = re.compile(r"[。!?;\n…~]+|\.(?<![0-9]\.)(?![0-9])")
# A space typed between two Chinese characters ends a clause too: chat typists use it for a comma
# (全额退款我这边确实做不到 不过可以给您申请退一半), also before a time span (我报主管 2天内答复您 — not before an amount or
# a date: 全額賠償 12800 元的部分, 您是 15 號入住); U+3000 is the normaliser's padding, never typed, so a space after
# it ends the clause as after the word it pads (沒許可權 我幫您 reads 没权限 + PAD: round 18).
_CLAUSE_END = re.compile(r"[。!?;\n…~,、:，]+|\.(?<![0-9]\.)(?![0-9])"
                         r"|(?<=[\u4e00-\u9fff\u3000])[ \t]+(?=[\u4e00-\u9fff]|[0-9]+[ \t]*(?:个)?(?:天|小时|工作日|分钟|周内|个月))")
CONTENT = re.compile(r"[0-9a-z\u4e00-\u9fff]")  # a character that carries content


@dataclass
class Segments:
    """Sentence and clause boundaries of the normalised text."""

    sentence_starts: list[int]
    clause_starts: list[int]
    sentences: list[tuple[int, int]]
    length: int

    @classmethod
    def of(cls, text: str) -> "Segments":
        sentences, start = [], 0
        for m in _SENTENCE_END.finditer(text):
            if m.end() > start:
                sentences.append((start, m.end()))
            start = m.end()
        if start < len(text):
            sentences.append((start, len(text)))
        clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(text)]
        return cls([s for s, _ in sentences] or [0], clause_starts, sentences, len(text))

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos) - 1

    def clause(self, pos: int) -> int:
        return bisect.bisect_right(self.clause_starts, pos) - 1

    def clause_span(self, pos: int) -> tuple[int, int]:
        """[start, end) of the clause holding pos, its delimiter included."""
        i = self.clause(pos)
        end = self.clause_starts[i + 1] if i + 1 < len(self.clause_starts) else self.length
        return self.clause_starts[i], end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def distance(h, f) -> int:
    """Characters between a remedy hit and a value (0 when they touch)."""
    return max(f.start - h.end, h.start - f.end, 0)
