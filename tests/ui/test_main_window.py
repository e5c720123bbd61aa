"""The main window on a demo database: moves by drag and drop and keyboard, the guard dialog, undo/redo,
checklist and lesson ticks, the client card, search, empty state, settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QTreeView, QWidget

from app.errors import UserError
from app.services import progress
from app.services.client_list import list_clients
from app.services.clients import get_client
from app.services.demo import fill_demo
from ui.actions import TAB_CHECKLIST, TAB_LESSONS
from ui.dialogs.stages.move_guard import MoveDecision, MoveGuardDialog
from ui.main_window import TAB_CARD, MainWindow
from ui.models.client_roles import ClientRole
from ui.views.card_column_view import CardColumnView


def make_window(qtbot, db, tmp_path, name="settings.ini") -> MainWindow:
    settings = QSettings(str(tmp_path / name), QSettings.Format.IniFormat)
    window = MainWindow(db, settings)
    window.errors = []
    window.show_error = window.errors.append
    window.ask_unsaved = lambda n: True
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.wait_for_background()
    return window


@pytest.fixture
def window(qtbot, db, tmp_path):
    fill_demo(db)
    return make_window(qtbot, db, tmp_path)


def stage_of(db, client_id: int) -> int:
    return list_clients(db, ids=[client_id])[0].stage


def history(db, client_id: int):
    return get_client(db, client_id).history


def client_at(db, stage: int, *, complete: bool | None = None) -> int:
    """A demo client at ``stage``; complete=True/False: whose current checklist is (not) finished."""
    for s in list_clients(db):
        if s.stage != stage:
            continue
        if complete is None or (s.checklist_done == s.checklist_total) == complete:
            return s.id
    raise AssertionError(f"no demo client at stage {stage} (complete={complete})")


def finish_stage(db, client_id: int) -> None:
    stage = stage_of(db, client_id)
    codes = [i.code for i in progress.checklist(db, client_id) if i.stage == stage and not i.done]
    if codes:
        progress.set_checklist(db, client_id, codes, True)


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user (QTest.keyClicks cannot type Cyrillic)."""
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, 0, Qt.KeyboardModifier.NoModifier, ch))


def answer_modal(action, attempts: int = 200) -> None:
    """Answer the next modal dialog (the real one, not a stand-in) from inside its event loop."""
    def handle(left=attempts):
        widget = QApplication.activeModalWidget()
        if widget is None:
            if left:
                QTimer.singleShot(10, lambda: handle(left - 1))
            return
        action(widget)
    QTimer.singleShot(0, handle)


def test_window_has_the_public_object_names_and_shows_the_database(window, db):
    for name, kind in [("clientList", QTableView), ("clientSearch", QWidget), ("stageKanban", QWidget),
                       ("lessonChecklist", QTreeView), ("stageChecklist", QTreeView), ("costCalculator", QWidget),
                       ("workLog", QWidget)]:
        assert window.findChild(kind, name) is not None, name
    assert db.display_name() in window.statusBar().currentMessage()
    window.statusBar().showMessage("временно", 1)
    QApplication.processEvents()
    assert window.findChild(QTableView, "clientList").model().rowCount() == 12
    shortcuts = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert shortcuts[window.act_new.text()] == "Ctrl+N"
    assert shortcuts[window.act_find.text()] == "Ctrl+F"
    assert shortcuts[window.act_signoff.text()] == "Ctrl+P"
    assert window.act_redo.shortcut().toString() == "Ctrl+Shift+Z"
    assert window.act_undo.shortcut().toString() == "Ctrl+Z"
    assert window.act_next.shortcut().toString() == "Ctrl+Right"


def test_status_bar_returns_to_the_database_after_a_message(window, db, qtbot):
    window.statusBar().showMessage("временно", 20)
    qtbot.waitUntil(lambda: db.display_name() in window.statusBar().currentMessage(), timeout=2000)


def test_kanban_columns_show_counts_and_cards(window):
    kanban = window.findChild(QWidget, "stageKanban")
    views = kanban.findChildren(CardColumnView)
    assert len(views) == 5
    assert sum(v.model().rowCount() for v in views) == 12
    counts = [sum(1 for s in window.work_area.clients.summaries() if s.stage == st) for st in range(5)]
    for column, count in zip(window.work_area.board.columns, counts, strict=True):
        assert f"· {count}" in column.header.text()
    assert window.work_area.board.columns[0].header.text().startswith("<b>Новый</b>")


def test_soft_limit_is_shown_when_exceeded(window):
    stage = max(range(5), key=lambda st: window.work_area.board.columns[st].model.total_count())
    window.work_area.board.set_limits([1] * 5)
    assert "⚠" in window.work_area.board.columns[stage].header.text()
    assert "/ 1" in window.work_area.board.columns[stage].header.text()


def _drop(view: QAbstractItemView, mime: QMimeData) -> None:
    """Deliver a real drag-enter / drag-move / drop sequence to a kanban column."""
    point = QPointF(view.viewport().width() // 2, view.viewport().height() - 5)
    actions = Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(point.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    assert move.isAccepted()
    QApplication.sendEvent(view.viewport(), QDropEvent(point, actions, mime, buttons, mods))


def test_drag_and_drop_moves_the_client_and_records_history(window, db, qtbot):
    client_id = client_at(db, 1)
    finish_stage(db, client_id)
    window.apply_changes(progress.set_checklist(db, client_id, ["s1.lessons"], True))
    source = window.work_area.board.view_of(1)
    row = next(r for r in range(source.model().rowCount())
               if source.model().index(r, 0).data(ClientRole.ID) == client_id)
    mime = source.model().mimeData([source.model().index(row, 0)])
    before = len(history(db, client_id))
    _drop(window.work_area.board.view_of(2), mime)
    qtbot.waitUntil(lambda: stage_of(db, client_id) == 2, timeout=3000)
    events = history(db, client_id)
    assert len(events) == before + 1
    assert (events[-1].from_stage, events[-1].to_stage, events[-1].forced) == (1, 2, False)
    target = window.work_area.board.view_of(2).model()
    assert client_id in [target.index(r, 0).data(ClientRole.ID) for r in range(target.rowCount())]
    assert window.errors == []


def test_drop_on_a_far_column_is_refused(window, db):
    client_id = client_at(db, 0)
    source = window.work_area.board.view_of(0).model()
    row = next(r for r in range(source.rowCount()) if source.index(r, 0).data(ClientRole.ID) == client_id)
    mime = source.mimeData([source.index(row, 0)])
    view = window.work_area.board.view_of(3)
    point = QPointF(10, 10)
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(point.toPoint(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), move)
    assert not move.isAccepted()
    assert stage_of(db, client_id) == 0


def test_keyboard_move_forward_with_unfinished_items_opens_the_guard_and_cancel_changes_nothing(window, db, qtbot):
    client_id = client_at(db, 1, complete=False)
    window.set_current_client(client_id)
    view = window.work_area.board.view_of(1)
    view.setFocus()
    before = (stage_of(db, client_id), len(history(db, client_id)))
    seen = {}

    def cancel(dialog):
        seen["dialog"] = isinstance(dialog, MoveGuardDialog)
        seen["text"] = dialog.message.text()
        seen["ok_enabled"] = dialog.ok.isEnabled()
        dialog.reject()

    answer_modal(cancel)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "dialog" in seen, timeout=3000)
    assert seen["dialog"] is True
    missing = progress.preview_move(db, client_id, 2).missing
    assert missing and all(item.title in seen["text"] for item in missing)
    assert seen["ok_enabled"] is False
    assert (stage_of(db, client_id), len(history(db, client_id))) == before
    assert window.work_area.clients.summary(client_id).stage == 1
    assert window.undo_stack.count() == 0


def test_guard_override_needs_the_tick_and_a_reason(window, db, qtbot):
    client_id = client_at(db, 1, complete=False)
    window.set_current_client(client_id)

    def override(dialog):
        assert not dialog.ok.isEnabled()
        dialog.reason.setPlainText("Заказчик начинает ввод складов параллельно")
        assert not dialog.ok.isEnabled()  # the override tick is still needed
        dialog.override.setChecked(True)
        assert dialog.ok.isEnabled()
        dialog.ok.click()

    answer_modal(override)
    assert window.move_current(+1)
    assert stage_of(db, client_id) == 2
    last = history(db, client_id)[-1]
    assert last.forced and last.reason == "Заказчик начинает ввод складов параллельно"


def test_moving_back_asks_for_a_reason_and_undo_redo_keep_history_honest(window, db, qtbot):
    client_id = client_at(db, 2)
    window.set_current_client(client_id)
    asked = []

    def decide(parent, preview, name):
        asked.append((preview.forward, preview.target))
        return MoveDecision(reason="Заказчик не закончил справочники", force=False)

    window.move_dialog = decide
    count = len(history(db, client_id))
    view = window.work_area.board.view_of(2)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert asked == [(False, 1)]
    assert stage_of(db, client_id) == 1
    assert window.work_area.board.view_of(1).currentIndex().data(ClientRole.ID) == client_id  # the card followed

    window.undo_stack.undo()
    assert stage_of(db, client_id) == 2
    events = history(db, client_id)
    assert len(events) == count + 2
    assert (events[-1].from_stage, events[-1].to_stage, events[-1].reason) == (1, 2, "Отмена перевода")
    assert window.work_area.clients.summary(client_id).stage == 2

    window.undo_stack.redo()
    assert stage_of(db, client_id) == 1
    assert history(db, client_id)[-1].reason.startswith("Повтор перевода")
    assert window.errors == []


def test_undo_is_refused_when_the_client_moved_since(window, db):
    client_id = client_at(db, 1)
    finish_stage(db, client_id)
    window.apply_changes(progress.set_checklist(db, client_id, ["s1.lessons"], True))
    window.set_current_client(client_id)
    assert window.move_current(+1)
    progress.move_stage(db, client_id, 1, reason="вручную")  # behind the window's back
    window.undo_stack.undo()
    assert stage_of(db, client_id) == 1
    assert len(window.errors) == 1 and isinstance(window.errors[0], UserError)
    assert window.undo_stack.count() == 0  # the obsolete command was dropped


def test_checklist_tick_rule_explained_and_undo(window, db, qtbot):
    client_id = client_at(db, 2)
    progress.set_checklist(db, client_id, ["s2.warehouses"], False)
    progress.set_checklist(db, client_id, ["s2.inventory"], False)
    window.set_current_client(client_id)
    window.show_tab(TAB_CHECKLIST)  # a hidden checklist reads when shown
    model = window.work_area.stage_checklist.model
    group = next(model.index(r, 0) for r in range(model.rowCount()) if model.group(model.index(r, 0)) == 2)
    rows = {model.item(model.index(r, 0, group)).code: model.index(r, 0, group) for r in range(model.rowCount(group))}

    model.setData(rows["s2.warehouses"], Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    banner = window.work_area.stage_checklist.banner
    assert not banner.isHidden() and "инвентаризация" in banner.text().lower()
    assert not next(i for i in progress.checklist(db, client_id) if i.code == "s2.warehouses").done

    model.setData(rows["s2.inventory"], Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    item = next(i for i in progress.checklist(db, client_id) if i.code == "s2.inventory")
    assert item.done and item.done_on is not None
    assert banner.isHidden()
    refreshed = window.work_area.stage_checklist.model
    assert any(i.code == "s2.inventory" and i.done for i in refreshed.items())
    done_before = window.work_area.clients.summary(client_id).checklist_done

    window.undo_stack.undo()
    assert not next(i for i in progress.checklist(db, client_id) if i.code == "s2.inventory").done
    assert window.work_area.clients.summary(client_id).checklist_done == done_before - 1
    window.undo_stack.redo()
    assert next(i for i in progress.checklist(db, client_id) if i.code == "s2.inventory").done


def test_untick_undo_restores_the_original_date(window, db):
    client_id = client_at(db, 3)
    window.set_current_client(client_id)
    window.show_tab(TAB_CHECKLIST)
    model = window.work_area.stage_checklist.model
    index = model.index_of(lambda i: i.code == "s1.lessons")
    original = model.item(index).done_on
    assert original is not None
    model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not next(i for i in progress.checklist(db, client_id) if i.code == "s1.lessons").done
    window.undo_stack.undo()
    restored = next(i for i in progress.checklist(db, client_id) if i.code == "s1.lessons")
    assert restored.done and restored.done_on == original


def test_lessons_tick_per_employee_next_lesson_and_video(window, db, qtbot):
    client_id = client_at(db, 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_LESSONS)
    view = window.work_area.lessons
    opened: list[QUrl] = []
    view.open_url = opened.append
    nxt = view.model.next_lesson()
    assert nxt is not None and str(nxt.number) in view.next_label.text()
    view.open_current_video()
    assert opened and opened[0].toString() == nxt.video_url

    employees = get_client(db, client_id).data.employees
    view.who.setCurrentIndex(view.who.findData(employees[0].uuid))
    assert view.model.done_count == 0
    index = view.model.index_of(lambda i: i.code == "L01")
    view.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    mine = progress.lessons(db, client_id, employee=employees[0].uuid)
    assert next(i for i in mine if i.code == "L01").done
    assert view.model.done_count == 1 and view.progress.value() == 1
    window.undo_stack.undo()
    assert not next(i for i in progress.lessons(db, client_id, employee=employees[0].uuid) if i.code == "L01").done


def test_search_box_filters_list_and_kanban(window, qtbot):
    search = window.findChild(QWidget, "clientSearch")
    type_text(search, "технопласт")
    window.work_area.list_panel.apply_filter()
    table = window.findChild(QTableView, "clientList")
    assert table.model().rowCount() == 1
    assert table.model().index(0, 0).data() == "ООО «ТехноПласт»"
    assert sum(c.model.rowCount() for c in window.work_area.board.columns) == 1
    assert "из 12" in window.count_label.text()
    search.clear()
    window.work_area.list_panel.apply_filter()
    assert table.model().rowCount() == 12


def test_card_validation_keeps_bad_input_and_saves_good_input(window, db, qtbot):
    client_id = client_at(db, 1)
    window.set_current_client(client_id)
    window.work_area.tabs.setCurrentIndex(TAB_CARD)
    card = window.work_area.card
    inn = card.form.fields["inn"]
    original_inn = inn.text()
    inn.clear()
    qtbot.keyClicks(inn, "7707083894")  # wrong check digit
    error = card.form.errors["inn"]
    assert error.isVisible() and "контрольн" in error.text().lower()
    assert card.is_dirty()
    assert card.save() is None
    assert get_client(db, client_id).data.inn == original_inn
    assert inn.text() == "7707083894"  # never lost from the form

    date_field = card.form.fields["contract_date"]
    date_field.clear()
    qtbot.keyClicks(date_field, "30.02.2024")
    assert card.form.errors["contract_date"].isVisible()
    date_field.clear()
    qtbot.keyClicks(date_field, "01.07.2024")
    inn.clear()
    qtbot.keyClicks(inn, "7707083893")
    card.form.employees.add_person()
    row = card.form.employees.rowCount() - 1
    card.form.employees.setData(card.form.employees.index(row, 0), "Новикова Анна")
    card.form.employees.setData(card.form.employees.index(row, 2), "ОТК")
    changes = card.save()
    assert changes is not None and client_id in changes.client_ids
    saved = get_client(db, client_id).data
    assert saved.inn == "7707083893" and saved.contract_date.isoformat() == "2024-07-01"
    assert saved.employees[-1].name == "Новикова Анна" and saved.employees[-1].department == "ОТК"
    assert not card.is_dirty()
    assert window.work_area.clients.summary(client_id).inn == "7707083893"


def test_unsaved_card_edits_survive_switching_clients(window, db, qtbot):
    first, second = (s.id for s in list_clients(db)[:2])
    window.set_current_client(first)
    name = window.work_area.card.form.fields["name"]
    name.setText("")
    type_text(name, "Черновик")
    window.set_current_client(second)
    assert window.work_area.card.form.fields["name"].text() != "Черновик"
    window.set_current_client(first)
    assert window.work_area.card.form.fields["name"].text() == "Черновик"
    assert window.work_area.card.is_dirty()
    assert get_client(db, first).data.name != "Черновик"


def test_history_is_shown_on_the_card(window, db):
    client_id = client_at(db, 3)
    window.set_current_client(client_id)
    assert window.work_area.card.history.rowCount() == len(history(db, client_id)) == 3
    assert window.findChild(QTableView, "stageHistory") is not None


def test_empty_database_explains_and_leaves_it_when_clients_arrive(qtbot, db, tmp_path):
    window = make_window(qtbot, db, tmp_path)
    assert window.work_area.stack.currentWidget() is window.work_area.empty_state
    assert window.work_area.empty_state.isVisible()
    assert window.act_demo.isEnabled()  # the demo opens a database of its own: tests/ui/test_first_run.py
    window.apply_changes(fill_demo(db)[1])
    assert window.work_area.clients.rowCount() == 12
    assert window.work_area.stack.currentWidget() is window.work_area.splitter


def test_geometry_splitter_and_tab_are_remembered(qtbot, db, tmp_path):
    fill_demo(db)
    window = make_window(qtbot, db, tmp_path, "remember.ini")
    window.resize(1300, 740)
    window.work_area.tabs.setCurrentIndex(3)
    window.work_area.splitter.setSizes([350, 950])
    sizes = window.work_area.splitter.sizes()
    window.work_area.list_panel.view.sortByColumn(window.work_area.clients.COL_DAYS, Qt.SortOrder.DescendingOrder)
    window.close()
    again = make_window(qtbot, db, tmp_path, "remember.ini")
    assert again.work_area.tabs.currentIndex() == 3
    assert again.work_area.splitter.sizes()[0] == sizes[0]
    proxy = again.work_area.list_panel.proxy
    days = [proxy.index(r, 0).data(ClientRole.DAYS) for r in range(proxy.rowCount())]
    assert days == sorted(days, reverse=True)


def test_settings_dialog_stores_threshold_limits_language_and_imports_a_plan(window, db, tmp_path):
    from app.services.board import stalled_days
    from ui.dialogs.settings.settings_dialog import SettingsDialog, column_limits

    plan = tmp_path / "plan.csv"
    plan.write_text("code;number;title;section;stage;duration_min;video_url\n"
                    "A1;1;Первый урок;Обзор;1;10;https://video.example.ru/a1\n"
                    "A2;2;Второй урок;Обзор;1;;\n", encoding="utf-8")
    received = []
    dialog = SettingsDialog(db, window.settings, window, choose_file=lambda parent: str(plan))
    dialog.changed.connect(received.append)
    dialog.changed.connect(window.apply_changes)
    dialog.import_plan()
    assert "2" in dialog.import_result.text()
    assert received and received[-1].catalogue
    assert window.work_area.clients.summaries()[0].lessons_total == 2
    dialog.stalled.setValue(90)
    dialog.limits[1].setValue(5)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    assert stalled_days(db) == 90
    assert window.work_area.clients.stalled_days == 90
    assert column_limits(window.settings)[1] == 5
    assert window.settings.value("ui/language") == "en"
    assert "/ 5" in window.work_area.board.columns[1].header.text()
    dialog.deleteLater()


def test_changes_from_other_widgets_go_through_the_same_refresh(window, db):
    client_id = client_at(db, 1)
    window.set_current_client(client_id)
    window.show_tab(TAB_CHECKLIST)
    changes = progress.set_checklist(db, client_id, ["s1.test_project"], True)
    window.ops.announce(changes, window.work_area.calculator)
    assert window.work_area.clients.summary(client_id).checklist_done == list_clients(db, ids=[client_id])[0].checklist_done
    assert any(i.code == "s1.test_project" and i.done for i in window.work_area.stage_checklist.model.items())


def test_delete_client_removes_it_everywhere(window, db):
    client_id = client_at(db, 0)
    window.set_current_client(client_id)
    window.confirm = lambda title, text: True
    window.delete_client()
    assert window.work_area.clients.summary(client_id) is None
    assert window.current_id is None
    assert all(s.id != client_id for s in list_clients(db))


def test_new_client_dialog_refuses_invalid_input_then_saves(window, db, qtbot):
    from ui.dialogs.clients.new_client import NewClientDialog

    dialog = NewClientDialog(db, window)
    qtbot.addWidget(dialog)
    dialog.form.fields["name"].setText("ООО «Новая»")
    dialog.form.fields["inn"].setText("123")
    dialog.accept()
    assert dialog.result() == 0 and dialog.client_id is None
    assert not dialog.form.errors["inn"].isHidden()
    assert dialog.form.fields["inn"].text() == "123"
    dialog.form.fields["inn"].setText("7728168971")
    dialog.accept()
    assert dialog.client_id is not None
    window.apply_changes(dialog.changes)
    assert window.work_area.clients.summary(dialog.client_id).name == "ООО «Новая»"


def test_screenshot_script_writes_a_png(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "shot.png"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(root / "scripts" / "screenshot.py"), "--size", "1000x700",
                             "-o", str(target)], capture_output=True, text=True, timeout=180, cwd=root)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_window_start_does_not_import_heavy_modules(tmp_path):
    import subprocess
    import sys

    code = ("import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'; import ui; "
            f"w = ui.create_main_window('sqlite:///{tmp_path / 'light.sqlite3'}'); assert w.wait_for_rows(60_000); "
            "print(','.join(m for m in ('reportlab', 'pypdf', 'cryptography', 'num2words') "
            "if m in sys.modules))")
    env = {**__import__("os").environ, "VNEDRENIE_DATA_DIR": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root,
                            env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1:] in ([""], []), result.stdout


def test_move_by_index_guard_dialog_class_directly(qtbot, db):
    fill_demo(db)
    client_id = client_at(db, 2)
    preview = progress.preview_move(db, client_id, 1)
    dialog = MoveGuardDialog(preview, "ООО «Тест»")
    qtbot.addWidget(dialog)
    assert dialog.override.isHidden()
    assert not dialog.ok.isEnabled()
    dialog.reason.setPlainText("нужно вернуться")
    assert dialog.ok.isEnabled()
    assert dialog.decision() == MoveDecision(reason="нужно вернуться", force=False)
    assert QModelIndex().isValid() is False


def test_ctrl_arrow_works_from_the_client_list_too(window, db, qtbot):
    client_id = client_at(db, 2)
    window.move_dialog = lambda parent, preview, name: MoveDecision(reason="вернуть", force=False)
    window.set_current_client(client_id)
    table = window.findChild(QTableView, "clientList")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert stage_of(db, client_id) == 1
    assert window.current_id == client_id
    assert table.currentIndex().data(ClientRole.ID) == client_id


def test_sorting_the_list_keeps_the_selected_client(window, db):
    client_id = client_at(db, 4)
    window.set_current_client(client_id)
    table = window.findChild(QTableView, "clientList")
    table.sortByColumn(window.work_area.clients.COL_DAYS, Qt.SortOrder.DescendingOrder)
    days = [table.model().index(r, 0).data(ClientRole.DAYS) for r in range(table.model().rowCount())]
    assert days == sorted(days, reverse=True)
    assert table.currentIndex().data(ClientRole.ID) == client_id
    assert window.current_id == client_id


def test_budget_estimate_against_actual_is_shown(window, db, monkeypatch):
    from decimal import Decimal

    from app.services import budget
    from app.services.budget import BudgetSummary

    client_id = client_at(db, 2)

    def fake(db, ids=None, **_options):  # the window asks for the clients with an estimate only
        return {client_id: BudgetSummary(client_id, Decimal("30000.00"), Decimal("42000.00"), Decimal(20),
                                         Decimal(28), Decimal(0), Decimal(0), True)}

    monkeypatch.setattr(budget, "budget_summaries", fake)  # the work area imports it when it reads
    window.reload_all()
    window.wait_for_background()
    window.set_current_client(client_id)
    row = window.work_area.board.columns[2].model.row_of(client_id)
    assert window.work_area.board.columns[2].model.index(row, 0).data(ClientRole.BUDGET).over_budget
    assert "перерасход: 42 000,00 ₽ из 30 000,00 ₽" in window.work_area.header.title.text()


def test_english_interface_when_chosen(qtbot, db, tmp_path):
    from app import i18n

    fill_demo(db)
    i18n.set_language("en")
    try:
        window = make_window(qtbot, db, tmp_path, "en.ini")
        assert window.work_area.tabs.tabText(0) == "Stage board"
        assert window.work_area.board.columns[1].header.text().startswith("<b>Stage 1</b>")
    finally:
        i18n.set_language("ru")


def test_other_helpers_dialogs_are_wired_and_their_changes_refresh(window, db, monkeypatch):
    import ui.dialogs.data.actions
    import ui.dialogs.documents.preview
    from app.services.changes import EVERYTHING, Changes

    calls = []
    client_id = client_at(db, 2)  # a stage completed: the sign-off sheet is offered (from stage 2)
    window.set_current_client(client_id)
    monkeypatch.setattr(ui.dialogs.documents.preview, "open_signoff_preview",
                        lambda parent, db, cid, stage=None: calls.append(("signoff", cid)) or Changes(documents=True))
    monkeypatch.setattr(ui.dialogs.data.actions, "backup_now", lambda parent, ops: calls.append(("backup",)))
    monkeypatch.setattr(ui.dialogs.data.actions, "restore_backup",  # a data action announces through the runner
                        lambda parent, ops: calls.append(("restore",)) or ops.run(lambda: EVERYTHING, initiator=parent))
    window.act_signoff.trigger()
    window.act_backup.trigger()
    window.move_dialog = lambda *args: MoveDecision(reason="тест", force=True)
    assert window.move_current(+1)
    assert window.undo_stack.count() == 1
    window.act_restore.trigger()
    assert calls == [("signoff", client_id), ("backup",), ("restore",)]
    assert window.undo_stack.count() == 0  # the database was replaced: old commands are gone
    assert window.work_area.clients.rowCount() == 12
