"""Issue 17 (trial of 05:15): voiding an act says, per work-log entry it billed, that the entry is billed no
more — «Журнал работ · выставлено актом (…) АУ-N/ГГГГ → —», in the words its billing line used — on the laptop
that voided it, on the server and on the other laptop alike."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.persistence.models import Document
from app.services.documents import void_document
from app.sync.service import sync_once
from tests.team.test_restored_trail import YEAR, _bill, _trail

pytestmark = pytest.mark.postgres


def test_a_voided_acts_entries_read_unbilled_everywhere(server, entry_pair):
    a, b, _ann, _boss = entry_pair
    _bill(b)
    sync_once(b)
    with b.read() as s:
        act_id, number = s.execute(select(Document.id, Document.number)).one()
    code = f"АУ-{number}/{YEAR}"
    billed = f"Петрова Мария\tизменено\tЖурнал работ · выставлено актом (02.03.2026, Конференция)\t— → {code}"
    unbilled = f"Петрова Мария\tизменено\tЖурнал работ · выставлено актом (02.03.2026, Конференция)\t{code} → —"
    void_document(b, act_id, "ошибка в периоде")
    assert _trail(b)[0] == unbilled
    sync_once(b)
    sync_once(a)
    for db in (b, server, a):
        lines = [line for line in _trail(db) if "выставлено актом" in line]
        assert lines == [unbilled, billed], (db, lines)
