"""Planned events of the specialist's week: add, edit, cancel, complete (logging work), list and the agenda."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from types import EllipsisType

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import schedule
from app.domain import validation as v
from app.domain.money import typed_digits
from app.errors import NotFoundError, UserError
from app.i18n import N_, _, format_number, ngettext
from app.persistence.db import Database
from app.persistence.models import (
    Client,
    Lesson,
    LessonProgress,
    PlannedEvent,
    WorkLogEntry,
    utcnow,
)
from app.services.changes import Changes
from app.services.common import find_client, today
from app.services.progress import set_lessons_in
from app.services.staff import staff_uuid
from app.services.worklog import EntryInput, add_entry_in, billed_refusal, billing_act

EVENT_KINDS = ("conference", "onsite_day", "call", "stage_review")
EVENT_KIND_TITLES = {
    "conference": N_("Remote conference"),
    "onsite_day": N_("On-site day"),
    "call": N_("Call"),
    "stage_review": N_("Stage review"),
}
STATUSES = ("planned", "done", "cancelled")
STATUS_TITLES = {"planned": N_("planned"), "done": N_("done"), "cancelled": N_("cancelled")}
# The kind of work-log entry completing an event logs (the process text: conferences, questions, control).
WORK_KIND = {"conference": "conference", "call": "questions", "stage_review": "control", "onsite_day": "onsite_day"}

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 5
MAX_DURATION_MIN = 24 * 60
MAX_LIST = 50  # lessons or participants of one event
NOTE_MAX = 2000  # characters of an event's note


@dataclass(frozen=True)
class EventInput:
    """One planned event as typed: wall-clock ``start`` in ``time_zone``; ``duration_min`` or ``end``
    (wall-clock, same zone) gives its length. Participants: the client's employees by id, UUID or name."""

    kind: str
    start: datetime
    time_zone: str = schedule.DEFAULT_ZONE
    duration_min: int | None = None
    end: datetime | None = None
    section: str = ""
    lessons: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class Participant:
    uuid: str
    name: str


@dataclass(frozen=True)
class EventRow:
    """A planned event as views and `plan list` show it. Times: ``starts_utc`` naive UTC, ``start_local``
    wall-clock in the event's own zone; ``conflicts`` holds ids of planned events overlapping this one."""

    id: int
    uuid: str
    client_id: int
    client_name: str
    client_address: str
    kind: str
    starts_utc: datetime
    time_zone: str
    start_local: datetime
    duration_min: int
    section: str
    lesson_codes: tuple[str, ...]
    participants: tuple[Participant, ...]
    place: str
    note: str
    status: str
    done_on: date | None
    actual_min: int | None
    entry_id: int | None
    conflicts: frozenset[int] = field(default_factory=frozenset)
    updated_at: datetime | None = None  # naive UTC of the last saved change

    @property
    def ends_utc(self) -> datetime:
        return self.starts_utc + timedelta(minutes=self.duration_min)

    @property
    def end_local(self) -> datetime:
        """The end on the event's zone's clock: the start plus the duration in real time (across a clock change
        the wall clock moves by another amount, as the calendar export found)."""
        try:
            tz = schedule.zone(self.time_zone)
        except UserError:  # a zone another program wrote: the wall clock, as before
            return self.start_local + timedelta(minutes=self.duration_min)
        return self.ends_utc.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)

    @property
    def kind_title(self) -> str:
        return _(EVENT_KIND_TITLES[self.kind])

    @property
    def status_title(self) -> str:
        return _(STATUS_TITLES[self.status])

    def as_input(self) -> EventInput:
        """The event as the input that would plan it again (editing, undoing an edit)."""
        return EventInput(self.kind, self.start_local, self.time_zone, self.duration_min, None, self.section,
                          self.lesson_codes, tuple(p.uuid for p in self.participants), self.place, self.note)

    def overdue(self, now_utc: datetime) -> bool:
        """Still planned although it should have ended by ``now_utc`` (naive UTC)."""
        return self.status == "planned" and self.ends_utc <= now_utc

    def viewer_start(self, viewer: tzinfo | None = None) -> datetime:
        """The start as wall-clock time of the viewer's zone (this machine's when None)."""
        return _viewer_clock(self.starts_utc, viewer)

    def viewer_end(self, viewer: tzinfo | None = None) -> datetime:
        """The end as wall-clock time of the viewer's zone (this machine's when None)."""
        return _viewer_clock(self.ends_utc, viewer)

    def span_text(self, viewer: tzinfo | None = None) -> str:
        """Start and end on the viewer's clock (this computer's when None), the end's day after it when that is
        another day: «10:00–11:30», «23:00–07:00 (+1)», a 24-hour event «05:00–05:00 (+1)» (the agenda showed
        both as if the event ended on the day it started, the second as if it lasted nothing: tester K)."""
        start, end = self.viewer_start(viewer), self.viewer_end(viewer)
        days = (end.date() - start.date()).days
        return f"{start:%H:%M}–{end:%H:%M}" + (f" (+{days})" if days else "")

    def client_time_text(self, viewer: tzinfo | None = None) -> str:
        """The start on the client's clock when it is not the viewer's: «14:00 (Asia/Yekaterinburg)», with the
        client's date when it is another day than the viewer's — «06.12 00:00 (Europe/Moscow)» (the agenda dropped
        it: tester K); "" when both clocks say the same."""
        mine = self.viewer_start(viewer)
        if mine == self.start_local:
            return ""
        shown = self.start_local.strftime("%H:%M" if self.start_local.date() == mine.date() else "%d.%m %H:%M")
        return f"{shown} ({self.time_zone})"

    def when_text(self, viewer: tzinfo | None = None, *, with_date: bool = True) -> str:
        """When the event starts, as this computer's clock says («05.12.2026 18:00»; ``with_date`` False: «18:00»),
        and, when the client's clock says otherwise, the client's time with its zone — «05.12.2026 18:00 (у
        заказчика 06.12.2026 01:00, Asia/Vladivostok)» — else the event's zone: «… 18:00 (Europe/Moscow)». The
        agenda, `plan list` and «Требует внимания» print the same (they printed three different times of one
        event: a fresh tester, 2026-12-05)."""
        mine = self.viewer_start(viewer)
        shown = mine.strftime("%d.%m.%Y %H:%M" if with_date else "%H:%M")
        if mine == self.start_local:
            return f"{shown} ({self.time_zone})"
        theirs = self.start_local.strftime("%H:%M" if self.start_local.date() == mine.date() else "%d.%m.%Y %H:%M")
        return _("{time} (client's time {theirs}, {zone})").format(time=shown, theirs=theirs, zone=self.time_zone)

    def as_json(self, viewer: tzinfo | None = None, *, viewer_zone: str | EllipsisType | None = ...) -> dict:
        """The event for other programs. ``start`` is the client's wall clock (in ``time_zone``), ``start_utc`` the
        moment; ``local_start``/``local_end`` the viewer's clock (this computer's when None) with its offset and
        ``local_time_zone`` its IANA name (``viewer_zone`` when the caller read it once for a list; null when the
        system names none) — the JSON gave the client's time and UTC only, not this computer's (a tester)."""
        zone_name = schedule.viewer_zone_name(viewer) if viewer_zone is ... else viewer_zone
        return {
            "id": self.id, "uuid": self.uuid, "client_id": self.client_id, "client": self.client_name,
            "kind": self.kind, "start": self.start_local.isoformat(timespec="minutes"),
            "time_zone": self.time_zone, "start_utc": self.starts_utc.isoformat(timespec="minutes") + "Z",
            "local_start": _viewer_aware(self.starts_utc, viewer).isoformat(timespec="minutes"),
            "local_end": _viewer_aware(self.ends_utc, viewer).isoformat(timespec="minutes"),
            "local_time_zone": zone_name,
            "duration_min": self.duration_min, "section": self.section, "lessons": list(self.lesson_codes),
            "participants": [p.name for p in self.participants], "place": self.place, "note": self.note,
            "status": self.status, "done_on": self.done_on.isoformat() if self.done_on else None,
            "actual_min": self.actual_min, "entry_id": self.entry_id, "conflicts": sorted(self.conflicts),
        }


@dataclass(frozen=True)
class Agenda:
    """The «Агенда»: overdue planned events, today's and the next six days', in the viewer's days.

    ``conflict_count`` counts planned events overlapping another planned event."""

    today: date
    overdue: tuple[EventRow, ...]
    today_rows: tuple[EventRow, ...]
    week_rows: tuple[EventRow, ...]
    conflict_count: int

    @property
    def rows(self) -> tuple[EventRow, ...]:
        return self.overdue + self.today_rows + self.week_rows


@dataclass(frozen=True)
class PlanPeriod:
    """The planned events of a period (``date_from``–``date_to``, the viewer's days) and, before it, every planned
    event not done or cancelled although it has started (``overdue``; one still under way is rare: an event lasts a
    day at most): the window's «План» list."""

    today: date
    date_from: date
    date_to: date
    overdue: tuple[EventRow, ...]
    rows: tuple[EventRow, ...]
    conflict_count: int


@dataclass(frozen=True)
class Completed:
    entry_id: int | None  # the work-log entry logged for the event
    ticked: tuple[str, ...]  # lessons newly ticked


# ------------------------------------------------------------------ validation


def _clean_start(start: datetime, zone_name: str, on: date) -> datetime:
    if not isinstance(start, datetime):
        raise UserError(_("The start date and time of the event are required."))
    if start.date() < EARLIEST:
        raise UserError(_("The date {date} is too early: events start from 2000.").format(
            date=v.day_text(start)))
    if start.date() > date(on.year + YEARS_AHEAD, on.month, min(on.day, 28)):
        raise UserError(_("The date {date} is more than {years} years ahead.").format(
            date=start.strftime("%d.%m.%Y"), years=YEARS_AHEAD))
    return schedule.local_to_utc(start.replace(second=0, microsecond=0, tzinfo=None), zone_name)


def _duration(data: EventInput, zone_name: str) -> int:
    """Minutes from the start to the end (both wall-clock times of the zone, so a night with a clock
    change counts its real length) or the duration given."""
    if data.end is not None:
        if data.duration_min is not None:
            raise UserError(_("Give either the end or the duration of the event, not both."))
        if not isinstance(data.end, datetime):
            raise UserError(_("The end of the event is not a date and time."))
        real = (schedule.local_to_utc(data.end.replace(second=0, microsecond=0, tzinfo=None), zone_name)
                - schedule.local_to_utc(data.start.replace(second=0, microsecond=0, tzinfo=None), zone_name))
        minutes = int(real.total_seconds() // 60)
        if minutes == 0:
            raise UserError(_("The event ends when it starts ({start}): give a later end or a duration.").format(
                start=data.start.strftime("%d.%m.%Y %H:%M")))
        if minutes < 0:
            raise UserError(_("The event ends ({end}) before it starts ({start}).").format(
                end=data.end.strftime("%d.%m.%Y %H:%M"), start=data.start.strftime("%d.%m.%Y %H:%M")))
    else:
        if data.duration_min is None:
            raise UserError(_("Give the duration of the event or its end."))
        minutes = data.duration_min
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            raise UserError(_("The duration must be a whole number of minutes."))
        if minutes <= 0:
            raise UserError(_("The duration must be positive, not {value} min.").format(value=format_number(minutes)))
    if minutes > MAX_DURATION_MIN:
        raise too_long_event(format_number(minutes))
    return minutes


def too_long_event(value: str) -> UserError:
    """An event longer than a day, with what to do: a three-day visit was refused without saying to plan one event
    a day, and `plan add --duration` said it in two wordings (tester K)."""
    return UserError(_("An event lasts at most 24 hours, not {value} min: plan one event for each day (a visit of "
                       "several days: an «On-site day» for each day).").format(value=value))


def too_long_done(event_id: object, value: str) -> UserError:
    """A done event's time over a day: the work log's «split it by days» named an entry the user did not make."""
    return UserError(_("Event No. {id} logs at most 24 hours, not {value} min: log the rest in the work log, an "
                       "entry for each day.").format(id=str(event_id)[:20], value=value))


def _participants(s: Session, client: Client, refs: tuple[str, ...], kept: frozenset[str] = frozenset()) -> list[str]:
    """UUIDs of the named employees; UserError for a name that is not on this client's staff. ``kept``: the UUIDs
    the event already has, kept as they are (a person since removed from the staff did not let the event be moved)."""
    if len(refs) > MAX_LIST:
        raise UserError(_("Too many participants: at most {max}.").format(max=MAX_LIST))
    if not refs:
        return []
    found: list[str] = []
    for ref in refs:
        member = ref if ref in kept else staff_uuid(s, client, ref)
        if member not in found:
            found.append(member)
    return found


def _lessons(s: Session, codes: tuple[str, ...], kept: frozenset[str] = frozenset()) -> list[str]:
    """The lesson codes, each an active lesson of the catalogue; ``kept``: codes the event already has, kept as they
    are (a lesson since taken out of the catalogue did not let the event be moved)."""
    chosen = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
    if len(chosen) > MAX_LIST:
        raise UserError(_("Too many lessons: at most {max}.").format(max=MAX_LIST))
    new = [code for code in chosen if code not in kept]
    if new:
        known = {code for code, active in s.execute(select(Lesson.code, Lesson.active).where(Lesson.code.in_(new)))
                 if active}  # the flag read (types.Flag): «нет» there is named, not taken for an unknown lesson
        unknown = [c for c in new if c not in known]
        if unknown:
            raise UserError(_("Unknown lesson: {codes}.").format(codes=", ".join(unknown)[:200]))
    return chosen


def event_texts(data: EventInput) -> tuple[str, str, str]:
    """The section, the place and the note of ``data`` as stored (trimmed, line breaks ``\n``); UserError when one
    is refused."""
    return (v.clean_text(data.section, _("Section"), max_len=200),
            v.clean_text(data.place, _("Place or link"), max_len=500),
            v.clean_multiline(data.note, _("Note"), max_len=NOTE_MAX))


def _apply(s: Session, event: PlannedEvent, client: Client, data: EventInput, on: date) -> None:
    """Validate everything first, then write: a refused input changes nothing."""
    if data.kind not in EVENT_KINDS:
        raise UserError(_("Unknown kind of event «{kind}»: use one of {kinds}.").format(
            kind=str(data.kind)[:40], kinds=", ".join(EVENT_KINDS)))
    zone_name = schedule.zone_name(data.time_zone)  # «Владивосток», «asia/vladivostok»: the IANA name
    starts = _clean_start(data.start, zone_name, on)
    minutes = _duration(data, zone_name)
    section, place, note = event_texts(data)
    kept = event.id is not None and event.client_id == client.id  # a change keeps what the event has
    lessons = _lessons(s, data.lessons, frozenset(json.loads(event.lesson_codes or "[]")) if kept else frozenset())
    people = _participants(s, client, data.participants,
                           frozenset(json.loads(event.participant_uuids or "[]")) if kept else frozenset())
    event.client_id, event.kind, event.starts_at, event.time_zone = client.id, data.kind, starts, zone_name
    event.duration_min, event.section, event.place, event.note = minutes, section, place, note
    event.lesson_codes, event.participant_uuids = json.dumps(lessons), json.dumps(people)


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


def clients_day_differs(event: EventRow, viewer: tzinfo | None = None) -> bool:
    """Whether the client's date of the event's start (the date completing it logs its work on) is another than the
    viewer's (this computer's when None): a call at 04:00 in Novosibirsk is 05.12 on a Moscow evening and 06.12 there."""
    return event.start_local.date() != event.viewer_start(viewer).date()


def done_entry_note(event: EventRow, *, on: date | None = None) -> str:
    """What to say of the work a done ``event`` logged when its date — the client's date, the date of the service in
    the client's books, which an act bills by — has not come yet on this computer: an act can bill it from that day
    on, not today (tester K #12: `report act --to` today found nothing, `--to` that day was a future date, and
    nothing had said which date was logged). '' otherwise."""
    day = event.done_on
    now = on or today()  # this computer's date
    if event.entry_id is None or day is None or day <= now:
        return ""
    return _("Note: the work of event No. {id} (work-log entry No. {entry}) is dated {day}, the client's date "
             "({zone}); here it is {today} still, so an act can bill it from {day} on.").format(
        id=event.id, entry=event.entry_id, day=v.day_text(day), zone=event.time_zone, today=v.day_text(now))


def _viewer_aware(naive_utc: datetime, viewer: tzinfo | None) -> datetime:
    """A stored UTC moment on the clock of ``viewer`` (this machine's zone when None), with its offset."""
    aware = naive_utc.replace(tzinfo=UTC)
    return aware.astimezone(viewer) if viewer else aware.astimezone()


def _viewer_clock(naive_utc: datetime, viewer: tzinfo | None) -> datetime:
    """A stored UTC moment as the naive wall clock of ``viewer`` (this machine's zone when None)."""
    return _viewer_aware(naive_utc, viewer).replace(tzinfo=None)


def event_days(event: PlannedEvent | EventRow) -> int:
    """The calendar days (of the event's zone) an event spans: 1, or 2 for one that runs past midnight (an event
    lasts at most 24 hours) — the most days completing it logs (``_refuse_more_days``; the window's done dialog
    offers as many)."""
    starts = event.starts_utc if isinstance(event, EventRow) else event.starts_at
    start = schedule.utc_to_zone(starts, event.time_zone)
    end = schedule.utc_to_zone(starts + timedelta(minutes=max(int(event.duration_min), 1) - 1), event.time_zone)
    return (end.date() - start.date()).days + 1


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
    (``worklog.billed_refusal``, nothing changed) while an act in force bills the work it logged."""
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


ZONE_SOURCES = ("city", "address", "latest_event", "default")
ZONE_SOURCE_TITLES = {
    "city": N_("from the client's city"),
    "address": N_("from the client's address"),
    "latest_event": N_("from the client's latest event"),
    "default": N_("not found from the address — Moscow time"),
}

# the readers live in app.services.plan_read; callers have always found them here
from app.services import plan_read  # noqa: E402  (it imports this module's rows)

list_events = plan_read.list_events
day_starts_utc = plan_read.day_starts_utc
get_event = plan_read.get_event
ZoneChoice = plan_read.ZoneChoice
zone_choice = plan_read.zone_choice
default_zone = plan_read.default_zone
agenda = plan_read.agenda
PERIOD_DAYS = plan_read.PERIOD_DAYS
plan_period = plan_read.plan_period
