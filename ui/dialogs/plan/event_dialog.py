"""Plan (or change) an event: client, kind, start in the client's time zone, duration, section, lessons,
participants from the client's staff, place or link, note. The service validates; a refusal is shown
inline and the dialog stays open with nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.schedule import DEFAULT_ZONE, working_start_in, your_time_text, zone_name
from app.errors import UserError
from app.i18n import _
from app.services.event_input import EVENT_KIND_TITLES, EVENT_KINDS, EventInput
from app.services.plan_read import ZoneChoice
from app.services.plan_rows import EventRow
from ui.dialogs.date_field import DATE_TIME, DateField
from ui.dialogs.date_refusals import date_problem, say_refusals
from ui.dialogs.departed import departed_title
from ui.dialogs.errors import ErrorLine
from ui.dialogs.form_dialog import FormDialog
from ui.models.checkable import CheckableListModel
from ui.palette import text_style
from ui.qtutil import fit_to_screen, form_dialog_body, one_line, typed_choice

# Russia's zones first (the client's city), then every other IANA zone through the completer.
COMMON_ZONES = ("Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
                "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
                "Asia/Magadan", "Asia/Kamchatka")
Submit = Callable[[int, EventInput], None]
StaffOf = Callable[[int], list[tuple[str, str]]]
ZoneOf = Callable[[int], "ZoneChoice | str"]  # the zone suggested for a client (and why: ZoneChoice)



def _to_qdatetime(value: datetime) -> QDateTime:
    """A wall-clock time of the client's zone; kept as UTC in Qt so this machine's zone never shifts it."""
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute),
                     QTimeZone(QTimeZone.Initialization.UTC))


def _from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class EventDialog(FormDialog):
    """``clients``: (id, name) to choose from; ``staff_of(client_id)``: (uuid, name) of its staff;
    ``lessons``: (code, title); ``submit(client_id, data)`` saves or raises UserError."""

    def __init__(self, clients: list[tuple[int, str]], lessons: list[tuple[str, str]], staff_of: StaffOf,
                 submit: Submit, *, client_id: int | None = None, event: EventRow | None = None,
                 start: datetime | None = None, zones: list[str] | None = None,
                 zone_of: ZoneOf | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("eventDialog")
        self.setWindowTitle(_("Change the event") if event else _("Plan an event"))
        self._submit, self._staff_of, self._zone_of, self._event = submit, staff_of, zone_of, event
        self._suggestion: ZoneChoice | None = None  # the zone suggested for the client and why
        self.client = QComboBox()
        self.client.setAccessibleName(_("Client"))
        for cid, name in clients:
            self.client.addItem(name, cid)
        chosen = event.client_id if event else client_id
        if chosen is not None:
            self.client.setCurrentIndex(max(0, self.client.findData(chosen)))
        self.client.setEnabled(event is None)
        typed_choice(self.client)  # any part of the name finds the client; a text naming none is refused
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Kind of event"))
        for kind in EVENT_KINDS:
            self.kind.addItem(_(EVENT_KIND_TITLES[kind]), kind)
        self.start = DateField(fmt=DATE_TIME)  # keeps the date typed: 29.02.2028 over 06.12.2026 (tester K)
        self.start.setAccessibleName(_("Start"))
        self.start.setTimeZone(QTimeZone(QTimeZone.Initialization.UTC))
        # a start given (or the event's) is kept; else the next hour of the client's clock, set with its zone
        self._start_given = start is not None or event is not None
        if self._start_given:
            self.start.setDateTime(_to_qdatetime(event.start_local if event else start))  # type: ignore[arg-type]
        self.zone = QComboBox()
        self.zone.setAccessibleName(_("Time zone"))
        self.zone.setEditable(True)
        self.zone.addItems(list(COMMON_ZONES))
        if zones:
            completer = QCompleter(sorted(zones), self.zone)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.zone.setCompleter(completer)
        # which clock the start is read on when the dialog chose the zone: «Время заказчика: Asia/Yekaterinburg (по
        # адресу заказчика)» (the command line says it too; the form pre-filled the zone without a word)
        self.zone_reason = QLabel()
        self.zone_reason.setObjectName("zoneReason")
        self.zone_reason.setWordWrap(True)
        self.zone_reason.setStyleSheet(text_style("muted"))
        # the start on the specialist's own clock, night on either side flagged (tester K: the client's clock only)
        self.your_time = QLabel()
        self.your_time.setObjectName("yourTime")
        self.your_time.setWordWrap(True)
        self.zone.setCurrentText(event.time_zone if event else self._suggested_zone())
        self.zone.currentTextChanged.connect(self._show_zone_reason)
        self.zone.currentTextChanged.connect(self._show_your_time)
        self._show_zone_reason()
        if not self._start_given:
            self._suggest_start()
        self.start.dateTimeChanged.connect(self._start_typed)
        self.start.dateTimeChanged.connect(self._show_your_time)
        self.start.refused.connect(self._show_your_time)  # no «У вас» for the last good start while 31.04 is shown
        self._show_your_time()
        self.duration = QSpinBox()
        self.duration.setAccessibleName(_("Duration, min"))
        # an event shorter than the field's 5 minutes (the command line takes any) is shown and kept as it is: the
        # field set it to 5, and saving a change of any other field wrote 5 (r13)
        self.duration.setRange(min(5, event.duration_min) if event and event.duration_min > 0 else 5, 24 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" " + _("min"))
        self.duration.setValue(event.duration_min if event else 90)
        self.section = QLineEdit(event.section if event else "")
        self.section.setAccessibleName(_("Section of accounting"))
        self.place = QLineEdit(event.place if event else "")
        self.place.setAccessibleName(_("Place or link"))
        self.place.setPlaceholderText(_("the client's address or a conference link"))
        # the hint whole: with short lesson titles the dialog was narrow and it ended «…на конференцию» cut off
        # (tester R, item 8); the text's width, the field's inner margins and frame
        self.place.setMinimumWidth(self.place.fontMetrics().horizontalAdvance(self.place.placeholderText()) + 24)
        self.note = QPlainTextEdit(event.note if event else "")
        self.note.setAccessibleName(_("Note"))
        self.note.setFixedHeight(60)
        self.people = CheckableListModel(self)
        self.people_view = QListView()
        self.people_view.setAccessibleName(_("Participants"))
        self.people_view.setModel(self.people)
        self.lessons = CheckableListModel(self)
        # a lesson since taken out of the catalogue stays ticked, as the service keeps it: the list of active lessons
        # alone dropped it from the event on any change made here (r13)
        shown = {code for code, _title in lessons}
        gone = [(code, _("{code} (not in the catalogue)").format(code=code))
                for code in (event.lesson_codes if event else ()) if code not in shown]
        self.lessons.set_items([*lessons, *gone], set(event.lesson_codes) if event else set())
        self.lessons_view = QListView()
        self.lessons_view.setAccessibleName(_("Lessons covered"))
        self.lessons_view.setModel(self.lessons)
        if event is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(event.kind)))
        self._initial_people = {p.uuid for p in event.participants} if event else set()
        self.client.currentIndexChanged.connect(self._client_changed)
        self._load_staff()
        self.error = ErrorLine(self)
        form = QFormLayout()
        form.addRow(_("Client"), self.client)
        form.addRow(_("Event"), self.kind)
        when = QHBoxLayout()
        when.addWidget(self.start, 1)
        when.addWidget(self.zone, 1)
        when_and_why = QVBoxLayout()  # the reason under the start and the zone, gone when hidden
        when_and_why.addLayout(when)
        when_and_why.addWidget(self.your_time)
        when_and_why.addWidget(self.zone_reason)
        holder = QWidget()
        holder.setLayout(when_and_why)
        when_and_why.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Start (client's time)"), holder)
        form.addRow(_("Duration"), self.duration)
        form.addRow(_("Section of accounting"), self.section)
        form.addRow(_("Place or link"), self.place)
        self.people_view.setFixedHeight(84)
        form.addRow(_("Participants"), self.people_view)
        form.addRow(_("Lessons covered"), self.lessons_view)
        form.addRow(_("Note"), self.note)
        form_dialog_body(self, form, self.error)
        say_refusals(self, lambda text: self.error.show_error(text) if text else self.error.clear_error(),
                     self.error.text)
        fit_to_screen(self, 760, 640)

    def _suggested_zone(self) -> str:
        client_id = self.client.currentData()
        self._suggestion = None
        if self._zone_of is not None and client_id is not None:
            found = self._zone_of(int(client_id))
            if isinstance(found, str):
                return found
            self._suggestion = found
            return found.zone
        return DEFAULT_ZONE

    def _meant_zone(self) -> str:
        """The IANA name the zone field stands for (a city or another letter case typed: ``schedule.zone_name``), else
        its text as typed (refused on saving). «Владивосток» left «У вас: …» and its night flags empty (tester M)."""
        typed = self.zone.currentText().strip()
        try:
            return zone_name(typed)
        except UserError:
            return typed

    def _show_zone_reason(self) -> None:
        """Why the zone is the one shown, while it is the one suggested; the zone a typed city or a name in another
        letter case stands for («Владивосток» → Asia/Vladivostok: schedule.zone_name, as the service saves it)."""
        typed = self.zone.currentText().strip()
        said = self._suggestion is not None and typed == self._suggestion.zone
        text = self._suggestion.text() if said and self._suggestion else ""
        if not said and typed:
            try:
                meant = zone_name(typed)
            except UserError:
                meant = typed
            if meant != typed:
                text = _("Time zone: {zone}").format(zone=meant)
        self.zone_reason.setText(text)
        self.zone_reason.setVisible(bool(text))

    def _client_changed(self) -> None:
        self._load_staff()
        self.zone.setCurrentText(self._suggested_zone())
        self._show_zone_reason()
        if not self._start_given:  # another client's clock: its next hour, unless the user chose a start
            self._suggest_start()

    def _suggest_start(self) -> None:
        self._suggesting = True
        try:
            self.start.setDateTime(_to_qdatetime(working_start_in(self._meant_zone())))
        finally:
            self._suggesting = False

    def _show_your_time(self, *_args) -> None:
        text = "" if self.start.problem() else your_time_text(_from_qdatetime(self.start.dateTime()), self._meant_zone())
        self.your_time.setText(text)
        self.your_time.setVisible(bool(text))
        self.your_time.setStyleSheet(text_style("over_budget" if "⚠" in text else "muted"))

    def _start_typed(self) -> None:
        if not getattr(self, "_suggesting", False):
            self._start_given = True

    def _load_staff(self) -> None:
        client_id = self.client.currentData()
        staff = self._staff_of(client_id) if client_id is not None else []
        event = self._event
        if event is not None and client_id == event.client_id:
            # a participant who has since left the staff stays ticked and marked, as the command line and the
            # service keep them: the list of the current staff alone dropped them on any change made here (r13)
            on_staff = {key for key, _name in staff}
            staff = [*staff, *((p.uuid, departed_title(p.name)) for p in event.participants if p.uuid not in on_staff)]
        self.people.set_items(staff, self._initial_people)

    def value(self) -> EventInput:
        start = _from_qdatetime(self.start.dateTime())
        return EventInput(kind=self.kind.currentData(), start=start, time_zone=self.zone.currentText().strip(),
                          duration_min=self.duration.value(), section=one_line(self.section.text()),
                          lessons=tuple(self.lessons.checked()), participants=tuple(self.people.checked()),
                          place=one_line(self.place.text()), note=self.note.toPlainText())

    def chosen_client(self) -> int | None:
        """The client the box names: the current item while its text is shown, else the item whose name was typed
        in full (any letter case); None for a text that names no client."""
        typed = self.client.currentText().strip()
        index = self.client.currentIndex()
        if index < 0 or self.client.itemText(index) != typed:
            index = self.client.findText(typed, Qt.MatchFlag.MatchFixedString)  # case-insensitive, whole name
            if index < 0:
                return None
            self.client.setCurrentIndex(index)
        data = self.client.itemData(index)
        return int(data) if data is not None else None

    def accept(self) -> None:
        refused = date_problem(self)  # 29.02.2027 is refused, never saved as another date
        if refused:
            self.error.show_error(refused)
            return
        client_id = self.chosen_client()
        if client_id is None:
            self.error.show_error(_("Choose the client."))
            return
        try:
            self._submit(int(client_id), self.value())
        except UserError as exc:  # all of it: a save refused as changed elsewhere too names each field
            self.error.show_error(exc.full_text())
            return
        super().accept()
