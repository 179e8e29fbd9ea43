"""Fixtures for the practice-room tests: real content, real engine and scorer, a ManualClock,
typing pauses off, records in a tmp folder. Nothing here sleeps for a fixed time."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from simulator.content.library import load_library
from simulator.engine import ManualClock
from simulator.tui.app import KefuApp, make_app
from simulator.tui.settings import Settings

from tui_helpers import SEED, WIG


@pytest.fixture(scope="session")
def library():
    # include_env=False: a trainer's $KEFU_CONTENT must not change the tests.
    lib = load_library(include_env=False, strict=False)
    assert WIG in lib.scenarios, lib.problems
    return lib


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(tmp_path, clock) -> Settings:
    return Settings(seed=SEED, typing=False, clock=clock, records_dir=tmp_path / "records",
                    cursor_blink=False, animations=False, last_line_seconds=0.0)


@pytest.fixture
def app_factory(library, settings) -> Callable[..., KefuApp]:
    def build(scenario_id: str | None = WIG, **changes) -> KefuApp:
        return make_app(library, dataclasses.replace(settings, **changes), scenario_id=scenario_id)

    return build
