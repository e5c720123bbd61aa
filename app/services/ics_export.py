"""The plan as an iCalendar file (the ``icalendar`` library) for one client or all.

Each event's UID is its stable UUID, so importing a re-export updates the calendar's events instead of
adding copies; SEQUENCE grows with every change and cancelled events are exported as STATUS:CANCELLED so a
calendar drops them. Times carry the event's own IANA zone (with its VTIMEZONE); LOCATION is the place or
link given, else the client's address.

An event deleted since (the undo of planning it, or its client deleted) is exported too, as STATUS:CANCELLED with
its UID and a higher SEQUENCE (RFC 5545): a calendar that imported an earlier file kept it when it simply
vanished (a tester, 2026-12-05). What it was is read back from the deletion's tombstone and the audit trail
(``deleted_events``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import schedule
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import AuditEntry, Client, PlannedEvent, Tombstone
from app.services.common import find_client
from app.services.event_input import EVENT_KINDS
from app.services.plan_read import list_events
from app.services.plan_rows import EventRow
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


def _sequence(changed: datetime) -> int:
    """Whole minutes since 2020: grows with every saved change, as RFC 5545 wants of SEQUENCE."""
    return max(0, int((changed - _EPOCH).total_seconds() // 60))


@dataclass(frozen=True)
class DeletedEvent:
    """An event deleted here, as its tombstone and the audit trail tell it: ``start`` is naive UTC when ``in_utc``,
    else the wall clock in the event's own zone, which the trail does not name (its summary of a record is
    «2026-12-10T01:00 call 30»: the time, the kind, the minutes)."""

    uuid: str
    deleted_at: datetime  # naive UTC
    kind: str
    start: datetime
    in_utc: bool
    duration_min: int
    client_name: str


_CHUNK = 500


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _summary_parts(text: str | None) -> tuple[datetime, str, int] | None:
    """(wall-clock start, kind, minutes) of an event's audit summary (app/team/hooks.py ``_describe``)."""
    parts = (text or "").split(" ")
    if len(parts) != 3 or parts[1] not in EVENT_KINDS:
        return None
    try:
        return datetime.fromisoformat(parts[0]), parts[1], int(parts[2])
    except ValueError:
        return None


def deleted_events(s: Session, client_uuid: str | None = None) -> list[DeletedEvent]:
    """The events deleted here (of the client ``client_uuid``, or of all), oldest deletion first: those with a
    «delete» tombstone that are not back, described by their last audit summary (the deletion's, else the
    insert's) and, when an edit moved them, the start they were last saved with (UTC). An event whose trail holds
    no summary (deleted by an older version, or on another computer) cannot be described and is left out."""
    query = select(Tombstone.uuid, Tombstone.at, Tombstone.client_uuid).where(
        Tombstone.table_name == PlannedEvent.__tablename__, Tombstone.kind == "delete")
    if client_uuid is not None:
        query = query.where(Tombstone.client_uuid == client_uuid)
    stones = {uuid: (at, owner or "") for uuid, at, owner in s.execute(query)}
    for chunk in _chunks(sorted(stones)):  # brought back (an undone client deletion, a bundle): not deleted
        for uuid in s.scalars(select(PlannedEvent.uuid).where(PlannedEvent.uuid.in_(chunk))):
            stones.pop(uuid, None)
    if not stones:
        return []
    summaries: dict[str, tuple[int, str | None]] = {}  # uuid -> (rank: a deletion's over an insert's, summary)
    starts: dict[str, str | None] = {}  # uuid -> the last saved start (naive UTC text)
    owners = sorted({owner for _at, owner in stones.values()})
    a = AuditEntry
    for owner_chunk in _chunks(owners):  # by the client (indexed): the trail is the largest table
        for chunk in _chunks(sorted(stones)):
            lines = s.execute(select(a.record_uuid, a.action, a.field, a.old_value, a.new_value).where(
                a.client_uuid.in_(owner_chunk), a.table_name == PlannedEvent.__tablename__,
                a.record_uuid.in_(chunk)).order_by(a.at, a.id))
            for uuid, action, field, old, new in lines:
                if action == "delete":
                    summaries[uuid] = (2, old)
                elif action == "insert" and summaries.get(uuid, (0, None))[0] < 2:
                    summaries[uuid] = (1, new)
                elif action == "update" and field == "starts_at":
                    starts[uuid] = new
    names = _client_names(s, owners)
    found = []
    for uuid, (deleted_at, owner) in stones.items():
        parts = _summary_parts(summaries.get(uuid, (0, None))[1])
        if parts is None:
            continue
        start, kind, minutes = parts
        in_utc = False
        if starts.get(uuid):
            try:
                start, in_utc = datetime.fromisoformat(str(starts[uuid])).replace(tzinfo=None), True
            except ValueError:
                pass
        found.append(DeletedEvent(uuid, deleted_at, kind, start, in_utc, minutes, names.get(owner, "")))
    return sorted(found, key=lambda e: (e.deleted_at, e.uuid))


def _client_names(s: Session, uuids: list[str]) -> dict[str, str]:
    """The clients' names: of those still here, else as the trail's line of their deletion names them («ИНН
    name»)."""
    names: dict[str, str] = {}
    for chunk in _chunks(uuids):
        names.update({uuid: name for uuid, name in s.execute(select(Client.uuid, Client.name).where(
            Client.uuid.in_(chunk)))})
        gone = [u for u in chunk if u not in names]
        if gone:
            a = AuditEntry
            for uuid, old in s.execute(select(a.record_uuid, a.old_value).where(
                    a.client_uuid.in_(gone), a.table_name == Client.__tablename__, a.action == "delete",
                    a.record_uuid.in_(gone))):
                inn, _sep, name = str(old or "").partition(" ")
                names[uuid] = name.strip() if inn.isdigit() else str(old or "")
    return names


def _cancellation(row: DeletedEvent, stamp: datetime):
    """The VEVENT that tells a calendar the event is gone: same UID, STATUS:CANCELLED, a higher SEQUENCE."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{row.uuid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", row.start.replace(tzinfo=UTC) if row.in_utc else row.start)  # else floating: its zone
    event.add("duration", timedelta(minutes=row.duration_min))  # is not known
    title = EVENT_KIND_RU[row.kind] + (f" — {row.client_name}" if row.client_name else "")
    event.add("summary", title)
    event.add("description", "Событие удалено из плана.")
    event.add("status", "CANCELLED")
    event.add("last-modified", row.deleted_at.replace(tzinfo=UTC))
    event.add("sequence", _sequence(row.deleted_at) + 1)  # after any change it had: it was deleted after them
    return event


def calendar_bytes(db: Database, client_ref: int | str | None = None, *, now: datetime | None = None) -> bytes:
    """Every planned, done and cancelled event (of one client or all) as an .ics file, and every event deleted
    here as a cancelled one; UserError when there is none."""
    from icalendar import Calendar, Event

    rows = list_events(db, client_ref)
    with db.read() as s:
        gone = deleted_events(s, None if client_ref is None else find_client(s, client_ref).uuid)
    if not rows and not gone:  # an empty calendar was saved and said «Сохранено»
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
            event.add("sequence", _sequence(changed))
        cal.add_component(event)
    for deleted in gone:
        cal.add_component(_cancellation(deleted, stamp))
    cal.add_missing_timezones()
    for zone in cal.walk("VTIMEZONE"):  # the library's English «This timezone only works from 1970-01-01 to
        zone.pop("COMMENT", None)  # 2038-01-01.» in a Russian file (a tester); plans reach a few years ahead
    return cal.to_ical()

