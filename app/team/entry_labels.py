"""Work-log entries that would read alike in one list («02.12.2026, Вопросы» twice) told apart by their amount."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.quotes import quoted
from app.i18n import _, format_money, format_number


def _amount(minutes, days, amount, note) -> str:
    """What tells one entry of a day and kind from another: its time, days or sum, then its note."""
    parts = []
    if minutes:
        parts.append(_("{n} min").format(n=format_number(int(minutes))))
    elif days:
        parts.append(_("{n} d.").format(n=format_number(Decimal(days).normalize())))
    elif amount is not None:
        parts.append(format_money(amount))
    if note and note.strip():
        parts.append(quoted(" ".join(note.split())[:40]))
    return ", ".join(parts)


def tell_entries_apart(session: Session, labels: dict[tuple[str, str], str]) -> None:
    """In place: the labels of work-log entries that equal another entry's label get the entry's time (or days,
    or sum) and note — «02.12.2026, Вопросы, 10 мин» beside «…, 40 мин» (the trial 17k: two conflicts and two history
    lines word for word the same). Labels that differ already are left as they are. One query, only when two
    entries read alike."""
    from app.persistence.models import WorkLogEntry

    alike: dict[str, list[str]] = defaultdict(list)
    for (table, uuid), label in labels.items():
        if table == "work_log":
            alike[label].append(uuid)
    wanted = sorted(uuid for uuids in alike.values() if len(uuids) > 1 for uuid in uuids)
    if not wanted:
        return
    rows = session.execute(select(WorkLogEntry.uuid, WorkLogEntry.minutes, WorkLogEntry.days, WorkLogEntry.amount,
                                  WorkLogEntry.note).where(WorkLogEntry.uuid.in_(wanted))).all()
    for uuid, minutes, days, amount, note in rows:
        extra = _amount(minutes, days, amount, note)
        if extra:
            labels[("work_log", uuid)] = f"{labels[('work_log', uuid)]}, {extra}"
