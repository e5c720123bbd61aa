"""The item roles and row flags the client models (table, list proxy, board columns) answer, in one place."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ClientRole(IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    SUMMARY = Qt.ItemDataRole.UserRole + 2
    SORT = Qt.ItemDataRole.UserRole + 3
    STALLED = Qt.ItemDataRole.UserRole + 4
    BUDGET = Qt.ItemDataRole.UserRole + 5
    DAYS = Qt.ItemDataRole.UserRole + 6
    CARD = Qt.ItemDataRole.UserRole + 7  # (summary, stalled, budget, days): one call per painted card


# The roles and row flags of the client models (list, proxy, kanban columns), in one place.
# Plain ints: comparing with enum members costs an attribute lookup per data() call.
ROLE_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
ROLE_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
ROLE_FONT = int(Qt.ItemDataRole.FontRole.value)
ROLE_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
ROLE_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
ROLE_ID, ROLE_SUMMARY, ROLE_SORT, ROLE_STALLED, ROLE_BUDGET, ROLE_DAYS, ROLE_CARD = (int(r) for r in ClientRole)
TABLE_ROLES = frozenset({ROLE_DISPLAY, ROLE_TOOLTIP, ROLE_FONT, ROLE_ALIGN, ROLE_FOREGROUND, ROLE_ID, ROLE_SUMMARY,
                         ROLE_SORT, ROLE_STALLED, ROLE_BUDGET, ROLE_DAYS, ROLE_CARD})  # every role the models answer
ALIGN_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
