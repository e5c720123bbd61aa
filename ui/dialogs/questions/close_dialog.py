"""Close a question: the answer and the time it took («1:30», «90», «1,5 ч»), logged as «вопросы» work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from app.errors import UserError
from app.i18n import _
from app.services.questions import QuestionRow
from ui.dialogs.date_field import DateField
from ui.dialogs.date_refusals import date_problem, say_refusals
from ui.dialogs.errors import ErrorLine
from ui.dialogs.form_dialog import FormDialog
from ui.palette import text_style
from ui.qtutil import fit_to_screen, form_dialog_body


@dataclass(frozen=True)
class CloseChoice:
    answer: str
    minutes: str  # as typed; '' = no time logged
    on: date


class CloseQuestionDialog(FormDialog):
    """``submit(choice)`` closes the question (app.services.questions.close_question) or raises UserError.
    ``contract``: the client's contract date; time logged on a day before it is said (taken, not refused), as
    `questions close` says it."""

    def __init__(self, question: QuestionRow, submit: Callable[[CloseChoice], None], *, today: date | None = None,
                 contract: date | None = None, parent=None) -> None:
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
        self.on = DateField(QDate(day.year, day.month, day.day))
        self.on.setAccessibleName(_("Date of the work"))
        self._contract = contract
        self.before_contract = QLabel()
        self.before_contract.setObjectName("beforeContract")
        self.before_contract.setWordWrap(True)
        self.before_contract.setStyleSheet(text_style("warning"))
        self.on.dateChanged.connect(self._say_contract)
        self.minutes.textChanged.connect(self._say_contract)
        self.error = ErrorLine(self)
        form = QFormLayout()
        form.addRow(_("Answer"), self.answer)
        form.addRow(_("Time spent"), self.minutes)
        form.addRow(_("Date of the work"), self.on)
        form.addRow(self.before_contract)
        self._say_contract()
        form_dialog_body(self, form, self.error, save=False, header=header)
        say_refusals(self, lambda text: self.error.show_error(text) if text else self.error.clear_error(),
                     self.error.text)
        fit_to_screen(self, 520, 380)

    def _say_contract(self) -> None:
        """Time logged on a day before the client's contract: said while the date and the time say so."""
        day = self.choice().on
        before = self._contract is not None and bool(self.minutes.text().strip()) and day < self._contract
        self.before_contract.setText(_("The work is dated {day}, before the contract of {contract}.").format(
            day=day.strftime("%d.%m.%Y"), contract=self._contract.strftime("%d.%m.%Y"))
            if before and self._contract is not None else "")
        self.before_contract.setVisible(before)

    def choice(self) -> CloseChoice:
        d = self.on.date()
        return CloseChoice(self.answer.toPlainText(), self.minutes.text().strip(), date(d.year(), d.month(), d.day()))

    def accept(self) -> None:
        refused = date_problem(self)  # 31.04.2027 is refused, never saved as another date
        if refused:
            self.error.show_error(refused)
            return
        try:
            self._submit(self.choice())
        except UserError as exc:
            self.error.show_error(exc.message)
            return
        super().accept()
