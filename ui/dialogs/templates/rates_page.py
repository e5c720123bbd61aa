"""Settings ▸ Tariffs: the dated tariffs and USD rate, and adding one that holds from a date.

A new figure holds from its date on; estimates and documents already issued keep their figures.
VAT is edited on the billing page (app.services.estimates.set_vat_rate)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from app.services import templates
from ui.dialogs.date_field import DateField
from ui.dialogs.date_refusals import refusal, say_refusals
from ui.dialogs.errors import ErrorLine
from ui.models.templates import RATE_TITLES, RatesModel


class RatesPage(QWidget):
    """Lists and adds dated rates through app.services.templates; ``changed`` carries the Changes."""

    changed = Signal(object)

    def __init__(self, db, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratesPage")
        self.db = db
        self.model = RatesModel(self)
        self.table = QTableView()
        self.table.setObjectName("ratesTable")
        self.table.setAccessibleName(_("Tariffs and rates"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Rate"))
        for kind in templates.RATE_KINDS:
            self.kind.addItem(_(RATE_TITLES[kind]), kind)
        day = today or date.today()
        self.valid_from = DateField(QDate(day.year, day.month, day.day))
        self.valid_from.setAccessibleName(_("Holds from"))
        self.rate = QLineEdit()
        self.rate.setAccessibleName(_("Value"))
        self.rate.setPlaceholderText("1 500,00")
        self.add_button = QPushButton(_("Add"))
        self.add_button.setAccessibleName(_("Add the rate"))
        self.add_button.clicked.connect(self.add_rate)
        self.error = ErrorLine(self)
        form = QHBoxLayout()
        form.addWidget(self.kind, 2)
        form.addWidget(self.valid_from, 1)
        form.addWidget(self.rate, 1)
        form.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        say_refusals(self, lambda text: self.error.show_error(text) if text else self.error.clear_error(),
                     self.error.text)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(templates.rates(self.db))

    def add_rate(self) -> None:
        refused = refusal(self.valid_from)  # a rate never holds from another date than the one typed
        if refused:
            self.error.show_error(refused)
            self.valid_from.setFocus()
            return
        d = self.valid_from.date()
        text = self.rate.text()  # as typed: parse_decimal takes «1 500» and refuses «1 0» (glued into 10 here)
        try:
            changes = templates.set_rate(self.db, self.kind.currentData(), text, date(d.year(), d.month(), d.day()))
        except UserError as exc:
            self.error.show_error(exc.message)
            return
        self.error.clear_error()
        self.rate.clear()
        self.reload()
        self.changed.emit(changes)
