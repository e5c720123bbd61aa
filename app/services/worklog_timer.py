"""The conference timer: start it for a client, stop it to log the time, or discard it — kept in the database.

A timer left running over a weekend (46 hours) could neither be stopped (longer than a day's entry) nor discarded
from the window, and it survived every restart: the database could not time a conference again (a tester,
2026-12-05). Stopping it now takes the conference's real time when the measured one is longer than a day, and
``cancel_timer`` discards it; the logged time obeys the work log's rules, the day's 24 hours among them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app.domain.quotes import in_quotes
from app.domain.timeutil import clock_text
from app.errors import RefusedForNow, UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Client, Setting
from app.services.changes import Changes
from app.services.common import find_client
from app.services.worklog import MAX_MINUTES, EntryInput, add_entry_in, measure_of

TIMER_KEY = "conference_timer"


def _utc(moment: datetime | None) -> datetime:
    """``moment`` as an aware UTC datetime: now when None; a naive value is this machine's local time
    (what ``datetime.now()`` gives), an aware one is converted."""
    if moment is None:
        return datetime.now(UTC)
    return moment.astimezone(UTC)  # naive: Python reads it as local time


@dataclass(frozen=True)
class TimerState:
    """A running conference timer. ``started`` is aware (shown in this machine's current zone);
    ``on_date`` is the local date where the work started — the date of the entry it will log."""

    client_id: int
    client_name: str
    kind: str
    started: datetime
    on_date: date

    def elapsed_seconds(self, now: datetime | None = None) -> int:
        """Seconds since the start, from UTC moments: the same wherever the clock's zone moved since."""
        return max(0, int((_utc(now) - self.started.astimezone(UTC)).total_seconds()))

    def elapsed_minutes(self, now: datetime | None = None) -> int:
        """Whole minutes since the start (half a minute up), at least one: what stopping logs."""
        return max(1, (self.elapsed_seconds(now) + 30) // 60)

    def too_long(self, now: datetime | None = None) -> bool:
        """True when the measured time is longer than one entry may be (a day): the timer was forgotten, and
        stopping it needs the conference's real time."""
        return self.elapsed_minutes(now) > MAX_MINUTES


def _timer(s: Session) -> TimerState | None:
    row = s.get(Setting, TIMER_KEY)
    if row is None or not row.value:
        return None
    try:
        data = json.loads(row.value)
        client = s.get(Client, int(data["client_id"]))
        if client is None:
            return None
        started = datetime.fromisoformat(data["started"])
        # a timer saved by an older version holds naive local time; now every start is stored in UTC
        started_utc = _utc(started)
        on_date = date.fromisoformat(data["on_date"]) if data.get("on_date") else started.date()
        return TimerState(client.id, client.name, data.get("kind", "conference"), started_utc.astimezone(), on_date)
    except (ValueError, KeyError, TypeError, OverflowError):
        return None


def timer_state(db: Database) -> TimerState | None:
    """The running conference timer (kept in the database so it survives a restart), or None."""
    with db.read() as s:
        return _timer(s)


def start_timer(db: Database, client_ref: int | str, kind: str = "conference",
                now: datetime | None = None) -> Changes:
    """Start the timer for a client: the moment is stored in UTC with the local date of the start
    (``now``: aware, or naive local time; default the clock). UserError when one runs already."""
    if measure_of(kind) != "minutes":
        raise UserError(_("Only time can be measured with the timer."))
    moment = _utc(now).replace(microsecond=0)
    with db.unit() as s:
        running = _timer(s)
        if running is not None:
            raise RefusedForNow(_("The timer is already running for «{name}»: stop it first.").format(
                name=in_quotes(running.client_name)))
        client = find_client(s, client_ref)
        local_day = (now or moment.astimezone()).date()  # the date where the work happens
        value = json.dumps({"client_id": client.id, "kind": kind, "started": moment.isoformat(),
                            "on_date": local_day.isoformat()})
        row = s.get(Setting, TIMER_KEY)
        if row is None:
            s.add(Setting(key=TIMER_KEY, value=value))
        else:
            row.value = value
    return Changes(settings=True)


def stop_timer(db: Database, now: datetime | None = None, note: str = "",
               minutes: int | None = None) -> tuple[int, Changes]:
    """Stop the timer and log its time on the local date where it started, through the work log's own checks
    (``add_entry_in``: the entry's range, the person's 24 hours of that day): the measured whole minutes, or
    ``minutes`` when given (the real time of a conference whose timer was left running). Returns the entry's id.
    UserError, the timer kept running, when none runs, when the measured time is longer than a day and no
    ``minutes`` are given, or when the work log refuses the entry."""
    with db.unit() as s:
        running = _timer(s)
        if running is None:
            raise UserError(_("The timer is not running."))
        if minutes is None:
            if running.too_long(now):
                seconds = running.elapsed_seconds(now)
                raise UserError(_("The timer has run for {time}, longer than a day: it was left running. Give the "
                                  "conference's real time, or discard the timer.").format(
                    time=clock_text(seconds // 60)))
            minutes = running.elapsed_minutes(now)
        client = find_client(s, running.client_id)
        entry = add_entry_in(s, client, EntryInput(running.on_date, running.kind, minutes=minutes, note=note))
        row = s.get(Setting, TIMER_KEY)
        assert row is not None
        row.value = ""
        return entry.id, Changes(worklog=True, clients=True, settings=True, client_ids=frozenset({client.id}))


def cancel_timer(db: Database) -> Changes:
    """Discard the running timer, logging nothing (none running: nothing changes)."""
    with db.unit() as s:
        row = s.get(Setting, TIMER_KEY)
        if row is not None:
            row.value = ""
    return Changes(settings=True)
