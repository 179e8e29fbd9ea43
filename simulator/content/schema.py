"""`kefu schema`: JSON Schemas of persona and scenario files, generated from the models.

Editors use them for completion, hover text (the models' docstrings and field descriptions) and
red squiggles while a trainer types (see docs/authoring.md). The package ships a copy in
`simulator/content/schemas/`; a test keeps it equal to freshly generated ones.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from collections.abc import Sequence

from pydantic import BaseModel

from scoring.models import RemedyKind
from simulator.content import descriptions, glossary
from simulator.content.models import OUTCOMES, Persona, PersonaType, Scenario
from simulator.content.vocabulary import EVENT_POOLS, PREDICATE_NAMES, TRIGGERS
from simulator.i18n import _

SCHEMA_DIR = Path(__file__).parent / "schemas"
"""The schemas shipped with the package."""

SCHEMAS: dict[str, type[BaseModel]] = {"persona.schema.json": Persona, "scenario.schema.json": Scenario}


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a content model, in Chinese, with every name as an enum."""
    schema = model.model_json_schema()
    _describe(schema, model.__name__)
    for name, definition in schema.get("$defs", {}).items():
        _describe(definition, name)
    _add_vocabulary(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _describe(definition: dict[str, Any], model_name: str) -> None:
    """Chinese descriptions (simulator.content.descriptions) on a model's schema and its properties."""
    if model_name in descriptions.MODELS:
        definition["description"] = descriptions.MODELS[model_name]
    for prop, sub in definition.get("properties", {}).items():
        text = descriptions.FIELDS.get(f"{model_name}.{prop}")
        if text:
            sub["description"] = text


def _names(values: Sequence[str], glossary: dict[str, str]) -> dict[str, Any]:
    """An enum of names with a Chinese line each (`enumDescriptions`: hover text in VS Code's YAML)."""
    return {"enum": list(values), "enumDescriptions": [glossary.get(v, "") for v in values]}


def _add_vocabulary(schema: dict[str, Any]) -> None:
    """Every name a file may use becomes an enum an editor completes: triggers, predicates, pools, …"""
    defs = schema.get("$defs", {})
    transition = defs.get("TransitionSpec", {}).get("properties", {})
    if "trigger" in transition:
        transition["trigger"].update(_names(TRIGGERS, glossary.TRIGGERS))
    for key in ("conditions", "unless"):
        if key in transition:
            # A predicate, or `cue:<name>`: a cue the persona declares (issue 21 §1).
            transition[key]["items"] = {"type": "string", "anyOf": [
                _names(PREDICATE_NAMES, glossary.PREDICATES),
                {"pattern": "^cue:.+", "description": "cue:名字——回复里有这个顾客类型 cues 里那个说法的关键词"},
            ]}
    lines = schema.get("properties", {}).get("lines")
    if lines is not None:  # event pools complete as keys; a state's name is a pool too (additionalProperties)
        lines["properties"] = {
            pool: {"type": "array", "items": {"type": "string"}, "description": glossary.POOLS.get(pool, "")}
            for pool in EVENT_POOLS
        }
    enums = {
        frozenset(OUTCOMES): glossary.OUTCOMES,
        frozenset(r.value for r in RemedyKind): glossary.REMEDIES,
        frozenset(t.value for t in PersonaType): glossary.PERSONA_TYPES,
    }
    if "RemedyKind" in defs:
        defs["RemedyKind"]["description"] = "补救方式：" + "；".join(f"{k} {v}" for k, v in glossary.REMEDIES.items())
    if "PersonaType" in defs:
        defs["PersonaType"]["description"] = descriptions.FIELDS["Persona.type"]
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            values = node.get("enum")
            if isinstance(values, list) and "enumDescriptions" not in node:
                glossary_for = enums.get(frozenset(values))
                if glossary_for is not None:
                    node["enumDescriptions"] = [glossary_for.get(v, "") for v in values]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def render(model: type[BaseModel]) -> str:
    """The schema as the text written to disk (stable: indented, UTF-8, trailing newline)."""
    return json.dumps(json_schema(model), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write persona.schema.json and scenario.schema.json into `out` (created if needed)."""
    import errno

    from simulator.atomic import atomic_write_text

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = out / name
        if path.is_symlink():  # never write through a link to wherever it points (issue 20)
            raise OSError(errno.ELOOP, _("{path} 是符号链接，kefu 不会顺着链接写").format(path=path))
        atomic_write_text(path, render(model))
        written.append(path)
    return written


def schema_command(out: str | Path | None) -> int:
    """`kefu schema [--out DIR]`: write both schemas, or print them as one JSON object."""
    if out is None:
        both = {"persona": json_schema(Persona), "scenario": json_schema(Scenario)}
        print(json.dumps(both, ensure_ascii=False, indent=2))
        return 0
    try:
        written = write_schemas(Path(out))
    except OSError as exc:
        print(_("kefu schema：写不进 {out}：{reason}").format(out=out, reason=exc.strerror or exc), file=sys.stderr)
        return 1
    for path in written:
        print(_("已写好 {path}").format(path=path))
    return 0
