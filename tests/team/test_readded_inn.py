"""A client deleted and added again with the same ИНН before the laptop syncs (the re-trial of 2026-12-01): the
sync spun for ever on the old client's deletion, and the laptop ended with the old client instead of the new.
The deletion now goes first: the server and the laptop hold the new client only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.persistence.models import Client
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client, delete_client
from app.sync.service import status_text, sync_once

pytestmark = pytest.mark.postgres
INN = "7701000019"


def test_a_client_deleted_and_added_again_with_its_inn_is_the_new_one_everywhere(entry_pair, server):
    a, _b, _ann, _boss = entry_pair
    first = add_client(a, ClientInput(name="Икс", inn=INN, approach="remote"))
    sync_once(a)
    delete_client(a, first)
    add_client(a, ClientInput(name="Игрек", inn=INN, approach="remote"))
    sync_once(a)
    assert [c.name for c in list_clients(a) if c.inn == INN] == ["Игрек"]
    assert [c.name for c in list_clients(server) if c.inn == INN] == ["Игрек"]
    assert sync_once(a).pushed == 0  # nothing left behind


def test_a_batch_that_leaves_its_records_queued_stops_the_sync_instead_of_spinning(entry_pair, monkeypatch):
    """The guard behind that fix: whatever keeps a record in the outbox after its push, the sync stops at it in one
    Russian sentence (exit 2 from the CLI) instead of pushing the same batch for ever."""
    import app.sync.pushing as pushing
    from app.errors import UserError

    a, _b, _ann, _boss = entry_pair
    add_client(a, ClientInput(name="Игрек", inn=INN, approach="remote"))
    monkeypatch.setattr(pushing, "_apply", lambda *args, **kwargs: 0)  # the laptop's side never takes the result
    with pytest.raises(UserError) as err:
        sync_once(a)
    assert "Игрек" in err.value.full_text() and "остаётся в очереди" in err.value.full_text()


def _names(db, inn=INN):
    return [c.name for c in list_clients(db) if c.inn == inn]


def test_another_laptop_takes_the_deletion_before_the_new_client_of_the_same_inn(entry_pair, server):
    """Laptop «b» pulled the new client before the old one's deletion: its own unique ИНН refused it, said as the
    server's refusal, and «b» never synced again."""
    a, b, _ann, _boss = entry_pair
    first = add_client(a, ClientInput(name="Икс", inn=INN, approach="remote"))
    sync_once(a)
    sync_once(b)
    assert _names(b) == ["Икс"]
    delete_client(a, first)
    add_client(a, ClientInput(name="Игрек", inn=INN, approach="remote"))
    sync_once(a)
    report = sync_once(b)
    assert _names(b) == ["Игрек"] and report.conflicts == 0
    assert sync_once(b).pushed == 0 and _names(server) == ["Игрек"]


def test_a_deleted_client_edited_offline_joins_the_new_client_of_its_inn(entry_pair, server):
    """«b» edited the client offline that «a» deleted and added again under the same ИНН: the edit is a
    delete-against-edit conflict, and «b»'s client (one company, one ИНН) becomes the new one, with «b»'s note."""
    from app.services.clients import get_client, update_client

    a, b, _ann, _boss = entry_pair
    first = add_client(a, ClientInput(name="Икс", inn=INN, approach="remote"))
    sync_once(a)
    sync_once(b)
    mine = get_client(b, INN)
    delete_client(a, first)
    add_client(a, ClientInput(name="Игрек", inn=INN, approach="remote"))
    sync_once(a)
    update_client(b, mine.id, replace(mine.data, notes="позвонить в понедельник"))
    sync_once(b)
    sync_once(b)
    assert _names(b) == ["Игрек"] and _names(server) == ["Игрек"]
    assert get_client(server, INN).data.notes == "позвонить в понедельник"
    sync_once(a)
    assert _names(a) == ["Игрек"] and get_client(a, INN).data.notes == "позвонить в понедельник"


def test_a_laptop_database_that_refuses_a_pulled_row_is_said_as_the_laptops_not_the_servers(entry_pair):
    """A local SQLite error in the pull (here a trigger of this laptop's file) was reported as «Командный сервер
    отказал…»: it is the laptop's, said so, with the status line; nothing is half-taken, and the next sync takes
    the row once the laptop's database accepts it again."""
    from sqlalchemy import text

    from app.errors import UserError
    from app.sync.service import status_text

    a, b, _ann, _boss = entry_pair
    add_client(a, ClientInput(name="Икс", inn=INN, approach="remote"))
    sync_once(a)
    with b.engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER no_clients BEFORE INSERT ON client BEGIN SELECT RAISE(ABORT, 'no'); END"))
    with pytest.raises(UserError) as err:
        sync_once(b)
    said = err.value.full_text()
    assert "на этом ноутбуке, а не на сервере" in said and "сервер отказал" not in said.lower()
    assert status_text(b).startswith("Синхронизация остановилась на ноутбуке")
    assert _names(b) == []
    with b.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER no_clients"))
    sync_once(b)
    assert _names(b) == ["Икс"]


def test_a_read_only_laptop_database_during_a_sync_is_one_sentence_without_tracebacks(entry_pair, capsys):
    """The trial: a read-only laptop file printed 84 lines of English log and two tracebacks, blamed the disk and
    promised a retry that fails the same way."""
    from sqlalchemy import event

    from app.errors import UserError

    a, b, _ann, _boss = entry_pair
    add_client(a, ClientInput(name="Икс", inn=INN, approach="remote"))
    sync_once(a)
    capsys.readouterr()

    def read_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only = 1")

    event.listen(b.engine, "connect", read_only)
    b.engine.dispose()
    try:
        with pytest.raises(UserError) as err:
            sync_once(b)
        # the failure could not be written into the read-only file; the status line says it all the same
        assert status_text(b).startswith("Синхронизация остановилась на ноутбуке")
    finally:
        event.remove(b.engine, "connect", read_only)
        b.engine.dispose()
    said = err.value.full_text()
    assert "файл базы данных доступен только для чтения" in said and "повторится позже" not in said
    assert capsys.readouterr().err == ""
    report = sync_once(b)
    assert _names(b) == ["Икс"] and status_text(b).startswith("Синхронизировано в")
    assert report.pulled == 1  # the client the failed attempt could not write here


def test_work_whose_push_reached_the_server_before_the_file_went_read_only_is_counted_as_sent(entry_pair, capsys):
    """The trial: the push reached the server, the laptop's file was read-only; made writable again, the next sync
    said «Отправлено: 0» for work that had just gone."""
    from sqlalchemy import event

    from app.errors import UserError
    from app.services.worklog import EntryInput, add_entry

    a, _b, _ann, _boss = entry_pair
    add_entry(a, "7707083893", EntryInput(kind="conference", on_date=date(2026, 11, 20), minutes=30, note="новое"))
    with a.unit() as s:
        s.scalar(select(Client).where(Client.inn == "7707083893")).city = "Клин"

    def read_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only = 1")

    import app.sync.engine as engine

    real = engine.checkpoint

    def go_read_only(stage: str) -> None:  # the server's side of the push committed; the file turns read-only
        if stage == "pushed-server":
            event.listen(a.engine, "connect", read_only)
            a.engine.dispose()

    engine.checkpoint = go_read_only
    try:
        with pytest.raises(UserError):
            sync_once(a)
    finally:
        engine.checkpoint = real
        if event.contains(a.engine, "connect", read_only):
            event.remove(a.engine, "connect", read_only)
        a.engine.dispose()
    assert sync_once(a).pushed == 2  # the entry and the card: on the server since the first attempt


def test_a_laptop_synced_as_one_member_refuses_a_setup_as_another(entry_pair, server_url):
    """The trial: «sync setup» with another member's login was taken silently; the laptop then mixed two people's
    data (the first one's clients stayed, the second one's never came, his work became conflicts)."""
    from app.errors import UserError
    from app.sync.sync_setup import setup
    from tests.team.conftest import PASSWORD, plain_url

    a, _b, ann, boss = entry_pair
    with pytest.raises(UserError, match=f"уже синхронизируется с командой как «{ann}».*«{boss}» нельзя"):
        setup(a, plain_url(server_url, boss), PASSWORD)
    setup(a, plain_url(server_url, ann), PASSWORD)  # the same member again (a new password): taken
    assert sync_once(a).pushed == 0
