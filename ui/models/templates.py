"""Settings ▸ templates: the checklist items of one stage, and the dated tariffs and USD rate."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.i18n import N_, _, format_amount
from app.services.tariffs import DatedRate
from app.services.templates import TemplateItem
from ui.models.rows import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
RATE_TITLES = {"remote_hour": N_("Remote hour, RUB"), "onsite_day": N_("On-site day, RUB"), "USD": N_("USD rate, RUB")}


class ChecklistTemplateModel(RowsTableModel):
    """Rows are TemplateItem of one stage, in their order; the prerequisite is shown by its title."""

    COL_TITLE, COL_CODE, COL_REQUIRES = range(3)
    HEADERS = (N_("Item"), N_("Code"), N_("Requires first"))
    CodeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._titles: dict[str, str] = {}

    def set_items(self, items: list[TemplateItem], all_items: list[TemplateItem] | None = None) -> None:
        self._titles = {i.code: i.title for i in (all_items or items)}
        self.set_rows(items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row: TemplateItem | None = self.valid_row(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == self.COL_TITLE:
                return row.title
            if column == self.COL_CODE:
                return row.code
            if column == self.COL_REQUIRES:
                return self._titles.get(row.requires, row.requires) if row.requires else ""
            return None
        if role == self.CodeRole:
            return row.code
        return None


class RatesModel(RowsTableModel):
    """Rows are DatedRate: tariffs and the USD rate with the date each holds from."""

    COL_KIND, COL_FROM, COL_RATE = range(3)
    HEADERS = (N_("Rate"), N_("Holds from"), N_("Value"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row: DatedRate | None = self.valid_row(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_KIND:
                return _(RATE_TITLES.get(row.kind, row.kind))
            if column == self.COL_FROM:
                return row.valid_from.strftime("%d.%m.%Y")
            if column == self.COL_RATE:
                return format_amount(row.rate)  # «1 500,00», «1,500.00»: written by hand in Russian in either language
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_RATE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
