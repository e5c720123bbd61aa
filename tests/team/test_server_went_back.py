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


def _as_owner(server, name: str, *statements: str) -> None:
    """Run ``statements`` on the cluster as its owner, with nobody connected to the database ``name``."""
    from sqlalchemy import create_engine

    from tests.conftest import PG_URL

    server.engine.dispose()
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                              "AND pid <> pg_backend_pid()"), {"n": name})
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


def _dump(server, name: str) -> str:
    """A copy of the server's database as it is now (what «pg_dump» keeps), named ``name``_dump."""
    _as_owner(server, name, f'CREATE DATABASE "{name}_dump" TEMPLATE "{name}"')
    return f"{name}_dump"


def _restore(server, name: str, dump: str) -> None:
    """The server's database replaced by the copy (what «pg_restore» of that dump gives)."""
    _as_owner(server, name, f'ALTER DATABASE "{name}" RENAME TO "{name}_lost"',
              f'ALTER DATABASE "{dump}" RENAME TO "{name}"')


def _entry(db, note: str, day: int) -> None:
    from datetime import date

    from app.services.worklog import EntryInput, add_entry

    add_entry(db, "7707083893", EntryInput(kind="conference", on_date=date(2026, 11, day), minutes=15, note=note))


def test_the_stop_holds_after_other_laptops_drew_the_versions_past_it(entry_pair, server, server_url):
    """The trial 17d: the version check alone let the laptop through once another laptop's sync had drawn the
    sequence past its watermark again — both then said «Синхронизировано» while the entry the server lost was on
    one laptop only, and a later hand-over removed it everywhere. The witness of its last sync, which the
    restored server no longer holds, keeps it stopped; the laptop that synced before the dump goes on."""
    a, b, _ann, _boss = entry_pair
    name = str(server.engine.url.database)
    dump = _dump(server, name)
    _entry(a, "после дампа", 3)
    assert sync_once(a).pushed == 1
    _restore(server, name, dump)
    for day in range(4, 9):  # «b» synced before the dump: it goes on, and draws the versions far past «a»'s
        _entry(b, f"от b {day}", day)
    assert sync_once(b).pushed == 5
    high = sql_rows(server, "SELECT last_value FROM vn_row_version")[0][0]
    with a.engine.connect() as conn:
        from app.sync.engine import PULLED_KEY

        seen = int(conn.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": PULLED_KEY}).scalar())
    assert high > seen  # the version check alone would let «a» through now
    before = sql_rows(server, "SELECT count(*) FROM work_log")
    with pytest.raises(UserError) as err:
        sync_once(a)
    text_ = err.value.full_text()
    assert "вернулся к более старому состоянию" in text_ and "(its" not in text_
    assert "Ваши изменения сохранены на ноутбуке." in text_ and "docs/" not in text_
    assert sql_rows(server, "SELECT count(*) FROM work_log") == before
    assert "после дампа" not in {r[0] for r in sql_rows(server, "SELECT note FROM work_log")}
    with pytest.raises(UserError):  # and again: nothing has changed the fact
        sync_once(a)
    assert sync_once(b).pushed == 0  # the other laptop is not stopped


def test_a_laptop_back_at_its_own_older_backup_is_not_taken_for_a_server_gone_back(entry_pair, server, tmp_path,
                                                                                    capsys):
    """A witness newer on the server than on the laptop is this laptop gone back (one of its backups restored),
    which the sync handles as before: no stop."""
    a, _b, _ann, _boss = entry_pair
    path = Path(str(a.engine.url.database))
    assert run(["--db", str(path), "backup", "-o", str(tmp_path / "a-old.sqlite3")]) == 0
    _entry(a, "после копии", 3)
    sync_once(a)
    a.engine.dispose()
    assert run(["--db", str(path), "restore", str(tmp_path / "a-old.sqlite3")]) == 0, capsys.readouterr().err
    report = sync_once(a)
    assert "Синхронизировано" in report.status
    from app.services.worklog_read import list_entries

    assert "после копии" in [r.note for r in list_entries(a, "7707083893").rows]  # taken back from the server


def test_a_server_prepared_before_the_witness_asks_for_server_init(entry_pair, server, server_url):
    """A server prepared by an older «server init» has no ``sync_witness``: the sync says to run it again (as
    for any older server), nothing sent; after it, the sync goes on."""
    from app.team.server import init_server

    a, _b, _ann, _boss = entry_pair
    _entry(a, "до init", 3)
    with server.engine.begin() as conn:
        conn.execute(text("DROP TABLE sync_witness"))
    with a.engine.begin() as conn:  # the laptop of that older version had left none either
        conn.execute(text("DELETE FROM setting WHERE key = 'sync.witness'"))
    with pytest.raises(UserError) as err:
        sync_once(a)
    assert "server init" in err.value.full_text() and pending_count(a) == 1
    init_server(server_url).dispose()
    assert sync_once(a).pushed == 1


def test_a_laptop_back_at_a_backup_of_a_sync_that_wrote_nothing_is_not_stopped(entry_pair, server, tmp_path, capsys):
    """The trial 17e: backup, a sync that sent and received nothing, restore of the backup — the witness then
    had the same number with another token, and the laptop was stopped for ever as if the server had gone back."""
    a, _b, _ann, _boss = entry_pair
    path = Path(str(a.engine.url.database))
    sync_once(a)
    assert run(["--db", str(path), "backup", "-o", str(tmp_path / "a-old.sqlite3")]) == 0
    assert sync_once(a).pushed == 0
    a.engine.dispose()
    assert run(["--db", str(path), "restore", str(tmp_path / "a-old.sqlite3")]) == 0, capsys.readouterr().err
    assert "Синхронизировано" in sync_once(a).status


def test_a_laptop_that_could_not_keep_its_witness_is_not_stopped(entry_pair, server, monkeypatch):
    """The server took the new witness, the laptop's file did not (a full disk, a killed process): the server's is
    then the newer, which is this laptop behind — never a server gone back."""
    from app.sync import witness

    a, _b, _ann, _boss = entry_pair
    real = witness.insert

    def full_disk(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(witness, "insert", full_disk)
    with pytest.raises((OSError, UserError)):
        sync_once(a)
    monkeypatch.setattr(witness, "insert", real)
    assert "Синхронизировано" in sync_once(a).status


def test_a_member_sees_and_changes_only_their_own_witnesses(entry_pair, server, server_url):
    """Row-level security on sync_witness: a member can neither read another member's witness nor overwrite it
    (which would stop that member's laptop as if the server had gone back)."""
    from sqlalchemy import create_engine

    from tests.team.conftest import member_url

    _a, _b, ann, boss = entry_pair
    engine = create_engine(member_url(server_url, ann))
    try:
        with engine.begin() as conn:
            assert {r[0] for r in conn.execute(text("SELECT login FROM sync_witness"))} == {ann}
            changed = conn.execute(text("UPDATE sync_witness SET token = 'x' WHERE login = :b"), {"b": boss})
            assert changed.rowcount == 0
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(text("INSERT INTO sync_witness(login, installation, version, token) "
                                  "VALUES (:b, 'x', 1, 'x')"), {"b": boss})
    finally:
        engine.dispose()
    assert sql_rows(server, "SELECT count(*) FROM sync_witness WHERE token = 'x'") == [(0,)]


def test_the_recipe_block_puts_the_numbers_printed_since_the_dump_out_of_reach(server, server_url, login_of,
                                                                              tmp_path):
    """README «Сервер восстановлен из копии» (the trial 17l: a laptop re-joined first was given АУ-21, which another
    laptop had printed since the dump and sent later): the owner's block «restored» 1..H makes every new block start
    above H."""
    from datetime import date

    from sqlalchemy import text

    from app.team.users import add_user
    from tests.team.conftest import PASSWORD, join_laptop

    year = date.today().year  # a laptop reserves numbers of this year
    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "specialist", PASSWORD, position="Специалист")
    with server.engine.begin() as conn:  # as the README says, as the server's owner
        conn.execute(text("INSERT INTO number_block (kind, year, first, last, next, login) "
                          "VALUES ('act', :y, 1, 60, 61, 'restored')"), {"y": year})
    opened: list = []
    try:
        laptop = join_laptop(tmp_path / "ann.sqlite3", server_url, ann, opened)
        with laptop.read() as s:
            firsts = s.execute(text("SELECT first FROM number_block WHERE kind = 'act' AND year = :y"),
                               {"y": year}).scalars().all()
        assert firsts and min(firsts) > 60
    finally:
        for db in opened:
            db.dispose()
