"""`kefu lint`: every problem in every content file, as `path:line:col: message`.

On top of what loading finds (YAML, types, unknown keys, duplicate ids), lint checks references
between files and each persona's state machine, and warns like ink's compiler about what is
legal but probably unintended: unreachable states, dead ends, outcomes no example reaches.

Errors are things the engine cannot play as written; warnings are things a trainer should look at.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.content.checks import (
    did_you_mean,
    engine_problems as _engine_problems,
    machine_reference_problems,
    one_of,
    predicate_problems,
    valid_files,
)
from simulator.content.loader import LoadedFile
from simulator.content.models import OUTCOMES, Persona, Scenario
from simulator.content.problems import Problem, sorted_problems
from simulator.content.vocabulary import (
    EVENT_POOLS,
    MAX_REPLY_SECONDS,
    PREDICATE_NAMES,
    TIME_PREFIX,
    TIME_PREFIX_LIKE,
    TRIGGERS,
)
from simulator.i18n import _

if TYPE_CHECKING:
    from simulator.content.library import Library

__all__ = [
    "TRIGGERS", "engine_problems", "event_pools", "known_predicates", "lint_command", "lint_library",
    "lint_paths", "machine_reference_problems", "predicate_problems",
]


def event_pools() -> tuple[str, ...]:
    """The line pools keyed by an event (the engine's EVENT_POOLS, docs/engine.md 'Line pools')."""
    return EVENT_POOLS


ENGINE_PLACEHOLDERS = ("customer_name", "demand", "wish", "limit", "issue", "value", "topic")
"""Placeholders the engine fills besides the scenario's fact topics (docs/engine.md)."""

ALWAYS_POSSIBLE_OUTCOMES = ("abandoned", "unfinished")
"""Outcomes any session can end with: the customer runs out of patience, the trainee stops."""


def known_predicates() -> tuple[str, ...]:
    """The predicate names a persona machine may use (the engine defines each)."""
    return PREDICATE_NAMES


_did_you_mean = did_you_mean
_one_of = one_of
_valid = valid_files


def engine_problems(library: Library, predicates: Sequence[str] | None = None) -> list[Problem]:
    """The errors loading reports (simulator.content.checks), for a loaded library."""
    return _engine_problems(library.files, library.personas, predicates)


# --- the whole lint --------------------------------------------------------------------------


def lint_library(library: Library) -> list[Problem]:
    """Every problem lint reports for a loaded library (loading problems included)."""
    problems = list(library.problems)  # loading's checks (simulator.content.checks): lint only adds warnings
    users: dict[str, list[tuple[LoadedFile, Scenario]]] = {}
    for loaded in _valid(library.files, Scenario):
        scenario: Scenario = loaded.model  # type: ignore[assignment]
        users.setdefault(scenario.persona, []).append((loaded, scenario))
        problems += scenario_problems(loaded, library.personas.get(scenario.persona))
    for loaded in _valid(library.files, Persona):
        persona: Persona = loaded.model  # type: ignore[assignment]
        scenarios = users.get(persona.id, []) if library.personas.get(persona.id) is persona else []
        problems += machine_shape_problems(loaded)
        problems += persona_line_problems(loaded, scenarios)
        problems += unreached_outcome_problems(loaded, scenarios)
    return sorted_problems(problems)


def machine_shape_problems(loaded: LoadedFile) -> list[Problem]:
    """Final states, reachability, dead ends (warnings like ink's: legal, probably unintended)."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    machine = persona.machine
    index = {s.name: i for i, s in enumerate(machine.states)}
    finals = {s.name for s in machine.states if s.outcome is not None}
    non_finals = [s.name for s in machine.states if s.outcome is None]
    edges: dict[str, set[str]] = {name: set() for name in index}
    reply_edges: dict[str, set[str]] = {name: set() for name in index}
    problems: list[Problem] = []
    for i, t in enumerate(machine.transitions):
        if t.dest not in index:
            continue  # reported as an error already
        explicit = [t.source] if isinstance(t.source, str) else list(t.source)
        for j, source in enumerate(explicit):
            if source in finals:
                loc = ("machine", "transitions", i, "source") + (() if isinstance(t.source, str) else (j,))
                problems.append(
                    loaded.problem(
                        loc,
                        _("终止状态“{name}”（结局 {outcome}）还有转出的转换；终止状态会结束对话，"
                          "请删掉这条转换，或去掉这个状态的 outcome").format(
                            name=source, outcome=machine.states[index[source]].outcome),
                    )
                )
        sources = non_finals if "*" in explicit else [s for s in explicit if s in index and s not in finals]
        for source in sources:
            edges[source].add(t.dest)
            if t.trigger == "reply":
                reply_edges[source].add(t.dest)
    if not finals:
        problems.append(
            loaded.problem(
                ("machine", "states"),
                _("状态机没有终止状态：请至少给一个状态写上 outcome（resolved、escalated 或 abandoned）"),
            )
        )
    reachable = _closure({machine.initial}, edges) if machine.initial in index else set(index)
    can_finish = _reverse_closure(finals, reply_edges)
    for name in non_finals + sorted(finals, key=index.get):
        loc = ("machine", "states", index[name], "name")
        if name not in reachable:
            problems.append(
                loaded.problem(
                    loc, _("状态“{name}”到不了：从“{initial}”出发没有转换通向它").format(name=name, initial=machine.initial),
                    "warning"
                )
            )
            continue
        if name in finals:
            continue
        if not reply_edges[name] - {name}:
            exits = _("只有超时（timeout）能离开它") if edges[name] - {name} else _("没有任何转换离开它")
            problems.append(
                loaded.problem(
                    loc,
                    _("死胡同：状态“{name}”不是终止状态，而且{exits}；顾客只能等到离开"
                      "（请加一条 reply 转换；如果它应该结束对话，就给它写上 outcome）").format(name=name, exits=exits),
                    "warning",
                )
            )
        elif finals and name not in can_finish:
            problems.append(
                loaded.problem(
                    loc,
                    _("从状态“{name}”靠回复到不了任何终止状态；一旦进入，对话只能以超时结束").format(name=name),
                    "warning",
                )
            )
    if not any(t.trigger == "timeout" for t in machine.transitions):
        problems.append(
            loaded.problem(
                ("machine", "transitions"),
                _("没有 timeout 转换：请加上 {{trigger: timeout, source: \"*\", dest: <outcome 为 abandoned 的状态>}}，"
                  "顾客等不及时才能按状态机离开"),
                "warning",
            )
        )
    return problems


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _reverse_closure(targets: set[str], edges: dict[str, set[str]]) -> set[str]:
    reverse: dict[str, set[str]] = {}
    for source, dests in edges.items():
        for dest in dests:
            reverse.setdefault(dest, set()).add(source)
    return _closure(set(targets), reverse)


def _placeholders(line: str) -> list[str] | None:
    """Names of `{placeholders}` in a line; None when the braces are malformed."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(line) if name]
    except ValueError:
        return None


def _line_fields(scenario: Scenario) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Every line of a scenario whose placeholders the engine fills, with its loc."""
    for key, pool in scenario.lines.items():
        for i, line in enumerate(pool):
            yield ("lines", key, i), line
    for i, line in enumerate(scenario.opening):
        yield ("opening", i), line
    for i, issue in enumerate(scenario.issues):
        for j, line in enumerate(issue.reminder):
            yield ("issues", i, "reminder", j), line


def _verbatim_fields(scenario: Scenario) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
    """Lines the engine says exactly as written (no placeholders filled), with their loc and name."""
    for i, issue in enumerate(scenario.issues):
        yield ("issues", i, "complaint"), issue.complaint, _("问题的 complaint")
    for i, fact in enumerate(scenario.facts):
        yield ("facts", i, "reveal"), fact.reveal, _("事实的 reveal")


def scenario_problems(loaded: LoadedFile, persona: Persona | None) -> list[Problem]:
    """Ids unique, placeholders known, examples consistent with the persona."""
    scenario: Scenario = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    for key, items in (("facts", [f.topic for f in scenario.facts]), ("issues", [i.id for i in scenario.issues])):
        field = "topic" if key == "facts" else "id"
        seen: dict[str, int] = {}
        for i, ident in enumerate(items):
            if ident in seen:
                first_line, _col = loaded.position(key, seen[ident], field)
                problems.append(
                    loaded.problem(
                        (key, i, field),
                        _("{what}“{ident}”重复了（第一次在第 {line} 行）；同一个案例里不能重复").format(
                            what=_("事实 topic") if key == "facts" else _("问题 id"), ident=ident, line=first_line),
                    )
                )
            else:
                seen[ident] = i
    fillable = [f.topic for f in scenario.facts] + list(ENGINE_PLACEHOLDERS)
    for loc, line in _line_fields(scenario):
        names = _placeholders(line)
        if names is None:
            problems.append(
                loaded.problem(
                    loc, _("“{{”或“}}”不成对：这一行的占位符不会被填上（要写花括号本身，请写 {{{{ 或 }}}}）"), "warning",
                )
            )
            continue
        for name in names:
            if name not in fillable:
                problems.append(
                    loaded.problem(
                        loc,
                        _("占位符 {{{name}}} 不是这个案例的事实 topic{hint}（它会原样显示出来；事实：{facts}）").format(
                            name=name, hint=_did_you_mean(name, fillable),
                            facts=_one_of(dict.fromkeys(f.topic for f in scenario.facts))),
                    )
                )
    for loc, line, what in _verbatim_fields(scenario):
        names = _placeholders(line)
        if names:
            problems.append(
                loaded.problem(
                    loc,
                    _("{what}里的占位符 {{{name}}} 不会被填上：顾客会原样说出来；请直接写出它的值").format(
                        what=what, name=names[0]),
                    "warning",
                )
            )
    if persona is None:
        return problems  # the missing persona is reported by engine_problems
    states = [s.name for s in persona.machine.states]
    # (pool keys are checked at load: simulator.content.checks.scenario_pool_problems)
    possible = {s.outcome for s in persona.machine.states if s.outcome} | set(ALWAYS_POSSIBLE_OUTCOMES)
    for i, example in enumerate(scenario.examples):
        at = ("examples", i)
        label = _("示例“{name}”").format(name=example.name)
        if example.outcome not in possible:
            problems.append(
                loaded.problem(
                    (*at, "outcome"),
                    _("{label}期望结局“{outcome}”，但顾客类型“{persona}”不会以它结束（可能的结局：{possible}）").format(
                        label=label, outcome=example.outcome, persona=persona.id,
                        possible=_one_of(o for o in OUTCOMES if o in possible)),
                )
            )
        for j, reply in enumerate(example.replies):
            prefix = TIME_PREFIX.match(reply)
            if prefix is None and TIME_PREFIX_LIKE.match(reply):
                message = _("看不懂这条回复开头的用时；请写成 [+45s]（用了多少秒，写在最前面）")
            elif prefix and float(prefix.group(1)) > MAX_REPLY_SECONDS:
                message = _("用时太长：最多 [+{seconds}s]（24 小时）").format(seconds=f"{MAX_REPLY_SECONDS:.0f}")
            elif prefix and not reply[prefix.end():].strip():
                message = _("用时后面没有回复内容")
            else:
                continue
            problems.append(loaded.problem((*at, "replies", j), _("{label}：{message}").format(label=label, message=message)))
        if example.states is None:
            continue
        if len(example.states) > len(example.replies):
            problems.append(
                loaded.problem(
                    (*at, "states"),
                    _("{label}列了 {states} 个状态，但只有 {replies} 条回复；每条回复对应一个状态").format(
                        label=label, states=len(example.states), replies=len(example.replies)),
                )
            )
        for j, state in enumerate(example.states):
            if state not in states:
                problems.append(
                    loaded.problem(
                        (*at, "states", j),
                        _("{label}：状态“{state}”不是顾客类型“{persona}”的状态{hint}（状态：{known}）").format(
                            label=label, state=state, persona=persona.id, hint=_did_you_mean(state, states),
                            known=_one_of(states)),
                    )
                )
    return problems


def persona_line_problems(loaded: LoadedFile, scenarios: list[tuple[LoadedFile, Scenario]]) -> list[Problem]:
    """Placeholders are filled by every scenario using the persona."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    for key, pool in persona.lines.items():  # (pool keys are checked at load: checks.persona_pool_problems)
        for i, line in enumerate(pool):
            names = _placeholders(line)
            if names is None:
                problems.append(
                    loaded.problem(
                        ("lines", key, i),
                        _("“{{”或“}}”不成对：这一行的占位符不会被填上"), "warning",
                    )
                )
                continue
            for name in dict.fromkeys(names):
                if name in ENGINE_PLACEHOLDERS:
                    continue
                lacking = [s.id for _, s in scenarios if name not in {f.topic for f in s.facts}]
                if lacking:
                    problems.append(
                        loaded.problem(
                            ("lines", key, i),
                            _("占位符 {{{name}}} 不是案例 {scenarios}（用这个顾客类型）的事实；在那里会原样显示").format(
                                name=name, scenarios="、".join(lacking)),
                            "warning",
                        )
                    )
    return problems


def unreached_outcome_problems(loaded: LoadedFile, scenarios: list[tuple[LoadedFile, Scenario]]) -> list[Problem]:
    """Warn about final outcomes no example of any scenario using the persona ends with."""
    if not scenarios:
        return []
    persona: Persona = loaded.model  # type: ignore[assignment]
    reached = {e.outcome for _, s in scenarios for e in s.examples}
    problems: list[Problem] = []
    warned: set[str] = set()
    names = "、".join(s.id for _f, s in scenarios)
    for i, state in enumerate(persona.machine.states):
        if state.outcome is None or state.outcome in reached or state.outcome in warned:
            continue
        warned.add(state.outcome)
        problems.append(
            loaded.problem(
                ("machine", "states", i, "outcome"),
                _("用顾客类型“{persona}”的案例（{names}）里，没有示例走到结局“{outcome}”（状态“{state}”）；"
                  "请加一个以它结束的示例").format(persona=persona.id, names=names, outcome=state.outcome, state=state.name),
                "warning",
            )
        )
    return problems


# --- the command -----------------------------------------------------------------------------


def lint_paths(paths: Sequence[Path], content_dirs: Sequence[Path] = ()) -> tuple[list[Problem], int]:
    """Problems in the given files or folders (all content in use when none), and how many files."""
    from simulator.content.discover import with_content_roots  # a file's personas/ and scenarios/ siblings
    from simulator.content.library import content_roots, load_roots

    roots = content_roots(content_dirs) + with_content_roots(Path(p) for p in paths)
    library = load_roots(roots)
    problems = lint_library(library)
    if not paths:
        return problems, len(library.files)
    targets = [Path(p).resolve() for p in paths]

    def selected(path: Path) -> bool:
        real = path.resolve()
        return any(real == t or t in real.parents for t in targets)

    files = {f.path.resolve() for f in library.files if selected(f.path)}
    return [p for p in problems if selected(p.path)], len(files)


def lint_command(paths: Sequence[str | Path], content_dirs: Sequence[Path] = ()) -> int:
    """`kefu lint [PATH...]`: print every problem and a summary; exit 0 clean, 1 errors, 2 usage."""
    from simulator.content.library import content_roots, missing_roots

    missing = [Path(p) for p in paths if not Path(p).exists()]
    if missing:
        for path in missing:
            print(_("kefu lint：找不到文件或文件夹：{path}").format(path=path), file=sys.stderr)
        return 2
    missing_dirs = missing_roots(content_roots(content_dirs))
    if missing_dirs:
        for problem in missing_dirs:
            print(_("kefu lint：{message}").format(message=problem.message), file=sys.stderr)
        return 2
    problems, files = lint_paths([Path(p) for p in paths], content_dirs)
    if paths and not files:
        # A mistyped path in a CI script must not pass as "0 files, 0 errors".
        print(_("kefu lint：{paths} 里没有内容文件（*.yaml）").format(paths="、".join(map(str, paths))), file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(_("{files} 个文件，{errors} 个错误，{warnings} 个警告").format(files=files, errors=errors, warnings=warnings))
    return 1 if errors else 0
