"""Fixtures for the engine tests: the content library (built-ins + tests/engine/fixtures)."""

from __future__ import annotations

import pytest
from engine_helpers import FIXTURES

from simulator.content.library import load_library
from simulator.engine import ManualClock, Session


@pytest.fixture(autouse=True)
def _no_env_content(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trainer's $KEFU_CONTENT must not leak into the tests."""
    monkeypatch.delenv("KEFU_CONTENT", raising=False)


@pytest.fixture(scope="session")
def library():
    """Built-in content plus the engine's own test scenarios."""
    return load_library([FIXTURES], include_env=False)


@pytest.fixture
def new_session(library):
    """new_session(scenario_id, seed=0) -> (Session, ManualClock), already started."""

    def make(scenario_id: str, seed: int = 0, analyzer=None) -> tuple[Session, ManualClock]:
        scenario = library.scenarios[scenario_id]
        clock = ManualClock()
        session = Session(scenario, library.personas[scenario.persona], seed=seed, clock=clock, analyzer=analyzer)
        session.start()
        return session, clock

    return make
