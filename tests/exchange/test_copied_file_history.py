"""A copied laptop file (app/sync/file_home.py) holds everything its original held when it was copied: a bundle the
original exported before the copy is the copy's own history and merges into it as into the original — against
itself, no conflict, nothing written (tester T, 2026-12-06: «конфликтов: 2 … № договора (здесь A-1, в файле 12/24)»
in the copy, «конфликтов: 0» in the original). Likewise a third laptop's bundle carrying its base of such an export.
The original's exports made after the copy merge as before."""

from __future__ import annotations

import shutil
from datetime import date

from sqlalchemy import select

from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.db import open_database
from app.persistence.models import Client, Contact, Setting, WorkLogEntry
from app.services.clients import ClientInput, PersonInput, add_client
from app.services.worklog import EntryInput, add_entry
from app.sync import file_home
from app.sync.service import conflicts
from tests.exchange.test_bundle_versions import INN, carry, conflict_count, field


def _laptop(path):
    """A laptop file with a client (contract 12/24, Москва), its contact and a work entry."""
    db = open_database(f"sqlite:///{path}")
    add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote", city="Москва", contract_no="12/24",
                               contacts=[PersonInput(name="Иванов Иван", phone="+7 900 000-00-01")]))
    add_entry(db, INN, EntryInput(kind="conference", on_date=date(2026, 3, 2), minutes=60, note="E"))
    return db


def _edit_after_export(db) -> None:
    """The original's edits after its first bundle: the contract number, the city, the contact's phone."""
    with db.unit() as s:
        client = s.scalar(select(Client).where(Client.inn == INN))
        client.contract_no, client.city = "A-1", "Сочи"
        s.scalar(select(Contact)).phone = "+7 900 000-00-02"


def _copy(db, folder):
    """The file of ``db`` closed, copied to ``folder`` and both opened as the program does (the copy settles)."""
    db.dispose()
    folder.mkdir()
    shutil.copy(db.sqlite_path, folder / db.sqlite_path.name)
    copy = open_database(f"sqlite:///{folder / db.sqlite_path.name}")
    assert len(copy.notices) == 1 and "самостоятельной копией" in copy.notices[0]
    return open_database(f"sqlite:///{db.sqlite_path}"), copy


def _setting(db, key: str) -> str | None:
    with db.read() as s:
        row = s.get(Setting, key)
        return None if row is None else row.value


def _records(db) -> list[tuple]:
    """Everything the user's records hold (ids and timestamps included): what an import must leave alone."""
    with db.read() as s:
        return [tuple(getattr(r, c.key) for c in type(r).__table__.columns)
                for model in (Client, Contact, WorkLogEntry) for r in s.scalars(select(model).order_by(model.id))]


def test_a_bundle_the_original_made_before_the_copy_merges_into_the_copy_as_into_the_original(tmp_path):
    a = _laptop(tmp_path / "a.sqlite3")
    export_bundle(a, None, tmp_path / "one.zip")
    _edit_after_export(a)
    a, copy = _copy(a, tmp_path / "elsewhere")
    try:
        before = _records(copy)
        in_copy = import_bundle(copy, tmp_path / "one.zip", backup=False).report
        in_original = import_bundle(a, tmp_path / "one.zip", backup=False).report
        assert in_copy.lines() == in_original.lines() == [
            "Добавлено: 0; изменено по файлу: 0; конфликтов: 0; без изменений: 3."]
        assert in_copy.conflicts == [] and in_copy.changed == [] and conflict_count(copy) == 0
        assert _records(copy) == before  # nothing written
        assert (field(copy, "contract_no"), field(copy, "city")) == ("A-1", "Сочи")
    finally:
        a.dispose()
        copy.dispose()


def test_a_third_laptops_bundle_based_on_the_originals_old_export_merges_into_the_copy_cleanly(tmp_path):
    """X merged A's first bundle and edited the city; the copy of A (with A's later contract number) takes the city
    and keeps its number, as A itself does: X's base of A's export is a state the copy had too."""
    a = _laptop(tmp_path / "a.sqlite3")
    x = open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        carry(a, x, tmp_path / "one.zip")
        with a.unit() as s:
            s.scalar(select(Client).where(Client.inn == INN)).contract_no = "A-1"
        a, copy = _copy(a, tmp_path / "elsewhere")
        with x.unit() as s:
            s.scalar(select(Client).where(Client.inn == INN)).city = "Казань"
        export_bundle(x, None, tmp_path / "x.zip")
        in_copy = import_bundle(copy, tmp_path / "x.zip", backup=False).report
        in_original = import_bundle(a, tmp_path / "x.zip", backup=False).report
        assert in_copy.lines() == in_original.lines()
        assert in_copy.conflicts == [] and conflict_count(copy) == 0
        assert (field(copy, "contract_no"), field(copy, "city")) == ("A-1", "Казань")
        copy.dispose()
    finally:
        a.dispose()
        x.dispose()


def test_the_originals_bundle_made_after_the_copy_still_meets_the_copys_edit_as_a_conflict(tmp_path):
    """The control: an export numbered above the counter the copy was made at is no history of the copy."""
    a = _laptop(tmp_path / "a.sqlite3")
    export_bundle(a, None, tmp_path / "one.zip")
    _edit_after_export(a)
    a, copy = _copy(a, tmp_path / "elsewhere")
    try:
        assert import_bundle(copy, tmp_path / "one.zip", backup=False).report.conflicts == []
        with a.unit() as s:
            s.scalar(select(Client).where(Client.inn == INN)).contract_no = "Б-2"
        with copy.unit() as s:
            s.scalar(select(Client).where(Client.inn == INN)).contract_no = "К-3"
        export_bundle(a, None, tmp_path / "two.zip")
        report = import_bundle(copy, tmp_path / "two.zip", backup=False).report
        assert [(c.field, c.local_value, c.server_value) for c in conflicts(copy)] == [("contract_no", "К-3", "Б-2")]
        assert len(report.conflicts) == 1
    finally:
        a.dispose()
        copy.dispose()


def test_the_copy_keeps_the_originals_counter_a_copy_of_a_copy_its_nearest_and_a_file_taken_back_neither(tmp_path):
    from app.exchange.backup import make_backup
    from app.exchange.restore import restore_backup

    a = _laptop(tmp_path / "a.sqlite3")
    export_bundle(a, None, tmp_path / "one.zip")
    export_bundle(a, None, tmp_path / "two.zip")
    a_id = _setting(a, "installation_id")
    a, copy = _copy(a, tmp_path / "elsewhere")
    try:
        assert (_setting(copy, file_home.COPIED_FROM_KEY), _setting(copy, file_home.COPIED_AT_KEY)) == (a_id, "2")
        assert (_setting(a, file_home.COPIED_FROM_KEY), _setting(a, file_home.COPIED_AT_KEY)) == (None, None)
        export_bundle(copy, None, tmp_path / "three.zip")  # the copy's own export 3
        copy_id = _setting(copy, "installation_id")
        copy, second = _copy(copy, tmp_path / "further")
        assert (_setting(second, file_home.COPIED_FROM_KEY), _setting(second, file_home.COPIED_AT_KEY)) == (
            copy_id, "3")
        with second.unit() as s:
            s.scalar(select(Client).where(Client.inn == INN)).contract_no = "В-4"
        assert import_bundle(second, tmp_path / "three.zip", backup=False).report.conflicts == []
        assert field(second, "contract_no") == "В-4"
        second.dispose()
        # one's own backup opened elsewhere (settled there as a copy) and restored: the file is the original again
        backup = make_backup(a, target=tmp_path / "backup.sqlite3").path
        peek = open_database(f"sqlite:///{backup}")
        assert _setting(peek, file_home.COPIED_AT_KEY) == "2"
        peek.dispose()
        assert restore_backup(a, backup).notices == ()
        assert (_setting(a, file_home.COPIED_FROM_KEY), _setting(a, file_home.COPIED_AT_KEY)) == (None, None)
        assert _setting(a, "installation_id") == a_id
    finally:
        a.dispose()
        copy.dispose()
