"""Tester K #12: `plan done` logs the work on the client's date (the event's own zone), the date of the service in
the client's books, which an act bills by. East of this computer that date can be «tomorrow» here: it was logged
without a word, and `report act --to` today then found nothing. Now the date is said, and why an act can bill the work
only from that day."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

FAR_EAST = "Pacific/Kiritimati"  # UTC+14
FAR_WEST = "Etc/GMT+12"  # UTC−12: 26 hours behind, so the client's date is always at least a day ahead


@pytest.fixture
def client(cli):
    status, out, err = cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", "7707083893", "--approach", "remote")
    assert status == 0, err
    return out.strip()


def _event_an_hour_ago(cli, client, tz: str) -> str:
    start = (datetime.now(ZoneInfo(tz)) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    status, out, err = cli("plan", "add", client, "--kind", "call", "--start", start, "--duration", "20", "--tz", tz)
    assert status == 0, err
    return out.strip()


def test_plan_done_says_the_clients_date_it_logged_and_when_an_act_can_bill_it(cli, client, zone):
    zone(FAR_WEST)
    event_id = _event_an_hour_ago(cli, client, FAR_EAST)
    status, out, err = cli("plan", "done", event_id)
    assert status == 0, err
    entry = json.loads(cli("log", "list", client, "--json")[1])["entries"][0]
    day = datetime.fromisoformat(entry["date"]).strftime("%d.%m.%Y")
    today = datetime.now().strftime("%d.%m.%Y")
    assert out.strip() == f"Проведено; запись журнала работ № {entry['id']} от {day} (дата заказчика)."
    assert err.strip() == (f"Обратите внимание: работа события № {event_id} (запись журнала работ № {entry['id']}) "
                           f"датирована {day} — датой заказчика ({FAR_EAST}); здесь ещё {today}, поэтому в акт она "
                           f"войдёт начиная с {day}.")


def test_plan_done_on_the_same_date_says_only_the_date(cli, client, zone):
    zone("Europe/Moscow")
    event_id = _event_an_hour_ago(cli, client, "Europe/Moscow")
    status, out, err = cli("plan", "done", event_id)
    assert status == 0 and err == ""
    entry = json.loads(cli("log", "list", client, "--json")[1])["entries"][0]
    day = datetime.fromisoformat(entry["date"]).strftime("%d.%m.%Y")
    assert out.strip() == f"Проведено; запись журнала работ № {entry['id']} от {day}."
