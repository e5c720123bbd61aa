"""Tester K #14: Ctrl+Z in a card field right after Ctrl+S did nothing — the field took the key for its own (empty)
undo and the window's history never heard it. A field with nothing of its own to undo passes Ctrl+Z (and Ctrl+Shift+Z)
to the window's history; a field with its own edits still undoes them first."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.i18n import _
from app.services.client_list import list_clients
from app.services.clients import get_client
from tests.ui.test_main_window import TAB_CARD, type_text, window  # noqa: F401 (the window fixture)


def test_ctrl_z_in_a_card_field_after_saving_undoes_the_save(window, db, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data.city
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    card = window.work_area.card
    city = card.form.fields["city"]
    window.activateWindow()
    city.setFocus()
    city.selectAll()
    type_text(city, "Владивосток")
    qtbot.keyClick(city, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S: saved
    assert get_client(db, client_id).data.city == "Владивосток" and not card.is_dirty()
    assert window.act_undo.text() == _("Undo: {what}").format(what=_("editing the card"))
    qtbot.keyClick(city, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the cursor still in the field
    assert get_client(db, client_id).data.city == before
    qtbot.waitUntil(lambda: city.text() == before)
    qtbot.keyClick(city, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert get_client(db, client_id).data.city == "Владивосток"


def test_ctrl_z_in_a_card_field_with_its_own_edits_undoes_the_typing_first(window, db, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data.city
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    city = window.work_area.card.form.fields["city"]
    window.activateWindow()
    city.setFocus()
    city.end(False)
    type_text(city, "X")
    qtbot.keyClick(city, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert city.text() == before and get_client(db, client_id).data.city == before


def test_ctrl_z_in_the_cards_notes_after_saving_undoes_the_save(window, db, qtbot):  # noqa: F811
    client_id = list_clients(db)[0].id
    before = get_client(db, client_id).data.notes
    window.set_current_client(client_id)
    window.show_tab(TAB_CARD)
    notes = window.work_area.card.form.notes
    window.activateWindow()
    notes.setFocus()
    type_text(notes, "Звонить после 10")
    qtbot.keyClick(notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_client(db, client_id).data.notes.endswith("Звонить после 10")
    qtbot.keyClick(notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_client(db, client_id).data.notes == before
