"""docs/authoring.md is enough to write content: it names every field and name, and its examples run."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scoring.models import RemedyKind
from simulator.cli import main
from simulator.content import models
from simulator.content.models import OUTCOMES, PersonaType
from simulator.content.vocabulary import EVENT_POOLS, PREDICATE_NAMES, TRIGGERS

ROOT = Path(__file__).parents[1]
GUIDE = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "docs" / "examples"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", GUIDE, flags=re.S)


def test_the_guide_names_every_predicate_pool_trigger_remedy_outcome_and_type() -> None:
    names = [*PREDICATE_NAMES, *EVENT_POOLS, *TRIGGERS, *(r.value for r in RemedyKind), *OUTCOMES,
             *(t.value for t in PersonaType)]
    missing = [n for n in names if f"`{n}`" not in GUIDE]
    assert missing == []


def test_the_guide_names_every_field() -> None:
    fields = {f for c in vars(models).values() if isinstance(c, type) and hasattr(c, "model_fields")
              and c.__module__ == models.__name__ for f in c.model_fields}
    missing = sorted(f for f in fields if f"`{f}`" not in GUIDE and f"{f}:" not in GUIDE)
    assert missing == []


def test_the_annotated_venting_customer_is_the_shipped_one() -> None:
    block = next(b for b in _yaml_blocks() if b.startswith("id: venting"))
    shipped = yaml.safe_load((ROOT / "personas" / "venting.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_load(block) == shipped


def test_the_new_persona_example_is_in_the_guide_as_it_is_tested() -> None:
    blocks = _yaml_blocks()
    for path in (EXAMPLES / "personas" / "impatient-buyer.yaml", EXAMPLES / "scenarios" / "office-chairs-late.yaml"):
        assert path.read_text(encoding="utf-8") in blocks, path


def test_the_new_persona_example_lints_clean_and_its_examples_pass(capsys) -> None:
    assert main(["lint", str(EXAMPLES)]) == 0
    assert capsys.readouterr().out == "2 个文件，0 个错误，0 个警告\n"
    assert main(["check", str(EXAMPLES / "scenarios")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 个通过，0 个失败"
