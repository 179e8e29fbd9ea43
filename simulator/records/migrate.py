"""Running the shipped Alembic migrations programmatically, and telling schema versions apart."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The schema version this kefu writes."""
    return ScriptDirectory.from_config(_config()).get_current_head()


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every schema version this kefu knows (the head and the older ones it can upgrade from)."""
    return frozenset(rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions())


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands: its version (None: no kefu schema), and whether it holds other tables."""

    current: str | None
    has_tables: bool

    @property
    def empty(self) -> bool:
        return self.current is None and not self.has_tables


def schema_state(engine: sa.Engine) -> SchemaState:
    """The database's schema version, read without writing anything."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(sa.inspect(conn).get_table_names())
    return SchemaState(current, bool(tables - {"alembic_version"}))


def upgrade(engine: sa.Engine) -> None:
    """Bring the database to the head schema (creating it when empty)."""
    with engine.begin() as conn:
        command.upgrade(_config(conn), "head")
