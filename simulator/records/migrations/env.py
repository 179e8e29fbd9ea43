"""Alembic environment: the connection is always handed in by simulator.records.migrate."""

from alembic import context

from simulator.records.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only simulator.records.migrate runs these migrations
    raise RuntimeError("run the records migrations through simulator.records.migrate")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
