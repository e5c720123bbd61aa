"""Issue 17 (tester's finding, brief st17 point 1): with a conflict open, `sync status` and the window's status
line still tell the last sync's outcome (the time, «Нет связи …», or the last refusal's words and sentence),
the count of changes waiting on the laptop and the count of conflicts — everything true at once."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from app.persistence.db import open_database
from app.persistence.models import Client, SyncConflict, SyncOutbox
from app.services.clients import ClientInput, add_client
from app.sync.laptop_settings import _put
from app.sync.service import LAST_ERROR_KEY, LAST_KIND_KEY, LAST_OK_KEY, URL_KEY, status_text, sync_state
from app.team.users import LOGIN_KEY

INN = "7707083893"
AWAY = "postgresql+psycopg://ann@127.0.0.1:1/team"
PASSWORD_SENTENCE = ("Сервер команды не принял пароль — запустите «sync setup» снова с верным паролем; ваши изменения "
                     "сохранены на ноутбуке.")
NEWER_SENTENCE = ("На сервере команды данные более новой версии (9999), чем знает эта программа: обновите программу "
                  "и синхронизируйте снова; ваши изменения сохранены на ноутбуке.")


@pytest.fixture
def laptop(sqlite_path):
    """A laptop in a team (synced once at 11:32 UTC) with one client added since: records wait to be sent."""
    db = open_database(f"sqlite:///{sqlite_path}")
    add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    _put(db, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T11:32:00"})
    yield db
    db.dispose()


def _pending(db) -> int:
    """The changed records waiting (audit lines beside them are not the user's changes)."""
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(SyncOutbox).where(SyncOutbox.table_name != "audit_log")))


def _conflicts(db, n: int) -> None:
    with db.unit() as s:
        uuid = s.scalar(select(Client.uuid))
        for i in range(n):
            s.add(SyncConflict(table_name="client", record_uuid=uuid, client_uuid=uuid, kind="field", field="city",
                               local_value=json.dumps(f"Химки {i}"), server_value=json.dumps("Подольск"),
                               kept="server", resolved=False))


def _refused(db, kind: str, sentence: str) -> None:
    _put(db, {LAST_ERROR_KEY: sentence, LAST_KIND_KEY: kind})


def test_a_wrong_password_with_a_conflict_open_shows_the_refusal_the_pending_edits_and_the_conflicts(laptop, cli):
    n = _pending(laptop)
    assert n > 0
    _conflicts(laptop, 2)
    _refused(laptop, "password", PASSWORD_SENTENCE)
    line = (f"Сервер не принял пароль: запустите «sync setup» — изменения сохранены на ноутбуке ({n}); "
            f"конфликтов: 2")
    assert status_text(laptop) == line
    assert cli("sync", "status") == (0, f"{line} (см. «sync conflicts»)\n{PASSWORD_SENTENCE}\n", "")
    state = sync_state(laptop)
    assert (state.kind, state.text, state.conflicts, state.pending, state.error) == (
        "conflicts", line, 2, n, PASSWORD_SENTENCE)


def test_a_newer_server_never_reads_as_no_connection_even_with_conflicts(laptop, cli):
    _conflicts(laptop, 1)
    _refused(laptop, "schema_newer", NEWER_SENTENCE)
    out = cli("sync", "status")[1]
    assert "Нет связи" not in out and "Синхронизировано" not in out
    assert out.startswith("Сервер новее программы: обновите программу — изменения сохранены на ноутбуке (")
    assert "конфликтов: 1" in out and out.endswith(NEWER_SENTENCE + "\n")


def test_offline_with_conflicts_keeps_the_no_connection_words_and_the_count(laptop):
    n = _pending(laptop)
    _conflicts(laptop, 3)
    _refused(laptop, "offline", "Нет связи с сервером команды 127.0.0.1; ваши изменения сохранены на ноутбуке и "
                                "будут отправлены при следующей синхронизации.")
    assert status_text(laptop) == f"Нет связи с сервером — изменения сохранены на ноутбуке ({n}); конфликтов: 3"


def test_synced_with_pending_edits_never_says_synchronised_without_the_count(laptop, cli):
    n = _pending(laptop)
    text = status_text(laptop)
    assert re.fullmatch(rf"Синхронизировано в \d\d:32; с тех пор изменения сохранены на ноутбуке \({n}\)", text), text
    _conflicts(laptop, 1)
    assert status_text(laptop) == f"{text}; конфликтов: 1"
    assert cli("sync", "status") == (0, f"{text}; конфликтов: 1 (см. «sync conflicts»)\n", "")


def test_an_unknown_refusal_kind_is_not_called_no_connection(laptop):
    _refused(laptop, "refused", "Сервер отказал в записи.")
    assert status_text(laptop).startswith("Последняя синхронизация не завершилась — изменения сохранены на ноутбуке (")


def test_nothing_waiting_after_a_failed_sync_reads_without_a_zero_count(sqlite_path):
    """The trial: with no keyring the status read «… изменения сохранены на ноутбуке (0)»; nothing waits: no count."""
    db = open_database(f"sqlite:///{sqlite_path}")
    try:
        _put(db, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T11:32:00"})
        assert _pending(db) == 0
        _refused(db, "offline", "Нет связи с сервером команды 127.0.0.1.")
        assert status_text(db) == "Нет связи с сервером"
        _refused(db, "keyring", "Нет хранилища паролей.")
        assert "(0)" not in status_text(db) and status_text(db)
    finally:
        db.dispose()
