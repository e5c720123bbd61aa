"""Issue 16 wired into the main window: docks, the card's questions page, open questions on the kanban
card, search by question text, Settings pages, and the week's actions on the window's one undo stack."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDockWidget

from app.services import questions
from app.services.changes import Changes
from app.services.client_list import list_clients
from app.services.demo import fill_demo
from app.services.questions import QuestionInput
from tests.ui.test_main_window import make_window
from ui.actions import TAB_CARD
from ui.dialogs.settings.settings_dialog import SettingsDialog
from ui.models.client_roles import ClientRole


def test_the_week_lives_in_the_window(qtbot, db, tmp_path):
    fill_demo(db)
    client = list_clients(db)[0]
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    assert {d.objectName() for d in window.findChildren(QDockWidget)} >= {"agendaDock", "attentionDock"}
    assert window.week is not None
    sections = area.card.sections
    assert [sections.tabText(i) for i in range(sections.count())] == ["Подробности", "Вопросы", "История изменений"]

    row = area.clients.index(area.clients.row_of(client.id), 0)
    before = questions.open_question_counts(db, [client.id]).get(client.id, 0)
    _qid, changes = questions.add_question(db, client.id, QuestionInput(date.today(), "phone",
                                                                        "Как провести зарплатную ведомость?"))
    window.apply_changes(changes)
    assert area.clients.open_questions(client.id) == before + 1
    assert row.data(ClientRole.CARD)[4] == before + 1

    window.set_current_client(client.id)
    log = window.week.questions.model
    assert log.rowCount() == 0  # the questions page is hidden: it reads when shown (issue 11 §1)
    window.show_tab(TAB_CARD)
    sections.setCurrentIndex(1)
    assert any("зарплатную" in str(log.index(r, c).data() or "")
               for r in range(log.rowCount()) for c in range(log.columnCount()))

    area.list_panel.search.setText("зарплатную ведомость")
    area.list_panel.apply_filter()
    shown = [area.list_panel.proxy.index(r, 0).data() for r in range(area.list_panel.proxy.rowCount())]
    assert shown == [area.clients.summary(client.id).name]


def test_week_actions_use_the_window_undo_stack(qtbot, db, tmp_path):
    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    assert window.week.undo_stack is window.ops.undo_stack


def test_settings_has_the_template_rates_and_reminders_pages(qtbot, db, tmp_path):
    dialog = SettingsDialog(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(dialog)
    titles = [dialog.pages.tabText(i) for i in range(dialog.pages.count())]
    assert titles == ["Общие", "Шаблон чек-листа", "Ставки", "Напоминания"]
    announced = []
    dialog.ops.changed.connect(lambda changes, _initiator: announced.append(changes))
    dialog.reminders_page.changed.emit(Changes(settings=True))
    assert announced and announced[-1].settings


def test_a_move_rereads_only_the_moved_clients_reminders(qtbot, db, tmp_path, monkeypatch):
    """Issue 11's bench clause: a move re-read every client's reminders on the UI thread; now the moved
    client's only, merged in place — and the panel ends as a full read would leave it."""
    from sqlalchemy import update

    from app.domain.estimate import EstimateInput
    from app.persistence.models import Client
    from app.services import reminders
    from app.services.estimates import save_estimate
    from app.services.worklog import EntryInput, add_entry
    from ui.dialogs.stages.move_guard import MoveDecision

    fill_demo(db)
    moved = next(c for c in list_clients(db) if 1 <= c.stage <= 3)
    save_estimate(db, moved.id, moved.approach, EstimateInput(conference_hours=Decimal(1)))
    add_entry(db, moved.id, EntryInput(date.today(), "conference", minutes=600))  # over its estimate
    with db.unit() as s:  # everyone stalled: the panel has a row per client, the moved one loses its row
        s.execute(update(Client).values(stage_since=date(2020, 1, 1)))
    window = make_window(qtbot, db, tmp_path)
    panel = window.week.attention
    assert panel.model.rows() == reminders.attention(db)
    assert ("estimate_exceeded", moved.id) in [(r.kind, r.client_id) for r in panel.model.rows()]
    other = next(r for r in panel.model.rows() if r.client_id != moved.id)
    kept_row = panel.model.rows().index(other)
    panel.table.selectRow(kept_row)
    reads = []
    real = reminders.attention
    monkeypatch.setattr(reminders, "attention",
                        lambda db, **kw: reads.append((kw.get("client_ids"), tuple(kw.get("kinds") or ()))) or real(db, **kw))
    window.stages.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    assert window.request_move(moved.id, moved.stage - 1)
    # the moved client, without its budget (a move changes none: the row is kept, not priced); every client's
    # events (the clock may have turned one overdue) only once the move is painted, not with it
    assert reads == [(frozenset({moved.id}), ("stalled", "act_unreturned", "stage_unreadable", "inventory_missing"))]
    assert window.week.events_deferred()
    qtbot.waitUntil(lambda: len(reads) == 2)
    assert reads == [(frozenset({moved.id}), ("stalled", "act_unreturned", "stage_unreadable", "inventory_missing")),
                     (None, ("event_overdue", "event_today"))]
    qtbot.waitUntil(lambda: not window.week.events_deferred())  # read in a worker, shown when it is in
    assert panel.model.rows() == real(db)
    assert not any(r.client_id == moved.id and r.kind == "stalled" for r in panel.model.rows())
    selected = panel.table.selectionModel().selectedRows()
    assert [panel.model.rows()[i.row()] for i in selected] == [other]  # the user's row stays selected
    assert panel.title.text() == f"Требует внимания ({len(real(db))})"
    window.undo_stack.undo()  # the undone move brings the row back, still one client's read
    qtbot.waitUntil(lambda: len(reads) == 4)
    assert reads[-2:] == reads[:2]
    assert panel.model.rows() == real(db)


def test_every_clients_events_are_read_off_the_ui_thread_after_an_action(qtbot, db, tmp_path, monkeypatch):
    """After an action's paint the dock re-reads every client's event reminders (the clock may have turned one
    overdue) in a worker: ~1.5 ms the UI thread no longer waits after each action (issue 15 §3)."""
    import threading

    from app.services import reminders
    from ui.dialogs.stages.move_guard import MoveDecision

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    moved = next(c for c in list_clients(db) if 1 <= c.stage <= 3)
    threads = []
    real = reminders.attention
    monkeypatch.setattr(reminders, "attention", lambda db, **kw: (
        threads.append(threading.current_thread()) if kw.get("client_ids") is None else None) or real(db, **kw))
    window.stages.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    assert window.request_move(moved.id, moved.stage - 1)
    qtbot.waitUntil(lambda: bool(threads) and not window.week.events_deferred())
    assert threads and threading.main_thread() not in threads
    assert window.week.attention.model.rows() == real(db)


def test_an_events_read_overtaken_by_a_newer_one_is_dropped(qtbot, db, tmp_path, monkeypatch):
    """Two actions in a row start two reads; the answers come back on the UI thread, the first one first (one
    worker): only the newer one is shown — and an answer overtaken by a full read of every reminder is dropped."""
    from app.services import reminders

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    qtbot.waitUntil(lambda: not window.background_pending(), timeout=10_000)  # the start's own reads are done
    week = window.week
    calls, shown = [], []
    real = reminders.attention

    def attention(db, **kw):
        if tuple(kw.get("kinds") or ()) != tuple(reminders.EVENT_KINDS) or kw.get("client_ids") is not None:
            return real(db, **kw)
        calls.append(1)
        return [f"read {len(calls)}"]

    monkeypatch.setattr(reminders, "attention", attention)
    monkeypatch.setattr(week.attention, "replace_clients", lambda fresh, *args: shown.append(fresh))
    week._refresh_events()
    week._refresh_events()  # a newer one, before the first answer is in
    assert week.events_deferred()
    qtbot.waitUntil(lambda: not week.events_deferred())
    qtbot.waitUntil(lambda: not window.tasks.running())
    assert calls == [1, 1] and shown == [["read 2"]]

    week._refresh_events()
    week._attention_generation += 1  # as a full read of every reminder started meanwhile does
    qtbot.waitUntil(lambda: not week.events_deferred())
    qtbot.waitUntil(lambda: not window.tasks.running())
    assert len(calls) == 3 and shown == [["read 2"]]


def test_a_window_closed_right_after_an_action_reads_nothing_more(qtbot, db, tmp_path, monkeypatch):
    """A fresh reviewer's case: the events' re-read waiting for the action's paint fired inside the close's own
    wait for the tasks and read the database in a worker while it was disposed of. Closing cancels it, and a
    closed window's task manager starts nothing."""
    from app.services import reminders
    from ui.dialogs.stages.move_guard import MoveDecision

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    qtbot.waitUntil(lambda: not window.background_pending(), timeout=10_000)
    moved = next(c for c in list_clients(db) if 1 <= c.stage <= 3)
    window.stages.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    assert window.request_move(moved.id, moved.stage - 1)
    assert window.week.events_deferred()  # the re-read waits for the move's paint
    late = []
    real = reminders.attention
    monkeypatch.setattr(reminders, "attention", lambda db, **kw: late.append(kw) or real(db, **kw))
    window.close()
    qtbot.wait(700)  # the gate's fallback (500 ms) would have fired by now
    assert late == []
    assert not window.week.events_deferred()
    ran = []
    window.tasks.start(lambda _progress: ran.append(1))
    qtbot.wait(50)
    assert ran == [] and not window.tasks.running()


def test_work_logged_over_the_estimate_adds_that_clients_reminder_in_place(qtbot, db, tmp_path, monkeypatch):
    from app.domain.estimate import EstimateInput
    from app.services import reminders
    from app.services.clients import ClientInput, add_client
    from app.services.estimates import save_estimate
    from app.services.worklog import EntryInput, add_entry

    fill_demo(db)
    client = list_clients(db, ids=[add_client(db, ClientInput(name="ООО «Перерасход»", inn="7702070139",
                                                                              approach="remote"))])[0]
    save_estimate(db, client.id, client.approach, EstimateInput(conference_hours=Decimal(1)))
    window = make_window(qtbot, db, tmp_path)
    panel = window.week.attention
    assert ("estimate_exceeded", client.id) not in [(r.kind, r.client_id) for r in panel.model.rows()]
    reads = []
    real = reminders.attention
    monkeypatch.setattr(reminders, "attention",
                        lambda db, **kw: reads.append((kw.get("client_ids"), tuple(kw.get("kinds") or ()))) or real(db, **kw))
    window.apply_changes(add_entry(db, client.id, EntryInput(date.today(), "conference", minutes=600))[1])
    qtbot.waitUntil(lambda: len(reads) == 2)
    assert reads == [(frozenset({client.id}), ("stalled", "act_unreturned", "estimate_exceeded", "log_unreadable",
                                               "stage_unreadable", "inventory_missing")),
                     (None, ("event_overdue", "event_today"))]
    assert ("estimate_exceeded", client.id) in [(r.kind, r.client_id) for r in panel.model.rows()]
    assert panel.model.rows() == real(db)


def test_events_planned_by_another_program_reach_the_agenda(qtbot, db, tmp_path):
    """A `plan add` from the CLI is announced as ELSEWHERE: the agenda re-reads (it did not: no plan flag)."""
    from datetime import datetime, timedelta

    from app.services import plan
    from app.services.event_input import EventInput
    from app.services.watch import ELSEWHERE

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    docks["agendaDock"].raise_()
    client = list_clients(db)[0]
    start = (datetime.now() + timedelta(days=1)).replace(hour=11, minute=0, second=0, microsecond=0)
    event_id = plan.add_event(db, client.id, EventInput("call", start, "Europe/Moscow", 30))[0]
    window.ops.announce(ELSEWHERE, window.watcher)  # what the watcher announces for another program's write
    model = window.week.agenda.model
    shown = [model.index(row, 0).data(model.EventIdRole) for row in range(model.rowCount())]
    assert event_id in shown


def test_an_event_the_clock_made_overdue_shows_so_after_an_action_on_another_client(qtbot, db, tmp_path):
    """Trial finding: the dock re-read only the acted-on client, so an event of another client that had ended
    meanwhile still said «today» after the action; events are re-read for every client on each refresh."""
    from datetime import UTC, datetime, timedelta

    import time_machine

    from app.services import plan, reminders
    from app.services.event_input import EventInput
    from ui.dialogs.stages.move_guard import MoveDecision

    fill_demo(db)
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon.astimezone(UTC), tick=False):
        clients = [c for c in list_clients(db) if 1 <= c.stage <= 3]
        with_event, moved = clients[0], clients[1]
        start = noon.astimezone(UTC).replace(tzinfo=None) + timedelta(minutes=30)  # wall clock of the UTC zone
        event_id = plan.add_event(db, with_event.id, EventInput("call", start, "UTC", 15))[0]
        window = make_window(qtbot, db, tmp_path)
        panel = window.week.attention
        assert ("event_today", event_id) in [(r.kind, r.ref_id) for r in panel.model.rows()]
    with time_machine.travel(noon.astimezone(UTC) + timedelta(hours=2), tick=False):
        window.stages.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
        assert window.request_move(moved.id, moved.stage - 1)
        qtbot.waitUntil(lambda: not window.week.events_deferred())  # after the move's paint
        shown = [(r.kind, r.ref_id) for r in panel.model.rows() if r.ref_id == event_id]
        assert shown == [("event_overdue", event_id)]
        assert panel.model.rows() == reminders.attention(db)


def test_start_reads_the_reminders_once_for_the_panel_and_the_start_line(qtbot, db, tmp_path, monkeypatch):
    from app.services import reminders

    fill_demo(db)
    expected = reminders.attention(db)
    assert expected  # the demo has clients needing attention
    calls = []
    real = reminders.attention
    monkeypatch.setattr(reminders, "attention", lambda *a, **k: calls.append((a, k)) or real(*a, **k))
    window = make_window(qtbot, db, tmp_path)
    full_reads = [c for c in calls if not c[1]]
    assert len(full_reads) == 1  # every client's reminders grow with the clients: read once at start
    assert window.week.attention.model.rowCount() == len(expected)
