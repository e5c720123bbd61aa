"""Close a question: the answer and the time it took («1:30», «90», «1,5 ч»), logged as «вопросы» work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from app.errors import UserError
from app.i18n import _
from app.services.questions import QuestionRow
from ui.dialogs.errors import ErrorLine
from ui.qtutil import fit_to_screen, form_dialog_body, one_line


@dataclass(frozen=True)
class CloseChoice:
    answer: str
    minutes: str  # as typed; '' = no time logged
    on: date


class CloseQuestionDialog(QDialog):
    """``submit(choice)`` closes the question (app.services.questions.close_question) or raises UserError."""

    def __init__(self, question: QuestionRow, submit: Callable[[CloseChoice], None], *, today: date | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("closeQuestionDialog")
        self.setWindowTitle(_("Question solved"))
        self._submit = submit
        header = QLabel(question.question)
        header.setWordWrap(True)
        self.answer = QPlainTextEdit(question.answer)
        self.answer.setAccessibleName(_("Answer"))
        self.minutes = QLineEdit()
        self.minutes.setAccessibleName(_("Time spent"))
        self.minutes.setPlaceholderText(_("e.g. 20, 1:30 or 1,5 h — empty: no time logged"))
        day = today or date.today()
        self.on = QDateEdit(QDate(day.year, day.month, day.day))
        self.on.setAccessibleName(_("Date of the work"))
        self.on.setDisplayFormat("dd.MM.yyyy")
        self.on.setCalendarPopup(True)
        self.error = ErrorLine(self)
        form = QFormLayout()
        form.addRow(_("Answer"), self.answer)
        form.addRow(_("Time spent"), self.minutes)
        form.addRow(_("Date of the work"), self.on)
        form_dialog_body(self, form, self.error, save=False, header=header)
        fit_to_screen(self, 520, 380)

    def choice(self) -> CloseChoice:
        d = self.on.date()
        return CloseChoice(one_line(self.answer.toPlainText()), self.minutes.text().strip(), date(d.year(), d.month(), d.day()))

    def accept(self) -> None:
        try:
            self._submit(self.choice())
        except UserError as exc:
            self.error.show_error(exc.message)
            return
        super().accept()
