"""Mark a planned event done: log its work (planned or real duration, days for an on-site day — at most the days
it spans, as `plan done --days`) and tick the lessons it covered; work before the client's contract is said, not
refused (as the command line's notice)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from app.errors import UserError
from app.i18n import _, ngettext
from app.services.plan_rows import EventRow, clients_day_differs, event_days
from ui.dialogs.errors import ErrorLine
from ui.dialogs.form_dialog import FormDialog
from ui.palette import text_style
from ui.qtutil import form_dialog_body


class DaysSpinBox(QDoubleSpinBox):
    """Days to two places, shown without trailing zeros in the locale's way («1 дн.», «0,5 дн.», not «1,00»)."""

    def textFromValue(self, value: float) -> str:  # Qt calls it to show the value
        text = self.locale().toString(round(value, 2), "f", 2)
        point = self.locale().decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text


@dataclass(frozen=True)
class CompleteChoice:
    """What the user chose: whether to log work and of what length, whether to tick the lessons."""

    log_work: bool
    actual_min: int | None  # None: the planned duration
    tick_lessons: bool
    days: Decimal | None = None  # an on-site day's days to log (None: not one, or nothing logged)


class CompleteEventDialog(FormDialog):
    """``submit(choice)`` completes the event (app.services.plan.complete_event) or raises UserError.
    ``contract``: the client's contract date when the event's day is before it (``worklog.contract_after``): said
    above the form. An on-site day offers its days (1 by default, at most the calendar days it spans): the dialog
    logged one day without a field for more, and said nothing of work before the contract (a tester)."""

    def __init__(self, event: EventRow, submit: Callable[[CompleteChoice], None], parent=None, *,
                 contract: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("completeEventDialog")
        self.setWindowTitle(_("Event done"))
        self._submit, self._event = submit, event
        header = QLabel(f"<b>{event.kind_title}</b> — {event.client_name}<br>"
                        f"{event.start_local:%d.%m.%Y %H:%M} ({event.time_zone})"
                        + (f"<br>{event.section}" if event.section else ""))
        header.setWordWrap(True)
        self.log_work = QCheckBox(_("Log the work in the work log"))
        self.log_work.setChecked(True)
        self.minutes = QSpinBox()
        self.minutes.setAccessibleName(_("Real duration, min"))
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setSuffix(" " + _("min"))
        self.minutes.setValue(event.duration_min)
        onsite = event.kind == "onsite_day"
        self._onsite = onsite
        span = event_days(event)
        self.days = DaysSpinBox()
        self.days.setObjectName("completeEventDays")
        self.days.setAccessibleName(_("Days to log"))
        self.days.setDecimals(2)
        self.days.setRange(0.01, float(span))
        self.days.setSingleStep(0.5)
        self.days.setSuffix(_(" days"))
        self.days.setValue(1.0)
        self.days_hint = QLabel(ngettext(
            "at most {n} day: the calendar days the event spans; other days of the visit go into the work log by "
            "their dates", "at most {n} days: the calendar days the event spans; other days of the visit go into "
            "the work log by their dates", span).format(n=span))
        self.days_hint.setWordWrap(True)
        self.days_hint.setStyleSheet(text_style("muted"))
        self.minutes.setEnabled(not onsite)
        self.log_work.toggled.connect(lambda on: self.minutes.setEnabled(on and not onsite))
        self.log_work.toggled.connect(self.days.setEnabled)
        self.before_contract = QLabel()
        self.before_contract.setObjectName("beforeContract")
        self.before_contract.setWordWrap(True)
        self.before_contract.setStyleSheet(text_style("warning"))
        if contract is not None:  # the same words as `plan done`'s notice; taken, not refused
            self.before_contract.setText(
                _("Note: event No. {id} took place on {day}, before the contract of {contract}.").format(
                    id=event.id, day=event.start_local.strftime("%d.%m.%Y"), contract=contract.strftime("%d.%m.%Y")))
        self.before_contract.setVisible(contract is not None)
        # the work is dated by the client's day, which may not be this computer's: said, not found out at the act
        self.clients_day = QLabel(_("The work is logged on the client's date, {day}; here the event started on {mine}.").format(
            day=event.start_local.strftime("%d.%m.%Y"), mine=event.viewer_start().strftime("%d.%m.%Y %H:%M")))
        self.clients_day.setObjectName("clientsDay")
        self.clients_day.setWordWrap(True)
        self.clients_day.setStyleSheet(text_style("muted"))
        self.clients_day.setVisible(clients_day_differs(event))
        self.tick = QCheckBox(_("Tick the lessons it covered ({n})").format(n=len(event.lesson_codes)))
        self.tick.setChecked(bool(event.lesson_codes))
        self.tick.setEnabled(bool(event.lesson_codes))
        self.error = ErrorLine(self)
        form = QFormLayout()
        form.addRow(self.before_contract)
        form.addRow(self.log_work)
        form.addRow(self.clients_day)
        if onsite:
            days_and_bound = QVBoxLayout()  # the bound under the field (a form row of its own left a gap)
            days_and_bound.setContentsMargins(0, 0, 0, 0)
            days_and_bound.addWidget(self.days)
            days_and_bound.addWidget(self.days_hint)
            form.addRow(_("Days to log"), days_and_bound)
        else:
            form.addRow(_("Real duration"), self.minutes)
        form.addRow(self.tick)
        form_dialog_body(self, form, self.error, save=False, header=header)
        self.setMinimumWidth(440)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():  # wrapped lines measured at this width: no gaps
            self.resize(440, layout.totalHeightForWidth(440))

    def choice(self) -> CompleteChoice:
        real = self.minutes.value()
        log = self.log_work.isChecked()
        days = Decimal(str(round(self.days.value(), 2))) if self._onsite and log else None
        return CompleteChoice(log, None if real == self._event.duration_min or self._onsite else real,
                              self.tick.isChecked(), days)

    def accept(self) -> None:
        try:
            self._submit(self.choice())
        except UserError as exc:
            self.error.show_error(exc.message)
            return
        super().accept()
