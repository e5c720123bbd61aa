"""A backup restored on a computer outside a team never gives its series' numbers again: an act handed to a client
keeps its number, so the act issued after the restore takes the next one (app/sync/number_marks.py)."""

from __future__ import annotations

from datetime import date

from app.exchange.backup import make_backup
from app.exchange.restore import restore_backup
from app.persistence.db import open_database
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput, add_entry
from tests.exchange.test_shared_marks_bundles import bill, code

INN = "7707083893"


def test_an_act_issued_after_the_restore_does_not_take_the_number_of_one_issued_before_it(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'alone.sqlite3'}")
    try:
        add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
        for note in ("первое", "второе", "третье"):
            add_entry(db, INN, EntryInput(kind="conference", on_date=date.today(), minutes=30, note=note))
        backup = make_backup(db, target=tmp_path / "before.sqlite3").path
        handed = code(db, bill(db, "первое"))  # printed, signed, handed to the client
        restore_backup(db, backup)
        after = code(db, bill(db, "второе"))
        assert (handed[:5], after[:5]) == ("АУ-1/", "АУ-2/")
        restore_backup(db, backup)  # a second restore of the same backup remembers both
        assert code(db, bill(db, "третье"))[:5] == "АУ-3/"
    finally:
        db.dispose()
