"""A client deleted by one member while another edited it offline (the trial of issue 17): the edit brings the client
back everywhere, but its work-log entry, deleted with it by the cascade, got a tombstone with no logins, which no
member may read (row-level security): the manager's laptop kept the entry for ever. The children's tombstones now
carry the deleted client's logins, so every member who saw the client takes the deletion and the laptops agree."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.services.clients import delete_client, get_client, update_client
from app.services.worklog_read import list_entries
from app.sync.service import sync_once
from tests.team.conftest import sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"  # entry_pair's client, with its entry «E»


def _notes(db) -> list[str]:
    return [r.note for r in list_entries(db, INN).rows]


def test_the_deleted_clients_records_leave_the_editing_managers_laptop_too(entry_pair, server):
    a, b, ann, boss = entry_pair
    assert _notes(a) == ["E"] and _notes(b) == ["E"]
    delete_client(a, get_client(a, INN).id)
    sync_once(a)
    stones = sql_rows(server, "SELECT specialist_login, manager_login FROM sync_tombstone "
                              "WHERE table_name = 'work_log'")
    assert stones == [(ann, boss)]  # the cascade's tombstone names the client's people, not NULL
    mine = get_client(b, INN)  # «b», offline, edits the card: delete against edit, the edit wins
    update_client(b, mine.id, replace(mine.data, notes="перезвонить"))
    sync_once(b)
    sync_once(a)
    sync_once(b)
    for db in (a, b, server):
        assert get_client(db, INN).data.notes == "перезвонить"
        # the entry was deleted with the client, which the edit kept: it is back on every computer (the tester's
        # report of 2026-12-05: before, it was on none, and its unbilled work was lost)
        assert _notes(db) == ["E"]
    totals = {list_entries(db, INN).totals.money for db in (a, b, server)}
    assert len(totals) == 1  # one billable total everywhere
    assert sync_once(b).pushed == 0 and sync_once(a).pushed == 0


def test_a_client_deleted_without_conflict_takes_its_records_from_the_managers_laptop(entry_pair, server):
    a, b, _ann, _boss = entry_pair
    delete_client(a, get_client(a, INN).id)
    sync_once(a)
    sync_once(b)
    assert sql_rows(server, "SELECT count(*) FROM work_log")[0][0] == 0
    with b.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT count(*) FROM work_log")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM client")).scalar() == 0


def test_a_members_own_setting_cannot_name_other_people_on_the_tombstones(entry_pair, server, server_url):
    """The logins are stashed for the transaction by a trigger on the client's deletion, which overwrites whatever
    the deleting member set in their session beforehand."""
    from sqlalchemy import create_engine, text

    from tests.team.conftest import member_url

    _a, _b, ann, boss = entry_pair
    cid = sql_rows(server, "SELECT id FROM client WHERE inn = :inn", inn=INN)[0][0]
    engine = create_engine(member_url(server_url, ann))
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config(:name, :value, false)"),
                         {"name": f"vn.client_{cid}", "value": '["mallory", "mallory"]'})
            conn.execute(text("DELETE FROM client WHERE id = :id"), {"id": cid})
    finally:
        engine.dispose()
    stones = sql_rows(server, "SELECT table_name, specialist_login, manager_login FROM sync_tombstone "
                              "ORDER BY table_name")
    assert stones == [("client", ann, boss), ("work_log", ann, boss)]



def test_tombstones_that_name_nobody_from_before_the_fix_reach_the_laptops_after_server_init(entry_pair, server,
                                                                                               server_url):
    """A server whose client was deleted before the deletion stashed its logins holds its records' tombstones with
    no logins, read by no member (the manager who edited the client offline kept its entry for ever): `server
    init` (run on every upgrade) opens them to all, as the tombstones older than the rule are."""
    from sqlalchemy import text

    from app.team.server import init_server

    a, b, _ann, _boss = entry_pair
    delete_client(a, get_client(a, INN).id)
    sync_once(a)
    with server.engine.begin() as conn:  # as the server of the last version wrote them
        conn.execute(text("UPDATE sync_tombstone SET specialist_login = NULL, manager_login = NULL "
                          "WHERE table_name = 'work_log'"))
    init_server(server_url).dispose()
    assert sql_rows(server, "SELECT specialist_login FROM sync_tombstone WHERE table_name = 'work_log'") == [("*",)]
    mine = get_client(b, INN)  # «b», offline, edits the card: the client comes back, and its entry with it
    update_client(b, mine.id, replace(mine.data, notes="перезвонить"))
    sync_once(b)
    assert get_client(b, INN).data.notes == "перезвонить" and _notes(b) == ["E"]


def test_a_client_back_after_its_deletion_lost_to_an_edit_exports_without_its_tombstone(entry_pair, tmp_path):
    """The trial: the bundle of a client that came back on the laptop that had deleted it carried the client's own
    tombstone beside it, and every database refused it, even an empty one («удалена здесь», exit 0)."""
    from app.exchange.bundle_export import export_bundle
    from app.exchange.bundle_import import import_bundle
    from app.persistence.db import open_database

    a, b, _ann, _boss = entry_pair
    delete_client(a, get_client(a, INN).id)
    mine = get_client(b, INN)  # «b», offline, edits the card: the edit wins, the client comes back on «a»
    update_client(b, mine.id, replace(mine.data, notes="перезвонить"))
    sync_once(a)
    sync_once(b)
    sync_once(a)
    assert get_client(a, INN).data.notes == "перезвонить"
    export_bundle(a, [INN], tmp_path / "back.zip")
    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        report = import_bundle(fresh, tmp_path / "back.zip", backup=False).report
        assert not report.refused
        assert get_client(fresh, INN).data.notes == "перезвонить"
    finally:
        fresh.dispose()
