"""A backup restored on a team laptop never gives a document number a second time (the trial of 2026-12-01: after
a restore the laptop printed «ОВ-83/2026» again, and the sync renumbered the copy in the register without a word)."""

from __future__ import annotations

from datetime import date

import pytest

from app.exchange.backup import make_backup
from app.exchange.restore import restore_backup
from app.services.worklog import EntryInput, add_entry
from app.sync.service import conflicts, sync_once
from tests.exchange.test_shared_marks_bundles import bill, code
from tests.team.conftest import sql_rows

pytestmark = pytest.mark.postgres
INN = "7707083893"  # entry_pair's client


def _entry(db, note: str) -> None:
    add_entry(db, INN, EntryInput(kind="conference", on_date=date.today(), minutes=30, note=note))


@pytest.mark.parametrize("synced_between", [True, False], ids=["synced-before-restore", "offline-since-backup"])
def test_numbers_issued_after_the_backup_are_not_issued_again_after_its_restore(entry_pair, server, tmp_path,
                                                                               synced_between):
    a, _b, _ann, _boss = entry_pair
    _entry(a, "первое")
    _entry(a, "второе")
    sync_once(a)
    backup = make_backup(a, target=tmp_path / "before.sqlite3").path
    first = bill(a, "первое")
    first_code = code(a, first)
    if synced_between:
        sync_once(a)  # the act is on the server; the restore takes it off this laptop until the next pull
    restore_backup(a, backup)
    second = bill(a, "второе")  # right after the restore, before any sync
    assert code(a, second) != first_code  # «АУ-2/…», never «АУ-1/…» again
    sync_once(a)
    sync_once(a)
    on_server = sql_rows(server, "SELECT number, series FROM document ORDER BY number")
    # the first act is the team's when it was synced (a restore does not delete it there), gone with the restore
    # when it never left the laptop; either way no number twice, none renumbered into the installation's series
    assert len(on_server) == (2 if synced_between else 1)
    assert len({n for n, _s in on_server}) == len(on_server) and all(series == "" for _n, series in on_server)
    assert conflicts(a) == []
