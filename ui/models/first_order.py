"""The first screen's rows in the order the list's header was saved with, arranged in a worker before they show."""

from __future__ import annotations

from datetime import date

from app.domain.client_summary import ClientSummary
from ui.models.clients import ClientTableModel, column_value


def in_saved_order(named: list[ClientSummary], column: int, descending: bool, today: date) -> list[ClientSummary]:
    """``named`` — rows in name order (``sort_key``, as ``ui.models.names.presorted`` gives them) — in the table's
    order for sort (``column``, ``descending``; ``ui.models.clients.sort_state``), as ``ClientTableModel.sort``
    would put them, without a collation key: one stable sort by the column's value alone keeps the rows of equal
    values in name order (reversed for a descending sort, as the table's keys are). Safe in a worker
    (no collator, no Qt object). The lazy start's first screen: sorted on the UI thread, 50 000 rows by days took
    ~1.2 s before the clients showed."""
    if column < 0 and not descending:
        return named
    base = named[::-1] if descending else named  # Python's sort is stable, also reversed: ties keep this order
    if column < 0 or column == ClientTableModel.COL_NAME:
        return base
    return sorted(base, key=lambda s: column_value(s, column, today), reverse=descending)
