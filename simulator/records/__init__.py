"""The records layer: trainees, practice sessions, exam attempts, every turn and scorecard.

SQLite at `$KEFU_HOME/kefu.db` by default, PostgreSQL with `--db URL` / `$KEFU_DB`; the same
schema (simulator/records/schema.py) and migrations (Alembic) for both. Used by the commands and
the TUI, never by the scorer. Start with `open_store()` (simulator/records/store.py).
"""

from simulator.records.errors import RecordsError

__all__ = ["RecordsError"]
