"""`kefu lint`: every problem in every content file, as `path:line:col: message`.

On top of what loading finds (YAML, types, unknown keys, duplicate ids), lint checks references
between files and each persona's state machine, and warns like ink's compiler about what is
legal but probably unintended: unreachable states, dead ends, outcomes no example reaches.

Errors are things the engine cannot play as written; warnings are things a trainer should look at.
"""

from __future__ import annotations

import re

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
from simulator.content.rules import (
    ALWAYS_POSSIBLE_OUTCOMES,
    ENGINE_PLACEHOLDERS,
    _placeholders,
    machine_shape_problems,
    scenario_problems,
)
from simulator.content.models import OUTCOMES, Persona, Scenario
from simulator.content.problems import Problem, sorted_problems
from simulator.content.pronouns import persona_pronoun_problems, scenario_gender_problems
from simulator.content.vocabulary import (
    EVENT_POOLS,
    PREDICATE_NAMES,
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
    warning = lambda found: [p for p in found if not p.is_error]  # noqa: E731 - their errors came with loading
    users: dict[str, list[tuple[LoadedFile, Scenario]]] = {}
    for loaded in _valid(library.files, Scenario):
        scenario: Scenario = loaded.model  # type: ignore[assignment]
        users.setdefault(scenario.persona, []).append((loaded, scenario))
        problems += warning(scenario_problems(loaded, library.personas.get(scenario.persona)))
        problems += scenario_gender_problems(loaded)
        problems += case_line_problems(loaded, library.personas.get(scenario.persona))
        problems += regex_keyword_problems(loaded)
    for loaded in _valid(library.files, Persona):
        persona: Persona = loaded.model  # type: ignore[assignment]
        scenarios = users.get(persona.id, []) if library.personas.get(persona.id) is persona else []
        problems += warning(machine_shape_problems(loaded))
        problems += persona_line_problems(loaded, scenarios)
        problems += regex_keyword_problems(loaded)
        problems += unreached_outcome_problems(loaded, scenarios)
        problems += persona_pronoun_problems(loaded, scenarios)
    return sorted_problems(problems)


# What a regular expression looks like: keywords are plain words, so these would never match as meant.
_REGEX_LOOK = re.compile(r"\\[dDwWsSbB]|\.[*+?]|\||\[[^\]]*\]|^\^|\$$|\(\?|\)[*+?]|[^\\][*+]$")


def regex_keyword_problems(loaded: LoadedFile) -> list[Problem]:
    """Issue 21 §2: a keyword written as a regular expression is matched as plain text, i.e. never."""
    problems: list[Problem] = []

    def walk(value, loc: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "keywords" and isinstance(item, list):
                    for n, word in enumerate(item):
                        if isinstance(word, str) and _REGEX_LOOK.search(word):
                            problems.append(loaded.problem((*loc, key, n), _(
                                "关键词“{word}”看起来像正则表达式，但关键词是按原样找的普通词语，这样写永远对不上；"
                                "请拆成几个普通词语，例如 [退款, 退钱]").format(word=word), "warning"))
                else:
                    walk(item, (*loc, key))
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, (*loc, n))

    walk(loaded.model.model_dump(exclude_defaults=True), ())
    return problems


def case_line_problems(loaded: LoadedFile, persona: Persona | None) -> list[Problem]:
    """Issue 8 §5: every state the persona uses should have the case's own lines; a state without them
    falls back to the persona's generic lines (said in every case this persona plays)."""
    if persona is None:
        return []
    scenario: Scenario = loaded.model  # type: ignore[assignment]
    where = ("lines",) if scenario.lines else ("persona",)
    missing = [s.name for s in persona.machine.states if s.outcome is None and s.name not in scenario.lines]
    if not missing:
        return []
    return [loaded.problem(
        where,
        _("案例没有为状态 {states} 写自己的台词，会用顾客类型“{persona}”的通用台词；"
          "请在 lines 下为每个状态加上本案的台词").format(states="、".join(missing), persona=persona.id),
        "warning",
    )]


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
            print(_("kefu lint：找不到文件或文件夹：{path}").format(path=path), file=sys.stderr)
        return 2
    missing_dirs = missing_roots(content_roots(content_dirs))
    if missing_dirs:
        for problem in missing_dirs:
            print(_("kefu lint：{message}").format(message=problem.message), file=sys.stderr)
        return 2
    from simulator.content.lexicons import is_lexicon_file, lexicon_problems  # a trainer's lexicons, like content

    lexicons = [Path(p) for p in paths if is_lexicon_file(Path(p))]
    content = [Path(p) for p in paths if Path(p) not in lexicons]
    problems, files = lint_paths(content, content_dirs) if content or not paths else ([], 0)
    problems = sorted_problems([*problems, *lexicon_problems(lexicons)])
    files += len(lexicons)
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
