"""`kefu graph ID`: a persona's state machine as a Mermaid `stateDiagram-v2`.

A small emitter of our own rather than transitions' GraphMachine: the output only depends on the
YAML (file order), so it is stable for reviews and tests, and conditions show up on the arrows.
Paste it into any Mermaid viewer (GitHub and GitLab render ```mermaid blocks).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator.content.glossary import OUTCOMES, PREDICATES
from simulator.content.models import Persona
from simulator.content.vocabulary import CUE_PREFIX
from simulator.content.wording import one_of
from simulator.i18n import _


_MERMAID_WORDS = {"end", "state", "note", "direction", "class", "classdef", "click", "style", "as", "left", "right", "of"}


def _state_id(name: str, taken: dict[str, str]) -> str:
    """A Mermaid-safe state id (letters, digits, underscores), unique per name."""
    if name in taken:
        return taken[name]
    base = re.sub(r"\W", "_", name, flags=re.ASCII) or "state"
    if base[0].isdigit() or base.lower() in _MERMAID_WORDS:
        base = "s_" + base
    ident, n = base, 2
    while ident in taken.values():
        ident, n = f"{base}_{n}", n + 1
    taken[name] = ident
    return ident


def _text(value: str) -> str:
    """Text safe inside a Mermaid label (no line breaks, colons or semicolons)."""
    return re.sub(r"[\r\n]+", " ", value).replace(":", "：").replace(";", "；").strip()


# A transition's trigger as a trainer says it.
TRIGGER_WORDS = {"reply": "回复后", "timeout": "超时"}


def mermaid(persona: Persona) -> str:
    """The persona's machine as Mermaid `stateDiagram-v2` source (deterministic)."""
    machine = persona.machine
    ids: dict[str, str] = {}
    for state in machine.states:
        _state_id(state.name, ids)
    finals = [s for s in machine.states if s.outcome is not None]
    final_names = {s.name for s in finals}
    non_finals = [s.name for s in machine.states if s.outcome is None]
    lines = [
        "---",
        f"title: {_text(persona.id)} — {_text(persona.name)}",
        "---",
        "stateDiagram-v2",
    ]
    for state in machine.states:
        label = state.name + (f" ({state.label})" if state.label else "")
        if label != ids[state.name]:
            lines.append(f"    {ids[state.name]} : {_text(label)}")
    lines.append(f"    [*] --> {_state_id(machine.initial, ids)}")
    for t in machine.transitions:
        explicit = [t.source] if isinstance(t.source, str) else list(t.source)
        sources = non_finals if "*" in explicit else explicit
        guards = [*t.conditions, *(f"!{name}" for name in t.unless)]
        label = TRIGGER_WORDS.get(t.trigger, t.trigger) + (f" [{', '.join(guards)}]" if guards else "")
        for source in dict.fromkeys(sources):
            if "*" in explicit and source in final_names:
                continue
            lines.append(f"    {_state_id(source, ids)} --> {_state_id(t.dest, ids)} : {_text(label)}")
    for state in finals:
        lines.append(f"    {ids[state.name]} --> [*]")
        outcome = str(getattr(state.outcome, "value", state.outcome))
        lines.append(f"    note right of {ids[state.name]} : 结局 {_text(OUTCOMES.get(outcome, outcome))}")
    used = dict.fromkeys(name for t in machine.transitions for name in (*t.conditions, *t.unless))
    if used:  # a legend a trainer reads in the source; Mermaid ignores %% lines
        lines.insert(4, "    %% 条件（!name 表示“不满足”）：")
        for n, name in enumerate(used, start=5):
            lines.insert(n, f"    %%   {name}：{_text(_condition_words(persona, name))}")
    if persona.cues:  # issue 21 §1: what this customer reacts to, after the legend
        at = 4 + (len(used) + 1 if used else 0)
        lines[at:at] = ["    %% 顾客在意的说法（cues）：", *(f"    %%   {_text(_cue_words(c))}" for c in persona.cues)]
    return "\n".join(lines) + "\n"


def _condition_words(persona: Persona, name: str) -> str:
    """A condition's Chinese meaning; `cue:<name>` names the cue's keywords."""
    if name.startswith(CUE_PREFIX):
        cue = next((c for c in persona.cues if c.name == name[len(CUE_PREFIX):]), None)
        if cue is None:
            return "这个顾客类型没有写的说法（kefu lint 会报错）"
        return "回复里有说法“{name}”的关键词（{words}）".format(name=cue.name, words="、".join(cue.keywords))
    return PREDICATES.get(name, "案例作者自己定义的条件")


def _cue_words(cue) -> str:
    """One cue in a line: its keywords, the mood change and what the customer answers from."""
    parts = [f"{cue.name}：{'、'.join(cue.keywords)}"]
    if cue.mood:
        parts.append(f"心情 {cue.mood:+d}")
    if cue.lines:
        parts.append(f"回答“{cue.lines[0]}”" + ("等" if len(cue.lines) > 1 else ""))
    elif cue.pool:
        parts.append(f"从台词池 {cue.pool} 回答")
    return "，".join(parts)


def graph_command(ident: str, content_dirs: Sequence[Path] = ()) -> int:
    """Print the machine of persona `ident` (or of scenario `ident`'s persona); 2 for an unknown id."""
    from simulator.content.library import ContentError, load_library

    try:
        library = load_library(content_dirs, strict=False)
    except ContentError as exc:
        print(_("kefu graph：{error}").format(error=exc), file=sys.stderr)
        return 2
    persona = library.personas.get(ident)
    if persona is None and ident in library.scenarios:
        scenario = library.scenarios[ident]
        persona = library.personas.get(scenario.persona)
        if persona is None:
            print(_("kefu graph：案例“{id}”用的顾客类型“{persona}”不存在（运行 kefu lint 看详情）").format(
                id=ident, persona=scenario.persona), file=sys.stderr)
            return 1
    if persona is None:
        print(_("kefu graph：没有 id 为“{id}”的顾客类型或案例").format(id=ident), file=sys.stderr)
        print(_("顾客类型：{ids}").format(ids=one_of(sorted(library.personas))), file=sys.stderr)
        print(_("案例：{ids}").format(ids=one_of(sorted(library.scenarios))), file=sys.stderr)
        return 2
    sys.stdout.write(mermaid(persona))
    return 0
