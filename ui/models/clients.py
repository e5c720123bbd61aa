"""The client table model: every client as one row for the list and the kanban, its cells, tooltips and drag.

Built for 5 000 clients and more in layers, one concept a module: the rows (ui.models.client_rows), their order
(client_order), the search (client_search: filtering runs once per keystroke in plain Python over precomputed
texts, never as one Qt virtual call per row; the list proxy and the kanban columns are fed from that one result)
and the feeding (client_feed)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QFont

from app.domain.client_summary import ClientSummary
from app.domain.stages import STAGE_SHORT, Stage
from app.i18n import _, format_number
from ui.models.client_columns import approach_label, whole_roubles
from ui.models.client_drag import MIME_CLIENTS, encode_clients
from ui.models.client_feed import ClientFeed
from ui.models.client_roles import (
    ALIGN_RIGHT,
    ROLE_ALIGN,
    ROLE_BUDGET,
    ROLE_CARD,
    ROLE_DAYS,
    ROLE_DISPLAY,
    ROLE_FONT,
    ROLE_FOREGROUND,
    ROLE_ID,
    ROLE_SORT,
    ROLE_STALLED,
    ROLE_SUMMARY,
    ROLE_TOOLTIP,
    ROW_FLAGS,
    TABLE_ROLES,
    Index,
)
from ui.palette import color


class ClientTableModel(ClientFeed):
    """Every client as one row (ClientSummary); holds no database handle (fed by the window).

    Also the shared search index of the list proxy and the kanban columns: ``text_matches`` answers
    which clients match the typed words, computed once per filter and cached until the rows change."""

    # ------------------------------------------------------------ Qt model

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section in self.HEADER_TIPS:
            return _(self.HEADER_TIPS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ROW_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in TABLE_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        return self.cell(self._rows[row], index.column(), role)

    def cell(self, s: ClientSummary, col: int, role: int):
        """data() for a known row: the list proxy calls it directly (one Python call per cell)."""
        if role == ROLE_DISPLAY:
            return self._display(s, col)
        if role == ROLE_ID:
            return s.id
        if role == ROLE_SUMMARY:
            return s
        if role == ROLE_FOREGROUND or role == ROLE_FONT:
            if col != self.COL_DAYS or not self.is_stalled(s):
                return None
            if role == ROLE_FOREGROUND:
                return color("stalled")
            font = QFont()
            font.setBold(True)
            return font
        if role == ROLE_ALIGN:
            return ALIGN_RIGHT if col in (self.COL_CHECKLIST, self.COL_LESSONS, self.COL_DAYS) else None
        if role == ROLE_SORT:
            return self.sort_value(s, col)
        if role == ROLE_STALLED:
            return self.is_stalled(s)
        if role == ROLE_BUDGET:
            return self._budgets.get(s.id)
        if role == ROLE_DAYS:
            return s.days_in_stage(self.today())
        if role == ROLE_CARD:
            return (s, self.is_stalled(s), self._budgets.get(s.id), s.days_in_stage(self.today()),
                    self._questions.get(s.id, 0))
        if role == ROLE_TOOLTIP:
            return self.tooltip(s)
        return None

    def _display(self, s: ClientSummary, col: int) -> str:
        if col == self.COL_NAME:
            return s.name
        if col == self.COL_INN:
            return s.inn
        if col == self.COL_APPROACH:
            return approach_label(s.approach)
        if col == self.COL_STAGE:
            return _(STAGE_SHORT[Stage(s.stage)])
        if col == self.COL_CHECKLIST:
            return f"{s.checklist_done}/{s.checklist_total}" if s.checklist_total else "—"
        if col == self.COL_LESSONS:
            return f"{s.lessons_done}/{s.lessons_total}"
        if col == self.COL_DAYS:
            days = s.days_in_stage(self.today())
            return f"◷ {days}" if self.is_stalled(s) else str(days)
        if col == self.COL_CONTACT:
            return s.contact_name
        if col == self.COL_PHONE:
            return s.contact_phone
        return ""

    def tooltip(self, s: ClientSummary) -> str:
        lines = [s.name, _("INN {inn}").format(inn=s.inn)]
        if s.contract_no:
            lines.append(_("Contract {no}").format(no=s.contract_no))
        if self.is_stalled(s):
            lines.append(_("Stalled: no stage change for {days} days (threshold {limit}).").format(
                days=format_number(s.days_in_stage(self.today())), limit=format_number(self.stalled_days)))
        budget = self._budgets.get(s.id)
        if budget is not None and budget.has_estimate:  # the card may show the sums shortened
            actual = "—" if budget.unreadable else whole_roubles(budget.actual_total)  # see BudgetSummary.unreadable
            lines.append(_("Actual {actual} of {planned} ₽").format(actual=actual,
                                                                   planned=whole_roubles(budget.planned_total)))
            if budget.unreadable:
                lines.append(_("The work log holds entries the program cannot read ({n}): the «Work log» tab names "
                               "them.").format(n=format_number(budget.unreadable)))
        return "\n".join(lines)

    # ------------------------------------------------------------ drag

    def mimeTypes(self) -> list[str]:
        return [MIME_CLIENTS]

    def mimeData(self, indexes) -> QMimeData:
        seen: dict[int, ClientSummary] = {}
        for index in indexes:
            if index.isValid():
                s = self._rows[index.row()]
                seen.setdefault(s.id, s)
        return encode_clients(seen.values())

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction
