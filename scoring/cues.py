"""Lexicon cues of one reply: the scanned matches and the filters every stage reads them through.

A stage asks ``cues.hits(category, blocked)`` for the matches that count — not negated (a negation
within NEGATION_WINDOW characters before a negatable cue), on jieba word boundaries when the entry
says ``word: true``, and outside the `blocked` spans (violations) — or ``cues.find(category)`` for
the raw matches. `Auxiliary` holds the categories matched at chosen places rather than scanned.
jieba (a private Tokenizer with scoring/data/userdict.txt) is loaded once per process, when a reply
first has a cue that must sit on word boundaries (or by Analyzer.warm_up).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

from scoring.gates import last_chars
from scoring.lexicon import USERDICT, Hit, Lexicon

__all__ = ["NEGATION_WINDOW", "Auxiliary", "ReplyCues", "jieba_tokenizer"]

NEGATION_WINDOW = 12  # characters before a cue searched for a negation
_NEVER = "(?!)"


def _alternation(lexicon: Lexicon, category: str) -> str:
    """Every pattern of a category as one alternation (never matching when there is none)."""
    return "|".join(f"(?:{p})" for e in lexicon[category].entries for p in e.patterns) or _NEVER


@dataclass(frozen=True)
class Auxiliary:
    """Lexicon categories matched at chosen places (not scanned over the whole reply)."""

    negation: re.Pattern
    refused_before: re.Pattern
    past_span: re.Pattern
    deduction: re.Pattern
    remedy_noun: re.Pattern
    noun_before: re.Pattern
    generic_word: re.Pattern
    # The characters a negation can end with (None: unknown): a cue after any other character is not
    # negated, without running the negation pattern (most cues follow a comma, 您, 请, …).
    negation_ends: frozenset[str] | None = None

    @classmethod
    def of(cls, lexicon: Lexicon) -> "Auxiliary":
        negation = f"(?:{_alternation(lexicon, 'negation')})$"
        return cls(
            negation=re.compile(negation),
            negation_ends=last_chars(negation),
            refused_before=re.compile(_alternation(lexicon, "refused_before")),
            past_span=re.compile("(?:" + _alternation(lexicon, "time_described") + ")$"),
            deduction=re.compile(_alternation(lexicon, "amount_deducted")),
            remedy_noun=re.compile(_alternation(lexicon, "remedy_as_noun")),
            noun_before=re.compile(_alternation(lexicon, "remedy_as_noun_before")),
            generic_word=re.compile(_alternation(lexicon, "generic_case_word")),
        )


# 这不是敲诈是什么: "not X, what else" asserts X — the negation before the cue does not take it back.
_RHETORICAL_AFTER = ("是什么", "又是什么", "还是什么", "还能是什么", "还有什么")


class ReplyCues:
    """The lexicon matches of one normalised reply, filtered on demand (results memoised)."""

    def __init__(self, norm: str, raw: dict[str, list[Hit]], aux: Auxiliary, tokenizer=None) -> None:
        self.norm = norm
        self.raw = raw
        self._aux = aux
        self._tokenizer = tokenizer  # None: the shared one, loaded when a `word: true` entry first needs it
        self._bounds: set[int] | None = None  # jieba word boundaries, computed only if an entry needs them
        self._words: list[tuple[str, int, int]] | None = None
        self._filtered: dict[tuple, list[Hit]] = {}

    def find(self, category: str) -> list[Hit]:
        """Raw matches of a category."""
        return self.raw.get(category, [])

    def hits(self, category: str, blocked=()) -> list[Hit]:
        """Matches that are not negated, on word boundaries when asked, and outside `blocked`."""
        found = self.raw.get(category)
        if not found:
            return []  # nothing to filter (most categories on most replies): no memo key to build
        key = (category, tuple(blocked))
        done = self._filtered.get(key)
        if done is not None:
            return done
        out = []
        norm, ends = self.norm, self._aux.negation_ends
        for h in found:
            entry = h.entry
            if entry.negatable:
                # negated(h.start), its first test inlined: most cues follow a character no negation ends with
                start = h.start
                if (ends is None or (start and (norm[start - 1] in ends or norm[start - 1] == "\n"))) and (
                        self.negated(start)) and not norm.startswith(_RHETORICAL_AFTER, h.end):
                    continue
            if entry.word and not self.on_word_boundaries(h):
                continue
            if blocked and any(b[0] <= h.start and h.end <= b[1] for b in blocked):
                continue  # part of a violation: 不是我们的问题 holds no apology
            out.append(h)
        self._filtered[key] = out
        return out

    __call__ = hits  # stages written as hits(category, blocked)

    def negated(self, start: int) -> bool:
        """Whether a negation ends right before `start` (within NEGATION_WINDOW characters)."""
        ends = self._aux.negation_ends
        if ends is not None:
            if not start:
                return False  # nothing before the cue, and a negation is never empty
            before = self.norm[start - 1]
            if before not in ends and before != "\n":  # $ also matches before a final newline
                return False
        return self._aux.negation.search(self.norm, max(0, start - NEGATION_WINDOW), start) is not None

    def words(self) -> list[tuple[str, int, int]]:
        """jieba's (word, start, end) over the normalised reply (computed once)."""
        if self._words is None:
            tokenizer = self._tokenizer or jieba_tokenizer()
            self._words = list(tokenizer.tokenize(self.norm))
        return self._words

    def on_word_boundaries(self, hit: Hit) -> bool:
        """Whether the hit starts and ends where jieba cuts words."""
        if self._bounds is None:
            bounds = {0}
            for _word, _s, e in self.words():
                bounds.add(e)
            self._bounds = bounds
        return hit.start in self._bounds and hit.end in self._bounds


_tokenizer = None
_tokenizer_lock = threading.Lock()


def jieba_tokenizer():
    """A private jieba Tokenizer with the service vocabulary, shared by all analyzers (~0.1 s to load:
    its prefix dictionary is filled per character as texts are cut, see scoring.wordcut)."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                # lazily: importing scoring must stay fast for the TUI (import_jieba: without pkg_resources)
                from scoring.wordcut import import_jieba, lazy_tokenizer

                jieba = import_jieba()

                jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
                _tokenizer = lazy_tokenizer(USERDICT)
    return _tokenizer