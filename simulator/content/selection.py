"""The content one scenario needs: the scenario and its persona, whatever else is broken.

`kefu run SCENARIO` must not fail because an unrelated file in a trainer's folder ($KEFU_CONTENT)
is broken. `load_scenario` reads all content like `load_library(strict=False)` and sorts the
errors: those in the scenario's file, its persona's file, or a broken file that would have defined
either id (a trainer's broken override must not silently fall back to the built-in) stop the run;
the others are returned as warnings for the command to print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from simulator.content.library import Library, content_roots, load_roots, missing_roots
from simulator.content.loader import LoadedFile, declared_id  # noqa: F401 - declared_id: public here too
from simulator.content.models import Persona, Scenario
from simulator.content.problems import ContentError, Problem


@dataclass
class ScenarioContent:
    """What `load_scenario` found; `scenario` is None when no file defines that id."""

    library: Library
    scenario: Scenario | None
    persona: Persona | None
    warnings: list[Problem] = field(default_factory=list)
    """Errors in files this scenario does not need (printed, not fatal)."""


def load_scenario(scenario_id: str, extra_dirs: Sequence[Path] = (), *, include_env: bool = True) -> ScenarioContent:
    """The scenario `scenario_id` and its persona; ContentError only for problems they depend on.

    A content folder that does not exist is always an error (a mistyped --content).
    """
    roots = content_roots(extra_dirs, include_env=include_env)
    missing = missing_roots(roots)
    if missing:
        raise ContentError(missing)
    library = load_roots(roots)
    scenario = library.scenarios.get(scenario_id)
    needed_ids = {scenario_id}
    if scenario is not None:
        needed_ids.add(scenario.persona)
    needed: set[Path] = set()
    for loaded in library.files:
        if not loaded.ok and declared_id(loaded) in needed_ids:
            needed.add(loaded.path)
    if scenario is not None:
        needed.add(library.scenario_files[scenario_id].path)
        if scenario.persona in library.persona_files:
            needed.add(library.persona_files[scenario.persona].path)
    blocking = [p for p in library.errors if p.path in needed]
    if blocking:
        raise ContentError(blocking)
    warnings = [p for p in library.errors if p.path not in needed]
    persona = library.personas.get(scenario.persona) if scenario is not None else None
    return ScenarioContent(library, scenario, persona, warnings)
