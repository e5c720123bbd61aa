"""Authorship and the audit trail: who and when for every write, `audit CLIENT`, append-only on the server."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client, get_client, update_client
from app.team.users import PROFILE_KEY, add_user, assign_client
from tests.team.conftest import PASSWORD, member_url

INN = "7707083893"


def _audit(cli) -> list[dict]:
    status, out, err = cli("audit", INN, "--json")
    assert status == 0, err
    return json.loads(out)


def test_every_audited_action_is_in_the_trail_with_author(cli, sqlite_path):
    assert cli("clients", "add", "--name", "ООО «Ромашка»", "--inn", INN, "--approach", "remote")[0] == 0
    db = open_database(f"sqlite:///{sqlite_path}")
    with db.unit() as s:
        s.execute(text("INSERT INTO setting(key, value) VALUES (:k, 'Иванова А. А.')"), {"k": PROFILE_KEY})
    db.dispose()
    assert cli("log", "add", INN, "--kind", "conference", "--date", "2024-07-02", "--minutes", "90")[0] == 0
    assert cli("log", "delete", "1")[0] == 0
    assert cli("checklist", "done", INN, "s1.lessons")[0] == 0
    status, _out, err = cli("stage", "advance", INN, "--force", "--reason", "по договорённости")
    assert status == 0, err
    assert cli("billing", "rate", "remote_hour", "1800", "--from", "2025-01-01")[0] == 0
    entries = _audit(cli)
    created = [e for e in entries if (e["table"], e["action"]) == ("client", "insert")]
    assert [e["new"] for e in created] == [f"{INN} ООО «Ромашка»"]  # made before the profile was named
    assert {e["author"] for e in entries if e not in created} == {"Иванова А. А."}
    found = {(e["table"], e["action"], e["field"]) for e in entries}
    assert ("work_log", "update", "deleted") in found  # a work-log delete, with old and new value
    assert ("client", "update", "stage") in found
    assert ("checklist_state", "insert", "") in found  # a tick
    stage = next(e for e in entries if e["field"] == "stage")
    assert (stage["old"], stage["new"]) == ("0", "1")
    deleted = next(e for e in entries if e["field"] == "deleted")
    assert (deleted["old"], deleted["new"]) == ("0", "1")
    status, out, _err = cli("audit", INN)
    assert status == 0 and "Иванова А. А." in out and "изменено" in out
    # the words of the card's «История изменений», not the program's field codes
    assert "Карточка · этап" in out and "client.stage" not in out and "stage_since" not in out
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        from app.team.audit import team_history

        tariff = [e for e in team_history(db) if e.table == "tariff"]
        assert [(e.action, e.new, e.author) for e in tariff] == [
            ("insert", "remote_hour 1800.00 с 2025-01-01", "Иванова А. А.")]
    finally:
        db.dispose()


def test_card_edit_records_old_and_new_value_and_the_row_author(db):
    client_id = add_client(db, ClientInput(name="ООО Старое", inn=INN, approach="remote"))
    with db.unit() as s:
        s.execute(text("INSERT INTO setting(key, value) VALUES (:k, 'Петров П. П.')"), {"k": PROFILE_KEY})
    data = ClientInput(name="ООО Новое", inn=INN, approach="remote")
    update_client(db, client_id, data)
    with db.read() as s:
        rows = s.execute(text("SELECT field, old_value, new_value, author FROM audit_log "
                              "WHERE table_name = 'client' AND field = 'name'")).all()
        by = s.execute(text("SELECT updated_by FROM client")).scalar()
    # on SQLite the local profile's name; on PostgreSQL the signed-in login (the test server's superuser)
    author = "Петров П. П." if db.is_sqlite else make_url(db.url).username
    assert [tuple(r) for r in rows] == [("name", "ООО Старое", "ООО Новое", author)]
    assert by == author


@pytest.mark.postgres
def test_server_trail_is_append_only_for_non_admins_and_authored_by_the_login(server, server_url, login_of):
    ann, root = login_of("ann"), login_of("root")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)
    add_user(server, root, "Админ", "admin", PASSWORD)
    add_client(server, ClientInput(name="ООО Анна", inn=INN, approach="remote"))
    assign_client(server, INN, specialist=ann)
    ann_db = open_database(member_url(server_url, ann))
    try:
        client_id = get_client(ann_db, INN).id
        update_client(ann_db, client_id, ClientInput(name="ООО Анна и К", inn=INN, approach="remote"))
    finally:
        ann_db.dispose()
    engine = create_engine(member_url(server_url, ann))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT author, old_value, new_value FROM audit_log WHERE field = 'name'")).all()
        assert [tuple(r) for r in rows] == [(ann, "ООО Анна", "ООО Анна и К")]
        # RLS gives a non-admin no row to delete or update (and a trigger refuses if RLS were bypassed)
        assert conn.execute(text("DELETE FROM audit_log")).rowcount == 0
        assert conn.execute(text("UPDATE audit_log SET new_value = 'подделка'")).rowcount == 0
        conn.commit()
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE new_value = 'ООО Анна и К'")).scalar() == 1
        with pytest.raises(Exception, match="row-level security"):  # cannot write under someone else's name
            conn.execute(text("INSERT INTO audit_log(uuid, at, author, client_uuid, table_name, record_uuid, "
                              "action, field) VALUES ('x', now(), 'boss', '', 'client', 'x', 'update', 'name')"))
    engine.dispose()
    owner = create_engine(server.url)
    with owner.begin() as conn:  # even with row-level security bypassed, the trigger keeps the trail
        conn.execute(text(f'ALTER ROLE "{ann}" BYPASSRLS'))
    owner.dispose()
    engine = create_engine(member_url(server_url, ann))
    with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("DELETE FROM audit_log"))
    engine.dispose()
    admin = create_engine(member_url(server_url, root))
    with admin.begin() as conn:
        assert conn.execute(text("DELETE FROM audit_log WHERE field = 'name'")).rowcount == 1
    admin.dispose()
