"""`plan done --days 31` on one on-site day logged a month on its date (tester C), and an event before the client's
contract was done and logged without a word (tester A). The days an event logs are bounded by the days it spans;
work before the contract is taken, as the work log and the act take it, but every command that logs it says so."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def onsite(cli):
    assert cli("clients", "add", "--name", "ООО «Лютик»", "--inn", "7728168971", "--approach", "onsite",
               "--contract-date", "2025-04-01")[0] == 0
    return cli


def _plan(cli, kind: str, start: str, minutes: str) -> str:
    status, out, err = cli("plan", "add", "7728168971", "--kind", kind, "--start", start, "--duration", minutes,
                           "--tz", "Europe/Moscow")
    assert status == 0, err
    return out.strip()


def _entries(cli) -> list[dict]:
    status, out, err = cli("log", "list", "7728168971", "--json")
    assert status == 0, err
    return json.loads(out)["entries"]


def test_one_on_site_day_logs_at_most_one_day(onsite):
    cli = onsite
    visit = _plan(cli, "onsite_day", "2025-05-13 09:00", "480")
    for days in ("31", "2", "1.5"):
        status, _out, err = cli("plan", "done", visit, "--days", days)
        assert status == 2
        assert (f"Событие № {visit} «День выезда» 13.05.2025 занимает 1 день: по нему можно записать не больше 1 дн., "
                f"а не {days.replace('.', ',')}.") in err, err
        assert "Команда: log add 1 --kind onsite_day" in err, err
    assert _entries(cli) == []
    assert cli("plan", "list", "--status", "done")[1].strip() == "Событий по этим условиям нет."
    status, _out, err = cli("plan", "done", visit, "--days", "0.5")
    assert status == 0, err
    assert [e["days"] for e in _entries(cli)] == ["0.50"]


def test_an_event_past_midnight_spans_two_days(onsite):
    cli = onsite
    night = _plan(cli, "onsite_day", "2025-05-14 20:00", "720")  # 20:00 to 08:00
    status, _out, err = cli("plan", "done", night, "--days", "3")
    assert status == 2 and "занимает 2 дня: по нему можно записать не больше 2 дн., а не 3" in err, err
    assert cli("plan", "done", night, "--days", "2")[0] == 0
    assert [e["days"] for e in _entries(cli)] == ["2.00"]


def test_days_are_not_checked_when_nothing_is_logged(onsite):
    cli = onsite
    visit = _plan(cli, "onsite_day", "2025-05-13 09:00", "480")
    status, _out, err = cli("plan", "done", visit, "--no-log")
    assert status == 0, err
    assert _entries(cli) == []


def test_work_before_the_contract_is_taken_and_said(onsite):
    cli = onsite
    call = _plan(cli, "call", "2025-03-10 10:00", "30")
    status, out, err = cli("plan", "done", call)
    assert status == 0, err
    assert f"событие № {call} проведено 10.03.2025 — раньше договора от 01.04.2025" in err, err
    status, out, err = cli("log", "add", "7728168971", "--kind", "conference", "--date", "2025-03-31", "--minutes",
                           "60")
    assert status == 0 and "Запись № 2 сохранена" in out, err
    assert "Обратите внимание: запись № 2 датирована 31.03.2025 — раньше договора от 01.04.2025." in err, err
    status, out, err = cli("log", "add", "7728168971", "--kind", "conference", "--date", "2025-04-01", "--minutes",
                           "60")
    assert status == 0 and err == "", err  # the contract's own day is not before it
    status, out, err = cli("questions", "add", "7728168971", "--channel", "phone", "--text", "Где?", "--date",
                           "2025-03-20")
    assert status == 0, err
    status, out, err = cli("questions", "close", out.strip(), "--answer", "Там", "--minutes", "15", "--date",
                           "2025-03-20")
    assert status == 0, err
    assert "запись № 4 датирована 20.03.2025 — раньше договора" in err, err
    assert len(_entries(cli)) == 4


def test_no_contract_date_no_note(cli):
    assert cli("clients", "add", "--name", "ООО «Лютик»", "--inn", "7728168971", "--approach", "remote")[0] == 0
    status, _out, err = cli("log", "add", "7728168971", "--kind", "conference", "--date", "2025-03-31", "--minutes",
                            "60")
    assert status == 0 and err == "", err
