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

from pydantic import BaseModel

from simulator.content.models import Persona, Scenario

SCHEMA_DIR = Path(__file__).parent / "schemas"
"""The schemas shipped with the package."""

SCHEMAS: dict[str, type[BaseModel]] = {"persona.schema.json": Persona, "scenario.schema.json": Scenario}


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a content model."""
    schema = model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def render(model: type[BaseModel]) -> str:
    """The schema as the text written to disk (stable: indented, UTF-8, trailing newline)."""
    return json.dumps(json_schema(model), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write persona.schema.json and scenario.schema.json into `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = out / name
        path.write_text(render(model), encoding="utf-8")
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
        print(f"kefu schema: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0
