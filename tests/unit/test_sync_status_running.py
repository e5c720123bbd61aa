"""Tester L, item 9: `sync status` said nothing of a sync under way (it printed the previous one's «Нет связи с
сервером» while a sync was sending hundreds of rows a second) nor of one killed with `kill -9`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from app.cli import run
from app.errors import UserError
from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.sync.laptop_settings import _put
from app.sync.lock import lock_path
from app.sync.service import LAST_OK_KEY, URL_KEY, sync_once
from app.team.users import LOGIN_KEY

AWAY = "postgresql+psycopg://ann@127.0.0.1:1/team"  # nothing listens there: a sync fails at once
RUNNING = ("Идёт синхронизация этого ноутбука (в окне или другой командой); пока она не закончилась, строка ниже "
           "говорит о предыдущей.")
INTERRUPTED = "Последняя синхронизация (начата "


@pytest.fixture
def laptop(sqlite_path):
    db = open_database(f"sqlite:///{sqlite_path}")
    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    _put(db, {URL_KEY: AWAY, LOGIN_KEY: "ann", LAST_OK_KEY: "2026-11-30T11:32:00"})
    yield db
    db.dispose()


def _mark(db) -> str:
    """The mark a sync leaves beside the file while it runs (app/sync/lock.py ``started_path``)."""
    return os.path.abspath(str(db.sqlite_path)) + ".sync-started"


def _status(db, capsys) -> list[str]:
    assert run(["--db", str(db.sqlite_path), "sync", "status"]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_sync_under_way_is_said_first(laptop, capsys):
    lock = FileLock(lock_path(laptop), thread_local=False)
    with lock:  # another process's sync holds the lock
        lines = _status(laptop, capsys)
    assert lines[0] == RUNNING
    assert lines[1].startswith("Синхронизировано в ")
    assert RUNNING not in _status(laptop, capsys)  # over: the line alone


def test_a_killed_sync_is_said_until_the_next_one_ends(laptop, capsys):
    killer = (
        "import os, signal, sys\n"
        "from app.persistence.db import open_database\n"
        "from app.sync import service\n"
        "service._sync_locked = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "service.sync_once(open_database(sys.argv[1]))\n")
    done = subprocess.run([sys.executable, "-c", killer, f"sqlite:///{laptop.sqlite_path}"], cwd=Path.cwd(),
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}, check=False)
    assert done.returncode == -9
    assert os.path.exists(_mark(laptop))
    lines = _status(laptop, capsys)
    assert lines[0].startswith(INTERRUPTED), lines
    assert lines[0].endswith("прервана и не завершилась: запустите «sync» ещё раз — то, что она успела, сохранено, "
                             "остальное будет отправлено и получено тогда.")
    assert lines[1].startswith("Синхронизировано в ")
    # the next sync ends (here: no server to reach) — nothing is said interrupted any more
    with pytest.raises(UserError):  # «нет связи»: the sync ended, refused
        sync_once(laptop, password="x")
    assert not os.path.exists(_mark(laptop))
    assert not any(line.startswith(INTERRUPTED) for line in _status(laptop, capsys))
