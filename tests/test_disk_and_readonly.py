"""A full disk, a read-only database file and a read-only folder: status 2, one Russian sentence, nothing
half-written (full dump before and after), and reading still works from a read-only file.

As root the conditions are real: a small tmpfs filled up, read-only bind mounts. Otherwise the read-only
cases use file modes (real too) and the full disk is injected as the error SQLite reports."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from app.cli import run
from app.persistence.db import open_database
from tests.exchange import helpers as h

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
FULL = "На диске нет места"
READ_ONLY = "Файл базы данных доступен только для чтения"


def dump(path: Path) -> str:
    writable_folder = os.access(path.parent, os.W_OK)
    con = sqlite3.connect(f"file:{path}?mode=ro" + ("" if writable_folder else "&immutable=1"), uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def _mounted(*mounts: list[str]):
    done: list[str] = []
    try:
        for args in mounts:
            if not _mount(*args):
                raise OSError("mount failed")
            done.append(args[-1])
        yield
    finally:
        for target in reversed(done):
            subprocess.run(["umount", target], capture_output=True)


def call(db_path: Path, *argv: str, capsys) -> tuple[int, str, str]:
    status = run(["--db", str(db_path), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


WRITES = [
    ["clients", "add", "--name", "ООО «Б»", "--inn", "7736207543", "--approach", "remote"],
    ["checklist", "done", h.INN_A, "s1.test_project"],
    ["log", "add", h.INN_A, "--kind", "conference", "--date", "2024-07-03", "--minutes", "30"],
    ["erase-personal", h.INN_A, "--yes"],
    ["billing", "settings", "--vat", "10"],
]


def _populated(path: Path) -> None:
    from app.services.documents import update_executor

    db = open_database(f"sqlite:///{path}")
    h.populate(db)
    update_executor(db, company="ООО «Исполнитель»", inn="7707083893", kpp="770701001", address="Москва",
                    city="Москва", specialist_name="Николаев А. С.", specialist_position="Специалист")
    from sqlalchemy import update

    from app.persistence.models import Client

    with db.unit() as s:  # an organisation prints only with its КПП (issue 10)
        s.execute(update(Client).where(Client.inn == h.INN_A).values(kpp="770701001"))
    db.dispose()


def _fill(folder: Path, leave: int) -> None:
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with (folder / "filler").open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave))


@pytest.fixture
def full_disk(tmp_path, monkeypatch):
    """A database on a disk with almost no space left: (database path, folder)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    path = folder / "live.sqlite3"
    if ROOT and _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)):
        try:
            _populated(path)
            _fill(folder, 33 * 1024)  # room for SQLite's shared-memory file, not for a transaction
            yield path, folder
        finally:
            subprocess.run(["umount", str(folder)], capture_output=True)
        return
    _populated(path)
    from sqlalchemy import event

    import app.persistence.db as dbmod

    real = dbmod.make_engine

    def engine_on_full_disk(url):
        engine = real(url)

        @event.listens_for(engine, "before_cursor_execute")
        def refuse(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                error = sqlite3.OperationalError("database or disk is full")
                error.sqlite_errorcode = 13  # type: ignore[attr-defined]
                raise error

        return engine

    monkeypatch.setattr(dbmod, "make_engine", engine_on_full_disk)
    yield path, folder


@pytest.mark.parametrize("argv", WRITES, ids=[" ".join(a[:2]) for a in WRITES])
def test_full_disk_refuses_writes_in_russian_and_changes_nothing(full_disk, capsys, argv):
    path, _folder = full_disk
    before = dump(path)
    status, out, err = call(path, *argv, capsys=capsys)
    assert status == 2, (status, out, err)
    assert err.startswith(FULL) and "Traceback" not in err and "http" not in err, err
    assert len(err.strip().splitlines()) == 1
    assert dump(path) == before


def test_report_on_a_full_disk_leaves_no_file_and_no_register_entry(full_disk, capsys):
    path, folder = full_disk
    before = dump(path)
    status, out, err = call(path, "report", "progress", h.INN_A, "-o", str(folder / "report.pdf"), capsys=capsys)
    assert status == 2, (status, out, err)
    assert err.startswith(FULL) and "Errno" not in err, err
    assert dump(path) == before
    assert not [p.name for p in folder.iterdir() if p.name.endswith((".pdf", ".part"))]


@pytest.fixture
def read_only_file(tmp_path):
    folder = tmp_path / "ro-file"
    folder.mkdir()
    path = folder / "live.sqlite3"
    _populated(path)
    if ROOT:
        with _mounted(["--bind", str(path), str(path)], ["-o", "remount,ro,bind", str(path)]):
            yield path
        return
    os.chmod(path, 0o444)
    yield path
    os.chmod(path, 0o600)


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "ro-folder"
    folder.mkdir()
    path = folder / "live.sqlite3"
    _populated(path)
    if ROOT:
        with _mounted(["--bind", str(folder), str(folder)], ["-o", "remount,ro,bind", str(folder)]):
            yield path
        return
    os.chmod(folder, 0o555)
    yield path
    os.chmod(folder, 0o700)


@pytest.mark.parametrize("where", ["read_only_file", "read_only_folder"])
def test_read_only_database_reads_and_refuses_writes(request, capsys, where):
    path = request.getfixturevalue(where)
    before = dump(path)
    status, out, err = call(path, "clients", "list", "--json", capsys=capsys)
    assert status == 0 and "ООО «Ромашка»" in out, err
    status, out, err = call(path, "checklist", "show", h.INN_A, capsys=capsys)
    assert status == 0, err
    for argv in WRITES:
        status, out, err = call(path, *argv, capsys=capsys)
        assert status == 2, (argv, status, out, err)
        assert err.startswith(READ_ONLY) and "SQL" not in err and "Иванов" not in err, err
        assert len(err.strip().splitlines()) == 1
    assert dump(path) == before


def test_reading_works_on_a_full_disk(full_disk, capsys):
    path, _folder = full_disk
    before = dump(path)
    status, out, err = call(path, "clients", "list", "--json", capsys=capsys)
    assert status == 0 and "ООО «Ромашка»" in out, err
    assert dump(path) == before
