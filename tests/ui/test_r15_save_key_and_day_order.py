"""Tester S (2026-12-06): Ctrl+S saves a form dialog as it saves the card, and a day's rows keep the order they were
entered in under either sort order (work log, questions, the documents' register)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from app.services import clients as client_service


def _ctrl_s(widget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_s_saves_a_new_client(qtbot, db):
    from ui.dialogs.clients.new_client import NewClientDialog

    dialog = NewClientDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.fields["name"].setText("ООО «Ёлочка-Сервис»")
    dialog.form.fields["inn"].setText("7794580730")
    _ctrl_s(dialog.form.fields["inn"])
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.client_id is not None
    assert client_service.get_client(db, dialog.client_id).data.name == "ООО «Ёлочка-Сервис»"


def test_ctrl_s_on_a_form_with_errors_says_so_and_saves_nothing(qtbot, db):
    from ui.dialogs.clients.new_client import NewClientDialog

    dialog = NewClientDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.fields["inn"].setText("12")
    _ctrl_s(dialog.form.fields["inn"])
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.client_id is None and not dialog.banner.isHidden()


def test_ctrl_s_presses_the_entry_dialogs_ok_but_not_a_moves(qtbot):
    from app.services.progress import MovePreview
    from ui.dialogs.stages.move_guard import MoveGuardDialog
    from ui.dialogs.worklog.entry import EntryDialog

    saved = []
    entry = EntryDialog(SimpleNamespace(on_date=date(2026, 11, 15), kind="conference", minutes=60, days=None,
                                        amount=None, stage=1, note=""), submit=saved.append)
    qtbot.addWidget(entry)
    entry.show()
    _ctrl_s(entry.note_edit)
    assert len(saved) == 1 and saved[0].minutes == 60 and entry.result() == QDialog.DialogCode.Accepted
    move = MoveGuardDialog(MovePreview(1, 1, 2, True, []), "ООО «Ромашка»")
    qtbot.addWidget(move)
    move.show()
    _ctrl_s(move)
    assert move.isVisible() and move.result() != QDialog.DialogCode.Accepted  # OK there moves a stage, not a save


def _entry(entry_id: int, day: date, minutes: int):
    return SimpleNamespace(id=entry_id, on_date=day, kind="conference", minutes=minutes, billed_minutes=minutes,
                           days=None, amount=None, stage=1, billed_by=None, note="")


def test_a_days_work_log_entries_in_the_order_entered_either_way(qtbot):
    from ui.models.worklog import WorkLogModel

    day, before = date(2026, 11, 15), date(2026, 11, 14)
    model = WorkLogModel()
    # as the service gives them: newest first (date desc, id desc)
    model.set_rows([_entry(14, day, 120), _entry(13, day, 30), _entry(12, day, 45), _entry(11, day, 90),
                    _entry(10, before, 60)])
    model.sort(WorkLogModel.COL_DATE, Qt.SortOrder.AscendingOrder)
    assert [model.row_at(n).minutes for n in range(5)] == [60, 90, 45, 30, 120]
    model.sort(WorkLogModel.COL_DATE, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(n).minutes for n in range(5)] == [120, 30, 45, 90, 60]
    model.sort(WorkLogModel.COL_TIME, Qt.SortOrder.AscendingOrder)  # ties of another column: by day, then entered
    model.set_rows([_entry(3, day, 60), _entry(2, day, 60), _entry(1, before, 60)])
    assert [model.row_at(n).id for n in range(3)] == [1, 2, 3]


def _sorted_ids(proxy: QSortFilterProxyModel, column: int, order: Qt.SortOrder, role: int) -> list:
    proxy.sort(column, order)
    return [proxy.index(n, 0).data(role) for n in range(proxy.rowCount())]


def test_a_days_questions_in_the_order_asked_either_way(qtbot):
    from ui.models.questions import OpenQuestionsProxy, QuestionsModel

    day = date(2026, 11, 15)
    rows = [SimpleNamespace(id=n, client_id=1, client_name="ООО «Ромашка»", asked_on=day if n > 1 else date(2026, 11, 1),
                            channel="phone", employee_uuid="", employee_name="Иванова", question=f"Вопрос {n}",
                            answer="", status="open", minutes=None, entry_id=None, channel_title="Телефон")
            for n in (4, 3, 2, 1)]
    model = QuestionsModel()
    model.set_rows(rows)
    proxy = OpenQuestionsProxy()
    proxy.setSourceModel(model)
    up = _sorted_ids(proxy, QuestionsModel.COL_DATE, Qt.SortOrder.AscendingOrder, QuestionsModel.QuestionIdRole)
    down = _sorted_ids(proxy, QuestionsModel.COL_DATE, Qt.SortOrder.DescendingOrder, QuestionsModel.QuestionIdRole)
    assert up == [1, 2, 3, 4] and down == [4, 3, 2, 1]


def test_the_register_orders_by_day_whatever_the_ids(qtbot):
    from ui.models.documents import DocumentFilterProxy, DocumentIdRole, DocumentTableModel

    def doc(doc_id: int, day: date, number: int):
        return SimpleNamespace(id=doc_id, kind="act", year=day.year, number=number, code=f"АУ-{number}/{day.year}",
                               client_id=1, client_name="ООО «Ромашка»", client_inn="7707083893", issued_on=day,
                               stage=None, period_from=None, period_to=None, total=Decimal("100.00"),
                               signed_returned_on=None, voided_on=None, void_reason="", kind_title="Акт")

    model = DocumentTableModel()
    # «ordinal × 100 000 + id» put the document of id 150 000 after the next day's first (id 5)
    model.set_rows([doc(5, date(2026, 11, 16), 2), doc(150_000, date(2026, 11, 15), 1), doc(150_001, date(2026, 11, 15), 3)])
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    up = _sorted_ids(proxy, DocumentTableModel.COL_DATE, Qt.SortOrder.AscendingOrder, DocumentIdRole)
    assert up == [150_000, 150_001, 5]
