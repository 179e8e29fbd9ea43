"""`kefu lint`: every problem in every content file, as `path:line:col: message`.

On top of what loading finds (YAML, types, unknown keys, duplicate ids), lint checks references
between files and each persona's state machine, and warns like ink's compiler about what is
legal but probably unintended: unreachable states, dead ends, outcomes no example reaches.

Errors are things the engine cannot play as written; warnings are things a trainer should look at.
"""

from __future__ import annotations

import difflib
import string
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.content.loader import LoadedFile
from simulator.content.models import OUTCOMES, Persona, Scenario
from simulator.content.problems import Problem, sorted_problems
from simulator.content.replies import ReplyError, parse_reply
from simulator.content.pronouns import persona_pronoun_problems, scenario_gender_problems
from simulator.content.vocabulary import (
    EVENT_POOLS,
    PREDICATE_NAMES,
    TRIGGERS,
)

if TYPE_CHECKING:
    from simulator.content.library import Library


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


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _one_of(choices: Iterable[str]) -> str:
    return ", ".join(choices) or "(none)"


# --- what the engine needs: errors that loading reports too ------------------------------------


def engine_problems(library: Library, predicates: Sequence[str] | None = None) -> list[Problem]:
    """Errors that stop the engine from playing the content: broken references and machines."""
    problems: list[Problem] = []
    for loaded in _valid(library.files, Persona):
        problems += machine_reference_problems(loaded, predicates)
    for loaded in _valid(library.files, Scenario):
        scenario: Scenario = loaded.model  # type: ignore[assignment]
        if scenario.persona not in library.personas:
            problems.append(
                loaded.problem(
                    ("persona",),
                    f"persona '{scenario.persona}' does not exist{_did_you_mean(scenario.persona, library.personas)} "
                    f"(personas: {_one_of(sorted(library.personas))})",
                )
            )
    return problems


def _valid(files: Iterable[LoadedFile], model_type: type) -> list[LoadedFile]:
    return [f for f in files if isinstance(f.model, model_type)]


def machine_reference_problems(loaded: LoadedFile, predicates: Sequence[str] | None) -> list[Problem]:
    """States named by `initial`, sources and dests exist; triggers and predicates are known."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    machine = persona.machine
    problems: list[Problem] = []
    names: list[str] = []
    for i, state in enumerate(machine.states):
        if state.name in names:
            problems.append(loaded.problem(("machine", "states", i, "name"), f"duplicate state '{state.name}'"))
        names.append(state.name)
    if machine.initial not in names:
        problems.append(
            loaded.problem(
                ("machine", "initial"),
                f"initial state '{machine.initial}' is not a state of the machine"
                f"{_did_you_mean(machine.initial, names)} (states: {_one_of(names)})",
            )
        )
    for i, t in enumerate(machine.transitions):
        at = ("machine", "transitions", i)
        if t.trigger not in TRIGGERS:
            problems.append(
                loaded.problem(
                    (*at, "trigger"),
                    f"trigger '{t.trigger}' is not known; expected one of {_one_of(TRIGGERS)}"
                    f"{_did_you_mean(t.trigger, TRIGGERS)}",
                )
            )
        sources = [t.source] if isinstance(t.source, str) else t.source
        for j, source in enumerate(sources):
            if source != "*" and source not in names:
                loc = (*at, "source") if isinstance(t.source, str) else (*at, "source", j)
                problems.append(
                    loaded.problem(
                        loc,
                        f"source state '{source}' is not a state of the machine"
                        f"{_did_you_mean(source, names)} (states: {_one_of(names)}, or '*' for any)",
                    )
                )
        if t.dest not in names:
            problems.append(
                loaded.problem(
                    (*at, "dest"),
                    f"destination state '{t.dest}' is not a state of the machine"
                    f"{_did_you_mean(t.dest, names)} (states: {_one_of(names)})",
                )
            )
    if predicates is not None:
        problems += predicate_problems(loaded, predicates)
    return problems


def predicate_problems(loaded: LoadedFile, predicates: Sequence[str]) -> list[Problem]:
    """Every name in `conditions` and `unless` is one of the engine's predicates."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    for i, t in enumerate(persona.machine.transitions):
        for key in ("conditions", "unless"):
            for j, name in enumerate(getattr(t, key)):
                if name not in predicates:
                    problems.append(
                        loaded.problem(
                            ("machine", "transitions", i, key, j),
                            f"unknown predicate '{name}' in {key}{_did_you_mean(name, predicates)} "
                            "(the named conditions are listed in docs/engine.md)",
                        )
                    )
    return problems


# --- the whole lint --------------------------------------------------------------------------


def lint_library(library: Library) -> list[Problem]:
    """Every problem lint reports for a loaded library (loading problems included)."""
    problems = list(library.problems)
    for loaded in _valid(library.files, Persona):  # loading checks references, but not predicate names
        problems += predicate_problems(loaded, known_predicates())
    users: dict[str, list[tuple[LoadedFile, Scenario]]] = {}
    for loaded in _valid(library.files, Scenario):
        scenario: Scenario = loaded.model  # type: ignore[assignment]
        users.setdefault(scenario.persona, []).append((loaded, scenario))
        problems += scenario_problems(loaded, library.personas.get(scenario.persona))
        problems += scenario_gender_problems(loaded)
    for loaded in _valid(library.files, Persona):
        persona: Persona = loaded.model  # type: ignore[assignment]
        scenarios = users.get(persona.id, []) if library.personas.get(persona.id) is persona else []
        problems += machine_shape_problems(loaded)
        problems += persona_line_problems(loaded, scenarios)
        problems += unreached_outcome_problems(loaded, scenarios)
        problems += persona_pronoun_problems(loaded, scenarios)
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
                        f"final state '{source}' (outcome {machine.states[index[source]].outcome}) has an outgoing "
                        "transition; a final state ends the session, so remove the transition or the outcome",
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
                "the machine has no final state: give at least one state an outcome (resolved, escalated, abandoned)",
            )
        )
    reachable = _closure({machine.initial}, edges) if machine.initial in index else set(index)
    can_finish = _reverse_closure(finals, reply_edges)
    for name in non_finals + sorted(finals, key=index.get):
        loc = ("machine", "states", index[name], "name")
        if name not in reachable:
            problems.append(
                loaded.problem(
                    loc, f"state '{name}' is unreachable: no transition leads to it from '{machine.initial}'", "warning"
                )
            )
            continue
        if name in finals:
            continue
        if not reply_edges[name] - {name}:
            exits = "only a timeout leads out of it" if edges[name] - {name} else "no transition leads out of it"
            problems.append(
                loaded.problem(
                    loc,
                    f"dead end: state '{name}' is not final and {exits}; the customer can only wait to leave "
                    "(add a reply transition, or an outcome if it should end the session)",
                    "warning",
                )
            )
        elif finals and name not in can_finish:
            problems.append(
                loaded.problem(
                    loc,
                    f"state '{name}' cannot reach any final state by replies; once there, the conversation can only "
                    "end by timeout",
                    "warning",
                )
            )
    if not any(t.trigger == "timeout" for t in machine.transitions):
        problems.append(
            loaded.problem(
                ("machine", "transitions"),
                "no 'timeout' transition: add {trigger: timeout, source: \"*\", dest: <a state with outcome "
                "abandoned>} so the customer can leave through the machine",
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
        yield ("issues", i, "complaint"), issue.complaint, "an issue's complaint"
    for i, fact in enumerate(scenario.facts):
        yield ("facts", i, "reveal"), fact.reveal, "a fact's reveal"


def scenario_problems(loaded: LoadedFile, persona: Persona | None) -> list[Problem]:
    """Ids unique, line pools and placeholders known, examples consistent with the persona."""
    scenario: Scenario = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    for key, items in (("facts", [f.topic for f in scenario.facts]), ("issues", [i.id for i in scenario.issues])):
        field = "topic" if key == "facts" else "id"
        seen: dict[str, int] = {}
        for i, ident in enumerate(items):
            if ident in seen:
                first_line, _ = loaded.position(key, seen[ident], field)
                problems.append(
                    loaded.problem(
                        (key, i, field),
                        f"duplicate {key[:-1]} {field} '{ident}' (first at line {first_line}); ids must be unique "
                        "within a scenario",
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
                    loc, "unbalanced '{' or '}': placeholders in this line will not be filled (write {{ or }} for a "
                    "brace)", "warning",
                )
            )
            continue
        for name in names:
            if name not in fillable:
                problems.append(
                    loaded.problem(
                        loc,
                        f"placeholder {{{name}}} is not a fact topic of this scenario{_did_you_mean(name, fillable)} "
                        f"(it would show as written; facts: {_one_of(dict.fromkeys(f.topic for f in scenario.facts))})",
                    )
                )
    for loc, line, what in _verbatim_fields(scenario):
        names = _placeholders(line)
        if names:
            problems.append(
                loaded.problem(
                    loc,
                    f"placeholder {{{names[0]}}} in {what} is not filled: the customer says it exactly as "
                    "written; write the value out",
                    "warning",
                )
            )
    if persona is None:
        return problems  # the missing persona is reported by engine_problems
    states = [s.name for s in persona.machine.states]
    events = event_pools()
    pools = states + list(events)
    for key in scenario.lines:
        if key not in pools:
            problems.append(
                loaded.problem(
                    ("lines", key),
                    f"line pool '{key}' is neither a state of persona '{persona.id}' nor an event"
                    f"{_did_you_mean(key, pools)} (states: {_one_of(states)}; events: {_one_of(events)})",
                    key=True,
                )
            )
    possible = {s.outcome for s in persona.machine.states if s.outcome} | set(ALWAYS_POSSIBLE_OUTCOMES)
    for i, example in enumerate(scenario.examples):
        at = ("examples", i)
        label = f"example '{example.name}'"
        if example.outcome not in possible:
            problems.append(
                loaded.problem(
                    (*at, "outcome"),
                    f"{label} expects outcome '{example.outcome}', which persona '{persona.id}' never ends with "
                    f"(possible: {_one_of(o for o in OUTCOMES if o in possible)})",
                )
            )
        for j, reply in enumerate(example.replies):
            try:
                parse_reply(reply)  # the parser of `kefu run` files: what run refuses, lint reports
            except ReplyError as exc:
                problems.append(loaded.problem((*at, "replies", j), f"{label}: {exc.message}"))
        if example.states is None:
            continue
        if len(example.states) > len(example.replies):
            problems.append(
                loaded.problem(
                    (*at, "states"),
                    f"{label} lists {len(example.states)} states for {len(example.replies)} replies; "
                    "give one state per reply",
                )
            )
        for j, state in enumerate(example.states):
            if state not in states:
                problems.append(
                    loaded.problem(
                        (*at, "states", j),
                        f"{label}: state '{state}' is not a state of persona '{persona.id}'"
                        f"{_did_you_mean(state, states)} (states: {_one_of(states)})",
                    )
                )
    return problems


def persona_line_problems(loaded: LoadedFile, scenarios: list[tuple[LoadedFile, Scenario]]) -> list[Problem]:
    """Pool keys are states or events; placeholders are filled by every scenario using the persona."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    states = [s.name for s in persona.machine.states]
    events = event_pools()
    pools = states + list(events)
    problems: list[Problem] = []
    for key, pool in persona.lines.items():
        if key not in pools:
            problems.append(
                loaded.problem(
                    ("lines", key),
                    f"line pool '{key}' is neither a state nor an event{_did_you_mean(key, pools)} "
                    f"(states: {_one_of(states)}; events: {_one_of(events)})",
                    key=True,
                )
            )
        for i, line in enumerate(pool):
            names = _placeholders(line)
            if names is None:
                problems.append(
                    loaded.problem(
                        ("lines", key, i),
                        "unbalanced '{' or '}': placeholders in this line will not be filled", "warning",
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
                            f"placeholder {{{name}}} is not a fact of scenario{'s' if len(lacking) > 1 else ''} "
                            f"{', '.join(lacking)} (using this persona); it would show as written there",
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
    names = ", ".join(s.id for _, s in scenarios)
    for i, state in enumerate(persona.machine.states):
        if state.outcome is None or state.outcome in reached or state.outcome in warned:
            continue
        warned.add(state.outcome)
        problems.append(
            loaded.problem(
                ("machine", "states", i, "outcome"),
                f"no example reaches outcome '{state.outcome}' (state '{state.name}') in the scenarios using "
                f"persona '{persona.id}' ({names}); add an example that ends there",
                "warning",
            )
        )
    return problems


# --- the command -----------------------------------------------------------------------------


def lint_paths(paths: Sequence[Path], content_dirs: Sequence[Path] = ()) -> tuple[list[Problem], int]:
    """Problems in the given files or folders (all content in use when none), and how many files."""
    from simulator.content.library import content_roots, load_roots

    roots = content_roots(content_dirs) + [Path(p) for p in paths]
    library = load_roots(roots)
    problems = lint_library(library)
    from simulator.content.exams import load_exams  # exams are checked against the scenarios above

    exams = load_exams(roots, library.scenarios)
    problems = sorted_problems([*problems, *exams.problems])
    files_read = [*library.files, *exams.all_files]
    if not paths:
        return problems, len(files_read)
    targets = [Path(p).resolve() for p in paths]

    def selected(path: Path) -> bool:
        real = path.resolve()
        return any(real == t or t in real.parents for t in targets)

    files = {f.path.resolve() for f in files_read if selected(f.path)}
    return [p for p in problems if selected(p.path)], len(files)


def lint_command(paths: Sequence[str | Path], content_dirs: Sequence[Path] = ()) -> int:
    """`kefu lint [PATH...]`: print every problem and a summary; exit 0 clean, 1 errors, 2 usage."""
    from simulator.content.library import content_roots, missing_roots

    missing = [Path(p) for p in paths if not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"kefu lint: no such file or folder: {path}", file=sys.stderr)
        return 2
    missing_dirs = missing_roots(content_roots(content_dirs))
    if missing_dirs:
        for problem in missing_dirs:
            print(f"kefu lint: {problem.message}", file=sys.stderr)
        return 2
    problems, files = lint_paths([Path(p) for p in paths], content_dirs)
    if paths and not files:
        # A mistyped path in a CI script must not pass as "0 files, 0 errors".
        print(f"kefu lint: no content files (*.yaml) in {', '.join(map(str, paths))}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(f"{files} file{'s' if files != 1 else ''}, {errors} error{'s' if errors != 1 else ''}, "
          f"{warnings} warning{'s' if warnings != 1 else ''}")
    return 1 if errors else 0
