"""An act's number is taken for good when the act service issues it (the trial 17j, findings 1 and 2): a number
handed away with its client, or put under this installation's series by the sync, stays taken in its block; a
file put back by hand never prints a number it printed already; a failed issue takes nothing."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import insert, select

from app.persistence.db import open_database
from app.persistence.models import Document, NumberBlock, Setting, WorkLogEntry
from app.reports.printing import issue_act
from app.sync import issued_marks
from tests.reports.helpers import ACT_DAY, MARCH, build_world

YEAR = 2026


def _file(path):
    return open_database(f"sqlite:///{path}")


def _installation(db) -> str:
    with db.read() as s:
        return s.get(Setting, "installation_id").value


def _log_more(db, client_id: int, day: int) -> None:
    """New unbilled work in March, so that another act of the month has something to bill."""
    from datetime import date

    with db.unit() as s:
        s.add(WorkLogEntry(client_id=client_id, on_date=date(2026, 3, day), kind="control", minutes=30, stage=2,
                           note=f"день {day}"))


def _as_team_laptop(db) -> None:
    """A synced laptop holding one reserved act block 101..120."""
    with db.unit() as s:
        s.add(Setting(key="team.login", value="ann"))
        s.execute(insert(NumberBlock).values(kind="act", year=YEAR, first=101, last=120, next=101, login="ann"))


def _code(db, client_id: int, day: int) -> str:
    _log_more(db, client_id, day)
    return issue_act(db, client_id, *MARCH, on=ACT_DAY).code


def test_a_file_put_back_by_hand_does_not_print_a_number_the_act_service_printed(tmp_path):
    db = _file(tmp_path / "a.sqlite3")
    world = build_world(db)
    db.dispose()
    shutil.copyfile(tmp_path / "a.sqlite3", tmp_path / "old.sqlite3")
    db = _file(tmp_path / "a.sqlite3")
    assert issue_act(db, world.client_id, *MARCH, on=ACT_DAY).code == "АУ-1/2026"
    assert issued_marks.high(_installation(db), "act", YEAR) == 1
    db.dispose()
    shutil.copyfile(tmp_path / "old.sqlite3", tmp_path / "a.sqlite3")  # the older copy over it: same path
    db = _file(tmp_path / "a.sqlite3")
    try:
        assert issue_act(db, world.client_id, *MARCH, on=ACT_DAY).code == "АУ-2/2026"  # not АУ-1 on paper twice
    finally:
        db.dispose()


@pytest.mark.parametrize("leaves", ["handed away", "put under this installation's series"])
def test_a_laptop_number_stays_taken_in_its_block_when_its_act_leaves_the_series(tmp_path, leaves):
    db = _file(tmp_path / "lap.sqlite3")
    world = build_world(db)
    _as_team_laptop(db)
    first = issue_act(db, world.client_id, *MARCH, on=ACT_DAY)
    assert first.code == "АУ-101/2026"
    con = sqlite3.connect(db.sqlite_path)
    with con:  # what the sync does to it (raw: the hooks of the program are not the point here)
        if leaves == "handed away":
            con.execute("UPDATE work_log SET billed_by_document_id = NULL WHERE billed_by_document_id = ?",
                        (first.id,))
            con.execute("DELETE FROM document WHERE id = ?", (first.id,))
        else:
            con.execute("UPDATE document SET series = ? WHERE id = ?", (_installation(db), first.id))
    con.close()
    (issued_marks.note_path()).unlink()  # the note outside the file lost too: the block alone must hold
    try:
        assert _code(db, world.client_id, 20) == "АУ-102/2026"  # АУ-101 was given already
        with db.read() as s:
            assert s.scalar(select(NumberBlock.next)) == 103
    finally:
        db.dispose()


def test_an_issue_that_fails_takes_no_number(tmp_path):
    db = _file(tmp_path / "lap.sqlite3")
    world = build_world(db)
    _as_team_laptop(db)

    def refuse(_draft, _pdf):
        raise OSError("диск полон")

    try:
        with pytest.raises(OSError):
            issue_act(db, world.client_id, *MARCH, on=ACT_DAY, before_commit=refuse)
        with db.read() as s:
            assert s.scalar(select(NumberBlock.next)) == 101 and s.scalar(select(Document.id)) is None
        assert issued_marks.high(_installation(db), "act", YEAR) == 0  # noted only once committed
        assert issue_act(db, world.client_id, *MARCH, on=ACT_DAY).code == "АУ-101/2026"
    finally:
        db.dispose()
