"""The plan as an iCalendar file (the ``icalendar`` library) for one client or all.

Each event's UID is its stable UUID, so importing a re-export updates the calendar's events instead of
adding copies; SEQUENCE grows with every change and cancelled events are exported as STATUS:CANCELLED so a
calendar drops them. Times carry the event's own IANA zone (with its VTIMEZONE); LOCATION is the place or
link given, else the client's address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain import schedule
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.services.plan import EventRow, list_events
from app.services.xlsx_export import EVENT_KIND_RU

PRODID = "-//Vnedrenie//Plan//RU"
UID_DOMAIN = "vnedrenie.local"
_EPOCH = datetime(2020, 1, 1)


def event_uid(row: EventRow) -> str:
    """The UID a calendar keys the event by: stable across exports, edits and installations."""
    return f"{row.uuid}@{UID_DOMAIN}"


def _description(row: EventRow) -> str:
    parts = []
    if row.section:
        parts.append(f"Раздел учёта: {row.section}")
    if row.lesson_codes:
        parts.append("Уроки: " + ", ".join(row.lesson_codes))
    if row.participants:
        parts.append("Участники: " + ", ".join(p.name for p in row.participants))
    if row.note:
        parts.append(row.note)
    return "\n".join(parts)


def _end(end_utc: datetime, tz) -> datetime:
    """An event's end for DTEND: in the event's zone, unless that wall clock names another instant (RFC 5545 takes
    an ambiguous local time for its first occurrence: an end in the hour a clock goes back made a 30-minute call
    90 minutes long, a fresh tester, 2026-12-05) — then in UTC. The end is the start plus the duration in real
    time, not on the wall clock (which a DST change shifts)."""
    instant = end_utc.replace(tzinfo=UTC)
    local = instant.astimezone(tz)
    if local.replace(tzinfo=None).replace(tzinfo=tz, fold=0).astimezone(UTC) == instant:
        return local
    return instant


def calendar_bytes(db: Database, client_ref: int | str | None = None, *, now: datetime | None = None) -> bytes:
    """Every planned, done and cancelled event (of one client or all) as an .ics file; UserError when there is
    none."""
    from icalendar import Calendar, Event

    rows = list_events(db, client_ref)
    if not rows:  # an empty calendar was saved and said «Сохранено»
        raise UserError(_("There are no events to put in a calendar: nothing was saved."))
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Внедрение — план")
    for row in rows:
        tz = schedule.zone(row.time_zone)
        start = row.start_local.replace(tzinfo=tz)
        event = Event()
        event.add("uid", event_uid(row))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", _end(row.starts_utc + timedelta(minutes=row.duration_min), tz))
        title = f"{EVENT_KIND_RU[row.kind]} — {row.client_name}"
        event.add("summary", f"{title}: {row.section}" if row.section else title)
        location = row.place or row.client_address
        if location:
            event.add("location", location)
        if row.place.startswith(("http://", "https://")):
            event.add("url", row.place)
        description = _description(row)
        if description:
            event.add("description", description)
        event.add("status", "CANCELLED" if row.status == "cancelled" else "CONFIRMED")
        changed = row.updated_at
        if changed is not None:
            event.add("last-modified", changed.replace(tzinfo=UTC))
            # whole minutes since 2020: grows with every saved change, as RFC 5545 wants of SEQUENCE
            event.add("sequence", max(0, int((changed - _EPOCH).total_seconds() // 60)))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()

