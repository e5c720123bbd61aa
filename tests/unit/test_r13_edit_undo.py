"""app.services.edit_undo without a window: a contact the edit removed comes back under its UUID with its deletion's
tombstone lifted (else a bundle or a sync would take it away again), and the check reads the record as stored now."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.errors import RefusedForNow
from app.persistence.models import Tombstone
from app.services import edit_undo
from app.services.clients import ClientInput, PersonInput, add_client, edit_client, get_client


def test_a_removed_contact_comes_back_under_its_uuid_without_its_tombstone(db):
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                           contacts=[PersonInput("Сидоров С. С.", phone="+7 495 111-22-33")]))
    data = get_client(db, client_id).data
    uuid = data.contacts[0].uuid
    edit, _changes = edit_undo.save_card(db, client_id, replace(data, contacts=[]))
    with db.read() as s:
        assert s.scalar(select(Tombstone.kind).where(Tombstone.uuid == uuid)) == "delete"
    edit_undo.undo_edit(db, edit)
    assert get_client(db, client_id).data.contacts == data.contacts
    with db.read() as s:
        assert s.scalar(select(Tombstone.kind).where(Tombstone.uuid == uuid)) is None


def test_a_card_field_changed_since_refuses_the_undo_and_writes_nothing(db):
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    data = get_client(db, client_id).data
    edit, _changes = edit_undo.save_card(db, client_id, replace(data, city="Москва", manager="Иванов"))
    assert set(edit.after) == {"city", "manager"}
    edit_client(db, client_id, {"manager": "Петрова"})
    with pytest.raises(RefusedForNow) as refused:
        edit_undo.undo_edit(db, edit)
    assert refused.value.details == ["Менеджер: правка сохранила «Иванов», сейчас «Петрова»."]
    stored = get_client(db, client_id).data
    assert (stored.city, stored.manager) == ("Москва", "Петрова")
