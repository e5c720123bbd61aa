"""A client made offline on two laptops of one member is one client on the server (met by its ИНН); the laptop whose
copy took the server's UUID kept its own trail lines under the old one, so its «История изменений» lost them while
the server and the other laptops showed them (the trial of 2026-12-01, finding 6)."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.service import sync_once
from app.team.audit import client_history
from app.team.users import add_user
from tests.team.conftest import PASSWORD, join_laptop, sql_rows

pytestmark = pytest.mark.postgres
INN = "7701000080"


def test_the_merged_copys_own_trail_lines_follow_it_to_the_servers_client(server, server_url, login_of, tmp_path):
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)
    opened: list = []
    try:
        first = join_laptop(tmp_path / "first.sqlite3", server_url, ann, opened)
        second = join_laptop(tmp_path / "second.sqlite3", server_url, ann, opened)
        add_client(first, ClientInput(name="ООО «Тета»", inn=INN, approach="remote"))
        add_client(second, ClientInput(name="ООО «Тета»", inn=INN, approach="onsite"))
        add_entry(second, INN, EntryInput(kind="conference", on_date=date(2026, 11, 20), minutes=30, note="второй"))
        sync_once(first)
        sync_once(second)  # its copy takes the server's UUID
        sync_once(first)
        [(server_uuid,)] = sql_rows(server, "SELECT uuid FROM client WHERE inn = :inn", inn=INN)
        assert sql_rows(second, "SELECT count(*) FROM audit_log WHERE client_uuid <> :u AND client_uuid <> ''",
                        u=server_uuid) == [(0,)]  # nothing left under the old UUID
        here = {(e.table, e.action) for e in client_history(second, INN, limit=None)}
        assert ("client", "insert") in here and ("work_log", "insert") in here  # its own creation and work
        assert len(client_history(second, INN, limit=None)) == len(client_history(server, INN, limit=None))
    finally:
        for db in opened:
            db.dispose()
