"""Issue 17 (trial of 05:15): a sync the server stops by refusing what the laptop sent leaves its reason for the
status line — «sync» exits 2 with one Russian sentence, `sync status` says the sync stopped and why, not the older
«Синхронизировано в …» — and a later successful sync clears it. The server's refusal here is a trigger raising
42501 on new work-log entries (as the server's own triggers do for an issued document)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import run
from app.services.worklog import EntryInput, add_entry
from app.sync.service import last_error, pending_count, status_text, sync_once

pytestmark = pytest.mark.postgres

INN = "7707083893"
REFUSE = """
CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '42501'; END $$;
CREATE TRIGGER test_refuse BEFORE INSERT ON work_log FOR EACH ROW EXECUTE FUNCTION test_refuse();
"""


def cli(db, *argv: str, capsys) -> tuple[int, str, str]:
    status = run(["--db", str(Path(db.engine.url.database)), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_refused_push_is_the_status_lines_reason_until_a_sync_succeeds(entry_pair, server, capsys):
    a = entry_pair[0]
    assert status_text(a).startswith("Синхронизировано в")
    with server.engine.begin() as conn:
        conn.exec_driver_sql(REFUSE)
    add_entry(a, INN, EntryInput(kind="conference", on_date=date(2026, 3, 3), minutes=30, note="F"))
    status, out, err = cli(a, "sync", capsys=capsys)
    assert status == 2 and "Traceback" not in err
    # the record and its client are named; no promise of «the next sync»: it stops there until resolved
    assert err.strip() == (
        "Синхронизация остановлена на записи «Журнал работ (03.03.2026, Конференция)» заказчика «ООО „Ромашка“»: "
        "сервер команды отказал: ваша роль в команде этого не разрешает (обратитесь к администратору "
        "команды). Синхронизация будет останавливаться на этой записи каждый раз, пока её не исправят: исправьте "
        "или удалите её на этом ноутбуке либо обратитесь к администратору команды. Остальные ваши изменения "
        "сохранены на ноутбуке.")
    assert "при следующей синхронизации" not in err
    status, out, _err = cli(a, "sync", "status", capsys=capsys)
    assert status == 0
    first = out.splitlines()[0]
    assert first.startswith("Сервер отказал в изменении с этого ноутбука, синхронизация остановлена")
    assert "Синхронизировано" not in out
    assert f"({pending_count(a)})" in first and pending_count(a) >= 1
    assert last_error(a).startswith("Синхронизация остановлена")
    # the server takes it again: the next sync succeeds and the status line says so
    with server.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER test_refuse ON work_log")
    sync_once(a)
    assert status_text(a).startswith("Синхронизировано в") and last_error(a) == ""
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM work_log WHERE note = 'F'")).scalar() == 1


def test_a_sync_that_fails_on_a_bug_says_it_did_not_finish(entry_pair, monkeypatch):
    from app.sync import pulling

    a = entry_pair[0]

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pulling, "pull", broken)
    with pytest.raises(RuntimeError):
        sync_once(a)
    assert status_text(a).startswith("Последняя синхронизация не завершилась")
