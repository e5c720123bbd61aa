"""Issue 17: a client with issued documents is not deleted by a member (the FK cascade would take its documents and
billed work past the document triggers: it runs as the tables' owner) — on the server against psql, and on a
team laptop before anything is deleted; what the app allows still syncs."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select

from app.persistence.models import Client, Document, WorkLogEntry
from app.services.clients import ClientInput, add_client
from app.sync.service import sync_once
from app.team.pg_refusals import INSUFFICIENT_PRIVILEGE, server_refusal
from app.team.users import add_user
from tests.team.conftest import PASSWORD
from tests.team.test_server_immutability import INN, bill, psql

pytestmark = pytest.mark.postgres

OTHER_INN = "500100732259"  # a second client, with no documents


def counts(server) -> tuple[int, int, int]:
    with server.read() as s:
        return (s.scalar(select(func.count()).select_from(Client)) or 0,
                s.scalar(select(func.count()).select_from(Document)) or 0,
                s.scalar(select(func.count()).select_from(WorkLogEntry)) or 0)


def test_a_member_in_psql_cannot_delete_a_client_with_issued_documents(entry_pair, server, server_url):
    a, _b, ann, boss = entry_pair
    bill(a, "E")
    sync_once(a)
    add_client(server, ClientInput(name="ООО «Лютик»", inn=OTHER_INN, approach="remote"))
    from app.team.users import assign_client

    assign_client(server, OTHER_INN, specialist=ann)
    before = counts(server)
    assert before == (2, 1, 1)
    for login in (ann, boss):  # the specialist and her manager both see the client
        with psql(server_url, login) as conn:
            assert conn.execute(f"SELECT count(*) FROM client WHERE inn = '{INN}'").fetchone()[0] == 1
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
                conn.execute(f"DELETE FROM client WHERE inn = '{INN}'")
            assert refused.value.sqlstate == INSUFFICIENT_PRIVILEGE
            assert str(server_refusal(refused.value)) == (
                "Заказчик с выданными документами хранится командой: его документы никогда не удаляются, "
                "поэтому такого заказчика удаляет только администратор команды. Ничего не изменено.")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM client")  # all at once: the one with documents stops the statement
    assert counts(server) == before
    # a client without documents is still deleted by its specialist (the app allows it)
    with psql(server_url, ann) as conn:
        conn.execute(f"DELETE FROM client WHERE inn = '{OTHER_INN}'")
    assert counts(server) == (1, 1, 1)


def test_a_voided_act_keeps_its_client_too(entry_pair, server, server_url):
    """A voided act is never deleted either (vn_document_kept): its client stays with it."""
    from app.services.documents import void_document
    from tests.team.test_server_immutability import act_id

    a, _b, ann, _boss = entry_pair
    number = bill(a, "E")
    sync_once(a)
    void_document(a, act_id(a, number), "ошибка")
    sync_once(a)
    with psql(server_url, ann) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"DELETE FROM client WHERE inn = '{INN}'")
    assert counts(server) == (1, 1, 1)


def test_an_administrator_may_delete_such_a_client(entry_pair, server, server_url, login_of):
    a, _b, _ann, _boss = entry_pair
    bill(a, "E")
    sync_once(a)
    chief = login_of("chief")
    add_user(server, chief, "Сидоров Пётр", "admin", PASSWORD)
    with psql(server_url, chief) as conn:
        conn.execute(f"DELETE FROM client WHERE inn = '{INN}'")
    assert counts(server) == (0, 0, 0)


def test_on_a_team_laptop_a_specialist_is_refused_before_anything_is_deleted(entry_pair, server):
    from app.errors import UserError
    from app.exchange.client_undo import delete_client
    from app.services.clients import delete_client as delete_plain
    from app.sync.service import pending_count

    a, b, _ann, _boss = entry_pair
    bill(a, "E")
    sync_once(a)
    sync_once(b)
    for db in (a, b):  # the specialist and the manager: neither is the team's administrator
        with db.read() as s:
            cid = s.scalar(select(Client.id))
        for delete in (delete_client, delete_plain):
            with pytest.raises(UserError) as refused:
                delete(db, cid)
            assert "удаляет только администратор команды" in str(refused.value)
        assert counts(db) == (1, 1, 1)
        assert pending_count(db) == 0
        sync_once(db)
    assert counts(server) == (1, 1, 1)


def test_a_client_without_documents_deleted_on_a_laptop_goes_from_the_server_and_the_other_laptop(
        entry_pair, server):
    from app.exchange.client_undo import delete_client

    a, b, _ann, _boss = entry_pair
    with a.read() as s:
        cid = s.scalar(select(Client.id))
    delete_client(a, cid)
    sync_once(a)
    assert counts(server) == (0, 0, 0)
    sync_once(b)
    assert counts(b) == (0, 0, 0)


def test_an_administrators_laptop_deletes_a_client_with_documents(entry_pair, server, server_url, login_of,
                                                                  tmp_path):
    from app.exchange.client_undo import delete_client
    from app.persistence.db import open_database
    from app.sync.sync_setup import setup
    from tests.team.conftest import plain_url

    a, _b, _ann, _boss = entry_pair
    bill(a, "E")
    sync_once(a)
    chief = login_of("chief")
    add_user(server, chief, "Сидоров Пётр", "admin", PASSWORD)
    c = open_database(f"sqlite:///{tmp_path / 'chief.sqlite3'}")
    try:
        setup(c, plain_url(server_url, chief), PASSWORD)
        sync_once(c)
        assert counts(c) == (1, 1, 1)
        with c.read() as s:
            cid = s.scalar(select(Client.id))
        delete_client(c, cid)
        sync_once(c)
        assert counts(server) == (0, 0, 0)
    finally:
        c.dispose()
