"""A sync sends no record holding a value another program wrote that the program cannot use
(app.persistence.unusable_records): a kind «ufo» reached the team server as it was, a date «2026-13-45» stopped
the sync with «month must be in 1..12» and a stage 9 with the server's vague refusal. The sync now stops before
it sends anything, naming the value; once the value is corrected the same changes go. (A reference to nothing
goes as none, and the server's merge answers it: tests/team/test_server_immutability.py.)"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import text

from app.errors import UserError
from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync.service import pending_count, sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user, assign_client
from tests.team.conftest import PASSWORD, plain_url

pytestmark = pytest.mark.postgres

INN = "7707083893"


def _sql(path, query: str) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute(query)
    con.close()


@pytest.mark.parametrize(("damage", "named", "mend"), [
    ("UPDATE work_log SET kind = 'ufo'", "kind: «ufo»", "UPDATE work_log SET kind = 'conference'"),
    ("UPDATE work_log SET on_date = '2026-13-45'", "on_date: «2026-13-45»",
     "UPDATE work_log SET on_date = '2026-11-12'"),
    ("UPDATE client SET stage = 9", "stage: «9»", "UPDATE client SET stage = 0"),
])
def test_a_record_the_program_cannot_use_stops_the_sync_before_anything_is_sent(
        server, server_url, login_of, tmp_path, damage, named, mend):
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    add_client(server, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=ann)
    path = tmp_path / "ann.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        setup(db, plain_url(server_url, ann), PASSWORD)
        sync_once(db)
        add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 11, 12), minutes=60, note="созвон"))
        if damage.startswith("UPDATE client"):  # the card changed here too, so that it is in the batch
            _sql(path, "UPDATE client SET city = 'Клин'")
            _sql(path, "INSERT INTO sync_outbox (table_name, record_uuid, deleted) "
                       "SELECT 'client', uuid, 0 FROM client WHERE NOT EXISTS "
                       "(SELECT 1 FROM sync_outbox WHERE table_name = 'client')")
        _sql(path, damage)
        waiting = pending_count(db)
        with pytest.raises(UserError) as err:
            sync_once(db)
        said = err.value.message
        assert named in said and "Traceback" not in said, said
        with server.engine.connect() as conn:  # nothing of the batch reached the server
            assert conn.execute(text("SELECT count(*) FROM work_log")).scalar() == 0
            assert conn.execute(text("SELECT stage, city FROM client")).one() == (0, "")
        assert pending_count(db) == waiting  # every change still waits here
        _sql(path, mend)
        sync_once(db)
        with server.engine.connect() as conn:
            assert conn.execute(text("SELECT kind, on_date, billed_by_document_id FROM work_log")).all() == [
                ("conference", date(2026, 11, 12), None)]
        assert pending_count(db) == 0
    finally:
        db.dispose()
