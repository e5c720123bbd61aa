"""A laptop file copied to a second computer never prints an act number the original prints (trial 17f, finding 2:
both copies held the same reserved blocks and printed «АУ-1/2026» twice offline; the server could only put the
second under another series after the paper was signed)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from app.errors import UserError
from app.persistence.db import open_database
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflicts, sync_once
from tests.exchange.test_shared_marks_bundles import bill, code
from tests.team.conftest import sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"  # entry_pair's client


def _entry(db, note: str) -> None:
    add_entry(db, INN, EntryInput(kind="conference", on_date=date.today(), minutes=30, note=note))


def test_a_copied_laptop_file_and_its_original_never_print_the_same_number(entry_pair, server, tmp_path):
    a, _b, _ann, _boss = entry_pair
    _entry(a, "на оригинале")
    _entry(a, "на копии")
    sync_once(a)
    _entry(a, "не отправлено")  # unsent when the file is copied: both files send it
    path = a.sqlite_path
    a.dispose()
    shutil.copy(path, tmp_path / "copy.sqlite3")
    a = open_database(f"sqlite:///{path}")
    copy = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    try:
        assert a.notices == [] and len(copy.notices) == 1
        on_a = bill(a, "на оригинале")  # offline, from the original's block
        with pytest.raises(UserError):
            bill(copy, "на копии")  # offline, the copy has no numbers of its own yet
        sync_once(copy)
        on_copy = bill(copy, "на копии")
        assert code(a, on_a) != code(copy, on_copy)
        for db in (a, copy, a, copy):
            sync_once(db)
        assert conflicts(a) == [] and conflicts(copy) == []
        on_server = sql_rows(server, "SELECT number, series FROM document WHERE kind = 'act' ORDER BY number")
        assert len(on_server) == 2 and len({n for n, _s in on_server}) == 2
        assert all(series == "" for _n, series in on_server)  # none renumbered: each paper's number is the team's
        notes = sql_rows(server, "SELECT note FROM work_log ORDER BY note")
        assert [n for (n,) in notes].count("не отправлено") == 1  # sent by both files, kept once
    finally:
        a.dispose()
        copy.dispose()
