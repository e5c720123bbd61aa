"""A laptop file put back by hand (an older copy copied over it: same path, same inode) never prints a number it
printed already (the trial 17i, finding 1: «АУ-83/2026» twice, the second quietly renamed by the sync)."""

from __future__ import annotations

import shutil
from datetime import date

from app.persistence.db import open_database
from app.persistence.models import Client, Document
from app.services.documents.register import next_number
from tests.unit.test_file_home import YEAR, _team_laptop


def _issue(db) -> int:
    """An act numbered as the act service numbers it; its number."""
    from sqlalchemy import select

    with db.unit() as s:
        client = s.scalar(select(Client))
        number = next_number(s, "act", YEAR)
        s.add(Document(client_id=client.id, kind="act", year=YEAR, number=number, issued_on=date.today()))
        return number


def _put_back(db, older) -> object:
    """``older`` copied over the file of ``db`` (closed first) by hand; the file opened again."""
    path = db.sqlite_path
    db.dispose()
    shutil.copyfile(older, path)  # over the file: the same path and inode, the older content
    return open_database(f"sqlite:///{path}")


def test_a_team_laptop_put_back_by_hand_takes_the_next_number_of_its_block(tmp_path):
    db = _team_laptop(tmp_path / "a.sqlite3")
    db.dispose()
    shutil.copyfile(tmp_path / "a.sqlite3", tmp_path / "stick.sqlite3")
    db = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert _issue(db) == 101
    db = _put_back(db, tmp_path / "stick.sqlite3")
    try:
        assert db.notices == []  # the same file at its own place: no copy
        assert _issue(db) == 102  # not 101 again
    finally:
        db.dispose()


def test_a_computer_outside_a_team_put_back_by_hand_goes_on_with_its_series(tmp_path):
    from app.services.clients import ClientInput, add_client

    db = open_database(f"sqlite:///{tmp_path / 'solo.sqlite3'}")
    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    db.dispose()
    shutil.copyfile(tmp_path / "solo.sqlite3", tmp_path / "stick.sqlite3")
    db = open_database(f"sqlite:///{tmp_path / 'solo.sqlite3'}")
    assert [_issue(db), _issue(db)] == [1, 2]
    db = _put_back(db, tmp_path / "stick.sqlite3")
    try:
        assert _issue(db) == 3
    finally:
        db.dispose()


def test_a_number_another_process_noted_is_seen_through_this_process_copy_of_the_note():
    """The note is read once and kept while the file is unchanged (a month's batch); another program's note (a
    second window, the command line) replaces the file and is read again."""
    import json

    from app.sync import issued_marks

    issued_marks.note("inst-1", "act", 2026, 5)
    assert issued_marks.high("inst-1", "act", 2026) == 5
    path = issued_marks.note_path()
    path.with_name("other.tmp").write_text(json.dumps({"inst-1": {"act:2026": 9}}), encoding="utf-8")
    path.with_name("other.tmp").replace(path)  # as another process writes it
    assert issued_marks.high("inst-1", "act", 2026) == 9
    issued_marks.note("inst-1", "act", 2026, 7)  # lower: kept at 9
    assert issued_marks.high("inst-1", "act", 2026) == 9 and json.loads(path.read_text())["inst-1"] == {"act:2026": 9}


def test_a_note_that_cannot_be_written_leaves_no_temporary_file(monkeypatch):
    import os

    from app.sync import issued_marks

    issued_marks.note("inst-2", "act", 2026, 1)

    def full_disk(_src, _dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    issued_marks.note("inst-2", "act", 2026, 2)  # passed over, never raises
    folder = issued_marks.note_path().parent
    assert [p.name for p in folder.iterdir() if p.name.startswith(".issued-")] == []
    monkeypatch.undo()
    assert issued_marks.high("inst-2", "act", 2026) == 1
