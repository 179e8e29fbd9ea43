"""The calibrate tests reuse the records fixtures (a fresh SQLite database, and PostgreSQL when
$KEFU_TEST_PG_URL is set) and helpers (running the real `kefu`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

RECORDS = Path(__file__).resolve().parents[1] / "records"
sys.path.insert(0, str(RECORDS))

_spec = importlib.util.spec_from_file_location("records_conftest", RECORDS / "conftest.py")
_records = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_records)

_isolated = _records._isolated
db_url = _records.db_url
library = _records.library
exams = _records.exams
