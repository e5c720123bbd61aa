"""Undoing a deletion brings the client's records back under their old local ids, so that undo steps recorded
before the deletion (a stage move, a work-log edit) still find them."""

from datetime import date

from app.exchange import client_undo
from app.services import progress, stage_undo, worklog, worklog_read
from app.services.clients import ClientInput, add_client, get_client
from app.services.worklog import EntryInput


def _client(db, name: str, inn: str) -> int:
    return add_client(db, ClientInput(name=name, inn=inn, approach="remote"))


def test_move_made_before_a_deletion_can_be_undone_after_the_deletion_is_undone(db):
    keep = _client(db, "ООО «Альфа»", "7707083893")
    cid = _client(db, "ООО «Бета»", "7728168971")
    before = stage_undo.stage_state(db, cid)
    progress.move_stage(db, cid, 1, force=True)
    entry_id, _changes = worklog.add_entry(db, cid, EntryInput(date(2026, 3, 2), "conference", minutes=90))
    later = _client(db, "ООО «Дельта»", "7736050003")  # the deleted ids are not the highest: not reused by chance
    worklog.add_entry(db, later, EntryInput(date(2026, 3, 3), "conference", minutes=30))

    copy, _changes = client_undo.delete_client(db, cid)
    client_undo.restore_client(db, copy)

    assert get_client(db, cid).data.name == "ООО «Бета»"
    assert worklog_read.get_entry(db, entry_id).client_id == cid
    stage_undo.restore_stage(db, 1, before, "Отмена")
    assert get_client(db, cid).stage == 0
    assert get_client(db, keep).stage == 0


def test_an_id_taken_meanwhile_is_not_reused(db):
    cid = _client(db, "ООО «Бета»", "7728168971")
    copy, _changes = client_undo.delete_client(db, cid)
    other = _client(db, "ООО «Гамма»", "7707083893")  # SQLite gives it the freed id
    changes = client_undo.restore_client(db, copy)
    (restored,) = changes.client_ids
    assert get_client(db, other).data.name == "ООО «Гамма»"
    assert get_client(db, restored).data.name == "ООО «Бета»"
    assert restored != other
