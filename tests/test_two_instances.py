"""Two app instances on one SQLite file: concurrent writers lose nothing (BEGIN IMMEDIATE + busy timeout),
readers are not blocked (WAL), simultaneous first starts both succeed, and a lock held past the timeout is
refused with a clear message."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.persistence.db import open_database
from app.persistence.models import Setting, WorkLogEntry
from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client

ROOT = Path(__file__).resolve().parent.parent
PER_PROCESS = 120

# One instance: waits for the start signal, then adds entries and bumps a shared counter (read-modify-write)
# in one transaction each: a lost update would show as a counter below the number of entries.
INSTANCE = r"""
import os, sys, time
from datetime import date
from app.persistence.db import open_database
from app.persistence.models import Setting, WorkLogEntry

db = open_database(sys.argv[1])
client_id, count, go = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
for n in range(count):
    with db.unit() as s:
        s.add(WorkLogEntry(client_id=client_id, on_date=date(2024, 7, 1), kind="questions", minutes=n + 1,
                           note=sys.argv[5]))
        counter = s.get(Setting, "test.counter")
        counter.value = str(int(counter.value) + 1)
print("done", flush=True)
"""

OPENER = r"""
import os, sys, time
go = sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.001)
from app.exchange.workspace import open_workspace
db = open_workspace(db_path=sys.argv[1])
db.dispose()
print("opened", flush=True)
"""


def _spawn(code: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    with db.unit() as s:
        s.add(Setting(key="test.counter", value="0"))
    go = tmp_path / "go"
    procs = [_spawn(INSTANCE, url, str(client_id), str(PER_PROCESS), str(go), name) for name in ("A", "B")]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    go.touch()
    # while both write, this third connection keeps reading without waiting for them (WAL)
    reads = 0
    while any(p.poll() is None for p in procs):
        assert len(list_clients(db)) == 1
        reads += 1
    results = [p.communicate() for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0 and "done" in out, err
        assert "locked" not in err
    with db.read() as s:
        notes = dict(s.execute(select(WorkLogEntry.note, func.count()).group_by(WorkLogEntry.note)).all())
        counter = s.get(Setting, "test.counter").value
    assert notes == {"A": PER_PROCESS, "B": PER_PROCESS}
    assert counter == str(2 * PER_PROCESS)  # no lost update
    assert reads > 0
    db.dispose()


def test_a_writer_waits_for_a_short_lock_instead_of_failing(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    holder = sqlite3.connect(tmp_path / "shared.sqlite3", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO setting(key, value) VALUES ('other.window', 'writing')")
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    finally:
        release.join()
        holder.close()
    with db.read() as s:
        assert s.get(Setting, "other.window").value == "writing"
    assert [c.id for c in list_clients(db)] == [client_id]
    db.dispose()


def test_a_lock_held_past_the_timeout_is_refused_clearly(tmp_path, monkeypatch):
    import app.persistence.db as dbmod

    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)  # the same path as 10 s, without the wait
    db = open_database(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    before = len(list_clients(db))
    holder = sqlite3.connect(tmp_path / "shared.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(UserError) as err:
            add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "занята" in err.value.message and "Ничего не сохранено" in err.value.message
    assert len(list_clients(db)) == before
    db.dispose()


def test_instances_starting_at_the_same_moment_on_a_new_file_all_open_it(tmp_path):
    go = tmp_path / "go"
    path = tmp_path / "fresh.sqlite3"
    procs = [_spawn(OPENER, str(path), str(go)) for _ in range(3)]
    time.sleep(0.5)
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "opened" in out, err
    db = open_database(f"sqlite:///{path}")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Setting).where(Setting.key == "installation_id")) == 1
    db.dispose()
