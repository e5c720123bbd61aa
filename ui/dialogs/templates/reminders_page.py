"""Settings ▸ Reminders: after how many days an unreturned signed copy of an act needs attention.

(The stalled threshold already has its place in the settings dialog.)"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QPushButton, QSpinBox, QWidget

from app.errors import UserError
from app.i18n import _
from app.services import reminders
from ui.dialogs.errors import ErrorLine


class RemindersPage(QWidget):
    """Reads and saves the threshold through app.services.reminders; ``changed`` carries the Changes."""

    changed = Signal(object)

    def __init__(self, db, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("remindersPage")
        self.db = db
        self.days = QSpinBox()
        self.days.setAccessibleName(_("Signed copy expected back within, days"))
        self.days.setRange(1, reminders.MAX_DAYS)
        self.days.setSuffix(" " + _("days after issue"))
        self.days.setValue(reminders.unreturned_days(db))
        self.save_button = QPushButton(_("Save"))
        self.save_button.setAccessibleName(_("Save the reminder setting"))
        self.save_button.clicked.connect(self.save)
        self.error = ErrorLine(self)
        form = QFormLayout(self)
        form.addRow(_("Signed copy expected back within"), self.days)
        form.addRow(self.save_button)
        form.addRow(self.error)

    def save(self) -> None:
        try:
            changes = reminders.set_unreturned_days(self.db, self.days.value())
        except UserError as exc:
            self.error.show_error(exc.message)
            return
        self.error.clear_error()
        self.changed.emit(changes)
