"""A person's logged time on one date stays within the 24 hours of a day.

Each entry was held to 1–1 440 minutes, but two 24-hour entries on one date (a typo, a timer left running and
stopped twice) were both taken and billed. The rule counts the entries of the person writing (``updated_by``,
app/team/hooks.py: the signed-in team member or the laptop's profile) across all clients: a specialist may
spend the day at several clients, but not more than a day in all. Entries of other people — synced or imported
— are theirs and are not counted; nothing already stored is refused, only what is being written now."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.validation import day_text
from app.errors import UserError
from app.i18n import _
from app.persistence.models import WorkLogEntry

DAY_MINUTES = 24 * 60


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def refuse_past_day(s: Session, on_date: date, minutes: int | None, *, entry_id: int | None = None) -> None:
    """Raise UserError when ``minutes`` more of the writing person's work on ``on_date`` (their live entries,
    all clients, without entry ``entry_id`` being changed) would pass 24 hours. ``minutes`` None (an on-site
    day, an amount) counts nothing. One aggregate statement."""
    if minutes is None:
        return
    from app.team.hooks import author_of

    query = select(func.coalesce(func.sum(WorkLogEntry.minutes), 0)).where(
        WorkLogEntry.on_date == on_date, WorkLogEntry.deleted.is_(False), WorkLogEntry.minutes.is_not(None),
        WorkLogEntry.updated_by == author_of(s))
    if entry_id is not None:
        query = query.where(WorkLogEntry.id != entry_id)
    with s.no_autoflush:
        logged = int(s.scalar(query) or 0)
    if logged + minutes > DAY_MINUTES:
        raise UserError(_("On {day} your work log already holds {logged} of work; with this entry it would be "
                          "{total}, more than the 24 hours of a day.").format(
            day=day_text(on_date), logged=_clock(logged), total=_clock(logged + minutes)))
