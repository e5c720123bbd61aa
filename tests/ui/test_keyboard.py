"""Keyboard use (tester K, 2026-12-05): Tab leaves every table, the agenda's actions without a mouse, an
Alt-letter on every menu item, Esc in the search box and in form dialogs, a city typed as the event's zone."""

from __future__ import annotations

from datetime import date, datetime
from itertools import pairwise
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QMenu, QMenuBar, QTableView, QWidget

from app import i18n
from app.services.demo import fill_demo
from app.services.demo_week import fill_demo_week
from tests.ui.test_main_window import make_window
from ui.dialogs import keyboard
from ui.dialogs.keyboard import mnemonic_of

TABLES = ("clientList", "agendaTable", "attentionTable")


def _names(widget: QWidget | None) -> list[str]:
    """The object names of ``widget`` and its ancestors, nearest first."""
    names = []
    while widget is not None:
        if widget.objectName():
            names.append(widget.objectName())
        widget = widget.parentWidget()
    return names


def _press(key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget:
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key, modifier)
    QApplication.processEvents()
    return QApplication.focusWidget()


def _walk(window, start: QWidget, presses: int, key) -> list[list[str]]:
    window.activateWindow()
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    QApplication.processEvents()
    return [_names(_press(key)) for _ in range(presses)]


@pytest.fixture
def week_window(qtbot, db, tmp_path):
    fill_demo(db, today=date.today())
    fill_demo_week(db, today=date.today())
    return make_window(qtbot, db, tmp_path)


@pytest.mark.parametrize("front, behind", [("attention", "agenda"), ("agenda", "attention")])
def test_tab_and_shift_tab_walk_the_whole_window_and_leave_every_table(week_window, front, behind):
    """Tab reaches every part of the window and leaves each table, and of the two tabbed docks only the one in
    front: Qt keeps the one behind visible (covered), and Tab walked into the hidden agenda (tester M)."""
    window = week_window
    window.findChild(QDockWidget, f"{front}Dock").raise_()
    QApplication.processEvents()
    search = window.work_area.list_panel.search
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        seen = _walk(window, search, 60, key)
        reached = {name for names in seen for name in names}
        for name in ("clientSearch", "clientList", "workTabs", f"{front}Table"):
            assert name in reached, (key, name, [n[:2] for n in seen])
        assert f"{behind}Dock" not in reached, (key, [n[:2] for n in seen])
        for before, after in pairwise(seen):  # a table hands the focus on at the next press
            if before[:1] and before[0] in TABLES:
                assert after[:1] != before[:1], (key, [n[:2] for n in seen])


def test_arrows_still_move_between_the_cells(week_window):
    view = week_window.work_area.list_panel.view
    week_window.activateWindow()
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1


def test_tab_leaves_a_dialogs_table_and_its_note_box(qtbot, db, tmp_path):
    from ui.dialogs.clients.new_client import NewClientDialog
    from ui.dialogs.plan.event_dialog import EventDialog

    dialog = NewClientDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    for table in dialog.findChildren(QTableView):
        table.setFocus()
        QApplication.processEvents()
        assert QApplication.focusWidget() is table
        assert _press(Qt.Key.Key_Tab) is not table, table.objectName()
    event = EventDialog([(1, "ООО «Ромашка»")], [], lambda _cid: [], lambda *_args: None, client_id=1)
    qtbot.addWidget(event)
    event.show()
    event.activateWindow()
    event.note.setFocus()
    QApplication.processEvents()
    QTest.keyClicks(event.note, "call")
    assert _press(Qt.Key.Key_Tab) is not event.note
    assert event.note.toPlainText() == "call"  # no tab typed into the note


# ---------------------------------------------------------------- the agenda without a mouse


def _agenda_with_a_row(window):
    [dock] = [d for d in window.findChildren(QDockWidget) if d.objectName() == "agendaDock"]
    dock.raise_()
    agenda = window.week.agenda
    QApplication.processEvents()
    row = next(r for r in range(agenda.model.rowCount()) if agenda.model.event_at(r))
    agenda.table.setCurrentIndex(agenda.model.index(row, 0))
    window.activateWindow()
    agenda.table.setFocus()
    QApplication.processEvents()
    return agenda, agenda.model.event_at(row).id


def _menu_on(widget: QWidget, key, modifier=Qt.KeyboardModifier.NoModifier) -> list[str]:
    """Press ``key`` on ``widget`` and return the texts of the context menu it opens (closed again at once)."""
    texts: list[str] = []
    widget.window().activateWindow()
    widget.setFocus()
    QApplication.processEvents()
    assert QApplication.focusWidget() is widget

    def look() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu):
            texts.extend(a.text() for a in popup.actions() if not a.isSeparator())
            popup.close()

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(10)
    try:
        if key == Qt.Key.Key_Menu:  # what the platform makes of the Menu key (the offscreen one makes nothing)
            event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(2, 2),
                                      widget.mapToGlobal(QPoint(2, 2)))
            QApplication.sendEvent(widget, event)
        else:
            QTest.keyClick(widget, key, modifier)
        QApplication.processEvents()
    finally:
        timer.stop()
    return texts


@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform on a popup menu
def test_the_agenda_has_keys_a_context_menu_and_alt_letters(week_window):
    agenda, event_id = _agenda_with_a_row(week_window)
    asked = []
    for signal, name in ((agenda.edit_requested, "edit"), (agenda.complete_requested, "done"),
                         (agenda.cancel_requested, "cancel"), (agenda.client_requested, "client")):
        signal.disconnect()
        signal.connect(lambda value, name=name: asked.append((name, value)))
    client_id = agenda.table.currentIndex().data(agenda.model.ClientIdRole)
    _press(Qt.Key.Key_Return)
    _press(Qt.Key.Key_F2)
    _press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _press(Qt.Key.Key_Delete)
    _press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert asked == [("edit", event_id), ("edit", event_id), ("done", event_id), ("cancel", event_id),
                     ("client", client_id)]
    for key, modifier in ((Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)):
        texts = _menu_on(agenda.table, key, modifier)
        assert [t.replace("&", "") for t in texts] == [
            "Изменить…", "Проведено…", "Отменить событие…", "Открыть заказчика", "Запланировать событие…"], texts
        _assert_unique_letters(texts)
    buttons = (agenda.add_button, agenda.edit_button, agenda.done_button, agenda.cancel_button, agenda.client_button)
    letters = [mnemonic_of(b.text()) for b in buttons]
    assert None not in letters and len(set(letters)) == len(letters)
    bar = {mnemonic_of(a.text()) for a in week_window.menuBar().actions()}
    assert not bar & set(letters), (bar, letters)  # Alt+letter of a button is not a menu's


def test_alt_letter_presses_an_agenda_button(week_window, qtbot):
    agenda, event_id = _agenda_with_a_row(week_window)
    asked = []
    agenda.complete_requested.disconnect()
    agenda.complete_requested.connect(asked.append)
    for action in (QTest.KeyAction.Press, QTest.KeyAction.Release):  # Alt+Р: «П&роведено…»
        QTest.sendKeyEvent(action, agenda.table, Qt.Key(ord("Р")), "р", Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: asked == [event_id])  # a button's Alt-letter clicks it after its animation


# ---------------------------------------------------------------- menus' Alt-letters


def _assert_unique_letters(texts: list[str]) -> None:
    letters = []
    for text in texts:
        plain = text.replace("&&", "")
        assert plain.count("&") == 1, text
        letter = mnemonic_of(text)
        assert letter is not None and letter.isalnum(), text
        letters.append(letter)
    assert len(set(letters)) == len(letters), texts


def _check_menus(bar: QMenuBar) -> int:
    titles = [a.text() for a in bar.actions()]
    _assert_unique_letters(titles)
    checked = 0
    for action in bar.actions():
        menu = action.menu()
        assert isinstance(menu, QMenu)
        menu.aboutToShow.emit()  # as opening it does: a text changed since gets its letter again
        _assert_unique_letters([a.text() for a in menu.actions() if not a.isSeparator()])
        checked += len(menu.actions())
    return checked


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_menu_item_has_its_own_alt_letter(qtbot, db, tmp_path, language):
    fill_demo(db)
    i18n.set_language(language)
    try:
        window = make_window(qtbot, db, tmp_path, f"{language}.ini")
        bar = window.menuBar()
        assert _check_menus(bar) > 30
        titles = [a.text().replace("&", "") for a in bar.actions()]
        assert titles[-1] == ("Справка" if language == "ru" else "Help"), titles  # Help stays the last menu
        window.set_current_client(window.work_area.clients.row_at(0).id)
        window.move_dialog = lambda *args: __import__(
            "ui.dialogs.stages.move_guard", fromlist=["MoveDecision"]).MoveDecision(reason="тест", force=True)
        assert window.move_current(+1)  # Undo's text changes: the menu gives it a letter again when it opens
        assert _check_menus(bar)
    finally:
        i18n.set_language("ru")


def test_mnemonics_keep_an_explicit_letter_and_prefer_a_word_start():
    from ui.dialogs.keyboard import with_mnemonic

    taken: set[str] = set()
    assert with_mnemonic("&Файл", taken) == "&Файл"
    assert with_mnemonic("Акт оказанных услуг…", taken) == "&Акт оказанных услуг…"
    assert with_mnemonic("Акты за месяц…", taken) == "Акты &за месяц…"
    assert with_mnemonic("ф", {"ф"}) == "ф"  # nothing free: unchanged
    assert taken == {"ф", "а", "з"}


# ---------------------------------------------------------------- search


def test_esc_clears_the_search_then_goes_to_the_list(week_window):
    panel = week_window.work_area.list_panel
    week_window.activateWindow()
    panel.focus_search()
    panel.search.insert("Кубань")
    panel.apply_filter()
    assert panel.proxy.rowCount() < panel.model.rowCount()
    QTest.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == "" and panel.proxy.rowCount() == panel.model.rowCount()
    assert QApplication.focusWidget() is panel.search
    QTest.keyClick(panel.search, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is panel.view and panel.view.currentIndex().isValid()


@pytest.mark.parametrize("typed", ["Кубань-Агромаш", "кубань – агромаш", "Кубань Агромаш, ООО", "Агромаш, ООО"])
def test_search_finds_a_dashed_name_and_the_lists_own_form(week_window, typed):
    panel = week_window.work_area.list_panel
    panel.search.setText(typed)
    panel.apply_filter()
    names = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    assert names == ["ООО «Кубань Агромаш»"], (typed, names)


def test_search_finds_every_name_as_the_list_shows_it(week_window):
    from ui.models.names import list_name

    panel = week_window.work_area.list_panel
    for row in range(panel.model.rowCount()):
        name = panel.model.row_at(row).name
        panel.search.setText(list_name(name))
        panel.apply_filter()
        found = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
        assert name in found, (list_name(name), found)


# ---------------------------------------------------------------- form dialogs


def test_esc_asks_before_throwing_a_typed_new_client_away(qtbot, db, monkeypatch):
    from ui.dialogs.clients.new_client import NewClientDialog

    answers: list[bool] = []
    asked = []
    monkeypatch.setattr(keyboard, "confirm_discard", lambda dialog: bool(asked.append(dialog)) or answers.pop(0))
    dialog = NewClientDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not dialog.isVisible() and asked == [] and dialog.result() == QDialog.DialogCode.Rejected
    dialog = NewClientDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    name = dialog.form.fields["name"]
    name.setFocus()
    name.insert("ООО «Восток»")
    answers[:] = [False, True]
    QTest.keyClick(name, Qt.Key.Key_Escape)  # «Продолжить ввод»
    assert dialog.isVisible() and name.text() == "ООО «Восток»" and len(asked) == 1
    dialog.close()  # a close not from the window's button (the program's own) is not asked about
    dialog.show()
    QTest.keyClick(name, Qt.Key.Key_Escape)  # «Закрыть без сохранения»
    assert not dialog.isVisible() and len(asked) == 2


def test_every_form_dialog_asks_before_discarding(qtbot, db, client_id):
    from app.services.progress import MovePreview
    from ui.dialogs.form_dialog import FormDialog
    from ui.dialogs.plan.event_dialog import EventDialog
    from ui.dialogs.questions.question_dialog import QuestionDialog
    from ui.dialogs.stages.move_guard import MoveGuardDialog
    from ui.dialogs.worklog.entry import EntryDialog

    event = EventDialog([(client_id, "ООО «Ромашка»")], [], lambda _cid: [], lambda *_args: None,
                        client_id=client_id)
    question = QuestionDialog("ООО «Ромашка»", [], lambda _data: None)
    entry = EntryDialog(SimpleNamespace(on_date=date(2026, 12, 1), kind="conference", minutes=60, days=None,
                                        amount=None, stage=1, note=""))
    move = MoveGuardDialog(MovePreview(1, 1, 2, True, []), "ООО «Ромашка»")
    for dialog in (event, question, entry, move):
        qtbot.addWidget(dialog)
        assert isinstance(dialog, FormDialog), type(dialog).__name__
    event.show()
    assert not event.typed()
    event.section.setText("Склад")
    assert event.typed()
    event.section.setText("")
    assert not event.typed()


# ---------------------------------------------------------------- the event's zone


def test_a_city_or_a_lowercase_name_is_the_events_zone(qtbot, db, client_id):
    from app.services import plan, plan_read
    from ui.dialogs.plan.event_dialog import EventDialog

    saved = []

    def submit(cid, data):
        saved.append(plan_read.get_event(db, plan.add_event(db, cid, data)[0]).time_zone)

    for typed, zone in (("Владивосток", "Asia/Vladivostok"), ("asia/vladivostok", "Asia/Vladivostok"),
                        ("г. Калининград", "Europe/Kaliningrad")):
        dialog = EventDialog([(client_id, "ООО «Ромашка»")], [], lambda _cid: [], submit, client_id=client_id,
                             start=datetime(2027, 3, 10, 10, 0))
        qtbot.addWidget(dialog)
        dialog.zone.setCurrentText(typed)
        assert dialog.zone_reason.text() == f"Часовой пояс: {zone}"
        dialog.accept()
        assert dialog.error.isHidden() or not dialog.error.text(), dialog.error.text()
        assert saved[-1] == zone


def test_the_events_client_is_found_by_any_part_of_its_name(qtbot):
    from ui.dialogs.plan.event_dialog import EventDialog

    saved = []
    clients = [(1, "ООО «Воронежская упаковка»"), (2, "ООО «Владивостокский порт»"), (3, "АО «Заря»")]
    dialog = EventDialog(clients, [], lambda _cid: [], lambda cid, data: saved.append(cid), client_id=1)
    qtbot.addWidget(dialog)
    completer = dialog.client.completer()
    assert dialog.client.isEditable() and completer is not None
    completer.setCompletionPrefix("владивост")  # not the start of the name, and in lower case
    assert completer.completionCount() == 1 and completer.currentCompletion() == "ООО «Владивостокский порт»"
    dialog.client.lineEdit().setText("ООО «Владивост")  # typed, nothing picked: not the previous client
    dialog.accept()
    assert saved == [] and dialog.error.text() == "Выберите заказчика."
    dialog.client.lineEdit().setText("ооо «владивостокский порт»")
    dialog.accept()
    assert saved == [2]
