"""Issue 16 wired into the main window: docks, the card's questions page, open questions on the kanban
card, search by question text, Settings pages, and the week's actions on the window's one undo stack."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDockWidget

from app.services import questions
from app.services.changes import Changes
from app.services.clients import list_clients
from app.services.demo import fill_demo
from app.services.questions import QuestionInput
from tests.ui.test_main_window import make_window
from ui.actions import TAB_CARD
from ui.dialogs.settings.settings_dialog import SettingsDialog
from ui.models.clients import ClientRole


def test_the_week_lives_in_the_window(qtbot, db, tmp_path):
    fill_demo(db)
    client = list_clients(db)[0]
    window = make_window(qtbot, db, tmp_path)
    area = window.work_area
    assert {d.objectName() for d in window.findChildren(QDockWidget)} >= {"agendaDock", "attentionDock"}
    assert window.week is not None
    sections = area.card.sections
    assert [sections.tabText(i) for i in range(sections.count())] == ["Подробности", "Вопросы", "История изменений"]

    row = area.clients.index(area.clients.row_of(client.id), 0)
    before = questions.open_question_counts(db, [client.id]).get(client.id, 0)
    _qid, changes = questions.add_question(db, client.id, QuestionInput(date.today(), "phone",
                                                                        "Как провести зарплатную ведомость?"))
    window.apply_changes(changes)
    assert area.clients.open_questions(client.id) == before + 1
    assert row.data(ClientRole.CARD)[4] == before + 1

    window.set_current_client(client.id)
    log = window.week.questions.model
    assert log.rowCount() == 0  # the questions page is hidden: it reads when shown (issue 11 §1)
    window.show_tab(TAB_CARD)
    sections.setCurrentIndex(1)
    assert any("зарплатную" in str(log.index(r, c).data() or "")
               for r in range(log.rowCount()) for c in range(log.columnCount()))

    area.list_panel.search.setText("зарплатную ведомость")
    area.list_panel.apply_filter()
    shown = [area.list_panel.proxy.index(r, 0).data() for r in range(area.list_panel.proxy.rowCount())]
    assert shown == [area.clients.summary(client.id).name]


def test_week_actions_use_the_window_undo_stack(qtbot, db, tmp_path):
    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    assert window.week.undo_stack is window.ops.undo_stack


def test_settings_has_the_template_rates_and_reminders_pages(qtbot, db, tmp_path):
    dialog = SettingsDialog(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(dialog)
    titles = [dialog.pages.tabText(i) for i in range(dialog.pages.count())]
    assert titles == ["Общие", "Шаблон чек-листа", "Ставки", "Напоминания"]
    announced = []
    dialog.ops.changed.connect(lambda changes, _initiator: announced.append(changes))
    dialog.reminders_page.changed.emit(Changes(settings=True))
    assert announced and announced[-1].settings
