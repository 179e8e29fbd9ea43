"""Timestamps as the records layer hands them out: aware UTC, whatever the backend returned."""

from __future__ import annotations

from datetime import datetime, timezone


def utc(value: datetime | None) -> datetime | None:
    """Aware UTC datetimes whatever the backend returned (SQLite gives naive ones)."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
