"""The box that asks why (voiding a document, a sign-off with open items): a multi-line reason whose refusal keeps
the box open with the typed text.

«Аннулировать…» asked in ``QInputDialog.getMultiLineText``: the box closed on OK, the service refused a line break,
and the typed reason was gone (tester N, 2026-12-05, item 3). One rule for reasons now: a reason typed in a
multi-line box keeps its line breaks (``clean_multiline``, as a stage move's reason always did), a cancelled
event's too (its note keeps lines since 2026-12-06)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ui.dialogs.form_dialog import FormDialog
from ui.palette import text_style
from ui.qtutil import name_inputs


class ReasonDialog(FormDialog):
    """Ask for a reason; ``submit(text)`` acts on it and returns the refusal's text (the box stays open, the text
    kept, the refusal said under it) or None (the box closes)."""

    def __init__(self, title: str, prompt: str, submit: Callable[[str], str | None], parent: QWidget | None = None,
                 *, ok_text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self._submit = submit
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.text.setObjectName("reasonText")
        label.setBuddy(self.text)
        layout.addWidget(self.text)
        self.problem = QLabel(self)
        self.problem.setObjectName("reasonProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(text_style("error"))
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok_text:
            self.ok.setText(ok_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._update)
        self.setMinimumWidth(480)
        # a wrapped label asks for the height of its narrowest width: a long prompt (the acts a rounding change
        # would touch, then the question) lost its last lines under the text box
        margins = layout.contentsMargins()
        label.setMinimumHeight(label.heightForWidth(480 - margins.left() - margins.right()))
        name_inputs(self)
        self._update()
        self.text.setFocus()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason().strip()))

    def reason(self) -> str:
        return self.text.toPlainText()

    def submit(self) -> bool:
        """Act on the typed reason: True and closed when done; False, open, the refusal said, when refused."""
        refusal = self._submit(self.reason())
        if refusal:
            self.problem.setText(refusal)
            self.problem.show()
            self.text.setFocus()
            return False
        self.problem.hide()
        self.accept()
        return True
