"""Unsaved card edits when the data under them are replaced (tester Q #2): a restore and a bundle import ask about
them first (save / don't save / cancel); a change from elsewhere (another program, a sync, a restore no question
covered) keeps only the fields the user typed, so «Сохранить» never writes back a value the user did not type."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from app.exchange.backup import list_backups, make_backup
from app.services.changes import DATABASE_REPLACED
from app.services.clients import ClientInput, add_client, edit_client, get_client
from tests.ui.test_main_window import answer_modal, make_window, type_text
from tests.ui.test_operations import sqlite_db  # noqa: F401  (the fixture: a file database)
from ui.dialogs.clients.unsaved import Unsaved, ask_before_replacing
from ui.main_window import TAB_CARD

ROMASHKA = "ООО «Ромашка»"


@pytest.fixture
def scripted(monkeypatch):
    """The restore's file and yes/no answered; the messages it shows recorded."""
    import ui.dialogs.data.actions as data_actions

    answers: dict = {"open": "", "shown": []}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (answers["open"], ""))
    monkeypatch.setattr(data_actions, "_confirm", lambda *a, **k: True)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a, **k: answers["shown"].append(text))
    return answers


def saved_then_typed(qtbot, db, tmp_path, scripted):
    """The tester's steps: a backup; «Город» = «Казань» saved; «Адрес» typed and not saved. Returns the window."""
    client_id = add_client(db, ClientInput(name=ROMASHKA, inn="7707083893", approach="remote"))
    scripted["open"] = str(make_backup(db, "manual", target=tmp_path / "b3.sqlite3").path)
    window = make_window(qtbot, db, tmp_path)
    window.asked = []
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    card = window.work_area.card
    type_text(card.form.fields["city"], "Казань")
    assert card.save() is not None and get_client(db, client_id).data.city == "Казань"
    type_text(card.form.fields["address"], "ул. Черновая, 5")
    assert card.is_dirty()
    return window, client_id


def answer(window, choice):
    window.ask_before_replacing = lambda names, informative: window.asked.append((names, informative)) or choice


def test_a_restore_asks_about_the_unsaved_card_and_cancel_replaces_nothing(qtbot, sqlite_db, tmp_path, scripted):  # noqa: F811
    window, client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    answer(window, None)
    window.restore_backup()
    (names, informative), = window.asked
    assert names == [ROMASHKA] and "Восстановление заменит все данные" in informative
    assert get_client(sqlite_db, client_id).data.city == "Казань"  # not restored
    assert not list_backups(sqlite_db) and not scripted["shown"]
    card = window.work_area.card
    assert card.is_dirty() and card.form.fields["address"].text() == "ул. Черновая, 5"
    assert window.work_area.tabs.currentIndex() == TAB_CARD


def test_dont_save_then_restore_shows_the_restored_card_and_save_writes_nothing_back(qtbot, sqlite_db, tmp_path,  # noqa: F811
                                                                                     scripted):
    window, client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    answer(window, Unsaved.DISCARD)
    window.restore_backup()
    assert "Данные восстановлены" in scripted["shown"][-1]
    card = window.work_area.card
    assert not card.is_dirty() and not card.unsaved_clients()
    assert card.form.fields["city"].text() == "" and card.form.fields["address"].text() == ""
    card.save()
    assert get_client(sqlite_db, client_id).data.city == ""


def test_save_then_restore_keeps_the_edits_in_the_copy_made_before(qtbot, sqlite_db, tmp_path, scripted):  # noqa: F811
    from app.persistence.db import open_database

    window, client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    answer(window, Unsaved.SAVE)
    window.restore_backup()
    card = window.work_area.card
    assert not card.is_dirty() and card.form.fields["address"].text() == ""
    assert get_client(sqlite_db, client_id).data.address == ""  # restored
    safety, = (b for b in list_backups(sqlite_db) if b.reason == "pre-restore")
    copy = open_database(f"sqlite:///{safety.path}")
    try:
        assert get_client(copy, client_id).data.address == "ул. Черновая, 5"
    finally:
        copy.dispose()


def test_a_card_refused_on_save_stops_the_restore(qtbot, sqlite_db, tmp_path, scripted):  # noqa: F811
    window, client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    card = window.work_area.card
    card.form.fields["kpp"].setText("12345")  # five digits: refused
    card.form.edited.emit()
    answer(window, Unsaved.SAVE)
    window.restore_backup()
    assert card.is_dirty() and card.banner.isVisible()
    assert get_client(sqlite_db, client_id).data.city == "Казань" and not scripted["shown"]


def test_data_replaced_without_a_question_keep_only_the_typed_fields(qtbot, sqlite_db, tmp_path, scripted):  # noqa: F811
    """The tester's case where no question stands between (a restore by another program, a sync): the card shows the
    stored data, the typed «Адрес» stays, and Save does not bring «Казань» back."""
    from app.exchange.restore import restore_backup

    window, client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    restore_backup(sqlite_db, scripted["open"])
    window.ops.announce(DATABASE_REPLACED, object())
    card = window.work_area.card
    assert card.form.fields["city"].text() == ""
    assert card.form.fields["address"].text() == "ул. Черновая, 5" and card.is_dirty()
    card.save()
    stored = get_client(sqlite_db, client_id).data
    assert stored.address == "ул. Черновая, 5" and stored.city == ""


def test_another_programs_edit_under_the_typing_is_not_written_back(qtbot, sqlite_db, tmp_path, scripted):  # noqa: F811
    """A neighbour: `clients edit --kpp --manager` from a shell while «Адрес» is typed in the open card."""
    window, client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    edit_client(sqlite_db, client_id, {"kpp": "770701002", "manager": "Петрова"})
    assert window.watcher is not None and window.watcher.poll()
    card = window.work_area.card
    assert card.form.fields["kpp"].text() == "770701002" and card.form.fields["manager"].text() == "Петрова"
    assert card.form.fields["address"].text() == "ул. Черновая, 5"
    card.save()
    stored = get_client(sqlite_db, client_id).data
    assert (stored.kpp, stored.manager, stored.address) == ("770701002", "Петрова", "ул. Черновая, 5")


def test_a_kept_draft_of_another_client_takes_what_was_stored_since(qtbot, sqlite_db, tmp_path, scripted):  # noqa: F811
    window, client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    other = add_client(sqlite_db, ClientInput(name="ООО «Дельта»", inn="7736050003", approach="onsite"))
    window.ops.announce(DATABASE_REPLACED, object())
    window.set_current_client(other)  # the typed address is kept as Ромашка's draft
    edit_client(sqlite_db, client_id, {"city": "Самара"})
    window.set_current_client(client_id)
    card = window.work_area.card
    assert card.form.fields["city"].text() == "Самара"
    assert card.form.fields["address"].text() == "ул. Черновая, 5" and card.is_dirty()


def test_a_bundle_import_asks_too(qtbot, sqlite_db, tmp_path, scripted):  # noqa: F811
    window, _client_id = saved_then_typed(qtbot, sqlite_db, tmp_path, scripted)
    answer(window, None)
    scripted["open"] = str(tmp_path / "never-read.zip")
    window.import_bundle()
    (names, informative), = window.asked
    assert names == [ROMASHKA] and "Загрузка" in informative
    assert window.work_area.card.form.fields["address"].text() == "ул. Черновая, 5"


def test_the_question_names_the_cards_and_defaults_to_cancel(qtbot):
    seen = {}

    def look(box) -> None:
        seen["text"] = box.text()
        seen["buttons"] = [b.text() for b in box.findChildren(QPushButton)]
        seen["default"] = box.defaultButton().text()
        next(b for b in box.findChildren(QPushButton) if b.text() == "Не сохранять").click()

    answer_modal(look)
    assert ask_before_replacing(None, [ROMASHKA, "ООО «Дельта»"], "…") is Unsaved.DISCARD
    assert seen["text"] == "Несохранённые изменения в карточках: «ООО „Ромашка“», «ООО „Дельта“»."
    assert set(seen["buttons"]) == {"Сохранить", "Не сохранять", "Отмена"} and seen["default"] == "Отмена"


@pytest.mark.parametrize("kept_as_draft", [False, True])
def test_edits_never_move_to_another_client_that_took_the_number(qtbot, sqlite_db, tmp_path, scripted,  # noqa: F811
                                                                   kept_as_draft):
    """A backup holds client 1 = «Ромашка»; here it was deleted and «Лютик» took number 1. The edits typed in
    «Лютик»'s card are not carried to the restored «Ромашка»: dropped, and said so."""
    from app.exchange.restore import restore_backup
    from app.services.clients import delete_client

    first = add_client(sqlite_db, ClientInput(name=ROMASHKA, inn="7707083893", approach="remote"))
    saved = make_backup(sqlite_db, "manual", target=tmp_path / "b.sqlite3").path
    delete_client(sqlite_db, first)
    taken = add_client(sqlite_db, ClientInput(name="ООО «Лютик»", inn="7728168971", approach="remote"))
    other = add_client(sqlite_db, ClientInput(name="ООО «Дельта»", inn="7736050003", approach="onsite"))
    window = make_window(qtbot, sqlite_db, tmp_path)
    window.set_current_client(taken)
    window.show_tab(TAB_CARD)
    card = window.work_area.card
    type_text(card.form.fields["address"], "ул. Лютиковая, 1")
    if kept_as_draft:
        window.set_current_client(other)
    restore_backup(sqlite_db, saved)
    window.ops.announce(DATABASE_REPLACED, object())
    window.set_current_client(first)
    assert taken == first and card.details.data.name == ROMASHKA
    assert card.form.fields["address"].text() == "" and not card.is_dirty()
    assert card.banner.isVisible() and "Несохранённые изменения отброшены" in card.banner.text()
