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


def rule_gates(pattern: str) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """(pattern_gates(pattern), its string gates) from one parse: each string gate a set of fixed strings of
    two or more characters one of which every match holds (all of them, not only the best one as in
    pattern_literals). The normalisation rules (scoring.normalize) check them before running a rule:
    ~35,000 rule runs over the 7,841 real replies found 63 matches, most rules' rarest character
    (理, 对, 不 …) being common while their fixed strings (理届, 对8起 …) are not."""
    try:
        parsed = _parser.parse(pattern)
    except Exception:  # an exotic construct: no gate
        return [], []
    if parsed.state.flags & _CASE_FLAGS:
        return _sorted_gates(parsed), []  # (?i): a literal stands for more than itself
    try:
        strings = _literal_gates_seq(parsed)
    except Exception:  # an exotic construct: no string gate
        strings = []
    return _sorted_gates(parsed), sorted(set(strings), key=_literal_cost)


def _sorted_gates(parsed) -> list[frozenset[str]]:
    try:
        gates = _gates_seq(parsed)
    except Exception:  # an exotic construct: no gate
        return []
    return sorted(set(gates), key=_cost)


# -- pair gates: two adjacent characters a match needs ----------------------------------------------
# A character gate lets a pattern run on any reply holding, say, 要 and 求 anywhere; a pair gate asks
# for 要求 itself, which far fewer replies hold. Derived from the same parse, used beside the
# character gates (scoring.lexicon.CueSet): a necessary condition too, so no match is ever lost.

_FIXED_LIMIT = 64  # the most strings a fixed run may stand for before it is cut in two
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_CASE_FLAGS = _c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_LOCALE  # a literal then matches other characters too


def _fixed_seq(items) -> set[str] | None:
    """Every string a regex sequence can match when they are few (a finite set), else None."""
    out = {""}
    for op, av in items:
        part = _fixed_node(op, av)
        if part is None:
            return None
        out = {a + b for a in out for b in part}
        if len(out) > _FIXED_LIMIT:
            return None
    return out


def _fixed_node(op, av) -> set[str] | None:
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        return {chr(v) for o, v in av} if all(o is _c.LITERAL for o, _ in av) else None
    if op is _c.SUBPATTERN:
        return None if av[1] or av[2] else _fixed_seq(av[3])  # (?i) and other flags: not fixed
    if op is _c.BRANCH:
        alts = [_fixed_seq(alt) for alt in av[1]]
        if any(a is None for a in alts):
            return None
        union = set().union(*alts)
        return union if len(union) <= _FIXED_LIMIT else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[1] == 1 and av[0] in (0, 1):
        inner = _fixed_seq(av[2])
        return None if inner is None else (inner | {""} if av[0] == 0 else inner)
    if op in _ZERO_WIDTH:  # consumes nothing: the characters on either side stay adjacent
        return {""}
    return None


def _pair_cost(pair: str) -> int:
    return sum(20 if ch in _COMMON else 1 for ch in pair)


def _pairs_of(strings: set[str]) -> frozenset[str] | None:
    """A pair gate for a fixed run: the cheapest pair of each string (None if one is shorter than 2)."""
    if not strings or any(len(s) < 2 for s in strings):
        return None
    return frozenset(min((s[i:i + 2] for i in range(len(s) - 1)), key=lambda p: (_pair_cost(p), p))
                     for s in strings)


def _gate_cost(gate: frozenset[str]) -> tuple[int, list[str]]:
    return sum(_pair_cost(p) for p in gate), sorted(gate)


def _string_gates_seq(items, of_run, cost) -> list[frozenset[str]]:
    """Gates of a regex sequence, each a set of strings one of which every match holds: `of_run` makes a
    gate of a run of fixed nodes (the strings it stands for; None when it gives none), `cost` picks the
    cheapest gate of a branch's alternatives."""
    gates: list[frozenset[str]] = []
    run: set[str] | None = None  # the strings the current run of fixed nodes stands for

    def close() -> None:
        if run is not None and (g := of_run(run)) is not None:
            gates.append(g)

    for op, av in items:
        part = _fixed_node(op, av)
        if part is not None:
            grown = {a + b for a in (run or {""}) for b in part}
            if len(grown) <= _FIXED_LIMIT:
                run = grown
                continue
            close()  # too many strings: the run so far is a gate on its own, a new one starts here
            run = part
            continue
        close()
        run = None
        if op is _c.SUBPATTERN and not (av[1] or av[2]):
            gates.extend(_string_gates_seq(av[3], of_run, cost))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            gates.extend(_string_gates_seq(av[2], of_run, cost))
        elif op is _c.BRANCH:
            firsts = [min(g, key=cost) if (g := _string_gates_seq(alt, of_run, cost)) else None for alt in av[1]]
            if all(f is not None for f in firsts):
                gates.append(frozenset().union(*firsts))
    close()
    return gates


def _pair_gates_seq(items) -> list[frozenset[str]]:
    """Pair gates of a regex sequence: each a set of two-character strings one of which every match holds."""
    return _string_gates_seq(items, _pairs_of, _gate_cost)


def pattern_pairs(pattern: str) -> frozenset[str] | None:
    """The cheapest pair gate of `pattern`: two-character strings one of which the text must hold
    for the pattern to match; None when none is known (the character gates alone decide)."""
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & _CASE_FLAGS:
            return None  # (?i) and the like: a literal stands for more than itself
        gates = _pair_gates_seq(parsed)
    except Exception:  # an exotic construct: no gate
        return None
    return min(gates, key=_gate_cost) if gates else None


# -- last characters: what a match of a pattern anchored at its end can end with --------------------

def _last_seq(items) -> tuple[frozenset[str], bool] | None:
    """(the characters a match of the sequence can end with, whether it can match the empty string),
    or None when unknown."""
    last: set[str] = set()
    for op, av in reversed(list(items)):
        node = _last_node(op, av)
        if node is None:
            return None
        chars, empty = node
        last |= chars
        if not empty:
            return frozenset(last), False
    return frozenset(last), True


def _last_node(op, av) -> tuple[frozenset[str], bool] | None:
    if op is _c.LITERAL:
        return frozenset([chr(av)]), False
    if op is _c.IN:
        return (frozenset(chr(v) for o, v in av), False) if all(o is _c.LITERAL for o, _ in av) else None
    if op is _c.SUBPATTERN:
        return None if av[1] or av[2] else _last_seq(av[3])
    if op is _c.BRANCH:
        alts = [_last_seq(alt) for alt in av[1]]
        if any(a is None for a in alts):
            return None
        return frozenset().union(*(a[0] for a in alts)), any(a[1] for a in alts)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        inner = _last_seq(av[2])
        return None if inner is None else (inner[0], inner[1] or av[0] == 0)
    if op in _ZERO_WIDTH:
        return frozenset(), True
    return None


def last_chars(pattern: str) -> frozenset[str] | None:
    """The characters every match of `pattern` ends with one of (a pattern anchored with $ cannot
    match where the text ends otherwise); None when unknown or when the pattern can match nothing."""
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & _CASE_FLAGS:
            return None
        found = _last_seq(parsed)
    except Exception:  # an exotic construct: unknown
        return None
    return None if found is None or found[1] else found[0]


# -- literal gates: whole fixed strings a match needs ------------------------------------------------
# A pattern whose character and pair gates pass on a reply still has to be compiled (~0.1-1 ms) before
# it can say no; about half the built-in patterns a run compiled never matched a helpdesk reply. The
# fixed runs the pair gates come from, whole (e.g. 退款金额 rather than 金额), rule most of those replies
# out with a few `in` tests, so that a pattern is compiled only when a reply holds one of them.

_LITERAL_MIN = 3  # a run of two characters is the pair gate already


def _literal_cost(gate: frozenset[str]) -> tuple[int, int, list[str]]:
    return -min(map(len, gate)), len(gate), sorted(gate)  # longest strings first, then fewest


def _literal_run(run: set[str]) -> frozenset[str] | None:
    return frozenset(run) if run and min(map(len, run)) >= 2 else None


def _literal_gates_seq(items) -> list[frozenset[str]]:
    """Literal gates of a regex sequence: each a set of strings one of which every match holds."""
    return _string_gates_seq(items, _literal_run, _literal_cost)


def pattern_strings(pattern: str) -> list[frozenset[str]]:
    """Every string gate of `pattern` (each a set of fixed strings of two or more characters one of which
    every match holds), the best first (longest strings, then fewest: pattern_literals' choice leads when
    there is one); [] when none is known. A built-in lexicon pattern is compiled only once a reply meets all
    of them (scoring.lexicon.CueSet.find): one gate alone let ~165 patterns a run be compiled for replies
    they never match."""
    return rule_gates(pattern)[1]


def pattern_literals(pattern: str) -> frozenset[str] | None:
    """Strings of at least _LITERAL_MIN characters one of which the text must hold for `pattern` to
    match (the longest such run), or None when none is known."""
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & _CASE_FLAGS:
            return None
        gates = _literal_gates_seq(parsed)
    except Exception:  # an exotic construct: no gate
        return None
    best = min(gates, key=_literal_cost) if gates else None
    return best if best is not None and min(map(len, best)) >= _LITERAL_MIN else None
