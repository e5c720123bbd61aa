"""A cancel's reason goes on a line of its own under the note, and an undo puts the note back as it was (fresh
testers, 2026-12-05: cancel and Ctrl+Z left «Отменено: …» on a planned event, a long reason made a note past its
2 000 characters — and then an undo that looked for « · Отменено: » cut the user's own text of that form). Since
2026-12-06 the note keeps its lines (tester O item 8), so a note with a reason's line can be edited again."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.errors import UserError
from app.services import plan, plan_read
from app.services.event_input import NOTE_MAX, EventInput
from tests.unit.test_plan import NOW, two  # noqa: F401


def _event(db, client, note: str = "") -> int:
    return plan.add_event(db, client, EventInput("conference", datetime(2026, 3, 12, 10, 0), "Europe/Moscow", 60,
                                                 note=note), on=NOW.date())[0]


@pytest.mark.parametrize("note", ["", "взять ноутбук", "Отменено: выезд 20.12, вместо него звонок",
                                  "Созвон по складу · Отменено: прошлый созвон, перенесён сюда"])
@pytest.mark.parametrize("reason", ["заказчик заболел", ""])
def test_cancel_and_undo_twice_give_back_the_note_as_it_was_and_it_can_be_edited(db, two, note, reason):  # noqa: F811
    a, _b = two
    event = _event(db, a, note)
    for _round in range(2):
        before = plan_read.get_event(db, event).note  # what the window's undo keeps
        plan.cancel_event(db, event, reason)
        row = plan_read.get_event(db, event)
        assert row.status == "cancelled" and row.note.startswith(note)
        assert row.note == ((f"{note}\nОтменено: {reason}" if note else f"Отменено: {reason}") if reason else note)
        plan.reopen_event(db, event, note=before)
        row = plan_read.get_event(db, event)
        assert (row.status, row.note) == ("planned", note)
    plan.update_event(db, event, EventInput("conference", datetime(2026, 3, 12, 10, 0), "Europe/Moscow", 120,
                                            note=row.note))  # the reason's line kept, not refused
    assert plan_read.get_event(db, event).duration_min == 120


def test_reopening_without_a_note_leaves_the_note(db, two):  # noqa: F811
    a, _b = two
    event = _event(db, a, "Созвон по складу · Отменено: прошлый созвон, перенесён сюда")
    plan.cancel_event(db, event)
    plan.reopen_event(db, event)
    assert plan_read.get_event(db, event).note == "Созвон по складу · Отменено: прошлый созвон, перенесён сюда"


def test_a_reason_that_does_not_fit_the_note_is_refused_and_nothing_changes(db, two):  # noqa: F811
    a, _b = two
    event = _event(db, a, "а" * (NOTE_MAX - 20))
    with pytest.raises(UserError, match="сократите её до 9 символов"):
        plan.cancel_event(db, event, "б" * 40)
    row = plan_read.get_event(db, event)
    assert (row.status, row.note) == ("planned", "а" * (NOTE_MAX - 20))
    plan.cancel_event(db, event, "б" * 9)  # «а…а⏎Отменено: ббббббббб» is exactly the limit
    assert len(plan_read.get_event(db, event).note) == NOTE_MAX


def test_a_reason_of_several_lines_keeps_them_under_the_note(db, two):  # noqa: F811
    a, _b = two
    event = _event(db, a, "Созвон по складу\nвзять ноутбук")
    plan.cancel_event(db, event, "заказчик заболел\r\nперенос на пятницу")
    assert plan_read.get_event(db, event).note == "Созвон по складу\nвзять ноутбук\nОтменено: заказчик заболел\nперенос на пятницу"
