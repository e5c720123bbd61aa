"""Backups: online copy, owner-only files, restore round-trip, retention, daily and pre-migration backups."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from app.errors import UserError
from app.exchange import backup as bk
from app.exchange.restore import restore_backup
from app.persistence.db import Database, make_engine, open_database
from app.services.clients import get_client, update_client
from tests.exchange import helpers as h


def test_backup_is_a_checked_owner_only_copy_in_a_private_folder(sqlite_db):
    h.populate(sqlite_db)
    info = bk.make_backup(sqlite_db, "manual")
    assert info.path.parent == bk.backups_dir(sqlite_db)
    assert info.path.name.endswith("_manual.sqlite3") and info.reason == "manual"
    con = sqlite3.connect(info.path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        assert con.execute("SELECT name FROM client").fetchall() == [("ООО «Ромашка»",)]
    finally:
        con.close()
    if os.name == "posix":
        assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
        for folder in (info.path.parent, info.path.parent.parent):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not list(info.path.parent.glob("*.part"))
    assert [b.path for b in bk.list_backups(sqlite_db)] == [info.path]


def test_restore_round_trip_gives_identical_data(sqlite_db, tmp_path):
    cid = h.populate(sqlite_db)
    before = h.full_dump(sqlite_db)
    saved = bk.make_backup(sqlite_db, "manual", target=tmp_path / "saved.sqlite3")
    data = get_client(sqlite_db, cid).data
    data.name = "ООО «Испорчено»"
    data.contacts = []
    update_client(sqlite_db, cid, data)
    h.populate(sqlite_db, h.INN_B, "ООО «Лишний»")
    assert h.full_dump(sqlite_db) != before
    # another connection (a second window) stays open through the restore
    other = open_database(sqlite_db.url)
    result = restore_backup(sqlite_db, saved.path)
    assert h.full_dump(sqlite_db) == before
    assert h.full_dump(other) == before
    other.dispose()
    # the data replaced by the restore were saved first and can be brought back
    assert result.safety_backup.reason == "pre-restore"
    con = sqlite3.connect(result.safety_backup.path)
    try:
        assert {r[0] for r in con.execute("SELECT name FROM client")} == {"ООО «Испорчено»", "ООО «Лишний»"}
    finally:
        con.close()


def test_restore_refuses_what_is_not_our_backup(sqlite_db, tmp_path):
    h.populate(sqlite_db)
    before = h.full_dump(sqlite_db)
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("не база", encoding="utf-8")
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    newer = bk.make_backup(sqlite_db, "manual", target=tmp_path / "newer.sqlite3").path
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    damaged = tmp_path / "damaged.sqlite3"
    good = bk.make_backup(sqlite_db, "manual", target=tmp_path / "good.sqlite3").path.read_bytes()
    damaged.write_bytes(good[:4096] + b"\xff" * 4096 + good[8192:])
    cases = [(text_file, "не является резервной копией"), (foreign, "не является резервной копией"),
             (newer, "более новой версией"), (damaged, "повреждён"), (tmp_path / "none.sqlite3", "не существует"),
             (sqlite_db.sqlite_path, "сама открытая база")]
    for path, needle in cases:
        with pytest.raises(UserError) as err:
            restore_backup(sqlite_db, path)
        assert needle in err.value.message, (path, err.value.message)
    assert h.full_dump(sqlite_db) == before
    assert not [b for b in bk.list_backups(sqlite_db) if b.reason == "pre-restore"]


def test_backup_refuses_to_overwrite_the_database(sqlite_db, tmp_path):
    for target in (sqlite_db.sqlite_path, Path(str(sqlite_db.sqlite_path) + "-wal")):
        with pytest.raises(UserError, match="поверх самой базы"):
            bk.make_backup(sqlite_db, "manual", target=target)
    with pytest.raises(UserError, match="не существует"):
        bk.make_backup(sqlite_db, "manual", target=tmp_path / "missing" / "x.sqlite3")
    into_folder = bk.make_backup(sqlite_db, "manual", target=tmp_path)
    assert into_folder.path.parent == tmp_path and into_folder.path.exists()


def test_postgresql_backup_and_restore_are_refused_with_a_clear_message(tmp_path):
    url = "postgresql+psycopg://u@127.0.0.1:1/nowhere"  # never connected: the engine is lazy
    engine = make_engine(url)
    db = Database(url=url, engine=engine, factory=sessionmaker(engine))
    for call in (lambda: bk.make_backup(db), lambda: restore_backup(db, tmp_path / "x.sqlite3"),
                 lambda: bk.backups_dir(db)):
        with pytest.raises(UserError) as err:
            call()
        assert "администратор" in err.value.message and "export --all" in err.value.message
    assert bk.daily_backup_if_due(db) is None


def _info(day: date, hour: int = 12, reason: str = "daily") -> bk.BackupInfo:
    stamp = datetime.combine(day, datetime.min.time()).replace(hour=hour)
    return bk.BackupInfo(path=Path(f"/b/x_{stamp:%Y-%m-%d_%H%M%S}_{reason}.sqlite3"), created_at=stamp,
                         reason=reason, size=1)


def test_retention_keeps_14_days_and_12_months():
    start = date(2024, 1, 1)
    backups = [_info(start + timedelta(days=n)) for n in range(400)]  # one a day for 400 days
    backups.append(_info(start + timedelta(days=399), hour=15, reason="pre-import"))
    kept = sorted(set(backups) - set(bk.select_to_delete(backups)), key=lambda b: b.created_at)
    last_days = {start + timedelta(days=n) for n in range(386, 400)}
    assert {b.day for b in kept if b.day in last_days} == last_days
    assert len([b for b in kept if b.day == start + timedelta(days=399)]) == 2  # nothing of a kept day goes
    older = [b for b in kept if b.day not in last_days]
    # every month of the last 12 is represented by its newest backup, nothing older than that survives
    newest_months = sorted({(b.day.year, b.day.month) for b in backups}, reverse=True)[:12]
    assert {(b.day.year, b.day.month) for b in kept} == set(newest_months)
    for b in older:
        same_month = [x for x in backups if (x.day.year, x.day.month) == (b.day.year, b.day.month)]
        assert b.created_at == max(x.created_at for x in same_month)
    assert len(older) == 10 and len(kept) == 25  # Mar–Dec 2024 monthly + 14 days (15 files)
    # a gap of a month without the laptop does not throw the daily copies away
    gap = [_info(date(2024, 5, d)) for d in range(1, 15)]
    assert bk.select_to_delete(gap) == []


def test_prune_deletes_only_our_old_backups(sqlite_db):
    folder = bk.backups_dir(sqlite_db)
    names = [f"live_{date(2023, 1, 1) + timedelta(days=7 * n):%Y-%m-%d}_120000_daily.sqlite3" for n in range(80)]
    for name in names:
        (folder / name).write_bytes(b"x")
    (folder / "notes.txt").write_text("мой файл", encoding="utf-8")
    removed = bk.prune_backups(folder)
    left = sorted(p.name for p in folder.iterdir())
    assert "notes.txt" in left
    assert len(left) - 1 == len(names) - len(removed)
    assert all(name in left for name in names[-14:])
    assert len(left) - 1 < 14 + 12


def test_daily_backup_once_per_day_and_only_for_an_existing_file(tmp_path, monkeypatch):
    from app.exchange import workspace

    path = tmp_path / "work.sqlite3"
    db = workspace.open_workspace(db_path=str(path))  # a new file: nothing to back up yet
    assert workspace.last_startup.backup_path is None and bk.list_backups(db) == []
    h.populate(db)
    db.dispose()
    db = workspace.open_workspace(db_path=str(path))
    first = workspace.last_startup.backup_path
    assert first and Path(first).name.endswith("_daily.sqlite3")
    db.dispose()
    db = workspace.open_workspace(db_path=str(path))
    assert workspace.last_startup.backup_path is None  # already made today
    assert [b.reason for b in bk.list_backups(db)] == ["daily"]
    tomorrow = date.today() + timedelta(days=1)
    assert bk.daily_backup_if_due(db, today=tomorrow).day == tomorrow
    db.dispose()


def test_a_failing_daily_backup_does_not_stop_the_app(tmp_path, monkeypatch):
    from app.exchange import workspace

    path = tmp_path / "work.sqlite3"
    workspace.open_workspace(db_path=str(path)).dispose()

    def broken(db, today=None):
        raise UserError("диск заполнен")

    monkeypatch.setattr(bk, "daily_backup_if_due", broken)
    db = workspace.open_workspace(db_path=str(path))
    assert workspace.last_startup.backup_problem == "диск заполнен"
    db.dispose()


def test_a_pending_migration_is_preceded_by_a_backup(tmp_path, monkeypatch):
    from app.persistence import migrate

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    db = open_database(url)
    h.populate(db)
    ran = []
    monkeypatch.setattr(migrate, "current_revision", lambda database: "0000_older")
    monkeypatch.setattr(migrate, "_known", lambda revision: True)  # an older revision of ours, not a newer program's
    monkeypatch.setattr(migrate, "upgrade", lambda database, revision="head": ran.append(
        [b.reason for b in bk.list_backups(database)]))
    migrate.upgrade_to_head(db)
    assert ran == [[]]  # no backup unless the caller asks for one
    migrate.upgrade_to_head(db, bk.pre_migration_backup)
    assert ran[-1] == ["pre-migration"]  # the copy existed before the migration ran
    db.dispose()


def test_the_data_folder_is_owner_only_when_the_program_creates_it(tmp_path, monkeypatch):
    from app.config import default_database_path
    from app.exchange.workspace import open_workspace

    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data" / "vnedrenie"))
    db = open_workspace()
    assert db.sqlite_path == default_database_path().resolve() or db.sqlite_path == default_database_path()
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
        assert stat.S_IMODE((tmp_path / "data" / "vnedrenie").stat().st_mode) == 0o700
        assert stat.S_IMODE(default_database_path().stat().st_mode) == 0o600
    db.dispose()


def test_an_existing_data_folder_keeps_its_mode(tmp_path, monkeypatch):
    """VNEDRENIE_DATA_DIR pointed at a shared folder: /tmp's sticky bit and the group's access stay."""
    from app.exchange.workspace import open_workspace

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(shared))
    open_workspace().dispose()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777


def test_opening_a_file_in_a_shared_folder_leaves_the_folder_alone(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    open_database(f"sqlite:///{shared / 'x.sqlite3'}").dispose()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
