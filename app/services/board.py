"""Queries and preferences the main window needs: stalled threshold, stage goals (constant SQL)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Setting, StageDef
from app.services.changes import Changes

STALLED_DAYS_KEY = "stalled_days"
DEFAULT_STALLED_DAYS = 30
MAX_STALLED_DAYS = 3650


@dataclass(frozen=True)
class StageInfo:
    number: int
    title: str
    goal: str


def stalled_days(db: Database) -> int:
    """Days without a stage change after which a client counts as stalled (default 30)."""
    with db.read() as s:
        row = s.get(Setting, STALLED_DAYS_KEY)
        return parse_stalled_days(row.value if row is not None else None)


def parse_stalled_days(text: str | None) -> int:
    """The stored setting ``stalled_days`` as a number of days: the default when absent or out of 1–3650."""
    if text is None:
        return DEFAULT_STALLED_DAYS
    try:
        value = int(text)
    except ValueError:
        return DEFAULT_STALLED_DAYS
    return value if 1 <= value <= MAX_STALLED_DAYS else DEFAULT_STALLED_DAYS


def set_stalled_days(db: Database, days: int) -> Changes:
    if not 1 <= int(days) <= MAX_STALLED_DAYS:
        raise UserError(_("The stalled threshold must be from 1 to {max} days.").format(max=MAX_STALLED_DAYS))
    with db.unit() as s:
        row = s.get(Setting, STALLED_DAYS_KEY)
        if row is None:
            s.add(Setting(key=STALLED_DAYS_KEY, value=str(int(days))))
        else:
            row.value = str(int(days))
    return Changes(settings=True)


def stages(db: Database) -> list[StageInfo]:
    """The five stages with their Russian titles and goals, in order (one query)."""
    with db.read() as s:
        return [StageInfo(r.number, r.title, r.goal) for r in s.scalars(select(StageDef).order_by(StageDef.number))]
