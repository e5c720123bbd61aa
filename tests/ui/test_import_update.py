"""Issue 13 in the window: a CSV naming clients already here is refused, and «Обновить существующих»
imports it again with update=True."""

from __future__ import annotations

from app.services.client_list import list_clients
from app.services.clients import ClientInput, add_client, get_client
from tests.ui.test_main_window import make_window

CSV = ("Наименование;ИНН;Подход;Договор №\n"
       "ООО «Ромашка-2»;7707 083 893;onsite;ВН-9\n"
       "АО «Лютик»;7736050003;remote;\n")


def test_existing_clients_are_updated_only_when_the_user_asks(qtbot, db, tmp_path):
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    path = tmp_path / "clients.csv"
    path.write_text(CSV, encoding="utf-8")
    window = make_window(qtbot, db, tmp_path)
    asked = []
    window.ask_update_existing = lambda exc: asked.append(exc.full_text()) or False
    assert not window.import_clients_from(str(path))
    assert len(asked) == 1 and "Строка 2" in asked[0] and "--update" not in asked[0]  # the box's button instead
    assert len(list_clients(db)) == 1 and window.errors == []  # declined: nothing saved, no second box
    window.ask_update_existing = lambda exc: True
    assert window.import_clients_from(str(path))
    assert get_client(db, client_id).data.name == "ООО «Ромашка-2»"
    assert len(list_clients(db)) == 2 and window.work_area.clients.rowCount() == 2
    assert window.statusBar().currentMessage() == "Импортировано заказчиков: 1, обновлено: 1."
    # what was replaced is said, not only counted (the status line fades in 5 s)
    from PySide6.QtWidgets import QMessageBox

    box = window.findChild(QMessageBox, "importChanges")
    assert box is not None and box.isVisible()
    assert "ООО «Ромашка» → ООО «Ромашка-2»" in box.informativeText() and "ВН-9" in box.informativeText()
    box.close()


def test_the_window_keeps_a_stored_value_for_an_empty_cell_and_says_when_nothing_changed(qtbot, db, tmp_path):
    """The window's «Обновить существующих» runs the same service: an empty «Примечание» keeps the notes, a second
    import of the same file changes nothing and says so."""
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote", notes="первый"))
    path = tmp_path / "clients.csv"
    path.write_bytes("Наименование;ИНН;Подход;Контактное лицо;Телефон;Примечание\r\n"
                     "ООО «Ромашка»;7707083893;onsite;Иванов;8 (495) 123-45-67;\r\n".encode("cp1251"))
    window = make_window(qtbot, db, tmp_path)
    window.ask_update_existing = lambda exc: True
    assert window.import_clients_from(str(path))
    data = get_client(db, client_id).data
    assert (data.approach, data.notes) == ("onsite", "первый")
    assert [(p.name, p.phone) for p in data.contacts] == [("Иванов", "+7 495 123-45-67")]
    assert window.statusBar().currentMessage() == "Импортировано заказчиков: 0, обновлено: 1."
    assert window.import_clients_from(str(path))
    assert len(get_client(db, client_id).data.contacts) == 1
    assert window.statusBar().currentMessage() == "Ничего не изменилось: у заказчиков уже те значения, что в файле."
    assert window.errors == []
    _close_changes_boxes(window)


def test_the_update_question_says_what_an_empty_cell_does(qtbot, db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.errors import UserError

    window = make_window(qtbot, db, tmp_path)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.informativeText()) or 0)
    assert not window.ask_update_existing(UserError("Строка 2: заказчик уже есть."))
    assert shown == ["«Обновить существующих» берёт заполненные ячейки файла; пустая ячейка или столбец, которого нет в "
                     "файле, оставляет сохранённое значение, и ни один контакт не удаляется."]


def test_a_contacts_only_file_leads_to_the_update_question_not_to_a_missing_column(qtbot, db, tmp_path):
    """The tester's file (no «Подход», an empty name): the window's first attempt, without update, asks
    «Обновить существующих»; yes updates the contact and keeps the stored name and approach."""
    client_id = add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="onsite"))
    path = tmp_path / "contacts.csv"
    path.write_text("Наименование;ИНН;Контактное лицо;Телефон;E-mail\n;7707083893;Иванов  Иван;+7 495 000-00-00;\n",
                    encoding="utf-8")
    window = make_window(qtbot, db, tmp_path)
    asked = []
    window.ask_update_existing = lambda exc: asked.append(exc.full_text()) or True
    assert window.import_clients_from(str(path))
    assert len(asked) == 1 and "Строка 2" in asked[0] and "столбц" not in asked[0], asked
    data = get_client(db, client_id).data
    assert (data.name, data.approach) == ("ООО «Ромашка»", "onsite")
    assert [(p.name.split(), p.phone) for p in data.contacts] == [(["Иванов", "Иван"], "+7 495 000-00-00")]
    assert window.errors == []
    assert window.statusBar().currentMessage() == "Импортировано заказчиков: 0, обновлено: 1."
    _close_changes_boxes(window)


def _close_changes_boxes(window) -> None:
    """Close the window-modal boxes of what an update changed: left open, they hold off the next test window's polls
    of outside changes (a later window test then fails its check)."""
    from PySide6.QtWidgets import QMessageBox

    boxes = window.findChildren(QMessageBox, "importChanges")
    assert boxes, "the update said nothing of what it changed"
    for box in boxes:
        box.close()
