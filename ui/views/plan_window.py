"""The «План» window (Неделя → План…): every planned event of a period, not only this week's, with the agenda's
actions. The agenda dock shows overdue, today and six days: an event planned further on could not be seen, changed
or cancelled in the window (tester K #4). It holds no database: ``read(from, to, client_id)`` returns a PlanPeriod
(app.services.plan_read.plan_period, given by the week), and the actions are asked for through the list's signals
(``view``: an AgendaView, its keys and context menu — Enter/F2 change, Ctrl+Enter done, Delete cancels)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta, tzinfo

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.i18n import _
from app.services.plan_read import PERIOD_DAYS
from app.services.plan_rows import EventRow, PlanPeriod
from ui.dialogs.date_field import date_edit
from ui.dialogs.date_refusals import say_refusals
from ui.dialogs.errors import ErrorLine
from ui.qtutil import fit_to_screen, from_qdate, to_qdate, typed_choice
from ui.views.agenda import AgendaView

Read = Callable[[date, date, "int | None"], PlanPeriod]
GEOMETRY_KEY = "plan/geometry"  # the window's size and place
HEADER_KEY = "plan/header"  # its columns' widths, as the agenda's (AGENDA_HEADER_KEY)


class PlanWindow(QDialog):
    """A period (from, to: default today and PERIOD_DAYS on) and a client (default any) choose the events; the
    overdue ones come first whatever the period. ``clients``: (id, name) for the filter. ``settings``: where the
    size and the column widths are kept (None: not kept). Not modal: it stays open beside the main window and is
    re-read (``reload``) when the plan changes."""

    def __init__(self, read: Read, clients: list[tuple[int, str]], *, settings: QSettings | None = None,
                 client_id: int | None = None, today: date | None = None, viewer: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planWindow")
        self.setWindowTitle(_("Plan"))
        self.setModal(False)
        self._read, self._settings, self._viewer = read, settings, viewer
        start = today or date.today()
        self.date_from = date_edit(self, "planFrom", start)
        self.date_from.setAccessibleName(_("Period from"))
        self.date_to = date_edit(self, "planTo", start + timedelta(days=PERIOD_DAYS))
        self.date_to.setAccessibleName(_("Period to"))
        self.client = QComboBox(self)
        self.client.setObjectName("planClient")
        self.client.setAccessibleName(_("Client"))
        self.set_clients(clients, client_id)
        typed_choice(self.client)  # any part of the name finds the client; a text naming none is refused
        self.client.setMinimumContentsLength(24)
        self.client.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        line = self.client.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._client_typed)
        self.view = AgendaView(self, viewer)
        self.view.setObjectName("planView")
        self.view.table.setObjectName("planTable")
        self.view.table.setAccessibleName(_("Plan"))
        self.error = ErrorLine(self)
        close = QPushButton(_("Close"), self)
        close.setObjectName("planClose")
        close.clicked.connect(self.close)
        for button in (*self.findChildren(QPushButton), close):
            button.setAutoDefault(False)  # Enter in the list changes the event, it does not close the window
        filters = QHBoxLayout()
        for text, widget in ((_("&From:"), self.date_from), (_("&To:"), self.date_to), (_("C&lient:"), self.client)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 1 if widget is self.client else 0)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addStretch(0)
        bottom.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        # a date typed that is no date is said under the list (as in every form), so the user knows the rows are
        # still the old period's (tester P, item 7)
        say_refusals(self, lambda text: self.error.show_error(text) if text else self.error.clear_error(),
                     self.error.text)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.client.currentIndexChanged.connect(self.reload)
        self._restore()
        self.reload()

    # ---------------------------------------------------------------- filters

    def set_clients(self, clients: list[tuple[int, str]], client_id: int | None = None) -> None:
        """The client filter's choices (any client first); ``client_id`` chosen, else the one chosen before when it
        is still there."""
        chosen = client_id if client_id is not None else self.client_id()
        self.client.blockSignals(True)
        try:
            self.client.clear()
            self.client.addItem(_("Any client"), None)
            for cid, name in clients:
                self.client.addItem(name, cid)
            self.client.setCurrentIndex(max(0, self.client.findData(chosen)) if chosen is not None else 0)
        finally:
            self.client.blockSignals(False)

    def client_id(self) -> int | None:
        data = self.client.currentData() if self.client.count() else None
        return int(data) if data is not None else None

    def _client_typed(self) -> None:
        """A typed name: the client named in full (any letter case), else the box shows its choice again."""
        typed = self.client.currentText().strip()
        if typed == self.client.itemText(self.client.currentIndex()):
            return
        index = self.client.findText(typed, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.client.setCurrentIndex(index)
        else:
            self.client.setEditText(self.client.itemText(self.client.currentIndex()))

    def period(self) -> tuple[date, date]:
        return from_qdate(self.date_from.date()), from_qdate(self.date_to.date())

    def set_period(self, start: date, end: date) -> None:
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(day))
            edit.blockSignals(False)
        self.reload()

    # ---------------------------------------------------------------- rows

    def reload(self, *_args) -> None:
        """Read the chosen period again; a refusal (the period ends before it starts) is said under the list and
        the rows stay as they were."""
        refused = next((f.labelled(f.problem()) for f in (self.date_from, self.date_to) if f.problem()), "")
        if refused:  # the client changed while a date field holds no date: the rows stay, the reason is said again
            self.error.show_error(refused)
            return
        start, end = self.period()
        try:
            period = self._read(start, end, self.client_id())
        except UserError as exc:
            self.error.show_error(exc.message)
            return
        self.error.clear_error()
        self.view.set_period(period)
        self.view.table.horizontalScrollBar().setValue(0)  # the date first

    def listed(self, event_id: int) -> bool:
        """Whether event ``event_id`` is one of the rows shown."""
        model = self.view.model
        return any((event := model.event_at(row)) is not None and event.id == event_id
                   for row in range(model.rowCount()))

    def say_not_listed(self, event: EventRow) -> None:
        """``event`` changed to a day outside the period: it leaves the list, and the user is told why rather
        than seeing it vanish (tester P, item 9)."""
        day = event.viewer_start(self._viewer).date()
        start, end = self.period()
        self.error.show_error(_("The event is now on {day}, outside the period {start} – {end}: it is no longer "
                                "listed. Widen the period to see it.").format(
            day=f"{day:%d.%m.%Y}", start=f"{start:%d.%m.%Y}", end=f"{end:%d.%m.%Y}"))

    # ---------------------------------------------------------------- size and columns kept

    def _restore(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY) if self._settings is not None else None
        if not (isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry)):
            fit_to_screen(self, 1280, 640)  # every column at 1366×768
        if self._settings is not None:
            self.view.restore_header(self._settings.value(HEADER_KEY))

    def save_layout(self) -> None:
        """The size and the columns' widths, for the next time the window opens (this session's or the next)."""
        if self._settings is None:
            return
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(HEADER_KEY, self.view.header_state())
        self._settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.view.table.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_layout()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
