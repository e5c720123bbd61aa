"""Erasing a client's personal data: contacts and staff anonymised, documents and work log kept, no comeback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import NotFoundError
from app.exchange.bundle_export import export_bundle
from app.exchange.bundle_import import import_bundle
from app.persistence.models import Document, LessonProgress, WorkLogEntry
from app.services.client_list import list_clients
from app.services.clients import get_client
from app.services.privacy import erase_personal_data
from tests.exchange import helpers as h


def _personal_text(db, ref) -> str:
    data = get_client(db, ref).data
    people = data.contacts + data.employees
    return " ".join([data.signer_name] + [f"{p.name} {p.position} {p.phone} {p.email} {p.department}"
                                          for p in people])


def test_erase_blanks_people_and_keeps_the_documents_register(db):
    cid = h.populate(db)
    other = h.populate(db, h.INN_B, "ООО «Соседи»")
    with db.read() as s:
        docs_before = s.scalar(select(func.count()).select_from(Document))
        work_before = s.scalar(select(func.count()).select_from(WorkLogEntry))
    erased, changes = erase_personal_data(db, h.INN_A)
    assert (erased.client_id, erased.contacts, erased.employees, erased.signer) == (cid, 1, 2, True)
    assert changes.clients and changes.client_ids == {cid}
    text = _personal_text(db, cid)
    for secret in ("Иванов", "ivanov@example.ru", "+7 900 000-00-01", "Сидорова", "Склад", "Петров"):
        assert secret not in text
    data = get_client(db, cid).data
    assert [p.name for p in data.contacts] == ["Контакт 1 (удалён)"]
    assert [p.name for p in data.employees] == ["Сотрудник 1 (удалён)", "Сотрудник 2 (удалён)"]
    assert data.name == "ООО «Ромашка»" and data.inn == h.INN_A  # the company itself is not personal data
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == docs_before
        assert s.scalar(select(func.count()).select_from(WorkLogEntry)) == work_before
        assert s.scalar(select(func.count()).select_from(LessonProgress)) == 4
    assert "Иванов" in _personal_text(db, other)  # the other client is untouched
    summary = {c.id: c for c in list_clients(db)}[cid]
    assert "иванов" not in summary.search_text


def test_erased_data_do_not_come_back_from_an_older_export(db, other_db, tmp_path):
    h.populate(db)
    export_bundle(db, None, tmp_path / "before.zip")
    erase_personal_data(db, h.INN_A)
    report = import_bundle(db, tmp_path / "before.zip").report
    assert "Иванов" not in _personal_text(db, h.INN_A)
    assert report.overwritten == []
    # the contact and two employees are turned away by their erase tombstones, and the report says so
    assert sorted(r.table for r in report.refused) == ["contact", "employee", "employee"]
    assert all("удалены" in r.reason for r in report.refused)
    # and the erasure travels: the office that imported the old file gets the blanks from the new one
    import_bundle(other_db, tmp_path / "before.zip")
    export_bundle(db, None, tmp_path / "after.zip")
    import_bundle(other_db, tmp_path / "after.zip")
    assert "Иванов" not in _personal_text(other_db, h.INN_A)


def test_erase_of_an_unknown_client_is_refused(db):
    before = h.full_dump(db)
    with pytest.raises(NotFoundError):
        erase_personal_data(db, "404")
    assert h.full_dump(db) == before


def test_erased_markers_are_russian_data_whatever_the_ui_language(db):
    from app import i18n

    cid = h.populate(db)
    try:
        i18n.set_language("en")
        erase_personal_data(db, cid)
    finally:
        i18n.set_language("ru")
    data = get_client(db, cid).data
    assert [p.name for p in data.contacts] == ["Контакт 1 (удалён)"]
    assert [p.name for p in data.employees] == ["Сотрудник 1 (удалён)", "Сотрудник 2 (удалён)"]
