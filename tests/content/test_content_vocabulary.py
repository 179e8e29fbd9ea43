"""The content vocabulary (simulator.content.vocabulary) matches what the engine gives meaning to.

Lint checks persona files against these names without importing the engine; if the engine gains
or loses a predicate, trigger or pool, this test says so instead of lint silently drifting.
"""

from __future__ import annotations

import subprocess
import sys

from simulator.content import vocabulary


def test_predicate_names_match_the_engine_registry():
    from simulator.engine.predicates import PREDICATES

    assert set(vocabulary.PREDICATE_NAMES) == set(PREDICATES)


def test_linting_does_not_import_the_engine():
    # Dependencies point inward (docs/architecture.md): content must not pull in the engine.
    code = (
        "import sys; from simulator.content.library import load_library; from simulator.content.lint import lint_library;"
        " lint_library(load_library(include_env=False, strict=False));"
        " print(sorted(m for m in sys.modules if m.startswith('simulator.engine') or m == 'transitions'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
