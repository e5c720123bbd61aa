"""The «Агенда» table: section rows (overdue, today, this week) and planned events, conflicts marked; the «План»
window's list uses it too (overdue, then a section a month: ``period_lines``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from app.domain import schedule
from app.i18n import N_, _, format_date
from app.services.plan_rows import Agenda, EventRow, PlanPeriod
from ui.models.rows import RowsTableModel
from ui.palette import color

Index = QModelIndex | QPersistentModelIndex
CONFLICT_BACKGROUND = QColor(255, 179, 0, 60)  # translucent amber: readable on light and dark palettes
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


@dataclass(frozen=True)
class AgendaLine:
    """One row of the table: a section title (``event`` None) or an event of that section."""

    section: str  # overdue | today | week | month (the «План» window)
    event: EventRow | None = None
    count: int = 0
    title: str = ""  # a month's section title («Декабрь 2026»); the others by SECTION_TITLES


SECTION_TITLES = {"overdue": N_("Overdue"), "today": N_("Today"), "week": N_("This week")}


def agenda_lines(agenda: Agenda) -> list[AgendaLine]:
    """Section rows followed by their events; empty sections are left out."""
    lines: list[AgendaLine] = []
    for section, rows in (("overdue", agenda.overdue), ("today", agenda.today_rows), ("week", agenda.week_rows)):
        if rows:
            lines.append(AgendaLine(section, None, len(rows)))
            lines.extend(AgendaLine(section, row) for row in rows)
    return lines


def period_lines(period: PlanPeriod, viewer: tzinfo | None = None) -> list[AgendaLine]:
    """The «План» window's rows: the overdue events, then the period's a month at a time (the viewer's months)."""
    lines: list[AgendaLine] = []
    if period.overdue:
        lines.append(AgendaLine("overdue", None, len(period.overdue)))
        lines.extend(AgendaLine("overdue", row) for row in period.overdue)
    months: dict[tuple[int, int], list[EventRow]] = {}
    for row in period.rows:
        start = row.viewer_start(viewer)
        months.setdefault((start.year, start.month), []).append(row)
    for (year, month), rows in months.items():
        title = format_date(datetime(year, month, 1).date(), "LLLL yyyy")
        lines.append(AgendaLine("month", None, len(rows), title[:1].upper() + title[1:]))
        lines.extend(AgendaLine("month", row) for row in rows)
    return lines


class AgendaModel(RowsTableModel):
    """Rows are AgendaLine; times are shown in the viewer's zone, the event's own zone beside when it differs."""

    COL_WHEN, COL_KIND, COL_CLIENT, COL_SECTION, COL_LOCAL, COL_PLACE = range(6)
    HEADERS = (N_("When"), N_("Event"), N_("Client"), N_("Section of accounting"), N_("Client's time"),
               N_("Place or link"))
    EventIdRole = Qt.ItemDataRole.UserRole + 1
    ClientIdRole = Qt.ItemDataRole.UserRole + 2
    ConflictRole = Qt.ItemDataRole.UserRole + 3
    SectionRole = Qt.ItemDataRole.UserRole + 4
    IsHeaderRole = Qt.ItemDataRole.UserRole + 5

    def __init__(self, parent=None, viewer: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.viewer = viewer
        self.with_year = False  # dates with the year: the «План» window's events reach into the next years
        self._now = datetime.now(UTC).replace(tzinfo=None)
        self._zone_label = self._zone_short = ""
        self._read_zone()

    def set_agenda(self, agenda: Agenda, now: datetime | None = None) -> None:
        moment = now or datetime.now(UTC)
        self._now = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
        self._read_zone()
        self.set_rows(agenda_lines(agenda))

    def set_period(self, period: PlanPeriod, now: datetime | None = None) -> None:
        """The «План» window's rows (``period_lines``), every date with its year."""
        moment = now or datetime.now(UTC)
        self._now = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
        self._read_zone()
        self.with_year = True
        self.set_rows(period_lines(period, self.viewer))

    def event_at(self, row: int) -> EventRow | None:
        line = self._rows[row] if 0 <= row < len(self._rows) else None
        return line.event if line else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        line = self.valid_row(index)
        if line is None:
            return Qt.ItemFlag.NoItemFlags
        if line.event is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _when(self, line: AgendaLine, row: EventRow) -> str:
        start = row.viewer_start(self.viewer)
        span = row.span_text(self.viewer)  # «23:00–07:00 (+1)»: the end's day when it is another
        if line.section == "today":
            return span
        return f"{_(WEEKDAYS[start.weekday()])} {start:%d.%m.%Y} {span}" if self.with_year else \
            f"{_(WEEKDAYS[start.weekday()])} {start:%d.%m} {span}"

    def _read_zone(self) -> None:
        """This computer's zone (the viewer's), named in the «Когда» header: the dock named no clock (tester K)."""
        self._zone_label = schedule.viewer_zone_label(self.viewer)
        self._zone_short = schedule.viewer_zone_name(self.viewer) or self._zone_label

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and section == self.COL_WHEN:
            if role == Qt.ItemDataRole.DisplayRole:
                return _("When ({zone})").format(zone=self._zone_short)
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("Your time: this computer's clock, {zone}.").format(zone=self._zone_label)
        if orientation == Qt.Orientation.Horizontal and section == self.COL_LOCAL \
                and role == Qt.ItemDataRole.ToolTipRole:
            return _("The start on the client's clock, when it differs from yours; with the client's date when it "
                     "is another day.")
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        line = self.valid_row(index)
        if line is None:
            return None
        column = index.column()
        if role == self.SectionRole:
            return line.section
        if role == self.IsHeaderRole:
            return line.event is None
        row = line.event
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole and column == self.COL_WHEN:
                return f"{line.title or _(SECTION_TITLES[line.section])} ({line.count})"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and line.section == "overdue":
                return color("over_budget")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_WHEN:
                return self._when(line, row) + ("  ⚠" if row.conflicts else "")
            if column == self.COL_KIND:
                return row.kind_title
            if column == self.COL_CLIENT:
                return row.client_name
            if column == self.COL_SECTION:
                return row.section
            if column == self.COL_LOCAL:
                return row.client_time_text(self.viewer)
            if column == self.COL_PLACE:
                return row.place or row.client_address
            return None
        if role == self.EventIdRole:
            return row.id
        if role == self.ClientIdRole:
            return row.client_id
        if role == self.ConflictRole:
            return bool(row.conflicts)
        if role == Qt.ItemDataRole.ForegroundRole and (line.section == "overdue" or row.overdue(self._now)):
            return color("over_budget")  # the «План» window: one ended today is in its month's section
        if role == Qt.ItemDataRole.BackgroundRole and row.conflicts:
            return CONFLICT_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, self.viewer, self._zone_short)
        return None


def _tooltip(row: EventRow, viewer: tzinfo | None, zone: str) -> str:
    parts = [f"{row.kind_title}: {row.client_name}",
             _("Your time ({zone}): {start} – {end}").format(
                 zone=zone, start=f"{row.viewer_start(viewer):%d.%m.%Y %H:%M}",
                 end=f"{row.viewer_end(viewer):%d.%m.%Y %H:%M}")]
    if row.client_time_text(viewer):
        parts.append(_("Client's time ({zone}): {start} – {end}").format(
            zone=row.time_zone, start=f"{row.start_local:%d.%m.%Y %H:%M}", end=f"{row.end_local:%d.%m.%Y %H:%M}"))
    if row.conflicts:
        parts.append(_("Overlaps another planned event."))
    if row.participants:
        parts.append(_("Participants: {names}").format(names=", ".join(p.name for p in row.participants)))
    if row.lesson_codes:
        parts.append(_("Lessons: {codes}").format(codes=", ".join(row.lesson_codes)))
    if row.note:
        parts.append(row.note)
    return "\n".join(parts)
