"""The characters a regex needs: which patterns can match a text at all, found before running them.

A pattern's gates are character sets a text must meet (one character of each) for the pattern to
match. Used by the lexicon (scoring.lexicon) and the normalisation rules (scoring.normalize) alike,
so neither needs the other.
"""

from __future__ import annotations

try:  # the regex parser, read-only, to find the characters each pattern needs (see pattern_gates);
    import re._constants as _c  # if another Python changes it, patterns simply run ungated
    import re._parser as _parser
except ImportError:  # Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]


# Characters so frequent that gating a pattern on them saves nothing.
_COMMON = set("您你我们的是了不有在这个好请亲一为给帮会可以就也都吗呢哦")


def _gates_seq(items) -> list[frozenset[str]]:
    """Character sets a match of this regex sequence must each meet (one character of every set)."""
    gates: list[frozenset[str]] = []
    for op, av in items:
        gates.extend(_gates_node(op, av))
    return gates


def _gates_node(op, av) -> list[frozenset[str]]:
    if op is _c.LITERAL:
        return [frozenset([chr(av)])]
    if op is _c.IN:
        return [frozenset(chr(v) for o, v in av)] if all(o is _c.LITERAL for o, _ in av) else []
    if op is _c.SUBPATTERN:
        return _gates_seq(av[3])
    if op is _c.BRANCH:  # one character of the union of each alternative's rarest set
        firsts = [min(g, key=_cost) if (g := _gates_seq(alt)) else None for alt in av[1]]
        return [] if any(f is None for f in firsts) else [frozenset().union(*firsts)]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _gates_seq(av[2])
    return []


def _cost(chars: frozenset[str]) -> int:
    return sum(20 if ch in _COMMON else 1 for ch in chars)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex ('a(b|c)|d' -> ['a(b|c)', 'd']).

    Compiled one by one they keep the regex engine's first-character scan (an alternation of
    groups defeats it), which makes matching several times faster.
    """
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return [p for p in parts if p] if all(parts) else [pattern]  # an empty branch: keep it whole


def pattern_gates(pattern: str) -> list[frozenset[str]]:
    """Character sets a text must meet (one character of each) for `pattern` to match; rarest first.

    An empty list means unknown: the pattern always runs.
    """
    try:
        return _sorted_gates(_parser.parse(pattern))
    except Exception:  # an exotic construct: no gate
        return []


def _sorted_gates(parsed) -> list[frozenset[str]]:
    try:
        gates = _gates_seq(parsed)
    except Exception:  # an exotic construct: no gate
        return []
    return sorted(set(gates), key=_cost)
