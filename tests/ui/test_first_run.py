"""Issue 14, point 4: an empty database offers three paths (requisites, CSV import, demo); the demo opens a
database of its own, marked «ДЕМО», and leaving it returns to the real database untouched."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from app.services.client_list import list_clients
from app.services.demo_workspace import demo_database_path, is_demo
from app.services.documents import get_executor
from ui.controllers.demo import open_demo_window
from ui.main_window import MainWindow, open_window
from ui.views.first_run import FirstRunView


def real_window(qtbot, db, tmp_path) -> MainWindow:
    window = MainWindow(db, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window.errors = []
    window.show_error = window.errors.append
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.wait_for_background()
    return window


def test_empty_database_offers_three_paths(qtbot, db, tmp_path):
    window = real_window(qtbot, db, tmp_path)
    page = window.work_area.stack.currentWidget()
    assert isinstance(page, FirstRunView) and page is window.work_area.empty_state and page.isVisible()
    buttons = {b.objectName(): b.text() for b in page.findChildren(QPushButton)}
    assert buttons["firstRunRequisites"] == "Ввести реквизиты…"
    assert buttons["firstRunImport"] == "Импорт заказчиков из CSV…"
    assert buttons["createDemo"] == "Открыть демо"
    headings = [label.text() for label in page.findChildren(QLabel)]
    assert "1. Реквизиты вашей организации" in headings
    assert "2. Заказчики из файла CSV" in headings
    assert "3. Осмотреться в демо" in headings
    imports = []
    window.import_clients_csv = lambda: imports.append(True)  # the button is wired through the signal
    page.import_requested.disconnect()
    page.import_requested.connect(window.import_clients_csv)
    page.import_button.click()
    assert imports == [True]


def test_requisites_form_checks_inn_and_saves(qtbot, db, tmp_path, monkeypatch):
    from ui.dialogs.documents import executor as documents
    from ui.dialogs.documents.executor import ExecutorDialog

    window = real_window(qtbot, db, tmp_path)
    page = window.work_area.empty_state
    attempts = []

    def fill_in(parent, database):
        dialog = ExecutorDialog(database, parent)
        values = {"company": "ООО «Исполнитель»", "inn": "7707083894", "kpp": "77010100", "ogrn": "123",
                  "address": "г. Москва, ул. Тверская, д. 7", "city": "Москва",
                  "specialist_name": "Николаев Артём Сергеевич", "specialist_position": "Специалист по внедрению"}
        for name, value in values.items():
            dialog.edits[name].setText(value)
        attempts.append(dialog.save())  # wrong ИНН checksum, short КПП, short ОГРН: refused
        attempts.append(dialog.error_label.text())
        dialog.edits["inn"].setText("7707083893")
        dialog.edits["kpp"].setText("770101001")
        dialog.edits["ogrn"].setText("1027700132195")
        attempts.append(dialog.save())
        dialog.deleteLater()
        return dialog.changes

    monkeypatch.setattr(documents, "open_executor_settings", fill_in)
    page.requisites_button.click()
    assert attempts[0] is False and "ИНН" in attempts[1] and "КПП" in attempts[1] and "ОГРН" in attempts[1]
    assert attempts[2] is True
    saved = get_executor(db)
    assert (saved.inn, saved.kpp, saved.ogrn) == ("7707083893", "770101001", "1027700132195")
    assert page.requisites_card.status.text() == "✓ Заполнено: ООО «Исполнитель»"
    assert page.requisites_button.text() == "Изменить реквизиты…"
    assert list_clients(db) == [] and not is_demo(db)


def test_demo_opens_apart_and_leaving_returns_to_the_real_database(qtbot, db, tmp_path, monkeypatch):
    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    app = QApplication.instance()
    window = real_window(qtbot, db, tmp_path)
    try:
        window.work_area.empty_state.demo_button.click()
        demo = next(w for w in app.topLevelWidgets() if w.objectName() == "demoWindow")
        assert demo.wait_for_rows(60_000)
        assert demo.windowTitle() == f"ДЕМО — Внедрение АСУ «Менеджмент» — {demo.db.display_name()}"
        assert demo.findChild(QLabel, "demoBadge").text().startswith("ДЕМО")
        assert demo.work_area.clients.rowCount() == 12
        assert demo_database_path().exists() and demo_database_path().parent == tmp_path / "data"
        assert is_demo(demo.db) and demo.db.url != db.url
        assert not window.isVisible()
        assert list_clients(db) == [] and not is_demo(db)  # the real database never saw the demo
        assert open_demo_window(demo, open_window) is None  # the demo's own «Open the demo» opens nothing more
        assert demo.statusBar().currentMessage() == "Это окно уже показывает демонстрационную базу."

        demo.leave_demo_action.trigger()
        qtbot.waitUntil(window.isVisible, timeout=10_000)
        qtbot.waitUntil(lambda: not shiboken6.isValid(demo), timeout=10_000)  # closed and deleted
        assert window.work_area.stack.currentWidget() is window.work_area.empty_state
        assert list_clients(db) == [] and not is_demo(db)
        assert window.windowTitle() == f"Внедрение АСУ «Менеджмент» — {db.display_name()}"  # no «ДЕМО»
    finally:
        app.setQuitOnLastWindowClosed(True)


def test_a_demo_database_opened_with_db_is_marked(qtbot, tmp_path, monkeypatch):
    from app.services.demo_workspace import prepare_demo_database
    from ui.app import start_main_window

    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    path = prepare_demo_database(tmp_path / "shown.sqlite3")
    window = start_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    assert window.wait_for_rows(60_000)
    assert window.windowTitle().startswith("ДЕМО — ")


def test_the_public_window_builder_marks_a_demo_database_too(qtbot, tmp_path, monkeypatch):
    import ui
    from app.services.demo_workspace import prepare_demo_database

    monkeypatch.setenv("VNEDRENIE_DATA_DIR", str(tmp_path / "data"))
    path = prepare_demo_database(tmp_path / "built.sqlite3")
    window = ui.create_main_window(f"sqlite:///{path}")
    qtbot.addWidget(window)
    window.show()
    window.wait_for_background(60_000)  # the database opens behind the first rows
    assert window.windowTitle().startswith("ДЕМО — ")
    assert window.findChild(QLabel, "demoBadge") is not None
