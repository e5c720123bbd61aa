"""`plan add|list|done|cancel` and `questions add|list|close`: JSON output, exit 2 with one Russian line."""

import json
from datetime import date, timedelta

import pytest


@pytest.fixture
def client(cli):
    status, out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893",
                           "--approach", "remote")
    assert status == 0, err
    return out.strip()


def _add_employee(sqlite_path, name: str, inn: str = "7707083893") -> None:
    from app.persistence.db import open_database
    from app.services.clients import PersonInput, get_client, update_client

    db = open_database(f"sqlite:///{sqlite_path}")
    details = get_client(db, inn)
    details.data.employees.append(PersonInput(name))
    update_client(db, details.id, details.data)
    db.dispose()


def test_plan_add_list_done_cancel(cli, client, sqlite_path):
    _add_employee(sqlite_path, "Иванов И. И.")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    status, out, err = cli("plan", "add", client, "--kind", "conference", "--start", f"{yesterday} 10:00",
                           "--tz", "Asia/Yekaterinburg", "--end", "11:30", "--section", "Склад",
                           "--participant", "Иванов И. И.", "--lesson", "L01", "--place", "https://meet/x",
                           "--json")
    assert status == 0, err
    event = json.loads(out)
    assert (event["duration_min"], event["time_zone"], event["participants"]) == (90, "Asia/Yekaterinburg",
                                                                                  ["Иванов И. И."])
    assert event["start"] == f"{yesterday}T10:00" and event["start_utc"] == f"{yesterday}T05:00Z"
    status, out, _err = cli("plan", "add", client, "--kind", "call", "--start", f"{yesterday} 08:30",
                            "--tz", "Europe/Moscow", "--duration", "30")
    call_id = out.strip()
    status, out, _err = cli("plan", "list", "--json")
    rows = json.loads(out)
    assert [r["conflicts"] for r in rows] == [[int(call_id)], [event["id"]]]  # Moscow 08:30 = Yekaterinburg 10:30
    status, out, _err = cli("plan", "list")  # the text names the event each one overlaps
    lines = out.splitlines()
    assert lines[0].startswith(f"{event['id']}\t") and lines[0].endswith(f"⚠ пересекается с № {call_id}")
    assert lines[1].startswith(f"{call_id}\t") and lines[1].endswith(f"⚠ пересекается с № {event['id']}")
    status, out, err = cli("plan", "done", str(event["id"]), "--minutes", "75", "--json")
    assert status == 0, err
    done = json.loads(out)
    assert done["status"] == "done" and done["ticked"] == ["L01"]
    status, out, _err = cli("log", "list", client, "--json")
    assert [(e["kind"], e["minutes"]) for e in json.loads(out)["entries"]] == [("conference", 75)]
    assert cli("plan", "cancel", call_id, "--reason", "перенос")[0] == 0
    status, out, _err = cli("plan", "list", client, "--status", "cancelled", "--json")
    assert [r["id"] for r in json.loads(out)] == [int(call_id)]
    status, out, _err = cli("plan", "list", "--agenda", "--json")
    assert json.loads(out)["overdue"] == []
    # without --tz an event takes the zone of the client's latest one
    status, out, err = cli("plan", "add", client, "--kind", "call", "--start", "2030-01-10 10:00", "--duration",
                           "15", "--json")
    assert status == 0 and json.loads(out)["time_zone"] == "Europe/Moscow", err


@pytest.mark.parametrize(("argv", "needle"), [
    (["--start", "2026-03-12 10:00", "--end", "09:00"], "раньше"),
    (["--start", "1900-03-12 10:00", "--duration", "60"], "2000"),
    (["--start", "2026-03-12 10:00", "--duration", "60", "--tz", "Mars/Olympus"], "часовой пояс"),
    (["--start", "2026-03-12 10:00", "--duration", "60", "--participant", "Сидоров"], "Заря"),
    (["--start", "завтра", "--duration", "60"], "дата и время"),
    (["--start", "2026-03-12 10:00", "--duration", "час"], "время"),
])
def test_plan_add_refuses_with_one_russian_line(cli, client, sqlite_path, argv, needle):
    assert cli("clients", "add", "--name", "АО «Заря»", "--inn", "7736207543", "--approach", "remote")[0] == 0
    _add_employee(sqlite_path, "Сидоров", "7736207543")
    status, _out, err = cli("plan", "add", client, "--kind", "conference", *argv)
    assert status == 2 and needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert json.loads(cli("plan", "list", "--json")[1]) == []


def test_plan_done_of_an_unknown_or_future_event_is_refused(cli, client):
    assert cli("plan", "done", "999")[0] == 2
    assert cli("plan", "done", "abc")[0] == 2
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    event_id = cli("plan", "add", client, "--kind", "call", "--start", f"{tomorrow} 10:00", "--duration", "20")[1]
    status, _out, err = cli("plan", "done", event_id.strip())
    assert status == 2 and "не началось" in err


def test_questions_add_list_close(cli, client, sqlite_path):
    _add_employee(sqlite_path, "Иванов И. И.")
    status, out, err = cli("questions", "add", client, "--channel", "телефон", "--text", "Как закрыть месяц?",
                           "--asked-by", "Иванов И. И.", "--json")
    assert status == 0, err
    question = json.loads(out)
    assert (question["channel"], question["asked_by"], question["status"]) == ("phone", "Иванов И. И.", "open")
    status, out, err = cli("questions", "close", str(question["id"]), "--answer", "Регламентом.",
                           "--minutes", "0:40", "--json")
    assert status == 0, err
    assert json.loads(out)["minutes"] == 40
    status, out, _err = cli("log", "list", client, "--json")
    assert [(e["kind"], e["minutes"]) for e in json.loads(out)["entries"]] == [("questions", 40)]
    status, out, _err = cli("questions", "list", "--search", "МЕСЯЦ", "--json")
    assert [q["id"] for q in json.loads(out)] == [question["id"]]
    status, out, _err = cli("questions", "list", "--status", "open", "--json")
    assert json.loads(out) == []
    status, _out, err = cli("questions", "close", str(question["id"]))
    assert status == 2 and "уже решён" in err


@pytest.mark.parametrize(("argv", "needle"), [
    (["--channel", "голубь", "--text", "?"], "голубь"),
    (["--channel", "skype", "--text", "?", "--date", "1900-01-01"], "1900"),
    (["--channel", "skype", "--text", "Где отчёт?", "--asked-by", "Никто"], "не найден"),
])
def test_questions_add_refuses(cli, client, argv, needle):
    status, _out, err = cli("questions", "add", client, *argv)
    assert status == 2 and needle in err and "Traceback" not in err
    assert json.loads(cli("questions", "list", "--json")[1]) == []


def test_attention_lists_reminders_with_client_ids(cli, client):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert cli("plan", "add", client, "--kind", "call", "--start", f"{yesterday} 10:00", "--duration", "20")[0] == 0
    status, out, err = cli("attention", "--json")
    assert status == 0, err
    assert [(r["kind"], r["client_id"]) for r in json.loads(out)] == [("event_overdue", int(client))]


@pytest.mark.parametrize(("end", "minutes"), [("01:00", 120), ("24:00", 60), ("23:30", 30)])
def test_an_end_given_as_a_time_runs_past_midnight_when_it_is_not_later(cli, end, minutes):
    """«--start 23:00 --end 01:00» and «--end 24:00» were refused «заканчивается раньше, чем начинается»
    (a fresh tester, 2026-12-05): a time not later than the start is the next day's."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, out, err = cli("plan", "add", "7707083893", "--kind", "call", "--start", "2026-12-07 23:00", "--end", end,
                           "--tz", "Europe/Moscow", "--json")
    assert status == 0, err
    assert json.loads(out)["duration_min"] == minutes


def test_an_end_equal_to_the_start_is_named_as_such(cli):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")[0] == 0
    status, _out, err = cli("plan", "add", "7707083893", "--kind", "call", "--start", "2026-12-07 10:00", "--end",
                            "2026-12-07 10:00", "--tz", "Europe/Moscow")
    assert status == 2 and "заканчивается тогда же, когда начинается (07.12.2026 10:00)" in err


def test_done_with_days_for_a_call_or_minutes_for_an_on_site_day_is_refused_and_the_list_says_the_real_time(cli):
    """`plan done N --days 5` on a conference was ignored without a word, and a done event of 75 minutes planned
    for 60 was listed as «60 мин» (a fresh tester, 2026-12-05)."""
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "onsite")[0] == 0
    call = cli("plan", "add", "7707083893", "--kind", "call", "--start", "2026-03-12 10:00", "--duration", "60",
               "--tz", "Europe/Moscow")[1].strip()
    visit = cli("plan", "add", "7707083893", "--kind", "onsite_day", "--start", "2026-03-13 10:00", "--duration",
                "480", "--tz", "Europe/Moscow")[1].strip()
    status, _out, err = cli("plan", "done", call, "--days", "5")
    assert status == 2 and "Дни записываются только для дня выезда" in err
    status, _out, err = cli("plan", "done", visit, "--minutes", "90")
    assert status == 2 and "записывается в днях" in err
    assert cli("plan", "list", "--status", "done")[1].strip() == "Событий по этим условиям нет."
    assert cli("plan", "done", call, "--minutes", "75")[0] == 0
    assert "\t75 мин\t" in cli("plan", "list", "--status", "done")[1]


# ------------------------------------------------------------------ the period is of the dates the list shows


def test_the_period_is_of_this_computers_dates_not_of_utc(cli, client, zone, tmp_path):
    """Tester, 2026-12-05: a call at 01:00 on 10.12 Moscow time (22:00 UTC on 09.12), listed «10.12.2026 01:00», was
    found by «--from 2026-12-09» and not by «--from 2026-12-10 --to 2026-12-10»."""
    zone("Europe/Moscow")
    status, out, err = cli("plan", "add", client, "--kind", "call", "--start", "2026-12-10 01:00",
                           "--tz", "Europe/Moscow", "--duration", "30")
    assert status == 0, err
    status, out, err = cli("plan", "list", "--from", "2026-12-10", "--to", "2026-12-10")
    assert status == 0 and "10.12.2026 01:00" in out, out + err
    status, out, _err = cli("plan", "list", "--from", "2026-12-09", "--to", "2026-12-09")
    assert out.strip() == "Событий по этим условиям нет."
    status, out, _err = cli("plan", "list", "--to", "2026-12-09")
    assert out.strip() == "Событий по этим условиям нет."
    # the workbook takes the period the same way
    from tests.unit.test_exports import _sheet, _values

    for day, found in (("2026-12-10", 1), ("2026-12-09", 0)):
        target = tmp_path / f"plan-{day}.xlsx"
        status, _out, err = cli("export-xlsx", "plan", "--from", day, "--to", day, "-o", str(target))
        assert status == 0, err
        assert len(_values(_sheet(target.read_bytes()))) - 1 == found, day


def test_list_events_takes_the_period_on_the_viewers_clock(db):
    """An event at 18:00 on 05.12 Moscow time is on 06.12 in Vladivostok (01:00), on 05.12 in UTC."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app.services import plan, plan_read
    from app.services.clients import ClientInput, add_client
    from app.services.event_input import EventInput

    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    plan.add_event(db, cid, EventInput("call", datetime(2026, 12, 5, 18, 0), "Europe/Moscow", 30),
                   on=date(2026, 12, 1))
    vladivostok = ZoneInfo("Asia/Vladivostok")
    assert len(plan_read.list_events(db, date_from=date(2026, 12, 6), date_to=date(2026, 12, 6), viewer=vladivostok)) == 1
    assert plan_read.list_events(db, date_from=date(2026, 12, 5), date_to=date(2026, 12, 5), viewer=vladivostok) == []
    assert len(plan_read.list_events(db, date_from=date(2026, 12, 5), date_to=date(2026, 12, 5), viewer=ZoneInfo("UTC"))) == 1
