"""Excel and calendar exports, read back with openpyxl, LibreOffice and icalendar."""

import csv
import io
import os
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.reports.printing import issue
from app.services import plan, plan_read
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.documents import prepare
from app.services.event_input import EventInput
from app.services.ics_export import calendar_bytes
from app.services.questions import QuestionInput, add_question
from app.services.xlsx_export import (
    MONEY_FORMAT,
    ClientFilter,
    clients_xlsx,
    plan_xlsx,
    register_xlsx,
    worklog_xlsx,
)
from tests.reports.helpers import ACT_DAY, MARCH, build_world


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def _values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def world(db):
    w = build_world(db)
    act = issue(db, prepare(db, "act", w.client_id, date_from=MARCH[0], date_to=MARCH[1], on=ACT_DAY))
    return w, act


def test_worklog_has_real_dates_numbers_money_format_and_billed_marks(db, world):
    w, _act = world
    sheet = _sheet(worklog_xlsx(db, w.client_id))
    rows = _values(sheet)
    assert rows[0] == ["Дата", "Вид работ", "Этап", "Время, мин", "К оплате, мин", "К оплате, ч", "Дни",
                       "Расходы, ₽", "Сумма, ₽", "В акте", "Примечание"]
    total = [r[0] for r in rows].index("Итого")
    body = rows[1:total]
    assert [(r[0].date(), r[1], r[3], r[8], r[9]) for r in body] == [
        (date(2026, 2, 10), "Конференция", 90, 2250, "нет"),
        (date(2026, 3, 2), "Конференция", 720, 18000, "да"),
        (date(2026, 3, 3), "Вопросы", 180, 4500, "да"),
        (date(2026, 3, 4), "Контроль данных", 150, 3750, "да"),
    ]
    assert rows[total][3] == 1140 and rows[total][8] == 28500
    assert [r[0] for r in rows[total:]] == ["Итого", "Без налога (НДС)", "Всего"] and rows[-1][8] == 28500
    assert isinstance(body[0][0], datetime) and isinstance(body[0][3], int)
    assert sheet["I2"].number_format == MONEY_FORMAT and sheet["A2"].number_format == "DD.MM.YYYY"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.auto_filter.ref == "A1:K5"  # header and the four entries, not the total row
    for column, header in zip("ABCDEFGHIJK", rows[0], strict=True):
        longest = max(len(str(r[ord(column) - 65])) for r in rows if r[ord(column) - 65] is not None)
        assert sheet.column_dimensions[column].width >= min(len(header), longest)


def test_worklog_of_a_period_only(db, world):
    w, _act = world
    rows = _values(_sheet(worklog_xlsx(db, w.client_id, date(2026, 3, 1), date(2026, 3, 31))))
    total = [r[0] for r in rows].index("Итого")
    assert [r[1] for r in rows[1:total]] == ["Конференция", "Вопросы", "Контроль данных"]
    assert rows[total][8] == rows[-1][8] == 26250


def test_clients_with_the_filter_and_question_text(db, world):
    w, _act = world
    add_question(db, w.free_client_id, QuestionInput(date(2026, 3, 3), "phone", "Как оформить СПИСАНИЕ?"),
                 on=date(2026, 3, 3))
    rows = _values(_sheet(clients_xlsx(db)))
    assert rows[0][:6] == ["№", "Наименование", "ИНН", "КПП", "Подход", "Этап"]
    assert {r[1] for r in rows[1:]} == {"ООО «Ромашка»", "ООО «Бесплатное»"}
    assert [r[1] for r in _values(_sheet(clients_xlsx(db, ClientFilter(stage=2))))[1:]] == ["ООО «Ромашка»"]
    assert [r[1] for r in _values(_sheet(clients_xlsx(db, ClientFilter(text="списание"))))[1:]] == \
        ["ООО «Бесплатное»"]
    assert [r[1] for r in _values(_sheet(clients_xlsx(db, ClientFilter(approach="remote"))))[1:]] == \
        ["ООО «Ромашка»"]
    free = next(r for r in rows if r[1] == "ООО «Бесплатное»")
    head = rows[0]
    assert free[head.index("Открытых вопросов")] == 1  # open questions; contract date is a date
    assert isinstance(free[head.index("Дата договора")], datetime)


def test_register_lists_issued_documents_with_money(db, world):
    _w, act = world
    sheet = _sheet(register_xlsx(db))
    rows = _values(sheet)
    assert rows[0][0] == "Документ" and rows[1][0] == act.code and rows[1][1] == "Акт оказанных услуг"
    assert rows[1][4] == datetime(2026, 3, 31) and rows[1][8] == 26250 and rows[1][9] is None
    assert sheet["I2"].number_format == MONEY_FORMAT


def _number(text: str) -> Decimal:
    """A number as LibreOffice shows it in any locale: «18,000.00 ₽», «18 000,00 ₽», «1.5», «1,5»."""
    cleaned = text.replace("₽", "").replace("\u00a0", "").replace(" ", "").strip()
    if "," in cleaned and ("." not in cleaned or cleaned.rfind(",") > cleaned.rfind(".")):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    return Decimal(cleaned.replace(",", ""))


def test_libreoffice_opens_the_workbook_with_the_same_values(db, world, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (scripts/system-deps.sh --test installs libreoffice-calc-nogui)"
    w, _act = world
    source = tmp_path / "log.xlsx"
    source.write_bytes(worklog_xlsx(db, w.client_id))
    # 44 = «,», 34 = «"», 76 = UTF-8, line 1, 1049 = Russian; «true» in the 9th place: values as shown
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1049,false,true,true,false",
                    "--outdir", str(tmp_path), str(source)], check=True, timeout=180, capture_output=True,
                   env=dict(os.environ, LANG="ru_RU.UTF-8", LC_ALL="ru_RU.UTF-8"))  # a Russian office
    shown = list(csv.reader((tmp_path / "log.csv").read_text(encoding="utf-8").splitlines()))
    expected = _values(_sheet(source.read_bytes()))
    assert shown[0] == expected[0]
    assert len(shown) == len(expected)
    for got, want in zip(shown[1:], expected[1:], strict=True):
        for cell, value in zip(got, want, strict=True):
            if value is None:
                assert cell == ""
            elif isinstance(value, datetime):
                assert cell == value.strftime("%d.%m.%Y")
            elif isinstance(value, int | float | Decimal):
                assert _number(cell) == Decimal(str(value))
            else:
                assert cell == value
    assert shown[2][8] == "18\u00a0000,00 ₽"  # money reads «# ##0,00 ₽» in Russian


# ------------------------------------------------------------------ plan: Excel and calendar

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def planned(db):
    a = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                   address="620000, г. Екатеринбург, ул. Ленина, д. 1",
                                   employees=[PersonInput("Иванов И. И.")]))
    b = add_client(db, ClientInput(name="АО «Заря»", inn="7736207543", approach="onsite",
                                   address="190000, г. Санкт-Петербург, Невский пр., д. 2"))
    conference = plan.add_event(db, a, EventInput("conference", datetime(2026, 3, 12, 10, 0), "Asia/Yekaterinburg",
                                                  90, section="Склад", participants=("Иванов И. И.",),
                                                  place="https://meet.example/abc"), on=NOW.date())[0]
    visit = plan.add_event(db, b, EventInput("onsite_day", datetime(2026, 3, 12, 7, 0), "Europe/Moscow", 480),
                           on=NOW.date())[0]
    return a, b, conference, visit


def test_plan_workbook(db, planned):
    _a, _b, _conference, _visit = planned
    rows = _values(_sheet(plan_xlsx(db, viewer=ZoneInfo("Europe/Moscow"))))
    assert rows[0][:7] == ["Начало (время специалиста: Europe/Moscow, UTC+3)",
                           "Окончание (время специалиста: Europe/Moscow, UTC+3)", "Длительность, мин",
                           "Начало (время заказчика)", "Окончание (время заказчика)", "Часовой пояс заказчика", "Вид"]
    # ordered by the moment: 10:00 in Yekaterinburg (05:00 UTC) is after 07:00 in Moscow (04:00 UTC)
    assert [(r[0], r[3], r[5], r[6], r[7], r[13]) for r in rows[1:]] == [
        (datetime(2026, 3, 12, 7, 0), datetime(2026, 3, 12, 7, 0), "Europe/Moscow", "День выезда", "АО «Заря»",
         "да"),
        (datetime(2026, 3, 12, 8, 0), datetime(2026, 3, 12, 10, 0), "Asia/Yekaterinburg", "Удалённая конференция",
         "ООО «Ромашка»", "да"),
    ]


def _events(data: bytes) -> dict:
    from icalendar import Calendar

    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_calendar_parses_back_with_zones_locations_and_stable_uids(db, planned):
    a, _b, conference, visit = planned
    from sqlalchemy import update

    from app.persistence.models import PlannedEvent

    with db.unit() as s:  # saved long ago (a Core update: the ORM never moves updated_at backwards)
        s.execute(update(PlannedEvent).where(PlannedEvent.id == conference).values(updated_at=datetime(2026, 3, 1, 8, 0)))
    first = calendar_bytes(db, now=NOW)
    events = _events(first)
    assert len(events) == 2
    row = plan_read.get_event(db, conference)
    event = events[f"{row.uuid}@vnedrenie.local"]
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.astimezone(UTC) == datetime(2026, 3, 12, 5, 0, tzinfo=UTC)
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Yekaterinburg"
    assert event.decoded("DTEND") - start == (datetime(2026, 1, 1, 1, 30) - datetime(2026, 1, 1))
    assert str(event["LOCATION"]) == "https://meet.example/abc"
    assert "Иванов И. И." in str(event["DESCRIPTION"]) and "Склад" in str(event["SUMMARY"])
    visit_event = events[f"{plan_read.get_event(db, visit).uuid}@vnedrenie.local"]
    assert str(visit_event["LOCATION"]) == "190000, г. Санкт-Петербург, Невский пр., д. 2"
    from icalendar import Calendar

    zones = {str(tz["TZID"]) for tz in Calendar.from_ical(first).walk("VTIMEZONE")}
    assert zones == {"Asia/Yekaterinburg", "Europe/Moscow"}
    # a re-export after an edit keeps the UIDs and raises SEQUENCE; a cancelled event says so
    sequence = int(event["SEQUENCE"])
    plan.update_event(db, conference, EventInput("conference", datetime(2026, 3, 12, 11, 0), "Asia/Yekaterinburg",
                                                 60, section="Склад"), on=NOW.date())
    plan.cancel_event(db, visit)
    again = _events(calendar_bytes(db, now=NOW))
    assert set(again) == set(events)
    moved = again[f"{row.uuid}@vnedrenie.local"]
    assert int(moved["SEQUENCE"]) > sequence
    assert moved.decoded("DTSTART").astimezone(UTC) == datetime(2026, 3, 12, 6, 0, tzinfo=UTC)
    assert str(again[f"{plan_read.get_event(db, visit).uuid}@vnedrenie.local"]["STATUS"]) == "CANCELLED"
    only_a = _events(calendar_bytes(db, a, now=NOW))
    assert list(only_a) == [f"{row.uuid}@vnedrenie.local"]


def test_export_commands_write_files_and_refuse_bad_names(cli, tmp_path):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    assert cli("plan", "add", "1", "--kind", "call", "--start", "2026-03-12 10:00", "--duration", "30")[0] == 0
    for what in ("clients", "register", "plan"):
        target = tmp_path / f"{what}.xlsx"
        status, _out, err = cli("export-xlsx", what, "-o", str(target))
        assert status == 0, err
        assert load_workbook(target).active["A1"].value
    status, _out, err = cli("export-xlsx", "worklog", "1", "--from", "2026-01-01", "-o", str(tmp_path / "w.xlsx"))
    assert status == 0, err
    status, _out, err = cli("export-ics", "-o", str(tmp_path / "plan.ics"))
    assert status == 0, err
    assert len(_events((tmp_path / "plan.ics").read_bytes())) == 1
    status, _out, err = cli("export-ics", "-o", str(tmp_path / "plan.txt"))
    assert status == 2 and ".ics" in err
    status, _out, err = cli("export-xlsx", "clients", "-o", str(tmp_path / "missing" / "c.xlsx"))
    assert status == 2 and "не существует" in err
    status, _out, err = cli("export-xlsx", "worklog", "999", "-o", str(tmp_path / "x.xlsx"))
    assert status == 2 and not (tmp_path / "x.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary leftovers


def test_times_shown_in_the_viewer_zone_too(db, planned):
    _a, _b, conference, _visit = planned
    assert plan_read.get_event(db, conference).viewer_start(ZoneInfo("Europe/Moscow")) == datetime(2026, 3, 12, 8, 0)


def test_a_text_starting_with_equals_is_a_text_cell_never_a_formula(db):
    """A client named «=HYPERLINK(…)», a note «=1+2»: openpyxl wrote them as formulas (Excel showed «3» and a link,
    and «=1+1 ООО» made it call the workbook damaged); every user text is a string cell."""
    from app.services.worklog import EntryInput, add_entry

    name = '=HYPERLINK("http://example.com","Ромашка")'
    cid = add_client(db, ClientInput(name=name, inn="7707083893", approach="remote"))
    plan.add_event(db, cid, EventInput(kind="call", start=datetime(2026, 12, 10, 10, 0), duration_min=30,
                                       note="=1+2"))
    add_entry(db, cid, EntryInput(kind="conference", on_date=date(2026, 12, 1), minutes=30, note="=SUM(1,2)"))
    books = {"clients": clients_xlsx(db), "plan": plan_xlsx(db), "log": worklog_xlsx(db, cid)}
    for label, data in books.items():
        sheet = _sheet(data)
        cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
        assert cells, label
        assert {c.data_type for c in cells} == {"s"}, label
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert b"<f>" not in z.read("xl/worksheets/sheet1.xml"), label
    texts = {c.value for data in books.values() for row in _sheet(data).iter_rows() for c in row}
    assert {name, "=1+2", "=SUM(1,2)"} <= texts


@pytest.mark.parametrize(("start", "minutes"), [
    (datetime(2027, 10, 31, 2, 30), 30),  # the hour Berlin's clock goes back: 02:30 comes twice
    (datetime(2027, 3, 28, 1, 30), 60),  # the hour it skips forward: local 01:30 + 60 min is 03:30
    (datetime(2027, 5, 1, 10, 0), 45),
])
def test_an_events_end_in_the_calendar_is_its_start_plus_its_duration_across_a_clock_change(db, start, minutes):
    """A 30-minute call at 02:30 Berlin on the night the clock goes back ended «03:00» local, which a calendar reads
    as 90 minutes later (a fresh tester, 2026-12-05); the end is counted in real time and given in UTC when the
    zone's wall clock would name another instant."""
    from icalendar import Calendar

    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    plan.add_event(db, cid, EventInput("call", start, "Europe/Berlin", minutes), on=date(2026, 12, 5))
    [event] = Calendar.from_ical(calendar_bytes(db)).walk("VEVENT")
    begins, ends = (event.decoded(key).astimezone(UTC) for key in ("DTSTART", "DTEND"))
    assert ends - begins == timedelta(minutes=minutes)
