"""The first screen's rows in the order the list's header was saved with, arranged in a worker before they show."""

from __future__ import annotations

from datetime import date

from app.domain.client_summary import ClientSummary
from app.domain.timeutil import local_date
from ui.models.client_columns import column_value
from ui.models.clients import ClientTableModel
from ui.models.row_merge import sorted_from_name_order


def in_saved_order(named: list[ClientSummary], column: int, descending: bool, today: date) -> list[ClientSummary]:
    """``named`` — rows in name order (``sort_key``, as ``ui.models.names.presorted`` gives them) — in the table's
    order for sort (``column``, ``descending``; ``ui.models.client_columns.sort_state``), as ``ClientTableModel.sort``
    would put them, without a collation key: one stable sort by the column's value alone keeps the rows of equal
    values in name order (reversed for a descending sort, as the table's keys are). Safe in a worker
    (no collator, no Qt object). The lazy start's first screen: sorted on the UI thread, 50 000 rows by days took
    ~1.2 s before the clients showed."""
    if column < 0 or column == ClientTableModel.COL_NAME:
        return sorted_from_name_order(named, None, descending)
    if column == ClientTableModel.COL_DAYS:  # by the stage's day (the later, the fewer days): no count per row
        base = named[::-1] if descending else named

        def day(s: ClientSummary) -> date:
            return min(local_date(s.stage_since), today)  # a day ahead of the clock counts 0 days, as today

        return sorted(base, key=day, reverse=not descending)  # stable also reversed: ties keep ``base``'s order
    return sorted_from_name_order(named, lambda s: column_value(s, column, today), descending)
