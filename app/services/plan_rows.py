"""The plan's rows: event statuses, ``EventRow``, the agenda and a period as read, an event's days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from types import EllipsisType

from app.domain import schedule
from app.domain import validation as v
from app.errors import UserError
from app.i18n import N_, _
from app.persistence.models import PlannedEvent
from app.services.common import today
from app.services.event_input import EVENT_KIND_TITLES, EventInput

STATUSES = ("planned", "done", "cancelled")
STATUS_TITLES = {"planned": N_("planned"), "done": N_("done"), "cancelled": N_("cancelled")}


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
    lasts at most 24 hours) — the most days completing it logs (``plan._refuse_more_days``; the window's done dialog
    offers as many)."""
    starts = event.starts_utc if isinstance(event, EventRow) else event.starts_at
    start = schedule.utc_to_zone(starts, event.time_zone)
    end = schedule.utc_to_zone(starts + timedelta(minutes=max(int(event.duration_min), 1) - 1), event.time_zone)
    return (end.date() - start.date()).days + 1
