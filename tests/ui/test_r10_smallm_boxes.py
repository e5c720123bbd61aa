"""Tester M #4: a box whose «Показать подробности…» only repeated what the box already said (an undo refused for now:
«Шаг остаётся в истории…» twice). «Details» is there only when it adds something."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.errors import UserError
from tests.reports.test_undo_billed import issue_march
from tests.ui.test_main_window import make_window
from tests.ui.test_undo_billed_window import done_in_window
from ui.ops import SHOWN_DETAILS, show_user_error


def shown_boxes(monkeypatch) -> list[tuple[str, str, str]]:
    seen: list[tuple[str, str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(
        (box.text(), box.informativeText(), box.detailedText())) or 0)
    return seen


def test_the_refused_undo_of_billed_work_says_the_step_stays_once(qtbot, db, tmp_path, monkeypatch):
    world, window, event_id = done_in_window(qtbot, db, tmp_path)
    code = issue_march(db, world.client_id)
    window.act_undo.trigger()  # Ctrl+Z: refused for now
    assert len(window.errors) == 1
    seen = shown_boxes(monkeypatch)
    show_user_error(window, window.errors[0])  # the box the window shows for it
    (text, informative, detailed), = seen
    assert f"Событие № {event_id} нельзя вернуть в план" in text and f"актом {code}" in text
    assert informative.startswith("Шаг остаётся в истории")
    assert detailed == ""  # no «Показать подробности…»: it held the same sentence again
    everything = "\n".join((text, informative, detailed))
    assert everything.count("Шаг остаётся в истории") == 1


def test_a_refusal_with_more_details_than_shown_keeps_all_of_them_under_details(qtbot, monkeypatch):
    seen = shown_boxes(monkeypatch)
    few = [f"строка {n}" for n in range(1, SHOWN_DETAILS + 1)]
    show_user_error(None, UserError("Отказано.", few))
    many = [f"строка {n}" for n in range(1, SHOWN_DETAILS + 3)]
    show_user_error(None, UserError("Отказано.", many))
    (_t, informative, detailed), (_t2, informative2, detailed2) = seen
    assert informative == "\n".join(few) and detailed == ""
    assert "строка 13" not in informative2.split("\n") and informative2.split("\n")[-1] == f"строка {SHOWN_DETAILS + 2}"
    assert detailed2 == "\n".join(many)  # the lines the box leaves out are still there


def test_the_import_changes_box_has_details_only_past_its_shown_lines(qtbot, db, tmp_path):
    """The window's «Обновить существующих» outcome showed its first eight lines, and the same lines in «Details»."""
    from app.services.clients import ClientInput, add_client

    window = make_window(qtbot, db, tmp_path)
    add_client(db, ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote"))
    path = tmp_path / "clients.csv"
    path.write_text("Наименование;ИНН;Подход;Договор №\nООО «Ромашка-2»;7707 083 893;onsite;ВН-9\n", encoding="utf-8")
    window.ask_update_existing = lambda exc: True
    assert window.import_clients_from(str(path))
    box = window.findChild(QMessageBox, "importChanges")
    assert box is not None and "→ ООО «Ромашка-2»" in box.informativeText() and "ВН-9" in box.informativeText()
    assert box.detailedText() == ""
    box.close()
