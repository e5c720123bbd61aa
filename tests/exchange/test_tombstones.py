"""Deleted and erased records stay gone: tombstones travel in bundles, and an import never brings back what
was deleted or erased here, nor lets records dated after the file (or after now) win. Full dumps compare."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from app.exchange.bundle import MANIFEST, PAYLOAD
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import Client, Contact, Tombstone
from app.services.clients import delete_client, get_client, update_client
from app.services.privacy import erase_personal_data
from app.services.progress import move_stage
from tests.exchange import helpers as h

DAY = timedelta(days=1)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def shifted(src, dst, delta: timedelta, *, format_version: int | None = None):
    """The same bundle as if made on a computer whose clock was ``delta`` off: every stamp moved (and, with
    ``format_version=1``, as an older program wrote it: no export number, merged by updated_at)."""
    members = h.read_members(src)
    head = json.loads(members[MANIFEST])
    body = json.loads(members[PAYLOAD])
    if format_version == 1:
        head["format_version"] = 1
        head.pop("exchange_version", None)

    def move(value: str) -> str:
        return (datetime.fromisoformat(value) + delta).isoformat(timespec="microseconds")

    head["created_at"] = move(head["created_at"])
    for rows in body["tables"].values():
        for row in rows:
            row["updated_at"] = move(row["updated_at"])
            for key in ("created_at", "stage_since", "at"):
                if key in row.get("values", {}):
                    row["values"][key] = move(row["values"][key])
    payload = json.dumps(body, ensure_ascii=False).encode()
    head["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    return h.write_members(dst, {MANIFEST: json.dumps(head).encode(), PAYLOAD: payload})


def names(db) -> list[str]:
    with db.read() as s:
        return sorted(s.scalars(select(Contact.name)))


def test_erased_data_stay_gone_even_from_a_laptop_whose_clock_ran_a_day_ahead(db, tmp_path):
    cid = h.populate(db)
    ahead = shifted(export_bundle(db, None, tmp_path / "now.zip").path, tmp_path / "ahead.zip", DAY)
    erase_personal_data(db, cid)
    before = h.full_dump(db)
    # imported two days later, so that the stamps are no longer in the future: only the tombstones stop it
    result = import_bundle(db, ahead, now=utcnow() + 2 * DAY)
    after = h.full_dump(db)
    # the people are exactly as erased; other rows may only take the file's newer stamps
    for table in ("contact", "employee", "tombstone"):
        assert dict(after)[table] == dict(before)[table], table
    assert "Иванов Иван" not in names(db)
    refused = {(r.table, r.label) for r in result.report.refused}
    assert ("contact", "Контакт «Иванов Иван»") in refused and len(refused) == 3
    assert get_client(db, cid).data.signer_name == ""
    assert any("Не принято: 3" in line for line in result.report.lines())


def test_records_dated_after_now_are_refused_and_named_in_an_old_format_file(db, tmp_path):
    """The updated_at rule of format 1 (an older program's file); format 2 compares no clocks (below)."""
    cid = h.populate(db)
    ahead = shifted(export_bundle(db, None, tmp_path / "now.zip").path, tmp_path / "ahead.zip", DAY,
                    format_version=1)
    data = get_client(db, cid).data
    data.notes = "Правка здесь"
    update_client(db, cid, data)
    before = h.full_dump(db)
    result = import_bundle(db, ahead)
    assert h.full_dump(db) == before  # nothing dated tomorrow wins
    assert {r.table for r in result.report.refused} >= {"client", "contact", "work_log"}
    reasons = {r.table: r.reason for r in result.report.refused}
    assert "позже текущего момента" in reasons["client"]
    assert all("позже текущего момента" in r or "тоже не принята" in r for r in reasons.values())
    assert result.report.overwritten == [] and result.report.total_added == 0


def test_a_format_2_file_from_a_clock_a_day_ahead_changes_nothing_by_its_stamps(db, tmp_path):
    cid = h.populate(db)
    ahead = shifted(export_bundle(db, None, tmp_path / "now.zip").path, tmp_path / "ahead.zip", DAY)
    data = get_client(db, cid).data
    data.notes = "Правка здесь"
    update_client(db, cid, data)
    before = h.full_dump(db)
    result = import_bundle(db, ahead)
    assert h.full_dump(db) == before  # our own export, older than our edit: its later stamps win nothing
    assert result.report.refused == [] and result.report.conflicts == [] and result.report.changed == []


def test_records_dated_after_the_file_was_made_are_refused_in_an_old_format_file(db, tmp_path):
    """Format 1's clock rule; a format-2 file refuses only dates later than both clocks (test below)."""
    h.populate(db)
    row = h.client_row(updated_at=(utcnow() - timedelta(hours=1)).isoformat(timespec="microseconds"))
    made = (utcnow() - timedelta(hours=2)).isoformat(timespec="seconds")
    path = h.plain_bundle(tmp_path / "odd.zip", {"client": [row]}, created_at=made, format_version=1)
    before = h.full_dump(db)
    result = import_bundle(db, path, backup=False)
    assert h.full_dump(db) == before
    [refusal] = result.report.refused
    assert refusal.uuid == row["uuid"] and "позже, чем создан файл" in refusal.reason


def test_a_contact_deleted_here_does_not_return_from_an_older_bundle(db, tmp_path):
    cid = h.populate(db)
    old = export_bundle(db, None, tmp_path / "old.zip").path
    data = get_client(db, cid).data
    data.contacts = []
    update_client(db, cid, data)
    before = h.full_dump(db)
    result = import_bundle(db, old)
    assert h.full_dump(db) == before
    assert result.report.total_added == 0
    [refusal] = result.report.refused
    assert refusal.table == "contact" and "это удаление уже есть на этом компьютере" in refusal.reason


def test_a_client_deleted_here_does_not_return_with_anything_it_owned(db, tmp_path):
    cid = h.populate(db)
    h.populate(db, h.INN_B, "ООО «Соседи»")
    old = export_bundle(db, [h.INN_A], tmp_path / "old.zip").path
    delete_client(db, cid)
    before = h.full_dump(db)
    result = import_bundle(db, old)
    assert h.full_dump(db) == before
    assert result.report.total_added == 0
    tables = {r.table for r in result.report.refused}
    assert tables == {"client", "contact", "employee", "checklist_state", "lesson_progress", "work_log",
                      "estimate", "document"}


def test_deletions_and_erasures_travel_to_the_other_installation(db, other_db, tmp_path):
    cid = h.populate(db)
    h.populate(db, h.INN_B, "ООО «Соседи»")
    import_bundle(other_db, export_bundle(db, None, tmp_path / "first.zip").path)
    data = get_client(db, cid).data
    data.contacts = []
    update_client(db, cid, data)
    delete_client(db, get_client(db, h.INN_B).id)
    erase_personal_data(db, cid)
    second = export_bundle(db, None, tmp_path / "second.zip").path
    result = import_bundle(other_db, second)
    # the contact removed from the card, and the deleted client with its own contact and staff
    assert result.report.deleted["client"] == 1 and result.report.deleted["contact"] == 2
    assert result.report.deleted["employee"] == 2
    assert _inns(other_db) == [h.INN_A]
    assert names(other_db) == []
    staff = get_client(other_db, h.INN_A).data.employees
    assert [p.name for p in staff] == ["Сотрудник 1 (удалён)", "Сотрудник 2 (удалён)"]
    # and the other installation now refuses the old file too
    before = h.full_dump(other_db)
    again = import_bundle(other_db, tmp_path / "first.zip")
    assert h.full_dump(other_db) == before and again.report.refused
    with other_db.read() as s:
        kinds = {(t.table_name, t.kind) for t in s.scalars(select(Tombstone))}
    assert {("client", "delete"), ("contact", "delete"), ("employee", "erase"), ("client", "erase")} <= kinds


def _inns(db) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Client.inn).order_by(Client.id)))


def test_a_local_edit_never_moves_updated_at_backwards(db):
    cid = h.populate(db)
    future = utcnow() + 3 * DAY  # merged earlier from a laptop whose clock ran ahead
    with db.unit() as s:
        s.execute(text("UPDATE client SET updated_at = :t"), {"t": future})
        s.execute(text("UPDATE contact SET updated_at = :t"), {"t": future})
    data = get_client(db, cid).data
    data.notes = "Правка"
    data.contacts[0].phone = "+7 900 000-00-09"
    update_client(db, cid, data)
    with db.read() as s:
        assert s.get(Client, cid).updated_at > future
        assert s.scalar(select(Contact.updated_at)) > future
    with db.unit() as s:
        s.execute(text("UPDATE client SET updated_at = :t"), {"t": future})
    move_stage(db, cid, 1, force=True, reason="проверка")
    with db.read() as s:
        assert s.get(Client, cid).updated_at >= future


def test_a_delete_row_of_the_changeset_format_is_remembered_too(db, tmp_path):
    from app.exchange.apply import apply
    from app.exchange.changeset import Changeset
    from app.exchange.row_change import RowChange
    from app.persistence.models import WorkLogEntry

    cid = h.populate(db)
    old = export_bundle(db, None, tmp_path / "old.zip").path
    with db.read() as s:
        entry = s.scalars(select(WorkLogEntry.uuid).where(WorkLogEntry.client_id == cid)).first()
    with db.unit() as s:
        report = apply(s, Changeset(tables={"work_log": [RowChange("work_log", "delete", entry, utcnow())]}))
    assert report.deleted["work_log"] == 1
    before = h.full_dump(db)
    result = import_bundle(db, old)
    assert [r.uuid for r in result.report.refused] == [entry]
    assert dict(h.full_dump(db))["work_log"] == dict(before)["work_log"]


def test_a_format_2_file_refuses_only_dates_later_than_both_clocks(db, tmp_path):
    made = (utcnow() - timedelta(hours=2)).isoformat(timespec="seconds")
    # an hour after the file was made but before now: the exporter's clock was set back, nothing to refuse
    row = h.client_row(updated_at=(utcnow() - timedelta(hours=1)).isoformat(timespec="microseconds"))
    path = h.plain_bundle(tmp_path / "late.zip", {"client": [row]}, created_at=made)
    assert import_bundle(db, path, backup=False).report.added == {"client": 1}
    # later than the file and than our clock by far: refused, whole file, nothing changed
    far = h.client_row(uuid="44444444-4444-4444-8444-444444444444", inn=h.INN_B,
                       updated_at="2199-01-01T00:00:00.000000")
    path = h.plain_bundle(tmp_path / "far.zip", {"client": [far]}, created_at=made)
    before = h.full_dump(db)
    import pytest

    from app.errors import UserError

    with pytest.raises(UserError, match="позже"):
        import_bundle(db, path, backup=False)
    assert h.full_dump(db) == before
