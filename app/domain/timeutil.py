"""Time zone helpers: stored timestamps are naive UTC, people read local time."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from functools import lru_cache


def to_local(naive_utc: datetime) -> datetime:
    """A naive UTC timestamp (as stored) as naive local time of this machine's time zone."""
    if naive_utc.tzinfo is None:
        naive_utc = naive_utc.replace(tzinfo=UTC)
    return naive_utc.astimezone().replace(tzinfo=None)


def local_date(naive_utc: datetime) -> date:
    """The local calendar date of a stored UTC timestamp; cached, as boards ask it for thousands of rows."""
    return _local_date(naive_utc, time.tzname, time.timezone)


@lru_cache(maxsize=16384)
def _local_date(naive_utc: datetime, _zone: tuple[str, str], _offset: int) -> date:
    return to_local(naive_utc).date()


def clock_text(minutes: int | None) -> str:
    """Minutes as the work log writes a time: ``90`` → «1:30», ``1500`` → «25:00» (hours past a day kept); None →
    ''."""
    if minutes is None:
        return ""
    return f"{int(minutes) // 60}:{int(minutes) % 60:02d}"
