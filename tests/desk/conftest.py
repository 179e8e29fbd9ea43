"""Fixtures for the desk TUI tests: a SQLite records file in tmp_path holding a small cohort written
with a fixed clock and seed, so screens and snapshots are the same on every run."""

from __future__ import annotations

import pytest

from desk_cohort import fixed_clock, small_cohort
from simulator.records.store import open_store


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("KEFU_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KEFU_DB", raising=False)
    monkeypatch.setenv("KEFU_TZ", "Asia/Shanghai")  # times are shown in local time: one zone on every machine


@pytest.fixture
def store(tmp_path):
    with open_store(str(tmp_path / "desk.db"), now=fixed_clock) as s:
        s.items = small_cohort(s)
        yield s


@pytest.fixture
def desk(store, tmp_path):
    from simulator.tui.desk.app import DeskApp

    def build(**kwargs):
        return DeskApp(store, cases_dir=tmp_path / "cases", animations=False, **kwargs)
    return build
