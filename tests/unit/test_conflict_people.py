"""A conflict over a person (a stage move's or a tick's «кто», a client's specialist or manager) reads as the
members' names in «sync conflicts» and the window, as the history does — not as logins (the re-trial)."""

from __future__ import annotations

import json

from app.persistence.models import SyncConflict, TeamUser, utcnow
from app.services.clients import ClientInput, add_client, get_client
from app.sync.service import conflict_lines


def test_a_conflict_over_a_person_names_the_members(db):
    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    uuid = get_client(db, "7707083893").uuid
    with db.unit() as s:
        s.add(TeamUser(login="ivanova", full_name="Иванова Анна", position="", role="specialist"))
        s.add(TeamUser(login="petrov", full_name="Петров Пётр", position="", role="specialist"))
        s.add(SyncConflict(at=utcnow(), table_name="client", record_uuid=uuid, client_uuid=uuid, kind="field",
                           field="specialist_login", local_value=json.dumps("ivanova"),
                           server_value=json.dumps("petrov"), kept="server", resolved=False))
        s.add(SyncConflict(at=utcnow(), table_name="client", record_uuid=uuid, client_uuid=uuid, kind="field",
                           field="manager_login", local_value=json.dumps("sidorov"),
                           server_value=json.dumps(""), kept="server", resolved=False))
    first, second = conflict_lines(db)
    assert (first.local, first.server) == ("Иванова Анна", "Петров Пётр")
    assert (second.local, second.server) == ("sidorov", "")  # a login the roster does not list stays as it is
