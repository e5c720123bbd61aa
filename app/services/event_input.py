"""A planned event as typed: its kinds and limits, ``EventInput``, the checks that store it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import schedule
from app.domain import validation as v
from app.errors import UserError
from app.i18n import N_, _, format_number
from app.persistence.models import Client, Lesson, PlannedEvent
from app.services.staff import staff_uuid

EVENT_KINDS = ("conference", "onsite_day", "call", "stage_review")
EVENT_KIND_TITLES = {
    "conference": N_("Remote conference"),
    "onsite_day": N_("On-site day"),
    "call": N_("Call"),
    "stage_review": N_("Stage review"),
}

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
