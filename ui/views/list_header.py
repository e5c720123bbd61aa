"""The client list header's saved state: its settings key, and the sort it was saved with, read before the list
exists (Qt only at import time: the lazy start reads it before its first frame)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QHeaderView

HEADER_KEY = "clientList/header"  # the list header's saved state (columns, widths, sort) in the settings


def saved_sort(settings: QSettings) -> tuple[int, Qt.SortOrder]:
    """The sort indicator the list's header was saved with: (section, order); (-1, ascending) when no state is
    saved or it does not restore. A header not shown and without a model restores it (Qt's own reading of its
    format, ~0.1 ms); ``ui.models.client_columns.sort_state`` makes it the table's (column, descending)."""
    state = settings.value(HEADER_KEY)
    if not isinstance(state, QByteArray) or state.isEmpty():
        return -1, Qt.SortOrder.AscendingOrder
    header = QHeaderView(Qt.Orientation.Horizontal)
    if not header.restoreState(state):
        return -1, Qt.SortOrder.AscendingOrder
    return header.sortIndicatorSection(), header.sortIndicatorOrder()
