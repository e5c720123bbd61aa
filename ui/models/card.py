"""Models of the client card: editable contacts / staff tables and the stage history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush

from app.domain.stages import STAGE_SHORT, Stage
from app.domain.validation import email_error, phone_error
from app.i18n import N_, _
from app.services.client_input import PersonInput
from app.services.clients import StageEventRow
from app.services.edit_undo import PERSON_FIELDS
from ui.models.rows import RowsTableModel
from ui.palette import color

Index = QModelIndex | QPersistentModelIndex


def person_cells(person: PersonInput) -> tuple[str, ...]:
    """A person's cells as a form's base holds them (``edit_undo`` «contact:UUID» / «employee:UUID» values)."""
    return tuple(getattr(person, name) or "" for name in PERSON_FIELDS)


class PeopleModel(QAbstractTableModel):
    """Contacts or client staff (with department) as an editable table of PersonInput rows."""

    edited = Signal()
    FIELDS = ("name", "position", "department", "phone", "email")
    TITLES: ClassVar[dict[str, str]] = {"name": N_("Full name"), "position": N_("Position"), "department": N_("Department"),
              "phone": N_("Phone"), "email": N_("E-mail")}

    def __init__(self, with_department: bool, parent=None) -> None:
        super().__init__(parent)
        self.fields = self.FIELDS if with_department else tuple(f for f in self.FIELDS if f != "department")
        self._rows: list[PersonInput] = []

    def set_people(self, people: list[PersonInput]) -> None:
        self.beginResetModel()
        self._rows = [replace(p) for p in people]
        self.endResetModel()

    def people(self) -> list[PersonInput]:
        return [replace(p) for p in self._rows]

    def add_person(self) -> QModelIndex:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(PersonInput(name=""))
        self.endInsertRows()
        self.edited.emit()
        return self.index(row, 0)

    def remove_person(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()

    def take_stored(self, base: Mapping[str, tuple[str, ...] | None],
                    stored: list[PersonInput]) -> dict[str, tuple[str, ...] | None]:
        """The people the user has not changed since the table was filled (``base``: UUID → the person's cells then,
        in ``PERSON_FIELDS`` order) as stored now: changed, gone (their row removed) or added elsewhere (appended).
        A person the user changed, added or removed stays as the user left them. Returns UUID → the cells taken
        (None: gone); nothing is said as an edit."""
        now = {p.uuid: p for p in stored if p.uuid}
        taken: dict[str, tuple[str, ...] | None] = {}
        for row in reversed(range(len(self._rows))):
            uuid = self._rows[row].uuid
            if not uuid or uuid not in base or person_cells(self._rows[row]) != base[uuid]:
                continue
            person = now.get(uuid)
            if person is None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                taken[uuid] = None
            elif person_cells(person) != base[uuid]:
                self._rows[row] = replace(person)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.fields) - 1))
                taken[uuid] = person_cells(person)
        shown = {p.uuid for p in self._rows if p.uuid}
        added = [p for uuid, p in now.items() if uuid not in base and uuid not in shown]
        if added:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(added) - 1)
            self._rows.extend(replace(p) for p in added)
            self.endInsertRows()
            taken.update({str(p.uuid): person_cells(p) for p in added})
        return taken

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.fields):
            return _(self.TITLES[self.fields[section]])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def cell_error(self, person: PersonInput, name: str) -> str | None:
        if name == "email":
            return email_error(person.email)
        if name == "phone":
            return phone_error(person.phone)
        if name == "name" and not person.name.strip():
            return _("Full name is required.")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self.fields):
            return None
        person, name = self._rows[index.row()], self.fields[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(person, name)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            error = self.cell_error(person, name)
            if error:
                return QBrush(color("error_bg")) if role == Qt.ItemDataRole.BackgroundRole else error
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        name = self.fields[index.column()]
        text = "" if value is None else str(value)
        if getattr(self._rows[index.row()], name) == text:
            return False
        setattr(self._rows[index.row()], name, text)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


class HistoryModel(RowsTableModel):
    """Stage moves, newest first: when, from → to, who, why (forced moves marked)."""

    COL_AT, COL_MOVE, COL_WHO, COL_REASON = range(4)
    HEADERS = (N_("When"), N_("Move"), N_("Who"), N_("Reason"))

    def set_rows(self, rows: list[StageEventRow]) -> None:
        super().set_rows(sorted(rows, key=lambda r: r.at, reverse=True))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row, col = self.valid_row(index), index.column()
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_AT:
                return row.at.strftime("%d.%m.%Y %H:%M")
            if col == self.COL_MOVE:
                arrow = "→" if row.to_stage > row.from_stage else "←"
                return f"{_(STAGE_SHORT[Stage(row.from_stage)])} {arrow} {_(STAGE_SHORT[Stage(row.to_stage)])}"
            if col == self.COL_WHO:
                return row.shown_who()
            if col == self.COL_REASON:
                return _("[forced] {reason}").format(reason=row.reason) if row.forced else row.reason
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_REASON and row.reason:
            return row.reason
        if role == Qt.ItemDataRole.ForegroundRole and row.forced:
            return QBrush(color("over_budget"))
        return None
