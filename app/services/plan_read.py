"""Reading the plan: event rows with their conflicts, the agenda of the week, a period's events («План»), the zone a
client's next event is planned in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import schedule
from app.domain import validation as v
from app.errors import UserError
from app.i18n import N_, _
from app.persistence.db import Database
from app.persistence.models import Client, PlannedEvent
from app.services.common import find_client
from app.services.plan import event_by_id
from app.services.plan_rows import STATUSES, Agenda, EventRow, Participant, PlanPeriod
from app.services.staff import staff_names


def _rows(s: Session, events: list[PlannedEvent]) -> list[EventRow]:
    """Rows with client names and participants' names (the departed ones' too: ``staff_names``) in two more
    statements."""
    client_ids = {e.client_id for e in events}
    clients = {r.id: (r.name, r.address) for r in s.execute(
        select(Client.id, Client.name, Client.address).where(Client.id.in_(client_ids)))} if client_ids else {}
    names = staff_names(s, (u for e in events for u in json.loads(e.participant_uuids or "[]"))) if events else {}
    rows = []
    for e in events:
        name, address = clients.get(e.client_id, ("", ""))
        people = tuple(Participant(u, names.get(u, "?")) for u in json.loads(e.participant_uuids or "[]"))
        rows.append(EventRow(
            e.id, e.uuid, e.client_id, name, address, e.kind, e.starts_at, e.time_zone,
            schedule.utc_to_zone(e.starts_at, e.time_zone), e.duration_min, e.section,
            tuple(json.loads(e.lesson_codes or "[]")), people, e.place, e.note, e.status, e.done_on,
            e.actual_min, e.entry_id, updated_at=e.updated_at))
    return rows


def _with_conflicts(rows: list[EventRow], s: Session | None = None) -> list[EventRow]:
    """``rows`` with their conflicts marked. With a session, the listed planned events are checked
    against every planned event of every client in their time span (a list of one client's events
    still shows that the specialist is booked elsewhere then); without, only among themselves."""
    from dataclasses import replace

    planned = [(r.id, r.starts_utc, r.duration_min) for r in rows if r.status == "planned"]
    if s is not None and planned:
        first = min(start for _id, start, _minutes in planned)
        last = max(start + timedelta(minutes=minutes) for _id, start, minutes in planned)
        longest = s.scalar(select(func.max(PlannedEvent.duration_min))
                           .where(PlannedEvent.status == "planned")) or 0
        listed = {event_id for event_id, _start, _minutes in planned}
        planned += [(e.id, e.starts_at, e.duration_min) for e in s.execute(
            select(PlannedEvent.id, PlannedEvent.starts_at, PlannedEvent.duration_min).where(
                PlannedEvent.status == "planned", PlannedEvent.starts_at < last,
                PlannedEvent.starts_at >= first - timedelta(minutes=int(longest))))
            if e.id not in listed]
    found = schedule.conflicts(planned)
    return [replace(r, conflicts=frozenset(found.get(r.id, ()))) if r.id in found else r for r in rows]


def list_events(db: Database, client_ref: int | str | None = None, *, status: str | None = None,
                date_from: date | None = None, date_to: date | None = None,
                viewer: tzinfo | None = None) -> list[EventRow]:
    """Events by start (UTC), optionally of one client, one status, and a period (inclusive) of the dates the list
    shows: those of this computer's clock (``viewer``'s when given, ``EventRow.when_text``), each bound turned into the
    UTC instant its day begins at. Conflicts are marked among the planned events listed.

    The period was of UTC dates: an event at 01:00 on 10.12 Moscow time (22:00 UTC the day before), listed as
    «10.12.2026 01:00», was not found by «--from 2026-12-10 --to 2026-12-10» (tester, 2026-12-05)."""
    if status is not None and status not in STATUSES:
        raise UserError(_("Unknown status «{status}»: use planned, done or cancelled.").format(status=status[:20]))
    if date_from and date_to and date_from > date_to:
        raise UserError(_("The period starts ({start}) after it ends ({end}): swap the dates.").format(
            start=v.day_text(date_from), end=v.day_text(date_to)))
    with db.read() as s:
        query = select(PlannedEvent).order_by(PlannedEvent.starts_at, PlannedEvent.id)
        if client_ref is not None:
            query = query.where(PlannedEvent.client_id == find_client(s, client_ref).id)
        if status is not None:
            query = query.where(PlannedEvent.status == status)
        if date_from is not None:
            query = query.where(PlannedEvent.starts_at >= day_starts_utc(date_from, viewer))
        if date_to is not None:
            query = query.where(PlannedEvent.starts_at < day_starts_utc(date_to + timedelta(days=1), viewer))
        return _with_conflicts(_rows(s, list(s.scalars(query))), s)


def day_starts_utc(day: date, viewer: tzinfo | None = None) -> datetime:
    """The moment ``day`` begins on the viewer's clock (this computer's when None), as a naive UTC datetime — the
    form ``PlannedEvent.starts_at`` is stored in. This computer's zone is asked for that very day (its offset in
    summer and in winter may differ)."""
    midnight = datetime.combine(day, datetime.min.time())
    aware = midnight.replace(tzinfo=viewer) if viewer is not None else midnight.astimezone()
    return aware.astimezone(UTC).replace(tzinfo=None)


def get_event(db: Database, event_id: int) -> EventRow:
    with db.read() as s:
        return _rows(s, [event_by_id(s, event_id)])[0]


ZONE_SOURCES = ("city", "address", "latest_event", "default")
ZONE_SOURCE_TITLES = {
    "city": N_("from the client's city"),
    "address": N_("from the client's address"),
    "latest_event": N_("from the client's latest event"),
    "default": N_("not found from the address — Moscow time"),
}


@dataclass(frozen=True)
class ZoneChoice:
    """The zone a client's next event is planned in and why (ZONE_SOURCES): the user is told which clock the time
    typed is read on when they did not name the zone."""

    zone: str
    source: str

    @property
    def reason(self) -> str:
        return _(ZONE_SOURCE_TITLES[self.source])

    def text(self) -> str:
        """«Время заказчика: Asia/Yekaterinburg (по адресу заказчика)»."""
        return _("Client's time: {zone} ({reason})").format(zone=self.zone, reason=self.reason)


def zone_choice(db: Database, client_ref: int | str) -> ZoneChoice:
    """The zone to plan a client's next event in, and why: its card's when the region or the town of its «Город» or
    «Адрес» is known (app.domain.schedule.client_zone: REGION_ZONES, CITY_ZONES, MOSCOW_CITIES), else that of its
    latest event, else Moscow time.
    The latest event's zone came first, and one event planned in UTC or another zone made it the default of every
    later one of a Samara or a Tula client; then every unknown city was taken for Moscow time, a Тольятти client's
    events planned an hour off (fresh testers, 2026-12-05). `plan add` did not say which it took (a tester)."""
    with db.read() as s:
        client = find_client(s, client_ref)
        city, address = client.city or "", client.address or ""
        known = schedule.client_zone(city, address)
        if known:
            by_city = city.strip() and schedule.client_zone(city, "") == known
            return ZoneChoice(known, "city" if by_city else "address")
        last = s.scalar(select(PlannedEvent.time_zone).where(PlannedEvent.client_id == client.id)
                        .order_by(PlannedEvent.id.desc()).limit(1))
        return ZoneChoice(last, "latest_event") if last else ZoneChoice(schedule.DEFAULT_ZONE, "default")


def default_zone(db: Database, client_ref: int | str) -> str:
    """The zone to plan a client's next event in (``zone_choice``)."""
    return zone_choice(db, client_ref).zone


def agenda(db: Database, *, now: datetime | None = None, viewer: tzinfo | None = None,
           client_id: int | None = None, days: int = 7) -> Agenda:
    """Overdue, today's and the coming days' planned events (``days`` including today) in the viewer's
    zone (this machine's when None), in three statements. Conflicts: planned events overlapping in time,
    whatever the client — the specialist cannot be in two places."""
    moment = (now or datetime.now(UTC))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local_now = moment.astimezone(viewer) if viewer else moment.astimezone()
    day = local_now.date()
    tz = local_now.tzinfo
    horizon = datetime.combine(day + timedelta(days=days), datetime.min.time(), tz).astimezone(UTC)
    now_utc = moment.astimezone(UTC).replace(tzinfo=None)
    with db.read() as s:
        query = (select(PlannedEvent).where(PlannedEvent.status == "planned",
                                            PlannedEvent.starts_at < horizon.replace(tzinfo=None))
                 .order_by(PlannedEvent.starts_at, PlannedEvent.id))
        if client_id is not None:
            query = query.where(PlannedEvent.client_id == client_id)
        rows = _with_conflicts(_rows(s, list(s.scalars(query))), s)
    overdue, today_rows, week = [], [], []
    for row in rows:
        if row.overdue(now_utc):
            overdue.append(row)
        elif row.viewer_start(tz).date() <= day:
            today_rows.append(row)
        else:
            week.append(row)
    return Agenda(day, tuple(overdue), tuple(today_rows), tuple(week), sum(1 for r in rows if r.conflicts))


PERIOD_DAYS = 92  # the «План» window's default period: from today, about three months


def plan_period(db: Database, date_from: date | None = None, date_to: date | None = None, *,
                client_id: int | None = None, now: datetime | None = None,
                viewer: tzinfo | None = None) -> PlanPeriod:
    """Planned events from ``date_from`` (default: today) to ``date_to`` (default: PERIOD_DAYS on), the days of the
    viewer's clock (this computer's when None), and the overdue ones before the period — in three statements. The
    agenda shows seven days only: an event planned further on could not be seen, changed or cancelled in the
    window (tester K #4)."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local_now = moment.astimezone(viewer) if viewer else moment.astimezone()
    day = local_now.date()
    start = date_from or day
    end = date_to or start + timedelta(days=PERIOD_DAYS)
    if start > end:
        raise UserError(_("The period starts ({start}) after it ends ({end}): swap the dates.").format(
            start=v.day_text(start), end=v.day_text(end)))
    tz = local_now.tzinfo
    first, after = day_starts_utc(start, tz), day_starts_utc(end + timedelta(days=1), tz)
    now_utc = moment.astimezone(UTC).replace(tzinfo=None)
    with db.read() as s:
        query = (select(PlannedEvent).where(PlannedEvent.status == "planned", PlannedEvent.starts_at < after,
                                            (PlannedEvent.starts_at >= first) | (PlannedEvent.starts_at < now_utc))
                 .order_by(PlannedEvent.starts_at, PlannedEvent.id))
        if client_id is not None:
            query = query.where(PlannedEvent.client_id == client_id)
        rows = _with_conflicts(_rows(s, list(s.scalars(query))), s)
    # started before the period (so before now: ended or, rarely, under way), or overdue within a period that
    # starts in the past: first whatever the period, and counted as overdue (tester P, item 9)
    overdue = tuple(r for r in rows if r.starts_utc < first or r.overdue(now_utc))
    listed = tuple(r for r in rows if not (r.starts_utc < first or r.overdue(now_utc)))
    shown = overdue + listed
    return PlanPeriod(day, start, end, overdue, listed, sum(1 for r in shown if r.conflicts))
