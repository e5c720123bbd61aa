"""Team server: users as PostgreSQL roles (scram-sha-256), row-level security, «Мои заказчики»."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from app.errors import UserError
from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.team.users import add_user, assign_client, disable_user, list_users, my_client_ids
from tests.team.conftest import PASSWORD, member_url

pytestmark = pytest.mark.postgres

INN_A, INN_B, INN_C = "7707083893", "7728168971", "7702070139"


@pytest.fixture
def team(server, server_url, login_of):
    """A manager with two specialists, and a client of each specialist plus one of nobody."""
    boss, ann, bob = login_of("boss"), login_of("ann"), login_of("bob")
    add_user(server, boss, "Петрова Мария", "manager", PASSWORD, position="Руководитель")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист", manager=boss)
    add_user(server, bob, "Сидоров Борис", "specialist", PASSWORD, manager=boss)
    for name, inn in (("ООО Анна", INN_A), ("ООО Борис", INN_B), ("ООО Ничей", INN_C)):
        add_client(server, ClientInput(name=name, inn=inn, approach="remote"))
    assign_client(server, INN_A, specialist=ann)
    assign_client(server, INN_B, specialist=bob)
    return {"boss": boss, "ann": ann, "bob": bob}


def _raw(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).all()
    finally:
        engine.dispose()


def test_password_is_stored_as_scram(server, team):
    rows = _raw(server.url, f"SELECT rolpassword FROM pg_authid WHERE rolname = '{team['ann']}'")
    assert rows[0][0].startswith("SCRAM-SHA-256$")


def test_specialist_reads_zero_rows_of_another_specialists_client_even_by_hand(server, server_url, team):
    ann_url = member_url(server_url, team["ann"])
    assert _raw(ann_url, f"SELECT name FROM client WHERE inn = '{INN_B}'") == []
    assert [r[0] for r in _raw(ann_url, "SELECT name FROM client")] == ["ООО Анна"]
    # what a client owns follows the client: Bob's client's contact is invisible to Ann
    owner = create_engine(server.url)
    with owner.begin() as conn:
        conn.execute(text("INSERT INTO contact(uuid, updated_at, client_id, name, position, phone, email) "
                          "SELECT md5(inn)::uuid::text, now(), id, 'Контакт ' || name, '', '', '' FROM client"))
    owner.dispose()
    assert _raw(ann_url, "SELECT name FROM contact") == [("Контакт ООО Анна",)]
    assert _raw(ann_url, f"SELECT count(*) FROM contact e JOIN client c ON c.id = e.client_id "
                         f"WHERE c.inn = '{INN_B}'")[0][0] == 0


def test_manager_sees_the_clients_of_their_specialists_admin_everything(server, server_url, team, login_of):
    boss_url = member_url(server_url, team["boss"])
    assert sorted(r[0] for r in _raw(boss_url, "SELECT name FROM client")) == ["ООО Анна", "ООО Борис"]
    admin = login_of("root")
    add_user(server, admin, "Админ Админович", "admin", PASSWORD)
    assert len(_raw(member_url(server_url, admin), "SELECT name FROM client")) == 3


def test_specialist_cannot_write_into_another_specialists_client(server, server_url, team):
    ann_url = member_url(server_url, team["ann"])
    engine = create_engine(ann_url)
    with engine.begin() as conn:
        changed = conn.execute(text(f"UPDATE client SET notes = 'взлом' WHERE inn = '{INN_B}'")).rowcount
    engine.dispose()
    assert changed == 0
    assert _raw(server.url, f"SELECT notes FROM client WHERE inn = '{INN_B}'") == [("",)]


def test_a_client_a_specialist_creates_is_theirs_and_my_clients_filter(server, server_url, team):
    ann_db = open_database(member_url(server_url, team["ann"]))
    try:
        add_client(ann_db, ClientInput(name="ООО Новый", inn="7736050003", approach="onsite"))
        with ann_db.read() as session:
            row = session.execute(text("SELECT specialist_login, manager_login, updated_by FROM client "
                                       "WHERE inn = '7736050003'")).one()
        assert tuple(row) == (team["ann"], team["boss"], team["ann"])
        assert len(my_client_ids(ann_db)) == 2
    finally:
        ann_db.dispose()
    boss_db = open_database(member_url(server_url, team["boss"]))
    try:
        assert len(my_client_ids(boss_db)) == 3  # the manager of all three
    finally:
        boss_db.dispose()


def test_rows_get_versions_from_one_server_sequence(server, team):
    rows = _raw(server.url, "SELECT row_version FROM client ORDER BY id")
    versions = [r[0] for r in rows]
    assert all(v > 0 for v in versions) and len(set(versions)) == 3


def test_disabled_member_cannot_sign_in_and_is_listed_inactive(server, server_url, team):
    disable_user(server, team["bob"])
    with pytest.raises(Exception, match="not permitted to log in"):
        _raw(member_url(server_url, team["bob"]), "SELECT 1")
    listed = {m.login: m.active for m in list_users(server)}
    assert listed[team["bob"]] is False and listed[team["ann"]] is True


def test_wrong_password_is_refused(server, server_url, team):
    with pytest.raises(Exception, match="password authentication failed"):
        _raw(member_url(server_url, team["ann"], "wrong password"), "SELECT 1")


def test_bad_member_input_is_refused_in_russian(server, team):
    with pytest.raises(UserError, match="уже занят"):
        add_user(server, team["ann"], "Двойник", "specialist", PASSWORD)
    with pytest.raises(UserError, match="слишком короткий"):
        add_user(server, "newbie_x1", "Новичок", "specialist", "123")
    with pytest.raises(UserError, match="Неизвестная роль"):
        add_user(server, "newbie_x2", "Новичок", "boss", PASSWORD)
    with pytest.raises(UserError, match="не подходит"):
        add_user(server, "Robert'); DROP", "Новичок", "specialist", PASSWORD)


def test_a_manager_reassigns_clients_a_specialist_cannot_give_theirs_away(server, server_url, team):
    boss_db = open_database(member_url(server_url, team["boss"]))
    try:
        assert assign_client(boss_db, INN_A, specialist=team["bob"]) == (team["bob"], team["boss"])
    finally:
        boss_db.dispose()
    bob_db = open_database(member_url(server_url, team["bob"]))
    try:
        with pytest.raises(UserError, match="Ничего не изменено"):
            assign_client(bob_db, INN_A, specialist=team["ann"], manager="")
    finally:
        bob_db.dispose()
    assert _raw(server.url, f"SELECT specialist_login FROM client WHERE inn = '{INN_A}'") == [(team["bob"],)]


def test_specialists_issuing_online_share_one_series_though_they_see_only_their_own(server, server_url, team):
    from datetime import date

    from sqlalchemy import select

    from app.persistence.models import Client, Document
    from app.services.documents.register import next_number as _next_number

    issued = []
    for login, inn in ((team["ann"], INN_A), (team["bob"], INN_B), (team["ann"], INN_A)):
        db = open_database(member_url(server_url, login))
        try:
            with db.unit() as s:
                number = _next_number(s, "act", 2026)
                s.add(Document(client_id=s.scalar(select(Client.id).where(Client.inn == inn)), kind="act",
                               year=2026, number=number, issued_on=date(2026, 3, 1), content="{}"))
            issued.append(number)
        finally:
            db.dispose()
    assert issued == [1, 2, 3]
