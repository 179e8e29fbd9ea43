"""The JSON Schema lists every name a file may use as an enum, and describes every field in Chinese."""

from __future__ import annotations

import re

from pydantic import BaseModel

from scoring.models import RemedyKind
from simulator.content import descriptions, glossary, models
from simulator.content.models import OUTCOMES, Persona, Scenario
from simulator.content.schema import json_schema
from simulator.content.vocabulary import EVENT_POOLS, TRIGGERS

CJK = re.compile(r"[\u4e00-\u9fff]")


def _persona_transition() -> dict:
    return json_schema(Persona)["$defs"]["TransitionSpec"]["properties"]


def test_predicate_enum_is_the_engine_registry() -> None:
    from simulator.engine.predicates import PREDICATES

    transition = _persona_transition()
    for key in ("conditions", "unless"):
        # Issue 21 §1: a condition is a predicate or `cue:<name>`; the predicates complete as an enum.
        predicates, cue = transition[key]["items"]["anyOf"]
        assert set(predicates["enum"]) == set(PREDICATES)
        assert cue["pattern"] == "^cue:.+"


def test_trigger_enum_is_what_the_engine_fires() -> None:
    from simulator.engine.customer import machine_for  # noqa: F401 - the engine module defining the triggers

    assert _persona_transition()["trigger"]["enum"] == list(TRIGGERS) == ["reply", "timeout"]


def test_pool_names_complete_as_keys_of_lines() -> None:
    for model in (Persona, Scenario):
        lines = json_schema(model)["properties"]["lines"]
        assert list(lines["properties"]) == list(EVENT_POOLS)
        assert lines["additionalProperties"] == {"items": {"type": "string"}, "type": "array"}  # state names


def test_remedy_and_outcome_enums() -> None:
    scenario = json_schema(Scenario)
    assert scenario["$defs"]["RemedyKind"]["enum"] == [r.value for r in RemedyKind]
    assert scenario["$defs"]["Example"]["properties"]["outcome"]["enum"] == list(OUTCOMES)
    outcome = json_schema(Persona)["$defs"]["StateSpec"]["properties"]["outcome"]
    assert any(branch.get("enum") == list(OUTCOMES) for branch in outcome["anyOf"])


def test_every_name_has_a_chinese_description() -> None:
    from simulator.engine.predicates import PREDICATES

    for names, words in ((PREDICATES, glossary.PREDICATES), (EVENT_POOLS, glossary.POOLS), (TRIGGERS, glossary.TRIGGERS),
                         ([r.value for r in RemedyKind], glossary.REMEDIES), (OUTCOMES, glossary.OUTCOMES)):
        missing = [n for n in names if not CJK.search(words.get(n, ""))]
        assert missing == [], f"no Chinese description in simulator/content/glossary.py for {missing}"
    conditions = _persona_transition()["conditions"]["items"]["anyOf"][0]
    assert all(CJK.search(d) for d in conditions["enumDescriptions"])


def _content_models() -> list[type[BaseModel]]:
    return [c for c in vars(models).values()
            if isinstance(c, type) and issubclass(c, BaseModel) and c.__module__ == models.__name__ and not c.__name__.startswith("_")]


def test_every_field_of_every_model_has_a_chinese_description() -> None:
    missing = [f"{m.__name__}.{f}" for m in _content_models() for f in m.model_fields
               if not CJK.search(descriptions.FIELDS.get(f"{m.__name__}.{f}", ""))]
    assert missing == [], f"add a Chinese description to simulator/content/descriptions.py: {missing}"
    for model in (Persona, Scenario):
        schema = json_schema(model)
        for name, definition in [(model.__name__, schema), *schema["$defs"].items()]:
            assert CJK.search(definition.get("description", "")), name
            for prop, sub in definition.get("properties", {}).items():
                assert CJK.search(sub.get("description", "")), f"{name}.{prop}"
