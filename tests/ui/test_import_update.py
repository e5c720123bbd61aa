"""Issue 13 in the window: a CSV naming clients already here is refused, and «Обновить существующих»
imports it again with update=True."""

from __future__ import annotations

from app.services.clients import ClientInput, add_client, get_client, list_clients
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
