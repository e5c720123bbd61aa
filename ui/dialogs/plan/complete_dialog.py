"""Mark a planned event done: log its work (planned or real duration, days for an on-site day) and tick
the lessons it covered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
)

from app.errors import UserError
from app.i18n import _
from app.services.plan import EventRow
from ui.dialogs.errors import ErrorLine
from ui.qtutil import form_dialog_body


@dataclass(frozen=True)
class CompleteChoice:
    """What the user chose: whether to log work and of what length, whether to tick the lessons."""

    log_work: bool
    actual_min: int | None  # None: the planned duration
    tick_lessons: bool


class CompleteEventDialog(QDialog):
    """``submit(choice)`` completes the event (app.services.plan.complete_event) or raises UserError."""

    def __init__(self, event: EventRow, submit: Callable[[CompleteChoice], None], parent=None) -> None:
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
        self.minutes.setEnabled(not onsite)
        self.log_work.toggled.connect(lambda on: self.minutes.setEnabled(on and not onsite))
        self.tick = QCheckBox(_("Tick the lessons it covered ({n})").format(n=len(event.lesson_codes)))
        self.tick.setChecked(bool(event.lesson_codes))
        self.tick.setEnabled(bool(event.lesson_codes))
        self.error = ErrorLine(self)
        form = QFormLayout()
        form.addRow(self.log_work)
        form.addRow(_("Real duration") if not onsite else _("On-site day: one day is logged"), self.minutes)
        form.addRow(self.tick)
        form_dialog_body(self, form, self.error, save=False, header=header)
        self.setMinimumWidth(440)

    def choice(self) -> CompleteChoice:
        real = self.minutes.value()
        return CompleteChoice(self.log_work.isChecked(),
                              None if real == self._event.duration_min or self._event.kind == "onsite_day" else real,
                              self.tick.isChecked())

    def accept(self) -> None:
        try:
            self._submit(self.choice())
        except UserError as exc:
            self.error.show_error(exc.message)
            return
        super().accept()
