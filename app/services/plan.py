"""Planned events of the specialist's week: add, edit, cancel, complete (logging work), reopen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import schedule
from app.domain import validation as v
from app.domain.money import typed_digits
from app.errors import NotFoundError, UserError
from app.i18n import _, format_number, ngettext
from app.persistence.db import Database
from app.persistence.models import LessonProgress, PlannedEvent, WorkLogEntry, utcnow
from app.services.billed_work import billed_refusal, billing_act
from app.services.changes import Changes
from app.services.common import find_client, today
from app.services.event_input import (
    EVENT_KIND_TITLES,
    MAX_DURATION_MIN,
    NOTE_MAX,
    EventInput,
    _apply,
    too_long_done,
)
from app.services.plan_rows import STATUS_TITLES, event_days
from app.services.progress import set_lessons_in
from app.services.worklog import EntryInput, add_entry_in

# The kind of work-log entry completing an event logs (the process text: conferences, questions, control).
WORK_KIND = {"conference": "conference", "call": "questions", "stage_review": "control", "onsite_day": "onsite_day"}


@dataclass(frozen=True)
class Completed:
    entry_id: int | None  # the work-log entry logged for the event
    ticked: tuple[str, ...]  # lessons newly ticked


def _changed(client_id: int) -> Changes:
    return Changes(plan=True, client_ids=frozenset({client_id}))


# ------------------------------------------------------------------ actions


def add_event(db: Database, client_ref: int | str, data: EventInput, *, on: date | None = None) -> tuple[int, Changes]:
    """Plan an event for a client; returns its id. UserError (nothing saved) for bad input."""
    with db.unit() as s:
        client = find_client(s, client_ref)
        event = PlannedEvent(status="planned")
        _apply(s, event, client, data, on or today())
        s.add(event)
        s.flush()
        return event.id, _changed(client.id)


def event_by_id(s: Session, event_id: int) -> PlannedEvent:
    """The planned event ``event_id``; NotFoundError when there is none."""
    number = typed_digits(str(event_id).strip())  # «²».isdigit() is true and int() fails on it
    event = s.get(PlannedEvent, int(number)) if number.isascii() and number.isdigit() and len(number) <= 18 else None
    if event is None:
        raise NotFoundError(_("Planned event No. {id} not found.").format(id=str(event_id)[:20]))
    return event


def update_event(db: Database, event_id: int, data: EventInput, *, on: date | None = None) -> Changes:
    """Change a planned (not yet done or cancelled) event."""
    with db.unit() as s:
        return update_event_in(s, event_id, data, on or today())


def update_event_in(s: Session, event_id: int, data: EventInput, on: date) -> Changes:
    """``update_event`` inside the session ``s``, ``on`` being today."""
    event = event_by_id(s, event_id)
    if event.status != "planned":
        raise UserError(_("Event No. {id} is {status} already: it cannot be changed.").format(
            id=event.id, status=_(STATUS_TITLES[event.status])))
    client = find_client(s, event.client_id)
    _apply(s, event, client, data, on)
    return _changed(client.id)


def delete_event(db: Database, event_id: int) -> Changes:
    """Remove an event (undo of adding it); the work it logged stays in the work log."""
    with db.unit() as s:
        event = event_by_id(s, event_id)
        client_id = event.client_id
        s.delete(event)
    return _changed(client_id)


CANCEL_SEPARATOR = "\n"  # between a note and the cancel's reason: the reason starts a line of its own


def cancel_event(db: Database, event_id: int, reason: str = "") -> Changes:
    """Mark a planned event cancelled; the reason (line breaks kept) goes at the end of its note, on a line of its
    own («…⏎Отменено: причина»). ``reopen_event(note=…)`` gives the note back as it was. UserError when the note
    and the reason would pass NOTE_MAX characters (the note's own limit)."""
    text = v.clean_multiline(reason, _("Reason"), max_len=500)
    with db.unit() as s:
        event = event_by_id(s, event_id)
        if event.status != "planned":
            raise UserError(_("Event No. {id} is {status} already: it cannot be changed.").format(
                id=event.id, status=_(STATUS_TITLES[event.status])))
        event.status = "cancelled"
        if text:
            said = _("Cancelled: {reason}").format(reason=text)
            note = (event.note + CANCEL_SEPARATOR if event.note else "") + said
            if len(note) > NOTE_MAX:
                raise UserError(_("The reason does not fit in the event's note (at most {n} characters in all): "
                                  "shorten it to {left} characters.").format(
                    n=format_number(NOTE_MAX), left=format_number(max(0, NOTE_MAX - len(note) + len(text)))))
            event.note = note
        return _changed(event.client_id)


def complete_event(db: Database, event_id: int, *, actual_min: int | None = None, log_work: bool = True,
                   tick_lessons: bool = True, days: Decimal | None = None,
                   now: datetime | None = None) -> tuple[Completed, Changes]:
    """Mark an event done on its own local date, in one transaction:

    - ``log_work``: a work-log entry of the kind WORK_KIND[kind] — the real duration ``actual_min`` or the
      planned one for time; ``days`` (default 1) for an on-site day;
    - ``tick_lessons``: tick the lessons it covered for the client as a whole.
    Refused (nothing changed) for an event that is not planned or has not started yet."""
    now_utc = (now.astimezone(UTC).replace(tzinfo=None) if now and now.tzinfo else now) or utcnow()
    with db.unit() as s:
        event = event_by_id(s, event_id)
        if event.status != "planned":
            raise UserError(_("Event No. {id} is {status} already: it cannot be changed.").format(
                id=event.id, status=_(STATUS_TITLES[event.status])))
        if event.starts_at > now_utc:
            raise UserError(_("Event No. {id} has not started yet: it cannot be done before it starts.").format(
                id=event.id))
        if actual_min is not None and log_work and actual_min > MAX_DURATION_MIN:
            raise too_long_done(event.id, format_number(actual_min))
        if days is not None and WORK_KIND[event.kind] != "onsite_day":  # was ignored without a word
            raise UserError(_("Days are logged for an on-site day only: for «{kind}» give the time it took.").format(
                kind=_(EVENT_KIND_TITLES[event.kind])))
        if actual_min is not None and WORK_KIND[event.kind] == "onsite_day":
            raise UserError(_("An on-site day is logged in days, not minutes: give the number of days."))
        client = find_client(s, event.client_id)
        day = schedule.utc_to_zone(event.starts_at, event.time_zone).date()
        if days is not None and log_work:
            _refuse_more_days(event, day, days)
        entry_id = None
        if log_work:
            kind = WORK_KIND[event.kind]
            label = _(EVENT_KIND_TITLES[event.kind]) + (f": {event.section}" if event.section else "")
            if kind == "onsite_day":
                data = EntryInput(day, kind, days=Decimal(1) if days is None else days, note=label)
            else:
                minutes = event.duration_min if actual_min is None else actual_min
                data = EntryInput(day, kind, minutes=minutes, note=label)
            entry_id = add_entry_in(s, client, data).id
        ticked: list[str] = []
        codes = json.loads(event.lesson_codes or "[]")
        if tick_lessons and codes:
            ticked = set_lessons_in(s, client, codes, True, day)
        event.status, event.done_on, event.entry_id = "done", day, entry_id
        event.actual_min, event.ticked_codes = actual_min, json.dumps(ticked)
        changes = _changed(client.id)
        if entry_id is not None:
            changes = changes.merge(Changes(worklog=True, clients=True, client_ids=frozenset({client.id})))
        if ticked:
            changes = changes.merge(Changes(lessons=True, clients=True))
        return Completed(entry_id, tuple(ticked)), changes


def _refuse_more_days(event: PlannedEvent, day: date, days: Decimal) -> None:
    """UserError when ``days`` logged for an on-site day event are more than the days it spans: «plan done --days
    31» on one on-site day logged a month's work on its date (tester C). More days of one visit go into the log by
    their own dates."""
    span = event_days(event)
    if days > span:
        raise UserError(ngettext(
            "Event No. {id}, «{kind}» on {day}, spans {n} day: it can log at most {n} day, not {days}. Log the "
            "other days of the visit by their dates in the work log.",
            "Event No. {id}, «{kind}» on {day}, spans {n} days: it can log at most {n} days, not {days}. Log the "
            "other days of the visit by their dates in the work log.", span).format(
            id=event.id, kind=_(EVENT_KIND_TITLES[event.kind]), day=v.day_text(day), n=span,
            days=format_number(days)),
            cli_hint=_("The command: log add {client} --kind onsite_day --date YYYY-MM-DD --days N").format(
                client=event.client_id))


def reopen_event(db: Database, event_id: int, *, note: str | None = None) -> Changes:
    """Undo completing or cancelling: planned again; the work-log entry it logged is deleted (soft) and the
    lessons it ticked are unticked — only those it ticked itself and only while still dated that day. ``note``:
    a cancelled event's note as it was before the cancel (the undo keeps it), put back; None leaves the note (a
    reason taken off by looking for «Отменено: » also took the user's own text of that form). Refused for now
    (``billed_work.billed_refusal``, nothing changed) while an act in force bills the work it logged."""
    with db.unit() as s:
        event = event_by_id(s, event_id)
        changes = _changed(event.client_id)
        if event.entry_id is not None:
            entry = s.get(WorkLogEntry, event.entry_id)
            if entry is not None and not entry.deleted:
                act = billing_act(s, entry)
                if act is not None:  # an undo deleted billed work without a word (tester K)
                    raise billed_refusal(_(
                        "Event No. {id} cannot be put back in the plan: its work (work-log entry No. {entry} of "
                        "{day}) is billed by act {code} of {date}. Void the act first.").format(
                        id=event.id, entry=entry.id, day=v.day_text(entry.on_date), code=act[0],
                        date=v.day_text(act[1])), act[0])
                entry.deleted = True
                changes = changes.merge(Changes(worklog=True, clients=True))
        codes = json.loads(event.ticked_codes or "[]")
        if codes and event.done_on is not None:
            rows = s.scalars(select(LessonProgress).where(
                LessonProgress.client_id == event.client_id, LessonProgress.employee_uuid == "",
                LessonProgress.lesson_code.in_(codes), LessonProgress.done.is_(True),
                LessonProgress.done_on == event.done_on))
            for row in rows:
                row.done, row.done_on = False, None
                changes = changes.merge(Changes(lessons=True, clients=True))
        if event.status == "cancelled" and note is not None:  # the reason left there said «Отменено» of a plan
            event.note = note  # as it was read, not checked again: a note of an older version had a line break
        event.status, event.done_on, event.entry_id, event.actual_min = "planned", None, None, None
        event.ticked_codes = "[]"
        return changes
