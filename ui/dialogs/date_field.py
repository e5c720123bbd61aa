"""The date (and date-time) field of every form: it keeps exactly what was typed in dd.MM.yyyy (HH:mm).

Qt's QDateEdit/QDateTimeEdit check the date at every keystroke against the sections not typed yet and quietly
drop what does not fit: «29.02.2028 23:30» typed over 06.12.2026 became 06.02.2028 23:30 (day 29 refused while the
year still said 2026), «31.12.2026» over 01.04.2026 became 01.12.2026, and Enter saved it (tester K, item 9).

``DateField`` reads the typed text only as a whole: fixed positions (an input mask, typing overwrites, a separator
typed is skipped), the date taken when every section is there and the date exists. A date that does not exist
(31.04.2027, 29.02.2027), a month 13 or a date outside the field's range is never turned into another date: the field
keeps the text, is marked and says why (``problem()``, its tool tip, the ``refused`` signal), ``date()`` keeps the last
good value, and a dialog's OK refuses through ``date_problem``. What QDateEdit gave is kept: the calendar pop-up
(button, F4, Alt+Down), Up/Down and PageUp/PageDown (and the wheel) stepping the section under the cursor, Tab
walking the sections and then leaving, min/max dates, ``date()``/``dateTime()`` and their change signals.

How the text reads (two-digit years, separators, the reasons said) is ``ui.dialogs.date_typing``; the keys (sections,
Tab, separators, a date typed year first or pasted) ``ui.dialogs.date_sections``; how a form says the refusal and
refuses its OK ``ui.dialogs.date_refusals``."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QDateTime, QPoint, QSize, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QAbstractSpinBox, QCalendarWidget, QToolButton, QWidget

from app.i18n import _
from ui.dialogs.date_sections import SectionedEdit
from ui.dialogs.date_typing import DATE, Reading, pattern, read
from ui.dialogs.date_typing import DATE_TIME as DATE_TIME  # the formats, as callers import them
from ui.dialogs.date_typing import MONTH as MONTH
from ui.palette import hex_color

_MIN = QDate(1752, 9, 14)  # QDateEdit's own range (date_typing.FIRST_DAY)
_MAX = QDate(9999, 12, 31)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def read_text(text: str, fmt: str = DATE, minimum: QDate = _MIN, maximum: QDate = _MAX, *,
              typing: bool = False, cut: frozenset[str] = frozenset()) -> Reading:
    """``date_typing.read`` with the field's range in QDate."""
    return read(text, fmt, _day(minimum), _day(maximum), typing=typing, cut=cut)


def _qt(reading: Reading) -> tuple[QDate, QTime] | None:
    """The date and time a reading found, in Qt's types; None when it found none."""
    if reading.date is None or reading.time is None:
        return None
    day, moment = reading.date, reading.time
    return QDate(day.year, day.month, day.day), QTime(moment.hour, moment.minute)


class DateField(SectionedEdit):
    """A date field in ``fmt`` (``DATE``, ``DATE_TIME`` or ``MONTH``); the API the dialogs used of QDateTimeEdit."""

    dateChanged = Signal(QDate)
    dateTimeChanged = Signal(QDateTime)
    refused = Signal(str)  # why, when a text that is no date is typed whole or left; «» once the date is good again

    def __init__(self, value: QDate | QDateTime | None = None, parent: QWidget | None = None, *,
                 fmt: str = DATE, calendar: bool = True) -> None:
        super().__init__(fmt, parent)
        self._date = QDate.currentDate()
        self._time = QTime(0, 0)
        self._zone: QTimeZone | None = None
        self._minimum, self._maximum = _MIN, _MAX
        self._tracking = True
        self._problem = ""
        self._marked = False
        self._own_tip = ""
        self._popup: QCalendarWidget | None = None
        self._button = QToolButton(self)
        self._button.setObjectName("dateFieldCalendar")
        self._button.setArrowType(Qt.ArrowType.DownArrow)
        self._button.setAutoRaise(True)
        self._button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._button.setCursor(Qt.CursorShape.ArrowCursor)
        self._button.setToolTip(_("Calendar"))
        self._button.setAccessibleName(_("Calendar"))
        self._button.clicked.connect(self.show_calendar)
        # the base class keeps no value of its own (no interpretation, no reverting): keyboard tracking is ours
        super().setKeyboardTracking(False)
        self.editingFinished.connect(self._finish)
        self.setCalendarPopup(calendar)
        self._show()
        if isinstance(value, QDateTime):
            self.setDateTime(value)
        elif isinstance(value, QDate):
            self.setDate(value)

    # ------------------------------------------------------------------ the value

    def date(self) -> QDate:
        """The last good date (a text that is no date does not change it: see ``problem``)."""
        return QDate(self._date)

    def time(self) -> QTime:
        return QTime(self._time)

    def dateTime(self) -> QDateTime:
        if self._zone is not None:
            return QDateTime(self._date, self._time, self._zone)
        return QDateTime(self._date, self._time)

    def setDate(self, value: QDate) -> None:
        if value.isValid():
            self._set(value, self._time, show=True)

    def setTime(self, value: QTime) -> None:
        if value.isValid():
            self._set(self._date, QTime(value.hour(), value.minute()), show=True)

    def setDateTime(self, value: QDateTime) -> None:
        if not value.isValid():
            return
        if self._zone is not None:
            value = value.toTimeZone(self._zone)
        elif value.timeSpec() != Qt.TimeSpec.LocalTime:
            value = value.toLocalTime()
        self._set(value.date(), QTime(value.time().hour(), value.time().minute()), show=True)

    def setTimeZone(self, zone: QTimeZone) -> None:
        """The zone ``dateTime()`` is given in (the wall-clock value shown does not move)."""
        self._zone = zone

    def timeZone(self) -> QTimeZone | None:
        return self._zone

    def setMinimumDate(self, value: QDate) -> None:
        self.setDateRange(value, max(value, self._maximum))

    def setMaximumDate(self, value: QDate) -> None:
        self.setDateRange(min(value, self._minimum), value)

    def minimumDate(self) -> QDate:
        return QDate(self._minimum)

    def maximumDate(self) -> QDate:
        return QDate(self._maximum)

    def setDateRange(self, minimum: QDate, maximum: QDate) -> None:
        self._minimum, self._maximum = QDate(minimum), QDate(maximum)
        self._set(self._date, self._time, show=True)

    def displayFormat(self) -> str:
        return self._format

    def setKeyboardTracking(self, enable: bool) -> None:
        """True: a good date is taken as soon as it is typed whole; False: when editing ends."""
        self._tracking = enable

    def keyboardTracking(self) -> bool:
        return self._tracking

    def labelled(self, problem: str) -> str:
        """``problem`` with the field's name in front («Начало: …»)."""
        name = self.accessibleName().replace("&", "").rstrip(":").strip()
        if not problem or not name:
            return problem
        return _("{field}: {problem}").format(field=name, problem=problem[:1].lower() + problem[1:])

    def problem(self) -> str:
        """Why the text shown is no date of this field («» when it is one)."""
        return self._reading().problem

    def _reading(self, text: str | None = None, *, typing: bool = False) -> Reading:
        return read_text(self.lineEdit().displayText() if text is None else text, self._format, self._minimum,
                         self._maximum, typing=typing, cut=frozenset(self._cut))

    def _set(self, day: QDate, time: QTime, *, show: bool) -> None:
        day = min(max(day, self._minimum), self._maximum)
        date_changed, time_changed = day != self._date, time != self._time
        self._date, self._time = QDate(day), QTime(time)
        if show:
            self._show()
        self._mark("")
        if date_changed:
            self.dateChanged.emit(self.date())
        if date_changed or time_changed:
            self.dateTimeChanged.emit(self.dateTime())

    def _text(self) -> str:
        return QDateTime(self._date, self._time).toString(self._format)

    def _show(self) -> None:
        edit = self.lineEdit()
        if edit.displayText() != self._text():
            at = edit.cursorPosition()
            edit.setText(self._text())
            edit.setCursorPosition(min(at, len(self._format)))
        self._keys_forgotten()

    # ------------------------------------------------------------------ typing

    def _typed(self, text: str) -> None:
        reading = self._reading(text, typing=True)
        found = _qt(reading)
        if found is not None:
            if self._tracking:
                self._set(*found, show=False)
            else:
                self._mark("")
        elif reading.complete:  # all typed and still no date: said now, not only when editing ends
            self._mark(reading.problem)
        elif self._marked:  # being corrected: the old reason no longer holds
            self._mark("")

    def _not_pasted(self, clip: str) -> None:
        """A text pasted that is no date («1 апреля 2026» is one, «в пятницу» is not): the field keeps its text and
        says why nothing was pasted."""
        shown = " ".join(clip.split())
        self._mark(_("The text pasted is not a date: «{text}». Paste or type a date: {pattern}.").format(
            text=shown[:30] + ("…" if len(shown) > 30 else ""), pattern=pattern(self._format)))

    def interpretText(self) -> None:
        """Take the text typed (the dialogs call it before reading the value)."""
        self._finish()

    def _finish(self) -> None:
        if self._popup is not None and self._popup.isVisible():
            return
        self._keys = None  # a date typed year first is laid no more
        reading = self._reading()
        found = _qt(reading)
        if found is not None:
            self._set(*found, show=True)  # «1_.4_.2026» shown as 01.04.2026
        else:
            self._mark(reading.problem)

    def _mark(self, problem: str) -> None:
        was = self._problem
        self._problem = problem
        self._marked = bool(problem)
        self.update()  # the red frame (paintEvent): a style sheet on a spin box squeezed its text away
        self.setAccessibleDescription(problem)
        if problem:
            if not was:
                self._own_tip = self.toolTip()
            self.setToolTip(problem)
        elif was:
            self.setToolTip(self._own_tip)
        if problem != was:
            self.refused.emit(problem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, alt = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if self._button.isVisible() and (key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down)):
            self.show_calendar()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ steps

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if self.isReadOnly():
            return QAbstractSpinBox.StepEnabledFlag.StepNone
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self._date < self._maximum or self._sections[self._current].kind in ("hour", "minute"):
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self._date > self._minimum or self._sections[self._current].kind in ("hour", "minute"):
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    def stepBy(self, steps: int) -> None:
        """Up/Down (PageUp/PageDown: 10) on the section under the cursor, by the calendar (31.01 + 1 day =
        01.02); from the date typed when it is one, else from the last good date."""
        day, time = _qt(self._reading()) or (
            self._date, self._time)
        moment = QDateTime(day, time, QTimeZone(QTimeZone.Initialization.UTC))
        kind = self._sections[self._current].kind
        if kind == "day":
            moment = moment.addDays(steps)
        elif kind == "month":
            moment = moment.addMonths(steps)
        elif kind == "year":
            moment = moment.addYears(steps)
        elif kind == "hour":
            moment = moment.addSecs(3600 * steps)
        else:
            moment = moment.addSecs(60 * steps)
        self._set(moment.date(), moment.time(), show=True)
        self.select_section(self._current)

    # ------------------------------------------------------------------ the calendar

    def setCalendarPopup(self, enable: bool) -> None:
        """A calendar button (F4, Alt+Down) instead of the up/down arrows."""
        self._button.setVisible(enable)
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons if enable
                              else QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self._place_button()

    def calendarPopup(self) -> bool:
        return not self._button.isHidden()

    def calendarWidget(self) -> QCalendarWidget:
        if self._popup is None:
            self._popup = QCalendarWidget(self)
            self._popup.setObjectName("dateFieldPopup")
            self._popup.setWindowFlags(Qt.WindowType.Popup)
            self._popup.setGridVisible(True)
            self._popup.clicked.connect(self._picked)
            self._popup.activated.connect(self._picked)
        return self._popup

    def show_calendar(self) -> None:
        popup = self.calendarWidget()
        popup.setDateRange(self._minimum, self._maximum)
        typed = _qt(self._reading())
        popup.setSelectedDate(typed[0] if typed else self._date)
        size = popup.sizeHint()
        where = self.mapToGlobal(QPoint(0, self.height()))
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        x = max(screen.left(), min(where.x(), screen.right() - size.width()))
        y = where.y() if where.y() + size.height() <= screen.bottom() else self.mapToGlobal(QPoint(0, 0)).y() - size.height()
        popup.setGeometry(x, max(screen.top(), y), size.width(), size.height())
        popup.show()
        popup.setFocus()

    def _picked(self, day: QDate) -> None:
        if self._popup is not None:
            self._popup.hide()
        self._set(day, self._time, show=True)
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.select_section(0)

    # ------------------------------------------------------------------ size

    def _place_button(self) -> None:
        width = self._button.sizeHint().width() if self.calendarPopup() else 0
        frame = 2
        self._button.setGeometry(self.width() - width - frame, frame, width, max(0, self.height() - 2 * frame))
        self.lineEdit().setTextMargins(0, 0, width, 0)
        self._button.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._marked:
            painter = QPainter(self)
            painter.setPen(QPen(QColor(hex_color("over_budget")), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_button()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        text = self.fontMetrics().horizontalAdvance(QDateTime(QDate(2000, 12, 28), QTime(20, 58)).toString(
            self._format) + "  ")
        extra = self._button.sizeHint().width() if self.calendarPopup() else 24
        return QSize(max(hint.width(), text + extra + 12), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


def date_edit(parent: QWidget, name: str = "", value=None, *, fmt: str = DATE) -> DateField:
    """A dd.MM.yyyy field with a calendar pop-up; ``value`` a Python date (today when None)."""
    from datetime import date as _date

    day = value or _date.today()
    edit = DateField(QDate(day.year, day.month, day.day), parent, fmt=fmt)
    if name:
        edit.setObjectName(name)
    return edit
