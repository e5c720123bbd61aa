"""A new (or edited) question of a client: date, channel, who asked (the client's staff), question, answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
)

from app.errors import UserError
from app.i18n import _
from app.services.questions import CHANNEL_TITLES, CHANNELS, QuestionInput, QuestionRow
from ui.dialogs.date_field import DateField
from ui.dialogs.date_refusals import date_problem, say_refusals
from ui.dialogs.departed import departed_title
from ui.dialogs.errors import ErrorLine
from ui.dialogs.form_dialog import FormDialog
from ui.palette import text_style
from ui.qtutil import fit_to_screen, form_dialog_body


class QuestionDialog(FormDialog):
    """``staff``: (uuid, name) of the client's employees; ``submit(data)`` saves or raises UserError. ``contract``: the
    client's contract date; a question dated before it is said (taken, not refused), as `questions add` says it."""

    def __init__(self, client_name: str, staff: list[tuple[str, str]], submit: Callable[[QuestionInput], None], *,
                 question: QuestionRow | None = None, today: date | None = None, contract: date | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("questionDialog")
        self.setWindowTitle((_("Question") if question else _("New question")) + f" — {client_name}")
        self._submit = submit
        day = question.asked_on if question else (today or date.today())
        self.asked_on = DateField(QDate(day.year, day.month, day.day))
        self.asked_on.setAccessibleName(_("Date"))
        self._contract = contract
        self.before_contract = QLabel()
        self.before_contract.setObjectName("beforeContract")
        self.before_contract.setWordWrap(True)
        self.before_contract.setStyleSheet(text_style("warning"))
        self.asked_on.dateChanged.connect(self._say_contract)
        self.channel = QComboBox()
        self.channel.setAccessibleName(_("Channel"))
        for code in CHANNELS:
            self.channel.addItem(_(CHANNEL_TITLES[code]), code)
        self.who = QComboBox()
        self.who.setAccessibleName(_("Asked by"))
        self.who.addItem(_("(not known)"), "")
        for uuid, name in staff:
            self.who.addItem(name, uuid)
        if question is not None and question.employee_uuid and self.who.findData(question.employee_uuid) < 0:
            # who asked has left the staff since (their card deleted): listed marked and chosen, so that saving keeps
            # them, as the service does; the current staff alone had no such entry and «(not known)» was saved (r13)
            self.who.addItem(departed_title(question.employee_name), question.employee_uuid)
        self.text = QPlainTextEdit(question.question if question else "")
        self.text.setAccessibleName(_("Question"))
        self.answer = QPlainTextEdit(question.answer if question else "")
        self.answer.setAccessibleName(_("Answer"))
        if question is not None:
            self.channel.setCurrentIndex(max(0, self.channel.findData(question.channel)))
            self.who.setCurrentIndex(max(0, self.who.findData(question.employee_uuid)))
        self.error = ErrorLine(self)
        form = QFormLayout()
        form.addRow(_("Date"), self.asked_on)
        form.addRow(self.before_contract)
        self._say_contract()
        form.addRow(_("Channel"), self.channel)
        form.addRow(_("Asked by"), self.who)
        form.addRow(_("Question"), self.text)
        form.addRow(_("Answer"), self.answer)
        form_dialog_body(self, form, self.error)
        say_refusals(self, lambda text: self.error.show_error(text) if text else self.error.clear_error(),
                     self.error.text)
        fit_to_screen(self, 560, 460)

    def _say_contract(self) -> None:
        """A question dated before the client's contract: said while the date says so."""
        d = self.asked_on.date()
        day = date(d.year(), d.month(), d.day())
        before = self._contract is not None and day < self._contract
        self.before_contract.setText(_("The question is dated {day}, before the contract of {contract}.").format(
            day=day.strftime("%d.%m.%Y"), contract=self._contract.strftime("%d.%m.%Y"))
            if before and self._contract is not None else "")
        self.before_contract.setVisible(before)

    def value(self) -> QuestionInput:
        d = self.asked_on.date()
        return QuestionInput(asked_on=date(d.year(), d.month(), d.day()), channel=self.channel.currentData(),
                             question=self.text.toPlainText(), employee=self.who.currentData() or "",
                             answer=self.answer.toPlainText())

    def accept(self) -> None:
        refused = date_problem(self)  # 31.04.2027 is refused, never saved as another date
        if refused:
            self.error.show_error(refused)
            return
        try:
            self._submit(self.value())
        except UserError as exc:  # all of it: a save refused as changed elsewhere too names each field
            self.error.show_error(exc.full_text())
            return
        super().accept()
