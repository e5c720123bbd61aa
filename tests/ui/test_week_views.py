"""The week's models and views with plain rows (no database), and the dialogs' refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from app.errors import UserError
from app.services.plan_rows import Agenda, EventRow, Participant
from app.services.questions import QuestionRow
from app.services.reminders import Reminder
from app.services.tariffs import DatedRate
from app.services.templates import TemplateItem
from ui.models.agenda import AgendaModel, agenda_lines
from ui.models.attention import AttentionModel
from ui.models.checkable import CheckableListModel
from ui.models.questions import OpenQuestionsProxy, QuestionsModel
from ui.models.templates import ChecklistTemplateModel, RatesModel

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def event(event_id: int, client_id: int, start_utc: datetime, zone: str, local: datetime, minutes: int = 60, *,
          kind: str = "conference", conflicts=frozenset(), name: str = "ООО «Ромашка»") -> EventRow:
    return EventRow(event_id, f"00000000-0000-4000-8000-{event_id:012d}", client_id, name, "г. Москва", kind,
                    start_utc, zone, local, minutes, "Склад", ("L01",), (Participant("u1", "Иванов И. И."),),
                    "https://meet.example/x", "", "planned", None, None, None, frozenset(conflicts))


def sample_agenda() -> Agenda:
    overdue = event(1, 10, datetime(2026, 3, 9, 7), "Europe/Moscow", datetime(2026, 3, 9, 10))
    today_a = event(2, 10, datetime(2026, 3, 10, 12), "Europe/Moscow", datetime(2026, 3, 10, 15), conflicts={3})
    today_b = event(3, 11, datetime(2026, 3, 10, 12, 30), "Asia/Yekaterinburg", datetime(2026, 3, 10, 17, 30),
                    kind="onsite_day", conflicts={2}, name="АО «Заря»")
    week = event(4, 11, datetime(2026, 3, 12, 7), "Europe/Moscow", datetime(2026, 3, 12, 10), kind="call",
                 name="АО «Заря»")
    return Agenda(date(2026, 3, 10), (overdue,), (today_a, today_b), (week,), 2)


def test_agenda_model_sections_times_and_conflicts(qtmodeltester):
    model = AgendaModel(viewer=MOSCOW)
    qtmodeltester.check(model)
    model.set_agenda(sample_agenda(), NOW)
    qtmodeltester.check(model)
    assert [line.event.id if line.event else line.section for line in agenda_lines(sample_agenda())] == [
        "overdue", 1, "today", 2, 3, "week", 4]
    assert model.index(0, 0).data() == "Просрочено (1)"
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.index(3, AgendaModel.COL_WHEN).data() == "15:00–16:00  ⚠"
    # 17:30 in Yekaterinburg is 15:30 in Moscow; the client's own time shown beside
    assert model.index(4, AgendaModel.COL_WHEN).data().startswith("15:30–16:30")
    assert model.index(4, AgendaModel.COL_LOCAL).data() == "17:30 (Asia/Yekaterinburg)"
    assert model.index(3, AgendaModel.COL_LOCAL).data() == ""
    assert model.index(6, AgendaModel.COL_WHEN).data() == "Чт 12.03 10:00–11:00"
    assert model.index(4, 0).data(AgendaModel.ConflictRole) is True
    assert model.index(6, 0).data(AgendaModel.ClientIdRole) == 11
    assert "Иванов И. И." in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_attention_model(qtmodeltester):
    model = AttentionModel()
    rows = [Reminder("event_overdue", 1, "ООО «Ромашка»", "конференция не отмечена", 5),
            Reminder("stalled", 2, "АО «Заря»", "этап не менялся 40 дн.")]
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Просроченное событие"
    assert model.index(1, AttentionModel.COL_CLIENT).data(AttentionModel.ClientIdRole) == 2
    assert model.index(0, 0).data(AttentionModel.RefIdRole) == 5


def _question(qid: int, status: str, day: date) -> QuestionRow:
    return QuestionRow(qid, 1, "ООО «Ромашка»", day, "phone", "u1", "Иванов И. И.", f"Вопрос {qid}\nвторая строка",
                       "", status, 30 if status == "solved" else None, None)


def test_questions_model_and_open_filter(qtmodeltester):
    model = QuestionsModel()
    proxy = OpenQuestionsProxy()
    proxy.setSourceModel(model)
    model.set_rows([_question(1, "open", date(2026, 3, 1)), _question(2, "solved", date(2026, 3, 5)),
                    _question(3, "open", date(2026, 2, 20))])
    qtmodeltester.check(proxy)
    proxy.sort(QuestionsModel.COL_DATE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["05.03.2026", "01.03.2026", "20.02.2026"]
    proxy.set_open_only(True)
    qtmodeltester.check(proxy)
    assert [proxy.index(r, 0).data(QuestionsModel.QuestionIdRole) for r in range(proxy.rowCount())] == [1, 3]
    assert proxy.index(0, QuestionsModel.COL_QUESTION).data() == "Вопрос 1 вторая строка"
    assert proxy.index(0, QuestionsModel.COL_CHANNEL).data() == "телефон"


def test_template_rate_and_checkable_models(qtmodeltester):
    items = [TemplateItem("s2.inventory", 2, 1, "Инвентаризация", None),
             TemplateItem("s2.warehouses", 2, 2, "Склады", "s2.inventory")]
    model = ChecklistTemplateModel()
    model.set_items(items)
    qtmodeltester.check(model)
    assert model.index(1, ChecklistTemplateModel.COL_REQUIRES).data() == "Инвентаризация"
    rates = RatesModel()
    from decimal import Decimal

    rates.set_rows([DatedRate("remote_hour", Decimal("1500.00"), date(2024, 7, 1))])
    qtmodeltester.check(rates)
    assert rates.index(0, RatesModel.COL_RATE).data() == "1 500,00"  # as format_amount writes every sum (English: «1,500.00»)
    check = CheckableListModel()
    check.set_items([("a", "Первый"), ("b", "Второй")], {"b"})
    qtmodeltester.check(check)
    check.setData(check.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    check.setData(check.index(1), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert check.checked() == ["a"]


def test_agenda_view_asks_through_signals(qtbot):
    from ui.views.agenda import AgendaView

    view = AgendaView(viewer=MOSCOW)
    qtbot.addWidget(view)
    view.set_agenda(sample_agenda(), NOW)
    assert "4" not in view.summary.text() or "⚠" in view.summary.text()
    assert not view.done_button.isEnabled()
    view.table.selectRow(3)
    assert view.done_button.isEnabled()
    with qtbot.waitSignal(view.complete_requested) as done:
        view.done_button.click()
    assert done.args == [2]
    with qtbot.waitSignal(view.client_requested) as opened:
        view.table.doubleClicked.emit(view.model.index(6, 1))
    assert opened.args == [11]
    view.set_agenda(Agenda(date(2026, 3, 10), (), (), (), 0), NOW)
    assert view.summary.text() == "На этой неделе ничего не запланировано."


def test_event_dialog_keeps_refused_input_and_shows_the_reason(qtbot):
    from ui.dialogs.plan.event_dialog import EventDialog

    calls = []

    def submit(client_id, data):
        calls.append((client_id, data))
        if len(calls) == 1:
            raise UserError("Событие заканчивается раньше, чем начинается.")

    dialog = EventDialog([(1, "ООО «Ромашка»"), (2, "АО «Заря»")], [("L01", "1. Обзор")],
                         lambda cid: [("u1", "Иванов И. И.")] if cid == 2 else [], submit, client_id=2,
                         start=datetime(2026, 3, 12, 10, 0))
    qtbot.addWidget(dialog)
    dialog.zone.setCurrentText("Asia/Yekaterinburg")
    dialog.people.setData(dialog.people.index(0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    dialog.accept()
    assert dialog.result() == 0 and not dialog.error.isHidden()
    assert "раньше" in dialog.error.text()
    dialog.accept()
    assert dialog.result() == 1
    client_id, data = calls[-1]
    assert client_id == 2 and data.time_zone == "Asia/Yekaterinburg" and data.participants == ("u1",)
    assert data.start == datetime(2026, 3, 12, 10, 0) and data.duration_min == 90


def test_question_dialogs(qtbot):
    from ui.dialogs.questions.close_dialog import CloseQuestionDialog
    from ui.dialogs.questions.question_dialog import QuestionDialog

    got = []
    dialog = QuestionDialog("ООО «Ромашка»", [("u1", "Иванов И. И.")], got.append, today=date(2026, 3, 10))
    qtbot.addWidget(dialog)
    dialog.channel.setCurrentIndex(dialog.channel.findData("skype"))
    dialog.who.setCurrentIndex(1)
    dialog.text.setPlainText("Где отчёт?")
    dialog.accept()
    assert got[0].channel == "skype" and got[0].employee == "u1" and got[0].asked_on == date(2026, 3, 10)

    def refuse(choice):
        raise UserError("«час» — не время")

    close = CloseQuestionDialog(_question(1, "open", date(2026, 3, 1)), refuse, today=date(2026, 3, 10))
    qtbot.addWidget(close)
    close.minutes.setText("час")
    close.accept()
    assert close.result() == 0 and "не время" in close.error.text()


@pytest.mark.parametrize("kind", ["conference", "onsite_day"])
def test_complete_dialog_choice(qtbot, kind):
    from ui.dialogs.plan.complete_dialog import CompleteEventDialog

    row = event(1, 10, datetime(2026, 3, 9, 7), "Europe/Moscow", datetime(2026, 3, 9, 10), 90, kind=kind)
    got = []
    dialog = CompleteEventDialog(row, got.append)
    qtbot.addWidget(dialog)
    dialog.minutes.setValue(75)
    dialog.accept()
    expected = None if kind == "onsite_day" else 75
    assert got[0].log_work and got[0].tick_lessons and got[0].actual_min == expected
