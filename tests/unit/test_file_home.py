"""A laptop file copied to another computer or folder becomes an installation of its own (trial 17f, finding 2):
the copy gives up the numbers left in its reserved blocks, so the original and the copy never print the same act
number offline; it takes a new installation id, so bundles between the two merge each other's edits; a file
moved on its own computer keeps everything."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import insert, select

from app.errors import UserError
from app.persistence.db import open_database
from app.persistence.models import Client, NumberBlock, Setting
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync import file_home
from app.sync.numbers import document_number, free_in_blocks
from tests.exchange.test_bundle_versions import carry

INN = "7707083893"
YEAR = date.today().year


def _setting(db, key: str) -> str | None:
    with db.read() as s:
        row = s.get(Setting, key)
        return None if row is None else row.value


def _team_laptop(path):
    """A file that looks synced: a login, a witness and one reserved act block 101..120 with 101 used."""
    db = open_database(f"sqlite:///{path}")
    add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    with db.unit() as s:
        s.add(Setting(key="team.login", value="ann"))
        s.add(Setting(key=file_home.WITNESS_KEY, value="42 token"))
        s.execute(insert(NumberBlock).values(kind="act", year=YEAR, first=101, last=120, next=101, login="ann"))
    with db.read() as s:
        assert free_in_blocks(s, "act", YEAR)[0] == 101  # looked at, not taken
    return db


def _copy(db, target):
    """The file of ``db`` closed and copied to ``target`` (what a user does with a file manager)."""
    db.dispose()
    shutil.copy(db.sqlite_path, target)


def test_a_copy_beside_the_original_gives_up_its_numbers_and_is_an_installation_of_its_own(tmp_path):
    original = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(original, "installation_id")
    _copy(original, tmp_path / "b.sqlite3")
    copy = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    again = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        assert len(copy.notices) == 1 and "20" in copy.notices[0]  # the 20 numbers of 101..120 given up
        assert copy.notices[0].startswith("Этот файл базы данных скопирован с другого компьютера или из другой папки")
        assert again.notices == []
        assert _setting(again, "installation_id") == first_id
        assert _setting(copy, "installation_id") not in (None, first_id)
        assert _setting(copy, file_home.WITNESS_KEY) is None  # the next sync leaves its own
        assert _setting(again, file_home.WITNESS_KEY) == "42 token"
        with again.unit() as s:
            assert document_number(s, "act", YEAR) == 101  # the original keeps its block
        with copy.unit() as s:
            assert free_in_blocks(s, "act", YEAR) == (None, 0)
            with pytest.raises(UserError, match="подключитесь к серверу команды"):
                document_number(s, "act", YEAR)  # never 101 a second time: sync first
    finally:
        copy.dispose()
        again.dispose()
    reopened = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        assert reopened.notices == []  # said once: the copy now lives here
    finally:
        reopened.dispose()


def test_a_file_moved_on_its_computer_keeps_its_numbers_and_its_identity(tmp_path):
    db = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(db, "installation_id")
    db.dispose()
    (tmp_path / "moved").mkdir()
    shutil.move(tmp_path / "a.sqlite3", tmp_path / "moved" / "a.sqlite3")
    moved = open_database(f"sqlite:///{tmp_path / 'moved' / 'a.sqlite3'}")
    try:
        assert moved.notices == []
        assert _setting(moved, "installation_id") == first_id
        with moved.unit() as s:
            assert document_number(s, "act", YEAR) == 101
    finally:
        moved.dispose()


def test_a_copy_whose_original_then_moved_away_is_still_the_copy(tmp_path):
    """The trial 17h: ``cp a usb/a`` then ``mv a arch/a`` — both left the old path; only the moved one is the file."""
    db = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(db, "installation_id")
    _copy(db, tmp_path / "usb.sqlite3")
    (tmp_path / "arch").mkdir()
    shutil.move(tmp_path / "a.sqlite3", tmp_path / "arch" / "a.sqlite3")
    moved = open_database(f"sqlite:///{tmp_path / 'arch' / 'a.sqlite3'}")
    copy = open_database(f"sqlite:///{tmp_path / 'usb.sqlite3'}")
    try:
        assert moved.notices == [] and _setting(moved, "installation_id") == first_id
        assert len(copy.notices) == 1 and _setting(copy, "installation_id") != first_id
        with moved.unit() as s:
            assert document_number(s, "act", YEAR) == 101
        with copy.unit() as s:
            assert free_in_blocks(s, "act", YEAR) == (None, 0)
    finally:
        moved.dispose()
        copy.dispose()


def test_a_file_put_back_at_its_own_path_is_still_this_computers(tmp_path):
    """One file at a path: replaced there by a copy of itself (a backup put back by hand), it keeps its numbers."""
    db = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(db, "installation_id")
    _copy(db, tmp_path / "kept.sqlite3")
    (tmp_path / "a.sqlite3").unlink()
    shutil.move(tmp_path / "kept.sqlite3", tmp_path / "a.sqlite3")  # its content was at a.sqlite3: same home
    back = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        assert back.notices == [] and _setting(back, "installation_id") == first_id
    finally:
        back.dispose()


def test_the_same_path_on_another_computer_is_a_copy(tmp_path, monkeypatch):
    db = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(db, "installation_id")
    db.dispose()
    monkeypatch.setattr(file_home, "machine", lambda: "another computer")
    there = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        assert _setting(there, "installation_id") != first_id
        with there.unit() as s:
            assert free_in_blocks(s, "act", YEAR) == (None, 0)
    finally:
        there.dispose()


def test_a_file_with_no_home_yet_takes_this_one_and_changes_nothing(tmp_path):
    """A file of an earlier version (no home kept) is not taken for a copy: it cannot be told apart."""
    db = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(db, "installation_id")
    with db.unit() as s:
        s.delete(s.get(Setting, file_home.HOME_KEY))
    db.dispose()
    shutil.copy(tmp_path / "a.sqlite3", tmp_path / "b.sqlite3")
    copy = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        assert copy.notices == [] and _setting(copy, "installation_id") == first_id
        assert _setting(copy, file_home.HOME_KEY) is not None
    finally:
        copy.dispose()


def test_bundles_between_a_file_and_its_copy_merge_each_others_edits(tmp_path):
    """Sharing one installation id, the copy's bundle was taken for the original's own file and its edit
    dropped without a word."""
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    add_client(a, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    _copy(a, tmp_path / "b.sqlite3")
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        add_entry(b, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=45, note="на копии"))
        with b.unit() as s:
            s.scalar(select(Client).where(Client.inn == INN)).name = "ООО «Ромашка-М»"
        carry(b, a, tmp_path / "from-copy.zip")
        with a.read() as s:
            assert s.scalar(select(Client.name).where(Client.inn == INN)) == "ООО «Ромашка-М»"
        from app.persistence.models import WorkLogEntry

        with a.read() as s:
            assert s.scalars(select(WorkLogEntry.note)).all() == ["на копии"]
    finally:
        a.dispose()
        b.dispose()


def test_a_file_that_cannot_be_written_opens_and_is_left_as_it_is(tmp_path, monkeypatch):
    """A read-only file issues nothing: it opens as before, settled at an opening that can write."""
    from sqlalchemy.exc import OperationalError

    db = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(db, "installation_id")
    _copy(db, tmp_path / "b.sqlite3")

    def read_only(*args):
        raise OperationalError("UPDATE setting", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(file_home, "_settle", read_only)
    copy = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        assert copy.notices == [] and _setting(copy, "installation_id") == first_id
    finally:
        copy.dispose()
    monkeypatch.undo()
    copy = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        assert len(copy.notices) == 1 and _setting(copy, "installation_id") != first_id
    finally:
        copy.dispose()


def test_the_command_line_says_it_once_on_stderr_and_its_output_stays_clean(tmp_path, capsys):
    from app.cli import run

    db = _team_laptop(tmp_path / "a.sqlite3")
    _copy(db, tmp_path / "b.sqlite3")
    assert run(["--db", str(tmp_path / "b.sqlite3"), "clients", "list", "--json"]) == 0
    first = capsys.readouterr()
    assert first.err.startswith("Этот файл базы данных скопирован") and "(20)" in first.err
    assert first.out.lstrip().startswith("[")  # the JSON is untouched
    assert run(["--db", str(tmp_path / "b.sqlite3"), "clients", "list", "--json"]) == 0
    assert capsys.readouterr().err == ""


def test_a_backup_of_another_file_restored_here_is_a_computer_of_its_own(tmp_path):
    """Restored in place, the other file's blocks came with it while that file went on issuing from them."""
    from app.exchange.backup import make_backup
    from app.exchange.restore import restore_backup

    other = _team_laptop(tmp_path / "other.sqlite3")
    other_id = _setting(other, "installation_id")
    backup = make_backup(other, target=tmp_path / "other-backup.sqlite3").path
    here = open_database(f"sqlite:///{tmp_path / 'here.sqlite3'}")
    try:
        result = restore_backup(here, backup)
        assert len(result.notices) == 1 and "(20)" in result.notices[0]
        assert _setting(here, "installation_id") != other_id
        with here.unit() as s:
            assert free_in_blocks(s, "act", YEAR) == (None, 0)
        with other.unit() as s:
            assert document_number(s, "act", YEAR) == 101  # the other file keeps its numbers
        own = make_backup(here, target=tmp_path / "own-backup.sqlite3").path
        assert restore_backup(here, own).notices == ()  # one of its own backups: nothing to say
    finally:
        here.dispose()
        other.dispose()


def test_ones_own_backup_opened_elsewhere_then_restored_is_this_file_again(tmp_path):
    """The trial 17h: `--db backup.sqlite3 clients list` settled the backup as a copy; restoring it then took a
    new identity and gave up every number of the laptop's blocks."""
    from app.exchange.backup import make_backup
    from app.exchange.restore import restore_backup

    db = _team_laptop(tmp_path / "a.sqlite3")
    first_id = _setting(db, "installation_id")
    backup = make_backup(db, target=tmp_path / "backup.sqlite3").path
    peek = open_database(f"sqlite:///{backup}")  # just looking at it
    assert len(peek.notices) == 1
    peek.dispose()
    try:
        result = restore_backup(db, backup)
        assert result.notices == ()
        assert _setting(db, "installation_id") == first_id
        with db.unit() as s:
            assert document_number(s, "act", YEAR) == 101  # its block is its own again
    finally:
        db.dispose()
    again = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        assert again.notices == [] and _setting(again, "installation_id") == first_id
    finally:
        again.dispose()
