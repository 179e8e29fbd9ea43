"""Alembic migrations of the records schema, shipped in the package and run programmatically."""
