"""Queries and preferences the main window needs: stalled threshold, stage goals (constant SQL)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.stalled import MAX_STALLED_DAYS, STALLED_DAYS_KEY, parse_stalled_days
from app.errors import UserError
from app.i18n import _, format_number
from app.persistence.db import Database
from app.persistence.models import Setting, StageDef
from app.services.changes import Changes


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


def set_stalled_days(db: Database, days: int) -> Changes:
    if not 1 <= int(days) <= MAX_STALLED_DAYS:
        raise UserError(_("The stalled threshold must be from 1 to {max} days.").format(max=format_number(MAX_STALLED_DAYS)))
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
