"""Times as a team lead reads them: in local time with the zone shown (issue 20 §4).

The zone is $KEFU_TZ (an IANA name such as Asia/Shanghai) when set, else the machine's own zone.
Records keep UTC; only what is shown is converted.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone, tzinfo

TZ_ENV = "KEFU_TZ"


def zone() -> tzinfo:
    """The zone times are shown in: $KEFU_TZ, else the machine's local zone."""
    name = os.environ.get(TZ_ENV, "").strip()
    if name:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass  # an unknown name: fall back to the machine's zone rather than fail a report
    return datetime.now(timezone.utc).astimezone().tzinfo or timezone.utc


def local(value: datetime | None) -> datetime | None:
    """`value` (aware, or naive UTC) in the shown zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone())


def zone_label(value: datetime | None = None) -> str:
    """The zone as shown beside times: UTC+08:00 (the offset at `value`, else now)."""
    at = local(value or datetime.now(timezone.utc))
    offset = at.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def stamp(value: datetime | None, *, with_zone: bool = False) -> str:
    """`YYYY-MM-DD HH:MM` in the shown zone ('' for None); with the zone when asked."""
    at = local(value)
    if at is None:
        return ""
    text = at.strftime("%Y-%m-%d %H:%M")
    return f"{text} {zone_label(value)}" if with_zone else text
