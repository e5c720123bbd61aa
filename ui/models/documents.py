"""The documents register as a table model (plain DocumentRow objects) and its filter proxy."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from app.i18n import N_, _, format_amount
from ui.models.rows import RowsTableModel, day_key

DocumentIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class DocumentTableModel(RowsTableModel):
    """Register rows (plain DocumentRow objects); holds no database handle."""

    COL_NUMBER, COL_DATE, COL_KIND, COL_CLIENT, COL_TOTAL, COL_RETURNED = range(6)
    HEADERS = (N_("No."), N_("Date"), N_("Document"), N_("Client"), N_("Amount"), N_("Signed copy returned"))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        r = self.valid_row(index)
        if r is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.code, r.issued_on.strftime("%d.%m.%Y"), self._kind(r), r.client_name,
                    "" if r.total is None else format_amount(r.total), self._returned(r))[column]
        if role == SortRole:
            return (f"{r.year:04d}{r.kind}{r.number:08d}", day_key(r.issued_on, r.id), self._kind(r),
                    r.client_name.lower(), float(r.total or 0),
                    r.signed_returned_on.toordinal() if r.signed_returned_on else 0)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_TOTAL:
            return _RIGHT
        if role == Qt.ItemDataRole.FontRole and r.voided_on is not None and column == self.COL_NUMBER:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and r.voided_on is not None and column in (
                self.COL_NUMBER, self.COL_RETURNED):
            return _("Voided on {date}: {reason}").format(date=r.voided_on.strftime("%d.%m.%Y"), reason=r.void_reason)
        if role == Qt.ItemDataRole.ForegroundRole and r.voided_on is not None:
            from PySide6.QtGui import QBrush

            from ui.palette import color

            return QBrush(color("muted"))
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_RETURNED and r.awaits_signed_copy:
            from PySide6.QtGui import QBrush

            from ui.palette import color

            return QBrush(color("stalled"))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_KIND:
            if r.period_from and r.period_to:
                return _("Period {start} — {end}").format(start=r.period_from.strftime("%d.%m.%Y"),
                                                          end=r.period_to.strftime("%d.%m.%Y"))
            if r.stage is not None:
                return _("Stage {n}").format(n=r.stage)
        if role == DocumentIdRole:
            return r.id
        return None

    @staticmethod
    def _returned(r) -> str:
        if r.voided_on is not None:
            return _("voided {date}").format(date=r.voided_on.strftime("%d.%m.%Y"))
        if r.signed_returned_on:
            return r.signed_returned_on.strftime("%d.%m.%Y")
        return _("not yet") if r.awaits_signed_copy else ""  # an estimate or a report is not coming back signed

    @staticmethod
    def _kind(r) -> str:
        text = r.kind_title
        if r.kind == "signoff" and r.stage is not None:
            text += " · " + _("stage {n}").format(n=r.stage)
        if r.kind == "act" and r.period_from and r.period_to:
            text += f" · {r.period_from:%d.%m}–{r.period_to:%d.%m.%Y}"
        return text


class DocumentFilterProxy(QSortFilterProxyModel):
    """Text filter over number, kind and client; optionally only one client's documents (``client_id``), only
    documents whose signed copy is missing."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.text = ""
        self.only_missing = False
        self.client_id: int | None = None

    def set_client(self, client_id: int | None) -> None:
        self.beginFilterChange()
        self.client_id = client_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only_missing(self, value: bool) -> None:
        self.beginFilterChange()
        self.only_missing = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        assert isinstance(model, DocumentTableModel)
        row = model.row_at(source_row)
        if self.client_id is not None and row.client_id != self.client_id:
            return False
        if self.only_missing and not row.awaits_signed_copy:  # a voided act is not missing its signed copy
            return False
        if not self.text:
            return True
        haystack = f"{row.code} {row.kind_title} {row.client_name} {row.client_inn}".lower()
        return all(part in haystack for part in self.text.split())
