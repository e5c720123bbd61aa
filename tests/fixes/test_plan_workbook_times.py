"""The plan workbook (a tester, 2026-12-05): its «Начало» was each event's zone's wall clock while the period is of
this computer's dates and the rows are in the order of the moments, so a sheet for 10.12 read «10.12 01:00, 11.12
00:00, 10.12 23:30». The first columns are now the specialist's (this computer's) time, the client's time has its
own columns."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from app.services import plan
from app.services.clients import ClientInput, add_client
from app.services.event_input import EventInput
from app.services.xlsx_export import plan_xlsx

MOSCOW = ZoneInfo("Europe/Moscow")
TODAY = date(2026, 12, 5)


def _rows(data: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_the_period_the_order_and_the_first_columns_are_of_this_computers_time(db):
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    for start, zone in ((datetime(2026, 12, 10, 1, 0), "Europe/Moscow"),
                        (datetime(2026, 12, 11, 0, 0), "Asia/Vladivostok"),  # 10.12 17:00 in Moscow
                        (datetime(2026, 12, 10, 23, 30), "Europe/Moscow"),
                        (datetime(2026, 12, 10, 23, 0), "America/New_York")):  # 11.12 07:00 in Moscow: not listed
        plan.add_event(db, cid, EventInput("call", start, zone, 30), on=TODAY)
    rows = _rows(plan_xlsx(db, date_from=date(2026, 12, 10), date_to=date(2026, 12, 10), viewer=MOSCOW))
    head = rows[0]
    assert head[:6] == ["Начало (время специалиста: Europe/Moscow, UTC+3)",
                        "Окончание (время специалиста: Europe/Moscow, UTC+3)", "Длительность, мин",
                        "Начало (время заказчика)", "Окончание (время заказчика)", "Часовой пояс заказчика"]
    assert [r[0] for r in rows[1:]] == [datetime(2026, 12, 10, 1, 0), datetime(2026, 12, 10, 17, 0),
                                        datetime(2026, 12, 10, 23, 30)]
    assert [r[1] for r in rows[1:]] == [datetime(2026, 12, 10, 1, 30), datetime(2026, 12, 10, 17, 30),
                                        datetime(2026, 12, 11, 0, 0)]
    assert [(r[3], r[5]) for r in rows[1:]] == [(datetime(2026, 12, 10, 1, 0), "Europe/Moscow"),
                                                (datetime(2026, 12, 11, 0, 0), "Asia/Vladivostok"),
                                                (datetime(2026, 12, 10, 23, 30), "Europe/Moscow")]


def test_the_clients_end_is_the_start_plus_the_duration_in_real_time(db):
    """02:30 in Berlin on the night the clock goes back, 30 minutes: it ends at 02:00 on the wall clock (the second
    02:00), not «03:00» — an hour longer, as the calendar export once had it."""
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    plan.add_event(db, cid, EventInput("call", datetime(2027, 10, 31, 2, 30), "Europe/Berlin", 30), on=TODAY)
    [_head, row] = _rows(plan_xlsx(db, viewer=MOSCOW))
    assert (row[0], row[1]) == (datetime(2027, 10, 31, 3, 30), datetime(2027, 10, 31, 4, 0))  # Moscow: no DST
    assert (row[3], row[4]) == (datetime(2027, 10, 31, 2, 30), datetime(2027, 10, 31, 2, 0))
