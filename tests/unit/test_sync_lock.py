"""Issue 17 (tester's finding, brief st17 point 3): two syncs of one laptop at once (the window's background sync
and `sync` from the command line are two processes on one SQLite file) — the second one sends nothing and says
so («синхронизация уже идёт»), or waits for the first and reports what it really sent; a killed sync never
leaves the lock behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.sync.laptop_settings import _put
from app.sync.lock import SyncBusy, lock_path, sync_lock
from app.sync.service import LAST_ERROR_KEY, URL_KEY, _settings, sync_once
from app.sync.sync_setup import KEYRING_SERVICE
from app.sync.window_sync import sync_for_window
from app.team.users import LOGIN_KEY
from tests.team.conftest import memory_keyring  # noqa: F401  (autouse: a keyring in memory)

AWAY = "postgresql+psycopg://ann@127.0.0.1:1/team"  # nothing listens on port 1
BUSY = ("Синхронизация этого ноутбука уже идёт (в окне программы или другой командой): этот запуск ничего не "
        "отправил — всё отправит идущая синхронизация.")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def laptop(sqlite_path, memory_keyring):  # noqa: F811
    db = open_database(f"sqlite:///{sqlite_path}")
    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    _put(db, {URL_KEY: AWAY, LOGIN_KEY: "ann"})
    memory_keyring.set_password(KEYRING_SERVICE, AWAY, "correct horse 42")
    yield db
    db.dispose()


@pytest.fixture
def other_process(sqlite_path):
    """Another process (the window, say) holding this laptop's sync lock until the test ends or kills it."""
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {ROOT!r})
        from app.persistence.db import open_database
        from app.sync.lock import sync_lock
        db = open_database("sqlite:///{sqlite_path}")
        with sync_lock(db):
            print("held", flush=True)
            sys.stdin.read()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield proc
    if proc.poll() is None:
        proc.stdin.close()  # type: ignore[union-attr]
        proc.wait(10)


def test_a_second_sync_sends_nothing_and_says_a_sync_is_running(laptop, other_process):
    with pytest.raises(SyncBusy) as refused:
        sync_once(laptop)
    assert refused.value.full_text() == BUSY
    assert LAST_ERROR_KEY not in _settings(laptop)  # not a failure of the server: the status line stays
    result = sync_for_window(laptop)  # the window's tick: never waits, never raises
    assert (result.report, result.error, result.state.kind, result.changes) == (None, BUSY, "never", None)


def test_the_command_waits_for_the_running_sync_then_gives_up_with_one_sentence(laptop, other_process, cli,
                                                                                monkeypatch):
    from app.cli import cmd_sync

    monkeypatch.setattr(cmd_sync, "WAIT_S", 0.3)
    assert cli("sync") == (2, "Синхронизация этого ноутбука уже идёт — ждём, пока она закончится…\n", BUSY + "\n")
    assert LAST_ERROR_KEY not in _settings(laptop)


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_killed_sync_leaves_no_lock_behind(laptop, other_process):
    os.kill(other_process.pid, signal.SIGKILL)
    other_process.wait(10)
    with sync_lock(laptop):  # taken at once
        pass
    with pytest.raises(Exception) as offline:  # the sync itself runs now: the server is away
        sync_once(laptop)
    assert not isinstance(offline.value, SyncBusy)
    assert offline.value.full_text().startswith("Нет связи с сервером команды")


def test_the_lock_is_beside_the_laptops_file_and_taken_once_inside_one_process(laptop, sqlite_path):
    assert lock_path(laptop) == str(sqlite_path) + ".sync-lock"
    with sync_lock(laptop):
        other = open_database(f"sqlite:///{sqlite_path}")
        try:
            with pytest.raises(SyncBusy):
                sync_once(other)
        finally:
            other.dispose()
