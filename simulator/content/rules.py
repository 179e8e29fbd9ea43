"""The rules of one file's structure, each an error or a warning: machine shape, ids, placeholders, examples.

Loading keeps the errors (simulator.content.checks), lint adds the warnings: both run these same
functions, so what lint calls an error is a load error everywhere.
"""

from __future__ import annotations

import string
from collections.abc import Iterable

from simulator.content.wording import did_you_mean as _did_you_mean
from simulator.content.wording import one_of as _one_of
from simulator.content.fit import fit_problems
from simulator.content.loader import LoadedFile
from simulator.content.models import OUTCOMES, Persona, Scenario
from simulator.content.problems import Problem
from simulator.content.replies import ReplyError, parse_reply
from simulator.i18n import _

ENGINE_PLACEHOLDERS = ("customer_name", "demand", "wish", "limit", "issue", "value", "topic", "remedy", "said",
                       "wanted")
"""Placeholders the engine fills besides the scenario's fact topics (docs/engine.md)."""

ALWAYS_POSSIBLE_OUTCOMES = ("abandoned", "unfinished")
"""Outcomes any session can end with: the customer runs out of patience, the trainee stops."""


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
                        "warning",  # the engine plays it (the text shows as written): not a load error
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
    problems += fit_problems(loaded)  # calendar, needed_by, attributes (issue 17 §2)
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
            try:
                parse_reply(reply)  # the parser of `kefu run` files: what run refuses, lint reports
            except ReplyError as exc:
                problems.append(loaded.problem((*at, "replies", j), _("{label}：{message}").format(label=label, message=exc.message)))
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
