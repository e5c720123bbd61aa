"""An undo or redo refused for now (the day's 24 hours full, another timer running) stays in the window's history to
be tried again; it was dropped, and with it the only way back to a deleted entry or a discarded timer (tester H)."""

from datetime import date, datetime

import pytest

from app.i18n import _
from app.services import worklog, worklog_read, worklog_timer
from app.services.clients import ClientInput, add_client
from app.services.worklog import EntryInput
from ui.views.worklog import WorkLogView

DAY = date(2024, 7, 19)


@pytest.fixture
def clients(db):
    return (add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote")),
            add_client(db, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote")))


@pytest.fixture
def view(qtbot, db, clients):
    widget = WorkLogView(db)
    qtbot.addWidget(widget)
    widget.today = lambda: date(2024, 7, 20)
    widget.set_client(clients[0])
    widget.refusals = []
    widget.ops.error_handler = widget.refusals.append  # no modal box in a test
    return widget


def live(db, client_id):
    return [(r.id, r.minutes) for r in worklog_read.list_entries(db, client_id).rows]


def test_an_undo_refused_by_the_days_hours_stays_to_be_tried_again(view, db, clients):
    first, second = clients
    entry_id = view.add_entry(EntryInput(DAY, "conference", minutes=1200))
    assert view.delete_entries([entry_id])
    other, _changes = worklog.add_entry(db, second, EntryInput(DAY, "conference", minutes=300))
    stack = view.ops.undo_stack
    count = stack.count()
    view.undo_action.trigger()
    assert live(db, first) == []
    assert len(view.refusals) == 1
    said = view.refusals[0].full_text()
    assert "24" in said and "Ctrl+Z" in said and "остаётся в истории" in said
    # the step is still the one to undo, and nothing was passed over
    assert stack.count() == count and stack.canUndo() and stack.undoText() == _("deleting a work-log entry")
    worklog.delete_entries(db, [other])  # time freed
    view.undo_action.trigger()
    assert live(db, first) == [(entry_id, 1200)] and len(view.refusals) == 1
    assert stack.undoText() == _("adding a work-log entry")  # the next step below


def test_a_redo_refused_by_the_days_hours_stays_to_be_tried_again(view, db, clients):
    first, second = clients
    entry_id = view.add_entry(EntryInput(DAY, "conference", minutes=1200))
    view.undo_action.trigger()  # the entry taken back
    other, _changes = worklog.add_entry(db, second, EntryInput(DAY, "conference", minutes=300))
    stack = view.ops.undo_stack
    view.redo_action.trigger()
    assert live(db, first) == [] and len(view.refusals) == 1
    assert "Ctrl+Shift+Z" in view.refusals[0].full_text()
    assert stack.canRedo() and stack.redoText() == _("adding a work-log entry") and not stack.canUndo()
    worklog.delete_entries(db, [other])
    view.redo_action.trigger()
    assert live(db, first) == [(entry_id, 1200)]


def test_undoing_a_discard_while_another_timer_runs_keeps_the_step(view, db, clients):
    first, second = clients
    view.clock = lambda: datetime(2024, 7, 19, 10, 0)
    view.toggle_timer()
    started = worklog_timer.timer_state(db).started
    assert view.discard_timer()
    worklog_timer.start_timer(db, second, now=datetime(2024, 7, 20, 9, 0))
    view.undo_action.trigger()
    assert worklog_timer.timer_state(db).client_id == second
    assert len(view.refusals) == 1 and "Лютик" in view.refusals[0].message
    assert view.ops.undo_stack.canUndo() and view.ops.undo_stack.undoText() == _("discarding the timer")
    worklog_timer.cancel_timer(db)  # the other timer stopped
    view.undo_action.trigger()
    state = worklog_timer.timer_state(db)
    assert state.client_id == first and state.started == started


def test_an_undo_refused_for_good_is_still_dropped(view, db, clients):
    """The data changed since (the entry deleted elsewhere): the step cannot succeed later and goes, as before."""
    entry_id = view.add_entry(EntryInput(DAY, "conference", minutes=30))
    view.edit_entry(entry_id, EntryInput(DAY, "conference", minutes=45))
    worklog.delete_entries(db, [entry_id])
    stack = view.ops.undo_stack
    assert stack.count() == 2
    view.undo_action.trigger()
    assert len(view.refusals) == 1 and "остаётся" not in view.refusals[0].full_text()
    assert stack.count() == 1 and stack.undoText() == _("adding a work-log entry")
