"""Fixtures for the records tests: every test runs against SQLite and, when a server is reachable
($KEFU_TEST_PG_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres), against PostgreSQL too —
each test in a fresh database of its own."""

from __future__ import annotations

import os
import uuid

import pytest

PG_ENV = "KEFU_TEST_PG_URL"


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _pg_reachable(url: str) -> bool:
    import sqlalchemy as sa

    from simulator.records.store import resolve_url

    try:
        engine = sa.create_engine(resolve_url(url), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure: no server for these tests
        return False


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Records, keys and content from the test only: nothing from the developer's environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("KEFU_HOME", str(home))
    monkeypatch.delenv("KEFU_DB", raising=False)
    monkeypatch.delenv("KEFU_CONTENT", raising=False)
    return home


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A fresh, empty records database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "records" / "kefu.db")
        return
    admin = _pg_admin_url()
    # Under CI=true a missing or unreachable server fails the run: a green run must mean they ran.
    missing = pytest.fail if os.environ.get("CI") == "true" else pytest.skip
    if admin is None:
        missing(f"PostgreSQL tests need ${PG_ENV} (e.g. postgresql://postgres@127.0.0.1/postgres)")
    if not _pg_reachable(admin):
        missing(f"no PostgreSQL server reachable at ${PG_ENV}")
    import sqlalchemy as sa

    from simulator.records.store import resolve_url

    name = "kefu_test_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(resolve_url(admin), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(resolve_url(admin)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


@pytest.fixture(scope="session")
def library():
    from simulator.content.library import load_library

    return load_library(include_env=False)


@pytest.fixture(scope="session")
def exams(library):
    from simulator.content.exams import load_exams
    from simulator.content.library import content_roots

    return load_exams(content_roots(include_env=False), library.scenarios)
