"""The inline error line a dialog shows when the service refuses its input (the dialog stays open)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ui.palette import text_style


class ErrorLine(QLabel):
    """Hidden until ``show_error``; red, wrapped, read by screen readers."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.setStyleSheet(text_style("error"))
        self.setAccessibleName("error")
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(message)
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()
