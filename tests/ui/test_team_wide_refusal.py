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
