"""A team server put back to an older state (restored from a dump) stops every laptop that has synced past it, in one
sentence, before anything is sent (the trial of 2026-12-01: laptops drifted apart while each said
«Синхронизировано»: what one sent after the dump was never sent again, what others sent never reached it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import run
from app.errors import UserError
from app.sync.service import pending_count, status_text, sync_once
from tests.team.conftest import sql_rows

pytestmark = pytest.mark.postgres


def test_a_server_back_at_an_older_state_stops_the_sync_before_anything_is_sent(entry_pair, server, capsys):
    a, _b, _ann, _boss = entry_pair
    from datetime import date

    from app.services.worklog import EntryInput, add_entry

    add_entry(a, "7707083893", EntryInput(kind="conference", on_date=date(2026, 11, 3), minutes=45, note="после"))
    sync_once(a)  # its watermark passes the server's dump
    with server.engine.begin() as conn:  # the dump restored: the version sequence back where it was
        conn.execute(text("SELECT setval('vn_row_version', 1)"))
    add_entry(a, "7707083893", EntryInput(kind="conference", on_date=date(2026, 11, 4), minutes=15, note="ещё"))
    before = sql_rows(server, "SELECT count(*) FROM work_log")
    with pytest.raises(UserError) as err:
        sync_once(a)
    assert "вернулся к более старому состоянию" in err.value.full_text()
    assert sql_rows(server, "SELECT count(*) FROM work_log") == before and pending_count(a) == 1
    assert status_text(a).startswith("Сервер команды вернулся к более старому состоянию: обратитесь к администратору")
    capsys.readouterr()
    assert run(["--db", str(Path(a.engine.url.database)), "sync"]) == 2
    assert "вернулся к более старому состоянию" in capsys.readouterr().err
