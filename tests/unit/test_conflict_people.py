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


def test_the_history_names_the_members_of_a_change_of_person(db):
    """The trial's «Карточка · ответственный специалист ivanova → petrov» and «Чек-лист · кто … ivanova → mgr»:
    the card's history and `audit` show the members' names, as they show the author's."""
    from sqlalchemy import select

    from app.persistence.models import Client
    from app.team.audit import client_history_lines

    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    with db.unit() as s:
        s.add(TeamUser(login="ivanova", full_name="Иванова Анна", position="", role="specialist"))
        s.add(TeamUser(login="petrov", full_name="Петров Пётр", position="", role="specialist"))
    for login in ("ivanova", "petrov"):  # as `team assign` writes it, through the session (its audit hook)
        with db.unit() as s:
            s.scalar(select(Client)).specialist_login = login
    lines = [line for line in client_history_lines(db, "7707083893") if "специалист" in line.what]
    assert [(line.old, line.new) for line in lines] == [("Иванова Анна", "Петров Пётр"), ("—", "Иванова Анна")]
