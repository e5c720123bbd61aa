"""Issue 13, kind 5: the conference timer stores UTC moments; the entry's date is where the work happened."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.persistence.models import Setting
from app.services import worklog_read, worklog_timer
from app.services.clients import ClientInput, add_client


@pytest.fixture
def client_id(db):
    return add_client(db, ClientInput(name="ООО «Часы»", inn="7707083893", approach="remote"))


def stored_timer(db) -> dict:
    with db.read() as s:
        return json.loads(s.get(Setting, worklog_timer.TIMER_KEY).value)


def test_started_in_moscow_stopped_in_novosibirsk_logs_a_minute_not_240(db, client_id, zone):
    """The first input of the issue: a 2-second conference across a zone change."""
    zone("Europe/Moscow")
    worklog_timer.start_timer(db, client_id)  # the real clock, as the window does
    started = stored_timer(db)["started"]
    assert datetime.fromisoformat(started).utcoffset() == timedelta(0)  # stored in UTC, aware
    moscow_day = datetime.now().date()
    time.sleep(2)
    zone("Asia/Novosibirsk")
    entry_id, _changes = worklog_timer.stop_timer(db)
    row = worklog_read.get_entry(db, entry_id)
    assert row.minutes == 1 and row.on_date == moscow_day


def test_the_other_way_round_is_also_a_minute(db, client_id, zone):
    zone("Asia/Novosibirsk")
    worklog_timer.start_timer(db, client_id, now=datetime.now())  # naive local, as ui/worklog.py passes its clock
    zone("Europe/Moscow")
    entry_id, _changes = worklog_timer.stop_timer(db, now=datetime.now())
    assert worklog_read.get_entry(db, entry_id).minutes == 1


def test_elapsed_time_comes_from_utc_moments_across_zones(db, client_id):
    start = datetime(2024, 7, 2, 23, 50, tzinfo=timezone(timedelta(hours=3)))  # Moscow, late evening
    worklog_timer.start_timer(db, client_id, now=start)
    state = worklog_timer.timer_state(db)
    assert state.started == start and state.on_date == date(2024, 7, 2)
    stop = datetime(2024, 7, 3, 4, 35, tzinfo=timezone(timedelta(hours=7)))  # Novosibirsk: 45 min later
    assert state.elapsed_seconds(stop) == 45 * 60
    entry_id, _ = worklog_timer.stop_timer(db, now=stop)
    row = worklog_read.get_entry(db, entry_id)
    assert (row.minutes, row.on_date) == (45, date(2024, 7, 2))  # the date where the work started


def test_daylight_saving_change_does_not_add_an_hour(db, client_id, zone):
    zone("Europe/Berlin")  # clocks go back at 03:00 local on 27.10.2024
    start = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # 02:30 CEST
    worklog_timer.start_timer(db, client_id, now=start)
    entry_id, _ = worklog_timer.stop_timer(db, now=start + timedelta(minutes=60))  # 02:30 CET, an hour later
    assert worklog_read.get_entry(db, entry_id).minutes == 60


def test_a_timer_saved_by_the_older_version_is_read_as_local_time(db, client_id, zone):
    zone("Europe/Moscow")
    with db.unit() as s:
        s.add(Setting(key=worklog_timer.TIMER_KEY, value=json.dumps(
            {"client_id": client_id, "kind": "conference", "started": "2024-07-02T10:00:00"})))
    state = worklog_timer.timer_state(db)
    assert state.on_date == date(2024, 7, 2)
    assert state.started.astimezone(UTC) == datetime(2024, 7, 2, 7, 0, tzinfo=UTC)
    entry_id, _ = worklog_timer.stop_timer(db, now=datetime(2024, 7, 2, 7, 30, tzinfo=UTC))
    assert worklog_read.get_entry(db, entry_id).minutes == 30
