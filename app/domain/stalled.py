"""The «застрял» threshold: days without a stage change after which a client is marked stalled (a setting)."""

from __future__ import annotations

STALLED_DAYS_KEY = "stalled_days"  # setting.key
DEFAULT_STALLED_DAYS = 30
MAX_STALLED_DAYS = 3650


def parse_stalled_days(text: str | None) -> int:
    """The stored setting ``stalled_days`` as a number of days: the default when absent or out of 1–3650."""
    if text is None:
        return DEFAULT_STALLED_DAYS
    try:
        value = int(text)
    except ValueError:
        return DEFAULT_STALLED_DAYS
    return value if 1 <= value <= MAX_STALLED_DAYS else DEFAULT_STALLED_DAYS
