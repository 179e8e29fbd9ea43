"""The checks every load runs: what the engine needs to play the content as written.

Loading (`load_library`, so play, run, check and the app) and `kefu lint` run these same checks,
so a typo in a predicate, trigger or line pool is a path:line:col error everywhere, before any
chat opens. Lint adds only warnings on top (simulator.content.lint). This module imports neither
the library nor lint: both build on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from simulator.content.loader import LoadedFile, declared_id
from simulator.content.models import Persona, Scenario
from simulator.content.problems import Problem
from simulator.content.rules import machine_shape_problems, scenario_problems
from simulator.content.vocabulary import CUE_PREFIX, EVENT_POOLS, PREDICATE_NAMES, TRIGGERS
from simulator.content.wording import did_you_mean, one_of
from simulator.i18n import _


__all__ = [
    "did_you_mean", "engine_problems", "machine_reference_problems", "one_of", "persona_pool_problems",
    "cue_pool_problems", "predicate_problems", "scenario_pool_problems", "valid_files",
]


def valid_files(files: Iterable[LoadedFile], model_type: type) -> list[LoadedFile]:
    """The files whose model loaded and is of `model_type`."""
    return [f for f in files if isinstance(f.model, model_type)]


def engine_problems(
    files: Sequence[LoadedFile], personas: Mapping[str, Persona], predicates: Sequence[str] | None = None
) -> list[Problem]:
    """Errors that stop the engine from playing the content: references, machines, names, pools."""
    names = PREDICATE_NAMES if predicates is None else predicates
    problems: list[Problem] = []
    for loaded in valid_files(files, Persona):
        problems += machine_reference_problems(loaded)
        problems += predicate_problems(loaded, names)
        problems += persona_pool_problems(loaded)
        persona_model: Persona = loaded.model  # type: ignore[assignment]
        problems += cue_pool_problems(loaded, [s.name for s in persona_model.machine.states], persona_model.lines)
        problems += _errors(machine_shape_problems(loaded))
    # A persona file that failed to load has its own errors: its cases need not repeat "no such persona".
    broken = {declared_id(f) for f in files if f.kind == "persona" and f.model is None}
    for loaded in valid_files(files, Scenario):
        scenario: Scenario = loaded.model  # type: ignore[assignment]
        persona = personas.get(scenario.persona)
        if persona is None and scenario.persona in broken:
            continue
        if persona is None:
            problems.append(
                loaded.problem(
                    ("persona",),
                    _("找不到顾客类型（persona）“{name}”{hint}（现有：{known}）。请改成现有的 id，"
                      "或在 personas/ 文件夹里写一个这个 id 的文件").format(
                        name=scenario.persona, hint=did_you_mean(scenario.persona, personas),
                        known=one_of(sorted(personas)),
                    ),
                )
            )
        else:
            problems += scenario_pool_problems(loaded, persona)
            problems += cue_pool_problems(loaded, [s.name for s in persona.machine.states],
                                          [*persona.lines, *scenario.lines])
        problems += _errors(scenario_problems(loaded, persona))
    return problems


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]  # lint adds the warnings of the same rules


def machine_reference_problems(loaded: LoadedFile) -> list[Problem]:
    """States named by `initial`, sources and dests exist; states are unique; triggers are known."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    machine = persona.machine
    problems: list[Problem] = []
    names: list[str] = []
    for i, state in enumerate(machine.states):
        if state.name in names:
            problems.append(
                loaded.problem(("machine", "states", i, "name"),
                               _("状态“{name}”重复了：每个状态名只能出现一次").format(name=state.name))
            )
        names.append(state.name)
    if machine.initial not in names:
        problems.append(
            loaded.problem(
                ("machine", "initial"),
                _("初始状态“{name}”不是这台状态机的状态{hint}（状态：{known}）").format(
                    name=machine.initial, hint=did_you_mean(machine.initial, names), known=one_of(names)),
            )
        )
    for i, t in enumerate(machine.transitions):
        at = ("machine", "transitions", i)
        if t.trigger not in TRIGGERS:
            problems.append(
                loaded.problem(
                    (*at, "trigger"),
                    _("不认识的触发事件（trigger）“{name}”{hint}；只能写：{known}").format(
                        name=t.trigger, hint=did_you_mean(t.trigger, TRIGGERS), known=one_of(TRIGGERS)),
                )
            )
        sources = [t.source] if isinstance(t.source, str) else t.source
        for j, source in enumerate(sources):
            if source != "*" and source not in names:
                loc = (*at, "source") if isinstance(t.source, str) else (*at, "source", j)
                problems.append(
                    loaded.problem(
                        loc,
                        _("起点状态“{name}”不是这台状态机的状态{hint}（状态：{known}；或写 \"*\" 表示任意状态）").format(
                            name=source, hint=did_you_mean(source, names), known=one_of(names)),
                    )
                )
        if t.dest not in names:
            problems.append(
                loaded.problem(
                    (*at, "dest"),
                    _("目标状态“{name}”不是这台状态机的状态{hint}（状态：{known}）").format(
                        name=t.dest, hint=did_you_mean(t.dest, names), known=one_of(names)),
                )
            )
    return problems


def predicate_problems(loaded: LoadedFile, predicates: Sequence[str] = PREDICATE_NAMES) -> list[Problem]:
    """Every name in `conditions` and `unless` is one of the engine's predicates."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    for i, t in enumerate(persona.machine.transitions):
        for key in ("conditions", "unless"):
            for j, name in enumerate(getattr(t, key)):
                if name.startswith(CUE_PREFIX):
                    problems += _cue_condition_problems(loaded, persona, name, ("machine", "transitions", i, key, j))
                elif name not in predicates:
                    problems.append(
                        loaded.problem(
                            ("machine", "transitions", i, key, j),
                            _("{key} 里的条件名“{name}”不存在{hint}（可用的条件名见 docs/authoring.md“条件名”一节）").format(
                                key=key, name=name, hint=did_you_mean(name, predicates)),
                        )
                    )
    return problems


def _cue_condition_problems(loaded: LoadedFile, persona: Persona, name: str, loc: tuple) -> list[Problem]:
    """A condition `cue:<name>` names a cue the persona declares (a case may replace it, not invent it)."""
    cue = name[len(CUE_PREFIX):]
    names = [c.name for c in persona.cues]
    if cue in names:
        return []
    return [loaded.problem(loc, _(
        "条件“{name}”说的说法（cue）“{cue}”这个顾客类型没有写{hint}（cues 里有：{known}）。"
        "请在这个文件的 cues: 下写上 name: {cue} 和它的 keywords").format(
            name=name, cue=cue, hint=did_you_mean(cue, names), known=one_of(names) if names else _("没有")))]


def cue_pool_problems(loaded: LoadedFile, states: list[str], pools: Iterable[str]) -> list[Problem]:
    """Every cue's `pool` is a state, an event pool or a key of the file's (or its persona's) `lines`."""
    model = loaded.model
    known = [*states, *EVENT_POOLS, *pools]
    return [
        loaded.problem(("cues", i, "pool"), _(
            "说法（cue）“{cue}”的台词池“{pool}”不存在{hint}：请写状态名、事件名或 lines 里的一个键，"
            "或者直接在 lines: 下写顾客的回答").format(cue=c.name, pool=c.pool, hint=did_you_mean(c.pool, known)))
        for i, c in enumerate(getattr(model, "cues", []))
        if c.pool and c.pool not in known
    ]


def _pool_message(key: str, states: list[str], owner: str) -> str:
    pools = states + list(EVENT_POOLS)
    return _("台词池“{key}”既不是{owner}的状态，也不是事件{hint}（状态：{states}；事件：{events}）").format(
        key=key, owner=owner, hint=did_you_mean(key, pools), states=one_of(states), events=one_of(EVENT_POOLS))


def persona_pool_problems(loaded: LoadedFile) -> list[Problem]:
    """Every key of a persona's `lines` is one of its states or an event pool."""
    persona: Persona = loaded.model  # type: ignore[assignment]
    states = [s.name for s in persona.machine.states]
    return [
        loaded.problem(("lines", key), _pool_message(key, states, _("这个顾客类型")), key=True)
        for key in persona.lines
        if key not in states and key not in EVENT_POOLS
    ]


def scenario_pool_problems(loaded: LoadedFile, persona: Persona) -> list[Problem]:
    """Every key of a scenario's `lines` is a state of its persona or an event pool."""
    scenario: Scenario = loaded.model  # type: ignore[assignment]
    states = [s.name for s in persona.machine.states]
    owner = _("顾客类型“{id}”").format(id=persona.id)
    return [
        loaded.problem(("lines", key), _pool_message(key, states, owner), key=True)
        for key in scenario.lines
        if key not in states and key not in EVENT_POOLS
    ]
