"""Issue 17 (trial of 05:15), by bundle: voiding the act that kept the work of a double billing leaves the work
billed by the other act, still in force — on the computer that voids at once, on the other one after its file.
A bills E by X, B by Y; A's file reaches B first (X keeps E), B's file reaches A; A voids X: E passes to Y on A,
and on B after A's next file; E stays billed (not editable) on both."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import UserError
from app.persistence.models import Document, WorkLogEntry
from app.services.documents import void_document
from app.services.worklog import EntryInput, update_entry
from app.sync.service import conflicts
from tests.exchange.test_bundle_versions import carry
from tests.exchange.test_shared_marks_bundles import bill, billing_act, laptops, shared_entry  # noqa: F401


def _void(db, act_uuid: str) -> None:
    with db.read() as s:
        act_id = s.scalar(select(Document.id).where(Document.uuid == act_uuid))
    void_document(db, act_id, "выставлен дважды")


def test_voiding_the_kept_act_passes_the_work_to_the_act_in_force(shared_entry):  # noqa: F811
    a, b = shared_entry
    act_x, act_y = bill(a), bill(b)
    carry(a, b)
    carry(b, a)
    assert billing_act(a) == billing_act(b) == act_x
    _void(a, act_x)
    assert billing_act(a) == act_y  # not «не выставлено»
    with a.read() as s:
        entry = s.scalar(select(WorkLogEntry.id).where(WorkLogEntry.note == "E"))
    with pytest.raises(UserError):
        update_entry(a, entry, EntryInput(on_date=date(2026, 3, 2), kind="conference", minutes=240, note="E"))
    carry(a, b)
    assert billing_act(a) == billing_act(b) == act_y
    assert conflicts(a) == [] and conflicts(b) == []
