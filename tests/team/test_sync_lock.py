"""Issue 17 (tester's finding, brief st17 point 3) against a real server: two syncs of one laptop started at once
— the first pushes everything, the second sends nothing while the first runs («синхронизация уже идёт») or
waits for it and then reports what it really pushed: 0. Nothing reaches the server twice."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.sync import engine
from app.sync.lock import SyncBusy
from app.sync.service import pending_count, sync_once
from app.sync.sync_setup import setup
from app.team.users import add_user
from tests.team.conftest import PASSWORD, plain_url
from tests.unit.test_sync_lock import BUSY

pytestmark = pytest.mark.postgres

INNS = ("7707083893", "7736050003", "7728168971")


def test_two_syncs_at_once_push_once_and_each_reports_what_it_really_pushed(server, server_url, login_of,
                                                                            sqlite_path, cli, monkeypatch):
    from app.cli import cmd_sync

    ann = login_of("ann")
    add_user(server, ann, "Иванова Анна", "manager", PASSWORD, position="Руководитель внедрения")
    window_db = open_database(f"sqlite:///{sqlite_path}")  # the window's connection
    other_db = open_database(f"sqlite:///{sqlite_path}")  # another command's, on the same file
    try:
        setup(window_db, plain_url(server_url, ann), PASSWORD)
        sync_once(window_db)
        for i, inn in enumerate(INNS):
            add_client(window_db, ClientInput(name=f"ООО «Клиент {i}»", inn=inn, approach="remote"))
        waiting = pending_count(window_db)
        assert waiting >= 3
        pushed_once, release = threading.Event(), threading.Event()

        def hold(stage: str) -> None:  # the first sync stops after its first batch reached the server
            if stage == "pushed-server" and threading.current_thread().name == "first" and not pushed_once.is_set():
                pushed_once.set()
                assert release.wait(30)

        monkeypatch.setattr(engine, "checkpoint", hold)
        reports: dict[str, object] = {}

        def run(name: str, db, wait: float) -> None:
            try:
                reports[name] = sync_once(db, wait=wait)
            except Exception as exc:
                reports[name] = exc

        first = threading.Thread(target=run, args=("first", window_db, 0), name="first")
        first.start()
        assert pushed_once.wait(30)
        # meanwhile: a second sync that does not wait sends nothing and says so
        with pytest.raises(SyncBusy):
            sync_once(other_db)
        monkeypatch.setattr(cmd_sync, "WAIT_S", 0.3)
        assert cli("sync")[0::2] == (2, BUSY + "\n")
        # one that waits (the command line's default) runs after the first one, with nothing left to push
        second = threading.Thread(target=run, args=("second", other_db, 30), name="second")
        second.start()
        release.set()
        first.join(30)
        second.join(30)
        assert reports["first"].pushed == waiting  # type: ignore[union-attr]
        assert reports["second"].pushed == 0  # type: ignore[union-attr]
        assert pending_count(window_db) == 0
        with server.read() as s:  # each client and each audit line once on the server
            assert s.execute(text("SELECT inn, count(*) FROM client GROUP BY inn ORDER BY inn")).all() == [
                (inn, 1) for inn in sorted(INNS)]
            assert s.execute(text("SELECT count(*) - count(DISTINCT uuid) FROM audit_log")).scalar() == 0
    finally:
        window_db.dispose()
        other_db.dispose()
