"""Issue 14, point 6: Qt's own dialogs in Russian. The non-native file dialog said «Look in:» and «Files of
type:» because Qt 6 labels them «&Look in:»/«Files of &type:», msgids the qtbase_ru.qm catalogue lacks;
ui/controllers/qt_translations.AcceleratorFallback answers them. The dialog is grabbed offscreen and its labels read."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton, QToolButton

from ui.app import ensure_application, install_qt_translations


def labels(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.text()]


def test_file_dialog_labels_are_russian(qtbot, tmp_path):
    app = ensure_application()
    install_qt_translations(app, "ru")
    dialog = QFileDialog(None, "Открыть", str(tmp_path), "Файлы CSV (*.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.grab().isNull()
    texts = labels(dialog)
    assert texts == ["&Перейти к:", "&Имя файла:", "&Типы файлов:"], texts
    for text in texts:
        assert re.search("[а-яё]", text, re.IGNORECASE) and "Look" not in text and "type" not in text
    buttons = [b.text() for b in dialog.findChildren(QPushButton)]
    assert "&Открыть" in buttons and "Отмена" in buttons
    tips = [b.toolTip() for b in dialog.findChildren(QToolButton) if b.toolTip()]
    assert tips and all(re.search("[а-яё]", t, re.IGNORECASE) for t in tips), tips


def test_save_dialog_and_message_box_are_russian(qtbot, tmp_path):
    app = ensure_application()
    install_qt_translations(app, "ru")
    dialog = QFileDialog(None, "Сохранить", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "&Сохранить" in [b.text() for b in dialog.findChildren(QPushButton)]
    box = QMessageBox(QMessageBox.Icon.Question, "Вопрос", "Удалить?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.findChildren(QPushButton)}
    assert texts == {"Да", "Нет"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert {b.text().replace("&", "") for b in buttons.buttons()} == {"Открыть", "Закрыть"}


def test_the_fallback_leaves_english_and_plain_texts_alone():
    app = ensure_application()
    install_qt_translations(app, "en")
    try:
        assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Look in:"
    finally:
        install_qt_translations(app, "ru")
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Перейти к:"
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Перейти к:"
    assert QCoreApplication.translate("NoSuchContext", "&Nothing here") == "&Nothing here"
