"""A person's logged time on one date stays within the 24 hours of a day.

Each entry was held to 1–1 440 minutes, but two 24-hour entries on one date (a typo, a timer left running and
stopped twice) were both taken and billed. The rule counts the live minute entries of the person writing across
all clients — a specialist may spend the day at several clients, but not more than a day in all. The person is
known by the names entries record (``updated_by`` and the audit trail's «добавлено», app/team/hooks.py): on a team
server its login; on a laptop every name this computer's user writes under — the team login it syncs as, the local
profile's name, the executor's specialist, the OS user — so that naming the profile does not start the day's count
again (testers, 2026-12-05). An entry is theirs when both names are (``_creator_of``); entries of other people,
synced or imported, corrected or deleted here, are not counted. Nothing already stored
is refused, only what is being written now: an entry added, edited, restored, or a timer stopped. On-site days
and amounts are not time and count nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.timeutil import clock_text
from app.domain.validation import day_text
from app.errors import RefusedForNow
from app.i18n import _
from app.persistence.models import AuditEntry, Client, WorkLogEntry

DAY_MINUTES = 24 * 60


def own_names(s: Session) -> frozenset[str]:
    """The names the person writing in ``s`` records on entries (``app.team.author.writer_names``)."""
    from app.team.author import writer_names

    return writer_names(s)


def _creator_of(entry_uuid, client_uuid, fallback):
    """A SQL expression: the author of a work-log entry's «insert» line in the audit trail (app/team/hooks.py), else
    ``fallback`` (``updated_by``) for an entry older than the trail. That line names who wrote the entry when it
    was made here or came by a sync (audit lines travel), but the importer when it came in a bundle (bundles carry
    no audit lines: app/exchange/import_trail.py) — so an entry is a person's only when both this and its last
    writer (``updated_by``) are theirs. Either alone was wrong: the last writer moved a colleague's entry into the
    day of whoever corrected its note or deleted it (tester H), the first line moved a colleague's entry from a
    bundle into the importer's day (tester I, 2026-12-05)."""
    first = (select(AuditEntry.author)
             .where(AuditEntry.client_uuid == client_uuid, AuditEntry.table_name == WorkLogEntry.__tablename__,
                    AuditEntry.record_uuid == entry_uuid, AuditEntry.action == "insert")
             .order_by(AuditEntry.id).limit(1).scalar_subquery())
    return func.coalesce(first, fallback)


def refuse_past_day(s: Session, on_date: date, minutes: int | None, *, entry_id: int | None = None,
                    names: Iterable[str] | None = None, pending: int = 0, restoring: int | None = None,
                    companions: tuple[tuple[int, int], ...] = (), whose: str = "") -> None:
    """Raise RefusedForNow (a UserError the window's undo keeps for later) when ``minutes`` more of a person's work
    on ``on_date`` would pass 24 hours: the live entries
    of all clients that are that person's (``_creator_of``; without entry ``entry_id``, the one being changed),
    plus ``pending`` minutes brought back in the same action. The person is ``names`` (default: ``own_names``, the
    writer). ``restoring``: the number of the deleted entry being brought back; the refusal names it with the
    ``companions`` (number, minutes) brought back before it onto the same day in the same action, says ``whose``
    day it is (a colleague's name; '' the writer's own). «Already in the log» is what is stored now, never the
    entries still being brought back (tester H: «уже 13:20» counted entry 5 of «log restore 5 6»). ``minutes`` None
    (an on-site day, an amount) counts nothing. One aggregate statement (the day's entries only)."""
    if minutes is None:
        return
    who = sorted(own_names(s) if names is None else set(names))
    query = (select(func.coalesce(func.sum(WorkLogEntry.minutes), 0))
             .join(Client, Client.id == WorkLogEntry.client_id)
             .where(WorkLogEntry.on_date == on_date, WorkLogEntry.deleted.is_(False),
                    WorkLogEntry.minutes.is_not(None), WorkLogEntry.updated_by.in_(who),
                    _creator_of(WorkLogEntry.uuid, Client.uuid, WorkLogEntry.updated_by).in_(who)))
    if entry_id is not None:
        query = query.where(WorkLogEntry.id != entry_id)
    with s.no_autoflush:
        stored = int(s.scalar(query) or 0)
    logged = stored + pending
    if logged + minutes <= DAY_MINUTES:
        return
    if restoring is None:
        raise RefusedForNow(_("On {day} your work log already holds {logged} of work; with this entry it would be "
                          "{total}, more than the 24 hours of a day.").format(
            day=day_text(on_date), logged=clock_text(logged), total=clock_text(logged + minutes)))
    values = {"id": restoring, "time": clock_text(minutes), "day": day_text(on_date), "logged": clock_text(stored),
              "total": clock_text(logged + minutes), "person": whose}
    if companions:
        values["entries"] = ", ".join(_("No. {id} ({time})").format(id=number, time=clock_text(length))
                                      for number, length in (*companions, (restoring, minutes)))
        said = (_("Work-log entries {entries} cannot be brought back together: on {day} the work log holds "
                  "{logged} of {person}'s work; with them it would be {total}, more than the 24 hours of a day.")
                if whose else
                _("Work-log entries {entries} cannot be brought back together: on {day} your work log holds "
                  "{logged}; with them it would be {total}, more than the 24 hours of a day.")).format(**values)
    else:
        said = (_("Work-log entry No. {id} ({time}) cannot be brought back: on {day} the work log holds {logged} of "
                  "{person}'s work; with it it would be {total}, more than the 24 hours of a day.") if whose else
                _("Work-log entry No. {id} ({time}) cannot be brought back: on {day} your work log holds {logged}; "
                  "with it it would be {total}, more than the 24 hours of a day.")).format(**values)
    raise RefusedForNow(said)


def person_of(s: Session, entry: WorkLogEntry, mine: frozenset[str]) -> frozenset[str]:
    """Whose day a stored entry counts in: the writer's (``mine``) when both its first line and its last writer
    are theirs (or it has no author), else the one of the two that is someone else (a manager correcting a
    specialist's entry checks the specialist's day)."""
    last = (entry.updated_by or "").strip()
    with s.no_autoflush:
        first = (s.scalar(select(_creator_of(entry.uuid, Client.uuid, last)).where(Client.id == entry.client_id))
                 or "").strip()
    others = [name for name in (last, first) if name and name not in mine]
    return frozenset({others[0]}) if others else mine


def refuse_restored_past_day(s: Session, entries: Iterable[WorkLogEntry]) -> None:
    """Raise RefusedForNow when bringing back the deleted ``entries`` (an undo, «log restore») would put more than 24
    hours on a day of their first author — the writer's own names when the entry is theirs (or has no author),
    else that author alone — naming every entry refused, one sentence each: «log restore 143 144» named 143 alone
    when 144 could not come back either (tester J). Entries restored together count together; a refused entry does
    not count against the ones after it (it does not come back)."""
    mine = own_names(s)
    chosen = sorted(entries, key=lambda e: e.id)
    pending: dict[tuple[frozenset[str], date], list[WorkLogEntry]] = {}
    refused: list[str] = []
    for entry in chosen:
        if entry.minutes is None:
            continue
        names = person_of(s, entry, mine)
        before = pending.setdefault((names, entry.on_date), [])
        try:
            refuse_past_day(s, entry.on_date, int(entry.minutes), entry_id=entry.id, names=names,
                            pending=sum(int(e.minutes or 0) for e in before), restoring=entry.id,
                            companions=tuple((e.id, int(e.minutes or 0)) for e in before),
                            whose="" if names == mine else next(iter(names)))
        except RefusedForNow as refusal:
            refused.append(refusal.message)
            continue
        before.append(entry)
    if refused:
        said = "\n".join(refused)
        if len(chosen) > 1:
            said += " " + _("Nothing was brought back.")
        raise RefusedForNow(said)
