"""The window says what the command line says of a saved work-log entry (app.services.entry_notes): dated after
today (tester J: taken without a word) — in the quick entry, an edit and the timer's entry alike — and the timer's
entry dated before its client's contract (the timer logged it silently)."""

from datetime import date, datetime

from PySide6.QtCore import QDate

from app.services import worklog_timer
from app.services.clients import ClientInput, add_client
from app.services.entry_notes import entry_date_notes
from app.services.worklog import EntryInput
from ui.views.worklog import WorkLogView

TODAY = date(2025, 5, 20)


def _view(qtbot, db) -> WorkLogView:
    view = WorkLogView(db)
    qtbot.addWidget(view)
    view.today = lambda: TODAY
    view.clock = lambda: datetime(2025, 5, 20, 16, 0)
    return view


def test_an_entry_after_today_is_said_in_the_quick_entry_and_an_edit(qtbot, db):
    cid = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                                     contract_date=date(2025, 1, 10)))
    view = _view(qtbot, db)
    view.set_client(cid)
    view.entry_kind.setCurrentIndex(view.entry_kind.findData("conference"))
    view.entry_date.setDate(QDate(2025, 6, 20))
    view.entry_value.setText("60")
    entry = view.add_from_inputs()
    assert entry is not None
    assert view.message_label.text().endswith(
        f"Обратите внимание: запись № {entry} датирована 20.06.2025 — этот день ещё не наступил (сегодня "
        "20.05.2025)."), view.message_label.text()
    view.entry_date.setDate(QDate(2025, 5, 20))  # today: nothing to note
    view.entry_value.setText("30")
    assert view.add_from_inputs() is not None
    assert "Обратите внимание" not in view.message_label.text()
    assert view.edit_entry(entry, EntryInput(date(2025, 5, 21), "conference", minutes=45))
    assert "датирована 21.05.2025 — этот день ещё не наступил" in view.message_label.text()


def test_the_timers_entry_before_the_contract_is_said(qtbot, db):
    cid = add_client(db, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote",
                                     contract_date=date(2025, 6, 1)))  # signed next month: a call before it
    worklog_timer.start_timer(db, cid, now=datetime(2025, 5, 20, 15, 0))
    view = _view(qtbot, db)
    view.set_client(cid)
    entry = view.toggle_timer()
    assert entry is not None
    assert view.message_label.text() == (f"Обратите внимание: запись № {entry} датирована 20.05.2025 — раньше "
                                         "договора от 01.06.2025.")


def test_the_service_gives_both_notes_and_none_for_a_plain_entry(db):
    cid = add_client(db, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote",
                                     contract_date=date(2025, 6, 1)))
    from app.services.worklog import add_entry

    early = add_entry(db, cid, EntryInput(date(2025, 5, 25), "conference", minutes=30))[0]
    plain = add_entry(db, cid, EntryInput(date(2025, 6, 2), "conference", minutes=30))[0]
    assert entry_date_notes(db, early, today=date(2025, 5, 20)) == [
        f"Обратите внимание: запись № {early} датирована 25.05.2025 — раньше договора от 01.06.2025.",
        f"Обратите внимание: запись № {early} датирована 25.05.2025 — этот день ещё не наступил (сегодня "
        "20.05.2025)."]
    assert entry_date_notes(db, plain, today=date(2025, 6, 2)) == []
