"""Output files are never overwritten silently, *.part leftovers are cleaned, new files and folders are
owner-only, and a refused command with a new --db path leaves nothing behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.cli import run
from app.exchange import backup as bk
from app.persistence.db import open_database
from tests.exchange import helpers as h

DOCX = b"PK\x03\x04 a test .docx the user wrote by hand"


def call(db_path: Path, *argv: str, capsys) -> tuple[int, str, str]:
    status = run(["--db", str(db_path), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def live(tmp_path):
    from app.services.documents import update_executor

    path = tmp_path / "live.sqlite3"
    db = open_database(f"sqlite:///{path}")
    h.populate(db)
    update_executor(db, company="ООО «Исполнитель»", inn="7707083893", kpp="770701001", address="Москва", city="Москва",
                    specialist_name="Николаев А. С.", specialist_position="Специалист")
    from sqlalchemy import update

    from app.persistence.models import Client

    with db.unit() as s:  # an organisation prints only with its КПП (issue 10)
        s.execute(update(Client).where(Client.inn == h.INN_A).values(kpp="770701001"))
    db.dispose()
    return path


@pytest.mark.parametrize("argv", [
    ["backup", "-o", "{out}"],
    ["export", "--all", "-o", "{out}"],
    ["report", "progress", h.INN_A, "-o", "{out}"],
], ids=["backup", "export", "report"])
def test_an_existing_output_file_is_refused_without_force(live, tmp_path, capsys, argv):
    out = tmp_path / ("important.pdf" if argv[0] == "report" else "important.docx")  # a report is a .pdf
    out.write_bytes(DOCX)
    argv = [a.replace("{out}", str(out)) for a in argv]
    status, _stdout, err = call(live, *argv, capsys=capsys)
    assert status == 2 and "уже существует" in err and "--force" in err, err
    assert out.read_bytes() == DOCX
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("important", ".vnedrenie"))) == [
        out.name]
    status, _stdout, err = call(live, *argv, "--force", capsys=capsys)
    assert status == 0, err
    assert out.read_bytes() != DOCX


def _killed_backup(db) -> Path:
    """What a backup killed half-way leaves: a *.part file with personal data in the backups folder."""
    folder = bk.backups_dir(db)
    part = folder / f"{db.sqlite_path.stem}_2026-01-01_120000_manual.sqlite3.part"
    part.write_bytes(db.sqlite_path.read_bytes()[: 8192])
    return part


def test_part_leftovers_are_cleaned_at_the_next_start_but_not_while_written(live, capsys):
    from app.part_files import hold

    db = open_database(f"sqlite:///{live}")
    abandoned = _killed_backup(db)
    busy = abandoned.with_name("live_2026-01-02_120000_manual.sqlite3.part")
    busy.write_bytes(b"being written")
    fd = os.open(busy, os.O_RDWR)
    hold(fd)  # another instance is writing this one right now
    db.dispose()
    try:
        status, _out, err = call(live, "clients", "list", capsys=capsys)
        assert status == 0, err
        assert not abandoned.exists()
        assert busy.exists()
    finally:
        os.close(fd)


def test_part_leftovers_are_cleaned_by_the_retention_pass(live):
    db = open_database(f"sqlite:///{live}")
    try:
        part = _killed_backup(db)
        bk.prune_backups(part.parent)
        assert not part.exists()
        info = bk.make_backup(db, "daily")
        assert info.path.exists() and not list(info.path.parent.glob("*.part"))
    finally:
        db.dispose()


def test_a_database_made_with_db_is_owner_only_and_existing_folders_keep_their_mode(tmp_path, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    target = shared / "new" / "x.sqlite3"
    status, _out, err = call(target, "clients", "add", "--name", "ООО «А»", "--inn", h.INN_A, "--approach",
                             "remote", capsys=capsys)
    assert status == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755


@pytest.mark.parametrize("argv", [
    ["clients", "add", "--name", "ООО «А»", "--inn", "7707083894", "--approach", "remote"],
    ["checklist", "done", "404", "s1.lessons"],
    ["import", "/nonexistent/bundle.zip"],
    ["restore", "/nonexistent/backup.sqlite3"],
], ids=["bad-inn", "unknown-client", "missing-bundle", "missing-backup"])
def test_a_refused_command_with_a_new_db_path_leaves_nothing_behind(tmp_path, capsys, argv):
    target = tmp_path / "new" / "deeper" / "x.sqlite3"
    status, _out, err = call(target, *argv, capsys=capsys)
    assert status == 2, err
    assert list(tmp_path.iterdir()) == []


def test_no_overwrite_works_where_hard_links_do_not(tmp_path, monkeypatch):
    """A FAT-formatted USB stick has no hard links: the file is still placed, and still never overwritten."""
    import errno

    from app.errors import UserError, place_file

    def no_links(*_args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    part, target = tmp_path / "x.part", tmp_path / "x.zip"
    part.write_bytes(b"new")
    place_file(part, target, overwrite=False)
    assert target.read_bytes() == b"new" and not part.exists()
    part.write_bytes(b"newer")
    with pytest.raises(UserError):
        place_file(part, target, overwrite=False)
    assert target.read_bytes() == b"new" and not part.exists()
