""".ics export after a deletion (a tester, 2026-12-05): an event deleted by undoing «Запланировать событие», or with
its client, simply vanished from the next file, so a calendar that imported the earlier one kept it. RFC 5545: the
same UID with STATUS:CANCELLED and a higher SEQUENCE. Also: every VTIMEZONE carried the icalendar library's English
COMMENT «This timezone only works from 1970-01-01 to 2038-01-01.» in a Russian file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.services import plan, plan_read
from app.services.clients import ClientInput, add_client
from app.services.event_input import EventInput
from app.services.ics_export import calendar_bytes

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def _events(data: bytes) -> dict:
    from icalendar import Calendar

    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def _clients(db) -> tuple[int, int]:
    a = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    b = add_client(db, ClientInput(name="АО «Заря»", inn="7736207543", approach="onsite"))
    return a, b


def test_an_event_deleted_since_the_last_export_is_exported_as_cancelled(db):
    a, _b = _clients(db)
    kept, _changes = plan.add_event(db, a, EventInput("conference", datetime(2026, 12, 10, 10, 0), "Europe/Moscow",
                                                      60), on=TODAY)
    undone, _changes = plan.add_event(db, a, EventInput("call", datetime(2026, 12, 11, 9, 30), "Asia/Yekaterinburg",
                                                        30), on=TODAY)
    uid = f"{plan_read.get_event(db, undone).uuid}@vnedrenie.local"
    before = _events(calendar_bytes(db, now=NOW))[uid]
    assert str(before["STATUS"]) == "CONFIRMED"
    plan.delete_event(db, undone)  # the undo of planning it

    for data in (calendar_bytes(db, now=NOW), calendar_bytes(db, a, now=NOW)):  # all clients, and this one
        events = _events(data)
        assert len(events) == 2
        gone = events[uid]
        assert str(gone["STATUS"]) == "CANCELLED"
        assert int(gone["SEQUENCE"]) > int(before["SEQUENCE"])
        assert str(gone["SUMMARY"]) == "Звонок — ООО «Ромашка»"
        # its wall clock as planned (the trail does not name the zone: a floating time), its length kept
        assert gone.decoded("DTSTART") == datetime(2026, 12, 11, 9, 30)
        assert gone.decoded("DURATION") == timedelta(minutes=30)
        assert str(events[f"{plan_read.get_event(db, kept).uuid}@vnedrenie.local"]["STATUS"]) == "CONFIRMED"


def test_a_moved_event_deleted_later_is_cancelled_at_its_last_start(db):
    a, _b = _clients(db)
    event_id, _changes = plan.add_event(db, a, EventInput("call", datetime(2026, 12, 11, 9, 30), "Europe/Moscow",
                                                          30), on=TODAY)
    plan.update_event(db, event_id, EventInput("call", datetime(2026, 12, 12, 11, 0), "Europe/Moscow", 45),
                      on=TODAY)
    uid = f"{plan_read.get_event(db, event_id).uuid}@vnedrenie.local"
    plan.delete_event(db, event_id)
    gone = _events(calendar_bytes(db, now=NOW))[uid]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone.decoded("DTSTART") == datetime(2026, 12, 12, 8, 0, tzinfo=UTC)  # 11:00 Moscow, in UTC
    assert gone.decoded("DURATION") == timedelta(minutes=45)


def test_the_events_of_a_deleted_client_are_exported_as_cancelled(db):
    from app.exchange.client_undo import delete_client, restore_client

    a, b = _clients(db)
    plan.add_event(db, a, EventInput("conference", datetime(2026, 12, 10, 10, 0), "Europe/Moscow", 60), on=TODAY)
    visit, _changes = plan.add_event(db, b, EventInput("onsite_day", datetime(2026, 12, 14, 9, 0), "Europe/Moscow",
                                                       480), on=TODAY)
    uid = f"{plan_read.get_event(db, visit).uuid}@vnedrenie.local"
    copy, _changes = delete_client(db, b)
    gone = _events(calendar_bytes(db, now=NOW))[uid]
    assert str(gone["STATUS"]) == "CANCELLED" and str(gone["SUMMARY"]) == "День выезда — АО «Заря»"
    restore_client(db, copy)  # the undo brings the event back: planned again, once
    events = _events(calendar_bytes(db, now=NOW))
    assert len(events) == 2 and str(events[uid]["STATUS"]) == "CONFIRMED"


def test_only_deleted_events_still_make_a_calendar(db):
    a, _b = _clients(db)
    event_id, _changes = plan.add_event(db, a, EventInput("call", datetime(2026, 12, 11, 9, 30), "Europe/Moscow",
                                                          30), on=date(2026, 12, 5))
    plan.delete_event(db, event_id)
    [gone] = _events(calendar_bytes(db, now=NOW)).values()
    assert str(gone["STATUS"]) == "CANCELLED"


def test_no_english_comment_in_the_time_zones(db):
    from icalendar import Calendar

    a, _b = _clients(db)
    plan.add_event(db, a, EventInput("call", datetime(2026, 12, 11, 9, 30), "Asia/Yekaterinburg", 30), on=TODAY)
    data = calendar_bytes(db, now=NOW)
    zones = Calendar.from_ical(data).walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Yekaterinburg"]
    assert b"COMMENT" not in data and b"This timezone" not in data
