"""The menu actions around backups, bundles and erasure, with the dialogs answered by the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from app.exchange import backup as bk
from app.services.clients import get_client
from tests.exchange import helpers as h
from ui.dialogs.data import actions as data_actions
from ui.ops import Ops


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def dialogs(monkeypatch):
    """Scripted answers: file names, yes/no, passwords; messages shown are recorded."""
    answers = {"open": "", "save": "", "confirm": [], "passwords": []}
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (answers["open"], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (answers["save"], ""))
    monkeypatch.setattr(data_actions, "_confirm", lambda *a, **k: answers["confirm"].pop(0))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (answers["passwords"].pop(0), True)
                        if answers["passwords"] else ("", False))  # no more answers: the user cancels
    monkeypatch.setattr(data_actions, "_ask_scope", lambda parent, ids, name="": ids)
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *a, _k=kind, **k: shown.append((_k, text)))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(("box", self.text() + "\n" +
                                                                          self.detailedText())))
    answers["shown"] = shown
    return answers


@pytest.fixture
def runner(parent, dialogs):
    """The window's operations runner on a database; refusals it shows are recorded as ("refused", text)."""
    made: list[Ops] = []

    def make(db) -> Ops:
        ops = Ops(db, parent)
        ops.error_handler = lambda exc: dialogs["shown"].append(("refused", exc.full_text()))
        made.append(ops)
        return ops

    return make


def test_backup_now_tells_where_the_copy_went(parent, dialogs, runner, sqlite_db):
    h.populate(sqlite_db)
    assert data_actions.backup_now(parent, runner(sqlite_db)) is None
    (kind, text), = dialogs["shown"]
    backups = bk.list_backups(sqlite_db)
    assert kind == "information" and str(backups[0].path) in text


def test_restore_asks_first_and_backs_up_before(parent, dialogs, runner, sqlite_db, tmp_path):
    h.populate(sqlite_db)
    saved = bk.make_backup(sqlite_db, "manual", target=tmp_path / "saved.sqlite3").path
    before = h.full_dump(sqlite_db)
    h.populate(sqlite_db, h.INN_B, "ООО «Лишний»")
    changed = h.full_dump(sqlite_db)
    dialogs["open"] = str(saved)
    dialogs["confirm"] = [False]
    assert data_actions.restore_backup(parent, runner(sqlite_db)) is None
    assert h.full_dump(sqlite_db) == changed
    dialogs["confirm"] = [True]
    changes = data_actions.restore_backup(parent, runner(sqlite_db))
    assert changes is not None and changes.clients and changes.worklog
    assert h.full_dump(sqlite_db) == before
    assert [b.reason for b in bk.list_backups(sqlite_db)] == ["pre-restore"]
    assert "Данные восстановлены" in dialogs["shown"][-1][1]


def test_restore_of_a_foreign_file_is_refused_before_asking(parent, dialogs, runner, sqlite_db, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("x", encoding="utf-8")
    dialogs["open"] = str(bogus)
    assert data_actions.restore_backup(parent, runner(sqlite_db)) is None
    assert dialogs["shown"][0][0] == "refused" and "не является резервной копией" in dialogs["shown"][0][1]


def test_export_with_password_then_import_with_report(parent, dialogs, runner, sqlite_db, tmp_path):
    h.populate(sqlite_db)
    target = tmp_path / "out.zip"
    dialogs["save"] = str(target)
    dialogs["confirm"] = [True]
    dialogs["passwords"] = ["пароль-для-офиса", "пароль-для-офиса"]
    assert data_actions.export_bundle(parent, runner(sqlite_db), None) is None
    assert target.exists() and "Выгружено заказчиков: 1" in dialogs["shown"][-1][1]

    from app.persistence.db import open_database

    office = open_database(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    dialogs["open"] = str(target)
    dialogs["passwords"] = ["не тот пароль"]
    assert data_actions.import_bundle(parent, runner(office)) is None
    assert dialogs["shown"][-1][0] == "refused" and "Неверный пароль" in dialogs["shown"][-1][1]
    dialogs["passwords"] = ["пароль-для-офиса"]
    changes = data_actions.import_bundle(parent, runner(office))
    assert changes is not None and changes.clients
    assert "Добавлено: 12" in dialogs["shown"][-1][1]
    assert get_client(office, h.INN_A).data.name == "ООО «Ромашка»"
    office.dispose()


def test_export_stops_when_the_passwords_differ(parent, dialogs, runner, sqlite_db, tmp_path):
    h.populate(sqlite_db)
    dialogs["save"] = str(tmp_path / "out.zip")
    dialogs["confirm"] = [True]
    dialogs["passwords"] = ["пароль-один-1", "пароль-два-22"]
    assert data_actions.export_bundle(parent, runner(sqlite_db), [1]) is None
    assert not Path(dialogs["save"]).exists() and "не совпадают" in dialogs["shown"][-1][1]


def test_erase_personal_data_confirms_first(parent, dialogs, runner, sqlite_db):
    cid = h.populate(sqlite_db)
    dialogs["confirm"] = [False]
    assert data_actions.erase_personal_data(parent, runner(sqlite_db), cid) is None
    assert get_client(sqlite_db, cid).data.contacts[0].name == "Иванов Иван"
    dialogs["confirm"] = [True]
    changes = data_actions.erase_personal_data(parent, runner(sqlite_db), cid)
    assert changes.client_ids == {cid}
    assert get_client(sqlite_db, cid).data.contacts[0].name == "Контакт 1 (удалён)"


def test_long_work_runs_off_the_ui_thread_and_errors_come_back(parent):
    import threading

    seen = {}

    def work():
        seen["thread"] = threading.current_thread() is not threading.main_thread()
        return 42

    assert data_actions._run_busy(parent, "…", work) == 42 and seen["thread"]

    def failing():
        raise ValueError("сбой")

    with pytest.raises(ValueError, match="сбой"):
        data_actions._run_busy(parent, "…", failing)


def test_export_asks_which_clients_and_exports_all_when_chosen(parent, dialogs, sqlite_db, tmp_path, monkeypatch):
    h.populate(sqlite_db)
    h.populate(sqlite_db, h.INN_B, "ООО «Лютик»")
    asked = []

    def choose(parent, title, label, items, current, editable):
        asked.append(items)
        return items[1], True  # «Всех заказчиков»

    monkeypatch.undo()  # the real scope question this time (the fixture's other answers are re-made below)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "all.zip"), ""))
    monkeypatch.setattr(QInputDialog, "getItem", choose)
    monkeypatch.setattr(data_actions, "_confirm", lambda *a, **k: False)  # no password
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a, **k: shown.append(text))
    assert data_actions.export_bundle(parent, Ops(sqlite_db, parent), [1], "ООО «Ромашка»") is None
    assert asked == [["Только «ООО „Ромашка“»", "Всех заказчиков"]]
    assert "Выгружено заказчиков: 2" in shown[-1]


def test_export_refuses_a_record_the_import_would_refuse_as_the_command_does(parent, dialogs, runner, sqlite_db,
                                                                               tmp_path):
    """The window's export goes through app.exchange.bundle_export.export_bundle: the record the other computer's
    import would refuse (an ИНН with a wrong check digit) is named, and no file is left (app.exchange.export_rules)."""
    import sqlite3

    h.populate(sqlite_db)
    con = sqlite3.connect(sqlite_db.sqlite_path)
    with con:
        con.execute("UPDATE client SET inn = '7707083894'")
    con.close()
    folder = tmp_path / "out"
    folder.mkdir()
    dialogs["save"] = str(folder / "out.zip")
    dialogs["confirm"] = [False]  # no password
    assert data_actions.export_bundle(parent, runner(sqlite_db), None) is None
    kind, text = dialogs["shown"][-1]
    assert kind == "refused" and "Ничего не выгружено" in text and "контрольное число" in text, text
    assert not list(folder.iterdir())
