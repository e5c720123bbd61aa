"""The demo holds a week to try: planned events (one overdue, two overlapping today, one done) and questions — the
command line's `demo` and the window's demo file alike (a fresh tester, 2026-12-05: «Запланированных событий нет»,
«Вопросов нет», an empty agenda: the week could not be tried, fill_demo_week was called by a test only)."""

from __future__ import annotations

import json

import pytest

from app.persistence.db import open_database
from app.services import plan_read, questions


def test_the_command_line_demo_has_a_week_and_questions(cli):
    assert cli("demo")[0] == 0
    events = json.loads(cli("plan", "list", "--json")[1])
    assert len(events) >= 8 and {e["status"] for e in events} >= {"planned", "done"}
    assert any(e["conflicts"] for e in events)  # the overlap the agenda marks
    asked = json.loads(cli("questions", "list", "--json")[1])
    assert {q["status"] for q in asked} == {"open", "solved"}


def test_the_windows_demo_file_has_a_week_and_questions(tmp_path):
    from app.services.demo_workspace import prepare_demo_database

    path = prepare_demo_database(tmp_path / "demo.sqlite3")
    db = open_database(f"sqlite:///{path}")
    try:
        week = plan_read.agenda(db)  # (today's events are overdue by the evening: counted together)
        assert week.conflict_count >= 2 and len(week.overdue + week.today_rows) >= 3 and week.week_rows
        assert questions.list_questions(db)
    finally:
        db.dispose()


def test_a_demo_made_in_the_afternoon_has_todays_events_ahead_each_on_its_clients_clock(db):
    """Made at 15:00 Moscow time, the demo's events of today (10:00 and 15:00) were overdue at once, and the
    overlapping pair was planned on Moscow's clock for a Samara client (a fresh tester, 2026-12-05)."""
    from datetime import UTC, datetime

    import time_machine

    from app.domain.schedule import zone_of_city
    from app.services.clients import get_client
    from app.services.demo import fill_demo
    from app.services.demo_week import fill_demo_week

    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
    with time_machine.travel(now, tick=False):
        fill_demo(db, today=now.date())
        fill_demo_week(db)
        week = plan_read.agenda(db, now=now)
    assert week.today_rows and all(r.starts_utc > now.replace(tzinfo=None) for r in week.today_rows)
    pair = [r for r in week.today_rows if r.conflicts]
    assert len(pair) == 2 and pair[0].starts_utc == pair[1].starts_utc
    for row in week.rows:
        city = get_client(db, row.client_id).data.city
        assert row.time_zone == (zone_of_city(city) or "Europe/Moscow"), (city, row.time_zone)


@pytest.mark.parametrize("moscow_hour", [19, 21])
def test_a_demo_made_in_the_evening_keeps_todays_events_ahead_for_clients_far_east(db, moscow_hour):
    """After 18:00 Moscow time the demo's events of today were overdue again (a tester, 2026-12-05): the shift was
    at most 8 hours, and counted on Moscow's clock for a client whose clock is 7 hours ahead."""
    from datetime import UTC, datetime

    import time_machine

    from app.services.demo import fill_demo
    from app.services.demo_week import fill_demo_week

    now = datetime(2026, 12, 5, moscow_hour - 3, 30, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        fill_demo(db, today=now.date())
        fill_demo_week(db)
        week = plan_read.agenda(db, now=now)
    assert len(week.today_rows) == 3
    assert all(r.starts_utc > now.replace(tzinfo=None) for r in week.today_rows)
    pair = [r for r in week.today_rows if r.conflicts]
    assert len(pair) == 2 and pair[0].starts_utc == pair[1].starts_utc


@pytest.mark.parametrize(("zone", "utc"), [("UTC", (14, 13)), ("UTC", (12, 0)), ("Europe/Moscow", (6, 40)),
                                           ("Asia/Vladivostok", (16, 13)), ("Asia/Vladivostok", (1, 46))])
def test_todays_demo_events_fall_in_their_clients_working_hours(db, zone, utc):
    """Made at 17:13 Moscow time the demo's third event of today started at 03:00 for its Novosibirsk client, and
    on a Vladivostok computer at 02:13 a call was at 03:00 for a Moscow client (tester H, 2026-12-05): each of
    today's events starts between 08:00 and 20:59 on its client's clock (an on-site day before 11:00), still ahead
    of now and today, the overlapping pair still at one moment."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from app.domain.schedule import zone_of_city
    from app.services.clients import get_client
    from app.services.demo import fill_demo
    from app.services.demo_week import fill_demo_week

    now = datetime(2026, 12, 5, *utc, tzinfo=UTC)
    today = now.astimezone(ZoneInfo(zone)).date()
    with time_machine.travel(now.astimezone(ZoneInfo(zone)), tick=False):  # a ZoneInfo: this computer's zone too
        fill_demo(db, today=today)
        fill_demo_week(db)
        week = plan_read.agenda(db, now=now)
    assert len(week.today_rows) == 3
    for row in week.today_rows:
        client = get_client(db, row.client_id).data
        local = row.starts_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone_of_city(client.city) or "Europe/Moscow"))
        assert local.hour in (range(8, 11) if client.approach == "onsite" else range(8, 21)), (client.city, local)
        assert row.starts_utc > now.replace(tzinfo=None)
        assert row.starts_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date() == today
    pair = [r for r in week.today_rows if r.conflicts]
    assert len(pair) == 2 and pair[0].starts_utc == pair[1].starts_utc


@pytest.mark.parametrize(("zone", "utc"), [("UTC", (16, 46)), ("Europe/Moscow", (16, 46)), ("Europe/Moscow", (18, 30))])
def test_a_demo_made_late_puts_todays_events_nearest_their_clients_working_hours(db, zone, utc):
    """Made at 18:46 on a UTC clock (or after 19:46 Moscow time), no demo client is awake for the rest of today, and
    today's events went to the clients at their places in the plan: 03:00 in Novosibirsk, 23:00 in Samara (tester J,
    2026-12-05). They go to the clients on Moscow time, the least far from their working day, three different ones."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from app.services.clients import get_client
    from app.services.demo import fill_demo
    from app.services.demo_week import fill_demo_week

    now = datetime(2026, 12, 5, *utc, tzinfo=UTC)
    with time_machine.travel(now.astimezone(ZoneInfo(zone)), tick=False):
        fill_demo(db, today=now.astimezone(ZoneInfo(zone)).date())
        fill_demo_week(db)
        week = plan_read.agenda(db, now=now)
    assert len(week.today_rows) == 3
    assert {r.time_zone for r in week.today_rows} == {"Europe/Moscow"}
    assert len({r.client_id for r in week.today_rows}) == 3
    for row in week.today_rows:
        assert get_client(db, row.client_id).data.approach != "onsite"  # no 8-hour day started at night
        assert row.starts_utc > now.replace(tzinfo=None)
