"""Which clock a plan is on (a tester): `plan add` without --tz took the client's zone without a word; the plan
workbook said «время специалиста» without naming this computer's zone; `plan list --json` gave the client's time
and UTC, not this computer's; the window's event form pre-filled the zone without saying why."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from app.persistence.db import open_database
from app.services import plan, plan_read
from app.services.clients import ClientInput, add_client
from app.services.event_input import EventInput

TODAY = date(2026, 12, 5)


def _client(sqlite_path, inn: str, city: str = "", address: str = "") -> None:
    db = open_database(f"sqlite:///{sqlite_path}")
    add_client(db, ClientInput(name=f"ООО «{inn}»", inn=inn, approach="remote", city=city, address=address))
    db.dispose()


def _add(cli, inn: str, *more: str):
    return cli("plan", "add", inn, "--kind", "call", "--start", "2026-12-20 10:00", "--duration", "30", *more)


def test_plan_add_says_which_zone_it_took_and_why(cli, sqlite_path):
    _client(sqlite_path, "7707083893", city="Екатеринбург")
    _client(sqlite_path, "7728168971", address="620014, Свердловская обл., г. Екатеринбург, ул. Ленина, 1")
    _client(sqlite_path, "500100732259")  # neither city nor address
    status, out, err = _add(cli, "7707083893")
    assert status == 0 and out.strip().isdigit(), err  # stdout keeps the id alone for scripts
    assert "Время заказчика: Asia/Yekaterinburg (по городу заказчика)" in err, err
    status, out, err = _add(cli, "7728168971")
    assert status == 0 and "Время заказчика: Asia/Yekaterinburg (по адресу заказчика)" in err, err
    status, out, err = _add(cli, "500100732259")
    assert status == 0 and "Время заказчика: Europe/Moscow (не определено по адресу — московское)" in err, err
    status, out, err = _add(cli, "500100732259", "--tz", "Asia/Omsk")
    assert status == 0 and err == "", err  # a zone given is not explained
    status, out, err = _add(cli, "500100732259", "--json")
    assert status == 0 and "Время заказчика: Asia/Omsk (по последнему событию)" in err, err
    event = json.loads(out)
    assert (event["time_zone"], event["time_zone_source"]) == ("Asia/Omsk", "latest_event")
    status, out, err = _add(cli, "500100732259", "--tz", "Asia/Omsk", "--json")
    assert json.loads(out)["time_zone_source"] == "given"


def test_the_zone_choice_names_its_source(db):
    moscow_city = add_client(db, ClientInput(name="А", inn="7707083893", approach="remote", city="Москва",
                                             address="Свердловская обл., г. Екатеринбург"))
    bashkir = add_client(db, ClientInput(name="Б", inn="7728168971", approach="remote", city="Благовещенск",
                                         address="Республика Башкортостан, г. Благовещенск"))
    assert plan_read.zone_choice(db, moscow_city) == plan_read.ZoneChoice("Europe/Moscow", "city")
    assert plan_read.zone_choice(db, bashkir) == plan_read.ZoneChoice("Asia/Yekaterinburg", "address")
    assert plan_read.default_zone(db, bashkir) == "Asia/Yekaterinburg"


def _sheet_head(data: bytes) -> list:
    return list(next(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)))


def test_the_plan_workbook_names_this_computers_zone(db, zone):
    from app.services.xlsx_export import plan_xlsx

    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    plan.add_event(db, cid, EventInput("call", datetime(2026, 12, 10, 10, 0), "Asia/Vladivostok", 30), on=TODAY)
    zone("Asia/Yekaterinburg")
    head = _sheet_head(plan_xlsx(db))
    assert head[:2] == ["Начало (время специалиста: Asia/Yekaterinburg, UTC+5)",
                        "Окончание (время специалиста: Asia/Yekaterinburg, UTC+5)"]
    assert head[3:6] == ["Начало (время заказчика)", "Окончание (время заказчика)", "Часовой пояс заказчика"]
    # a viewer whose offset changes within the rows names both offsets
    plan.add_event(db, cid, EventInput("call", datetime(2027, 7, 10, 10, 0), "Europe/Berlin", 30), on=TODAY)
    head = _sheet_head(plan_xlsx(db, viewer=ZoneInfo("Europe/Berlin")))
    assert head[0] == "Начало (время специалиста: Europe/Berlin, UTC+1 / UTC+2)"


def test_the_plan_workbook_from_the_command_line_names_the_zone(cli, sqlite_path, tmp_path, zone):
    _client(sqlite_path, "7707083893", city="Владивосток")
    assert _add(cli, "7707083893")[0] == 0
    zone("Europe/Moscow")
    target = tmp_path / "plan.xlsx"
    status, _out, err = cli("export-xlsx", "plan", "-o", str(target))
    assert status == 0, err
    head = _sheet_head(target.read_bytes())
    assert head[0] == "Начало (время специалиста: Europe/Moscow, UTC+3)"


def test_plan_list_json_gives_this_computers_time_too(cli, sqlite_path, zone):
    _client(sqlite_path, "7707083893", city="Владивосток")
    assert _add(cli, "7707083893")[0] == 0  # 10:00 in Vladivostok = 00:00 UTC = 03:00 in Moscow
    zone("Europe/Moscow")
    status, out, err = cli("plan", "list", "--json")
    assert status == 0, err
    [row] = json.loads(out)
    # the keys other programs read stay as they were
    assert (row["start"], row["time_zone"], row["start_utc"]) == ("2026-12-20T10:00", "Asia/Vladivostok",
                                                                  "2026-12-20T00:00Z")
    assert (row["local_start"], row["local_end"], row["local_time_zone"]) == (
        "2026-12-20T03:00+03:00", "2026-12-20T03:30+03:00", "Europe/Moscow")
    status, out, _err = cli("plan", "list")  # the text is of this computer's clock already
    assert out.split("\t")[1] == "20.12.2026 03:00 (у заказчика 10:00, Asia/Vladivostok)"
    zone("America/New_York")  # the date of this computer's clock is another day
    [row] = json.loads(cli("plan", "list", "--json")[1])
    assert (row["local_start"], row["local_time_zone"]) == ("2026-12-19T19:00-05:00", "America/New_York")
    agenda = json.loads(cli("plan", "list", "--agenda", "--json")[1])
    assert agenda["local_time_zone"] == "America/New_York"


def test_a_zone_name_that_disagrees_with_the_clock_is_not_given(monkeypatch, zone):
    from app.domain import schedule

    zone("Europe/Moscow")
    monkeypatch.setattr(schedule, "this_zone_name", lambda: "Asia/Tokyo")
    assert schedule.viewer_zone_name() is None
    assert schedule.viewer_zone_label(now=datetime(2026, 12, 5, 12, 0)) == "UTC+3"
    assert schedule.offset_text(datetime(2026, 1, 1, 5, 30) - datetime(2026, 1, 1)) == "UTC+5:30"
    assert schedule.offset_text(datetime(2026, 1, 1) - datetime(2026, 1, 1, 3, 30)) == "UTC-3:30"


def test_the_event_form_says_why_it_chose_the_zone(qtbot):
    from ui.dialogs.plan.event_dialog import EventDialog

    choices = {1: plan_read.ZoneChoice("Asia/Yekaterinburg", "address"), 2: plan_read.ZoneChoice("Europe/Moscow", "default")}
    dialog = EventDialog([(1, "ООО «Урал»"), (2, "ООО «Центр»")], [], lambda _cid: [], lambda _cid, _data: None,
                         client_id=1, zone_of=choices.__getitem__)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.zone.currentText() == "Asia/Yekaterinburg"
    assert dialog.zone_reason.isVisible()
    assert dialog.zone_reason.text() == "Время заказчика: Asia/Yekaterinburg (по адресу заказчика)"
    dialog.client.setCurrentIndex(1)
    assert dialog.zone_reason.text() == "Время заказчика: Europe/Moscow (не определено по адресу — московское)"
    dialog.zone.setCurrentText("Asia/Omsk")  # the user's own zone: no reason of the program's
    assert not dialog.zone_reason.isVisible()
    dialog.zone.setCurrentText("Europe/Moscow")
    assert dialog.zone_reason.isVisible()
