"""The window on a team laptop of a specialist (issue 17): changing the executor's requisites or the hours of a
working day shows the one Russian refusal, and nothing is saved."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.persistence.db import open_database
from app.services import documents as docs


@pytest.fixture
def specialist_laptop(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO setting(key, value) VALUES ('team.login', 'ann')"))
        conn.execute(text("INSERT INTO team_user(login, full_name, position, role, manager_login, active, created_at) "
                          "VALUES ('ann', 'Иванова Анна', 'консультант', 'specialist', '', 1, '2026-01-01')"))
    yield db
    db.dispose()


def test_the_executor_dialog_says_only_the_administrator_changes_the_requisites(qtbot, specialist_laptop, tmp_path):
    from ui.dialogs.documents.executor import ExecutorDialog

    db = specialist_laptop
    before = docs.get_executor(db)
    dialog = ExecutorDialog(db)
    qtbot.addWidget(dialog)
    values = {"company": "ООО «Своя»", "inn": "7707083893", "kpp": "770701001", "address": "Москва",
              "city": "Москва", "specialist_name": "Иванова Анна", "specialist_position": "Инженер"}
    for name, value in values.items():
        dialog.edits[name].setText(value)
    assert not dialog.save()
    assert dialog.error_label.text() == ("Реквизиты исполнителя меняет только администратор команды, а вы вошли как "
                                         "Иванова Анна (специалист): ничего не изменено.")
    dialog.resize(640, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "executor-refused.png"))
    assert docs.get_executor(db) == before


def test_the_settings_dialog_saves_nothing_when_the_team_rounding_is_refused(qtbot, specialist_laptop, tmp_path):
    """The trial: a specialist raised «застрял через» 30→33 and the rounding to 60, OK → «…ничего не изменено», yet
    the threshold and the column limits were saved. Now the rounding is greyed with the reason, and an OK that
    would change it (forced) saves nothing at all; a local change alone is saved."""
    from PySide6.QtCore import QSettings

    from app.services import board
    from ui.dialogs.settings.settings_dialog import SettingsDialog
    from ui.ops import Ops
    from ui.settings import LIMITS_KEY

    db = specialist_laptop
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ops = Ops(db)
    errors: list = []
    ops.error_handler = errors.append
    dialog = SettingsDialog(db, settings, ops=ops)
    qtbot.addWidget(dialog)
    assert not dialog.rounding.isEnabled() and "только администратор" in dialog.rounding.toolTip()
    stalled = board.stalled_days(db)
    dialog.stalled.setValue(stalled + 3)
    dialog.limits[0].setValue(dialog.limits[0].value() + 5)
    dialog.rounding.setCurrentIndex(dialog.rounding.findData(60))
    dialog.accept()
    assert [e.message for e in errors] == [("Настройки команды для расчётов (округление, часов в рабочем дне) меняет "
                                            "только администратор команды, а вы вошли как Иванова Анна (специалист): "
                                            "ничего не изменено.")]
    assert board.stalled_days(db) == stalled and settings.value(LIMITS_KEY) is None
    dialog.rounding.setCurrentIndex(dialog.rounding.findData(dialog._rounding_before))
    dialog.accept()  # the local threshold alone: everyone's
    assert errors[1:] == [] and board.stalled_days(db) == stalled + 3 and settings.value(LIMITS_KEY) is not None
