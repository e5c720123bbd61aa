"""The conflicts dialog says how to close a conflict with its own buttons and the window's menus, never with a
command's options: its sentences used to end «Закройте конфликт с «--keep server»», «удалите его здесь («clients
delete ИНН»)», «аннулируйте его здесь («documents void АУ-1/2026»)» — typing that is impossible in a window. The
command line (`sync conflicts`, `sync resolve`) keeps naming its options (app/sync/ways.py)."""

from __future__ import annotations

import json

from app.i18n import _
from app.persistence.models import SyncConflict
from app.services.clients import ClientInput, add_client
from tests.unit.test_kept_by_server_words import client_with_an_unsent_act
from ui.actions import ACTIONS, MENUS, MainAction
from ui.dialogs.documents.register import DocumentsRegisterDialog
from ui.dialogs.sync.conflicts import ConflictsDialog
from ui.models.team import ConflictsModel
from ui.ops import Ops

INN = "7707083893"
CLI_WORDS = ("--", "documents void", "clients delete", "sync resolve")
# kind, table, field, this laptop's value, the other side's, the side kept, the button that closes it
CASES = (
    ("not_yours", "client", "", "edited", "hidden", "local", "both"),
    ("others_client", "client", "", "edited", "others", "local", "local"),
    ("others_inn", "client", "", "only here", "others inn", "local", "local"),
    ("inn_taken", "client", "inn", "7736050003", INN, "server", "server"),
    ("kept_by_server", "document", "", "deleted", "kept", "server", "server"),
    ("number_twice", "document", "", "АУ-41/2026", None, "local", "local"),
)


def _world(db) -> None:
    """A client with an act issued here and not sent (row version 0), and one conflict of each kind whose sentence
    says what to do."""
    add_client(db, ClientInput(name="ООО «Ромашка»", inn=INN, approach="remote"))
    with db.unit() as s:
        client, act = client_with_an_unsent_act(s)
        for kind, table, field, local, other, kept, _button in CASES:
            record = client.uuid if table == "client" else act.uuid
            s.add(SyncConflict(table_name=table, record_uuid=record, client_uuid=client.uuid, kind=kind, field=field,
                               local_value=json.dumps(local, ensure_ascii=False),
                               server_value=None if other is None else json.dumps(other, ensure_ascii=False),
                               kept=kept, resolved=False))


def _dialog(qtbot, db) -> ConflictsDialog:
    dialog = ConflictsDialog(db, Ops(db))
    qtbot.addWidget(dialog)
    return dialog


def test_the_dialogs_sentences_name_its_buttons_and_menus_not_options(qtbot, db):
    _world(db)
    dialog = _dialog(qtbot, db)
    model = dialog.model
    assert model.rowCount() == len(CASES)
    buttons = {"local": dialog.keep_local.text(), "server": dialog.keep_server.text()}
    assert buttons == {"local": "Оставить значение ноутбука", "server": "Оставить значение сервера или файла"}
    for row, (kind, *_values, button) in enumerate(CASES):
        text = model.data(model.index(row, ConflictsModel.COL_WHAT))
        assert not any(word in text for word in CLI_WORDS), (kind, text)
        named = ("local", "server") if button == "both" else (button,)
        for side in named:
            assert f"кнопкой «{buttons[side]}»" in text, (kind, text)
    [not_yours] = [model.data(model.index(row, ConflictsModel.COL_WHAT)) for row, case in enumerate(CASES)
                   if case[0] == "not_yours"]
    assert ("Чтобы убрать заказчика и неотправленные изменения с этого ноутбука, закройте конфликт кнопкой "
            "«Оставить значение сервера или файла»; чтобы оставить его здесь — кнопкой «Оставить значение ноутбука»"
            in not_yours)


def test_the_menus_named_are_the_windows_own(qtbot, db):
    """«Удалите его здесь («Заказчик ▸ Удалить заказчика…»)», «аннулируйте его здесь («Документы ▸ Реестр
    документов…», кнопка «Аннулировать…»)»: the words of the window's menus and of the register's button."""
    _world(db)
    dialog = _dialog(qtbot, db)
    model = dialog.model
    texts = {model.row_at(row).kind: model.data(model.index(row, ConflictsModel.COL_WHAT))
             for row in range(model.rowCount())}
    menus = {action: _(title).replace("&", "") for title, actions in MENUS for action in actions if action}
    register = DocumentsRegisterDialog(db)
    qtbot.addWidget(register)
    void = (f"«{menus[MainAction.REGISTER]} ▸ {_(ACTIONS[MainAction.REGISTER].text)}», "
            f"кнопка «{register.void_button.text()}»")
    assert void == "«Документы ▸ Реестр документов…», кнопка «Аннулировать…»"
    assert f"Аннулируйте его здесь ({void})" in texts["number_twice"]
    delete = f"«{menus[MainAction.DELETE_CLIENT]} ▸ {_(ACTIONS[MainAction.DELETE_CLIENT].text)}»"
    assert delete == "«Заказчик ▸ Удалить заказчика…»"
    assert f"удалите его здесь ({delete})" in texts["others_inn"]


def test_a_refusal_in_the_dialog_names_its_button(qtbot, db):
    """A handed-over client with an act issued here and not sent: letting it go (the server's button, now offered
    for it) is refused, and the refusal says to keep it with «Оставить значение ноутбука», not «--keep local»."""
    _world(db)
    dialog = _dialog(qtbot, db)
    dialog.select(0)
    assert dialog.current().kind == "not_yours"
    assert dialog.keep_local.isEnabled() and dialog.keep_server.isEnabled()  # both ways out the sentence names
    assert dialog.resolve_selected("server") is None
    shown = dialog.error.text()
    assert "АУ-41/2026" in shown and "кнопкой «Оставить значение ноутбука»" in shown and "--" not in shown


def test_the_command_line_keeps_naming_its_options(db, sqlite_path, cli):
    from app.persistence.db import open_database

    file_db = open_database(f"sqlite:///{sqlite_path}")
    try:
        _world(file_db)
    finally:
        file_db.dispose()
    status, out, err = cli("sync", "conflicts")
    assert status == 0, err
    lines = dict(zip((case[0] for case in CASES), out.splitlines(), strict=True))
    for kind, *_values, button in CASES:
        sides = ("server", "local") if button == "both" else (button,)
        assert all(f"«--keep {side}»" in lines[kind] for side in sides), (kind, lines[kind])
        assert "кнопкой" not in lines[kind]
    assert "«documents void \"АУ-41/2026\" --reason …»" in lines["number_twice"]
    assert "«clients delete ИНН»" in lines["others_inn"]
    status, out, err = cli("sync", "resolve", "1", "--keep", "server")  # the handed-over client, an act unsent
    assert status != 0 and "закрыв конфликт с «--keep local»" in err and "кнопкой" not in err
