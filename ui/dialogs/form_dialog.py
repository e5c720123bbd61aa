"""The base of the dialogs that hold a form: Esc and the window's close button ask before throwing typed data away.

«Новый заказчик» closed on Esc with a typed name and ИНН, and they were lost (tester K, 2026-12-05). What the
dialog showed when it opened is kept (``ui.dialogs.keyboard.dialog_state``: texts, choices, ticks, values, small tables'
cells); Esc or the close button with anything changed asks (``ui.dialogs.keyboard.confirm_discard``). «Отмена» is a choice
already made and closes at once, as ``reject()`` called by the program does. Tab leaves the form's tables and
multi-line boxes (``ui.dialogs.keyboard.install``). Ctrl+S presses the form's «Сохранить» (or its OK where
``OK_SAVES``), as Ctrl+S saves the card: «Новый заказчик» ignored it (tester S). Overrides, not an event filter: a filter's Python method called while a
dialog that Python owned was being deleted crashed the interpreter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QAbstractButton, QDialog, QDialogButtonBox, QWidget

from ui.dialogs import keyboard


class FormDialog(QDialog):
    OK_SAVES = False  # True: the form's OK saves a record (Ctrl+S presses it too), not a choice such as a move

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        keyboard.install()
        self._opened_with: list | None = None
        self._opened = False

    def typed(self) -> bool:
        """Anything differs from what the dialog showed when it opened (False when that could not be read)."""
        if not self._opened or self._opened_with is None:
            return False
        return keyboard.dialog_state(self) != self._opened_with

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._opened:
            self._opened = True
            self._opened_with = keyboard.dialog_state(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if event.key() == Qt.Key.Key_Escape and plain and self._keep_open():
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Save):
            button = self.save_button()
            if button is not None and button.isEnabled() and button.isVisible():
                button.click()
            event.accept()  # not passed on: the window behind has its own Ctrl+S
            return
        super().keyPressEvent(event)

    def save_button(self) -> QAbstractButton | None:
        """The form's «Сохранить» button (its OK when ``OK_SAVES``), the one Ctrl+S presses; None when it has none."""
        kinds = [QDialogButtonBox.StandardButton.Save]
        if self.OK_SAVES:
            kinds.append(QDialogButtonBox.StandardButton.Ok)
        for box in self.findChildren(QDialogButtonBox):
            for kind in kinds:
                button = box.button(kind)
                if button is not None:
                    return button
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous() and self.isVisible() and self._keep_open():  # the window's close button
            event.ignore()
            return
        super().closeEvent(event)

    def _keep_open(self) -> bool:
        """True when something was typed and the user chose to go on editing."""
        return self.typed() and not keyboard.confirm_discard(self)
