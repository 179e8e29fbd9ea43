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
    """The database's schema version, read without writing anything.

    Both reads see one snapshot: on PostgreSQL, read-committed would let another kefu's migration
    commit between them, and a half-seen new schema (tables but no version) looks like a stranger's.
    """
    with _one_snapshot(engine.connect()) as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(sa.inspect(conn).get_table_names())
    return SchemaState(current, bool(tables - {"alembic_version"}))


def _one_snapshot(conn: sa.Connection) -> sa.Connection:
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    return conn  # SQLite: a read transaction already sees one snapshot


MIGRATION_LOCK = 0x6B656675  # 'kefu': the PostgreSQL advisory lock held while migrating


def upgrade(engine: sa.Engine) -> None:
    """Bring the database to the head schema (creating it when empty).

    Two kefus opening a new database at once must not both create it: the migration runs under
    the database's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), and the
    second one then finds the schema already at head.
    """
    with engine.connect().execution_options(kefu_write=True) as conn:
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            command.upgrade(_config(conn), "head")
