"""A cancel's reason stays on the note's line and an undo takes it off again (a fresh tester, 2026-12-05: cancel
and Ctrl+Z left «Отменено: …» on a planned event, twice made a note with a line break that every later edit
refused, and a long reason made a note past its 2 000 characters)."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.errors import UserError
from app.services import plan
from app.services.plan import NOTE_MAX, EventInput
from tests.unit.test_plan import NOW, two  # noqa: F401


def _event(db, client, note: str = "") -> int:
    return plan.add_event(db, client, EventInput("conference", datetime(2026, 3, 12, 10, 0), "Europe/Moscow", 60,
                                                 note=note), on=NOW.date())[0]


@pytest.mark.parametrize("note", ["", "взять ноутбук", "Отменено: так было написано заранее"])
def test_cancel_and_undo_twice_give_back_the_note_as_it_was_and_it_can_be_edited(db, two, note):  # noqa: F811
    a, _b = two
    event = _event(db, a, note)
    for reason in ("заказчик заболел", "перенос"):
        plan.cancel_event(db, event, reason)
        row = plan.get_event(db, event)
        assert row.status == "cancelled" and "\n" not in row.note
        assert row.note.endswith(f"Отменено: {reason}") and row.note.startswith(note)
        plan.reopen_event(db, event)
        row = plan.get_event(db, event)
        assert (row.status, row.note) == ("planned", note)
    plan.update_event(db, event, EventInput("conference", datetime(2026, 3, 12, 10, 0), "Europe/Moscow", 120,
                                            note=row.note))  # not refused «в одну строку»
    assert plan.get_event(db, event).duration_min == 120


def test_a_note_cancelled_by_an_earlier_version_loses_its_reason_line_on_undo(db, two):  # noqa: F811
    from sqlalchemy import update

    from app.persistence.models import PlannedEvent

    a, _b = two
    event = _event(db, a, "взять ноутбук")
    plan.cancel_event(db, event, "перенос")
    with db.unit() as s:  # as the version before wrote it: the reason on a line of its own
        s.execute(update(PlannedEvent).values(note="взять ноутбук\nОтменено: перенос"))
    plan.reopen_event(db, event)
    assert plan.get_event(db, event).note == "взять ноутбук"


def test_a_reason_that_does_not_fit_the_note_is_refused_and_nothing_changes(db, two):  # noqa: F811
    a, _b = two
    event = _event(db, a, "а" * (NOTE_MAX - 20))
    with pytest.raises(UserError, match="сократите её до 7 символов"):
        plan.cancel_event(db, event, "б" * 40)
    row = plan.get_event(db, event)
    assert (row.status, row.note) == ("planned", "а" * (NOTE_MAX - 20))
    plan.cancel_event(db, event, "б" * 7)  # «а…а · Отменено: ббббббб» is exactly the limit
    assert len(plan.get_event(db, event).note) == NOTE_MAX
