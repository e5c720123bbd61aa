"""The team server on any PostgreSQL ≥ 14: what a member's own session objects cannot change, the public
schema's CREATE right that PostgreSQL 14 gives everyone, and the refusal of an older server."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.errors import UserError
from app.services.clients import ClientInput, add_client
from app.team.users import add_user, assign_client
from tests.conftest import PG_URL
from tests.team.conftest import PASSWORD, member_url

pytestmark = pytest.mark.postgres

INN_A, INN_B = "7707083893", "7728168971"


@pytest.fixture
def team(server, login_of):
    ann, bob = login_of("ann"), login_of("bob")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD)
    add_user(server, bob, "Сидоров Борис", "specialist", PASSWORD)
    for name, inn, who in (("ООО Анна", INN_A, ann), ("ООО Борис", INN_B, bob)):
        add_client(server, ClientInput(name=name, inn=inn, approach="remote"))
        assign_client(server, inn, specialist=who)
    return {"ann": ann, "bob": bob}


def _owner(server, sql: str, **params):
    engine = create_engine(server.url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def test_a_temporary_team_user_table_does_not_make_a_specialist_an_admin(server, server_url, team):
    engine = create_engine(member_url(server_url, team["ann"]))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TEMP TABLE team_user (login text, role text, active bool, manager_login text)"))
            conn.execute(text("INSERT INTO team_user VALUES (current_user, 'admin', true, '')"))
            assert conn.execute(text("SELECT name FROM client")).all() == [("ООО Анна",)]
            assert conn.execute(text(f"UPDATE client SET notes = 'взлом' WHERE inn = '{INN_B}'")).rowcount == 0
    finally:
        engine.dispose()


def test_temporary_objects_do_not_change_versions_deletions_or_document_numbers(server, server_url, team):
    before = _owner(server, "SELECT last_value FROM vn_row_version")[0][0]
    _owner(server, "INSERT INTO contact(uuid, updated_at, client_id, name, position, phone, email) "
                   "SELECT md5(inn)::uuid::text, now(), id, 'Контакт', '', '', '' FROM client WHERE inn = :inn",
           inn=INN_A)
    engine = create_engine(member_url(server_url, team["ann"]))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TEMP SEQUENCE vn_row_version START 1"))
            conn.execute(text("CREATE TEMP TABLE sync_tombstone (LIKE public.sync_tombstone INCLUDING DEFAULTS)"))
            conn.execute(text("CREATE TEMP TABLE number_block (LIKE public.number_block INCLUDING DEFAULTS)"))
            conn.execute(text("CREATE TEMP TABLE document (LIKE public.document INCLUDING DEFAULTS)"))
            conn.execute(text("INSERT INTO document (client_id, kind, year, number, issued_on, series, content, "
                              "uuid, updated_at, updated_by, row_version, void_reason) VALUES (0, 'act', 2026, "
                              "900, '2026-01-01', '', '', 'x', now(), '', 0, '')"))
            conn.execute(text(f"UPDATE client SET notes = 'заметка' WHERE inn = '{INN_A}'"))
            conn.execute(text("DELETE FROM contact"))
            first = conn.execute(text("SELECT vn_reserve_numbers('act', 2026, 20)")).scalar()
    finally:
        engine.dispose()
    assert _owner(server, "SELECT row_version > :v FROM client WHERE inn = :inn", v=before, inn=INN_A) == [(True,)]
    assert len(_owner(server, "SELECT 1 FROM sync_tombstone WHERE table_name = 'contact'")) == 1
    assert first == 1  # the temporary «document 900» was not seen
    assert _owner(server, "SELECT first, last FROM number_block WHERE kind = 'act'") == [(1, 20)]


def test_init_takes_back_the_create_right_postgresql_14_gives_everyone_on_public(server_url, login_of):
    from app.team.server import init_server

    _super(server_url, "GRANT CREATE ON SCHEMA public TO PUBLIC")  # PostgreSQL 14's default
    db = init_server(server_url)
    ann = login_of("ann")
    add_user(db, ann, "Иванова Анна", "specialist", PASSWORD)
    db.dispose()
    engine = create_engine(member_url(server_url, ann))
    try:
        with pytest.raises(Exception, match="permission denied for schema public"), engine.begin() as conn:
            conn.execute(text("CREATE FUNCTION public.vn_trap(text) RETURNS text LANGUAGE sql AS $$ SELECT $1 $$"))
    finally:
        engine.dispose()


def test_init_refuses_when_the_create_right_on_public_cannot_be_taken_back(login_of):
    """A database owner who is not the owner of public (PostgreSQL 14 on a managed server): refused, naming
    the command the schema's owner runs."""
    from app.team.server import init_server

    owner = login_of("owner")
    name = f"vn_test_{uuid.uuid4().hex[:12]}"
    _super(PG_URL, f'CREATE ROLE "{owner}" LOGIN CREATEROLE', f'CREATE DATABASE "{name}" OWNER "{owner}"')
    url = make_url(PG_URL).set(database=name)
    superuser = make_url(PG_URL).username
    _super(url.render_as_string(hide_password=False), f'ALTER SCHEMA public OWNER TO "{superuser}"',
           "GRANT CREATE ON SCHEMA public TO PUBLIC")
    with pytest.raises(UserError, match="REVOKE CREATE ON SCHEMA public FROM PUBLIC"):
        init_server(url.set(username=owner, password=None).render_as_string(hide_password=False))


def test_a_postgresql_older_than_14_is_refused_before_anything_changes(server_url, monkeypatch):
    from app.team import server as team_server

    assert team_server.server_version(server_url) >= team_server.MIN_VERSION  # the one the tests run on
    monkeypatch.setattr(team_server, "server_version", lambda url: 130011)
    with pytest.raises(UserError) as refused:
        team_server.init_server(server_url)
    assert refused.value.full_text() == ("Серверу команды нужен PostgreSQL 14 или новее; на этом сервере "
                                         "PostgreSQL 13.11. Ничего не изменено.")
    assert _super(server_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
    team_server.check_version(140000)  # 14.0 itself is enough


def test_server_init_on_an_older_postgresql_exits_2_in_russian(server_url, monkeypatch, capsys):
    from app.cli import run
    from app.team import server as team_server

    monkeypatch.setattr(team_server, "server_version", lambda url: 120019)
    assert run(["server", "init", "--database-url", server_url]) == 2
    err = capsys.readouterr().err
    assert "PostgreSQL 14 или новее" in err and "12.19" in err and "Traceback" not in err


def _super(url: str, *statements: str):
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            rows = None
            for sql in statements:
                result = conn.execute(text(sql))
                rows = result.all() if result.returns_rows else None
            return rows
    finally:
        engine.dispose()
