"""The connection dropped in the middle of a push batch (the trial 17d: `pg_terminate_backend` while 400 card
changes were being sent): «Внутренняя ошибка: PendingRollbackError …» in English, exit 1. The savepoint around a
client's push caught the driver's error, rolled back on the dead connection and asked the server again. Now a
lost connection is the sync's «Нет связи» sentence, exit 2, and the next sync sends everything once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.cli import run
from app.services.clients import get_client, update_client
from app.sync import push_record
from app.sync.service import pending_count, status_text, sync_once
from tests.conftest import PG_URL
from tests.team.conftest import sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"


@pytest.mark.parametrize("table", ["client", "audit_log"])
def test_a_connection_dropped_mid_push_says_no_connection_and_the_next_sync_finishes(entry_pair, server, monkeypatch,
                                                                                     capsys, table):
    a, _b, ann, _boss = entry_pair
    mine = get_client(a, INN)
    update_client(a, mine.id, replace(mine.data, city="Химки"))
    real = push_record._push_row
    owner = create_engine(PG_URL, isolation_level="AUTOCOMMIT")

    def dropped(sc, ids, name, *args, **kwargs):
        if name == table:  # the member's connection goes while its batch is open
            with owner.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u"),
                             {"u": ann})
        return real(sc, ids, name, *args, **kwargs)

    monkeypatch.setattr(push_record, "_push_row", dropped)
    try:
        capsys.readouterr()
        assert run(["--db", str(Path(str(a.engine.url.database))), "sync"]) == 2
        err = capsys.readouterr().err
        assert "Нет связи с сервером" in err and "Error" not in err and "Внутренняя ошибка" not in err, err
        assert status_text(a).startswith("Нет связи с сервером")
        assert pending_count(a) == 1
    finally:
        owner.dispose()
    monkeypatch.setattr(push_record, "_push_row", real)
    assert sync_once(a).pushed == 1
    assert sql_rows(server, "SELECT city FROM client WHERE inn = :inn", inn=INN) == [("Химки",)]
    assert sql_rows(server, "SELECT count(*) FROM audit_log WHERE field = 'city'")[0][0] == 1


def test_a_transaction_left_by_a_lost_connection_is_no_connection_too(entry_pair, server, monkeypatch, capsys):
    """Wherever else a lost connection's transaction is met again (SQLAlchemy's PendingRollbackError), the sync
    says «Нет связи», exit 2 — not an internal error."""
    from sqlalchemy.exc import PendingRollbackError

    a, _b, _ann, _boss = entry_pair
    mine = get_client(a, INN)
    update_client(a, mine.id, replace(mine.data, city="Химки"))

    def lost(*_args, **_kwargs):
        raise PendingRollbackError("Can't reconnect until invalid transaction is rolled back.")

    monkeypatch.setattr(push_record, "_push_row", lost)
    capsys.readouterr()
    assert run(["--db", str(Path(str(a.engine.url.database))), "sync"]) == 2
    assert "Нет связи с сервером" in capsys.readouterr().err
    assert pending_count(a) == 1
