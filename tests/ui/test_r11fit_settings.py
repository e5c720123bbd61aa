"""Settings ▸ Общие fit to 1024×576 (720×536): the «План уроков» text needed 56 px and got 34, cut through its lines
(tester O, round 11)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_the_lesson_plan_text_keeps_its_lines_in_a_low_dialog(qtbot, db, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.dialogs.settings.settings_dialog import SettingsDialog

    dialog = SettingsDialog(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(dialog)
    dialog.resize(720, 536)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(20)
    hint = next(label for label in dialog.findChildren(QLabel) if label.text().startswith("CSV с разделителем"))
    assert hint.height() >= hint.heightForWidth(hint.width()), (hint.height(), hint.heightForWidth(hint.width()))
    for label in dialog.pages.currentWidget().findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
