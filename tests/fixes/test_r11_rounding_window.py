"""The window's rounding change over billed work asks why and forces it, as the command line's --force --reason."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog


def _billed_db(act_setup, tmp_path, sqlite_path):
    from app.persistence.db import open_database

    cli = act_setup
    assert cli("billing", "settings", "--rounding", "0")[0] == 0
    assert cli("report", "act", "1", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(tmp_path / "a.pdf"))[0] == 0
    return open_database(f"sqlite:///{sqlite_path}")


def _settings_dialog(qtbot, db, tmp_path):
    from ui.dialogs.settings.settings_dialog import SettingsDialog
    from ui.ops import Ops

    ops = Ops(db)
    ops.said = []  # type: ignore[attr-defined]
    ops.report_error = ops.said.append  # type: ignore[attr-defined, method-assign]  # no modal box in a test
    dialog = SettingsDialog(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), ops=ops)
    qtbot.addWidget(dialog)
    dialog.rounding.setCurrentIndex(dialog.rounding.findData(15))
    return dialog


def test_the_window_asks_why_and_changes_the_rounding_over_billed_work(qtbot, act_setup, tmp_path, sqlite_path,
                                                                        monkeypatch):
    from app.services import entry_rounding, worklog_read
    from ui.dialogs.reason import ReasonDialog

    db = _billed_db(act_setup, tmp_path, sqlite_path)
    try:
        dialog = _settings_dialog(qtbot, db, tmp_path)
        asked: list[ReasonDialog] = []

        def answer(box: ReasonDialog) -> int:  # the user types a reason and presses «Изменить»
            asked.append(box)
            box.text.setPlainText("Новые правила оплаты")
            box.submit()
            return box.result()

        monkeypatch.setattr(ReasonDialog, "exec", answer)
        dialog.accept()
        assert dialog.ops.said == []  # the refusal is the question, not a box that ends it
        assert len(asked) == 1 and asked[0].windowTitle() == "Изменение округления при расчёте"
        assert asked[0].ok.text() == "Изменить"
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert entry_rounding.billing_rounding(db) == 15
        with db.read() as s:
            assert entry_rounding.rounding_reason(s) == "Новые правила оплаты"
        # billed work keeps its act's rounding: 55 min stay 55, not 60
        assert [r.billed_minutes for r in worklog_read.list_entries(db, 1).rows] == [55]
    finally:
        db.dispose()


def test_cancelling_the_question_changes_nothing_and_keeps_the_settings_open(qtbot, act_setup, tmp_path,
                                                                             sqlite_path, monkeypatch):
    from app.services import entry_rounding
    from ui.dialogs.reason import ReasonDialog

    db = _billed_db(act_setup, tmp_path, sqlite_path)
    try:
        dialog = _settings_dialog(qtbot, db, tmp_path)
        prompts: list[str] = []

        def cancel(box: ReasonDialog) -> int:
            prompts.append(" ".join(label.text() for label in box.findChildren(type(box.problem))))
            box.reject()
            return box.result()

        monkeypatch.setattr(ReasonDialog, "exec", cancel)
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted  # the settings stay open
        assert entry_rounding.billing_rounding(db) == 0
        assert "АУ-1/2026" in prompts[0]  # the acts that keep their rounding are named in the question
        assert "Изменить округление всё равно?" in prompts[0]
    finally:
        db.dispose()
